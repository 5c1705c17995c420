#include "graph/graph_json.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <optional>

#include "base/strings.h"

namespace ecsguard::graph {
namespace {

Result<Value> ToValue(Graph& g, const nlohmann::json& j, std::string_view where) {
  switch (j.type()) {
    case nlohmann::json::value_t::null:
      return Value();
    case nlohmann::json::value_t::boolean:
      return Value::Bool(j.get<bool>());
    case nlohmann::json::value_t::number_integer:
      return Value::Int(j.get<int64_t>());
    case nlohmann::json::value_t::number_unsigned: {
      uint64_t u = j.get<uint64_t>();
      if (u > static_cast<uint64_t>(INT64_MAX)) return Value::Float(static_cast<double>(u));
      return Value::Int(static_cast<int64_t>(u));
    }
    case nlohmann::json::value_t::number_float:
      return Value::Float(j.get<double>());
    case nlohmann::json::value_t::string:
      return g.String(j.get_ref<const std::string&>());
    case nlohmann::json::value_t::array: {
      std::vector<Value> items;
      for (const auto& item : j) {
        if (item.is_array() || item.is_object() || item.is_null()) {
          return Error(ErrorCode::kValidation,
                       fmt::format("{}: list items must be strings, numbers or Booleans", where));
        }
        ASSIGN_OR_RETURN(Value v, ToValue(g, item, where));
        items.push_back(v);
      }
      return g.List(items);
    }
    default:
      return Error(ErrorCode::kValidation,
                   fmt::format("{}: a property value cannot be an object", where));
  }
}

const TypeDef* TypeOfLabel(const Schema& schema, std::string_view label) {
  for (const TypeDef& t : schema.types()) {
    if (!t.is_interface && t.label == label) return &t;
  }
  return nullptr;
}

// What a JSON value of `field`'s scalar type looks like, or "" when `j` is one.
std::string_view ScalarMismatch(const FieldDef& field, const nlohmann::json& j) {
  switch (field.scalar) {
    case ScalarType::kInt:
      return j.is_number_integer() ? "" : "an integer";
    case ScalarType::kBigInt:
      return j.is_number_integer() || j.is_string() ? "" : "an integer";
    case ScalarType::kFloat:
      return j.is_number() ? "" : "a number";
    case ScalarType::kBoolean:
      return j.is_boolean() ? "" : "true or false";
    case ScalarType::kID:
    case ScalarType::kString:
    case ScalarType::kDateTime:
    case ScalarType::kEnum:
      return j.is_string() ? "" : "a string";
  }
  return "";
}

std::string_view JsonTypeName(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::boolean:
      return "a Boolean";
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float:
      return "a number";
    case nlohmann::json::value_t::string:
      return "a string";
    case nlohmann::json::value_t::array:
      return "a list";
    case nlohmann::json::value_t::object:
      return "an object";
    default:
      return "null";
  }
}

// A property of a node of `type` against the schema (null, meaning absent, always fits).
std::optional<std::string> CheckProperty(const TypeDef& type, std::string_view key,
                                         const nlohmann::json& value) {
  const FieldDef* field = type.Field(key);
  if (!field || field->kind != FieldDef::Kind::kScalar || key == "id") {
    return fmt::format("type {} has no scalar field \"{}\"", type.name, key);
  }
  if (value.is_null()) return std::nullopt;
  std::string_view expected = field->type_name;
  if (field->is_list != value.is_array()) {
    return fmt::format("expected {}{}{}, found {}", field->is_list ? "[" : "", expected,
                       field->is_list ? "]" : "", JsonTypeName(value));
  }
  if (!field->is_list) {
    std::string_view want = ScalarMismatch(*field, value);
    if (want.empty()) return std::nullopt;
    return fmt::format("expected {} ({}), found {}", want, expected, JsonTypeName(value));
  }
  for (size_t i = 0; i < value.size(); ++i) {
    std::string_view want = ScalarMismatch(*field, value[i]);
    if (!want.empty()) {
      return fmt::format("[{}]: expected {} ({}), found {}", i, want, expected,
                         JsonTypeName(value[i]));
    }
  }
  return std::nullopt;
}

// Whether an edge `rel_type` from a `from` node to a `to` node is one of the schema's
// relationship fields, seen from either end.
bool RelationshipKnown(const TypeDef& from, const TypeDef& to, std::string_view rel_type) {
  auto declares = [&](const TypeDef& t, Direction d) {
    for (const FieldDef& f : t.fields) {
      if (f.kind == FieldDef::Kind::kRelationship && f.rel_type == rel_type && f.direction == d) {
        return true;
      }
    }
    return false;
  };
  return declares(from, Direction::kOut) || declares(to, Direction::kIn);
}

}  // namespace

