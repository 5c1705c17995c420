#include "remediate/guardrails.h"

#include <fmt/format.h>

#include "remediate/render.h"

namespace ecsguard::remediate {
namespace {

constexpr char kSkipInactiveParameter[] =
    "EcsTaskDefinitionUserForHostModeCheckParamSkipInactiveTaskDefinitions";

std::string FileName(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// The managed rules behind the rest of the Security Hub ECS family (controls/aws-securityhub-*),
// written after the host-mode rules above, one resource each.
struct FamilyRule {
  const char* identifier;
  const char* name;
  const char* logical_id;
  const char* resource_type;
  const char* description;
  const char* parameter;  // "name: value" of its one input parameter, or ""
};
constexpr FamilyRule kFamilyRules[] = {
    {"ECS_TASK_DEFINITION_PID_MODE_CHECK", "ecs-task-definition-pid-mode-check",
     "EcsTaskDefinitionPidModeCheck", "AWS::ECS::TaskDefinition",
     "Task definitions must not share the host's process namespace (Security Hub ECS.3).", ""},
    {"ECS_CONTAINERS_READONLY_ACCESS", "ecs-containers-readonly-access",
     "EcsContainersReadonlyAccess", "AWS::ECS::TaskDefinition",
     "Containers must have a read-only root filesystem (Security Hub ECS.5).", ""},
    {"ECS_TASK_DEFINITION_NETWORK_MODE_NOT_HOST", "ecs-task-definition-network-mode-not-host",
     "EcsTaskDefinitionNetworkModeNotHost", "AWS::ECS::TaskDefinition",
     "Task definitions must not use host network mode (Security Hub ECS.17).", ""},
    {"ECS_TASK_DEFINITION_LINUX_USER_NON_ROOT", "ecs-task-definition-linux-user-non-root",
     "EcsTaskDefinitionLinuxUserNonRoot", "AWS::ECS::TaskDefinition",
     "Linux containers must set a user other than root (Security Hub ECS.20).", ""},
    {"ECS_TASK_DEFINITION_WINDOWS_USER_NON_ADMIN", "ecs-task-definition-windows-user-non-admin",
     "EcsTaskDefinitionWindowsUserNonAdmin", "AWS::ECS::TaskDefinition",
     "Windows containers must set a non-administrator user (Security Hub ECS.21).", ""},
    {"ECS_NO_ENVIRONMENT_SECRETS", "ecs-no-environment-secrets", "EcsNoEnvironmentSecrets",
     "AWS::ECS::TaskDefinition",
     "No AWS credentials in container environment variables (Security Hub ECS.8).",
     "secretKeys: AWS_ACCESS_KEY_ID,AWS_SECRET_ACCESS_KEY,ECS_ENGINE_AUTH_DATA"},
    {"ECS_TASK_DEFINITION_LOG_CONFIGURATION", "ecs-task-definition-log-configuration",
     "EcsTaskDefinitionLogConfiguration", "AWS::ECS::TaskDefinition",
     "Every container must have a log configuration (Security Hub ECS.9).", ""},
    {"ECS_TASK_DEFINITION_EFS_ENCRYPTION_ENABLED", "ecs-task-definition-efs-encryption-enabled",
     "EcsTaskDefinitionEfsEncryptionEnabled", "AWS::ECS::TaskDefinition",
     "EFS volumes must use in-transit encryption (Security Hub ECS.18).", ""},
    {"ECS_SERVICE_ASSIGN_PUBLIC_IP_DISABLED", "ecs-service-assign-public-ip-disabled",
     "EcsServiceAssignPublicIpDisabled", "AWS::ECS::Service",
     "Services must not assign public IP addresses (Security Hub ECS.2).", ""},
    {"ECS_FARGATE_LATEST_PLATFORM_VERSION", "ecs-fargate-latest-platform-version",
     "EcsFargateLatestPlatformVersion", "AWS::ECS::Service",
     "Fargate services must run the LATEST platform version (Security Hub ECS.10).", ""},
    {"ECS_TASK_SET_ASSIGN_PUBLIC_IP_DISABLED", "ecs-task-set-assign-public-ip-disabled",
     "EcsTaskSetAssignPublicIpDisabled", "AWS::ECS::TaskSet",
     "Task sets must not assign public IP addresses (Security Hub ECS.16).", ""},
    {"ECS_CONTAINER_INSIGHTS_ENABLED", "ecs-container-insights-enabled",
     "EcsContainerInsightsEnabled", "AWS::ECS::Cluster",
     "Clusters must have Container Insights on (Security Hub ECS.12).", ""},
    {"ECS_CAPACITY_PROVIDER_TERMINATION_CHECK", "ecs-capacity-provider-termination-check",
     "EcsCapacityProviderTerminationCheck", "AWS::ECS::CapacityProvider",
     "Auto Scaling group capacity providers must have managed termination protection "
     "(Security Hub ECS.19).",
     ""},
};

}  // namespace

const std::vector<ManagedRule>& ConformancePackRules() {
  static const std::vector<ManagedRule> kRules = [] {
    std::vector<ManagedRule> rules = {
        {"ECS_TASK_DEFINITION_USER_FOR_HOST_MODE_CHECK",
         "ecs-task-definition-user-for-host-mode-check",
         "EcsTaskDefinitionUserForHostModeCheck",
         {"SkipInactiveTaskDefinitions"}},
        {"ECS_CONTAINERS_NONPRIVILEGED",
         "ecs-containers-nonprivileged",
         "EcsContainersNonprivileged",
         {}},
        {"ECS_TASK_DEFINITION_NONROOT_USER",
         "ecs-task-definition-nonroot-user",
         "EcsTaskDefinitionNonrootUser",
         {}},
    };
    for (const FamilyRule& r : kFamilyRules) {
      std::string parameter = r.parameter;
      rules.push_back({r.identifier, r.name, r.logical_id,
                       parameter.empty()
                           ? std::vector<std::string>{}
                           : std::vector<std::string>{parameter.substr(0, parameter.find(':'))}});
    }
    return rules;
  }();
  return kRules;
}

std::string ConformancePackTemplate(const ConformancePackOptions& options) {
  std::string out = fmt::format(
      R"(# AWS Config conformance pack written by `ecsguard guardrails conformance-pack`.
# Guardrail for ECS task definitions whose containers run privileged or as root, above all in
# host network mode. The managed rules judge the latest ACTIVE revision of each family, in use
# or not, and count only a missing user or the literal "root" as root; see docs/guardrails.md
# for what they miss compared with ecsguard's controls. The managed rules of the rest of the
# Security Hub ECS family follow them (controls aws-securityhub-ecs-*).
AWSTemplateFormatVersion: "2010-09-09"
Description: ECS host-mode containers must not run privileged or as root (ecsguard guardrail)
Parameters:
  {0}:
    Type: String
    Default: "{1}"
    AllowedValues:
      - "true"
      - "false"
    Description: >-
      true: do not evaluate INACTIVE (deregistered) task definitions with the host-mode rule.
Resources:
  EcsTaskDefinitionUserForHostModeCheck:
    Type: AWS::Config::ConfigRule
    Properties:
      ConfigRuleName: ecs-task-definition-user-for-host-mode-check
      Description: >-
        Host network mode task definitions (latest ACTIVE revision) must not have a container
        that is not privileged and runs as root or with no user. A privileged container passes
        this rule; ECS_CONTAINERS_NONPRIVILEGED below catches it.
      InputParameters:
        SkipInactiveTaskDefinitions: !Ref {0}
      Scope:
        ComplianceResourceTypes:
          - AWS::ECS::TaskDefinition
      Source:
        Owner: AWS
        SourceIdentifier: ECS_TASK_DEFINITION_USER_FOR_HOST_MODE_CHECK
  EcsContainersNonprivileged:
    Type: AWS::Config::ConfigRule
    Properties:
      ConfigRuleName: ecs-containers-nonprivileged
      Description: >-
        No container of a task definition (latest ACTIVE revision, any network mode) may set
        privileged to true.
      Scope:
        ComplianceResourceTypes:
          - AWS::ECS::TaskDefinition
      Source:
        Owner: AWS
        SourceIdentifier: ECS_CONTAINERS_NONPRIVILEGED
  EcsTaskDefinitionNonrootUser:
    Type: AWS::Config::ConfigRule
    Properties:
      ConfigRuleName: ecs-task-definition-nonroot-user
      Description: >-
        Every container of a task definition (latest ACTIVE revision, EC2 launch type) must
        name a user other than root.
      Scope:
        ComplianceResourceTypes:
          - AWS::ECS::TaskDefinition
      Source:
        Owner: AWS
        SourceIdentifier: ECS_TASK_DEFINITION_NONROOT_USER
)",
      kSkipInactiveParameter, options.skip_inactive ? "true" : "false");
  for (const FamilyRule& r : kFamilyRules) {
    out += fmt::format(
        "  {}:\n    Type: AWS::Config::ConfigRule\n    Properties:\n      ConfigRuleName: {}\n"
        "      Description: >-\n        {}\n",
        r.logical_id, r.name, r.description);
    if (*r.parameter) out += fmt::format("      InputParameters:\n        {}\n", r.parameter);
    out += fmt::format(
        "      Scope:\n        ComplianceResourceTypes:\n          - {}\n      Source:\n"
        "        Owner: AWS\n        SourceIdentifier: {}\n",
        r.resource_type, r.identifier);
  }
  return out;
}

std::string ConformancePackCommands(const ConformancePackOptions& options) {
  std::string file = options.template_file;
  std::string parameters = fmt::format("ParameterName={},ParameterValue={}", kSkipInactiveParameter,
                                       options.skip_inactive ? "true" : "false");
  std::string source;
  std::string out = "#!/bin/sh\n# Deploy the ecsguard conformance pack.\nset -eu\n";
  if (!options.bucket.empty()) {
    std::string uri = fmt::format("s3://{}/{}", options.bucket, FileName(file));
    out += fmt::format("aws s3 cp {} {}\n", ShellQuote(file), ShellQuote(uri));
    source = "--template-s3-uri " + ShellQuote(uri);
  } else {
    source = "--template-body " + ShellQuote("file://" + file);
  }
  if (options.organization) {
    out +=
        "# Run in the management account (or a Config delegated administrator). Every member\n"
        "# account needs an AWS Config recorder that records AWS::ECS::TaskDefinition, and\n"
        "# Organizations must trust AWS Config once:\n"
        "#   aws organizations enable-aws-service-access --service-principal "
        "config-multiaccountsetup.amazonaws.com\n";
    out += fmt::format(
        "aws configservice put-organization-conformance-pack --organization-conformance-pack-name "
        "{} {} --conformance-pack-input-parameters {}\n",
        ShellQuote(options.pack_name), source, parameters);
    out += fmt::format(
        "aws configservice describe-organization-conformance-pack-statuses "
        "--organization-conformance-pack-names {}\n",
        ShellQuote(options.pack_name));
  } else {
    out +=
        "# Needs an AWS Config recorder in this account and region that records\n"
        "# AWS::ECS::TaskDefinition. For every account of an organization use --organization.\n";
    out += fmt::format(
        "aws configservice put-conformance-pack --conformance-pack-name {} {} "
        "--conformance-pack-input-parameters {}\n",
        ShellQuote(options.pack_name), source, parameters);
    out += fmt::format(
        "aws configservice describe-conformance-pack-compliance --conformance-pack-name {}\n",
        ShellQuote(options.pack_name));
  }
  return out;
}

}  // namespace ecsguard::remediate
