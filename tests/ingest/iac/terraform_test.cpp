// Terraform .tf: every container_definitions form, locals and variables, tfvars, local modules
// with inputs, count, unresolvable values, suppressions, malformed files; what hostile input
// cannot do (read files outside the root, pass past a limit, loop, pass on duplicate keys).

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

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
  const std::string td = "tf/module#module.svc.aws_ecs_task_definition.this";
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
  const std::string f = "tf/module_foreach#";
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
  // Unknown values are marked unknown on the node, with the reason.
  EXPECT_EQ(Str(r.graph, f + "priv#app", "privileged@unknown"),
            "privileged of container 'app' is unknown (var.privileged has no default)");
  EXPECT_TRUE(
      Str(r.graph, f + "mode", "networkMode@unknown").starts_with("network_mode is unknown ("))
      << Str(r.graph, f + "mode", "networkMode@unknown");
  // An unknown image does not hide what is known.
  EXPECT_EQ(Str(r.graph, f + "image_only#app", "user"), "1000");
  graph::Value unresolved = Prop(r.graph, f + "image_only", "unresolvedFields");
  ASSERT_EQ(unresolved.kind(), graph::Value::Kind::kList);
  EXPECT_EQ(unresolved.as_list()[0].as_string(), "containers[0].image");
  // In a heredoc, an unknown inside a JSON string leaves only that string unknown; an unknown
  // in place of a JSON value leaves the whole list unknown.
  EXPECT_EQ(Bool(r.graph, f + "heredoc_image#h", "privileged"), "true");
  EXPECT_TRUE(Prop(r.graph, f + "heredoc_image#h", "image").is_null());
  EXPECT_EQ(Str(r.graph, f + "heredoc_flag", "containerSpecs@unknown"),
            "container_definitions is unknown (var.privileged has no default)");
  EXPECT_TRUE(r.gaps.empty());
  EXPECT_EQ(Int(r.graph, f + "priv", "sourceLine"), 9);
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
  // Whatever ECS resources the module makes are not known: a gap for each type.
  ASSERT_EQ(GapTypes(r), kEveryReadType);
  EXPECT_EQ(r.gaps[0].id, "tf/remote/main.tf#module.ecs");
  EXPECT_EQ(r.gaps[0].reason,
            "module source \"terraform-aws-modules/ecs/aws\" is not a local path and `terraform "
            "init` has not downloaded it (tf/remote/.terraform/modules/modules.json is absent); "
            "run `terraform init` in tf/remote, or scan a plan (`terraform show -json`)");
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

// What the Security Hub family reads (issue 11): runtime_platform and volume blocks, and the
// containers' logConfiguration. A dynamic volume block leaves the volume list unknown.
TEST(Terraform, RuntimePlatformVolumesAndLogConfiguration) {
  IacResult r = LoadIacText(
      "resource \"aws_ecs_task_definition\" \"t\" {\n"
      "  runtime_platform {\n    operating_system_family = \"WINDOWS_SERVER_2022_CORE\"\n  }\n"
      "  volume {\n    name = \"data\"\n    efs_volume_configuration {\n"
      "      file_system_id = \"fs-1\"\n      transit_encryption = \"ENABLED\"\n    }\n  }\n"
      "  volume {\n    name = \"plain\"\n    efs_volume_configuration {\n"
      "      file_system_id = \"fs-2\"\n    }\n  }\n"
      "  volume {\n    name = \"scratch\"\n    host_path = \"/tmp\"\n  }\n"
      "  container_definitions = jsonencode([{ name = \"a\", logConfiguration = { logDriver = "
      "\"awslogs\" } }, { name = \"b\" }])\n}\n"
      "resource \"aws_ecs_task_definition\" \"d\" {\n  dynamic \"volume\" {\n"
      "    for_each = var.v\n    content {\n      name = volume.value\n    }\n  }\n"
      "  container_definitions = jsonencode([])\n}\n",
      "t.tf");
  ASSERT_TRUE(r.problems.empty()) << Problems(r);
  const graph::Graph& g = r.graph;
  const std::string td = "t.tf#aws_ecs_task_definition.t";
  EXPECT_EQ(Str(g, td, "operatingSystemFamily"), "WINDOWS_SERVER_2022_CORE");
  EXPECT_EQ(Str(g, td + "#a", "logDriver"), "awslogs");
  EXPECT_EQ(Str(g, td + "#b", "logDriver"), "<not a string>");
  EXPECT_EQ(Str(g, td + "#volume/0", "type"), "efs");
  EXPECT_EQ(Str(g, td + "#volume/0", "efsFileSystemId"), "fs-1");
  EXPECT_EQ(Str(g, td + "#volume/0", "transitEncryption"), "ENABLED");
  EXPECT_EQ(Str(g, td + "#volume/1", "name"), "plain");
  EXPECT_EQ(Str(g, td + "#volume/1", "transitEncryption"), "<not a string>");
  EXPECT_EQ(Str(g, td + "#volume/2", "type"), "host");
  // A dynamic block whose for_each is unknown: how many volumes there are is unknown.
  EXPECT_EQ(Str(g, "t.tf#aws_ecs_task_definition.d", "volumes@unknown"),
            "volume is unknown (dynamic \"volume\" for_each is unknown (var.v is not defined))");
}

