// Execute (projection), variables, fragments, directives, paging, returnPath and Explain.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <thread>

#include "query_test_util.h"
#include "support.h"

namespace ecsguard::query {
namespace {

using nlohmann::json;

class ExecuteTest : public EcsFixtureTest {
 protected:
  static json Run(std::string_view text, const json& variables = json::object()) {
    auto q = Compile(text, variables);
    if (!q.ok()) return {{"error", q.error().ToString()}};
    auto out = q->Execute(*graph_);
    if (!out.ok()) return {{"error", out.error().ToString()}};
    return *out;
  }
};

TEST_F(ExecuteTest, ProjectsScalarsIdsAndTypenameInGraphOrder) {
  json expected = json::parse(R"({"data": {"ecsTaskDefinitions": [
    {"id": "td1", "__typename": "ECSTaskDefinition", "family": "web", "revision": 3,
     "cpu": 256.0, "tags": ["prod", "web"]},
    {"id": "td2", "__typename": "ECSTaskDefinition", "family": "api", "revision": 1,
     "cpu": 512.0, "tags": ["dev"]},
    {"id": "td4", "__typename": "ECSTaskDefinition", "family": null, "revision": null,
     "cpu": null, "tags": null}]}})");
  EXPECT_EQ(Run(R"({ ecsTaskDefinitions(where: {networkMode: "host"}) {
                       id __typename family revision cpu tags } })"),
            expected);
}

TEST_F(ExecuteTest, AliasesAndSeveralRootFields) {
  json out = Run(R"({ running: ecsTasks(where: {lastStatus: "RUNNING"}) { key: id }
                      ecsServices(where: {platformVersion: "LATEST"}) { name }
                      __typename })");
  EXPECT_EQ(out, json::parse(R"({"data": {
      "running": [{"key": "t1"}, {"key": "t3"}, {"key": "t4"}],
      "ecsServices": [{"name": "web-svc"}], "__typename": "Query"}})"));
  auto q = Compile(R"({ running: ecsTasks { id } ecsServices { id } })");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->root_field(), "ecsTasks");
  EXPECT_EQ(q->root_key(), "running");
  EXPECT_EQ(q->root_type().name, "ECSTask");
}

TEST_F(ExecuteTest, RelationshipFieldsWithTheirOwnWhere) {
  json out = Run(R"({ ecsTaskDefinitions(where: {id: "td1"}) {
      task { id lastStatus }
      containerSpecs(where: {privileged: true}) { name envEntries { key } }
      services { name } } })");
  EXPECT_EQ(out, json::parse(R"({"data": {"ecsTaskDefinitions": [{
      "task": {"id": "t1", "lastStatus": "RUNNING"},
      "containerSpecs": [{"name": "nginx", "envEntries": [{"key": "AWS_ACCESS_KEY_ID"}]}],
      "services": [{"name": "web-svc"}]}]}})"));
  // The selection never filters the parent; a 1:1 with no related node of the label is null.
  json none = Run(R"({ ecsTaskDefinitions(where: {id: "td3"}) { task { id }
                       containerSpecs(where: {name: "nope"}) { id } } })");
  EXPECT_EQ(none, json::parse(R"({"data": {"ecsTaskDefinitions": [
                                  {"task": null, "containerSpecs": []}]}})"));
}

TEST_F(ExecuteTest, FieldsWithTheSameKeyMerge) {
  json out = Run(R"({ ecsTaskDefinitions(where: {id: "td2"}) {
      containerSpecs { name } ...F containerSpecs { id } } }
      fragment F on ECSTaskDefinition { containerSpecs { user } })");
  EXPECT_EQ(out, json::parse(R"({"data": {"ecsTaskDefinitions": [{"containerSpecs": [
      {"name": "api", "id": "s3", "user": "Root"}, {"name": "logger", "id": "s4", "user": null}
  ]}]}})"));
}

TEST_F(ExecuteTest, FragmentsAndInlineFragments) {
  json out = Run(R"(query Named { ecsTaskDefinitions(where: {id: "td1"}) {
      ...F ... on ECSTaskDefinition { family } ... { revision } } }
      fragment F on ECSTaskDefinition { id })");
  EXPECT_EQ(out, json::parse(R"({"data": {"ecsTaskDefinitions": [
      {"id": "td1", "family": "web", "revision": 3}]}})"));
}

