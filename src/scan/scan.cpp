#include "scan/scan.h"

#include <algorithm>
#include <utility>

namespace ecsguard::scan {

Result<std::vector<std::string>> GraphNamesRead(
    const std::vector<const controls::Control*>& controls, const graph::Schema& schema,
    controls::Mode mode) {
  std::vector<std::string> names;
  for (const controls::Control* c : controls) {
    ASSIGN_OR_RETURN(std::vector<std::string> read, controls::GraphNamesRead(*c, schema, mode));
    names.insert(names.end(), read.begin(), read.end());
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

Result<Outcome> Run(Request request) {
  if (request.schema == nullptr || request.graph == nullptr || request.clock == nullptr) {
    return Error(ErrorCode::kInvalidArgument, "a scan needs a schema, a graph and a clock");
  }
  Outcome out;
  posture::ScanResult& scan = out.scan;
  scan.info = std::move(request.info);
  std::vector<controls::ControlEvaluation> evaluations;
  for (const controls::Control* c : request.controls) {
    scan.info.controls.push_back(c->id);
    ASSIGN_OR_RETURN(controls::ControlEvaluation eval,
                     controls::Evaluate(*c, *request.schema, *request.graph, request.mode));
    for (const std::string& w : eval.warnings) scan.warnings.push_back(w);
    evaluations.push_back(std::move(eval));
  }
  scan.findings =
      posture::BuildFindings(evaluations, *request.schema, *request.graph, request.gaps);
  scan.problems = std::move(request.problems);
  scan.coverage = std::move(request.coverage);
  for (std::string& w : request.warnings) scan.warnings.push_back(std::move(w));
  if (!request.context_gaps.empty()) {
    posture::MarkIncompleteContext(request.context_gaps, &scan.findings);
  }
  if (!request.suppressions.empty()) {
    if (request.catalog == nullptr) {
      return Error(ErrorCode::kInvalidArgument, "inline suppressions need the control catalog");
    }
    for (std::string& w : ApplySuppressions(request.suppressions, *request.catalog, *request.clock,
                                            &scan.findings)) {
      scan.warnings.push_back(std::move(w));
    }
  }
  if (request.exceptions != nullptr && !request.exceptions->empty()) {
    posture::ExceptionReport report = request.exceptions->Apply(&scan.findings, *request.clock);
    for (std::string& w : report.Warnings()) scan.warnings.push_back(std::move(w));
  }
  posture::SortFindings(&scan.findings);
  scan.info.finished_at = FormatIso8601(request.clock->Now());
  if (request.history != nullptr) {
    out.recorded = request.shard ? request.history->RecordShard(scan, *request.shard)
                                 : request.history->RecordScan(scan);
  }
  return out;
}

}  // namespace ecsguard::scan
