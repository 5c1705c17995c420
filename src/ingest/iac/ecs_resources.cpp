#include "ingest/iac/ecs_resources.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <string>

namespace ecsguard::ingest::iac {
namespace {

// How each syntax spells what is read. CloudFormation's task set writes AwsVpcConfiguration where
// its service writes AwsvpcConfiguration (both as the resource specification has them).
struct Names {
  std::string_view launch_type, platform_version, network_configuration, awsvpc_service,
      awsvpc_task_set, assign_public_ip, subnets, settings, setting_name, setting_value,
      asg_provider, asg_arn, termination_protection;
};

constexpr Names kCloudFormation = {
    .launch_type = "LaunchType",
    .platform_version = "PlatformVersion",
    .network_configuration = "NetworkConfiguration",
    .awsvpc_service = "AwsvpcConfiguration",
    .awsvpc_task_set = "AwsVpcConfiguration",
    .assign_public_ip = "AssignPublicIp",
    .subnets = "Subnets",
    .settings = "ClusterSettings",
    .setting_name = "Name",
    .setting_value = "Value",
    .asg_provider = "AutoScalingGroupProvider",
    .asg_arn = "AutoScalingGroupArn",
    .termination_protection = "ManagedTerminationProtection",
};

constexpr Names kTerraform = {
    .launch_type = "launch_type",
    .platform_version = "platform_version",
    .network_configuration = "network_configuration",
    .awsvpc_service = "",
    .awsvpc_task_set = "",
    .assign_public_ip = "assign_public_ip",
    .subnets = "subnets",
    .settings = "setting",
    .setting_name = "name",
    .setting_value = "value",
    .asg_provider = "auto_scaling_group_provider",
    .asg_arn = "auto_scaling_group_arn",
    .termination_protection = "managed_termination_protection",
};

// A top-level string field.
void ReadTopLevel(const Node& props, std::string_view key, std::string_view prop, Evaluator* eval,
                  EcsResource* r) {
  Store(ReadPath(props, {key}, false, FieldType::kString, eval), prop, key, std::string(prop),
        &r->props, &r->unknowns, r);
}

// Launch type and platform version; a platform version left out is LATEST unless the launch type
// is known to be another than FARGATE (left out, a capacity provider strategy may run Fargate).
void ReadPlatform(const Node& props, const Names& n, Evaluator* eval, EcsResource* r) {
  ReadTopLevel(props, n.launch_type, "launchType", eval, r);
  ReadTopLevel(props, n.platform_version, "platformVersion", eval, r);
  const PropValue* launch_type = FindProp(r->props, "launchType");
  if (!FindProp(r->props, "platformVersion") && !IsUnknown(r->unknowns, "platformVersion") &&
      (launch_type == nullptr || std::get<std::string>(*launch_type) == "FARGATE")) {
    r->props.push_back({"platformVersion", std::string("LATEST"), {}});
  }
}

// NetworkConfiguration.Awsvpc(or AwsVpc)Configuration.AssignPublicIp, Terraform's
// network_configuration { assign_public_ip = true }; DISABLED where the configuration leaves it
// out (ECS's default, and the Terraform argument's). The subnets are required, so the
// configuration is there when they are, known or not.
void ReadAssignPublicIp(const Node& props, Syntax syntax, std::string_view awsvpc, Evaluator* eval,
                        EcsResource* r) {
  bool cfn = syntax == Syntax::kCloudFormation;
  const Names& n = cfn ? kCloudFormation : kTerraform;
  auto path = [&](std::string_view key) {
    return cfn ? std::vector<std::string_view>{n.network_configuration, awsvpc, key}
               : std::vector<std::string_view>{n.network_configuration, key};
  };
  Field f = ReadPath(props, path(n.assign_public_ip), false,
                     cfn ? FieldType::kString : FieldType::kBool, eval);
  if (f.state == Field::State::kValue && !cfn) {
    f.value = std::string(std::get<bool>(f.value) ? "ENABLED" : "DISABLED");
  }
  if (f.state == Field::State::kAbsent &&
      ReadPath(props, path(n.subnets), false, FieldType::kStringList, eval).state !=
          Field::State::kAbsent) {
    f.state = Field::State::kValue;
    f.value = std::string("DISABLED");
  }
  std::vector<std::string_view> keys = path(n.assign_public_ip);
  Store(std::move(f), "assignPublicIp", fmt::format("{}", fmt::join(keys, ".")), "assignPublicIp",
        &r->props, &r->unknowns, r);
}

// ClusterSettings / setting blocks, each a node with key and value. A list that is not known,
// or not entirely, makes hasECSSettings unknown: a setting may be there or not.
void ReadSettings(const Node& props, const Names& n, Evaluator* eval, EcsResource* r) {
  auto index = props.IndexOf(n.settings);
  if (!index) return;
  auto unknown = [&](std::string reason) {
    r->unresolved.push_back("settings");
    AddUnknown(&r->unknowns, "hasECSSettings", std::move(reason));
  };
  ForEachMap(props.items[*index], eval, n.settings, "setting", unknown,
             [&](size_t i, const Node& item, const std::string& desc) {
               Child setting;
               Store(ReadPath(item, {n.setting_name}, false, FieldType::kString, eval), "key",
                     fmt::format("{} of {}", n.setting_name, desc),
                     fmt::format("settings[{}].key", i), &setting.props, &setting.unknowns, r);
               Store(ReadPath(item, {n.setting_value}, false, FieldType::kString, eval), "value",
                     fmt::format("{} of {}", n.setting_value, desc),
                     fmt::format("settings[{}].value", i), &setting.props, &setting.unknowns, r);
               r->settings.push_back(std::move(setting));
             });
}

// The Auto Scaling group provider's group and managed termination protection, DISABLED when the
// provider leaves it out. The group is required, so a provider is there when it is, known or not.
void ReadCapacityProvider(const Node& props, const Names& n, Evaluator* eval, EcsResource* r) {
  Field arn = ReadPath(props, {n.asg_provider, n.asg_arn}, false, FieldType::kString, eval);
  bool has_provider = arn.state != Field::State::kAbsent;
  Store(std::move(arn), "autoScalingGroupArn", fmt::format("{}.{}", n.asg_provider, n.asg_arn),
        "autoScalingGroupArn", &r->props, &r->unknowns, r);
  Field protection =
      ReadPath(props, {n.asg_provider, n.termination_protection}, false, FieldType::kString, eval);
  if (protection.state == Field::State::kAbsent && has_provider) {
    protection.state = Field::State::kValue;
    protection.value = std::string("DISABLED");
  }
  Store(std::move(protection), "managedTerminationProtection",
        fmt::format("{}.{}", n.asg_provider, n.termination_protection),
        "managedTerminationProtection", &r->props, &r->unknowns, r);
}

}  // namespace

std::optional<EcsKind> CloudFormationEcsKind(std::string_view type) {
  for (size_t i = 1; i < kReadTypes.size(); ++i) {
    if (kReadTypes[i].cloudformation == type) return static_cast<EcsKind>(i);
  }
  return std::nullopt;
}

std::optional<EcsKind> TerraformEcsKind(std::string_view type) {
  for (size_t i = 1; i < kReadTypes.size(); ++i) {
    if (kReadTypes[i].terraform == type) return static_cast<EcsKind>(i);
  }
  return std::nullopt;
}

EcsResource::EcsResource(EcsKind k) : kind(k) { type = kReadTypes[static_cast<size_t>(k)].label; }

void MapEcsResource(const Node& props, Syntax syntax, Evaluator* eval, EcsResource* r) {
  const Names& n = syntax == Syntax::kCloudFormation ? kCloudFormation : kTerraform;
  switch (r->kind) {
    case EcsKind::kService:
      ReadPlatform(props, n, eval, r);
      ReadAssignPublicIp(props, syntax, n.awsvpc_service, eval, r);
      return;
    case EcsKind::kTaskSet:
      ReadPlatform(props, n, eval, r);
      ReadAssignPublicIp(props, syntax, n.awsvpc_task_set, eval, r);
      return;
    case EcsKind::kCluster:
      ReadSettings(props, n, eval, r);
      return;
    case EcsKind::kCapacityProvider:
      ReadCapacityProvider(props, n, eval, r);
      return;
  }
}

void Commit(EcsResource r, graph::Graph* graph, IacResult* result) {
  std::optional<graph::NodeIndex> node = CommitResource(r, graph, result);
  if (!node) return;
  for (size_t i = 0; i < r.settings.size(); ++i) {
    AddChild(graph, *node, "HAS_SETTING", "ECSSetting", fmt::format("{}#setting/{}", r.id, i),
             r.settings[i]);
  }
}

}  // namespace ecsguard::ingest::iac
