#pragma once

// Organization guardrails as a service control policy (SCP). IAM has no condition key for a
// container's `privileged` flag or a task definition's `networkMode`, so no SCP can forbid the
// setting itself. What one can do: let only named deployment roles register task definitions
// and create or update services, so every registration passes through the pipeline that runs
// `ecsguard scan iac`; and keep anyone but a security role from stopping or deleting AWS
// Config, which keeps finding the problem. docs/guardrails.md says what this does not cover.
//
//   ScpOptions options{.deployment_roles = {"arn:aws:iam::*:role/ecs-deploy"},
//                      .security_roles = {"arn:aws:iam::*:role/security-admin"}};
//   ASSIGN_OR_RETURN(std::string policy, ServiceControlPolicy(options));  // JSON text
//   std::string script = ServiceControlPolicyCommands(options, "ecsguard-scp.json");

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace ecsguard::remediate {

struct ScpOptions {
  // Principals allowed to register task definitions and create or update services. Empty: the
  // policy leaves ECS alone (and says so).
  std::vector<std::string> deployment_roles;
  // Principals allowed to stop, delete or replace AWS Config's recorder, delivery channel and
  // conformance packs. Empty: nobody in the member accounts may (as AWS's own example SCP).
  std::vector<std::string> security_roles;
  std::string policy_name = "ecsguard-ecs-guardrails";
};

// The size Organizations accepts for one SCP document, in characters.
inline constexpr size_t kScpMaxCharacters = 5120;

// The actions each statement denies, in the order written.
const std::vector<std::string_view>& ScpDeploymentActions();
const std::vector<std::string_view>& ScpConfigActions();

// The policy document (JSON, two-space indent). A role that is not an IAM role ARN
// (arn:PARTITION:iam::ACCOUNT:role/NAME, `*` allowed in the account and the name) is
// kInvalidArgument; a document over kScpMaxCharacters, even minified, is kInvalidArgument
// naming its size (use wildcards or fewer roles).
Result<std::string> ServiceControlPolicy(const ScpOptions& options);

// The AWS CLI commands that create the policy from `policy_file` and attach it to a root or
// organizational unit, as a shell script with comments.
std::string ServiceControlPolicyCommands(const ScpOptions& options, std::string_view policy_file);

}  // namespace ecsguard::remediate
