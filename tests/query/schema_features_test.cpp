// Schema features the conformance schema does not use: enums, @node(labels:) and relationships
// whose target is an interface.

#include <gtest/gtest.h>

#include <algorithm>

#include "graph/graph.h"
#include "query/query.h"

namespace ecsguard::query {
namespace {

using nlohmann::json;

constexpr std::string_view kSchema = R"(
enum Status { ACTIVE INACTIVE }
interface Workload { id: ID! name: String }
type Cluster @node(labels: ["AWSECSCluster"]) {
  id: ID! status: Status name: String
  workloads: [Workload!]! @relationship(type: "RUNS", direction: OUT)
}
type Service implements Workload @node { id: ID! name: String desired: Int }
type Job implements Workload @node { id: ID! name: String }
)";

class SchemaFeaturesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto schema = graph::Schema::Parse(kSchema);
    ASSERT_TRUE(schema.ok()) << schema.error().ToString();
    schema_ = std::make_unique<graph::Schema>(std::move(schema).value());
    graph::NodeIndex c1 = g_.AddNode("AWSECSCluster", "c1");
    g_.SetProp(c1, "status", g_.String("ACTIVE"));
    graph::NodeIndex c2 = g_.AddNode("Cluster", "c2");  // not the type's label
    g_.SetProp(c2, "status", g_.String("ACTIVE"));
    graph::NodeIndex s1 = g_.AddNode("Service", "s1");
    g_.SetProp(s1, "name", g_.String("web"));
    g_.SetProp(s1, "desired", graph::Value::Int(2));
    graph::NodeIndex j1 = g_.AddNode("Job", "j1");
    g_.SetProp(j1, "name", g_.String("batch"));
    graph::NodeIndex x1 = g_.AddNode("Other", "x1");  // implements nothing: never related
    g_.SetProp(x1, "name", g_.String("zzz"));
    for (graph::NodeIndex n : {s1, j1, x1}) g_.AddEdge("RUNS", c1, n);
    g_.Freeze();
  }

  std::vector<std::string> Match(std::string_view text, const json& variables = json::object()) {
    auto q = Query::Compile(*schema_, text, variables);
    if (!q.ok()) return {"error: " + q.error().ToString()};
    std::vector<std::string> ids;
    std::vector<graph::NodeIndex> matches = q->Matches(g_).value();
    for (graph::NodeIndex n : matches) ids.emplace_back(g_.Id(n));
    return ids;
  }

  std::unique_ptr<graph::Schema> schema_;
  graph::Graph g_;
};

using Ids = std::vector<std::string>;

TEST_F(SchemaFeaturesTest, RootNodesAreTheTypesLabel) {
  EXPECT_EQ(Match("{ clusters { id } }"), Ids({"c1"}));
}

TEST_F(SchemaFeaturesTest, EnumsTakeEnumLiteralsOrJsonStrings) {
  EXPECT_EQ(Match("{ clusters(where: {status: ACTIVE}) { id } }"), Ids({"c1"}));
  EXPECT_EQ(Match("{ clusters(where: {status_IN: [INACTIVE, ACTIVE]}) { id } }"), Ids({"c1"}));
  EXPECT_EQ(Match("{ clusters(where: {status_NOT: ACTIVE}) { id } }"), Ids({}));
  EXPECT_EQ(Match("query($s: Status) { clusters(where: {status: $s}) { id } }", {{"s", "ACTIVE"}}),
            Ids({"c1"}));
  auto literal = Match(R"({ clusters(where: {status: "ACTIVE"}) { id } })");
  EXPECT_NE(literal.front().find("Enum \"Status\" cannot represent non-enum value: \"ACTIVE\""),
            std::string::npos)
      << literal.front();
  auto contains = Match(R"({ clusters(where: {status_CONTAINS: ACTIVE}) { id } })");
  EXPECT_NE(contains.front().find("is not defined by type \"ClusterWhere\""), std::string::npos);
}

TEST_F(SchemaFeaturesTest, InterfaceTargetsRelateEveryImplementation) {
  EXPECT_EQ(Match(R"({ clusters(where: {workloads_SOME: {name: "batch"}}) { id } })"), Ids({"c1"}));
  // x1 ("zzz") is not a Workload, so ALL only sees web and batch.
  EXPECT_EQ(Match(R"({ clusters(where: {workloads_ALL: {name_IN: ["web", "batch"]}}) { id } })"),
            Ids({"c1"}));
  auto q = Query::Compile(*schema_, R"({ clusters {
      workloads { __typename name ... on Service { desired } } } })");
  ASSERT_TRUE(q.ok()) << q.error().ToString();
  EXPECT_EQ(*q->Execute(g_), json::parse(R"({"data": {"clusters": [{"workloads": [
      {"__typename": "Service", "name": "web", "desired": 2},
      {"__typename": "Job", "name": "batch"}]}]}})"));
}

}  // namespace
}  // namespace ecsguard::query
