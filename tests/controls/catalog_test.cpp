#include "controls/catalog.h"

#include <gtest/gtest.h>

#include "support.h"

namespace ecsguard::controls {
namespace {

constexpr char kMinimal[] = R"(id: x
title: T
severity: high
subjects: [ECSTaskDefinition]
overview: o
checks:
  - name: c
    query: "{ ecsTaskDefinitions { id } }"
)";

TEST(CatalogTest, ParsesMinimalControl) {
  auto c = ParseControl(kMinimal, "x.yaml");
  ASSERT_TRUE(c.ok()) << c.error().ToString();
  EXPECT_EQ(c->id, "x");
  EXPECT_EQ(c->severity, Severity::kHigh);
  EXPECT_TRUE(c->enabled_by_default);
  ASSERT_EQ(c->checks.size(), 1u);
  EXPECT_EQ(c->checks[0].comparator, Comparator::kEq);
  EXPECT_EQ(c->checks[0].expected, "[]");
}

TEST(CatalogTest, ScopeSaysWhichRevisionsAControlJudges) {
  auto unstated = ParseControl(kMinimal, "x.yaml");
  ASSERT_TRUE(unstated.ok()) << unstated.error().ToString();
  EXPECT_EQ(unstated->scope, RevisionScope::kInUse);
  auto latest = ParseControl(std::string(kMinimal) + "scope: latest-active\n", "x.yaml");
  ASSERT_TRUE(latest.ok()) << latest.error().ToString();
  EXPECT_EQ(latest->scope, RevisionScope::kLatestActive);
  // The shipped controls: only the Security Hub restatement looks past the revisions in use.
  auto catalog = Catalog::LoadDirectory(testing::SourcePath("controls"));
  ASSERT_TRUE(catalog.ok()) << catalog.error().ToString();
  EXPECT_EQ(catalog->Find("aws-ecs-1-privileged-network-mode")->scope, RevisionScope::kInUse);
  EXPECT_EQ(catalog->Find("aws-ecs-1-strict")->scope, RevisionScope::kInUse);
  EXPECT_EQ(catalog->Find("aws-securityhub-ecs-1")->scope, RevisionScope::kLatestActive);
}

// Security Hub retired ECS.1 in March 2026: the restatement says so and by what it was replaced,
// and still runs (findings Security Hub made while it was published are reconciled with it).
TEST(CatalogTest, StatusSaysWhetherTheSourceStillPublishesAControl) {
  auto unstated = ParseControl(kMinimal, "x.yaml");
  ASSERT_TRUE(unstated.ok()) << unstated.error().ToString();
  EXPECT_EQ(unstated->lifecycle, Lifecycle::kActive);
  EXPECT_TRUE(unstated->superseded_by.empty());
  auto retired = ParseControl(
      std::string(kMinimal) + "status: retired\nsuperseded_by: [ECS.4, ECS.17]\n", "x.yaml");
  ASSERT_TRUE(retired.ok()) << retired.error().ToString();
  EXPECT_EQ(retired->lifecycle, Lifecycle::kRetired);
  EXPECT_EQ(retired->superseded_by, (std::vector<std::string>{"ECS.4", "ECS.17"}));

  auto catalog = Catalog::LoadDirectory(testing::SourcePath("controls"));
  ASSERT_TRUE(catalog.ok()) << catalog.error().ToString();
  const Control* ecs1 = catalog->Find("aws-securityhub-ecs-1");
  EXPECT_EQ(ecs1->lifecycle, Lifecycle::kRetired);
  EXPECT_EQ(ecs1->superseded_by, (std::vector<std::string>{"ECS.4", "ECS.17", "ECS.20", "ECS.21"}));
  EXPECT_NE(ecs1->overview.find("retired ECS.1 in March 2026"), std::string::npos);
  EXPECT_EQ(catalog->Find("aws-ecs-1-privileged-network-mode")->lifecycle, Lifecycle::kActive);
  auto selected = catalog->Select({"aws-securityhub-ecs-1"});
  ASSERT_TRUE(selected.ok()) << selected.error().ToString();
}

TEST(CatalogTest, BrokenFilesAreClearErrors) {
  struct Case {
    std::string yaml;
    std::string message_part;
    uint32_t line;
  };
  std::vector<Case> cases = {
      {"id: x\ntitle: [unclosed\n", "", 0},
      {std::string(kMinimal) + "bogus: 1\n", "unknown field \"bogus\"", 9},
      {"id: x\ntitle: T\nseverity: urgent\nsubjects: [A]\noverview: o\nchecks: []\n",
       "severity must be", 3},
      {"id: x\ntitle: T\nseverity: low\nsubjects: [A]\noverview: o\nchecks: []\n",
       "\"checks\" must be a non-empty list", 6},
      {"id: x\ntitle: T\nseverity: low\nsubjects: [A]\noverview: o\nchecks:\n  - name: c\n"
       "    query: q\n    comparator: gt\n",
       "comparator must be eq or neq", 9},
      {std::string(kMinimal) + "scope: all-revisions\n",
       "scope must be in-use or latest-active, not \"all-revisions\"", 9},
      {std::string(kMinimal) + "scope: [in-use]\n", "\"scope\" must be a string", 9},
      {std::string(kMinimal) + "status: deprecated\n",
       "status must be active or retired, not \"deprecated\"", 9},
      {std::string(kMinimal) + "superseded_by: [ECS.4]\n",
       "superseded_by is for a control whose status is retired", 9},
      {"- just\n- a list\n", "must be a YAML mapping", 1},
      {"", "must be a YAML mapping", 0},
  };
  for (const Case& c : cases) {
    auto r = ParseControl(c.yaml, "bad.yaml");
    ASSERT_FALSE(r.ok()) << c.yaml;
    EXPECT_EQ(r.error().code(), ErrorCode::kConfiguration);
    EXPECT_EQ(r.error().location().file, "bad.yaml");
    EXPECT_NE(r.error().message().find(c.message_part), std::string::npos) << r.error().message();
    if (c.line) {
      EXPECT_EQ(r.error().location().line, c.line) << r.error().ToString();
    }
  }
}

TEST(CatalogTest, BundledCatalogAndDefaultSet) {
  auto catalog = Catalog::LoadDirectory(testing::SourcePath("controls"));
  ASSERT_TRUE(catalog.ok()) << catalog.error().ToString();
  auto defaults = catalog->Select({});
  ASSERT_TRUE(defaults.ok());
  std::vector<std::string> ids;
  for (const Control* c : *defaults) ids.push_back(c->id);
  EXPECT_EQ(ids,
            (std::vector<std::string>{"aws-ecs-1-privileged-network-mode", "aws-ecs-1-strict"}));
  auto opt_in = catalog->Select({"aws-securityhub-ecs-1"});
  ASSERT_TRUE(opt_in.ok());
  EXPECT_EQ((*opt_in)[0]->id, "aws-securityhub-ecs-1");
  EXPECT_EQ(catalog->Find("ECS.1")->id, "aws-ecs-1-privileged-network-mode");
  auto unknown = catalog->Select({"nope"});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code(), ErrorCode::kInvalidArgument);
}

TEST(CatalogTest, SeedCheckIsTheSeedQueryVerbatim) {
  std::string seed = testing::ReadFileOrDie(
      testing::FixturePath("seed/control-aws-ecs-1-privileged-network-mode.txt"));
  auto catalog = Catalog::LoadDirectory(testing::SourcePath("controls"));
  ASSERT_TRUE(catalog.ok());
  const Control* c = catalog->Find("aws-ecs-1-privileged-network-mode");
  ASSERT_NE(c, nullptr);
  const std::string& q = c->checks.at(0).query;
  // The seed prints the query between "Expected check: eq []" and the provider line.
  size_t begin = seed.find("{\necsTaskDefinitions(");
  ASSERT_NE(begin, std::string::npos);
  size_t end = seed.find("{...AssetFragment}\n}", begin);
  ASSERT_NE(end, std::string::npos);
  EXPECT_EQ(q, seed.substr(begin, end + std::string("{...AssetFragment}\n}").size() - begin));
  EXPECT_EQ(c->checks[0].comparator, Comparator::kEq);
  EXPECT_EQ(c->checks[0].expected, "[]");
}

}  // namespace
}  // namespace ecsguard::controls
