#include "graph/graph_json.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "base/strings.h"

namespace ecsguard::graph {
namespace {

Result<Value> ToValue(Graph& g, const nlohmann::json& j, std::string_view where) {
  switch (j.type()) {
    case nlohmann::json::value_t::null: return Value();
    case nlohmann::json::value_t::boolean: return Value::Bool(j.get<bool>());
    case nlohmann::json::value_t::number_integer: return Value::Int(j.get<int64_t>());
    case nlohmann::json::value_t::number_unsigned: {
      uint64_t u = j.get<uint64_t>();
      if (u > static_cast<uint64_t>(INT64_MAX)) return Value::Float(static_cast<double>(u));
      return Value::Int(static_cast<int64_t>(u));
    }
    case nlohmann::json::value_t::number_float: return Value::Float(j.get<double>());
    case nlohmann::json::value_t::string: return g.String(j.get_ref<const std::string&>());
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

}  // namespace

Result<Graph> LoadGraphJson(std::string_view json_text, std::string_view file_name) {
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
    NodeIndex n = g.AddNode(node["label"].get<std::string>(), id);
    if (node.contains("props")) {
      if (!node["props"].is_object()) return fail(where + ": \"props\" must be an object");
      for (const auto& [key, value] : node["props"].items()) {
        ASSIGN_OR_RETURN(Value v, ToValue(g, value, fmt::format("{}.props.{}", where, key)));
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
      g.AddEdge(rel["type"].get<std::string>(), *from, *to);
    }
  }
  g.Freeze();
  return g;
}

}  // namespace ecsguard::graph