// dynamic blocks are expanded as Terraform expands them (issue 10 item 7): over a map in key
// order with `iterator`, over a list, over an empty list (no block); an unknown for_each leaves
// the block type unknown, so controls reading it cannot PASS.
TEST(Terraform, DynamicBlocksAreExpanded) {
  IacResult r = LoadData("tf/dynamic");
  ASSERT_TRUE(r.problems.empty()) << Problems(r);
  const graph::Graph& g = r.graph;
  const std::string td = "tf/dynamic/main.tf#aws_ecs_task_definition.";
  EXPECT_EQ(Str(g, td + "expanded", "operatingSystemFamily"), "WINDOWS_SERVER_2022_CORE");
  EXPECT_EQ(Str(g, td + "expanded#volume/0", "name"), "certs");
  EXPECT_EQ(Str(g, td + "expanded#volume/0", "efsFileSystemId"), "fs-0002");
  EXPECT_EQ(Str(g, td + "expanded#volume/0", "transitEncryption"), "ENABLED");
  EXPECT_EQ(Str(g, td + "expanded#volume/1", "name"), "data");
  EXPECT_EQ(Str(g, td + "expanded#volume/1", "transitEncryption"), "DISABLED");
  EXPECT_EQ(g.FindNode(td + "expanded#volume/2"), std::nullopt);
  EXPECT_EQ(g.FindNode(td + "none#volume/0"), std::nullopt);
  EXPECT_EQ(Str(g, td + "none", "volumes@unknown"), "<not a string>");  // known: none
  EXPECT_EQ(Str(g, td + "unknown", "volumes@unknown")
                .find("volume is unknown (dynamic "
                      "\"volume\" for_each is unknown ("),
            0u);
}

// A task definition whose one container's user is `user_expr`.
std::string UserResource(const std::string& name, const std::string& user_expr) {
  return "resource \"aws_ecs_task_definition\" \"" + name + "\" {\n  network_mode = \"host\"\n" +
         "  container_definitions = jsonencode([{ name = \"c\", user = " + user_expr + " }])\n}\n";
}

std::string GapReason(const IacResult& r, const std::string& id) {
  return NotEvaluatedReason(r, id);
}

IacResult LoadDir(const std::string& dir, const std::string& root) {
  IacOptions options;
  options.root = root;
  return LoadIac({dir}, options);
}

