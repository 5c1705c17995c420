#pragma once

// scan: one scan from an asset graph to a finished ScanResult — the flow every scan command
// shares (`scan snapshot`, `scan aws`, `scan iac`) and `remediate` reuses for its findings and
// its re-scans.
//
// Run evaluates the selected controls over the graph, turns the verdicts and the ingest gaps
// into findings (a gap becomes NOT_EVALUATED for every control it could hide an asset from,
// located where the gap is declared), marks priorities computed without their context, applies
// inline suppressions and then the exceptions file (each only to findings still FAIL), sorts
// the findings, stamps the finish time from the clock and records the scan in the history
// store. Everything it needs is passed in: the catalog, the clock and the store, so a test
// states exactly what a scan saw. It never prints and never decides an exit code; a control
// that cannot be evaluated is an Error, and a scan that could not be recorded says so in
// Outcome::recorded and is otherwise finished.
//
//   scan::Request request;
//   request.info.kind = "snapshot";
//   request.controls = *catalog.Select({});
//   request.schema = &schema;
//   request.graph = &snapshot.graph;
//   request.gaps = std::move(snapshot.gaps);
//   request.problems = std::move(snapshot.problems);
//   request.catalog = &catalog;
//   request.exceptions = &exceptions;
//   request.clock = &clock;
//   request.history = store.get();  // or nullptr: not recorded
//   ASSIGN_OR_RETURN(scan::Outcome out, scan::Run(std::move(request)));
//   Render(out.scan);
//
// Thread-safety: Run is reentrant; what the request points at must outlive the call and is
// only read (the history store is written through its own thread-safe interface).

#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/result.h"
#include "controls/controls.h"
#include "graph/graph.h"
#include "ingest/gap.h"
#include "ingest/iac/iac.h"
#include "posture/posture.h"
#include "store/store.h"

namespace ecsguard::scan {

struct Request {
  // ScanInfo::controls and finished_at are filled in by Run; the rest is the caller's.
  posture::ScanInfo info;
  std::vector<const controls::Control*> controls;  // the selected controls, in order
  controls::Mode mode = controls::Mode::kDeployed;
  const graph::Schema* schema = nullptr;  // required
  const graph::Graph* graph = nullptr;    // required
  // What ingest read around the graph: assets it could not evaluate, input it could not read,
  // the account x region cells covered, context it could not read, and its warnings (which
  // follow the controls' own warnings in ScanResult::warnings).
  std::vector<ingest::Gap> gaps;
  std::vector<Error> problems;
  std::vector<posture::Coverage> coverage;
  std::vector<posture::ContextGap> context_gaps;
  std::vector<std::string> warnings;
  // Inline suppressions (IaC) are resolved against the catalog; they apply before the
  // exceptions file. Both are optional.
  std::vector<ingest::Suppression> suppressions;
  const controls::Catalog* catalog = nullptr;  // required when there are suppressions
  const posture::ExceptionSet* exceptions = nullptr;
  const Clock* clock = nullptr;     // required: expiry dates and finished_at
  store::Store* history = nullptr;  // migrated; nullptr: the scan is not recorded
  // Recorded as this shard of a sharded run (Store::RecordShard) rather than on its own.
  std::optional<store::RunShard> shard;
};

struct Outcome {
  posture::ScanResult scan;
  // Set when Request::history was given: the id the scan was recorded under, or why it was
  // not (the scan itself is finished either way; whether that fails the command is the
  // caller's policy).
  std::optional<Result<store::ScanId>> recorded;
};

// The graph names the controls' checks for `mode` read (controls::GraphNamesRead, over all of
// them): an ingest need build no other part of the graph for Run to give the same result
// (ingest::EnvironmentRead turns it into snapshot options). Errors: a check that does not
// compile.
Result<std::vector<std::string>> GraphNamesRead(
    const std::vector<const controls::Control*>& controls, const graph::Schema& schema,
    controls::Mode mode = controls::Mode::kDeployed);

// Runs one scan. Errors: a control that could not be evaluated (its Error, e.g. a query the
// schema rejects), and kInvalidArgument for a request without a schema, graph or clock.
Result<Outcome> Run(Request request);

// Inline suppressions (`# ecsguard:ignore ...`, Metadata.ecsguard.ignore) turn the FAIL
// findings of their control and resource into EXCEPTED, attributed to "inline:<file:line>".
// A suppression needs a reason, an owner and an unexpired YYYY-MM-DD `expires` naming a known
// control (id or alias); anything less does not suppress, and every suppression that did not
// suppress (incomplete, expired, unknown control, matched no failure) is a returned warning.
std::vector<std::string> ApplySuppressions(const std::vector<ingest::Suppression>& suppressions,
                                           const controls::Catalog& catalog, const Clock& clock,
                                           std::vector<posture::Finding>* findings);

}  // namespace ecsguard::scan
