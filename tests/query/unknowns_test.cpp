// Query::Decide on graphs with unknown values (graph.h: kUnknownSuffix): the three-valued verdict
// of each root node over every value the unknowns may take, with the reasons of the unknowns that
// decide it. Without unknowns Decide is Matches (the conformance cases check that on every case).

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "graph/graph.h"
#include "query/query.h"

namespace ecsguard::query {
namespace {

constexpr std::string_view kSchema = R"(
type ECSTaskDefinition @node {
  id: ID! networkMode: String revision: Int
  containerSpecs: [ECSTaskContainerSpec!]! @relationship(type: "HAS_CONTAINER_DEFINITION", direction: OUT)
}
type ECSTaskContainerSpec @node { id: ID! privileged: Boolean user: String }
)";

const graph::Schema& Schema() {
  static const graph::Schema schema = graph::Schema::Parse(kSchema).value();
  return schema;
}

std::string Marker(std::string_view field) { return std::string(field) + "@unknown"; }

// One task definition "td" with the given props ("?" marks a field unknown) and containers.
struct Fixture {
  graph::Graph g;
  graph::NodeIndex td;

  Fixture() { td = g.AddNode("ECSTaskDefinition", "td"); }
  void Set(graph::NodeIndex n, std::string_view field, std::string_view value) {
    if (value == "?") {
      g.SetProp(n, Marker(field), g.String(std::string(field) + " is unknown"));
    } else if (value == "true" || value == "false") {
      g.SetProp(n, field, graph::Value::Bool(value == "true"));
    } else {
      g.SetProp(n, field, g.String(value));
    }
  }
  graph::NodeIndex Container(std::string_view id) {
    graph::NodeIndex c = g.AddNode("ECSTaskContainerSpec", id);
    g.AddEdge("HAS_CONTAINER_DEFINITION", td, c);
    return c;
  }
};

// "FAIL" (a match), "NOT_EVALUATED: <reasons>" or "PASS" for the root node "td".
std::string Verdict(Fixture& f, std::string_view where) {
  f.g.Freeze();
  std::string text = "{ ecsTaskDefinitions(where: ";
  text.append(where).append(") { id } }");
  auto q = Query::Compile(Schema(), text);
  EXPECT_TRUE(q.ok()) << q.error().ToString();
  if (!q.ok()) return "";
  auto d = q->Decide(f.g);
  EXPECT_TRUE(d.ok());
  if (!d->matches.empty()) return "FAIL";
  if (d->undecided.empty()) return "PASS";
  std::string out = "NOT_EVALUATED:";
  for (const std::string& r : d->undecided[0].reasons) out += " " + r + ";";
  return out;
}

TEST(DecideTest, ComparisonOnAnUnknownPropertyIsUndecidedNamingIt) {
  Fixture f;
  f.Set(f.td, "networkMode", "?");
  EXPECT_EQ(Verdict(f, R"({networkMode: "host"})"), "NOT_EVALUATED: networkMode is unknown;");
}

TEST(DecideTest, AKnownOperandDecidesAndAndOr) {
  Fixture f;
  f.Set(f.td, "networkMode", "bridge");
  f.Set(f.Container("c"), "user", "?");
  EXPECT_EQ(Verdict(f, R"({networkMode: "host", containerSpecs_SOME: {user: "root"}})"), "PASS");
  Fixture g;
  g.Set(g.td, "networkMode", "host");
  graph::NodeIndex c = g.Container("c");
  g.Set(c, "user", "?");
  g.Set(c, "privileged", "true");
  EXPECT_EQ(Verdict(g, R"({networkMode: "host", OR: [{containerSpecs_SOME: {user: "root"}},
                                                     {containerSpecs_SOME: {privileged: true}}]})"),
            "FAIL");
}