TEST(Terraform, FileFunctionsReadOnlyRegularFilesInsideTheRoot) {
  ecsguard::testing::TempDir tmp;
  tmp.Write("outside.txt", "root");
  tmp.Write("repo/.git/config", "root");
  tmp.Write("repo/infra/user.txt", "app");
  std::string main =
      UserResource("inside", "file(\"user.txt\")") +
      UserResource("parent", "file(\"../../outside.txt\")") +
      UserResource("absolute", "file(\"" + tmp.path() + "/outside.txt\")") +
      UserResource("home", "file(\"~/.aws/credentials\")") +
      UserResource("link", "file(\"link.txt\")") + UserResource("fifo", "file(\"fifo\")") +
      UserResource("folder", "file(\".\")") + UserResource("git", "file(\"../.git/config\")") +
      UserResource("template", "templatefile(\"../../outside.txt\", {})");
  tmp.Write("repo/infra/main.tf", main);
  std::filesystem::create_symlink(tmp.path() + "/outside.txt", tmp.path() + "/repo/infra/link.txt");
  ASSERT_EQ(::mkfifo((tmp.path() + "/repo/infra/fifo").c_str(), 0600), 0);

  IacResult r = LoadDir(tmp.path() + "/repo/infra", tmp.path() + "/repo");
  const std::string f = "infra/main.tf#aws_ecs_task_definition.";
  EXPECT_EQ(Str(r.graph, f + "inside#c", "user"), "app");
  EXPECT_EQ(Bool(r.graph, f + "inside#c", "valuesFromFile"), "true");
  auto reason = [&](const std::string& name) { return GapReason(r, f + name); };
  EXPECT_EQ(reason("parent"),
            "user of container 'c' is unknown (\"../../outside.txt\" is not read: outside the "
            "scanned root)");
  EXPECT_EQ(reason("absolute"), "user of container 'c' is unknown (\"" + tmp.path() +
                                    "/outside.txt\" is not read: outside the scanned root)");
  EXPECT_EQ(reason("home"),
            "user of container 'c' is unknown (\"~/.aws/credentials\" is not read: a home "
            "folder path is outside the scanned root)");
  EXPECT_EQ(reason("link"),
            "user of container 'c' is unknown (\"link.txt\" is not read: outside the scanned "
            "root)");
  EXPECT_EQ(reason("fifo"),
            "user of container 'c' is unknown (\"fifo\" is not read: not a regular file)");
  EXPECT_EQ(reason("folder"),
            "user of container 'c' is unknown (\".\" is not read: not a regular file)");
  EXPECT_EQ(reason("git"),
            "user of container 'c' is unknown (\"../.git/config\" is not read: inside a .git "
            "folder)");
  EXPECT_EQ(reason("template"),
            "user of container 'c' is unknown (\"../../outside.txt\" is not read: outside the "
            "scanned root)");
  // Each is read, with the value it could not read marked unknown.
  EXPECT_EQ(r.graph.NodesWithLabel("ECSTaskDefinition").size(), 9u);
}

TEST(Terraform, CountAndForEachPastTheLimitAreGapsNamingIt) {
  std::string keys;
  for (int i = 0; i < 1001; ++i)
    keys += "\"k" + std::to_string(i) + "\" = " + std::to_string(i) + ", ";
  IacResult r = LoadIacText(
      "resource \"aws_ecs_task_definition\" \"counted\" {\n  count = 1001\n"
      "  container_definitions = jsonencode([{ name = \"c\", user = \"app\" }])\n}\n"
      "resource \"aws_ecs_task_definition\" \"each\" {\n  for_each = { " +
          keys +
          "}\n"
          "  container_definitions = jsonencode([{ name = \"c\", user = \"app\" }])\n}\n",
      "t.tf");
  ASSERT_TRUE(r.problems.empty()) << Problems(r);
  EXPECT_EQ(r.graph.NodesWithLabel("ECSTaskDefinition").size(), 2000u);
  EXPECT_TRUE(r.graph.FindNode("t.tf#aws_ecs_task_definition.counted[999]"));
  EXPECT_EQ(GapReason(r, "t.tf#aws_ecs_task_definition.counted"),
            "count 1001 exceeds the limit of 1000 instances; instances [1000] and later are not "
            "read");
  EXPECT_EQ(GapReason(r, "t.tf#aws_ecs_task_definition.each"),
            "for_each has 1001 elements, more than the limit of 1000 instances; those after the "
            "first 1000 are not read");
}

TEST(Terraform, ModuleCyclesAreProblemsAndGaps) {
  ecsguard::testing::TempDir tmp;
  std::string td = UserResource("t", "\"app\"");
  tmp.Write("a/main.tf", "module \"b\" {\n  source = \"../b\"\n}\n" + td);
  tmp.Write("b/main.tf", "\nmodule \"a\" {\n  source = \"../a\"\n}\n");
  tmp.Write("self/main.tf", "module \"again\" {\n  source = \"./\"\n}\n" + td);
  IacResult r = LoadDir(tmp.path(), tmp.path());
  EXPECT_EQ(Problems(r),
            "b/main.tf:2:1: module cycle: a -> b -> a\n"
            "self/main.tf:1:1: module cycle: self -> self\n");
  EXPECT_EQ(GapReason(r, "a#module.b.module.a"),
            "module cycle: a -> b -> a; the task definitions it makes are not read");
  EXPECT_EQ(GapReason(r, "self/main.tf#module.again"),
            "module cycle: self -> self; the task definitions it makes are not read");
  // What the modules make outside the cycle is read.
  EXPECT_TRUE(r.graph.FindNode("a/main.tf#aws_ecs_task_definition.t"));
  EXPECT_TRUE(r.graph.FindNode("self/main.tf#aws_ecs_task_definition.t"));
}

