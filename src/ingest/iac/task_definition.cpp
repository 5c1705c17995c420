#include "ingest/iac/task_definition.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "base/strings.h"

namespace ecsguard::ingest::iac {

const FieldNames kCloudFormationNames = {
    .ignore_case = false,
    .network_mode = "NetworkMode",
    .family = "Family",
    .cpu = "Cpu",
    .memory = "Memory",
    .pid_mode = "PidMode",
    .ipc_mode = "IpcMode",
    .task_role_arn = "TaskRoleArn",
    .execution_role_arn = "ExecutionRoleArn",
    .requires_compatibilities = "RequiresCompatibilities",
    .tags = "Tags",
    .runtime_platform = "RuntimePlatform",
    .os_family = "OperatingSystemFamily",
    .volumes = "Volumes",
    .volume_name = "Name",
    .efs_volume = "EFSVolumeConfiguration",
    .efs_file_system = "FilesystemId",
    .transit_encryption = "TransitEncryption",
    .host_volume = "Host",
    .docker_volume = "DockerVolumeConfiguration",
    .fsx_volume = "FSxWindowsFileServerVolumeConfiguration",
    .name = "Name",
    .image = "Image",
    .privileged = "Privileged",
    .user = "User",
    .read_only_root_fs = "ReadonlyRootFilesystem",
    .essential = "Essential",
    .c_cpu = "Cpu",
    .c_memory = "Memory",
    .port_mappings = "PortMappings",
    .host_port = "HostPort",
    .container_port = "ContainerPort",
    .environment = "Environment",
    .env_name = "Name",
    .env_value = "Value",
    .log_configuration = "LogConfiguration",
    .log_driver = "LogDriver",
};

const FieldNames kTerraformNames = {
    .ignore_case = true,
    .network_mode = "network_mode",
    .family = "family",
    .cpu = "cpu",
    .memory = "memory",
    .pid_mode = "pid_mode",
    .ipc_mode = "ipc_mode",
    .task_role_arn = "task_role_arn",
    .execution_role_arn = "execution_role_arn",
    .requires_compatibilities = "requires_compatibilities",
    .tags = "tags",
    .runtime_platform = "runtime_platform",
    .os_family = "operating_system_family",
    .volumes = "volume",
    .volume_name = "name",
    .efs_volume = "efs_volume_configuration",
    .efs_file_system = "file_system_id",
    .transit_encryption = "transit_encryption",
    .host_volume = "host_path",
    .docker_volume = "docker_volume_configuration",
    .fsx_volume = "fsx_windows_file_server_volume_configuration",
    .name = "name",
    .image = "image",
    .privileged = "privileged",
    .user = "user",
    .read_only_root_fs = "readonlyRootFilesystem",
    .essential = "essential",
    .c_cpu = "cpu",
    .c_memory = "memory",
    .port_mappings = "portMappings",
    .host_port = "hostPort",
    .container_port = "containerPort",
    .environment = "environment",
    .env_name = "name",
    .env_value = "value",
    .log_configuration = "logConfiguration",
    .log_driver = "logDriver",
};

namespace {

// Unknown values say why they are unknown ("var.x has no default", "known only after apply").
Outcome UnknownOutcome(const Node& n) {
  return Outcome::Unresolved(fmt::format("unknown ({})", n.text));
}

Outcome FirstUnknown(const Node& n) {
  if (n.kind == Node::Kind::kUnknown) return UnknownOutcome(n);
  for (const Node& child : n.items) {
    Outcome o = FirstUnknown(child);
    if (!o.ok()) return o;
  }
  return Outcome::Value({});
}

}  // namespace

std::string_view KindName(Node::Kind k) {
  switch (k) {
    case Node::Kind::kList:
      return "a list";
    case Node::Kind::kMap:
      return "a map";
    case Node::Kind::kBool:
      return "a Boolean";
    case Node::Kind::kInt:
    case Node::Kind::kFloat:
      return "a number";
    case Node::Kind::kString:
      return "a string";
    default:
      return "null";
  }
}

namespace {

Field Convert(const Node& v, FieldType type) {
  Field f;
  f.state = Field::State::kValue;
  auto invalid = [&](std::string why) {
    f.state = Field::State::kInvalid;
    f.reason = std::move(why);
    return f;
  };
  if (v.kind == Node::Kind::kNull) {
    f.state = Field::State::kAbsent;
    return f;
  }
  switch (type) {
    case FieldType::kString:
      if (!v.is_scalar()) return invalid(fmt::format("{}, not a string", KindName(v.kind)));
      f.value = v.text;  // numbers keep their source text: User: 0 is "0"
      return f;
    case FieldType::kBool:
      if (v.kind == Node::Kind::kBool) {
        f.value = v.boolean;
        return f;
      }
      if (v.kind == Node::Kind::kString && EqualsIgnoreCase(v.text, "true")) {
        f.value = true;
        return f;
      }
      if (v.kind == Node::Kind::kString && EqualsIgnoreCase(v.text, "false")) {
        f.value = false;
        return f;
      }
      return invalid(fmt::format("{}, not a Boolean", Render(v)));
    case FieldType::kInt:
      if (auto i = v.AsInt()) {
        f.value = *i;
        return f;
      }
      return invalid(fmt::format("{}, not an integer", Render(v)));
    case FieldType::kStringList: {
      if (!v.is_list()) return invalid(fmt::format("{}, not a list", Render(v)));
      std::vector<std::string> out;
      for (const Node& item : v.items) {
        if (!item.is_scalar() || item.kind == Node::Kind::kNull) {
          return invalid(fmt::format("{}, not a list of strings", Render(v)));
        }
        out.push_back(item.text);
      }
      f.value = std::move(out);
      return f;
    }
  }
  return f;
}

// Looks `key` up in `map` (already a map) and evaluates it fully.
Field Read(const Node& map, std::string_view key, bool ignore_case, FieldType type,
           Evaluator* eval) {
  Field f;
  auto index = map.IndexOf(key, ignore_case);
  if (!index) return f;
  // ECS reads container JSON without regard to case, and which of two spellings (or two equal
  // keys, where a reader lets them through) it applies is not documented.
  std::vector<std::string> spellings;
  for (size_t i = *index; i < map.keys.size(); ++i) {
    if (ignore_case ? EqualsIgnoreCase(map.keys[i], key) : map.keys[i] == key) {
      spellings.push_back(map.keys[i]);
    }
  }
  if (spellings.size() > 1) {
    f.state = Field::State::kUnresolved;
    f.reason = fmt::format("has a duplicate key {} ({}): which one ECS applies is not documented",
                           key, Join(spellings, ", "));
    f.pos = map.key_pos[*index];
    return f;
  }
  Outcome o = eval->Deep(map.items[*index]);
  Position pos = map.key_pos[*index];
  if (o.state == Outcome::State::kNoValue) return f;
  if (!o.ok()) {
    f.state = Field::State::kUnresolved;
    f.reason = Describe("", o);
    f.pos = pos;
    return f;
  }
  f = Convert(o.value, type);
  f.pos = pos;
  if (f.state == Field::State::kInvalid) f.reason = "is " + f.reason;
  return f;
}

}  // namespace

// Records that `prop` cannot be known, and why; a second reason for the same prop (two
// containers of an unknown list) is added to the first.
void AddUnknown(std::vector<Unknown>* unknowns, std::string_view prop, std::string reason) {
  for (Unknown& u : *unknowns) {
    if (u.prop == prop) {
      u.reason += "; " + reason;
      return;
    }
  }
  unknowns->push_back({std::string(prop), std::move(reason)});
}

bool IsUnknown(const std::vector<Unknown>& unknowns, std::string_view prop) {
  return std::any_of(unknowns.begin(), unknowns.end(),
                     [&](const Unknown& u) { return u.prop == prop; });
}

namespace {

bool Unresolved(const Field& f) {
  return f.state == Field::State::kUnresolved || f.state == Field::State::kInvalid;
}

}  // namespace

void Store(Field f, std::string_view prop, std::string_view field_desc, std::string listed,
           std::vector<Prop>* props, std::vector<Unknown>* unknowns, Resource* r) {
  if (Unresolved(f)) {
    r->unresolved.push_back(std::move(listed));
    AddUnknown(unknowns, prop, fmt::format("{} {}", field_desc, f.reason));
  } else if (f.state == Field::State::kValue) {
    props->push_back({std::string(prop), std::move(f.value), f.pos});
  }
}

const PropValue* FindProp(const std::vector<Prop>& props, std::string_view key) {
  for (const Prop& p : props) {
    if (p.key == key) return &p.value;
  }
  return nullptr;
}

namespace {

// Tags: CloudFormation [{Key, Value}] or a Terraform map, as "key=value" strings.
void ReadTags(const Node& map, const FieldNames& names, Evaluator* eval, TaskDefinition* td) {
  auto index = map.IndexOf(names.tags, names.ignore_case);
  if (!index) return;
  Outcome o = eval->Deep(map.items[*index]);
  if (o.state == Outcome::State::kNoValue || o.value.kind == Node::Kind::kNull) return;
  if (!o.ok()) {
    td->unresolved.push_back("tags");
    AddUnknown(&td->unknowns, "tags", Describe(names.tags, o));
    return;
  }
  std::vector<std::string> tags;
  if (o.value.is_map()) {
    for (size_t i = 0; i < o.value.keys.size(); ++i) {
      tags.push_back(o.value.keys[i] + "=" + o.value.items[i].text);
    }
  } else if (o.value.is_list()) {
    for (const Node& t : o.value.items) {
      const Node* k = t.Find("Key");
      const Node* v = t.Find("Value");
      if (k && k->is_scalar()) tags.push_back(k->text + "=" + (v ? v->text : ""));
    }
  }
  td->props.push_back({"tags", std::move(tags), map.key_pos[*index]});
}

// A nested configuration: CloudFormation and container JSON write a map, Terraform a list of one
// block. Null when `v` is neither (an empty block list, null).
const Node* Single(const Node& v) {
  if (v.is_map()) return &v;
  if (v.is_list() && v.items.size() == 1 && v.items[0].is_map()) return &v.items[0];
  return nullptr;
}

// Reads `key` of the nested configuration `outer_key` of `map` (LogConfiguration.LogDriver) as
// the string prop `prop`; an unknown configuration makes the prop unknown.
void ReadNested(const Node& map, std::string_view outer_key, std::string_view key,
                std::string_view prop, const FieldNames& n, Evaluator* eval, std::string desc,
                std::string listed, std::vector<Prop>* props, std::vector<Unknown>* unknowns,
                TaskDefinition* td) {
  Store(ReadPath(map, {outer_key, key}, n.ignore_case, FieldType::kString, eval), prop,
        fmt::format("{}.{} of {}", outer_key, key, desc), std::move(listed), props, unknowns, td);
}

}  // namespace

void ForEachMap(const Node& list_expr, Evaluator* eval, std::string_view what,
                std::string_view item, const std::function<void(std::string)>& unknown,
                const std::function<void(size_t, const Node&, std::string)>& each) {
  Outcome list = eval->Shallow(list_expr);
  if (list.state == Outcome::State::kNoValue ||
      (list.ok() && list.value.kind == Node::Kind::kNull)) {
    return;
  }
  if (!list.ok()) return unknown(Describe(what, list));
  if (!list.value.is_list()) {
    return unknown(fmt::format("{} is {}, not a list", what, KindName(list.value.kind)));
  }
  for (size_t i = 0; i < list.value.items.size(); ++i) {
    Outcome o = eval->Shallow(list.value.items[i]);
    if (o.state == Outcome::State::kNoValue) continue;
    std::string desc = fmt::format("{} #{}", item, i + 1);
    if (!o.ok()) {
      unknown(Describe(desc, o));
    } else if (!o.value.is_map()) {
      unknown(fmt::format("{} is {}, not a map", desc, KindName(o.value.kind)));
    } else {
      each(i, o.value, std::move(desc));
    }
  }
}

Field ReadPath(const Node& map, const std::vector<std::string_view>& path, bool ignore_case,
               FieldType type, Evaluator* eval) {
  const Node* at = &map;
  // The configurations' evaluated values, which `at` points into.
  std::vector<Outcome> levels;
  levels.reserve(path.size());
  Position where;  // the key of the innermost configuration that has a position
  for (size_t i = 0; i + 1 < path.size(); ++i) {
    std::string_view key = path[i];
    auto index = at->IndexOf(key, ignore_case);
    if (!index) return {};
    if (at->key_pos[*index].line) where = at->key_pos[*index];
    // Shallow: an unknown value inside the configuration leaves only its own fields unknown.
    Outcome& o = levels.emplace_back(eval->Shallow(at->items[*index]));
    if (o.state == Outcome::State::kNoValue || (o.ok() && o.value.kind == Node::Kind::kNull)) {
      return {};
    }
    if (!o.ok()) {
      Field f;
      f.state = Field::State::kUnresolved;
      f.reason = Describe("", o);
      f.pos = where;
      return f;
    }
    at = Single(o.value);
    if (at == nullptr) return {};
  }
  Field f = Read(*at, path.back(), ignore_case, type, eval);
  if (f.state != Field::State::kAbsent && !f.pos.line) f.pos = where;
  return f;
}

namespace {

// Volumes: each one's name and type, and for EFS its file system and transit encryption.
void ReadVolumes(const Node& map, const FieldNames& n, Evaluator* eval, TaskDefinition* td) {
  auto index = map.IndexOf(n.volumes, n.ignore_case);
  if (!index) return;
  auto unknown = [&](std::string reason) {
    td->unresolved.push_back("volumes");
    AddUnknown(&td->unknowns, "volumes", std::move(reason));
  };
  ForEachMap(map.items[*index], eval, n.volumes, "volume", unknown,
             [&](size_t i, const Node& v, const std::string& desc) {
               Volume volume;
               Store(Read(v, n.volume_name, n.ignore_case, FieldType::kString, eval), "name",
                     n.volume_name, fmt::format("volumes[{}].name", i), &volume.props,
                     &volume.unknowns, td);
               auto has = [&](std::string_view key) {
                 auto k = v.IndexOf(key, n.ignore_case);
                 return k && v.items[*k].kind != Node::Kind::kNull &&
                        !(v.items[*k].is_list() && v.items[*k].items.empty());
               };
               std::string type = has(n.efs_volume)      ? "efs"
                                  : has(n.docker_volume) ? "docker"
                                  : has(n.fsx_volume)    ? "fsxWindowsFileServer"
                                  : has(n.host_volume)   ? "host"
                                                         : "";
               if (!type.empty()) volume.props.push_back({"type", type, {}});
               if (type == "efs") {
                 ReadNested(v, n.efs_volume, n.efs_file_system, "efsFileSystemId", n, eval, desc,
                            fmt::format("volumes[{}].efsFileSystemId", i), &volume.props,
                            &volume.unknowns, td);
                 ReadNested(v, n.efs_volume, n.transit_encryption, "transitEncryption", n, eval,
                            desc, fmt::format("volumes[{}].transitEncryption", i), &volume.props,
                            &volume.unknowns, td);
               }
               td->volumes.push_back(std::move(volume));
             });
}

}  // namespace

Outcome UnknownEvaluator::Shallow(const Node& n) {
  if (n.kind == Node::Kind::kUnknown) return UnknownOutcome(n);
  return Outcome::Value(n);
}

Outcome UnknownEvaluator::Deep(const Node& n) {
  Outcome o = FirstUnknown(n);
  if (!o.ok()) return o;
  return Outcome::Value(n);
}

std::string Describe(std::string_view field, const Outcome& o) {
  std::string text = fmt::format("{} {}", o.nested ? "depends on" : "is", o.reason);
  return field.empty() ? text : fmt::format("{} {}", field, text);
}

void MapTaskFields(const Node& props, const FieldNames& n, Evaluator* eval, TaskDefinition* td) {
  auto read = [&](std::string_view key, std::string_view prop, FieldType type) {
    if (key.empty()) return;
    Store(Read(props, key, n.ignore_case, type, eval), prop, key, std::string(prop), &td->props,
          &td->unknowns, td);
  };
  read(n.network_mode, "networkMode", FieldType::kString);
  read(n.family, "family", FieldType::kString);
  read(n.cpu, "cpu", FieldType::kString);
  read(n.memory, "memory", FieldType::kString);
  read(n.pid_mode, "pidMode", FieldType::kString);
  read(n.ipc_mode, "ipcMode", FieldType::kString);
  read(n.task_role_arn, "taskRoleArn", FieldType::kString);
  read(n.execution_role_arn, "executionRoleArn", FieldType::kString);
  read(n.requires_compatibilities, "requiresCompatibilities", FieldType::kStringList);
  ReadNested(props, n.runtime_platform, n.os_family, "operatingSystemFamily", n, eval,
             "the task definition", "operatingSystemFamily", &td->props, &td->unknowns, td);
  ReadVolumes(props, n, eval, td);
  ReadTags(props, n, eval, td);
}

void MapContainers(const Node& list_expr, const FieldNames& n, Evaluator* eval, TaskDefinition* td,
                   bool positions_are_real, Position where) {
  auto at = [&](Position p) { return positions_are_real && p.line ? p : where; };
  auto unknown_list = [&](std::string reason) {
    td->unresolved.push_back("containerSpecs");
    AddUnknown(&td->unknowns, "containerSpecs", std::move(reason));
  };
  const PropValue* host_mode = FindProp(td->props, "networkMode");
  bool host = host_mode && std::get<std::string>(*host_mode) == "host";
  // In host mode an omitted hostPort is the containerPort, so with the mode unknown so is it.
  bool mode_unknown = IsUnknown(td->unknowns, "networkMode");
  std::set<std::string> labels;
  ForEachMap(
      list_expr, eval, "the container list", "container", unknown_list,
      [&](size_t i, const Node& c, std::string desc) {
        ContainerSpec spec;
        spec.pos = at(c.pos);
        Field name = Read(c, n.name, n.ignore_case, FieldType::kString, eval);
        if (name.state == Field::State::kValue) {
          std::string label = std::get<std::string>(name.value);
          desc = fmt::format("container '{}'", label);
          if (labels.insert(label).second) spec.label = label;
          spec.props.push_back({"name", name.value, at(name.pos)});
        } else if (Unresolved(name)) {
          td->unresolved.push_back(fmt::format("containers[{}].name", i));
          AddUnknown(&spec.unknowns, "name", fmt::format("{} of {} {}", n.name, desc, name.reason));
        }
        if (spec.label.empty()) spec.label = std::to_string(i);
        auto read = [&](std::string_view key, std::string_view prop, FieldType type) {
          Field f = Read(c, key, n.ignore_case, type, eval);
          f.pos = at(f.pos);
          Store(std::move(f), prop, fmt::format("{} of {}", key, desc),
                fmt::format("containers[{}].{}", i, prop), &spec.props, &spec.unknowns, td);
        };
        read(n.image, "image", FieldType::kString);
        read(n.privileged, "privileged", FieldType::kBool);
        read(n.user, "user", FieldType::kString);
        read(n.read_only_root_fs, "readOnlyRootFS", FieldType::kBool);
        read(n.essential, "essential", FieldType::kBool);
        read(n.c_cpu, "cpu", FieldType::kInt);
        read(n.c_memory, "memory", FieldType::kInt);
        {
          size_t before = spec.props.size();
          ReadNested(c, n.log_configuration, n.log_driver, "logDriver", n, eval, desc,
                     fmt::format("containers[{}].logDriver", i), &spec.props, &spec.unknowns, td);
          for (size_t k = before; k < spec.props.size(); ++k)
            spec.props[k].pos = at(spec.props[k].pos);
        }

        // Host ports; in host mode an omitted hostPort is the containerPort.
        if (auto pm = c.IndexOf(n.port_mappings, n.ignore_case)) {
          Outcome o = eval->Deep(c.items[*pm]);
          std::vector<int64_t> ports;
          bool ok = o.ok() && (o.value.is_list() || o.value.kind == Node::Kind::kNull);
          bool depends_on_mode = false;
          for (size_t k = 0; ok && k < o.value.items.size(); ++k) {
            const Node& m = o.value.items[k];
            if (!m.is_map()) {
              ok = false;
              break;
            }
            auto hp = m.IndexOf(n.host_port, n.ignore_case);
            if (!hp && mode_unknown && m.IndexOf(n.container_port, n.ignore_case)) {
              depends_on_mode = true;
            }
            if (!hp && host) hp = m.IndexOf(n.container_port, n.ignore_case);
            if (!hp || m.items[*hp].kind == Node::Kind::kNull) continue;
            auto v = m.items[*hp].AsInt();
            if (!v) {
              ok = false;
              break;
            }
            ports.push_back(*v);
          }
          std::string field_desc = fmt::format("{} of {}", n.port_mappings, desc);
          if (ok && depends_on_mode) {
            td->unresolved.push_back(fmt::format("containers[{}].hostPorts", i));
            AddUnknown(&spec.unknowns, "hostPorts",
                       fmt::format("{} omit hostPort, which then depends on the network mode",
                                   field_desc));
          } else if (ok && o.state != Outcome::State::kNoValue) {
            spec.props.push_back({"hostPorts", std::move(ports), at(c.key_pos[*pm])});
          } else if (o.state != Outcome::State::kNoValue) {
            td->unresolved.push_back(fmt::format("containers[{}].hostPorts", i));
            AddUnknown(&spec.unknowns, "hostPorts",
                       o.ok() ? fmt::format("{} is not a list of port mappings with integer ports",
                                            field_desc)
                              : Describe(field_desc, o));
          }
        }

        if (auto env = c.IndexOf(n.environment, n.ignore_case)) {
          std::string field_desc = fmt::format("{} of {}", n.environment, desc);
          auto unknown_env = [&](std::string reason) {
            td->unresolved.push_back(fmt::format("containers[{}].environment", i));
            AddUnknown(&spec.unknowns, "envEntries", std::move(reason));
          };
          Outcome o = eval->Shallow(c.items[*env]);
          if (o.ok() && o.value.is_list()) {
            for (const Node& raw : o.value.items) {
              Outcome e = eval->Shallow(raw);
              if (e.state == Outcome::State::kNoValue) continue;
              if (!e.ok()) {
                unknown_env(Describe(field_desc + " has an entry that", e));
                continue;
              }
              if (!e.value.is_map()) {
                unknown_env(fmt::format("{} has an entry that is {}, not a map", field_desc,
                                        KindName(e.value.kind)));
                continue;
              }
              Field key = Read(e.value, n.env_name, n.ignore_case, FieldType::kString, eval);
              if (key.state != Field::State::kValue) {
                unknown_env(
                    fmt::format("{} has an entry whose {} {}", field_desc, n.env_name,
                                key.state == Field::State::kAbsent ? "is missing" : key.reason));
                continue;
              }
              Field value = Read(e.value, n.env_value, n.ignore_case, FieldType::kString, eval);
              EnvEntry entry{std::get<std::string>(key.value), std::nullopt, {}};
              if (value.state == Field::State::kValue) {
                entry.value = std::get<std::string>(value.value);
              } else if (Unresolved(value)) {
                td->unresolved.push_back(
                    fmt::format("containers[{}].environment.{}", i, entry.key));
                entry.value_unknown =
                    fmt::format("{} {} of {} {}", n.env_value, entry.key, desc, value.reason);
              }
              spec.env.push_back(std::move(entry));
            }
          } else if (o.state != Outcome::State::kNoValue &&
                     !(o.ok() && o.value.kind == Node::Kind::kNull)) {
            unknown_env(
                o.ok() ? fmt::format("{} is {}, not a list", field_desc, KindName(o.value.kind))
                       : Describe(field_desc, o));
          }
        }
        td->containers.push_back(std::move(spec));
      });
}

void MapContainerDefinitionsValue(const Node& value, Position where, TaskDefinition* td) {
  UnknownEvaluator eval;
  auto unknown_list = [&](std::string reason) {
    td->unresolved.push_back("containerSpecs");
    AddUnknown(&td->unknowns, "containerSpecs", std::move(reason));
  };
  if (value.kind == Node::Kind::kUnknown) {
    return unknown_list(fmt::format("container_definitions is unknown ({})", value.text));
  }
  if (value.kind == Node::Kind::kNull) return;
  if (value.kind != Node::Kind::kString) {
    MapContainers(value, kTerraformNames, &eval, td, /*positions_are_real=*/true, where);
    return;
  }
  auto list = ParseJson(value.text);
  if (!list.ok()) {
    return unknown_list(fmt::format("container_definitions is not valid JSON ({} at {}:{})",
                                    list.error().message(), list.error().location().line,
                                    list.error().location().column));
  }
  MapContainers(*list, kTerraformNames, &eval, td, /*positions_are_real=*/false, where);
}

namespace {

graph::Value ToValue(const PropValue& v, graph::Graph* g) {
  return std::visit(
      [g](const auto& x) -> graph::Value {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, bool>) {
          return graph::Value::Bool(x);
        } else if constexpr (std::is_same_v<T, int64_t>) {
          return graph::Value::Int(x);
        } else if constexpr (std::is_same_v<T, std::string>) {
          return g->String(x);
        } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
          std::vector<graph::Value> items;
          for (const std::string& s : x) items.push_back(g->String(s));
          return g->List(items);
        } else {
          std::vector<graph::Value> items;
          for (int64_t i : x) items.push_back(graph::Value::Int(i));
          return g->List(items);
        }
      },
      v);
}

