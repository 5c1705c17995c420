#pragma once

// ingest/iac: turns infrastructure code into the asset graph the controls run on, so a
// host-mode task definition with a privileged or root container is caught before it ships.
//
// Inputs are files or folders (walked recursively in sorted order; .git, node_modules and
// .terraform are skipped). CloudFormation (JSON or YAML, SAM, CDK's cdk.out/*.template.json) is
// recognised by content: a top-level `Resources` map whose entries have a `Type` string, or an
// `AWSTemplateFormatVersion`. Terraform is read from `.tf` and `.tf.json` files, one module per
// folder, following local modules (`source = "./..."`) with their inputs. `terraform show -json`
// output (plan or state) is recognised by `format_version` plus `planned_values`,
// `resource_changes` or `values`. Every AWS::ECS::TaskDefinition / aws_ecs_task_definition becomes
// an ECSTaskDefinition node with its ECSTaskContainerSpec and ECSEnvEntry nodes
// (schemas/aws.graphql); services, clusters, task sets and capacity providers become ECSService,
// ECSCluster (with ECSSetting nodes), ECSTaskSet and ECSCapacityProvider nodes
// (ingest/iac/ecs_resources.h); ids
// `<path>#<logical id>` or `<path>#<resource address>` with paths relative to `options.root`
// (a Terraform module instance's resources: `<root module folder>#module.a.<address>`),
// and the source file, line and column of the resource, of each container and of each property a
// check may point at (`privileged@line`, `privileged@column`, ...).
//
// What is statically knowable is resolved (parameters and variables with defaults, conditions,
// Fn::Sub/Join/Select/Split/FindInMap/If, locals, jsonencode, file, templatefile). A property
// that cannot be resolved (network mode, the container list, privileged, user, ...) is marked
// unknown on its node with the reason (graph.h: kUnknownSuffix) and named in `unresolvedFields`;
// the controls then decide whenever the unknown cannot change the verdict and report
// NOT_EVALUATED naming it otherwise (query::Query::Decide) — never a PASS that an unknown could
// turn into a FAIL. A resource that cannot be read at all is a Gap with the reason.
// Files that do not parse are `problems` (file:line:col) and the other files are still read.
// Inline suppressions (`# ecsguard:ignore <control> reason="..." owner="..." expires=YYYY-MM-DD`
// comments and CloudFormation `Metadata.ecsguard.ignore`) are returned as written; deciding
// whether one is complete and unexpired is the caller's job.
// Thread-safety: LoadIac is reentrant; the result is owned by the caller. Never throws.
//
//   ingest::IacOptions options;
//   options.root = repo_dir;
//   ingest::IacResult r = ingest::LoadIac({"infra/", "cdk.out"}, options);
//   for (const Error& e : r.problems) Log(e.ToString());
//   for (const ingest::Gap& g : r.gaps) Log(g.location, g.reason);
//   ASSIGN_OR_RETURN(auto eval, Evaluate(control, schema, r.graph, controls::Mode::kIac));

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "graph/graph.h"
#include "ingest/gap.h"

namespace ecsguard::ingest {

// An inline suppression, parsed faithfully; fields left out are empty.
struct Suppression {
  std::string control_id;
  std::string resource_id;  // the asset id it applies to: "<path>#<logical id or address>"
  std::string reason;
  std::string owner;
  std::string expires;  // as written; meant to be YYYY-MM-DD
  SourceLocation location;
};

struct IacResult {
  graph::Graph graph;           // frozen
  std::vector<Error> problems;  // unreadable or malformed files, stray suppression comments
  // Resources that could not be evaluated, sorted by id, each with where it is declared.
  std::vector<Gap> gaps;
  std::vector<Suppression> suppressions;  // sorted by resource id, then location
  size_t files = 0;                       // files read as CloudFormation/Terraform/plan
};

// Terraform's -var-file=FILE and -var NAME=VALUE.
struct TerraformVariableArgument {
  enum class Kind : uint8_t { kFile, kAssignment };
  Kind kind = Kind::kAssignment;
  std::string text;  // the file's path, or NAME=VALUE
};

struct IacOptions {
  // Ids and locations are relative to this directory ("" means the current directory), and
  // Terraform's file() and templatefile() read only inside it.
  std::string root;
  // CloudFormation parameter values (override Default); Terraform root-module variable values
  // (override default).
  std::map<std::string, std::string> parameters;
  // Applied to every Terraform root module in order, after its terraform.tfvars and
  // *.auto.tfvars files and before `parameters`, as Terraform applies its -var-file and -var.
  std::vector<TerraformVariableArgument> terraform_variables;
  // Files larger than this are a problem, not read.
  size_t max_file_bytes = size_t{64} << 20;
};

// Reads files or folders. A path that does not exist, or a named file that is none of the
// recognised kinds, is a problem.
IacResult LoadIac(const std::vector<std::string>& paths, const IacOptions& options = {});

// Reads `text` as if it were the content of the file `name` (tests, fuzzing, stdin). `name`'s
// extension decides Terraform (.tf, .tf.json); anything else is recognised by content.
IacResult LoadIacText(std::string_view text, std::string_view name, const IacOptions& options = {});

}  // namespace ecsguard::ingest
