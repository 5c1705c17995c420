// CloudFormation read as CloudFormation reads it, against hostile pull requests: YAML merge keys,
// several documents, repeated keys, and intrinsics that would produce gigabytes.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "iac_test_util.h"
#include "ingest/iac/cloudformation.h"
#include "ingest/iac/iac.h"

namespace ecsguard::ingest {
namespace {

using namespace ecsguard::ingest::testing;  // NOLINT

TEST(CloudFormationHostile, MergeKeysAreExpandedIntoContainers) {
  IacResult r = LoadData("cfn_strict/merge_key.yaml");
  ASSERT_TRUE(r.problems.empty()) << Problems(r);
  const graph::Graph& g = r.graph;
  const std::string td = "cfn_strict/merge_key.yaml#Task";
  EXPECT_EQ(Bool(g, td + "#web", "privileged"), "true");
  EXPECT_EQ(Str(g, td + "#web", "user"), "root");
  EXPECT_EQ(Int(g, td + "#web", "privileged@line"), 7);  // the anchor's line
  EXPECT_EQ(Bool(g, td + "#sidecar", "privileged"), "false");
  EXPECT_EQ(Str(g, td + "#sidecar", "user"), "1000");
  EXPECT_EQ(Bool(g, td + "#worker", "privileged"), "true");
  EXPECT_EQ(Str(g, td + "#worker", "user"), "1000");
}

TEST(CloudFormationHostile, ASecondDocumentIsAProblem) {
  IacResult r = LoadData("cfn_strict/multi_document.yaml");
  ExpectOnlyProblemAt(r, ErrorCode::kParse, "cfn_strict/multi_document.yaml", 9, 1);
  EXPECT_FALSE(r.graph.FindNode("cfn_strict/multi_document.yaml#Quiet"));
}

// CloudFormation rejects a template with a repeated key: every task definition in it is a gap.
TEST(CloudFormationHostile, DuplicateKeysAreProblemsAndGaps) {
  struct Case {
    std::string file;
    uint32_t line, column;
  } cases[] = {{"cfn_strict/duplicate_key.yaml", 11, 11}, {"cfn_strict/duplicate_key.json", 9, 65}};
  for (const Case& c : cases) {
    SCOPED_TRACE(c.file);
    IacResult r = LoadData(c.file);
    ExpectOnlyProblemAt(r, ErrorCode::kParse, c.file, c.line, c.column);
    EXPECT_EQ(r.problems[0].message(), "duplicate key \"Privileged\"");
    EXPECT_FALSE(r.graph.FindNode(c.file + "#Task"));
    const Gap* gap = FindGap(r, c.file + "#Task");
    ASSERT_NE(gap, nullptr);
    EXPECT_EQ(gap->reason,
              fmt::format("the template has a duplicate key \"Privileged\" at line {}, "
                          "column {}, which CloudFormation rejects",
                          c.line, c.column));
  }
}

TEST(CloudFormationHostile, PropertiesRepeatedInAnotherCaseAreProblemsAndGaps) {
  IacResult r = LoadData("cfn_strict/case_variant_key.yaml");
  // DockerLabels' team and Team are labels, not properties.
  ExpectOnlyProblemAt(r, ErrorCode::kValidation, "cfn_strict/case_variant_key.yaml", 14, 11);
  EXPECT_FALSE(r.graph.FindNode("cfn_strict/case_variant_key.yaml#Task"));
  const Gap* gap = FindGap(r, "cfn_strict/case_variant_key.yaml#Task");
  ASSERT_NE(gap, nullptr);
  EXPECT_EQ(gap->reason,
            "property \"Privileged\" repeats another in a different case, which CloudFormation "
            "rejects (line 14, column 11)");
}

TEST(CloudFormationHostile, LabelsDifferingInCaseAreFine) {
  IacResult r = LoadIacText(
      "Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n"
      "      ContainerDefinitions:\n        - Name: a\n          Privileged: true\n"
      "          DockerLabels: {team: a, Team: b}\n"
      "          User: !Sub ['${u}${U}', {u: r, U: oot}]\n",
      "t.yaml");
  ASSERT_TRUE(r.problems.empty()) << Problems(r);
  EXPECT_EQ(Str(r.graph, "t.yaml#T#a", "user"), "root");
}

// Files found by walking a folder that CloudFormation would reject are problems, not skipped.
TEST(CloudFormationHostile, BrokenTemplatesInAFolderAreNotSkippedQuietly) {
  namespace fs = std::filesystem;
  fs::path dir = fs::path(::testing::TempDir()) / "cfn_hostile_walk";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "untyped.yaml")
      << "Resources:\n  Bogus:\n    Type: !Ref X\n  T:\n    Type: AWS::ECS::TaskDefinition\n"
         "    Properties:\n      NetworkMode: host\n";
  // The only marker of a template comes after 64 KiB of padding.
  std::ofstream(dir / "padded.yaml") << "# " << std::string(70000, 'x') << "\n"
                                     << "Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n"
                                     << "    Properties: [\n";
  IacOptions options;
  options.root = dir.string();
  IacResult r = LoadIac({dir.string()}, options);
  ASSERT_EQ(r.problems.size(), 2u) << Problems(r);
  EXPECT_EQ(r.problems[0].location().file, "padded.yaml");
  EXPECT_EQ(r.problems[0].code(), ErrorCode::kParse);
  EXPECT_EQ(r.problems[1].ToString(), "untyped.yaml:2:3: resource \"Bogus\" without a Type string");
  const Gap* gap = FindGap(r, "untyped.yaml#T");
  ASSERT_NE(gap, nullptr);
  EXPECT_EQ(gap->reason,
            "the template has a resource \"Bogus\" without a Type string at line 2, column 3, "
            "which CloudFormation rejects");
  fs::remove_all(dir);
}

// Values that grow exponentially with the nesting of Fn::Join.
std::string NestedJoins(int levels) {
  std::string text =
      "Parameters:\n  P:\n    Type: String\n    Default: abcdefgh\n"
      "Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n"
      "      ContainerDefinitions:\n        - Name: a\n          Privileged: true\n"
      "          User: ";
  std::string expr = "!Ref P";
  for (int i = 0; i < levels; ++i) {
    expr = "!Join [" + expr + ", !Split [',', ',,,,,,,,,']]";
  }
  return text + expr + "\n";
}

TEST(CloudFormationHostile, TheEvaluationBudgetMakesValuesUnresolved) {
  auto doc = iac::ParseYaml(NestedJoins(6));
  ASSERT_TRUE(doc.ok()) << doc.error().ToString();
  const iac::Node& user = doc->Find("Resources")
                              ->Find("T")
                              ->Find("Properties")
                              ->Find("ContainerDefinitions")
                              ->items[0]
                              .items[2];
  std::map<std::string, std::string> no_overrides;
  iac::CfnEvaluator unlimited(*doc, no_overrides);
  iac::Outcome ok = unlimited.Deep(user);
  ASSERT_TRUE(ok.ok()) << ok.reason;
  EXPECT_GT(ok.value.text.size(), 1000000u);

  iac::CfnEvaluator bytes(*doc, no_overrides, {.bytes = 100000, .steps = 1000000});
  iac::Outcome o = bytes.Deep(user);
  ASSERT_EQ(o.state, iac::Outcome::State::kUnresolved);
  EXPECT_EQ(o.reason,
            "evaluation budget exceeded (more than 100000 bytes of values in the template)");
  // Spent is spent: the next expression is unresolved too.
  EXPECT_EQ(bytes.Deep(doc->Find("Parameters")->Find("P")->items[0]).state,
            iac::Outcome::State::kUnresolved);

  iac::CfnEvaluator steps(*doc, no_overrides, {.bytes = size_t{1} << 30, .steps = 10});
  iac::Outcome s = steps.Deep(user);
  ASSERT_EQ(s.state, iac::Outcome::State::kUnresolved);
  EXPECT_EQ(s.reason, "evaluation budget exceeded (more than 10 steps in the template)");
}

TEST(CloudFormationHostile, AnExhaustedBudgetIsAGap) {
  IacResult r = LoadIacText(NestedJoins(12), "t.yaml");
  const Gap* gap = FindGap(r, "t.yaml#T");
  ASSERT_NE(gap, nullptr);
  EXPECT_NE(gap->reason.find("evaluation budget exceeded (more than 67108864 bytes"),
            std::string::npos)
      << gap->reason;
  EXPECT_FALSE(r.graph.FindNode("t.yaml#T"));
}

// A long chain of conditions reaches the evaluator's depth limit: a gap naming it.
TEST(CloudFormationHostile, TheDepthLimitIsNamed) {
  std::string text = "Conditions:\n";
  for (int i = 0; i < 300; ++i) {
    text += fmt::format("  C{}: !Not [!Condition C{}]\n", i, i + 1);
  }
  text +=
      "  C300: !Equals [a, a]\nResources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n"
      "    Properties:\n      ContainerDefinitions:\n        - Name: a\n"
      "          Privileged: !If [C0, true, false]\n";
  IacResult r = LoadIacText(text, "t.yaml");
  std::string reason = NotEvaluatedReason(r, "t.yaml#T");
  EXPECT_NE(reason.find("an expression nested more than 400 levels deep"), std::string::npos)
      << reason;
}

}  // namespace
}  // namespace ecsguard::ingest