void SetLocated(graph::Graph* g, graph::NodeIndex node, const Prop& p) {
  g->SetProp(node, p.key, ToValue(p.value, g));
  if (p.pos.line) {
    g->SetProp(node, p.key + "@line", graph::Value::Int(p.pos.line));
    g->SetProp(node, p.key + "@column", graph::Value::Int(p.pos.column));
  }
}

void SetUnknowns(graph::Graph* g, graph::NodeIndex node, const std::vector<Unknown>& unknowns) {
  for (const Unknown& u : unknowns) {
    g->SetProp(node, u.prop + std::string(graph::kUnknownSuffix), g->StoreString(u.reason));
  }
}

void SetSource(graph::Graph* g, graph::NodeIndex node, const std::string& file, Position pos) {
  g->SetProp(node, "sourceFile", g->String(file));
  if (pos.line) {
    g->SetProp(node, "sourceLine", graph::Value::Int(pos.line));
    g->SetProp(node, "sourceColumn", graph::Value::Int(pos.column));
  }
}

}  // namespace

std::optional<graph::NodeIndex> CommitResource(const Resource& r, graph::Graph* g,
                                               IacResult* result) {
  if (!r.blockers.empty()) {
    Gap gap;
    gap.asset_type = r.type;
    gap.id = r.id;
    gap.reason = Join(r.blockers, "; ");
    gap.location = r.location;
    result->gaps.push_back(std::move(gap));
    return std::nullopt;
  }
  graph::NodeIndex n = g->AddNode(r.type, r.id);
  g->SetProp(n, "identifier", g->String(r.id));
  g->SetProp(n, "name", g->String(r.name));
  g->SetProp(n, "cloudProvider", g->String("aws"));
  g->SetProp(n, "source", g->String(r.source));
  SetSource(g, n, r.location.file, {r.location.line, r.location.column});
  if (r.values_from_file) g->SetProp(n, "valuesFromFile", graph::Value::Bool(true));
  for (const Prop& p : r.props) SetLocated(g, n, p);
  SetUnknowns(g, n, r.unknowns);
  if (!r.unresolved.empty()) {
    g->SetProp(n, "unresolvedFields", ToValue(r.unresolved, g));
  }
  return n;
}

