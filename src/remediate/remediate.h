#pragma once

// remediate: fixes for failing findings, and guardrails that keep them from coming back.
//
// Input is the FAIL findings of a scan (live, snapshot or a saved scan read with
// report::ReadJson) and, through a RevisionSource, the original describe-task-definition
// document of each flagged revision: the graph keeps only what the controls read, and a fix
// must carry every other field over untouched. BuildPlan groups the findings by revision (one
// new revision fixes every finding of every control on that ARN), computes the
// register-task-definition input (read-only fields removed, tags kept, `privileged: true` ->
// false and a root user -> a non-root one, nothing else), and lays out the steps: register,
// update-service and wait for each service running the old revision, deregister the old one;
// ordered by priority (P1 first) then account, region and family, in batches. Renderers print
// the plan as AWS CLI commands, JSON, console steps or Markdown; Apply carries it out through
// the ECS API after reading the live state (a fix whose original is no longer its family's
// newest revision is refused; an earlier run's fix, found by its ecsguard:fixes tag, is reused)
// and stops at the first failure. Names AWS would not accept are refused, never rendered.
// ConformancePackTemplate writes the AWS Config guardrail. Environment values appear only in
// the input documents (InputFiles, and the RegisterTaskDefinition request itself).
//
//   SnapshotRevisionSource source = SnapshotRevisionSource::Load({"snapshots/prod"});
//   ASSIGN_OR_RETURN(Plan plan, BuildPlan(scan.findings, {.priorities = {Priority::kP1}},
//                                         source, PlanOptions{}));
//   std::string script = RenderCommands(plan, {.input_dir = "out"});
//   ApplyReport report = Apply(plan, clients, {.deregister_old = true, .clock = &clock});
//   if (!report.ok()) for (auto& s : report.steps) Log(s.Describe());
//
// Thread-safety: the free functions are pure (Apply only through the clients it is given);
// a RevisionSource is used from one thread at a time.

#include "remediate/apply.h"
#include "remediate/cfn_guard.h"
#include "remediate/fix.h"
#include "remediate/guardrails.h"
#include "remediate/plan.h"
#include "remediate/render.h"
#include "remediate/revision_source.h"
#include "remediate/scp.h"
