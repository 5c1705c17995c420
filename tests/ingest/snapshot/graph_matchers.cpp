#include "graph_matchers.h"

#include <fmt/format.h>

namespace ecsguard::ingest::testing {
namespace {

std::string Render(const graph::Value& v) {
  switch (v.kind()) {
    case graph::Value::Kind::kNull:
      return "null";
    case graph::Value::Kind::kBool:
      return v.as_bool() ? "true" : "false";
    case graph::Value::Kind::kInt:
      return std::to_string(v.as_int());
    case graph::Value::Kind::kFloat:
      return fmt::format("{}", v.as_float());
    case graph::Value::Kind::kString:
      return fmt::format("\"{}\"", v.as_string());
    case graph::Value::Kind::kList: {
      std::string out = "[";
      for (const graph::Value& item : v.as_list()) {
        if (out.size() > 1) out += ",";
        out += Render(item);
      }
      return out + "]";
    }
  }
  return "?";
}

}  // namespace

std::string Dump(const graph::Graph& g, bool with_source) {
  std::vector<std::string> lines;
  for (graph::NodeIndex n = 0; n < g.node_count(); ++n) {
    std::vector<std::string> props;
    for (const auto& prop : g.Props(n)) {
      if (!with_source && g.Name(prop.key) == "source") continue;
      props.push_back(fmt::format("{}={}", g.Name(prop.key), Render(prop.value)));
    }
    std::sort(props.begin(), props.end());
    std::string line = fmt::format("({}:{})", g.Id(n), g.LabelName(n));
    for (const std::string& p : props) line += " " + p;
    lines.push_back(line);
  }
  for (graph::NodeIndex n = 0; n < g.node_count(); ++n) {
    for (const char* type : {"HAS_CONTAINER_DEFINITION", "HAS_ENV_ENTRY", "HAS_TASK_DEFINITION",
                             "HAS_TASK", "HAS_SERVICE", "HAS_CONTAINER_INSTANCE",
                             "HAS_TARGET_GROUP", "IS_INSTANCE", "MEMBER_OF_SECURITY_GROUP"}) {
      auto sym = g.Lookup(type);
      if (!sym) continue;
      for (graph::NodeIndex to : g.Neighbors(n, *sym, graph::Direction::kOut)) {
        lines.push_back(fmt::format("({})-[:{}]->({})", g.Id(n), type, g.Id(to)));
      }
    }
  }
  std::sort(lines.begin(), lines.end());
  std::string out;
  for (const std::string& line : lines) out += line + "\n";
  return out;
}

std::vector<std::string> ProblemStrings(const SnapshotResult& r) {
  std::vector<std::string> out;
  for (const Error& e : r.problems) out.push_back(e.ToString());
  return out;
}

SnapshotResult ReadText(std::string_view text, std::string_view name, SnapshotOptions options) {
  options.require_task_list = false;
  return LoadSnapshotText(text, name, options);
}

SnapshotResult ReadPaths(const std::vector<std::string>& paths, SnapshotOptions options) {
  options.require_task_list = false;
  return LoadSnapshot(paths, options);
}

}  // namespace ecsguard::ingest::testing
