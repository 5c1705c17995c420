#include "posture/finding.h"

#include <fmt/format.h>

#include "base/strings.h"

namespace ecsguard::posture {

std::string_view StatusName(Status s) {
  switch (s) {
    case Status::kFail:
      return "FAIL";
    case Status::kPass:
      return "PASS";
    case Status::kExcepted:
      return "EXCEPTED";
    case Status::kNotEvaluated:
      return "NOT_EVALUATED";
  }
  return "UNKNOWN";
}

std::optional<Status> ParseStatus(std::string_view name) {
  for (Status s : {Status::kFail, Status::kPass, Status::kExcepted, Status::kNotEvaluated}) {
    if (StatusName(s) == name) return s;
  }
  return std::nullopt;
}

std::optional<Exposure> ParseExposure(std::string_view name) {
  for (Exposure e : {Exposure::kUnknown, Exposure::kInternal, Exposure::kInternet}) {
    if (ExposureName(e) == name) return e;
  }
  return std::nullopt;
}

std::string_view PriorityName(Priority p) {
  switch (p) {
    case Priority::kP1:
      return "P1";
    case Priority::kP2:
      return "P2";
    case Priority::kP3:
      return "P3";
    case Priority::kP4:
      return "P4";
  }
  return "P4";
}

std::optional<Priority> ParsePriority(std::string_view name) {
  if (name.size() != 2 || name[0] != 'P' || name[1] < '1' || name[1] > '4') return std::nullopt;
  return static_cast<Priority>(name[1] - '0');
}

std::string_view ExposureName(Exposure e) {
  switch (e) {
    case Exposure::kInternet:
      return "internet";
    case Exposure::kInternal:
      return "internal";
    case Exposure::kUnknown:
      return "unknown";
  }
  return "unknown";
}

std::string Evidence::Describe() const {
  std::string out;
  if (!path.empty()) {
    std::string_view last = std::string_view(path).substr(path.rfind('.') + 1);
    std::string_view noun = last == "containerSpecs" ? "container"
                            : last == "envEntries"   ? "environment variable"
                                                     : last;
    out = subject.empty() ? std::string(noun) : fmt::format("{} {}", noun, subject);
  }
  for (size_t i = 0; i < fields.size(); ++i) {
    out += i == 0 ? (out.empty() ? "" : ": ") : ", ";
    out += fmt::format("{}={}", fields[i].first, fields[i].second);
  }
  return out;
}

std::string FindingId(std::string_view control_id, const Resource& r) {
  std::string key;
  if (!r.arn.empty() || r.revision > 0) {
    key = fmt::format("{}|{}|{}|{}|{}", control_id, r.account_id, r.region, r.family, r.revision);
  } else {
    key = fmt::format("{}|{}", control_id, r.id);
  }
  return Sha256Hex(key).substr(0, 20);
}

Summary Summarise(const std::vector<Finding>& findings) {
  Summary s;
  for (Status st : {Status::kFail, Status::kPass, Status::kExcepted, Status::kNotEvaluated}) {
    s.by_status[st] = 0;
  }
  for (const Finding& f : findings) ++s.by_status[f.status];
  s.total = findings.size();
  return s;
}

}  // namespace ecsguard::posture

#include "posture/scan.h"

namespace ecsguard::posture {

std::string_view CoverageStateName(Coverage::State s) {
  switch (s) {
    case Coverage::State::kEvaluated:
      return "evaluated";
    case Coverage::State::kDenied:
      return "denied";
    case Coverage::State::kFailed:
      return "failed";
  }
  return "failed";
}

bool ScanResult::complete() const {
  if (!problems.empty()) return false;
  for (const Coverage& c : coverage) {
    if (c.state != Coverage::State::kEvaluated) return false;
  }
  for (const Finding& f : findings) {
    if (f.status == Status::kNotEvaluated || !f.context.priority_context.empty()) return false;
  }
  return true;
}

}  // namespace ecsguard::posture
