#pragma once

// Verdicts of every control's IaC check on a reproducer: what a scan would report for it.

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "controls/controls.h"
#include "graph/graph.h"
#include "iac_test_util.h"
#include "ingest/iac/iac.h"

namespace ecsguard::ingest::testing {

inline constexpr const char* kSeed = "aws-ecs-1-privileged-network-mode";
inline constexpr const char* kStrict = "aws-ecs-1-strict";
inline constexpr const char* kSecurityHub = "aws-securityhub-ecs-1";

struct Outcome {
  std::string verdict;  // PASS, FAIL, NOT_EVALUATED
  std::string reason;   // NOT_EVALUATED: why
};

class VerdictsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto schema = graph::Schema::Parse(
        ecsguard::testing::ReadFileOrDie(ecsguard::testing::SourcePath("schemas/aws.graphql")));
    ASSERT_TRUE(schema.ok()) << schema.error().ToString();
    schema_ = std::make_unique<graph::Schema>(std::move(*schema));
    auto catalog = controls::Catalog::LoadDirectory(ecsguard::testing::SourcePath("controls"));
    ASSERT_TRUE(catalog.ok()) << catalog.error().ToString();
    catalog_ = std::move(*catalog);
  }

  // control id -> asset id -> outcome, for every control's IaC check on the file or folder
  // (relative to tests/ingest/iac, the root), which is left in `last_`. Gaps fail the test
  // unless `gaps_expected`.
  std::map<std::string, std::map<std::string, Outcome>> Scan(const std::string& relative,
                                                             bool gaps_expected = false) {
    last_ = LoadData(relative);
    const IacResult& r = last_;
    EXPECT_TRUE(r.problems.empty()) << Problems(r);
    for (const Gap& g : r.gaps) {
      if (!gaps_expected) ADD_FAILURE() << "gap " << g.id << ": " << g.reason;
    }
    std::map<std::string, std::map<std::string, Outcome>> out;
    for (const controls::Control& control : catalog_.controls()) {
      auto eval = controls::Evaluate(control, *schema_, r.graph, controls::Mode::kIac);
      EXPECT_TRUE(eval.ok()) << eval.error().ToString();
      if (!eval.ok()) continue;
      for (const controls::AssetVerdict& v : eval->verdicts) {
        Outcome o{v.failed                   ? "FAIL"
                  : !v.not_evaluated.empty() ? "NOT_EVALUATED"
                                             : "PASS",
                  v.not_evaluated};
        out[control.id][std::string(r.graph.Id(v.node))] = o;
      }
    }
    return out;
  }

  std::unique_ptr<graph::Schema> schema_;
  controls::Catalog catalog_;
  IacResult last_;
};

}  // namespace ecsguard::ingest::testing