TEST(Terraform, ModulesNestedPastTheLimitAreAGap) {
  ecsguard::testing::TempDir tmp;
  for (int i = 0; i < 20; ++i) {
    tmp.Write(fmt::format("m{}/main.tf", i),
              "module \"next\" {\n  source = \"../m" + std::to_string(i + 1) + "\"\n}\n");
  }
  tmp.Write("m20/main.tf", UserResource("t", "\"app\""));
  IacResult r = LoadDir(tmp.path(), tmp.path());
  ASSERT_TRUE(r.problems.empty()) << Problems(r);
  ASSERT_EQ(GapTypes(r), kEveryReadType);
  EXPECT_EQ(r.gaps[0].reason, "modules nested deeper than the limit of 16 levels are not read");
  EXPECT_TRUE(r.graph.NodesWithLabel("ECSTaskDefinition").empty());
}

TEST(Terraform, DuplicateContainerKeysAreNotEvaluated) {
  IacResult r = LoadIacText(
      "resource \"aws_ecs_task_definition\" \"cased\" {\n  network_mode = \"host\"\n"
      "  container_definitions = jsonencode([{ name = \"a\", privileged = false, "
      "Privileged = true }])\n}\n"
      "resource \"aws_ecs_task_definition\" \"json\" {\n  network_mode = \"host\"\n"
      "  container_definitions = <<EOF\n"
      "[{\"name\": \"a\", \"privileged\": true, \"privileged\": false}]\nEOF\n}\n"
      "resource \"aws_ecs_task_definition\" \"json_cased\" {\n  network_mode = \"host\"\n"
      "  container_definitions = \"[{\\\"name\\\": \\\"a\\\", \\\"User\\\": \\\"root\\\", "
      "\\\"user\\\": \\\"app\\\"}]\"\n}\n",
      "t.tf");
  ASSERT_TRUE(r.problems.empty()) << Problems(r);
  EXPECT_EQ(GapReason(r, "t.tf#aws_ecs_task_definition.cased"),
            "privileged of container 'a' has a duplicate key privileged (Privileged, privileged): "
            "which one ECS applies is not documented");
  EXPECT_EQ(GapReason(r, "t.tf#aws_ecs_task_definition.json"),
            "container_definitions is not valid JSON (duplicate key \"privileged\" at 1:36)");
  EXPECT_EQ(GapReason(r, "t.tf#aws_ecs_task_definition.json_cased"),
            "user of container 'a' has a duplicate key user (User, user): which one ECS applies "
            "is not documented");
}

TEST(Terraform, EvaluationPastTheBudgetIsAGap) {
  std::string locals = "locals {\n  a0 = \"xxxxxxxx\"\n";
  for (int i = 1; i <= 40; ++i) {
    locals += "  a" + std::to_string(i) + " = \"${local.a" + std::to_string(i - 1) + "}${local.a" +
              std::to_string(i - 1) + "}\"\n";
  }
  locals += "}\n";
  IacResult r = LoadIacText(locals + UserResource("t", "local.a40"), "t.tf");
  ASSERT_TRUE(r.problems.empty()) << Problems(r);
  // Each local is evaluated once: a23 (64 MiB) is the first value past a limit.
  EXPECT_EQ(GapReason(r, "t.tf#aws_ecs_task_definition.t"),
            "user of container 'c' is unknown (evaluation budget exceeded (a value larger than "
            "64 MiB))");
}

TEST(Terraform, EveryRootCallingAModuleMakesInstancesOfItsOwn) {
  IacResult r = LoadData("tf/roots");
  ASSERT_TRUE(r.problems.empty()) << Problems(r);
  ASSERT_TRUE(r.gaps.empty()) << r.gaps[0].id << ": " << r.gaps[0].reason;
  // Ids of a module instance name the root module and the full module path.
  const std::string dev = "tf/roots/envs/dev#module.agent.aws_ecs_task_definition.this";
  const std::string prod = "tf/roots/envs/prod#module.agent.aws_ecs_task_definition.this";
  EXPECT_EQ(Str(r.graph, dev + "#agent", "user"), "root");
  EXPECT_EQ(Str(r.graph, prod + "#agent", "user"), "1000");
  EXPECT_EQ(Str(r.graph, dev, "sourceFile"), "tf/roots/modules/td/main.tf");
  EXPECT_EQ(Int(r.graph, dev, "sourceLine"), 5);
  // A root module's own resources keep the id of their file.
  EXPECT_EQ(Str(r.graph, "tf/roots/envs/prod/main.tf#aws_ecs_task_definition.direct#web", "user"),
            "1000");
  // The module folder, called by roots of the scan, is not read again as a root of its own
  // (with `user` unset).
  EXPECT_EQ(r.graph.NodesWithLabel("ECSTaskDefinition").size(), 3u);
}

