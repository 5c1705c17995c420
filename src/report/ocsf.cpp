// OCSF 1.1.0 Detection Finding (class_uid 2004, category 2 Findings), one event per finding
// record, written as one JSON array. Account and region live in `cloud` (resource_details has
// no account attribute in 1.1); the record status (FAIL, PASS, ...) is `status_code`, the
// finding lifecycle is `status_id`; what OCSF has no attribute for (evidence, priority,
// exposure, exception) is in `unmapped`.

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "base/arn.h"
#include "base/strings.h"
#include "base/time.h"
#include "report/internal/model.h"
#include "report/internal/text.h"
#include "report/report.h"

namespace ecsguard::report {
namespace {

using nlohmann::json;
using posture::Finding;
using posture::Status;

constexpr int kCategoryUid = 2;
constexpr int kClassUid = 2004;
constexpr int kActivityCreate = 1;
constexpr std::string_view kOcsfVersion = "1.1.0";

struct Enum {
  int id;
  std::string_view name;
};

Enum SeverityOf(const Finding& f) {
  if (f.status == Status::kPass || f.status == Status::kNotEvaluated) return {1, "Informational"};
  switch (f.severity) {
    case controls::Severity::kLow:
      return {2, "Low"};
    case controls::Severity::kMedium:
      return {3, "Medium"};
    case controls::Severity::kHigh:
      return {4, "High"};
    case controls::Severity::kCritical:
      return {5, "Critical"};
  }
  return {0, "Unknown"};
}

Enum StatusOf(Status s) {
  switch (s) {
    case Status::kFail:
      return {1, "New"};
    case Status::kExcepted:
      return {3, "Suppressed"};
    case Status::kPass:
      return {4, "Resolved"};
    case Status::kNotEvaluated:
      return {99, "Not evaluated"};
  }
  return {0, "Unknown"};
}

std::string StatusDetail(const Finding& f) {
  if (f.status == Status::kExcepted && f.exception) return internal::ExceptionText(*f.exception);
  if (!f.reason.empty()) return f.reason;
  return Join(internal::EvidenceLines(f), "; ");
}

// OCSF's compliance object (as in Compliance Finding, class 2003): the framework and the
// requirements the finding's control judges. Only with --framework.
json Compliance(const posture::ScanResult& scan, const Finding& f) {
  return {{"standards", json::array({internal::StandardName(*scan.info.framework)})},
          {"requirements", internal::RequirementIds(scan, f.control_id)},
          {"control", f.control_id},
          {"status_code", posture::StatusName(f.status)}};
}

json Event(const Finding& f, const internal::ControlInfo* control, const std::string& version,
           std::optional<int64_t> time_ms) {
  Enum severity = SeverityOf(f);
  Enum status = StatusOf(f.status);
  std::string title = control != nullptr ? control->title : f.control_title;
  if (title.empty()) title = f.control_id;

  json analytic = {{"uid", f.control_id}, {"name", title}, {"type_id", 1}, {"type", "Rule"}};
  json finding_info = {{"uid", f.id},
                       {"title", internal::ValidUtf8(title)},
                       {"types", json::array({"Software and Configuration Checks"})},
                       {"analytic", analytic}};
  std::string desc = StatusDetail(f);
  if (!desc.empty()) finding_info["desc"] = internal::ValidUtf8(desc);
  if (time_ms) finding_info["created_time"] = *time_ms;

  json resource = {
      {"uid", internal::ValidUtf8(f.resource.arn.empty() ? f.resource.id : f.resource.arn)},
      {"type", f.resource.type},
      {"name", internal::ValidUtf8(internal::ResourceLabel(f))}};
  std::string partition;
  if (auto arn = ParseArn(f.resource.arn)) partition = arn->partition;
  if (!partition.empty()) resource["cloud_partition"] = partition;
  if (!f.resource.region.empty()) resource["region"] = f.resource.region;
  json labels = json::array();
  if (!f.context.environment.empty()) labels.push_back("environment:" + f.context.environment);
  if (!labels.empty()) resource["labels"] = labels;

  json cloud = {{"provider", "AWS"}};
  if (!f.resource.account_id.empty()) {
    cloud["account"] = {{"uid", f.resource.account_id}, {"type_id", 10}, {"type", "AWS Account"}};
  }
  if (!f.resource.region.empty()) cloud["region"] = f.resource.region;

  json unmapped = {{"ecsguard_status", posture::StatusName(f.status)},
                   {"priority", posture::PriorityName(f.context.priority)},
                   {"exposure", posture::ExposureName(f.context.exposure)},
                   {"exposure_reasons", f.context.exposure_reasons},
                   {"evidence", internal::EvidenceLines(f)},
                   {"tasks", f.context.tasks},
                   {"services", f.context.services},
                   {"clusters", f.context.clusters}};
  if (!f.context.priority_context.empty()) {
    unmapped["priority_context"] = f.context.priority_context;
  }
  std::string location = internal::LocationText(f);
  if (!location.empty()) unmapped["location"] = location;
  if (f.exception) {
    unmapped["exception"] = {{"id", f.exception->id},
                             {"reason", f.exception->reason},
                             {"owner", f.exception->owner},
                             {"expires", f.exception->expires},
                             {"ticket", f.exception->ticket}};
  }

  std::string remediation = control != nullptr ? internal::RemediationText(*control) : "";
  json event = {
      {"activity_id", kActivityCreate},
      {"activity_name", "Create"},
      {"category_uid", kCategoryUid},
      {"category_name", "Findings"},
      {"class_uid", kClassUid},
      {"class_name", "Detection Finding"},
      {"type_uid", kClassUid * 100 + kActivityCreate},
      {"type_name", "Detection Finding: Create"},
      {"severity_id", severity.id},
      {"severity", severity.name},
      {"status_id", status.id},
      {"status", status.name},
      {"status_code", posture::StatusName(f.status)},
      {"message", internal::ValidUtf8(fmt::format("{}: {}", internal::ResourceLabel(f), title))},
      {"metadata",
       {{"version", kOcsfVersion},
        {"product", {{"name", "ecsguard"}, {"vendor_name", "ecsguard"}, {"version", version}}},
        {"profiles", json::array({"cloud"})}}},
      {"finding_info", finding_info},
      {"resources", json::array({resource})},
      {"cloud", cloud},
      {"remediation",
       {{"desc",
         internal::ValidUtf8(remediation.empty() ? "See the control documentation." : remediation)},
        {"references", json::array({ControlDocUrl(f.control_id)})}}},
      {"unmapped", unmapped},
  };
  if (!desc.empty()) event["status_detail"] = internal::ValidUtf8(desc);
  // `time` is required; a scan without a parseable time gets the epoch rather than "now", so
  // the output stays a function of the scan.
  event["time"] = time_ms.value_or(0);
  return event;
}

}  // namespace

std::string RenderOcsf(const posture::ScanResult& scan, const RenderOptions& options) {
  std::vector<internal::ControlInfo> controls = internal::ScanControls(scan, options);
  std::optional<int64_t> time_ms;
  if (auto t = ParseIsoTimestamp(internal::ScanTime(scan))) time_ms = t->time_since_epoch().count();
  std::string version = scan.info.tool_version.empty() ? "unknown" : scan.info.tool_version;
  json events = json::array();
  for (const Finding& f : scan.findings) {
    json event = Event(f, internal::FindControl(controls, f.control_id), version, time_ms);
    if (scan.info.framework) event["compliance"] = Compliance(scan, f);
    events.push_back(std::move(event));
  }
  return events.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace ecsguard::report
