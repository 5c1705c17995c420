// Runs every case of the shared conformance file (QUERY-LANGUAGE.md's query-cases.json) in each
// syntax it is given in: one test per case and syntax, named after the case id.

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "graph/graph.h"
#include "query/query.h"
#include "support.h"

namespace ecsguard::query {
namespace {

struct CaseParam {
  std::string id;      // "EQ-01"
  std::string syntax;  // "query" or "query_v7"
};

nlohmann::json LoadCases() {
  return nlohmann::json::parse(
      testing::ReadFileOrDie(testing::FixturePath("spec/query-cases.json")));
}

const nlohmann::json& Cases() {
  static const nlohmann::json cases = LoadCases();
  return cases;
}

std::vector<CaseParam> Params() {
  std::vector<CaseParam> out;
  if (Cases().is_null()) return {CaseParam{"absent", ""}};
  for (const auto& c : Cases()["cases"]) {
    for (const char* syntax : {"query", "query_v7"}) {
      if (c.contains(syntax) && c[syntax].is_string()) out.push_back({c["id"], syntax});
    }
  }
  return out;
}

std::string ParamName(const ::testing::TestParamInfo<CaseParam>& info) {
  std::string name = info.param.id + (info.param.syntax == "query_v7" ? "_v7" : "");
  std::replace_if(
      name.begin(), name.end(), [](char c) { return !std::isalnum(c); }, '_');
  return name;
}

class ConformanceTest : public ::testing::TestWithParam<CaseParam> {
 protected:
  static void SetUpTestSuite() {
    if (Cases().is_null()) return;
    auto schema = graph::Schema::Parse(Cases()["schema"]["typeDefs"].get<std::string>());
    ASSERT_TRUE(schema.ok()) << schema.error().ToString();
    schema_ = new graph::Schema(std::move(schema).value());
    for (const auto& [name, fixture] : Cases()["fixtures"].items()) {
      auto g = graph::LoadGraphJson(fixture.dump(), name);
      ASSERT_TRUE(g.ok()) << g.error().ToString();
      graphs_.emplace(name, std::move(g).value());
    }
  }
  static void TearDownTestSuite() {
    delete schema_;
    schema_ = nullptr;
    graphs_.clear();
  }

  static graph::Schema* schema_;
  static std::map<std::string, graph::Graph> graphs_;
};

graph::Schema* ConformanceTest::schema_ = nullptr;
std::map<std::string, graph::Graph> ConformanceTest::graphs_;

TEST_P(ConformanceTest, Case) {
  if (Cases().is_null()) GTEST_SKIP() << "spec/query-cases.json is not available";
  ASSERT_NE(schema_, nullptr);
  const CaseParam& param = GetParam();
  const nlohmann::json* found = nullptr;
  for (const auto& c : Cases()["cases"]) {
    if (c["id"] == param.id) found = &c;
  }
  ASSERT_NE(found, nullptr);
  const nlohmann::json& c = *found;
  const graph::Graph& g = graphs_.at(c["fixture"].get<std::string>());
  nlohmann::json variables = c.value("variables", nlohmann::json::object());
  auto q = Query::Compile(*schema_, c[param.syntax].get<std::string>(), variables);
  if (c.value("expected_error", false)) {
    EXPECT_FALSE(q.ok()) << c["title"];
    return;
  }
  ASSERT_TRUE(q.ok()) << c["title"] << ": " << q.error().ToString();
  std::vector<std::string> ids;
  if (c.contains("returnPath") && c["returnPath"].is_string()) {
    nlohmann::json data = (*q->Execute(g))["data"][q->root_key()];
    for (const auto& item : FollowReturnPath(data, c["returnPath"].get<std::string>())) {
      ids.push_back(item["id"].get<std::string>());
    }
  } else {
    std::vector<graph::NodeIndex> matches = q->Matches(g).value();
    for (graph::NodeIndex n : matches) ids.emplace_back(g.Id(n));
    // A graph without unknown values leaves nothing undecided: Decide is Matches.
    Decision decision = q->Decide(g).value();
    EXPECT_EQ(decision.matches, matches);
    EXPECT_TRUE(decision.undecided.empty());
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  EXPECT_EQ(ids, c["expected_ids"].get<std::vector<std::string>>()) << c["title"];

  // The graph cut down to what the query says it reads answers the same (issue 12's projection).
  auto projected = graph::LoadGraphJson(
      ::ecsguard::testing::ProjectGraphJson(Cases()["fixtures"][c["fixture"].get<std::string>()],
                                            q->GraphNames())
          .dump(),
      "projected");
  ASSERT_TRUE(projected.ok()) << projected.error().ToString();
  Result<nlohmann::json> projected_response = q->Execute(*projected);
  Result<nlohmann::json> full_response = q->Execute(g);
  ASSERT_TRUE(projected_response.ok() && full_response.ok());
  EXPECT_EQ(*projected_response, *full_response) << c["title"];
  Result<std::vector<graph::NodeIndex>> projected_matches = q->Matches(*projected);
  Result<std::vector<graph::NodeIndex>> full_matches = q->Matches(g);
  ASSERT_TRUE(projected_matches.ok() && full_matches.ok());
  std::vector<std::string> projected_ids, full_ids;
  for (graph::NodeIndex n : *projected_matches) projected_ids.emplace_back(projected->Id(n));
  for (graph::NodeIndex n : *full_matches) full_ids.emplace_back(g.Id(n));
  EXPECT_EQ(projected_ids, full_ids) << c["title"];
}

INSTANTIATE_TEST_SUITE_P(Cases, ConformanceTest, ::testing::ValuesIn(Params()), ParamName);

TEST(ConformanceSchemaTest, RootNamesMatchTheFile) {
  if (Cases().is_null()) GTEST_SKIP() << "spec/query-cases.json is not available";
  auto schema = graph::Schema::Parse(Cases()["schema"]["typeDefs"].get<std::string>());
  ASSERT_TRUE(schema.ok()) << schema.error().ToString();
  std::map<std::string, std::string> expected = Cases()["schema"]["roots"];
  std::map<std::string, std::string> actual(schema->roots().begin(), schema->roots().end());
  EXPECT_EQ(actual, expected);
}

}  // namespace
}  // namespace ecsguard::query
