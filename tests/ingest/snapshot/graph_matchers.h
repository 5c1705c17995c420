#pragma once

// Small readers over a frozen graph for the snapshot tests: property values as plain C++ values
// and neighbours as sorted ids, so that expectations read like the data.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "graph/graph.h"
#include "ingest/snapshot/snapshot.h"

namespace ecsguard::ingest::testing {

inline graph::NodeIndex NodeOrDie(const graph::Graph& g, std::string_view id) {
  auto node = g.FindNode(id);
  if (!node) ADD_FAILURE() << "no node " << id;
  return node.value_or(0);
}

inline bool HasNode(const graph::Graph& g, std::string_view id) {
  return g.FindNode(id).has_value();
}

// "" for absent, the string for strings, and a marker for other kinds.
inline std::string Str(const graph::Graph& g, std::string_view id, std::string_view key) {
  graph::Value v = g.GetProp(NodeOrDie(g, id), key);
  if (v.is_null()) return "<absent>";
  if (v.kind() != graph::Value::Kind::kString) return "<not a string>";
  return std::string(v.as_string());
}

inline bool Absent(const graph::Graph& g, std::string_view id, std::string_view key) {
  return g.GetProp(NodeOrDie(g, id), key).is_null();
}

inline std::optional<int64_t> Int(const graph::Graph& g, std::string_view id,
                                  std::string_view key) {
  graph::Value v = g.GetProp(NodeOrDie(g, id), key);
  if (v.kind() != graph::Value::Kind::kInt) return std::nullopt;
  return v.as_int();
}

inline std::optional<bool> Bool(const graph::Graph& g, std::string_view id, std::string_view key) {
  graph::Value v = g.GetProp(NodeOrDie(g, id), key);
  if (v.kind() != graph::Value::Kind::kBool) return std::nullopt;
  return v.as_bool();
}

inline std::vector<std::string> Strings(const graph::Graph& g, std::string_view id,
                                        std::string_view key) {
  std::vector<std::string> out;
  graph::Value v = g.GetProp(NodeOrDie(g, id), key);
  if (v.kind() != graph::Value::Kind::kList) return {"<not a list>"};
  for (const graph::Value& item : v.as_list()) out.emplace_back(item.as_string());
  return out;
}

inline std::vector<int64_t> Ints(const graph::Graph& g, std::string_view id, std::string_view key) {
  std::vector<int64_t> out;
  graph::Value v = g.GetProp(NodeOrDie(g, id), key);
  for (const graph::Value& item : v.as_list()) out.push_back(item.as_int());
  return out;
}

// Ids of the nodes reached over `type` edges, sorted.
inline std::vector<std::string> Out(const graph::Graph& g, std::string_view id,
                                    std::string_view type) {
  std::vector<std::string> out;
  auto sym = g.Lookup(type);
  if (!sym) return out;
  for (graph::NodeIndex n : g.Neighbors(NodeOrDie(g, id), *sym, graph::Direction::kOut)) {
    out.emplace_back(g.Id(n));
  }
  std::sort(out.begin(), out.end());
  return out;
}

inline std::vector<std::string> In(const graph::Graph& g, std::string_view id,
                                   std::string_view type) {
  std::vector<std::string> out;
  auto sym = g.Lookup(type);
  if (!sym) return out;
  for (graph::NodeIndex n : g.Neighbors(NodeOrDie(g, id), *sym, graph::Direction::kIn)) {
    out.emplace_back(g.Id(n));
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Every node with its label and properties and every edge, one per line, sorted: two graphs
// with the same content give the same text whatever order they were built in. `source` (the file
// a task definition came from) is left out when `with_source` is false.
std::string Dump(const graph::Graph& g, bool with_source = true);

// "file:line:col: message" of each problem.
std::vector<std::string> ProblemStrings(const SnapshotResult& r);

// LoadSnapshotText / LoadSnapshot for tests about reading documents, which need no
// describe-tasks output (the in-use rule has its own test: require_task_list is off).
SnapshotResult ReadText(std::string_view text, std::string_view name, SnapshotOptions options = {});
SnapshotResult ReadPaths(const std::vector<std::string>& paths, SnapshotOptions options = {});

}  // namespace ecsguard::ingest::testing
