// Verdicts pinned by data: every case in tests/controls/cases/*.json (see the README there) is a
// test of its own, ControlCases/ControlCaseTest.Verdicts/<control>_<case>. The tests below it
// need a control edited in C++ or look inside a verdict, so they stay code, on the same graph.

#include "controls/evaluate.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "base/arn.h"
#include "ingest/snapshot/snapshot.h"
#include "support.h"

namespace ecsguard::controls {
namespace {

std::string CasePath(const std::string& file) {
  return testing::SourcePath("tests/controls/cases/" + file);
}

struct ControlCase {
  std::string file;  // "aws-ecs-1-strict.json"
  std::string control;
  std::string graph;  // a file beside the case file: a graph, or AWS CLI output (*.awscli.json)
  std::string name;
  Mode mode = Mode::kDeployed;
  std::string why;
  std::map<std::string, std::string> verdicts;  // asset id -> PASS, FAIL or NOT_EVALUATED
  std::string load_error;  // why the file is not a case file; the test named after it fails
};

// Names a failing case by its file and name instead of gtest's byte dump.
void PrintTo(const ControlCase& c, std::ostream* os) { *os << c.file << " " << c.name; }

// Runs while tests are registered, where no assertion can fail a test: a file that does not
// read becomes one case carrying the error, which fails when it runs.
std::vector<ControlCase> LoadCases() {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(CasePath(""))) {
    std::string name = entry.path().filename().string();
    if (name.ends_with(".json") && !name.ends_with(".graph.json") &&
        !name.ends_with(".awscli.json")) {
      files.push_back(name);
    }
  }
  std::sort(files.begin(), files.end());
  std::vector<ControlCase> out;
  for (const std::string& file : files) {
    try {
      nlohmann::json doc = nlohmann::json::parse(testing::ReadFileOrDie(CasePath(file)));
      for (const nlohmann::json& c : doc.at("cases")) {
        ControlCase param{.file = file,
                          .control = doc.at("control"),
                          .graph = doc.at("graph"),
                          .name = c.at("name"),
                          .why = c.at("why"),
                          .verdicts = c.at("verdicts")};
        const std::string mode = c.at("mode");
        if (mode == "iac") {
          param.mode = Mode::kIac;
        } else if (mode != "deployed") {
          param.load_error = "mode must be deployed or iac, not \"" + mode + "\"";
        }
        out.push_back(std::move(param));
      }
    } catch (const nlohmann::json::exception& e) {
      out.push_back(ControlCase{.file = file, .name = "unreadable", .load_error = e.what()});
    }
  }
  return out;
}

std::string CaseName(const ::testing::TestParamInfo<ControlCase>& info) {
  std::string name = info.param.file.substr(0, info.param.file.size() - 5) + "_" + info.param.name;
  std::replace_if(
      name.begin(), name.end(), [](char c) { return !std::isalnum(c); }, '_');
  return name;
}

// The schema, the bundled catalog and one graph of cases/.
class ControlsFixture : public ::testing::Test {
 protected:
  void Load(const std::string& graph_file) {
    auto schema =
        graph::Schema::Parse(testing::ReadFileOrDie(testing::SourcePath("schemas/aws.graphql")));
    ASSERT_TRUE(schema.ok()) << schema.error().ToString();
    schema_ = std::move(schema).value();
    std::string text = testing::ReadFileOrDie(CasePath(graph_file));
    if (graph_file.ends_with(".awscli.json")) {
      // AWS CLI output goes through the snapshot reader, as `scan snapshot` reads it.
      ingest::SnapshotResult r = ingest::LoadSnapshotText(text, graph_file);
      for (const Error& e : r.problems) ADD_FAILURE() << e.ToString();
      for (const ingest::Gap& g : r.gaps) ADD_FAILURE() << g.id << ": " << g.reason;
      graph_ = std::move(r.graph);
      short_ids_ = true;
    } else {
      auto g = graph::LoadGraphJson(text, graph_file);
      ASSERT_TRUE(g.ok()) << g.error().ToString();
      graph_ = std::move(g).value();
    }
    auto catalog = Catalog::LoadDirectory(testing::SourcePath("controls"));
    ASSERT_TRUE(catalog.ok()) << catalog.error().ToString();
    catalog_ = std::move(catalog).value();
  }

  // Asset id -> verdict for the applicable assets of one control.
  std::map<std::string, std::string> Verdicts(const Control& control, Mode mode) {
    auto eval = Evaluate(control, schema_, graph_, mode);
    EXPECT_TRUE(eval.ok()) << eval.error().ToString();
    std::map<std::string, std::string> out;
    if (!eval.ok()) return out;
    for (const AssetVerdict& v : eval->verdicts) {
      out[Key(graph_.Id(v.node))] =
          !v.not_evaluated.empty() ? "NOT_EVALUATED" : (v.failed ? "FAIL" : "PASS");
    }
    return out;
  }

  // Assets read from AWS CLI output are named by the resource part of their ARN
  // ("task-definition/web:3", "service/apps/web"), the account and region being the same.
  std::string Key(std::string_view id) const {
    if (!short_ids_) return std::string(id);
    auto arn = ParseArn(id);
    return arn ? arn->resource : std::string(id);
  }

  graph::Schema schema_;
  graph::Graph graph_;
  Catalog catalog_;
  bool short_ids_ = false;
};

class ControlCaseTest : public ControlsFixture, public ::testing::WithParamInterface<ControlCase> {
 protected:
  void SetUp() override {
    ASSERT_EQ(GetParam().load_error, "") << CasePath(GetParam().file);
    Load(GetParam().graph);
  }
};

TEST_P(ControlCaseTest, Verdicts) {
  const ControlCase& c = GetParam();
  const Control* control = catalog_.Find(c.control);
  ASSERT_NE(control, nullptr) << c.file << " names no control of the catalog: " << c.control;
  EXPECT_EQ(Verdicts(*control, c.mode), c.verdicts) << c.file << ", " << c.name << ": " << c.why;
}

INSTANTIATE_TEST_SUITE_P(ControlCases, ControlCaseTest, ::testing::ValuesIn(LoadCases()), CaseName);

class EvaluateTest : public ControlsFixture {
 protected:
  void SetUp() override { Load("task-definitions.graph.json"); }
};

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
