#pragma once

// Service-wide guardrails: an AWS Config conformance pack with the managed rules closest to
// ecsguard's controls, and the commands that deploy it to an account or an organization.
// docs/guardrails.md says what each rule catches and where it disagrees with the controls.

#include <string>
#include <vector>

namespace ecsguard::remediate {

struct ConformancePackOptions {
  std::string pack_name = "ecsguard-ecs-host-mode";
  bool organization = false;  // put-organization-conformance-pack
  std::string bucket;         // upload the template to s3://bucket/<file> when set
  std::string template_file = "ecsguard-conformance-pack.yaml";  // path the commands refer to
  bool skip_inactive = true;  // SkipInactiveTaskDefinitions default
};

// The conformance pack template (CloudFormation YAML, passes cfn-lint): rules
// ECS_TASK_DEFINITION_USER_FOR_HOST_MODE_CHECK (parameter SkipInactiveTaskDefinitions),
// ECS_CONTAINERS_NONPRIVILEGED and ECS_TASK_DEFINITION_NONROOT_USER.
std::string ConformancePackTemplate(const ConformancePackOptions& options);

// The AWS CLI commands that deploy it (with comments on prerequisites), as a shell script.
std::string ConformancePackCommands(const ConformancePackOptions& options);

struct ManagedRule {
  std::string identifier;  // ECS_CONTAINERS_NONPRIVILEGED
  std::string name;        // ecs-containers-nonprivileged
  std::string logical_id;  // EcsContainersNonprivileged
  std::vector<std::string> parameters;
};
const std::vector<ManagedRule>& ConformancePackRules();

}  // namespace ecsguard::remediate
