#pragma once

// Terraform configurations (.tf, and .tf.json in Terraform's JSON syntax): aws_ecs_task_definition
// resources of every root module, with locals, variables (defaults or overrides), file(),
// templatefile() and jsonencode() evaluated by the HCL evaluator (ingest/iac/hcl), and modules
// followed with their inputs and outputs: local ones, and registry or git ones that
// `terraform init` downloaded (.terraform/modules/modules.json of the root module).

#include <filesystem>
#include <functional>
#include <set>
#include <string>
#include <string_view>

#include "ingest/iac/iac.h"

namespace ecsguard::ingest::iac {

// Whether a file of this name is Terraform configuration: `.tf` or `.tf.json`.
bool IsTerraformFile(std::string_view name);

// Reads the modules in `dirs` (each a folder of .tf and .tf.json files). A folder that another
// folder in `dirs` calls as a local module is read only through its callers, with their inputs;
// `.terraform` folders are never in `dirs`, only read through modules.json.
// `rel` turns a path into the repository-relative form used in ids.
void ReadTerraform(const std::set<std::filesystem::path>& dirs, const IacOptions& options,
                   const std::function<std::string(const std::filesystem::path&)>& rel,
                   graph::Graph* graph, IacResult* result);

// Reads `text` as a one-file root module called `file` (tests, fuzzing); `file`'s extension
// decides the syntax.
void ReadTerraformText(std::string_view text, const std::string& file, const IacOptions& options,
                       graph::Graph* graph, IacResult* result);

}  // namespace ecsguard::ingest::iac
