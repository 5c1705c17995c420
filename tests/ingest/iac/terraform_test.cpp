// Terraform .tf: every container_definitions form, locals and variables, tfvars, local modules
// with inputs, count, unresolvable values, suppressions, malformed files.

#include <gtest/gtest.h>

#include "iac_test_util.h"
#include "ingest/iac/iac.h"

namespace ecsguard::ingest {
namespace {

using namespace ecsguard::ingest::testing;  // NOLINT

TEST(Terraform, EveryContainerDefinitionsForm) {
  IacResult r = LoadData("tf/forms");
  ASSERT_TRUE(r.problems.empty()) << Problems(r);
  EXPECT_EQ(r.files, 1u);
  const graph::Graph& g = r.graph;
  const std::string f = "tf/forms/main.tf#aws_ecs_task_definition.";

  // jsonencode([...]) with a variable default for the network mode.
  EXPECT_EQ(Str(g, f + "jsonencode", "source"), "terraform");
  EXPECT_EQ(Str(g, f + "jsonencode", "name"), "aws_ecs_task_definition.jsonencode");
  EXPECT_EQ(Str(g, f + "jsonencode", "networkMode"), "host");
  EXPECT_EQ(Bool(g, f + "jsonencode#web", "privileged"), "true");
  EXPECT_EQ(Str(g, f + "jsonencode#web", "user"), "0");
  EXPECT_EQ(Bool(g, f + "jsonencode#sidecar", "essential"), "false");
  graph::Value ports = Prop(g, f + "jsonencode#sidecar", "hostPorts");
  ASSERT_EQ(ports.kind(), graph::Value::Kind::kList);
  EXPECT_EQ(ports.as_list()[0].as_int(), 9000);

  EXPECT_EQ(Str(g, f + "heredoc#h", "user"), "1000:0");
  EXPECT_EQ(Bool(g, f + "heredoc#h", "privileged"), "false");
  EXPECT_EQ(Str(g, f + "string", "networkMode"), "bridge");
  EXPECT_EQ(Str(g, f + "string#s", "user"), "root");
  EXPECT_EQ(Bool(g, f + "file#f", "privileged"), "true");
  EXPECT_EQ(Str(g, f + "templatefile#t", "user"), "nobody");
  EXPECT_EQ(Bool(g, f + "templatefile#t", "privileged"), "true");
  EXPECT_EQ(Str(g, f + "local#from-local", "user"), "root");
  EXPECT_EQ(Str(g, f + "counted[0]#c0", "user"), "app");
  EXPECT_EQ(Str(g, f + "counted[1]#c1", "user"), "app");
  EXPECT_EQ(g.NodesWithLabel("ECSTaskDefinition").size(), 8u);
}

TEST(Terraform, PositionsOfResourcesContainersAndProperties) {
  IacResult r = LoadData("tf/forms");
  const graph::Graph& g = r.graph;
  const std::string td = "tf/forms/main.tf#aws_ecs_task_definition.jsonencode";
  EXPECT_EQ(Str(g, td, "sourceFile"), "tf/forms/main.tf");
  EXPECT_EQ(Int(g, td, "sourceLine"), 14);
  EXPECT_EQ(Int(g, td, "sourceColumn"), 1);
  EXPECT_EQ(Int(g, td, "networkMode@line"), 16);
  EXPECT_EQ(Int(g, td, "networkMode@column"), 3);
  EXPECT_EQ(Int(g, td + "#web", "sourceLine"), 18);
  EXPECT_EQ(Int(g, td + "#web", "sourceColumn"), 5);
  EXPECT_EQ(Int(g, td + "#web", "privileged@line"), 21);
  EXPECT_EQ(Int(g, td + "#web", "privileged@column"), 7);
  EXPECT_EQ(Int(g, td + "#web", "user@line"), 22);
  EXPECT_EQ(Int(g, td + "#sidecar", "sourceLine"), 24);
  // JSON inside a string has no file positions: the container_definitions attribute stands in.
  const std::string heredoc = "tf/forms/main.tf#aws_ecs_task_definition.heredoc";
  EXPECT_EQ(Int(g, heredoc + "#h", "sourceLine"), 40);
  EXPECT_EQ(Int(g, heredoc + "#h", "user@line"), 40);
}

TEST(Terraform, LocalModuleWithInputs) {
  IacResult r = LoadData("tf/module");
  ASSERT_TRUE(r.problems.empty()) << Problems(r);
  const std::string td = "tf/module/modules/td/main.tf#module.svc.aws_ecs_task_definition.this";
  EXPECT_EQ(r.graph.NodesWithLabel("ECSTaskDefinition").size(), 1u);  // count = 0 is never made
  EXPECT_EQ(Str(r.graph, td, "family"), "svc");
  EXPECT_EQ(Str(r.graph, td, "networkMode"), "host");
  EXPECT_EQ(Bool(r.graph, td + "#svc", "privileged"), "true");
  ASSERT_EQ(r.suppressions.size(), 1u);
  EXPECT_EQ(r.suppressions[0].resource_id, td);
  EXPECT_EQ(r.suppressions[0].reason, "module default");
  EXPECT_EQ(r.suppressions[0].owner, "team@example.com");
  EXPECT_EQ(r.suppressions[0].expires, "2030-01-01");
  EXPECT_EQ(r.suppressions[0].location.line, 15u);
}

TEST(Terraform, ModuleCountAndForEach) {
  IacResult r = LoadData("tf/module_foreach");
  ASSERT_TRUE(r.problems.empty()) << Problems(r);
  ASSERT_TRUE(r.gaps.empty()) << r.gaps[0].reason;
  const std::string f = "tf/module_foreach/modules/td/main.tf#";
  const std::string worker = f + "module.svc[\"worker\"].aws_ecs_task_definition.this";
  EXPECT_EQ(Str(r.graph, worker + "#worker", "user"), "root");
  EXPECT_EQ(Bool(r.graph, worker + "#worker", "privileged"), "true");
  const std::string api = f + "module.svc[\"api\"].aws_ecs_task_definition.this";
  EXPECT_EQ(Str(r.graph, api + "#api", "user"), "1000");
  EXPECT_EQ(Str(r.graph, f + "module.replicas[1].aws_ecs_task_definition.this", "family"),
            "replica-1");
  EXPECT_EQ(r.graph.NodesWithLabel("ECSTaskDefinition").size(), 4u);
}

TEST(Terraform, UnresolvableValues) {
  IacResult r = LoadData("tf/unresolved");
  const std::string f = "tf/unresolved/main.tf#aws_ecs_task_definition.";
  const Gap* priv = FindGap(r, f + "priv");
  ASSERT_NE(priv, nullptr);
  EXPECT_EQ(priv->reason,
            "privileged of container 'app' is unknown (var.privileged has no default)");
  EXPECT_FALSE(r.graph.FindNode(f + "priv"));
  const Gap* mode = FindGap(r, f + "mode");
  ASSERT_NE(mode, nullptr);
  EXPECT_TRUE(mode->reason.starts_with("network_mode is unknown (")) << mode->reason;
  // An unknown image does not hide what is known.
  EXPECT_EQ(Str(r.graph, f + "image_only#app", "user"), "1000");
  graph::Value unresolved = Prop(r.graph, f + "image_only", "unresolvedFields");
  ASSERT_EQ(unresolved.kind(), graph::Value::Kind::kList);
  EXPECT_EQ(unresolved.as_list()[0].as_string(), "containers[0].image");
  // In a heredoc, an unknown inside a JSON string leaves only that string unknown; an unknown
  // in place of a JSON value leaves the whole list unknown.
  EXPECT_EQ(Bool(r.graph, f + "heredoc_image#h", "privileged"), "true");
  EXPECT_TRUE(Prop(r.graph, f + "heredoc_image#h", "image").is_null());
  const Gap* flag = FindGap(r, f + "heredoc_flag");
  ASSERT_NE(flag, nullptr);
  EXPECT_EQ(flag->reason, "container_definitions is unknown (var.privileged has no default)");
  ASSERT_EQ(r.gap_locations.size(), 3u);
  EXPECT_EQ(r.gaps[2].id, f + "priv");
  EXPECT_EQ(r.gap_locations[2].line, 9u);
}

TEST(Terraform, VariableValuesFromTfvarsAndOptions) {
  IacResult r = LoadData("tf/tfvars");
  const std::string td = "tf/tfvars/main.tf#aws_ecs_task_definition.t#t";
  EXPECT_EQ(Str(r.graph, td, "user"), "root");
  IacOptions options;
  options.root = ecsguard::testing::SourcePath("tests/ingest/iac");
  options.parameters["user"] = "1000";
  r = LoadIac({DataPath("tf/tfvars")}, options);
  EXPECT_EQ(Str(r.graph, td, "user"), "1000");
}

TEST(Terraform, RemoteModulesThatMakeTaskDefinitionsAreGaps) {
  IacResult r = LoadData("tf/remote");
  ASSERT_EQ(r.gaps.size(), 1u);
  EXPECT_EQ(r.gaps[0].id, "tf/remote/main.tf#module.ecs");
  EXPECT_TRUE(r.gaps[0].reason.find("terraform-aws-modules/ecs/aws") != std::string::npos);
}

TEST(Terraform, MalformedFileIsAProblemAndTheRestIsRead) {
  IacResult r = LoadData("tf/malformed");
  ASSERT_FALSE(r.problems.empty());
  EXPECT_EQ(r.problems[0].code(), ErrorCode::kParse);
  EXPECT_EQ(r.problems[0].location().file, "tf/malformed/bad.tf");
  EXPECT_EQ(r.problems[0].location().line, 3u);
  EXPECT_GT(r.problems[0].location().column, 0u);
  EXPECT_TRUE(r.graph.FindNode("tf/malformed/good.tf#aws_ecs_task_definition.good"));
}

TEST(Terraform, CommentSuppressesEveryInstance) {
  IacResult r = LoadIacText(
      "resource \"aws_ecs_task_definition\" \"t\" {\n  count = 2\n"
      "  network_mode = \"host\" // ecsguard:ignore c reason=\"r\" owner=\"o\" expires=2030-01-01\n"
      "  container_definitions = jsonencode([])\n}\n",
      "t.tf");
  ASSERT_EQ(r.suppressions.size(), 2u) << Problems(r);
  EXPECT_EQ(r.suppressions[0].resource_id, "t.tf#aws_ecs_task_definition.t[0]");
  EXPECT_EQ(r.suppressions[1].resource_id, "t.tf#aws_ecs_task_definition.t[1]");
  EXPECT_EQ(r.suppressions[1].expires, "2030-01-01");
  EXPECT_EQ(r.suppressions[1].location.line, 3u);
}

TEST(Terraform, MisspelledPrivilegeIsNotPrivileged) {
  IacResult r = LoadIacText(
      "resource \"aws_ecs_task_definition\" \"t\" {\n  network_mode = \"host\"\n"
      "  container_definitions = jsonencode([{ name = \"a\", privilege = true }])\n}\n",
      "t.tf");
  ASSERT_TRUE(r.problems.empty()) << Problems(r);
  EXPECT_EQ(Bool(r.graph, "t.tf#aws_ecs_task_definition.t#a", "privileged"), "null");
}

}  // namespace
}  // namespace ecsguard::ingest
