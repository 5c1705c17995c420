#pragma once

// What several writers derive the same way from a ScanResult: the controls of a scan with their
// metadata, a finding's label and location, the order of failures, counts.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "report/report.h"

namespace ecsguard::report::internal {

// A control as the writers see it: from the catalog when the caller passed it, else from what
// the findings carry.
struct ControlInfo {
  std::string id;
  std::string title;
  controls::Severity severity = controls::Severity::kMedium;
  std::string overview;
  controls::Remediation remediation;
  std::vector<std::string> aliases;
  bool from_catalog = false;
};

// The scan's controls: ScanInfo::controls in order, then any other control id a finding names.
std::vector<ControlInfo> ScanControls(const posture::ScanResult& scan,
                                      const RenderOptions& options);
const ControlInfo* FindControl(const std::vector<ControlInfo>& controls, std::string_view id);

// The remediation as plain text with headings ("Console:", "CLI:", ...); "" when unknown.
std::string RemediationText(const ControlInfo& control);
// The first remediation step that fits in one line, for summaries (ASFF Recommendation.Text).
std::string RemediationSummary(const ControlInfo& control);

// "web:3", else the resource id, else the ARN.
std::string ResourceLabel(const posture::Finding& f);
// Where to point a reader: the first evidence location with a file (the offending property),
// else the resource location. Empty when the finding is not about a file.
SourceLocation PrimaryLocation(const posture::Finding& f);
// "file:line:col" for IaC findings, else "".
std::string LocationText(const posture::Finding& f);

// "critical" -> "CRITICAL".
std::string SeverityUpper(controls::Severity s);
// The evidence lines, one per related node ("container nginx: privileged=true").
std::vector<std::string> EvidenceLines(const posture::Finding& f);
// "excepted by EX-1 (owner team-a, expires 2026-12-31, ticket SEC-9): reason"
std::string ExceptionText(const posture::AppliedException& e);

// FAIL findings ordered most urgent first: priority, then severity (highest first), then
// control id and resource label. Ties keep scan order.
std::vector<const posture::Finding*> FailuresByPriority(const posture::ScanResult& scan);

struct Counts {
  size_t fail = 0, pass = 0, excepted = 0, not_evaluated = 0;
  std::array<size_t, 5> fail_by_priority{};  // index 1..4
  size_t unsure_priority = 0;  // findings whose priority lacks context (priority_context)
  size_t total() const { return fail + pass + excepted + not_evaluated; }
};
Counts CountFindings(const posture::ScanResult& scan);

// A requirement of the scan's framework (ScanInfo::framework) and what the scan found for it.
// Its status, worst first: "FAIL" (some finding failed), "NOT_EVALUATED", "EXCEPTED" (no
// failure, some excepted), "PASS", "NO_DATA" (its controls ran but had no applicable asset),
// "NOT_COVERED" (none of its controls ran: not in the catalog, or left out by --severity).
struct RequirementResult {
  const controls::Requirement* requirement = nullptr;
  std::vector<std::string> controls;  // the requirement's controls that ran in this scan
  Counts counts;                      // of the findings of those controls
  std::string_view status;
};
// One per requirement, in framework order; empty without a framework.
std::vector<RequirementResult> RequirementResults(const posture::ScanResult& scan);
// "AWS Foundational Security Best Practices 1.0.0": the framework's name and version.
std::string StandardName(const controls::Framework& framework);
// The ids of the framework's requirements that `control_id` judges, in framework order.
std::vector<std::string> RequirementIds(const posture::ScanResult& scan,
                                        std::string_view control_id);

// Why the scan is incomplete, for banners: "2 input problems", "3 records not evaluated" (with
// `unit` "record"), "4 priorities computed without all their context"; and what that means for
// the reader.
std::vector<std::string> IncompleteParts(const posture::ScanResult& scan, const Counts& counts,
                                         std::string_view unit);
std::string IncompleteConsequence(const posture::ScanResult& scan, const Counts& counts);

// The scan's time of record: finished_at, else started_at.
std::string ScanTime(const posture::ScanResult& scan);
// Days from the UTC day of ScanTime to `date` ("YYYY-MM-DD"): 0 on that day, negative once it has
// passed; nothing when either is not a valid date or time.
std::optional<int64_t> DaysFromScanTo(const posture::ScanResult& scan, std::string_view date);

}  // namespace ecsguard::report::internal
