// AWS Security Finding Format (ASFF) for Security Hub BatchImportFindings.
//
// One ASFF finding per finding record that names an AWS account and region (live and snapshot
// scans; IaC findings have neither and are left out). Batches hold one account and region each,
// because BatchImportFindings is called in the region, with the credentials of the account,
// that the findings belong to; and at most kAsffBatchSize findings.

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "base/arn.h"
#include "base/strings.h"
#include "base/time.h"
#include "report/internal/model.h"
#include "report/internal/text.h"
#include "report/report.h"

namespace ecsguard::report {
namespace {

using internal::ControlInfo;
using internal::Truncate;
using nlohmann::json;
using posture::Finding;
using posture::Status;

// Field limits of AwsSecurityFinding (Security Hub API reference).
constexpr size_t kTitleMax = 256;
constexpr size_t kDescriptionMax = 1024;
constexpr size_t kRecommendationMax = 512;
constexpr size_t kNoteMax = 512;
constexpr size_t kProductFieldMax = 2048;
constexpr size_t kRelatedRequirementsMax = 32;  // Compliance.RelatedRequirements

bool Importable(const Finding& f) {
  return !f.resource.account_id.empty() && !f.resource.region.empty() &&
         !(f.resource.arn.empty() && f.resource.id.empty());
}

std::string Partition(const Finding& f) {
  if (auto arn = ParseArn(f.resource.arn)) return arn->partition;
  return std::string(PartitionOfRegion(f.resource.region));
}

std::string_view SeverityLabel(const Finding& f) {
  // Security Hub's own controls report passed and unavailable checks as INFORMATIONAL.
  if (f.status == Status::kPass || f.status == Status::kNotEvaluated) return "INFORMATIONAL";
  switch (f.severity) {
    case controls::Severity::kCritical:
      return "CRITICAL";
    case controls::Severity::kHigh:
      return "HIGH";
    case controls::Severity::kMedium:
      return "MEDIUM";
    case controls::Severity::kLow:
      return "LOW";
  }
  return "MEDIUM";
}

std::string_view ComplianceStatus(Status s) {
  switch (s) {
    case Status::kFail:
    case Status::kExcepted:
      return "FAILED";
    case Status::kPass:
      return "PASSED";
    case Status::kNotEvaluated:
      return "NOT_AVAILABLE";
  }
  return "NOT_AVAILABLE";
}

std::string_view WorkflowStatus(Status s) {
  switch (s) {
    case Status::kFail:
    case Status::kNotEvaluated:
      return "NEW";
    case Status::kExcepted:
      return "SUPPRESSED";
    case Status::kPass:
      return "RESOLVED";
  }
  return "NEW";
}

std::string Description(const Finding& f) {
  std::vector<std::string> parts;
  switch (f.status) {
    case Status::kFail:
    case Status::kExcepted: {
      std::string why = f.reason.empty() ? Join(internal::EvidenceLines(f), "; ") : f.reason;
      parts.push_back(fmt::format("{} fails this control: {}.", internal::ResourceLabel(f), why));
      break;
    }
    case Status::kPass:
      parts.push_back(fmt::format("{} passes this control.", internal::ResourceLabel(f)));
      break;
    case Status::kNotEvaluated:
      parts.push_back(fmt::format("{} could not be evaluated: {}.", internal::ResourceLabel(f),
                                  f.reason.empty() ? "no reason recorded" : f.reason));
      break;
  }
  if (f.status == Status::kFail || f.status == Status::kExcepted) {
    std::string context =
        fmt::format("Priority {}, exposure {}", posture::PriorityName(f.context.priority),
                    posture::ExposureName(f.context.exposure));
    if (!f.context.environment.empty()) context += ", environment " + f.context.environment;
    if (!f.context.services.empty()) context += ", services " + Join(f.context.services, ", ");
    if (!f.context.priority_context.empty()) {
      context += " (priority context " + f.context.priority_context + ")";
    }
    parts.push_back(context + ".");
  }
  if (f.status == Status::kExcepted && f.exception) {
    parts.push_back(internal::ExceptionText(*f.exception) + ".");
  }
  return Truncate(internal::OneLine(Join(parts, " ")), kDescriptionMax);
}

json AsffFinding(const Finding& f, const ControlInfo* control, const std::string& time) {
  std::string partition = Partition(f);
  const std::string& account = f.resource.account_id;
  const std::string& region = f.resource.region;
  std::string title = control != nullptr ? control->title : f.control_title;
  if (title.empty()) title = f.control_id;
  std::string recommendation =
      control != nullptr ? internal::RemediationSummary(*control) : std::string();
  if (recommendation.empty()) recommendation = "See the control documentation for the fix.";

  json product_fields = {
      {"ecsguard/FindingId", f.id},
      {"ecsguard/Status", posture::StatusName(f.status)},
      {"ecsguard/Severity", controls::SeverityName(f.severity)},
      {"ecsguard/Priority", posture::PriorityName(f.context.priority)},
      {"ecsguard/Exposure", posture::ExposureName(f.context.exposure)},
  };
  if (!f.context.environment.empty()) {
    product_fields["ecsguard/Environment"] = Truncate(f.context.environment, kProductFieldMax);
  }
  if (!f.context.priority_context.empty()) {
    product_fields["ecsguard/PriorityContext"] =
        Truncate(f.context.priority_context, kProductFieldMax);
  }
  std::string evidence = internal::OneLine(Join(internal::EvidenceLines(f), "; "));
  if (!evidence.empty()) product_fields["ecsguard/Evidence"] = Truncate(evidence, kProductFieldMax);
  if (control != nullptr && !control->aliases.empty()) {
    product_fields["ecsguard/Aliases"] = Truncate(Join(control->aliases, ", "), kProductFieldMax);
  }

  json resource = {
      {"Type", f.resource.type == "ECSTaskDefinition" ? "AwsEcsTaskDefinition" : "Other"},
      {"Id", internal::ValidUtf8(f.resource.arn.empty() ? f.resource.id : f.resource.arn)},
      {"Partition", partition},
      {"Region", region}};
  if (!f.resource.family.empty()) {
    resource["Details"] = {
        {"AwsEcsTaskDefinition", {{"Family", internal::ValidUtf8(f.resource.family)}}}};
  }

  json finding = {
      {"SchemaVersion", "2018-10-08"},
      {"Id", fmt::format("ecsguard/{}/{}", f.control_id, f.id)},
      {"ProductArn", fmt::format("arn:{}:securityhub:{}:{}:product/{}/default", partition, region,
                                 account, account)},
      {"ProductName", "ecsguard"},
      {"CompanyName", "ecsguard"},
      {"GeneratorId", f.control_id},
      {"AwsAccountId", account},
      {"Types", json::array({"Software and Configuration Checks/AWS Security Best Practices"})},
      {"CreatedAt", time},
      {"UpdatedAt", time},
      {"Severity", {{"Label", SeverityLabel(f)}, {"Original", controls::SeverityName(f.severity)}}},
      {"Title", Truncate(internal::OneLine(title), kTitleMax)},
      {"Description", Description(f)},
      {"Remediation",
       {{"Recommendation",
         {{"Text", Truncate(internal::OneLine(recommendation), kRecommendationMax)},
          {"Url", ControlDocUrl(f.control_id)}}}}},
      {"ProductFields", product_fields},
      {"Resources", json::array({resource})},
      {"Compliance", {{"Status", ComplianceStatus(f.status)}}},
      {"Workflow", {{"Status", WorkflowStatus(f.status)}}},
      {"RecordState", "ACTIVE"},
  };
  if (f.status == Status::kExcepted && f.exception) {
    finding["Note"] = {
        {"Text", Truncate(internal::OneLine(internal::ExceptionText(*f.exception)), kNoteMax)},
        {"UpdatedBy", Truncate(f.exception->owner.empty() ? "ecsguard" : f.exception->owner, 512)},
        {"UpdatedAt", time}};
  }
  return finding;
}

// The scan's time as Security Hub wants it (RFC 3339); the epoch when the scan has none, so the
// output stays a function of the scan.
std::string AsffTime(const posture::ScanResult& scan) {
  std::string t = internal::ScanTime(scan);
  return ParseIsoTimestamp(t) ? t : "1970-01-01T00:00:00Z";
}

// Findings grouped by account and region (sorted), each group in scan order.
std::vector<std::vector<json>> Groups(const posture::ScanResult& scan,
                                      const RenderOptions& options) {
  std::vector<internal::ControlInfo> controls = internal::ScanControls(scan, options);
  std::string time = AsffTime(scan);
  std::map<std::pair<std::string, std::string>, std::vector<json>> groups;
  for (const Finding& f : scan.findings) {
    if (!Importable(f)) continue;
    json finding = AsffFinding(f, internal::FindControl(controls, f.control_id), time);
    if (scan.info.framework) {
      // "<standard>/<requirement>": which framework a requirement id belongs to stays readable
      // once findings of several frameworks meet in Security Hub.
      json related = json::array();
      for (const std::string& id : internal::RequirementIds(scan, f.control_id)) {
        if (related.size() == kRelatedRequirementsMax) break;
        related.push_back(internal::StandardName(*scan.info.framework) + "/" + id);
      }
      finding["Compliance"]["RelatedRequirements"] = related;
    }
    groups[{f.resource.account_id, f.resource.region}].push_back(std::move(finding));
  }
  std::vector<std::vector<json>> out;
  for (auto& [key, findings] : groups) out.push_back(std::move(findings));
  return out;
}

std::string Dump(const json& j) {
  return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace

std::string RenderAsff(const posture::ScanResult& scan, const RenderOptions& options) {
  json all = json::array();
  for (std::vector<json>& group : Groups(scan, options)) {
    for (json& f : group) all.push_back(std::move(f));
  }
  return Dump(all);
}

std::vector<std::string> RenderAsffBatches(const posture::ScanResult& scan,
                                           const RenderOptions& options) {
  std::vector<std::string> batches;
  for (std::vector<json>& group : Groups(scan, options)) {
    for (size_t i = 0; i < group.size(); i += kAsffBatchSize) {
      json batch = json::array();
      for (size_t k = i; k < std::min(group.size(), i + kAsffBatchSize); ++k) {
        batch.push_back(std::move(group[k]));
      }
      batches.push_back(Dump(batch));
    }
  }
  return batches;
}

}  // namespace ecsguard::report