TEST(Terraform, OptionalDefaultsNullableAndTypeConversion) {
  IacResult r = LoadData("tf/variables");
  ASSERT_TRUE(r.problems.empty()) << Problems(r);
  ASSERT_TRUE(r.gaps.empty()) << r.gaps[0].id << ": " << r.gaps[0].reason;
  const std::string td = "tf/variables#module.agent.aws_ecs_task_definition.";
  // agent = {} against object({ privileged = optional(bool, true), ... }).
  EXPECT_EQ(Bool(r.graph, td + "this#agent", "privileged"), "true");
  EXPECT_EQ(Str(r.graph, td + "this#agent", "user"), "0");
  EXPECT_EQ(Bool(r.graph, td + "this#sidecar", "privileged"), "true");  // a nested default
  // null given to a variable with nullable = false: its default.
  EXPECT_EQ(Str(r.graph, td + "this", "networkMode"), "host");
  // null given to a nullable variable: null, whatever the default.
  EXPECT_TRUE(Prop(r.graph, td + "nullable", "networkMode").is_null());
  // default = "1" for a bool variable is true.
  EXPECT_EQ(Bool(r.graph, td + "nullable#app", "privileged"), "true");
}

TEST(Terraform, ValuesTerraformRefusesAreNotEvaluated) {
  IacResult r = LoadIacText(
      "variable \"agent\" {\n  type    = object({ user = string })\n  default = {}\n}\n"
      "variable \"kind\" {\n  type = strin\n}\n" +
          UserResource("t", "var.agent.user") + UserResource("k", "var.kind"),
      "t.tf");
  EXPECT_EQ(Problems(r),
            "t.tf:3:13: invalid default for var.agent: attribute \"user\" is required\n"
            "t.tf:6:10: the keyword \"strin\" is not a type\n");
  EXPECT_EQ(GapReason(r, "t.tf#aws_ecs_task_definition.t"),
            "user of container 'c' is unknown (var.agent is invalid: invalid default for "
            "var.agent: attribute \"user\" is required)");
  EXPECT_EQ(GapReason(r, "t.tf#aws_ecs_task_definition.k"),
            "user of container 'c' is unknown (var.kind is invalid: the keyword \"strin\" is not "
            "a type)");
}

TEST(Terraform, JsonSyntaxFilesMakeOneModuleWithTfFiles) {
  IacResult r = LoadData("tf/json");
  ASSERT_TRUE(r.problems.empty()) << Problems(r);
  ASSERT_TRUE(r.gaps.empty()) << r.gaps[0].id << ": " << r.gaps[0].reason;
  EXPECT_EQ(r.files, 2u);
  const std::string f = "tf/json/cdk.tf.json#aws_ecs_task_definition.";
  EXPECT_EQ(Str(r.graph, f + "app", "networkMode"), "host");  // var.mode from main.tf
  EXPECT_EQ(Str(r.graph, f + "app", "family"), "app");
  EXPECT_EQ(Int(r.graph, f + "app", "sourceLine"), 18);
  EXPECT_EQ(Bool(r.graph, f + "app#app", "privileged"), "true");  // default "true", type bool
  EXPECT_EQ(Str(r.graph, f + "app#app", "user"), "root");         // local.user from main.tf
  EXPECT_EQ(Str(r.graph, f + "app#app", "image"), "app:host");    // a local in the JSON file
  EXPECT_EQ(Str(r.graph, f + "each[\"a\"]#c", "user"), "root");
  EXPECT_EQ(Str(r.graph, f + "each[\"b\"]#c", "user"), "1000");
  EXPECT_EQ(Str(r.graph, f + "each[\"b\"]", "family"), "each-b");
  EXPECT_EQ(r.graph.NodesWithLabel("ECSTaskDefinition").size(), 3u);

  // Named on its own, the file is read with its folder's module, as a .tf file is.
  IacOptions options;
  options.root = ecsguard::testing::SourcePath("tests/ingest/iac");
  r = LoadIac({DataPath("tf/json/cdk.tf.json")}, options);
  ASSERT_TRUE(r.problems.empty()) << Problems(r);
  EXPECT_EQ(Str(r.graph, f + "app#app", "user"), "root");
}