void AddChild(graph::Graph* g, graph::NodeIndex parent, std::string_view edge,
              std::string_view label, const std::string& id, const Child& child) {
  graph::NodeIndex n = g->AddNode(label, id);
  for (const Prop& p : child.props) SetLocated(g, n, p);
  SetUnknowns(g, n, child.unknowns);
  g->AddEdge(edge, parent, n);
}

void Commit(TaskDefinition td, graph::Graph* g, IacResult* result) {
  std::optional<graph::NodeIndex> node = CommitResource(td, g, result);
  if (!node) return;
  graph::NodeIndex n = *node;
  for (const ContainerSpec& c : td.containers) {
    std::string cid = td.id + "#" + c.label;
    graph::NodeIndex cn = g->AddNode("ECSTaskContainerSpec", cid);
    g->SetProp(cn, "identifier", g->String(cid));
    g->SetProp(cn, "cloudProvider", g->String("aws"));
    SetSource(g, cn, td.location.file, c.pos);
    if (td.values_from_file) g->SetProp(cn, "valuesFromFile", graph::Value::Bool(true));
    for (const Prop& p : c.props) SetLocated(g, cn, p);
    SetUnknowns(g, cn, c.unknowns);
    g->AddEdge("HAS_CONTAINER_DEFINITION", n, cn);
    for (size_t i = 0; i < c.env.size(); ++i) {
      std::string eid = fmt::format("{}#env/{}", cid, i);
      graph::NodeIndex en = g->AddNode("ECSEnvEntry", eid);
      g->SetProp(en, "key", g->String(c.env[i].key));
      if (c.env[i].value) g->SetProp(en, "value", g->String(*c.env[i].value));
      if (!c.env[i].value_unknown.empty()) {
        SetUnknowns(g, en, {{"value", c.env[i].value_unknown}});
      }
      g->AddEdge("HAS_ENV_ENTRY", cn, en);
    }
  }
  for (size_t i = 0; i < td.volumes.size(); ++i) {
    AddChild(g, n, "HAS_VOLUME", "ECSVolume", fmt::format("{}#volume/{}", td.id, i), td.volumes[i]);
  }
}

}  // namespace ecsguard::ingest::iac
