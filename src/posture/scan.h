#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "controls/framework.h"
#include "posture/finding.h"

namespace ecsguard::posture {

// What was scanned and how it went: the unit every report renders.
struct ScanInfo {
  std::string tool_version;
  std::string kind;                 // "snapshot", "aws", "iac"
  std::vector<std::string> inputs;  // paths, or account/region scopes
  std::string started_at;           // ISO 8601
  std::string finished_at;
  std::vector<std::string> controls;
  // Live scans: AWS API calls made, by "service:Operation", and task-definition revisions read
  // from the revision cache instead of described.
  std::map<std::string, int64_t> api_calls;
  int64_t cache_hits = 0;
  // `--framework`: the framework whose controls ran; reports group findings by its
  // requirements. Absent otherwise, and then no report mentions frameworks.
  std::optional<controls::Framework> framework;
};

// One cell of the coverage table: what happened in one account and region.
struct Coverage {
  enum class State : uint8_t { kEvaluated, kDenied, kFailed };
  std::string account_id;
  std::string region;
  State state = State::kEvaluated;
  std::string detail;  // e.g. "AccessDeniedException on ecs:ListClusters"
};
std::string_view CoverageStateName(Coverage::State s);  // "evaluated", "denied", "failed"

struct ScanResult {
  ScanInfo info;
  // Account x region cells the scan covered (live scans, and snapshots by the ARNs they hold).
  // A history diff compares only findings in cells both scans evaluated.
  std::vector<Coverage> coverage;
  std::vector<Finding> findings;
  // Input that could not be read (file:line:col errors); any problem makes the scan incomplete.
  std::vector<Error> problems;
  std::vector<std::string> warnings;

  // False when some input was not evaluated (a problem, a cell not evaluated, a NOT_EVALUATED
  // finding) or a priority was computed without its context (Context::priority_context).
  bool complete() const;
};

}  // namespace ecsguard::posture