TEST(Terraform, InvalidJsonSyntaxIsAProblemAtItsPlace) {
  IacResult r = LoadIacText("{\n  \"resource\": {\n    \"aws_ecs_task_definition\": [1,]\n}\n",
                            "cdk.tf.json");
  ExpectOnlyProblemAt(r, ErrorCode::kParse, "cdk.tf.json", 3, 35);
  r = LoadIacText(
      "{\"resource\": {\"aws_ecs_task_definition\": {\"t\": {\n"
      "  \"network_mode\": \"${var.}\"}}}}\n",
      "cdk.tf.json");
  ASSERT_FALSE(r.problems.empty());
  EXPECT_EQ(r.problems[0].location().file, "cdk.tf.json");
  EXPECT_EQ(r.problems[0].location().line, 2u);
  EXPECT_EQ(r.problems[0].location().column, 26u);  // the "}" where a name should be
}

TEST(Terraform, VariableValuesInTerraformsOrder) {
  const std::string td = "tf/tfvars_order/main.tf#aws_ecs_task_definition.t";
  IacResult r = LoadData("tf/tfvars_order");
  ASSERT_TRUE(r.problems.empty()) << Problems(r);
  EXPECT_EQ(Str(r.graph, td, "networkMode"), "host");  // b.auto.tfvars.json
  EXPECT_EQ(Str(r.graph, td + "#app", "user"), "d");
  EXPECT_EQ(Bool(r.graph, td + "#agent", "privileged"), "false");

  using Kind = TerraformVariableArgument::Kind;
  IacOptions options;
  options.root = ecsguard::testing::SourcePath("tests/ingest/iac");
  options.terraform_variables = {{Kind::kAssignment, "user=f"},
                                 {Kind::kFile, DataPath("tf/tfvars_order/extra.tfvars")},
                                 {Kind::kAssignment, "agent={privileged = true}"}};
  r = LoadIac({DataPath("tf/tfvars_order")}, options);
  ASSERT_TRUE(r.problems.empty()) << Problems(r);
  EXPECT_EQ(Str(r.graph, td + "#app", "user"), "e");  // the file comes after user=f
  // A variable of a complex type reads -var as an expression; a string one, literally.
  EXPECT_EQ(Bool(r.graph, td + "#agent", "privileged"), "true");
  options.terraform_variables = {{Kind::kAssignment, "user={privileged = true}"}};
  r = LoadIac({DataPath("tf/tfvars_order")}, options);
  EXPECT_EQ(Str(r.graph, td + "#app", "user"), "{privileged = true}");

  options.terraform_variables = {{Kind::kFile, "no/such.tfvars"}};
  r = LoadIac({DataPath("tf/tfvars_order")}, options);
  ExpectOnlyProblemAt(r, ErrorCode::kIo, "no/such.tfvars", 0, 0);
}

// A local whose value holds an unknown (an object with var.privileged inside) once made every
// unknown local "not resolved within the limit of 32 passes": the locals fixpoint never settled
// because unknowns never compare equal. Locals are now evaluated on demand, each once.
TEST(Terraform, LocalsHoldingUnknownsKeepTheirReason) {
  IacResult r = LoadIacText(
      "variable \"privileged\" {}\n"
      "locals {\n"
      "  defaults   = { image = \"app\", privileged = var.privileged, user = \"1000\" }\n"
      "  privileged = local.defaults.privileged\n"
      "  user       = local.defaults.user\n"
      "}\n"
      "resource \"aws_ecs_task_definition\" \"t\" {\n  network_mode = \"host\"\n"
      "  container_definitions = jsonencode([{ name = \"c\", user = local.user,\n"
      "    privileged = local.privileged }])\n}\n" +
          UserResource("known", "local.user"),
      "t.tf");
  ASSERT_TRUE(r.problems.empty()) << Problems(r);
  EXPECT_EQ(GapReason(r, "t.tf#aws_ecs_task_definition.t"),
            "privileged of container 'c' is unknown (var.privileged has no default)");
  EXPECT_EQ(Str(r.graph, "t.tf#aws_ecs_task_definition.known#c", "user"), "1000");
}

