#pragma once

// `terraform show -json` output: plans (planned_values, resource_changes) and states (values),
// including resources in child modules.

#include <string>

#include "ingest/iac/document.h"
#include "ingest/iac/iac.h"

namespace ecsguard::ingest::iac {

// A map with format_version and planned_values, resource_changes or values.
bool IsTerraformPlan(const Node& doc);

// Adds the aws_ecs_task_definition resources the plan creates, updates or keeps. Values that the
// plan marks as known only after apply make the resource a Gap when a control reads them.
void ReadTerraformPlan(const Node& doc, const std::string& file, graph::Graph* graph,
                       IacResult* result);

}  // namespace ecsguard::ingest::iac
