#pragma once

// Internal to cli/: `ecsguard guardrails conformance-pack | scp | cfn-guard`, the service-wide
// guardrails (docs/guardrails.md).

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "cli/app.h"

namespace ecsguard::cli {

struct GuardrailsOptions {
  std::string command;  // the subcommand given: "conformance-pack", "scp" or "cfn-guard"
  std::string output;   // -o FILE: the document goes there and the commands to stdout
  bool organization = false;
  std::string pack_name = "ecsguard-ecs-host-mode";
  std::string bucket;
  std::string skip_inactive = "true";
  // scp
  std::vector<std::string> deployment_roles;
  std::vector<std::string> security_roles;
  std::string policy_name = "ecsguard-ecs-guardrails";
  // cfn-guard
  std::vector<std::string> controls;  // empty: every control with an iac check
  std::string controls_dir;
};

void AddGuardrailsCommand(CLI::App* app, GuardrailsOptions* options);

// Without -o the document (template, policy) goes to stdout and the deployment commands to
// stderr. Exit codes: 0,
// or 3 for a bad option or an unwritable file.
int RunGuardrails(const GuardrailsOptions& options, Io& io);

}  // namespace ecsguard::cli
