#include "report/internal/model.h"

#include <fmt/format.h>

#include <algorithm>

#include "base/strings.h"
#include "base/time.h"

namespace ecsguard::report::internal {

using posture::Finding;
using posture::Status;

std::vector<ControlInfo> ScanControls(const posture::ScanResult& scan,
                                      const RenderOptions& options) {
  std::vector<ControlInfo> out;
  auto add = [&](std::string_view id) {
    if (id.empty() || FindControl(out, id) != nullptr) return;
    ControlInfo info;
    info.id = std::string(id);
    for (const controls::Control* c : options.controls) {
      if (c != nullptr && c->id == id) {
        info.title = c->title;
        info.severity = c->severity;
        info.overview = c->overview;
        info.remediation = c->remediation;
        info.aliases = c->aliases;
        info.from_catalog = true;
        break;
      }
    }
    if (!info.from_catalog) {
      for (const Finding& f : scan.findings) {
        if (f.control_id == id) {
          info.title = f.control_title;
          info.severity = f.severity;
          break;
        }
      }
    }
    if (info.title.empty()) info.title = info.id;
    out.push_back(std::move(info));
  };
  for (const std::string& id : scan.info.controls) add(id);
  for (const Finding& f : scan.findings) add(f.control_id);
  return out;
}

const ControlInfo* FindControl(const std::vector<ControlInfo>& controls, std::string_view id) {
  for (const ControlInfo& c : controls) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

std::string RemediationText(const ControlInfo& control) {
  const controls::Remediation& r = control.remediation;
  std::string out;
  auto section = [&](std::string_view heading, const std::string& body) {
    if (Trim(body).empty()) return;
    if (!out.empty()) out += "\n\n";
    out += fmt::format("{}:\n{}", heading, Trim(body));
  };
  section("Console", r.console);
  section("CLI", r.cli);
  section("Across the organization", r.service_wide);
  section("Prevent it", r.preventive);
  return out;
}

std::string RemediationSummary(const ControlInfo& control) {
  const controls::Remediation& r = control.remediation;
  for (const std::string* text : {&r.console, &r.service_wide, &r.preventive, &r.cli}) {
    std::string_view t = Trim(*text);
    if (!t.empty()) return std::string(Trim(t.substr(0, t.find("\n\n"))));
  }
  return "";
}

std::string ResourceLabel(const Finding& f) {
  if (!f.resource.name.empty()) return f.resource.name;
  if (!f.resource.id.empty()) return f.resource.id;
  return f.resource.arn;
}

SourceLocation PrimaryLocation(const Finding& f) {
  for (const posture::Evidence& e : f.evidence) {
    if (!e.location.file.empty()) return e.location;
  }
  return f.resource.location;
}

std::string LocationText(const Finding& f) {
  SourceLocation loc = PrimaryLocation(f);
  return loc.file.empty() ? "" : loc.ToString();
}

std::string SeverityUpper(controls::Severity s) {
  std::string out(controls::SeverityName(s));
  for (char& c : out) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
  return out;
}

std::vector<std::string> EvidenceLines(const Finding& f) {
  std::vector<std::string> out;
  for (const posture::Evidence& e : f.evidence) {
    std::string line = e.Describe();
    if (!e.location.file.empty()) line += fmt::format(" ({})", e.location.ToString());
    out.push_back(std::move(line));
  }
  return out;
}

std::string ExceptionText(const posture::AppliedException& e) {
  std::vector<std::string> details;
  if (!e.owner.empty()) details.push_back("owner " + e.owner);
  if (!e.expires.empty()) details.push_back("expires " + e.expires);
  if (!e.ticket.empty()) details.push_back("ticket " + e.ticket);
  std::string out = "excepted";
  if (!e.id.empty()) out += " by " + e.id;
  if (!details.empty()) out += " (" + Join(details, ", ") + ")";
  if (!e.reason.empty()) out += ": " + e.reason;
  return out;
}

std::vector<const Finding*> FailuresByPriority(const posture::ScanResult& scan) {
  std::vector<const Finding*> out;
  for (const Finding& f : scan.findings) {
    if (f.status == Status::kFail) out.push_back(&f);
  }
  std::stable_sort(out.begin(), out.end(), [](const Finding* a, const Finding* b) {
    if (a->context.priority != b->context.priority)
      return a->context.priority < b->context.priority;
    if (a->severity != b->severity) return a->severity > b->severity;
    if (a->control_id != b->control_id) return a->control_id < b->control_id;
    return ResourceLabel(*a) < ResourceLabel(*b);
  });
  return out;
}

namespace {

void AddToCounts(const Finding& f, Counts* c) {
  switch (f.status) {
    case Status::kFail:
      ++c->fail;
      ++c->fail_by_priority[std::clamp(static_cast<int>(f.context.priority), 1, 4)];
      break;
    case Status::kPass:
      ++c->pass;
      break;
    case Status::kExcepted:
      ++c->excepted;
      break;
    case Status::kNotEvaluated:
      ++c->not_evaluated;
      break;
  }
  if (!f.context.priority_context.empty()) ++c->unsure_priority;
}

}  // namespace

Counts CountFindings(const posture::ScanResult& scan) {
  Counts c;
  for (const Finding& f : scan.findings) AddToCounts(f, &c);
  return c;
}

std::vector<RequirementResult> RequirementResults(const posture::ScanResult& scan) {
  std::vector<RequirementResult> out;
  if (!scan.info.framework) return out;
  for (const controls::Requirement& r : scan.info.framework->requirements) {
    RequirementResult result;
    result.requirement = &r;
    for (const std::string& id : r.controls) {
      if (std::find(scan.info.controls.begin(), scan.info.controls.end(), id) !=
          scan.info.controls.end()) {
        result.controls.push_back(id);
      }
    }
    for (const Finding& f : scan.findings) {
      if (std::find(r.controls.begin(), r.controls.end(), f.control_id) == r.controls.end()) {
        continue;
      }
      AddToCounts(f, &result.counts);
    }
    const Counts& n = result.counts;
    if (n.fail > 0) {
      result.status = "FAIL";
    } else if (n.not_evaluated > 0) {
      result.status = "NOT_EVALUATED";
    } else if (n.excepted > 0) {
      result.status = "EXCEPTED";
    } else if (n.pass > 0) {
      result.status = "PASS";
    } else if (!result.controls.empty()) {
      result.status = "NO_DATA";
    } else {
      result.status = "NOT_COVERED";
    }
    out.push_back(std::move(result));
  }
  return out;
}

std::string StandardName(const controls::Framework& framework) {
  return framework.version.empty() ? framework.name
                                   : fmt::format("{} {}", framework.name, framework.version);
}

std::vector<std::string> RequirementIds(const posture::ScanResult& scan,
                                        std::string_view control_id) {
  std::vector<std::string> out;
  if (!scan.info.framework) return out;
  for (const controls::Requirement* r : scan.info.framework->RequirementsOf(control_id)) {
    out.push_back(r->id);
  }
  return out;
}

std::vector<std::string> IncompleteParts(const posture::ScanResult& scan, const Counts& counts,
                                         std::string_view unit) {
  std::vector<std::string> what;
  if (!scan.problems.empty()) {
    what.push_back(fmt::format("{} input problem{}", scan.problems.size(),
                               scan.problems.size() == 1 ? "" : "s"));
  }
  if (counts.not_evaluated > 0) {
    what.push_back(fmt::format("{} {}{} not evaluated", counts.not_evaluated, unit,
                               counts.not_evaluated == 1 ? "" : "s"));
  }
  if (counts.unsure_priority > 0) {
    what.push_back(fmt::format("{} priorit{} computed without all {} context",
                               counts.unsure_priority, counts.unsure_priority == 1 ? "y" : "ies",
                               counts.unsure_priority == 1 ? "its" : "their"));
  }
  return what;
}

std::string IncompleteConsequence(const posture::ScanResult& scan, const Counts& counts) {
  bool missing = !scan.problems.empty() || counts.not_evaluated > 0 ||
                 std::any_of(scan.coverage.begin(), scan.coverage.end(), [](const auto& c) {
                   return c.state != posture::Coverage::State::kEvaluated;
                 });
  return missing ? "Failures may be missing from this report."
                 : "Priorities may be too low (see the warnings).";
}

std::string ScanTime(const posture::ScanResult& scan) {
  return scan.info.finished_at.empty() ? scan.info.started_at : scan.info.finished_at;
}

std::optional<int64_t> DaysFromScanTo(const posture::ScanResult& scan, std::string_view date) {
  auto scanned = ParseIsoTimestamp(ScanTime(scan));
  auto day = ParseIsoDate(date);
  if (!scanned || !day) return std::nullopt;
  return (std::chrono::sys_days{*day} - std::chrono::floor<std::chrono::days>(*scanned)).count();
}

}  // namespace ecsguard::report::internal