TEST_F(ExecuteTest, FragmentsOnQuery) {
  json out = Run(R"({ ...Roots } fragment Roots on Query { ecsServices(where: {id: "svc2"}) {
                      name } })");
  EXPECT_EQ(out, json::parse(R"({"data": {"ecsServices": [{"name": "batch-svc"}]}})"));
}

TEST_F(ExecuteTest, BuiltinAssetFragmentProjectsTheFieldsTheTypeHas) {
  // The conformance schema has no Asset interface: only __typename, id and name exist.
  json out = Run(R"(ecsServices(where: {id: "svc1"}) { ...AssetFragment
                     taskDefinition { ...AssetFragment } })");
  EXPECT_EQ(out, json::parse(R"({"data": {"ecsServices": [{
      "__typename": "ECSService", "id": "svc1", "name": "web-svc",
      "taskDefinition": {"__typename": "ECSTaskDefinition", "id": "td1"}}]}})"));
  // A document that defines AssetFragment itself keeps its own definition.
  json own = Run(R"({ ecsServices(where: {id: "svc1"}) { ...AssetFragment } }
                    fragment AssetFragment on ECSService { platformVersion })");
  EXPECT_EQ(own, json::parse(R"({"data": {"ecsServices": [{"platformVersion": "LATEST"}]}})"));
}

TEST_F(ExecuteTest, SkipAndIncludeDirectives) {
  json out = Run(R"(query($yes: Boolean!) { ecsTasks(where: {id: "t1"}) {
      id @skip(if: $yes) lastStatus @include(if: $yes) ... @skip(if: true) { launchType } } })",
                 {{"yes", true}});
  EXPECT_EQ(out, json::parse(R"({"data": {"ecsTasks": [{"lastStatus": "RUNNING"}]}})"));
}

TEST_F(ExecuteTest, PagingAndSorting) {
  EXPECT_EQ(Match("{ ecsTaskDefinitions(sort: [{revision: DESC}]) { id } }"), kAllTds);
  auto sorted = Compile(
      "{ ecsTaskDefinitions(sort: [{revision: DESC}], offset: 1, limit: 3) "
      "{ id } }");
  ASSERT_TRUE(sorted.ok()) << sorted.error().ToString();
  std::vector<std::string> ids;
  std::vector<graph::NodeIndex> matches = sorted->Matches(*graph_).value();
  for (graph::NodeIndex n : matches) ids.emplace_back(graph_->Id(n));
  // Descending puts the absent revision (td4) first, as Cypher does.
  EXPECT_EQ(ids, Ids({"td6", "td3", "td1"}));
  json out = Run(R"({ ecsTaskDefinitions(options: {limit: 2, sort: [{family: ASC}]}) { family }
                      ecsTasks(limit: 1) { id } })");
  EXPECT_EQ(out, json::parse(R"({"data": {
      "ecsTaskDefinitions": [{"family": ""}, {"family": "Web-frontend"}],
      "ecsTasks": [{"id": "t1"}]}})"));
  json nested = Run(R"({ ecsTaskDefinitions(where: {id: "td6"}) {
                          containerSpecs(options: {sort: [{name: DESC}], limit: 1}) { name } } })");
  EXPECT_EQ(nested, json::parse(R"({"data": {"ecsTaskDefinitions": [
                                    {"containerSpecs": [{"name": "old2"}]}]}})"));
}

