#include "cli/guardrails_command.h"

#include <fmt/format.h>

#include "base/file.h"
#include "cli/commands.h"
#include "remediate/remediate.h"

namespace ecsguard::cli {

void AddGuardrailsCommand(CLI::App* app, GuardrailsOptions* o) {
  CLI::App* cmd = app->add_subcommand("guardrails", "Service-wide guardrails");
  cmd->require_subcommand(1);
  CLI::App* pack = cmd->add_subcommand(
      "conformance-pack",
      "Write an AWS Config conformance pack (ECS host mode, privileged and root containers) and "
      "print the commands that deploy it (docs/guardrails.md)");
  pack->add_option("-o,--output", o->output, "Write the template to FILE");
  pack->add_flag("--organization", o->organization,
                 "Deploy to every account of the organization (put-organization-conformance-pack)");
  pack->add_option("--pack-name", o->pack_name, "Conformance pack name");
  pack->add_option("--bucket", o->bucket, "Upload the template to this S3 bucket first");
  pack->add_option("--skip-inactive", o->skip_inactive,
                   "SkipInactiveTaskDefinitions for the host-mode rule: true (default) or false");
}

int RunGuardrails(const GuardrailsOptions& o, Io& io) {
  if (o.skip_inactive != "true" && o.skip_inactive != "false") {
    return UsageError(io, "--skip-inactive: use true or false");
  }
  if (o.pack_name.empty()) return UsageError(io, "--pack-name must not be empty");
  remediate::ConformancePackOptions options;
  options.pack_name = o.pack_name;
  options.organization = o.organization;
  options.bucket = o.bucket;
  options.skip_inactive = o.skip_inactive == "true";
  if (!o.output.empty()) options.template_file = o.output;
  std::string text = remediate::ConformancePackTemplate(options);
  std::string commands = remediate::ConformancePackCommands(options);
  if (o.output.empty()) {
    io.out << text;
    io.err << commands;
    return kExitOk;
  }
  if (auto written = WriteFileAtomically(o.output, text, FileMode::kShared); !written.ok()) {
    return Fail(io, written.error());
  }
  io.err << "ecsguard: wrote " << o.output << "\n";
  io.out << commands;
  return kExitOk;
}

}  // namespace ecsguard::cli