TEST(Terraform, LocalsReferringToThemselvesOrTooDeepAreUnknown) {
  std::string chain = "locals {\n  a0 = \"1000\"\n";
  for (int i = 1; i <= 250; ++i) chain += fmt::format("  a{} = local.a{}\n", i, i - 1);
  IacResult r =
      LoadIacText(chain + "  x = local.y\n  y = local.x\n}\n" + UserResource("cycle", "local.x") +
                      UserResource("shallow", "local.a90") + UserResource("deep", "local.a250"),
                  "t.tf");
  ASSERT_TRUE(r.problems.empty()) << Problems(r);
  const std::string f = "t.tf#aws_ecs_task_definition.";
  EXPECT_EQ(GapReason(r, f + "cycle"),
            "user of container 'c' is unknown (local.x refers to itself)");
  EXPECT_EQ(Str(r.graph, f + "shallow#c", "user"), "1000");
  EXPECT_EQ(GapReason(r, f + "deep"),
            "user of container 'c' is unknown (local.a150 is not read: locals and module outputs "
            "refer to each other more than 100 deep)");
}

// for_each over a map of objects and a set, count with count.index, a splat, a dynamic block:
// one record per instance, named by its Terraform address (the oracle test checks the values).
TEST(Terraform, ForEachCountAndSplatInstancesAreNamedByTheirAddress) {
  IacResult r = LoadData("tf/expansion");
  ASSERT_TRUE(r.problems.empty()) << Problems(r);
  ASSERT_TRUE(r.gaps.empty()) << r.gaps[0].id << ": " << r.gaps[0].reason;
  const std::string f = "tf/expansion/main.tf#aws_ecs_task_definition.";
  EXPECT_EQ(Str(r.graph, f + "agent[\"datadog\"]", "networkMode"), "host");
  EXPECT_EQ(Bool(r.graph, f + "agent[\"datadog\"]#datadog", "privileged"), "true");
  EXPECT_EQ(Str(r.graph, f + "agent[\"otel.1\"]", "networkMode"), "awsvpc");
  EXPECT_EQ(Str(r.graph, f + "named[\"a\"]", "networkMode"), "host");  // the set holds "b" once
  EXPECT_EQ(Str(r.graph, f + "named[\"b\"]#app", "user"), "b-user");
  EXPECT_EQ(Str(r.graph, f + "replica[2]#app", "user"), "1000:1000");
  EXPECT_EQ(Bool(r.graph, f + "splat#proxy", "privileged"), "true");
  EXPECT_EQ(Str(r.graph, f + "splat#log", "user"), "root");
  EXPECT_EQ(r.graph.NodesWithLabel("ECSTaskDefinition").size(), 8u);
}

TEST(Terraform, ForEachKeysAreQuotedAsTerraformQuotesThem) {
  IacResult r = LoadIacText(
      "resource \"aws_ecs_task_definition\" \"t\" {\n  for_each = { \"a\\\"b\" = 1 }\n"
      "  network_mode = \"host\"\n"
      "  container_definitions = jsonencode([{ name = \"c\", user = \"1\" }])\n}\n"
      "resource \"aws_ecs_task_definition\" \"numbers\" {\n  for_each = [1]\n"
      "  container_definitions = jsonencode([{ name = \"c\", user = \"1\" }])\n}\n",
      "t.tf");
  EXPECT_TRUE(r.graph.FindNode("t.tf#aws_ecs_task_definition.t[\"a\\\"b\"]"));
  EXPECT_EQ(GapReason(r, "t.tf#aws_ecs_task_definition.numbers"),
            "for_each is not a map or set of strings");
}

// module.x.y of local modules, with count (module.x[0].y) and for_each (module.x["k"].y), as
// inputs of other modules and in for_each itself.
TEST(Terraform, ModuleOutputsFeedTheCaller) {
  IacResult r = LoadData("tf/module_outputs");
  ASSERT_TRUE(r.problems.empty()) << Problems(r);
  ASSERT_TRUE(r.gaps.empty()) << r.gaps[0].id << ": " << r.gaps[0].reason;
  const std::string f = "tf/module_outputs/main.tf#aws_ecs_task_definition.";
  EXPECT_EQ(Str(r.graph, f + "single", "networkMode"), "host");  // module.task.mode
  EXPECT_EQ(Str(r.graph, f + "single#app", "user"), "1000");
  EXPECT_EQ(Bool(r.graph, f + "counted#agent-0", "privileged"), "true");
  EXPECT_EQ(Str(r.graph, f + "counted#agent-1", "user"), "0");
  EXPECT_EQ(Str(r.graph, f + "each[\"log\"]#log", "user"), "root");
  const std::string task = "tf/module_outputs#module.task.aws_ecs_task_definition.this";
  EXPECT_EQ(Str(r.graph, task + "#log", "user"), "root");
  EXPECT_EQ(Bool(r.graph, task + "#sidecar", "privileged"), "true");
}

