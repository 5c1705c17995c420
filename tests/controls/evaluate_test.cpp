#include "controls/evaluate.h"

#include <gtest/gtest.h>

#include <map>

#include "support.h"

namespace ecsguard::controls {
namespace {

// Task definitions named by what they exercise; "t-" nodes are running tasks.
constexpr char kGraph[] = R"({
  "nodes": [
    {"id": "host-priv", "label": "ECSTaskDefinition", "props": {"identifier": "host-priv", "networkMode": "host", "status": "ACTIVE", "isLatestRevision": true}},
    {"id": "host-uid0", "label": "ECSTaskDefinition", "props": {"identifier": "host-uid0", "networkMode": "host", "status": "ACTIVE", "isLatestRevision": true}},
    {"id": "host-rootless", "label": "ECSTaskDefinition", "props": {"identifier": "host-rootless", "networkMode": "host", "status": "ACTIVE", "isLatestRevision": true}},
    {"id": "host-nouser", "label": "ECSTaskDefinition", "props": {"identifier": "host-nouser", "networkMode": "host", "status": "ACTIVE", "isLatestRevision": true}},
    {"id": "vpc-priv", "label": "ECSTaskDefinition", "props": {"identifier": "vpc-priv", "networkMode": "awsvpc", "status": "ACTIVE", "isLatestRevision": true}},
    {"id": "host-idle", "label": "ECSTaskDefinition", "props": {"identifier": "host-idle", "networkMode": "host", "status": "ACTIVE", "isLatestRevision": false}},
    {"id": "host-priv#web", "label": "ECSTaskContainerSpec", "props": {"name": "web", "privileged": true, "user": "1000"}},
    {"id": "host-priv#log", "label": "ECSTaskContainerSpec", "props": {"name": "log", "privileged": false}},
    {"id": "host-uid0#app", "label": "ECSTaskContainerSpec", "props": {"name": "app", "user": "0:0"}},
    {"id": "host-rootless#app", "label": "ECSTaskContainerSpec", "props": {"name": "app", "user": "rootless", "privileged": false}},
    {"id": "host-nouser#app", "label": "ECSTaskContainerSpec", "props": {"name": "app"}},
    {"id": "vpc-priv#app", "label": "ECSTaskContainerSpec", "props": {"name": "app", "privileged": true, "user": "root"}},
    {"id": "host-idle#app", "label": "ECSTaskContainerSpec", "props": {"name": "app", "user": "root"}},
    {"id": "t1", "label": "ECSTask"}, {"id": "t2", "label": "ECSTask"}, {"id": "t3", "label": "ECSTask"},
    {"id": "t4", "label": "ECSTask"}, {"id": "t5", "label": "ECSTask"}
  ],
  "relationships": [
    {"type": "HAS_CONTAINER_DEFINITION", "from": "host-priv", "to": "host-priv#web"},
    {"type": "HAS_CONTAINER_DEFINITION", "from": "host-priv", "to": "host-priv#log"},
    {"type": "HAS_CONTAINER_DEFINITION", "from": "host-uid0", "to": "host-uid0#app"},
    {"type": "HAS_CONTAINER_DEFINITION", "from": "host-rootless", "to": "host-rootless#app"},
    {"type": "HAS_CONTAINER_DEFINITION", "from": "host-nouser", "to": "host-nouser#app"},
    {"type": "HAS_CONTAINER_DEFINITION", "from": "vpc-priv", "to": "vpc-priv#app"},
    {"type": "HAS_CONTAINER_DEFINITION", "from": "host-idle", "to": "host-idle#app"},
    {"type": "HAS_TASK_DEFINITION", "from": "t1", "to": "host-priv"},
    {"type": "HAS_TASK_DEFINITION", "from": "t2", "to": "host-uid0"},
    {"type": "HAS_TASK_DEFINITION", "from": "t3", "to": "host-rootless"},
    {"type": "HAS_TASK_DEFINITION", "from": "t4", "to": "host-nouser"},
    {"type": "HAS_TASK_DEFINITION", "from": "t5", "to": "vpc-priv"}
  ]
})";

class EvaluateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto schema =
        graph::Schema::Parse(testing::ReadFileOrDie(testing::SourcePath("schemas/aws.graphql")));
    ASSERT_TRUE(schema.ok()) << schema.error().ToString();
    schema_ = std::move(schema).value();
    auto g = graph::LoadGraphJson(kGraph);
    ASSERT_TRUE(g.ok()) << g.error().ToString();
    graph_ = std::move(g).value();
    auto catalog = Catalog::LoadDirectory(testing::SourcePath("controls"));
    ASSERT_TRUE(catalog.ok()) << catalog.error().ToString();
    catalog_ = std::move(catalog).value();
  }

  // id -> "FAIL"/"PASS" for the applicable assets of one control.
  std::map<std::string, std::string> Verdicts(const std::string& control,
                                              Mode mode = Mode::kDeployed) {
    auto eval = Evaluate(*catalog_.Find(control), schema_, graph_, mode);
    EXPECT_TRUE(eval.ok()) << eval.error().ToString();
    std::map<std::string, std::string> out;
    if (!eval.ok()) return out;
    for (const AssetVerdict& v : eval->verdicts) {
      out[std::string(graph_.Id(v.node))] = v.failed ? "FAIL" : "PASS";
    }
    return out;
  }

  graph::Schema schema_;
  graph::Graph graph_;
  Catalog catalog_;
};

TEST_F(EvaluateTest, SeedControlHasItsKnownBlindSpots) {
  // Only in-use revisions are applicable; "0:0" is missed and "rootless" is flagged.
  EXPECT_EQ(Verdicts("aws-ecs-1-privileged-network-mode"),
            (std::map<std::string, std::string>{{"host-priv", "FAIL"},
                                                {"host-uid0", "PASS"},
                                                {"host-rootless", "FAIL"},
                                                {"host-nouser", "PASS"},
                                                {"vpc-priv", "PASS"}}));
}

TEST_F(EvaluateTest, StrictControlJudgesTheWholeUserField) {
  EXPECT_EQ(Verdicts("aws-ecs-1-strict"),
            (std::map<std::string, std::string>{{"host-priv", "FAIL"},
                                                {"host-uid0", "FAIL"},
                                                {"host-rootless", "PASS"},
                                                {"host-nouser", "PASS"},
                                                {"vpc-priv", "PASS"}}));
}

TEST_F(EvaluateTest, SecurityHubSemanticsLookAtLatestActiveRevisions) {
  // Privileged counts as compliant; a missing user counts as root; in use or not is irrelevant.
  EXPECT_EQ(Verdicts("aws-securityhub-ecs-1"),
            (std::map<std::string, std::string>{{"host-priv", "FAIL"},
                                                {"host-uid0", "PASS"},
                                                {"host-rootless", "PASS"},
                                                {"host-nouser", "FAIL"},
                                                {"vpc-priv", "PASS"}}));
}

TEST_F(EvaluateTest, IacVariantDropsTheInUseClause) {
  auto v = Verdicts("aws-ecs-1-strict", Mode::kIac);
  EXPECT_EQ(v["host-idle"], "FAIL");
  EXPECT_EQ(v["vpc-priv"], "PASS");
  EXPECT_EQ(v.size(), 6u);
}