TEST_F(ExecuteTest, VariablesDefaultsAndWholeWhereObjects) {
  const char* text = R"(query Check($mode: String = "host") {
                          ecsTaskDefinitions(where: {networkMode: $mode}) { id } })";
  EXPECT_EQ(Match(text), Ids({"td1", "td2", "td4"}));
  EXPECT_EQ(Match(text, {{"mode", "bridge"}}), Ids({"td6"}));
  EXPECT_EQ(Match(text, {{"mode", nullptr}}), Ids({"td5"}));  // null is the literal null
  const char* whole = "query($w: ECSTaskDefinitionWhere) { ecsTaskDefinitions(where: $w) { id } }";
  EXPECT_EQ(
      Match(whole,
            {{"w", {{"cpu", 256}, {"containerSpecs", {{"some", {{"user", {{"eq", "root"}}}}}}}}}}),
      Ids({"td1"}));
  EXPECT_EQ(Match(whole), kAllTds);
  EXPECT_EQ(Match("query($id: ID) { ecsTaskDefinitions(where: {id: $id}) { id } }", {{"id", 7}}),
            Ids({}));
  // Unsupplied variables omit the field (VAR-02); inside a list they are null.
  EXPECT_EQ(Match("query($ids: [ID!]) { ecsTaskDefinitions(where: {NOT: {id_IN: $ids}}) "
                  "{ id } }"),
            kAllTds);
  EXPECT_EQ(Match(R"(query($a: ID!, $b: ID!) {
                    ecsTaskDefinitions(where: {id_IN: [$a, $b]}) { id } })",
                  {{"a", "td1"}, {"b", "td3"}}),
            Ids({"td1", "td3"}));
  EXPECT_EQ(Match("query($ids: [ID!]) { ecsTaskDefinitions(where: {id_IN: $ids}) { id } }",
                  {{"ids", nullptr}}),
            Ids({}));  // VAR-04: IS NULL
  EXPECT_EQ(Match("query($ids: [ID!]) { ecsTaskDefinitions(where: {id_NOT_IN: $ids}) { id } }",
                  {{"ids", nullptr}}),
            kAllTds);
  // A variable the JSON supplies as one value is coerced to a list.
  EXPECT_EQ(Match("query($ids: [ID!]) { ecsTaskDefinitions(where: {id_IN: $ids}) { id } }",
                  {{"ids", "td2"}}),
            Ids({"td2"}));
}

TEST_F(ExecuteTest, FollowReturnPath) {  // PATH-01, PATH-02
  auto q = Compile(R"({ ecsTaskDefinitions(where: { networkMode: "host" }) {
                          containerSpecs { id envEntries { id } task: taskDefinition { id } } } })");
  ASSERT_TRUE(q.ok()) << q.error().ToString();
  json list = (*q->Execute(*graph_))["data"]["ecsTaskDefinitions"];
  auto ids = [](const json& items) {
    std::vector<std::string> out;
    for (const auto& i : items) out.push_back(i["id"]);
    std::sort(out.begin(), out.end());
    return out;
  };
  EXPECT_EQ(ids(FollowReturnPath(list, "containerSpecs")), Ids({"s1", "s2", "s3", "s4"}));
  EXPECT_EQ(ids(FollowReturnPath(list, "containerSpecs.envEntries")), Ids({"e1", "e2"}));
  EXPECT_EQ(ids(FollowReturnPath(list, "containerSpecs.task")), Ids({"td1", "td1", "td2", "td2"}));
  EXPECT_EQ(FollowReturnPath(list, "nope"), json::array());
  EXPECT_EQ(FollowReturnPath(list, "").size(), 3u);
  EXPECT_EQ(FollowReturnPath(json::parse(R"([{"a": null}, {"a": [null, 1, {"b": 2}]}, 3])"), "a"),
            json::parse(R"([{"b": 2}])"));
}