Result<Graph> LoadGraphJson(std::string_view json_text, std::string_view file_name,
                            const Schema* schema) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(json_text);
  } catch (const nlohmann::json::parse_error& e) {
    LineColumn lc = LineColumnAt(json_text, e.byte > 0 ? e.byte - 1 : 0);
    return Error(ErrorCode::kParse, fmt::format("invalid JSON: {}", e.what()),
                 SourceLocation{std::string(file_name), lc.line, lc.column});
  }
  auto fail = [&](std::string message) {
    return Error(ErrorCode::kValidation, std::move(message),
                 SourceLocation{std::string(file_name), 0, 0});
  };
  if (!doc.is_object() || !doc.contains("nodes") || !doc["nodes"].is_array()) {
    return fail("a graph file needs {\"nodes\": [...], \"relationships\": [...]}");
  }
  Graph g;
  size_t index = 0;
  for (const auto& node : doc["nodes"]) {
    std::string where = fmt::format("nodes[{}]", index++);
    if (!node.is_object() || !node.contains("id") || !node.contains("label") ||
        !node["label"].is_string() || !(node["id"].is_string() || node["id"].is_number_integer())) {
      return fail(where + ": a node needs a string \"id\" and \"label\"");
    }
    std::string id = node["id"].is_string() ? node["id"].get<std::string>()
                                            : std::to_string(node["id"].get<int64_t>());
    if (g.FindNode(id)) return fail(fmt::format("{}: duplicate node id \"{}\"", where, id));
    const std::string& label = node["label"].get_ref<const std::string&>();
    const TypeDef* type = schema ? TypeOfLabel(*schema, label) : nullptr;
    if (schema && !type) {
      return fail(fmt::format("{} (id \"{}\"): label \"{}\" is not a type of the schema", where, id,
                              label));
    }
    NodeIndex n = g.AddNode(label, id);
    if (node.contains("props")) {
      if (!node["props"].is_object()) return fail(where + ": \"props\" must be an object");
      for (const auto& [key, value] : node["props"].items()) {
        std::string at = fmt::format("{}.props.{}", where, key);
        if (type) {
          if (auto problem = CheckProperty(*type, key, value)) {
            return fail(fmt::format("{} (id \"{}\").props.{}: {}", where, id, key, *problem));
          }
        }
        ASSIGN_OR_RETURN(Value v, ToValue(g, value, at));
        g.SetProp(n, key, v);
      }
    }
  }
  index = 0;
  if (doc.contains("relationships")) {
    if (!doc["relationships"].is_array()) return fail("\"relationships\" must be a list");
    for (const auto& rel : doc["relationships"]) {
      std::string where = fmt::format("relationships[{}]", index++);
      if (!rel.is_object() || !rel.contains("type") || !rel.contains("from") ||
          !rel.contains("to") || !rel["type"].is_string() || !rel["from"].is_string() ||
          !rel["to"].is_string()) {
        return fail(where + ": a relationship needs string \"type\", \"from\" and \"to\"");
      }
      auto from = g.FindNode(rel["from"].get<std::string>());
      auto to = g.FindNode(rel["to"].get<std::string>());
      if (!from || !to) return fail(where + ": \"from\" or \"to\" names no node");
      const std::string& type = rel["type"].get_ref<const std::string&>();
      if (schema && !RelationshipKnown(*TypeOfLabel(*schema, g.LabelName(*from)),
                                       *TypeOfLabel(*schema, g.LabelName(*to)), type)) {
        return fail(
            fmt::format("{}: no relationship field of the schema has type \"{}\" from "
                        "{} to {}",
                        where, type, g.LabelName(*from), g.LabelName(*to)));
      }
      g.AddEdge(type, *from, *to);
    }
  }
  g.Freeze();
  return g;
}

}  // namespace ecsguard::graph
