#include "graph/graph.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

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

TEST(GraphTest, InternsManySymbols) {
  Graph g;
  std::vector<Sym> syms;
  for (int i = 0; i < 20000; ++i) syms.push_back(g.Intern("sym/" + std::to_string(i)));
  Sym empty = g.Intern("");
  for (int i = 0; i < 20000; ++i) {
    std::string s = "sym/" + std::to_string(i);
    EXPECT_EQ(g.Intern(s), syms[i]);
    ASSERT_TRUE(g.Lookup(s).has_value());
    EXPECT_EQ(*g.Lookup(s), syms[i]);
    EXPECT_EQ(g.Name(syms[i]), s);
  }
  EXPECT_EQ(g.Intern(""), empty);
  EXPECT_EQ(g.Name(empty), "");
  EXPECT_FALSE(g.Lookup("sym/20000").has_value());
  EXPECT_FALSE(g.Lookup("sym/").has_value());
  EXPECT_FALSE(Graph().Lookup("").has_value());
}

TEST(GraphTest, StoreStringCopiesWithoutInterning) {
  Graph g;
  std::string text = "2026-11-28T23:59:59Z";
  Value v = g.StoreString(text);
  text.assign(text.size(), 'x');  // the value owns a copy
  EXPECT_EQ(v.kind(), Value::Kind::kString);
  EXPECT_EQ(v.as_string(), "2026-11-28T23:59:59Z");
  EXPECT_FALSE(g.Lookup("2026-11-28T23:59:59Z").has_value());
  EXPECT_EQ(CypherEquals(v, g.String("2026-11-28T23:59:59Z")), Tri::kTrue);
  EXPECT_EQ(g.StoreString("").as_string(), "");
  std::string big(3 << 20, 'b');  // larger than an arena block
  EXPECT_EQ(g.StoreString(big).as_string(), big);
}

TEST(GraphTest, SymOverloadsAndReserve) {
  Graph g;
  g.Reserve(10, 40, 10, 100);
  Sym label = g.Intern("ECSTaskDefinition");
  Sym type = g.Intern("HAS_CONTAINER_DEFINITION");
  NodeIndex td = g.AddNode(label, "td1");
  NodeIndex spec = g.AddNode("ECSTaskContainerSpec", "s1");
  EXPECT_EQ(g.AddNode(g.Intern("Other"), "td1"), td);  // existing id: label unchanged
  EXPECT_EQ(g.Label(td), label);
  EXPECT_EQ(g.Id(td), "td1");
  EXPECT_EQ(g.FindNode("td1"), td);
  EXPECT_FALSE(g.FindNode("Other").has_value());  // interned, but no node has that id
  EXPECT_FALSE(g.FindNode("nope").has_value());
  g.AddEdge(type, td, spec);
  g.AddEdge("HAS_CONTAINER_DEFINITION", td, spec);
  g.Freeze();
  ASSERT_EQ(g.Neighbors(td, type, Direction::kOut).size(), 1u);
  EXPECT_EQ(g.Neighbors(spec, type, Direction::kIn)[0], td);
  EXPECT_EQ(g.NodesWithLabel(label).size(), 1u);
  for (int i = 0; i < 1000; ++i) g.AddNode(label, fmt::format("n{}", i));  // past the hint
  EXPECT_EQ(g.FindNode("n999"), static_cast<NodeIndex>(1001));
}

TEST(GraphTest, NeighborsSortedByTypeThenTarget) {
  Graph g;
  NodeIndex a = g.AddNode("T", "a");
  std::vector<NodeIndex> targets;
  for (int i = 0; i < 5; ++i) targets.push_back(g.AddNode("T", fmt::format("t{}", i)));
  g.AddEdge("Y", a, targets[3]);
  g.AddEdge("X", a, targets[4]);
  g.AddEdge("Y", a, targets[1]);
  g.AddEdge("X", a, targets[0]);
  g.AddEdge("Y", a, targets[3]);
  g.AddEdge("Y", targets[2], a);
  g.Freeze();
  auto y = g.Neighbors(a, *g.Lookup("Y"), Direction::kOut);
  ASSERT_EQ(y.size(), 2u);
  EXPECT_EQ(y[0], targets[1]);
  EXPECT_EQ(y[1], targets[3]);
  auto x = g.Neighbors(a, *g.Lookup("X"), Direction::kOut);
  ASSERT_EQ(x.size(), 2u);
  EXPECT_EQ(x[0], targets[0]);
  EXPECT_EQ(x[1], targets[4]);
  auto in = g.Neighbors(a, *g.Lookup("Y"), Direction::kIn);
  ASSERT_EQ(in.size(), 1u);
  EXPECT_EQ(in[0], targets[2]);
  EXPECT_TRUE(g.Neighbors(targets[0], *g.Lookup("Y"), Direction::kOut).empty());
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
  auto dangling =
      LoadGraphJson(R"({"nodes":[],"relationships":[{"type":"R","from":"a","to":"b"}]})");
  ASSERT_FALSE(dangling.ok());
  EXPECT_EQ(dangling.error().code(), ErrorCode::kValidation);
}