TEST_F(ExecuteTest, ExplainNamesTheRelatedNodesAndFieldsThatMatched) {
  auto q = Compile(R"({ ecsTaskDefinitions(where: {networkMode: "host", task_NOT: null, OR: [
                         {containerSpecs_SOME: { privileged: true }},
                         {containerSpecs_SOME: { user_CONTAINS: "root" }}] }) { id } })");
  ASSERT_TRUE(q.ok()) << q.error().ToString();
  auto node = [](const char* id) { return *graph_->FindNode(id); };
  EXPECT_EQ(q->Explain(*graph_, node("td1")),
            (std::vector<Witness>{{"", node("td1"), {"networkMode"}},
                                  {"task", node("t1"), {}},
                                  {"containerSpecs", node("s1"), {"privileged", "user"}}}));
  EXPECT_TRUE(q->Explain(*graph_, node("td2")).empty());  // does not match
  EXPECT_TRUE(q->Explain(*graph_, node("s1")).empty());   // not a root node

  auto nested = Compile(R"({ ecsTaskDefinitions(where: {containerSpecs_SOME: {
                              envEntries_SOME: {key_IN: ["AWS_ACCESS_KEY_ID"]}}}) { id } })");
  ASSERT_TRUE(nested.ok());
  EXPECT_EQ(nested->Explain(*graph_, node("td1")),
            (std::vector<Witness>{{"containerSpecs", node("s1"), {}},
                                  {"containerSpecs.envEntries", node("e1"), {"key"}}}));

  // Under NOT, the nodes that made NONE false or ALL false are the evidence.
  auto none = Compile(
      "{ ecsTaskDefinitions(where: {NOT: {containerSpecs_NONE: {privileged: "
      "true}}}) { id } }");
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->Explain(*graph_, node("td6")),
            (std::vector<Witness>{{"containerSpecs", node("s8"), {"privileged"}},
                                  {"containerSpecs", node("s9"), {"privileged"}}}));
  auto all = Compile(
      "{ ecsTaskDefinitions(where: {NOT: {containerSpecs_ALL: {privileged: "
      "false}}}) { id } }");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->Explain(*graph_, node("td1")),
            (std::vector<Witness>{{"containerSpecs", node("s1"), {"privileged"}}}));
  auto v7 = Compile(
      "{ ecsTaskDefinitions(where: {containerSpecs: {single: {privileged: {eq: "
      "true}}}}) { id } }");
  ASSERT_TRUE(v7.ok());
  EXPECT_EQ(v7->Explain(*graph_, node("td3")),
            (std::vector<Witness>{{"containerSpecs", node("s5"), {"privileged"}}}));
}

TEST_F(ExecuteTest, AGraphWithoutTheQueriedNamesMatchesNothing) {
  graph::Graph empty;
  empty.Freeze();
  auto q = Compile(R"({ ecsTaskDefinitions(where: {containerSpecs_NONE: {privileged: true}}) {
                          id containerSpecs { id } } })");
  ASSERT_TRUE(q.ok());
  EXPECT_TRUE(q->Matches(empty)->empty());
  EXPECT_EQ(*q->Execute(empty), json::parse(R"({"data": {"ecsTaskDefinitions": []}})"));
  graph::Graph bare;
  bare.AddNode("ECSTaskDefinition", "x");
  bare.Freeze();
  ASSERT_EQ(q->Matches(bare)->size(), 1u);  // NONE over no related nodes is TRUE
  EXPECT_EQ(*q->Execute(bare), json::parse(R"({"data": {"ecsTaskDefinitions": [
                                              {"id": "x", "containerSpecs": []}]}})"));
}

// containerSpecs { taskDefinition { containerSpecs ... } } multiplies the result by the fan-out
// at every level: past the budget the response is an error naming the limit.
TEST_F(ExecuteTest, BudgetBoundsTheResultAndTheWork) {
  auto q = Compile(
      "{ ecsTaskDefinitions { id containerSpecs { id taskDefinition { id containerSpecs { id "
      "taskDefinition { id } } } } } }");
  ASSERT_TRUE(q.ok()) << q.error().ToString();
  auto whole = q->Execute(*graph_);
  ASSERT_TRUE(whole.ok()) << whole.error().ToString();
  uint64_t size = whole->dump().size();

  auto big = q->Execute(*graph_, Budget{.max_result_bytes = size * 2});
  ASSERT_TRUE(big.ok()) << big.error().ToString();
  auto small = q->Execute(*graph_, Budget{.max_result_bytes = size / 2});
  ASSERT_FALSE(small.ok());
  EXPECT_EQ(small.error().code(), ErrorCode::kResourceExhausted);
  EXPECT_EQ(small.error().message(), fmt::format("query evaluation budget exceeded: result "
                                                 "larger than {} bytes",
                                                 size / 2));

  auto filter = Compile(
      "{ ecsTaskDefinitions(where: {containerSpecs_ALL: {taskDefinition: {containerSpecs_NONE: "
      "{privileged: true}}}}) { id } }");
  ASSERT_TRUE(filter.ok());
  ASSERT_TRUE(filter->Matches(*graph_).ok());
  auto slow = filter->Matches(*graph_, Budget{.max_steps = 5});
  ASSERT_FALSE(slow.ok());
  EXPECT_EQ(slow.error().code(), ErrorCode::kResourceExhausted);
  EXPECT_EQ(slow.error().message().find("query evaluation budget exceeded: more than 5 steps"), 0u);
  EXPECT_FALSE(q->Execute(*graph_, Budget{.max_steps = 5}).ok());
}

