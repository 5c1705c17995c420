#include "graph/graph.h"

#include <gtest/gtest.h>

namespace ecsguard::graph {
namespace {

TEST(GraphTest, NodesPropsAndEdges) {
  Graph g;
  NodeIndex td = g.AddNode("ECSTaskDefinition", "td1");
  NodeIndex spec = g.AddNode("ECSTaskContainerSpec", "s1");
  NodeIndex other = g.AddNode("ECSTaskDefinition", "td2");
  g.SetProp(td, "networkMode", g.String("host"));
  g.SetProp(spec, "privileged", Value::Bool(true));
  g.SetProp(td, "revision", Value::Int(3));
  g.SetProp(other, "revision", Value::Int(1));
  g.SetProp(td, "revision", Value::Int(4));  // replaces; the node's props move to the end
  g.AddEdge("HAS_CONTAINER_DEFINITION", td, spec);
  g.AddEdge("HAS_CONTAINER_DEFINITION", td, spec);  // duplicate kept once
  g.Freeze();

  EXPECT_EQ(g.AddNode("X", "td1"), td);
  EXPECT_EQ(g.GetProp(td, "networkMode").as_string(), "host");
  EXPECT_EQ(g.GetProp(td, "revision").as_int(), 4);
  EXPECT_EQ(g.GetProp(other, "revision").as_int(), 1);
  EXPECT_TRUE(g.GetProp(td, "missing").is_null());
  Sym type = *g.Lookup("HAS_CONTAINER_DEFINITION");
  auto out = g.Neighbors(td, type, Direction::kOut);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0], spec);
  auto in = g.Neighbors(spec, type, Direction::kIn);
  ASSERT_EQ(in.size(), 1u);
  EXPECT_EQ(in[0], td);
  EXPECT_EQ(g.NodesWithLabel("ECSTaskDefinition").size(), 2u);
  EXPECT_TRUE(g.NodesWithLabel("Nope").empty());
}

TEST(GraphTest, NullRemovesProperty) {
  Graph g;
  NodeIndex n = g.AddNode("T", "n");
  g.SetProp(n, "a", Value::Int(1));
  g.SetProp(n, "b", Value::Int(2));
  g.SetProp(n, "a", Value());
  EXPECT_TRUE(g.GetProp(n, "a").is_null());
  EXPECT_EQ(g.GetProp(n, "b").as_int(), 2);
  EXPECT_EQ(g.Props(n).size(), 1u);
}

TEST(GraphTest, CypherEquality) {
  Graph g;
  EXPECT_EQ(CypherEquals(Value::Int(256), Value::Float(256.0)), Tri::kTrue);
  EXPECT_EQ(CypherEquals(Value::Int(1), g.String("1")), Tri::kFalse);
  EXPECT_EQ(CypherEquals(Value(), Value::Int(1)), Tri::kNull);
  Value a[] = {g.String("x"), Value::Int(1)};
  Value b[] = {g.String("x"), Value::Int(1)};
  EXPECT_EQ(CypherEquals(g.List(a), g.List(b)), Tri::kTrue);
  EXPECT_EQ(CypherEquals(g.List(a), g.List({})), Tri::kFalse);
}

TEST(GraphJsonTest, LoadsFixtureFormat) {
  auto g = LoadGraphJson(R"({"nodes":[{"id":"a","label":"L","props":{"x":1,"t":["p"],"n":null}},
    {"id":"b","label":"M"}],"relationships":[{"type":"R","from":"a","to":"b"}]})");
  ASSERT_TRUE(g.ok()) << g.error().ToString();
  NodeIndex a = *g->FindNode("a");
  EXPECT_EQ(g->GetProp(a, "x").as_int(), 1);
  EXPECT_EQ(g->GetProp(a, "t").as_list().size(), 1u);
  EXPECT_TRUE(g->GetProp(a, "n").is_null());
  EXPECT_EQ(g->Neighbors(a, *g->Lookup("R"), Direction::kOut).size(), 1u);
}

TEST(GraphJsonTest, ErrorsNameThePosition) {
  auto bad = LoadGraphJson("{\"nodes\": [\n  {\"id\": }]}", "g.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), ErrorCode::kParse);
  EXPECT_EQ(bad.error().location().file, "g.json");
  EXPECT_EQ(bad.error().location().line, 2u);
  auto dangling = LoadGraphJson(R"({"nodes":[],"relationships":[{"type":"R","from":"a","to":"b"}]})");
  ASSERT_FALSE(dangling.ok());
  EXPECT_EQ(dangling.error().code(), ErrorCode::kValidation);
}

}  // namespace
}  // namespace ecsguard::graph
