#pragma once

// What the shape readers extract from one AWS object before it goes into the graph. Strings are
// views into the parser's buffers: a record is valid until the next document is parsed. Records
// are reused from one object to the next (Clear keeps vector capacity), so reading allocates
// nothing per field. Nested lists are flattened into the parent with [begin, end) ranges.

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace ecsguard::ingest::snapshot_internal {

using OptStr = std::optional<std::string_view>;
using OptInt = std::optional<int64_t>;
using OptBool = std::optional<bool>;

// awscli prints timestamps as ISO 8601 strings or as epoch seconds, depending on its version and
// configuration; the graph stores ISO 8601.
struct Timestamp {
  OptStr text;
  std::optional<double> epoch_seconds;
  void Clear() { *this = {}; }
};

struct KeyValue {
  std::string_view key, value;
};

// Tags are absent unless the CLI was asked for them (--include TAGS): absent is not empty.
struct Tags {
  bool present = false;
  std::vector<KeyValue> items;
  void Clear() {
    present = false;
    items.clear();
  }
};

struct Range {
  uint32_t begin = 0, end = 0;
};

struct EnvRecord {
  OptStr name, value;
};

// A container's secret: its name and where ECS reads it; a secret has no value in the API.
struct SecretRecord {
  OptStr name, value_from;
};

struct ContainerRecord {
  OptStr name, image, user, log_driver;
  OptBool privileged, read_only_root_fs, essential;
  OptInt cpu, memory;
  Range env;         // into TaskDefinitionRecord::env
  Range secrets;     // into TaskDefinitionRecord::secrets
  Range host_ports;  // into TaskDefinitionRecord::host_ports
};

struct VolumeRecord {
  OptStr name, type, efs_file_system_id, transit_encryption;
};

struct TaskDefinitionRecord {
  OptStr arn, family, status, network_mode, pid_mode, ipc_mode, cpu, memory, task_role_arn,
      execution_role_arn, operating_system_family;
  OptInt revision;
  Timestamp registered_at;
  bool has_requires_compatibilities = false;
  std::vector<std::string_view> requires_compatibilities;
  std::vector<ContainerRecord> containers;
  std::vector<EnvRecord> env;
  std::vector<SecretRecord> secrets;
  std::vector<VolumeRecord> volumes;
  std::vector<int64_t> host_ports;
  Tags tags;
  void Clear() {
    arn = family = status = network_mode = pid_mode = ipc_mode = cpu = memory = task_role_arn =
        execution_role_arn = operating_system_family = std::nullopt;
    revision.reset();
    registered_at.Clear();
    has_requires_compatibilities = false;
    requires_compatibilities.clear();
    containers.clear();
    env.clear();
    secrets.clear();
    volumes.clear();
    host_ports.clear();
    tags.Clear();
  }
};

struct TaskRecord {
  OptStr arn, cluster_arn, container_instance_arn, task_definition_arn, last_status, desired_status,
      launch_type, group;
  Timestamp started_at;
  Tags tags;
  void Clear() {
    arn = cluster_arn = container_instance_arn = task_definition_arn = last_status =
        desired_status = launch_type = group = std::nullopt;
    started_at.Clear();
    tags.Clear();
  }
};

// A task set, from describe-services' taskSets or describe-task-sets.
struct TaskSetRecord {
  OptStr arn, service_arn, cluster_arn, status, launch_type, platform_version, task_definition,
      assign_public_ip;
  void Clear() {
    arn = service_arn = cluster_arn = status = launch_type = platform_version = task_definition =
        assign_public_ip = std::nullopt;
  }
};

struct ServiceRecord {
  OptStr arn, name, cluster_arn, status, launch_type, platform_version, task_definition,
      assign_public_ip;
  OptInt desired_count, running_count;
  std::vector<std::string_view> deployment_task_definitions;
  std::vector<std::string_view> target_group_arns;
  std::vector<TaskSetRecord> task_sets;
  Tags tags;
  void Clear() {
    arn = name = cluster_arn = status = launch_type = platform_version = task_definition =
        assign_public_ip = std::nullopt;
    desired_count.reset();
    running_count.reset();
    deployment_task_definitions.clear();
    target_group_arns.clear();
    task_sets.clear();
    tags.Clear();
  }
};

struct ClusterRecord {
  OptStr arn, name, status;
  // Settings are printed only with --include SETTINGS: absent is unknown, not "none".
  bool has_settings = false;
  std::vector<KeyValue> settings;
  Tags tags;
  void Clear() {
    arn = name = status = std::nullopt;
    has_settings = false;
    settings.clear();
    tags.Clear();
  }
};

struct CapacityProviderRecord {
  OptStr arn, name, status, auto_scaling_group_arn, managed_termination_protection;
  Tags tags;
  void Clear() {
    arn = name = status = auto_scaling_group_arn = managed_termination_protection = std::nullopt;
    tags.Clear();
  }
};

struct ContainerInstanceRecord {
  OptStr arn, ec2_instance_id, status;
  Tags tags;
  void Clear() {
    arn = ec2_instance_id = status = std::nullopt;
    tags.Clear();
  }
};

struct GroupRef {
  OptStr id, name;
};

struct InstanceRecord {
  OptStr instance_id, availability_zone, state, public_ip, private_ip, vpc_id;
  bool has_tags = false;
  Range tags;             // into ReservationRecord::tags
  Range security_groups;  // into ReservationRecord::security_groups
};

// One Reservations[] item of ec2 describe-instances: the account is on the reservation.
struct ReservationRecord {
  OptStr owner_id;
  std::vector<InstanceRecord> instances;
  std::vector<KeyValue> tags;
  std::vector<GroupRef> security_groups;
  void Clear() {
    owner_id.reset();
    instances.clear();
    tags.clear();
    security_groups.clear();
  }
};

struct IngressRule {
  OptStr protocol;
  OptInt from_port, to_port;
  std::string_view source;  // a CIDR, a security group id or a prefix list id
  bool open_to_internet = false;
};

struct SecurityGroupRecord {
  OptStr group_id, name, owner_id, vpc_id, arn;
  bool has_ingress = false;
  std::vector<IngressRule> ingress;
  void Clear() {
    group_id = name = owner_id = vpc_id = arn = std::nullopt;
    has_ingress = false;
    ingress.clear();
  }
};

struct LoadBalancerRecord {
  OptStr arn, name, scheme, type, dns_name, vpc_id;
  void Clear() { arn = name = scheme = type = dns_name = vpc_id = std::nullopt; }
};

struct TargetGroupRecord {
  OptStr arn, name, target_type, vpc_id;
  OptInt port;
  std::vector<std::string_view> load_balancer_arns;
  void Clear() {
    arn = name = target_type = vpc_id = std::nullopt;
    port.reset();
    load_balancer_arns.clear();
  }
};

// One TagDescriptions[] item of elbv2 describe-tags.
struct TagDescriptionRecord {
  OptStr resource_arn;
  Tags tags;
  void Clear() {
    resource_arn.reset();
    tags.Clear();
  }
};

// One failures[] item of an ecs describe-* output.
struct FailureRecord {
  OptStr arn, reason, detail;
  void Clear() { arn = reason = detail = std::nullopt; }
};

}  // namespace ecsguard::ingest::snapshot_internal
