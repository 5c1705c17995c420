#pragma once

// Internal to cli/: `ecsguard guardrails conformance-pack`, the service-wide guardrail.

#include <CLI/CLI.hpp>

#include <string>

#include "cli/app.h"

namespace ecsguard::cli {

struct GuardrailsOptions {
  std::string output;  // -o FILE: the template goes there and the commands to stdout
  bool organization = false;
  std::string pack_name = "ecsguard-ecs-host-mode";
  std::string bucket;
  std::string skip_inactive = "true";
};

void AddGuardrailsCommand(CLI::App* app, GuardrailsOptions* options);

// Without -o the template goes to stdout and the deployment commands to stderr. Exit codes: 0,
// or 3 for a bad option or an unwritable file.
int RunGuardrails(const GuardrailsOptions& options, Io& io);

}  // namespace ecsguard::cli