TEST_F(EvaluateTest, FailuresCarryTheContainersThatMatched) {
  auto eval = Evaluate(*catalog_.Find("aws-ecs-1-strict"), schema_, graph_);
  ASSERT_TRUE(eval.ok());
  for (const AssetVerdict& v : eval->verdicts) {
    if (graph_.Id(v.node) != "host-priv") continue;
    // The first witness is the asset itself (the root fields the check read).
    ASSERT_GE(v.witnesses.size(), 2u);
    EXPECT_EQ(v.witnesses[0].relationship_path, "");
    EXPECT_EQ(v.witnesses[0].fields, std::vector<std::string>{"networkMode"});
    const query::Witness* container = nullptr;
    for (const query::Witness& w : v.witnesses) {
      if (w.relationship_path == "containerSpecs") container = &w;
    }
    ASSERT_NE(container, nullptr);
    EXPECT_EQ(graph_.Id(container->node), "host-priv#web");
    EXPECT_NE(std::find(container->fields.begin(), container->fields.end(), "privileged"),
              container->fields.end());
  }
}

TEST_F(EvaluateTest, ReturnPathFollowsAnAliasedRootField) {
  // The failing assets are the nested containers; the root field is aliased, so the data is
  // keyed by the alias. Reading it under the field name would find nothing and pass everything.
  Control c = *catalog_.Find("aws-ecs-1-strict");
  c.subjects = {"ECSTaskContainerSpec"};
  c.checks.resize(1);
  c.checks[0].query =
      R"({ hosts: ecsTaskDefinitions(where: { networkMode: "host" }) {
             containerSpecs(where: { privileged: true }) { id } } })";
  c.checks[0].return_path = "containerSpecs";
  c.checks[0].applicable_assets_query.clear();
  auto eval = Evaluate(c, schema_, graph_);
  ASSERT_TRUE(eval.ok()) << eval.error().ToString();
  std::vector<std::string> failed;
  for (const AssetVerdict& v : eval->verdicts) {
    if (v.failed) failed.emplace_back(graph_.Id(v.node));
  }
  EXPECT_EQ(failed, std::vector<std::string>{"host-priv#web"});
}

// A check that runs out of its evaluation budget loses no asset: every subject asset is
// NOT_EVALUATED with the limit named, none PASS.
TEST_F(EvaluateTest, CheckOverItsBudgetLeavesTheAssetsNotEvaluated) {
  auto eval = Evaluate(*catalog_.Find("aws-ecs-1-strict"), schema_, graph_, Mode::kDeployed,
                       query::Budget{.max_steps = 10});
  ASSERT_TRUE(eval.ok()) << eval.error().ToString();
  ASSERT_EQ(eval->verdicts.size(), 6u);  // every task definition, in use or not
  for (const AssetVerdict& v : eval->verdicts) {
    EXPECT_FALSE(v.failed);
    EXPECT_EQ(v.not_evaluated,
              "check \"in-use host-mode revisions with a privileged container or a root user\": "
              "query evaluation budget exceeded: more than 10 steps (filter operators, related "
              "nodes and result objects)");
  }
}

// The catalog is trusted: its checks may compare @sensitive values, which ad-hoc queries may not.
TEST_F(EvaluateTest, CatalogChecksMayCompareSensitiveValues) {
  Control c = *catalog_.Find("aws-ecs-1-strict");
  c.checks.resize(1);
  c.checks[0].query = R"({ ecsTaskDefinitions(where: { containerSpecs_SOME: {
                            envEntries_SOME: { value_STARTS_WITH: "AKIA" } } }) { id } })";
  EXPECT_TRUE(Validate(c, schema_).ok());
  EXPECT_TRUE(Evaluate(c, schema_, graph_).ok());
}

TEST_F(EvaluateTest, BrokenCheckIsAConfigurationError) {
  Control c = *catalog_.Find("aws-ecs-1-strict");
  c.checks[0].query = "{ ecsTaskDefinitions(where: { nope: 1 }) { id } }";
  auto eval = Evaluate(c, schema_, graph_);
  ASSERT_FALSE(eval.ok());
  EXPECT_NE(eval.error().message().find("nope"), std::string::npos);
  EXPECT_FALSE(Validate(c, schema_).ok());
}

}  // namespace
}  // namespace ecsguard::controls
