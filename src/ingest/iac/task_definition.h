#pragma once

// The part every IaC reader shares: from a resource's properties (already located in a
// template, a Terraform resource or a plan) to graph nodes; the task definition's mapping is here,
// that of the other ECS resources in ecs_resources.h. A field whose value cannot be known
// is marked unknown with its reason (graph.h: kUnknownSuffix), so that a control decides
// whenever the unknown cannot change its verdict; only a resource that cannot be read at all
// (its whole Properties unknown, a template CloudFormation rejects) becomes a Gap. Readers differ
// only in how they evaluate expressions (Evaluator) and in the spelling of keys (FieldNames).

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
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

// A node below a resource (a task-definition volume: name, type and, for EFS, fileSystemId and
// transitEncryption; a cluster setting: key and value) with its props and unknowns.
struct Child {
  std::vector<Prop> props;
  std::vector<Unknown> unknowns;
};
using Volume = Child;

// One resource on its way into the graph: a node labelled `type` (schemas/aws.graphql).
struct Resource {
  std::string type;
  std::string id;      // "<path>#<logical id or address>"
  std::string name;    // logical id or address
  std::string source;  // "cloudformation", "terraform", "terraform-plan"
  SourceLocation location;
  std::vector<Prop> props;
  // Fields that cannot be known: marked unknown on the node ("containerSpecs" when the container
  // list is not, or not entirely, known), and named in unresolvedFields.
  std::vector<Unknown> unknowns;
  std::vector<std::string> unresolved;  // fields left absent (unresolvedFields)
  std::vector<std::string> blockers;    // why it cannot be read at all (it becomes a Gap)
  // Its values may quote files read by file() or templatefile(): reports quote only a short
  // prefix of them (the nodes get `valuesFromFile`).
  bool values_from_file = false;
};

// One task definition on its way into the graph.
struct TaskDefinition : Resource {
  TaskDefinition() { type = "ECSTaskDefinition"; }
  std::vector<ContainerSpec> containers;
  std::vector<Volume> volumes;
};

enum class FieldType : uint8_t { kString, kBool, kInt, kStringList };

// A field's value after evaluation and type conversion.
struct Field {
  enum class State : uint8_t { kAbsent, kValue, kUnresolved, kInvalid };
  State state = State::kAbsent;
  PropValue value;
  Position pos;
  std::string reason;  // kUnresolved / kInvalid: complete sentence fragment after the field name
};

// Reads the value at `path` of `map`: every key but the last names a nested configuration (a
// CloudFormation map, a Terraform block: a list of one map), evaluated shallowly so that an
// unknown value beside the field does not hide it; the last is evaluated fully and converted.
// Absent when a configuration on the way is absent or null. Positioned at the field's key, or at
// the outermost configuration's key when the value has no position of its own.
Field ReadPath(const Node& map, const std::vector<std::string_view>& path, bool ignore_case,
               FieldType type, Evaluator* eval);

// Stores a field as the prop `prop` in `props`, or marks it unknown in `unknowns` with why
// (`field_desc` names it in the reason, `listed` in r's unresolvedFields).
void Store(Field f, std::string_view prop, std::string_view field_desc, std::string listed,
           std::vector<Prop>* props, std::vector<Unknown>* unknowns, Resource* r);

// Records that `prop` cannot be known, and why; a second reason for the same prop (two
// containers of an unknown list) is added to the first.
void AddUnknown(std::vector<Unknown>* unknowns, std::string_view prop, std::string reason);

// Evaluates `list_expr`, a list of maps (containers, volumes, cluster settings), and calls `each`
// with every item that is a map: its index, the map, and how messages name it ("<item> #<n>").
// Tells `unknown` why the list is not entirely known: the list unknown or not a list (`what`
// names it), an item unknown or not a map. An absent or null list has no items.
void ForEachMap(const Node& list_expr, Evaluator* eval, std::string_view what,
                std::string_view item, const std::function<void(std::string)>& unknown,
                const std::function<void(size_t, const Node&, std::string)>& each);

// The value of the prop `key`; null when it is not set.
const PropValue* FindProp(const std::vector<Prop>& props, std::string_view key);

// Whether `prop` is marked unknown.
bool IsUnknown(const std::vector<Unknown>& unknowns, std::string_view prop);

// "a list", "a map", ... for messages.
std::string_view KindName(Node::Kind k);

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

// Writes the resource as a node with its unknown markers, or as a Gap (of its type) when it has
// blockers; the node, if written.
std::optional<graph::NodeIndex> CommitResource(const Resource& r, graph::Graph* graph,
                                               IacResult* result);

// Adds `child` below `parent` as a node labelled `label` with id `id`, by an edge `edge`.
void AddChild(graph::Graph* graph, graph::NodeIndex parent, std::string_view edge,
              std::string_view label, const std::string& id, const Child& child);

// Writes the task definition as nodes with their unknown markers, or as a Gap when it has
// blockers.
void Commit(TaskDefinition td, graph::Graph* graph, IacResult* result);

// "Privileged of container 'web' is !Ref P, a parameter with no default".
std::string Describe(std::string_view field, const Outcome& o);

}  // namespace ecsguard::ingest::iac