TEST_F(ExecuteTest, CopiesShareTheProgramAndEvaluateConcurrently) {
  auto q = Compile(
      "{ ecsTaskDefinitions(where: {containerSpecs_SOME: {privileged: true}}) "
      "{ id } }");
  ASSERT_TRUE(q.ok());
  Query copy = *q;
  std::vector<std::vector<graph::NodeIndex>> results(4);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      for (int r = 0; r < 200; ++r) results[i] = *copy.Matches(*graph_);
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& r : results) EXPECT_EQ(r, *q->Matches(*graph_));
}

// The bundled asset schema: an Asset interface and a @sensitive field.
class AssetSchemaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto schema = graph::Schema::Parse(
        testing::ReadFileOrDie(testing::SourcePath("schemas/aws.graphql")), "schemas/aws.graphql");
    ASSERT_TRUE(schema.ok()) << schema.error().ToString();
    schema_ = std::make_unique<graph::Schema>(std::move(schema).value());
    graph::NodeIndex td = g_.AddNode("ECSTaskDefinition", "arn:td:1");
    g_.SetProp(td, "identifier", g_.String("arn:td:1"));
    g_.SetProp(td, "name", g_.String("web:1"));
    g_.SetProp(td, "region", g_.String("eu-west-1"));
    graph::NodeIndex spec = g_.AddNode("ECSTaskContainerSpec", "arn:td:1#web");
    g_.SetProp(spec, "name", g_.String("web"));
    graph::NodeIndex env = g_.AddNode("ECSEnvEntry", "arn:td:1#web#AWS_SECRET_ACCESS_KEY");
    g_.SetProp(env, "key", g_.String("AWS_SECRET_ACCESS_KEY"));
    g_.SetProp(env, "value", g_.String("hunter2"));
    graph::NodeIndex empty = g_.AddNode("ECSEnvEntry", "arn:td:1#web#EMPTY");
    g_.SetProp(empty, "key", g_.String("EMPTY"));
    g_.AddEdge("HAS_CONTAINER_DEFINITION", td, spec);
    g_.AddEdge("HAS_ENV_ENTRY", spec, env);
    g_.AddEdge("HAS_ENV_ENTRY", spec, empty);
    g_.Freeze();
  }

  json Run(std::string_view text, const CompileOptions& options = {}) {
    auto q = Query::Compile(*schema_, text, json::object(), options);
    if (!q.ok()) return {{"error", q.error().ToString()}};
    auto out = q->Execute(g_);
    if (!out.ok()) return {{"error", out.error().ToString()}};
    return *out;
  }

  std::unique_ptr<graph::Schema> schema_;
  graph::Graph g_;
};

TEST_F(AssetSchemaTest, SensitiveValuesAreFilteredOnButNeverOutput) {
  json out = Run(R"({ ecsTaskDefinitions(where: {containerSpecs_SOME: {envEntries_SOME: {
                        value_STARTS_WITH: "hunter"}}}) {
                        containerSpecs { envEntries { key value } } } })",
                 CompileOptions{.allow_sensitive_filters = true});
  EXPECT_EQ(out, json::parse(R"({"data": {"ecsTaskDefinitions": [{"containerSpecs": [{
      "envEntries": [{"key": "AWS_SECRET_ACCESS_KEY", "value": "<redacted>"},
                     {"key": "EMPTY", "value": null}]}]}]}})"));
  EXPECT_EQ(out.dump().find("hunter2"), std::string::npos);
}

