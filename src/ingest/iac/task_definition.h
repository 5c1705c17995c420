#pragma once

// The part every IaC reader shares: from a task definition's properties (already located in a
// template, a Terraform resource or a plan) to graph nodes. A field whose value cannot be known
// is marked unknown with its reason (graph.h: kUnknownSuffix), so that a control decides
// whenever the unknown cannot change its verdict; only a resource that cannot be read at all
// (its whole Properties unknown, a template CloudFormation rejects) becomes a Gap. Readers differ
// only in how they evaluate expressions (Evaluator) and in the spelling of keys (FieldNames).

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "ingest/iac/document.h"
#include "ingest/iac/iac.h"

namespace ecsguard::ingest::iac {

// What an expression evaluates to statically.
struct Outcome {
  enum class State : uint8_t { kValue, kNoValue, kUnresolved };
  State state = State::kValue;
  Node value;           // kValue
  std::string reason;   // kUnresolved: e.g. "!Ref IsPrivileged, a parameter with no default"
  bool nested = false;  // kUnresolved: the cause is inside the expression, not the expression

  static Outcome Value(Node n) { return {State::kValue, std::move(n), {}, false}; }
  static Outcome NoValue() { return {State::kNoValue, {}, {}, false}; }
  static Outcome Unresolved(std::string why) { return {State::kUnresolved, {}, std::move(why)}; }
  bool ok() const { return state == State::kValue; }
};

class Evaluator {
 public:
  virtual ~Evaluator() = default;
  // Replaces an expression at the top of `n` by its value; children may still be expressions.
  virtual Outcome Shallow(const Node& n) = 0;
  // Evaluates `n` and everything inside it.
  virtual Outcome Deep(const Node& n) = 0;
};

// Evaluates values in which only Node::Kind::kUnknown is unresolvable (Terraform, plans).
class UnknownEvaluator final : public Evaluator {
 public:
  Outcome Shallow(const Node& n) override;
  Outcome Deep(const Node& n) override;
};

// How a reader spells the keys it maps.
struct FieldNames {
  bool ignore_case = false;  // container JSON is matched case-insensitively, as ECS's API does
  // Task level.
  std::string_view network_mode, family, cpu, memory, pid_mode, ipc_mode, task_role_arn,
      execution_role_arn, requires_compatibilities, tags;
  // runtimePlatform and volumes (task level).
  std::string_view runtime_platform, os_family, volumes, volume_name, efs_volume, efs_file_system,
      transit_encryption, host_volume, docker_volume, fsx_volume;
  // Container level.
  std::string_view name, image, privileged, user, read_only_root_fs, essential, c_cpu, c_memory,
      port_mappings, host_port, container_port, environment, env_name, env_value, log_configuration,
      log_driver;
};
extern const FieldNames kCloudFormationNames;  // PascalCase, exact
extern const FieldNames kTerraformNames;       // snake_case task level, camelCase containers

using PropValue =
    std::variant<bool, int64_t, std::string, std::vector<std::string>, std::vector<int64_t>>;

struct Prop {
  std::string key;
  PropValue value;
  Position pos;  // of the key, when known
};

// A field (or relationship: "containerSpecs", "envEntries") whose value cannot be known.
struct Unknown {
  std::string prop;
  std::string reason;  // "User of container 'web' is !Ref P, a parameter with no default"
};

struct EnvEntry {
  std::string key;
  std::optional<std::string> value;
  std::string value_unknown;  // why the value cannot be known, if it cannot
};

struct ContainerSpec {
  std::string label;  // the container's name, or its 0-based index when it has none
  Position pos;
  std::vector<Prop> props;
  std::vector<Unknown> unknowns;
  std::vector<EnvEntry> env;
};

// A task-definition volume: name, type (host, docker, efs, fsxWindowsFileServer) and, for EFS,
// fileSystemId and transitEncryption.
struct Volume {
  std::vector<Prop> props;
  std::vector<Unknown> unknowns;
};

// One task definition on its way into the graph.
struct TaskDefinition {
  std::string id;      // "<path>#<logical id or address>"
  std::string name;    // logical id or address
  std::string source;  // "cloudformation", "terraform", "terraform-plan"
  SourceLocation location;
  std::vector<Prop> props;
  std::vector<ContainerSpec> containers;
  std::vector<Volume> volumes;
  // Fields that cannot be known: marked unknown on the node ("containerSpecs" when the container
  // list is not, or not entirely, known), and named in unresolvedFields.
  std::vector<Unknown> unknowns;
  std::vector<std::string> unresolved;  // fields left absent (unresolvedFields)
  std::vector<std::string> blockers;    // why it cannot be read at all (it becomes a Gap)
  // Its values may quote files read by file() or templatefile(): reports quote only a short
  // prefix of them (the nodes get `valuesFromFile`).
  bool values_from_file = false;
};

// Reads the task-level fields of `props` (a map) except the container list.
void MapTaskFields(const Node& props, const FieldNames& names, Evaluator* eval, TaskDefinition* td);

// Reads a container list. `where` locates the list for values that carry no position (container
// JSON inside a Terraform string); `positions_are_real` says whether the list's own positions
// are file positions.
void MapContainers(const Node& list, const FieldNames& names, Evaluator* eval, TaskDefinition* td,
                   bool positions_are_real = true, Position where = {});

// Reads Terraform's container_definitions value: a JSON string (as jsonencode, a heredoc, file()
// or a plan produce it) or an already decoded list. Containers are located at `where`.
void MapContainerDefinitionsValue(const Node& value, Position where, TaskDefinition* td);

// Writes the task definition as nodes with their unknown markers, or as a Gap when it has
// blockers.
void Commit(TaskDefinition td, graph::Graph* graph, IacResult* result);

// "Privileged of container 'web' is !Ref P, a parameter with no default".
std::string Describe(std::string_view field, const Outcome& o);

}  // namespace ecsguard::ingest::iac