TEST(DecideTest, AbsentIsNullNotUnknown) {
  // NULL AND (anything) is never TRUE: decided, although the other operand is unknown.
  Fixture f;
  f.Set(f.Container("c"), "user", "?");
  EXPECT_EQ(Verdict(f, R"({networkMode: "host", containerSpecs_SOME: {user: "root"}})"), "PASS");
  // ... but its negation may be TRUE (NOT (NULL AND x) is NULL or TRUE).
  Fixture g;
  g.Set(g.Container("c"), "user", "?");
  EXPECT_EQ(Verdict(g, R"({NOT: {networkMode: "host", containerSpecs_SOME: {user: "root"}}})"),
            "NOT_EVALUATED: user is unknown;");
}

TEST(DecideTest, NullTestsAndEmptyInOnUnknowns) {
  Fixture f;
  f.Set(f.td, "networkMode", "?");
  EXPECT_EQ(Verdict(f, R"({networkMode: null})"), "NOT_EVALUATED: networkMode is unknown;");
  EXPECT_EQ(Verdict(f, R"({networkMode_IN: []})"), "PASS");
  EXPECT_EQ(Verdict(f, R"({NOT: {networkMode_IN: []}})"), "FAIL");
  // Matches keeps only nodes that match whatever the unknowns are.
  auto q = Query::Compile(Schema(), R"({ ecsTaskDefinitions(where: {networkMode: null}) { id } })");
  ASSERT_TRUE(q.ok());
  EXPECT_TRUE(q->Matches(f.g)->empty());
}

TEST(DecideTest, QuantifiersOverUnknownMembers) {
  Fixture f;
  f.Set(f.Container("a"), "privileged", "false");
  f.Set(f.Container("b"), "privileged", "?");
  EXPECT_EQ(Verdict(f, R"({containerSpecs_SOME: {privileged: true}})"),
            "NOT_EVALUATED: privileged is unknown;");
  EXPECT_EQ(Verdict(f, R"({containerSpecs_NONE: {privileged: true}})"),
            "NOT_EVALUATED: privileged is unknown;");
  EXPECT_EQ(Verdict(f, R"({containerSpecs_ALL: {privileged: false}})"),
            "NOT_EVALUATED: privileged is unknown;");
  EXPECT_EQ(Verdict(f, R"({containerSpecs_ALL: {privileged: true}})"), "PASS");
  EXPECT_EQ(Verdict(f, R"({containerSpecs_SINGLE: {privileged: false}})"),
            "NOT_EVALUATED: privileged is unknown;");
  // A known TRUE member decides SOME; two decide SINGLE to FALSE.
  Fixture g;
  g.Set(g.Container("a"), "privileged", "true");
  g.Set(g.Container("b"), "privileged", "true");
  g.Set(g.Container("c"), "privileged", "?");
  EXPECT_EQ(Verdict(g, R"({containerSpecs_SOME: {privileged: true}})"), "FAIL");
  EXPECT_EQ(Verdict(g, R"({containerSpecs_SINGLE: {privileged: true}})"), "PASS");
}

TEST(DecideTest, AnUnknownRelationshipMayHoldAnyFurtherNodes) {
  Fixture f;
  f.Set(f.td, "networkMode", "host");
  f.Set(f.td, "containerSpecs", "?");
  f.Set(f.Container("a"), "privileged", "false");
  EXPECT_EQ(Verdict(f, R"({networkMode: "host", containerSpecs_SOME: {privileged: true}})"),
            "NOT_EVALUATED: containerSpecs is unknown;");
  EXPECT_EQ(Verdict(f, R"({containerSpecs_ALL: {privileged: false}})"),
            "NOT_EVALUATED: containerSpecs is unknown;");
  EXPECT_EQ(Verdict(f, R"({containerSpecs_SOME: {privileged: false}})"), "FAIL");
  EXPECT_EQ(Verdict(f, R"({networkMode: "bridge", containerSpecs_SOME: {privileged: true}})"),
            "PASS");
}

}  // namespace
}  // namespace ecsguard::query