// A --graph file is checked against the schema: a string where the schema says Boolean would
// otherwise be compared as a string (privileged: "true" is not true) and silently pass.
TEST(GraphJsonTest, ValuesMustFollowTheSchema) {
  auto schema = Schema::Parse(R"(
    type ECSTaskDefinition @node {
      id: ID!
      networkMode: String
      revision: Int
      cpu: Float
      tags: [String!]
      containerSpecs: [ECSTaskContainerSpec!]! @relationship(type: "HAS_CONTAINER_DEFINITION", direction: OUT)
    }
    type ECSTaskContainerSpec @node {
      id: ID!
      privileged: Boolean
    })");
  ASSERT_TRUE(schema.ok()) << schema.error().ToString();
  auto load = [&](const std::string& td_props, const std::string& spec_props,
                  const std::string& rel_type = "HAS_CONTAINER_DEFINITION") {
    return LoadGraphJson(
        R"({"nodes": [{"id": "td", "label": "ECSTaskDefinition", "props": {)" + td_props +
            R"(}}, {"id": "c", "label": "ECSTaskContainerSpec", "props": {)" + spec_props +
            R"(}}], "relationships": [{"type": ")" + rel_type + R"(", "from": "td", "to": "c"}]})",
        "g.json", &*schema);
  };
  auto good = load(R"("networkMode": "host", "revision": 2, "cpu": 256, "tags": ["a=b"])",
                   R"("privileged": true)");
  ASSERT_TRUE(good.ok()) << good.error().ToString();
  EXPECT_TRUE(load(R"("networkMode": null)", "").ok());  // null: absent

  struct Case {
    std::string td, spec, message;
  };
  for (
      const Case& c : std::vector<Case>{
          {"", R"("privileged": "true")",
           R"(nodes[1] (id "c").props.privileged: expected true or false (Boolean), found a string)"},
          {R"("revision": 1.5)", "",
           R"(nodes[0] (id "td").props.revision: expected an integer (Int), found a number)"},
          {R"("cpu": "256")", "",
           R"(nodes[0] (id "td").props.cpu: expected a number (Float), found a string)"},
          {R"("tags": "a=b")", "",
           R"(nodes[0] (id "td").props.tags: expected [String], found a string)"},
          {R"("tags": ["a", 1])", "",
           R"(nodes[0] (id "td").props.tags: [1]: expected a string (String), found a number)"},
          {R"("networkMode": ["host"])", "",
           R"(nodes[0] (id "td").props.networkMode: expected String, found a list)"},
          {R"("nope": 1)", "",
           R"(nodes[0] (id "td").props.nope: type ECSTaskDefinition has no scalar field "nope")"},
          {R"("containerSpecs": "c")", "",
           R"(nodes[0] (id "td").props.containerSpecs: type ECSTaskDefinition has no scalar field "containerSpecs")"},
      }) {
    auto g = load(c.td, c.spec);
    ASSERT_FALSE(g.ok()) << c.message;
    EXPECT_EQ(g.error().code(), ErrorCode::kValidation);
    EXPECT_EQ(g.error().ToString(), "g.json: " + c.message);
  }
  auto rel = load("", "", "HAS_TASK");
  ASSERT_FALSE(rel.ok());
  EXPECT_EQ(rel.error().ToString(),
            "g.json: relationships[0]: no relationship field of the schema has type \"HAS_TASK\" "
            "from ECSTaskDefinition to ECSTaskContainerSpec");
  auto label = LoadGraphJson(R"({"nodes": [{"id": "x", "label": "Nope"}]})", "g.json", &*schema);
  ASSERT_FALSE(label.ok());
  EXPECT_EQ(label.error().ToString(),
            "g.json: nodes[0] (id \"x\"): label \"Nope\" is not a type of the schema");
}

}  // namespace
}  // namespace ecsguard::graph
