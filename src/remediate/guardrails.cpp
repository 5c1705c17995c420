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

}  // namespace

const std::vector<ManagedRule>& ConformancePackRules() {
  static const std::vector<ManagedRule> kRules = {
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
  return kRules;
}

std::string ConformancePackTemplate(const ConformancePackOptions& options) {
  std::string out = fmt::format(
      R"(# AWS Config conformance pack written by `ecsguard guardrails conformance-pack`.
# Guardrail for ECS task definitions whose containers run privileged or as root, above all in
# host network mode. The managed rules judge the latest ACTIVE revision of each family, in use
# or not, and count only a missing user or the literal "root" as root; see docs/guardrails.md
# for what they miss compared with ecsguard's controls.
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