TEST(Terraform, ModuleOutputsReferringToThemselvesAreUnknown) {
  ecsguard::testing::TempDir tmp;
  tmp.Write("m/main.tf", "variable \"user\" {}\noutput \"user\" {\n  value = var.user\n}\n");
  tmp.Write("root/main.tf", "module \"m\" {\n  source = \"../m\"\n  user = module.m.user\n}\n" +
                                UserResource("t", "module.m.user"));
  IacResult r = LoadDir(tmp.path(), tmp.path());
  EXPECT_EQ(GapReason(r, "root/main.tf#aws_ecs_task_definition.t"),
            "user of container 'c' is unknown (module.m refers to itself, or modules refer to "
            "each other more than 100 deep)");
}

// Registry and git modules that `terraform init` downloaded: modules.json names their folders.
TEST(Terraform, ModulesInstalledByTerraformInitAreRead) {
  IacResult r = LoadData("tf/installed");
  ASSERT_TRUE(r.problems.empty()) << Problems(r);
  ASSERT_TRUE(r.gaps.empty()) << r.gaps[0].id << ": " << r.gaps[0].reason;
  const std::string root = "tf/installed#module.";
  EXPECT_EQ(Str(r.graph, root + "agent.aws_ecs_task_definition.datadog_agent", "networkMode"),
            "host");
  EXPECT_EQ(Bool(r.graph, root + "agent.aws_ecs_task_definition.datadog_agent#datadog-agent",
                 "privileged"),
            "true");
  EXPECT_EQ(Str(r.graph, root + "sidecar[0].aws_ecs_task_definition.this#sidecar", "user"), "root");
  EXPECT_EQ(Str(r.graph, "tf/installed/main.tf#aws_ecs_task_definition.app#datadog-agent", "user"),
            "0");
  // The downloaded folders are not roots of their own.
  EXPECT_EQ(r.graph.NodesWithLabel("ECSTaskDefinition").size(), 4u);
}

TEST(Terraform, ModulesJsonWithoutTheCallAsksForTerraformInitAgain) {
  ecsguard::testing::TempDir tmp;
  tmp.Write("root/.terraform/modules/modules.json",
            R"({"Modules":[{"Key":"","Source":"","Dir":"."}]})");
  tmp.Write("root/main.tf", "module \"ecs\" {\n  source = \"cloudposse/ecs-web-app/aws\"\n}\n" +
                                UserResource("t", "module.ecs.user"));
  IacResult r = LoadDir(tmp.path(), tmp.path());
  ASSERT_TRUE(r.problems.empty()) << Problems(r);
  EXPECT_EQ(GapReason(r, "root/main.tf#module.ecs"),
            "module source \"cloudposse/ecs-web-app/aws\" is not a local path and "
            "root/.terraform/modules/modules.json has no folder for module \"ecs\"; run "
            "`terraform init` in root again, or scan a plan (`terraform show -json`)");
  EXPECT_EQ(GapReason(r, "root/main.tf#aws_ecs_task_definition.t"),
            "user of container 'c' is unknown (module.ecs: module source "
            "\"cloudposse/ecs-web-app/aws\" is not a local path and "
            "root/.terraform/modules/modules.json has no folder for module \"ecs\"; run "
            "`terraform init` in root again, or scan a plan (`terraform show -json`))");
}

// A hostile modules.json must not make the scan read configuration outside the scanned root.
TEST(Terraform, ModulesJsonFoldersOutsideTheRootAreNotRead) {
  ecsguard::testing::TempDir tmp;
  tmp.Write("elsewhere/main.tf", UserResource("outside", "\"root\""));
  tmp.Write("repo/.terraform/modules/modules.json",
            R"({"Modules":[{"Key":"ecs","Source":"x/ecs/aws","Dir":"../elsewhere"}]})");
  tmp.Write("repo/main.tf", "module \"ecs\" {\n  source = \"x/ecs/aws\"\n}\n");
  IacResult r = LoadDir(tmp.path() + "/repo", tmp.path() + "/repo");
  ASSERT_TRUE(r.problems.empty()) << Problems(r);
  EXPECT_TRUE(r.graph.NodesWithLabel("ECSTaskDefinition").empty());
  EXPECT_EQ(GapReason(r, "main.tf#module.ecs"),
            "module source \"x/ecs/aws\" is not a local path and "
            ".terraform/modules/modules.json has no folder for module \"ecs\"; run `terraform "
            "init` in . again, or scan a plan (`terraform show -json`)");
}

}  // namespace
}  // namespace ecsguard::ingest
