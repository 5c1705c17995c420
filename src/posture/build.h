#pragma once

#include <string>
#include <vector>

#include "controls/controls.h"
#include "graph/graph.h"
#include "ingest/gap.h"
#include "posture/finding.h"

namespace ecsguard::posture {

// Context a priority is made of (services, load balancers, instances, security groups, tags)
// that could not be read for the assets of one account and region ("" for every region).
struct ContextGap {
  std::string account_id;
  std::string region;
  std::string reason;  // "DescribeServices failed in 123456789012/us-east-1"
};

// Sets Context::priority_context ("incomplete: <reason>; <reason>") on every finding with a
// priority (an ECSTaskDefinition that was evaluated, not NOT_EVALUATED) in a gap's account and
// region: its priority was computed without that context and may be too low.
void MarkIncompleteContext(const std::vector<ContextGap>& gaps, std::vector<Finding>* findings);

// Turns control evaluations into findings: one per control and applicable asset (FAIL or PASS
// with evidence and context), plus one NOT_EVALUATED per control and gap that could hide an
// applicable asset, located where the gap is declared (IaC). Findings are ordered by priority,
// then control, then resource.
std::vector<Finding> BuildFindings(const std::vector<controls::ControlEvaluation>& evaluations,
                                   const graph::Schema& schema, const graph::Graph& graph,
                                   const std::vector<ingest::Gap>& gaps);

// Exposure, environment and priority of a task definition from the graph around it.
Context ContextOf(const graph::Graph& graph, graph::NodeIndex task_definition);

// The graph names (labels, relationship types, property keys; sorted) that BuildFindings and
// ContextOf read besides what the checks read: the resource's identity and source position,
// tags, and the graph around a task definition its exposure and environment come from. A graph
// projected to the checks' names plus these gives the same findings as the whole graph. (IaC
// nodes' "<field>@line" positions are read for the fields the checks read.)
std::vector<std::string> GraphNamesRead();

// Orders findings: status (FAIL, NOT_EVALUATED, EXCEPTED, PASS), priority, severity, control,
// resource.
void SortFindings(std::vector<Finding>* findings);

}  // namespace ecsguard::posture