// value_STARTS_WITH: "a", then "ab", ... would rebuild a secret that prints as <redacted>: an
// ad-hoc query may only ask whether a @sensitive field is set.
TEST_F(AssetSchemaTest, AdHocQueriesTestSensitiveFieldsOnlyForExistence) {
  const std::string prefix =
      "{ ecsTaskDefinitions(where: {containerSpecs_SOME: {envEntries_SOME: {";
  for (std::string filter :
       {R"(value_STARTS_WITH: "h")", R"(value: "hunter2")", R"(value_EQ: "hunter2")",
        R"(value_NOT: "x")", R"(value_IN: ["hunter2"])", R"(value_NOT_IN: ["a"])",
        R"(value_CONTAINS: "unt")", R"(value_ENDS_WITH: "2")", R"(value_MATCHES: "h.*")",
        R"(value_GT: "h")", R"(value_LTE: "i")", R"(value: {eq: "hunter2"})",
        R"(value: {startsWith: "h"})"}) {
    auto q = Query::Compile(*schema_, prefix + filter + "}}}) { id } }");
    ASSERT_FALSE(q.ok()) << filter;
    EXPECT_EQ(q.error().code(), ErrorCode::kValidation);
    EXPECT_NE(q.error().message().find("\"value\""), std::string::npos) << q.error().message();
    EXPECT_NE(q.error().message().find("@sensitive"), std::string::npos) << q.error().message();
    EXPECT_EQ(q.error().location().line, 1u);
    EXPECT_GE(q.error().location().column, prefix.size() + 1) << filter;
  }
  auto sorted = Query::Compile(
      *schema_,
      "{ ecsTaskDefinitions { containerSpecs { envEntries(sort: [{value: ASC}]) { key } } } }");
  ASSERT_FALSE(sorted.ok());
  EXPECT_EQ(sorted.error().message(),
            "Cannot sort by \"value\" (at \"value\"): the field is @sensitive, and a query may "
            "only test whether it is set (value: null, value_NOT: null).");
  EXPECT_EQ(sorted.error().location().column, 60u);

  EXPECT_EQ(Run(prefix + "value_NOT: null}}}) { id } }"),
            json::parse(R"({"data": {"ecsTaskDefinitions": [{"id": "arn:td:1"}]}})"));
  EXPECT_EQ(Run(prefix + "value: null}}}) { id } }"),
            json::parse(R"({"data": {"ecsTaskDefinitions": [{"id": "arn:td:1"}]}})"));
  EXPECT_EQ(Run(prefix + "value: {eq: null}}}}) { id } }"),
            json::parse(R"({"data": {"ecsTaskDefinitions": [{"id": "arn:td:1"}]}})"));
  // Trusted checks (the shipped catalog) may compare them.
  EXPECT_EQ(Run(prefix + R"(value_STARTS_WITH: "x"}}}) { id } })",
                CompileOptions{.allow_sensitive_filters = true}),
            json::parse(R"({"data": {"ecsTaskDefinitions": []}})"));
}

TEST_F(AssetSchemaTest, AssetFragmentOnEveryType) {
  json out = Run(R"(ecsTaskDefinitions { ...AssetFragment
                      containerSpecs { ...AssetFragment envEntries { ...AssetFragment } } })");
  EXPECT_EQ(out, json::parse(R"({"data": {"ecsTaskDefinitions": [{
      "__typename": "ECSTaskDefinition", "id": "arn:td:1", "identifier": "arn:td:1",
      "idFromProvider": null, "name": "web:1", "cloudProvider": null, "accountId": null,
      "region": "eu-west-1", "assetCategory": null,
      "containerSpecs": [{
        "__typename": "ECSTaskContainerSpec", "id": "arn:td:1#web", "identifier": null,
        "idFromProvider": null, "name": "web", "cloudProvider": null, "accountId": null,
        "region": null, "assetCategory": null,
        "envEntries": [{"__typename": "ECSEnvEntry", "id": "arn:td:1#web#AWS_SECRET_ACCESS_KEY"},
                       {"__typename": "ECSEnvEntry", "id": "arn:td:1#web#EMPTY"}]}]}]}})"));
}

TEST_F(AssetSchemaTest, FragmentsOnInterfaces) {
  json out = Run(R"({ ecsTaskDefinitions { ...A containerSpecs { ... on Asset { region } } } }
                    fragment A on Asset { name })");
  EXPECT_EQ(out, json::parse(R"({"data": {"ecsTaskDefinitions": [{
      "name": "web:1", "containerSpecs": [{"region": null}]}]}})"));
  json bad = Run(R"({ ecsTaskDefinitions { containerSpecs { envEntries { ...A } } } }
                    fragment A on Asset { name })");
  ASSERT_TRUE(bad.contains("error"));
  EXPECT_NE(bad["error"].get<std::string>().find(
                "objects of type \"ECSEnvEntry\" can never be of type \"Asset\""),
            std::string::npos)
      << bad;
}

}  // namespace
}  // namespace ecsguard::query
