#include "remediate/scp.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "base/arn.h"

namespace ecsguard::remediate {
namespace {

// Keys in the order IAM documents them: Version, Statement; Sid, Effect, Action, Resource, ...
using PolicyJson = nlohmann::ordered_json;

// arn:PARTITION:iam::ACCOUNT:role/PATH/NAME; `*` may stand for the account (the same role in
// every account) or part of the name, as ArnLike matches.
bool IsRoleArnPattern(std::string_view text) {
  std::optional<Arn> arn = ParseArn(text);
  if (!arn || arn->service != "iam" || !arn->region.empty()) return false;
  if (!IsKnownPartition(arn->partition)) return false;
  bool account_ok = arn->account_id == "*" ||
                    (arn->account_id.size() == 12 &&
                     arn->account_id.find_first_not_of("0123456789") == std::string::npos);
  return account_ok && arn->resource.starts_with("role/") && arn->resource.size() > 5;
}

PolicyJson Statement(std::string_view sid, const std::vector<std::string_view>& actions,
                     const std::vector<std::string>& exempt) {
  PolicyJson statement = {{"Sid", sid}, {"Effect", "Deny"}, {"Action", actions}, {"Resource", "*"}};
  // ArnNotLike on the global key aws:PrincipalArn: denied unless the caller is one of these
  // roles (SCPs never apply to service-linked roles, so AWS's own automation is unaffected).
  if (!exempt.empty()) statement["Condition"] = {{"ArnNotLike", {{"aws:PrincipalArn", exempt}}}};
  return statement;
}

}  // namespace

const std::vector<std::string_view>& ScpDeploymentActions() {
  static const std::vector<std::string_view> kActions = {"ecs:RegisterTaskDefinition",
                                                         "ecs:CreateService", "ecs:UpdateService"};
  return kActions;
}

const std::vector<std::string_view>& ScpConfigActions() {
  static const std::vector<std::string_view> kActions = {"config:StopConfigurationRecorder",
                                                         "config:DeleteConfigurationRecorder",
                                                         "config:DeleteDeliveryChannel",
                                                         "config:DeleteConformancePack",
                                                         "config:DeleteOrganizationConformancePack",
                                                         "config:PutConformancePack",
                                                         "config:PutOrganizationConformancePack"};
  return kActions;
}

Result<std::string> ServiceControlPolicy(const ScpOptions& options) {
  for (const auto* roles : {&options.deployment_roles, &options.security_roles}) {
    for (const std::string& role : *roles) {
      if (!IsRoleArnPattern(role)) {
        return Error(ErrorCode::kInvalidArgument,
                     fmt::format("\"{}\" is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME; "
                                 "ACCOUNT may be *)",
                                 role));
      }
    }
  }
  PolicyJson statements = PolicyJson::array();
  if (!options.deployment_roles.empty()) {
    statements.push_back(Statement("EcsguardDeployOnlyThroughThePipeline", ScpDeploymentActions(),
                                   options.deployment_roles));
  }
  statements.push_back(
      Statement("EcsguardKeepAwsConfigRecording", ScpConfigActions(), options.security_roles));
  PolicyJson policy = {{"Version", "2012-10-17"}, {"Statement", statements}};
  std::string text = policy.dump(2) + "\n";
  // Organizations counts the document as sent; the written file is what the commands send.
  if (text.size() > kScpMaxCharacters) {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("the policy is {} characters ({} minified), over the {} an SCP may "
                             "have: name fewer roles, or match them with a * pattern",
                             text.size(), policy.dump().size(), kScpMaxCharacters));
  }
  return text;
}

std::string ServiceControlPolicyCommands(const ScpOptions& options, std::string_view policy_file) {
  std::string out = fmt::format(
      R"(# Service control policy written by `ecsguard guardrails scp` (docs/guardrails.md).
# Run in the organization's management account (or a delegated policy administrator).
# SCPs must be enabled once:
#   aws organizations enable-policy-type --root-id ROOT_ID --policy-type SERVICE_CONTROL_POLICY
aws organizations create-policy \
  --type SERVICE_CONTROL_POLICY \
  --name {} \
  --description "ecsguard: ECS deployments only through the pipeline; AWS Config stays on" \
  --content file://{}
# Attach it to an organizational unit first (or the root: ROOT_ID), and check a deployment
# still works before widening it. POLICY_ID is the Policy.PolicySummary.Id printed above.
aws organizations attach-policy --policy-id POLICY_ID --target-id OU_ID
)",
      options.policy_name, policy_file);
  if (options.deployment_roles.empty()) {
    out +=
        "# No --deployment-role: this policy does not restrict who registers task definitions.\n";
  }
  if (options.security_roles.empty()) {
    out +=
        "# No --security-role: no principal in the member accounts may stop or delete AWS "
        "Config.\n";
  }
  return out;
}

}  // namespace ecsguard::remediate
