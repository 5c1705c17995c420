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
  pack->callback([o] { o->command = "conformance-pack"; });

  CLI::App* scp = cmd->add_subcommand(
      "scp",
      "Write a service control policy: only deployment roles register task definitions and "
      "create or update services; only security roles stop or delete AWS Config "
      "(docs/guardrails.md says what an SCP cannot enforce)");
  scp->add_option("-o,--output", o->output, "Write the policy to FILE");
  scp->add_option("--deployment-role", o->deployment_roles,
                  "IAM role ARN allowed to register task definitions and create or update "
                  "services (repeatable; * allowed, e.g. arn:aws:iam::*:role/ecs-deploy)");
  scp->add_option("--security-role", o->security_roles,
                  "IAM role ARN allowed to stop or delete AWS Config and its conformance packs "
                  "(repeatable; none: nobody in the member accounts)");
  scp->add_option("--policy-name", o->policy_name, "Policy name in the printed commands");
  scp->callback([o] { o->command = "scp"; });

  CLI::App* guard = cmd->add_subcommand(
      "cfn-guard",
      "Write AWS CloudFormation Guard rules translated from the task-definition controls' iac "
      "checks, for cfn-guard in a pipeline or a CloudFormation Hook");
  guard->add_option("-o,--output", o->output, "Write the rules to FILE");
  guard->add_option("--control", o->controls,
                    "Control id or alias to translate (repeatable); default: every control "
                    "with an iac check on task definitions, default or not");
  guard->add_option("--controls-dir", o->controls_dir,
                    "Load the catalog from DIR instead of the bundled one");
  guard->callback([o] { o->command = "cfn-guard"; });
}

namespace {

// Writes `text` to -o FILE and `commands` to stdout, or `text` to stdout and `commands` to
// stderr.
int Emit(const GuardrailsOptions& o, const std::string& text, const std::string& commands, Io& io) {
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

int RunScp(const GuardrailsOptions& o, Io& io) {
  if (o.policy_name.empty()) return UsageError(io, "--policy-name must not be empty");
  remediate::ScpOptions options;
  options.deployment_roles = o.deployment_roles;
  options.security_roles = o.security_roles;
  options.policy_name = o.policy_name;
  Result<std::string> policy = remediate::ServiceControlPolicy(options);
  if (!policy.ok()) return Fail(io, policy.error());
  return Emit(o, *policy,
              remediate::ServiceControlPolicyCommands(
                  options, o.output.empty() ? "ecsguard-scp.json" : o.output),
              io);
}

int RunCfnGuard(const GuardrailsOptions& o, Io& io) {
  auto schema = LoadSchema("");
  if (!schema.ok()) return Fail(io, schema.error());
  auto catalog = LoadCatalog(o.controls_dir, *schema);
  if (!catalog.ok()) return Fail(io, catalog.error());
  std::vector<const controls::Control*> selected;
  if (o.controls.empty()) {
    for (const controls::Control& c : catalog->controls()) selected.push_back(&c);
  } else {
    auto named = catalog->Select(o.controls);
    if (!named.ok()) return Fail(io, named.error());
    selected = std::move(named).value();
  }
  remediate::GuardRules rules = remediate::CfnGuardRules(selected);
  for (const remediate::GuardRules::Skipped& s : rules.skipped) {
    io.err << fmt::format("ecsguard: warning: {} has no Guard rule: {}\n", s.control_id, s.reason);
  }
  if (rules.rules.empty()) {
    return Fail(io, Error(ErrorCode::kInvalidArgument,
                          "no selected control has an iac check on task definitions that "
                          "translates to Guard"));
  }
  std::string file = o.output.empty() ? "ecsguard.guard" : o.output;
  std::string commands = fmt::format(
      "# {} Guard rule(s) written by `ecsguard guardrails cfn-guard` (docs/guardrails.md).\n"
      "cfn-guard validate --rules {} --data TEMPLATE.yaml\n",
      rules.rules.size(), file);
  return Emit(o, rules.text, commands, io);
}

}  // namespace

int RunGuardrails(const GuardrailsOptions& o, Io& io) {
  if (o.command == "scp") return RunScp(o, io);
  if (o.command == "cfn-guard") return RunCfnGuard(o, io);
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
  return Emit(o, text, remediate::ConformancePackCommands(options), io);
}

}  // namespace ecsguard::cli
