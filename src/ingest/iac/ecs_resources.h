#pragma once

// The ECS resources besides task definitions that controls read (ECS.2, 10, 12, 16, 19):
// services, clusters, task sets and capacity providers, from CloudFormation properties or
// Terraform arguments (a .tf resource or a plan's values) to the nodes and properties the live
// and snapshot readers fill (schemas/aws.graphql), with the values in the API's spelling:
//
//   service           assignPublicIp (ENABLED / DISABLED), launchType, platformVersion (LATEST
//                     when not set: CloudFormation, Terraform and ECS default to it)
//   cluster           ECSSetting nodes (key, value) over HAS_SETTING; none when not set
//   task set          assignPublicIp, launchType, platformVersion
//   capacity provider autoScalingGroupArn, managedTerminationProtection (DISABLED when the Auto
//                     Scaling group provider does not set it, as ECS defaults it)
//
// Terraform's assign_public_ip is a Boolean: true is ENABLED. A value that cannot be known is
// marked unknown with its reason, as task_definition.h does, so a control reading it cannot PASS.
//
//   EcsResource r(*kind);  // from CloudFormationEcsKind(type) or TerraformEcsKind(type)
//   r.id = ...;
//   MapEcsResource(props, Syntax::kCloudFormation, &eval, &r);
//   Commit(std::move(r), graph, result);

#include <array>
#include <optional>
#include <string_view>
#include <vector>

#include "ingest/iac/task_definition.h"

namespace ecsguard::ingest::iac {

// Every resource type the IaC readers read: its CloudFormation and Terraform types, its node
// label and what messages call its resources.
struct ReadType {
  std::string_view cloudformation, terraform, label, plural;
};
inline constexpr std::array<ReadType, 5> kReadTypes = {{
    {"AWS::ECS::TaskDefinition", "aws_ecs_task_definition", "ECSTaskDefinition",
     "task definitions"},
    {"AWS::ECS::Service", "aws_ecs_service", "ECSService", "services"},
    {"AWS::ECS::Cluster", "aws_ecs_cluster", "ECSCluster", "clusters"},
    {"AWS::ECS::TaskSet", "aws_ecs_task_set", "ECSTaskSet", "task sets"},
    {"AWS::ECS::CapacityProvider", "aws_ecs_capacity_provider", "ECSCapacityProvider",
     "capacity providers"},
}};

// The types of kReadTypes but the task definition, in its order.
enum class EcsKind : uint8_t { kService = 1, kCluster, kTaskSet, kCapacityProvider };

// The kind of an AWS::ECS::Service, Cluster, TaskSet or CapacityProvider; nothing for other types.
std::optional<EcsKind> CloudFormationEcsKind(std::string_view type);
// The kind of an aws_ecs_service, _cluster, _task_set or _capacity_provider.
std::optional<EcsKind> TerraformEcsKind(std::string_view type);

enum class Syntax : uint8_t { kCloudFormation, kTerraform };

struct EcsResource : Resource {
  explicit EcsResource(EcsKind k);
  EcsKind kind;
  std::vector<Child> settings;  // a cluster's ClusterSettings / setting blocks
};

// Reads `props` (a map: Properties, or a Terraform resource's arguments and blocks).
void MapEcsResource(const Node& props, Syntax syntax, Evaluator* eval, EcsResource* r);

// Writes the resource as nodes with their unknown markers, or as a Gap when it has blockers.
void Commit(EcsResource r, graph::Graph* graph, IacResult* result);

}  // namespace ecsguard::ingest::iac
