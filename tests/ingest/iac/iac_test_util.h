#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "graph/graph.h"
#include "ingest/iac/iac.h"
#include "support.h"

namespace ecsguard::ingest::testing {

inline std::string DataPath(std::string_view relative) {
  return ecsguard::testing::SourcePath("tests/ingest/iac/" + std::string(relative));
}

// The output (stdout and stderr) of a shell command, or nothing (with a test failure saying
// why) when it fails.
inline std::optional<std::string> RunCommand(const std::string& command) {
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return std::nullopt;
  std::string out;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  if (pclose(pipe) != 0) {
    ADD_FAILURE() << command << " failed:\n" << out;
    return std::nullopt;
  }
  return out;
}

// Whether `terraform` (the oracle of the differential tests) is on the PATH.
inline bool TerraformAvailable() { return std::system("terraform version >/dev/null 2>&1") == 0; }

inline IacResult LoadData(std::string_view relative) {
  IacOptions options;
  options.root = ecsguard::testing::SourcePath("tests/ingest/iac");
  return LoadIac({DataPath(relative)}, options);
}

inline graph::Value Prop(const graph::Graph& g, std::string_view id, std::string_view key) {
  auto n = g.FindNode(id);
  if (!n) {
    ADD_FAILURE() << "no node " << id;
    return {};
  }
  return g.GetProp(*n, key);
}

inline std::string Str(const graph::Graph& g, std::string_view id, std::string_view key) {
  graph::Value v = Prop(g, id, key);
  return v.kind() == graph::Value::Kind::kString ? std::string(v.as_string()) : "<not a string>";
}

inline int64_t Int(const graph::Graph& g, std::string_view id, std::string_view key) {
  graph::Value v = Prop(g, id, key);
  return v.kind() == graph::Value::Kind::kInt ? v.as_int() : -1;
}

// "true", "false", "null" or "<kind>" for other kinds.
inline std::string Bool(const graph::Graph& g, std::string_view id, std::string_view key) {
  graph::Value v = Prop(g, id, key);
  if (v.is_null()) return "null";
  if (v.kind() != graph::Value::Kind::kBool) return "<not a bool>";
  return v.as_bool() ? "true" : "false";
}

inline const Gap* FindGap(const IacResult& r, std::string_view id) {
  for (const Gap& g : r.gaps) {
    if (g.id == id) return &g;
  }
  return nullptr;
}

// Why the task definition `id` cannot be decided by a control that reads everything: its gap's
// reason, or the reasons of the unknown values of its node and of its containers, joined by "; "
// (graph.h: kUnknownSuffix). "<evaluated id>" when there is neither.
inline std::string NotEvaluatedReason(const IacResult& r, const std::string& id) {
  if (const Gap* gap = FindGap(r, id)) return gap->reason;
  auto node = r.graph.FindNode(id);
  if (!node) return "<no task definition " + id + ">";
  std::vector<std::string> reasons;
  auto collect = [&](graph::NodeIndex n) {
    for (const graph::Graph::Prop& p : r.graph.Props(n)) {
      if (r.graph.Name(p.key).ends_with(graph::kUnknownSuffix)) {
        reasons.emplace_back(p.value.as_string());
      }
    }
  };
  collect(*node);
  auto edge = r.graph.Lookup("HAS_CONTAINER_DEFINITION");
  if (edge) {
    for (graph::NodeIndex c : r.graph.Neighbors(*node, *edge, graph::Direction::kOut)) collect(c);
  }
  if (reasons.empty()) return "<evaluated " + id + ">";
  std::string out = reasons[0];
  for (size_t i = 1; i < reasons.size(); ++i) out.append("; ").append(reasons[i]);
  return out;
}

// The asset types of r's gaps, in order.
inline std::vector<std::string> GapTypes(const IacResult& r) {
  std::vector<std::string> out;
  for (const Gap& g : r.gaps) out.push_back(g.asset_type);
  return out;
}

// What a nested stack or module that is not read hides: every type the readers read.
inline const std::vector<std::string> kEveryReadType = {
    "ECSTaskDefinition", "ECSService", "ECSCluster", "ECSTaskSet", "ECSCapacityProvider"};

inline std::string Problems(const IacResult& r) {
  std::string out;
  for (const Error& e : r.problems) out += e.ToString() + "\n";
  return out;
}

// The one problem of `r`, with its code and place.
inline void ExpectOnlyProblemAt(const IacResult& r, ErrorCode code, std::string_view file,
                                uint32_t line, uint32_t column) {
  ASSERT_EQ(r.problems.size(), 1u) << Problems(r);
  EXPECT_EQ(r.problems[0].code(), code);
  EXPECT_EQ(r.problems[0].location().file, file);
  EXPECT_EQ(r.problems[0].location().line, line);
  EXPECT_EQ(r.problems[0].location().column, column);
}

}  // namespace ecsguard::ingest::testing
