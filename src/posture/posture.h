#pragma once

// posture: findings and what hangs off them.
//
// BuildFindings turns control evaluations (and the gaps ingest could not evaluate) into one
// Finding per control and applicable asset — FAIL, PASS, EXCEPTED or NOT_EVALUATED — with a
// stable id, evidence (which container, which field), and context: the tasks and services that
// run the revision, its exposure, environment and priority (P1 internet-exposed production,
// P2 internet-exposed, P3 production, P4 the rest). Pure functions over immutable inputs.
//
//   std::vector<Finding> findings = BuildFindings(evaluations, schema, graph, gaps);
//   Summary summary = Summarise(findings);
//   for (const Finding& f : findings)
//     if (f.status == Status::kFail) Use(f.id, f.evidence.front().Describe());

#include "posture/build.h"
#include "posture/diff.h"
#include "posture/exceptions.h"
#include "posture/finding.h"
#include "posture/finding_json.h"
#include "posture/scan.h"
