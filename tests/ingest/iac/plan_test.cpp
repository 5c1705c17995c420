// `terraform show -json` output: plans with module paths and unknown values, states.

#include <gtest/gtest.h>

#include "iac_test_util.h"
#include "ingest/iac/iac.h"

namespace ecsguard::ingest {
namespace {

using namespace ecsguard::ingest::testing;  // NOLINT

TEST(TerraformPlan, PlannedValuesResourceChangesAndModules) {
  IacResult r = LoadData("plan/plan.json");
  ASSERT_TRUE(r.problems.empty()) << Problems(r);
  EXPECT_EQ(r.files, 1u);
  const graph::Graph& g = r.graph;
  const std::string agent = "plan/plan.json#aws_ecs_task_definition.agent";
  EXPECT_EQ(Str(g, agent, "source"), "terraform-plan");
  EXPECT_EQ(Str(g, agent, "name"), "aws_ecs_task_definition.agent");
  EXPECT_EQ(Str(g, agent, "networkMode"), "host");
  EXPECT_EQ(Str(g, agent, "family"), "agent");
  EXPECT_EQ(Int(g, agent, "sourceLine"), 7);
  EXPECT_EQ(Bool(g, agent + "#agent", "privileged"), "true");
  EXPECT_EQ(Str(g, agent + "#agent", "user"), "0");
  EXPECT_EQ(Bool(g, agent + "#agent", "essential"), "true");
  EXPECT_EQ(Int(g, agent + "#agent", "privileged@line"), 17);  // container_definitions

  const std::string svc = "plan/plan.json#module.svc.aws_ecs_task_definition.this[0]";
  EXPECT_EQ(Str(g, svc, "networkMode"), "awsvpc");
  EXPECT_EQ(Str(g, svc + "#svc", "user"), "1000");

  // Unknown until apply: marked unknown, naming the field.
  EXPECT_EQ(Str(g, "plan/plan.json#module.svc.module.inner.aws_ecs_task_definition.inner",
                "containerSpecs@unknown"),
            "container_definitions is unknown (known only after apply)");

  // Destroyed resources are gone; replaced ones are read from `after`.
  EXPECT_FALSE(g.FindNode("plan/plan.json#aws_ecs_task_definition.old"));
  EXPECT_EQ(Str(g, "plan/plan.json#aws_ecs_task_definition.replaced", "networkMode"), "host");
  EXPECT_EQ(Str(g, "plan/plan.json#aws_ecs_task_definition.replaced#r", "user"), "root");
  EXPECT_EQ(g.NodesWithLabel("ECSTaskDefinition").size(), 4u);
}

TEST(TerraformPlan, StateValuesAndDataSourcesIgnored) {
  IacResult r = LoadData("plan/state.json");
  ASSERT_TRUE(r.problems.empty()) << Problems(r);
  EXPECT_EQ(r.graph.NodesWithLabel("ECSTaskDefinition").size(), 1u);
  EXPECT_EQ(Str(r.graph, "plan/state.json#aws_ecs_task_definition.live#live", "user"), "nobody");
}

TEST(TerraformPlan, MalformedPlanIsAProblem) {
  IacResult r = LoadData("plan/malformed_plan.json");
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].code(), ErrorCode::kParse);
  EXPECT_EQ(r.problems[0].location().file, "plan/malformed_plan.json");
  EXPECT_EQ(r.problems[0].location().line, 3u);
}

TEST(TerraformPlan, ContainerJsonIsMatchedCaseInsensitivelyButStrictly) {
  IacResult r = LoadIacText(
      R"({"format_version":"1.2","planned_values":{"root_module":{"resources":[{"address":"aws_ecs_task_definition.t","mode":"managed","type":"aws_ecs_task_definition","values":{"network_mode":"host","container_definitions":"[{\"Name\":\"a\",\"Privileged\":true},{\"name\":\"b\",\"privilege\":true}]"}}]}}})",
      "p.json");
  ASSERT_TRUE(r.problems.empty()) << Problems(r);
  EXPECT_EQ(Bool(r.graph, "p.json#aws_ecs_task_definition.t#a", "privileged"), "true");
  EXPECT_EQ(Bool(r.graph, "p.json#aws_ecs_task_definition.t#b", "privileged"), "null");
}

}  // namespace
}  // namespace ecsguard::ingest
