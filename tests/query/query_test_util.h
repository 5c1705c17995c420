#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "graph/graph.h"
#include "query/query.h"
#include "testdata.h"

namespace ecsguard::query {

// The conformance schema and fixture graph, loaded once per test suite.
class EcsFixtureTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto schema = graph::Schema::Parse(testdata::kSchema);
    ASSERT_TRUE(schema.ok()) << schema.error().ToString();
    schema_ = new graph::Schema(std::move(schema).value());
    auto g = graph::LoadGraphJson(testdata::kFixture);
    ASSERT_TRUE(g.ok()) << g.error().ToString();
    graph_ = new graph::Graph(std::move(g).value());
  }
  static void TearDownTestSuite() {
    delete schema_;
    delete graph_;
    schema_ = nullptr;
    graph_ = nullptr;
  }

  static Result<Query> Compile(std::string_view text,
                               const nlohmann::json& variables = nlohmann::json::object()) {
    return Query::Compile(*schema_, text, variables);
  }

  // Sorted ids of the matching root nodes; {"error: <message>"} when the query is rejected.
  static std::vector<std::string> Match(
      std::string_view text, const nlohmann::json& variables = nlohmann::json::object()) {
    auto q = Compile(text, variables);
    if (!q.ok()) return {"error: " + q.error().ToString()};
    std::vector<std::string> ids;
    std::vector<graph::NodeIndex> matches = q->Matches(*graph_).value();
    for (graph::NodeIndex n : matches) ids.emplace_back(graph_->Id(n));
    std::sort(ids.begin(), ids.end());
    return ids;
  }

  // Ids for `where` on the ecsTaskDefinitions root.
  static std::vector<std::string> Tds(std::string_view where,
                                      const nlohmann::json& variables = nlohmann::json::object()) {
    return Match("{ ecsTaskDefinitions(where: " + std::string(where) + ") { id } }", variables);
  }

  static inline graph::Schema* schema_ = nullptr;
  static inline graph::Graph* graph_ = nullptr;
};

using Ids = std::vector<std::string>;
inline const Ids kAllTds = {"td1", "td2", "td3", "td4", "td5", "td6"};

}  // namespace ecsguard::query
