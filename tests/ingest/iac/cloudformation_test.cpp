// CloudFormation: scalar typing, positions, intrinsic resolution, gaps, SAM/CDK, suppressions,
// malformed files.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "iac_test_util.h"
#include "ingest/iac/iac.h"

namespace ecsguard::ingest {
namespace {

using namespace ecsguard::ingest::testing;  // NOLINT

// What the Security Hub family reads (issue 11): RuntimePlatform, Volumes and LogConfiguration.
TEST(CloudFormationYaml, RuntimePlatformVolumesAndLogConfiguration) {
  IacResult r = LoadIacText(R"(Parameters:
  Transit:
    Type: String
Resources:
  Td:
    Type: AWS::ECS::TaskDefinition
    Properties:
      RuntimePlatform:
        OperatingSystemFamily: LINUX
      Volumes:
        - Name: data
          EFSVolumeConfiguration:
            FilesystemId: fs-1
            TransitEncryption: !Ref Transit
        - Name: cache
          DockerVolumeConfiguration:
            Scope: task
      ContainerDefinitions:
        - Name: app
          LogConfiguration:
            LogDriver: awslogs
)",
                            "t.yaml");
  ASSERT_TRUE(r.problems.empty()) << Problems(r);
  const graph::Graph& g = r.graph;
  EXPECT_EQ(Str(g, "t.yaml#Td", "operatingSystemFamily"), "LINUX");
  EXPECT_EQ(Str(g, "t.yaml#Td#app", "logDriver"), "awslogs");
  EXPECT_EQ(Int(g, "t.yaml#Td#app", "logDriver@line"), 21);
  EXPECT_EQ(Str(g, "t.yaml#Td#volume/0", "type"), "efs");
  EXPECT_EQ(Str(g, "t.yaml#Td#volume/0", "efsFileSystemId"), "fs-1");
  EXPECT_EQ(Str(g, "t.yaml#Td#volume/0", "transitEncryption@unknown"),
            "EFSVolumeConfiguration.TransitEncryption of volume #1 is !Ref Transit, a parameter "
            "with no default");
  EXPECT_EQ(Str(g, "t.yaml#Td#volume/1", "type"), "docker");
}

TEST(CloudFormationYaml, Yaml12ScalarTypingAndPositions) {
  IacResult r = LoadData("cfn/positions.yaml");
  ASSERT_TRUE(r.problems.empty()) << Problems(r);
  EXPECT_EQ(r.files, 1u);
  const graph::Graph& g = r.graph;
  const std::string td = "cfn/positions.yaml#HostTask";
  EXPECT_EQ(Str(g, td, "identifier"), td);
  EXPECT_EQ(Str(g, td, "name"), "HostTask");
  EXPECT_EQ(Str(g, td, "family"), "host-task");
  EXPECT_EQ(Str(g, td, "networkMode"), "host");
  EXPECT_EQ(Str(g, td, "source"), "cloudformation");
  EXPECT_EQ(Str(g, td, "cloudProvider"), "aws");
  EXPECT_EQ(Str(g, td, "sourceFile"), "cfn/positions.yaml");
  EXPECT_EQ(Int(g, td, "sourceLine"), 4);
  EXPECT_EQ(Int(g, td, "sourceColumn"), 3);
  EXPECT_EQ(Int(g, td, "networkMode@line"), 8);
  EXPECT_EQ(Int(g, td, "networkMode@column"), 7);

  const std::string web = td + "#web";
  EXPECT_EQ(Str(g, web, "name"), "web");
  EXPECT_EQ(Str(g, web, "image"), "nginx:1.25");
  EXPECT_EQ(Bool(g, web, "privileged"), "true");
  EXPECT_EQ(Str(g, web, "user"), "root");
  EXPECT_EQ(Int(g, web, "sourceLine"), 10);
  EXPECT_EQ(Int(g, web, "sourceColumn"), 11);
  EXPECT_EQ(Int(g, web, "privileged@line"), 12);
  EXPECT_EQ(Int(g, web, "privileged@column"), 11);
  EXPECT_EQ(Int(g, web, "user@line"), 13);
  EXPECT_EQ(Int(g, web, "user@column"), 11);

  const std::string sidecar = td + "#sidecar";
  EXPECT_EQ(Str(g, sidecar, "user"), "1000:0");  // not the sexagesimal 60000 of YAML 1.1
  EXPECT_EQ(Bool(g, sidecar, "privileged"), "false");
  EXPECT_EQ(Bool(g, sidecar, "readOnlyRootFS"), "true");
  EXPECT_EQ(Int(g, sidecar, "sourceLine"), 14);
  EXPECT_EQ(Int(g, sidecar, "user@line"), 16);
  graph::Value ports = Prop(g, sidecar, "hostPorts");
  ASSERT_EQ(ports.kind(), graph::Value::Kind::kList);
  ASSERT_EQ(ports.as_list().size(), 1u);
  EXPECT_EQ(ports.as_list()[0].as_int(), 8080);  // host mode: hostPort defaults to containerPort

  auto container = g.FindNode(sidecar);
  ASSERT_TRUE(container);
  auto env = g.Neighbors(*container, *g.Lookup("HAS_ENV_ENTRY"), graph::Direction::kOut);
  ASSERT_EQ(env.size(), 1u);
  EXPECT_EQ(g.GetProp(env[0], "key").as_string(), "MODE");
  EXPECT_EQ(g.GetProp(env[0], "value").as_string(), "sidecar");

  auto task = g.FindNode(td);
  auto specs = g.Neighbors(*task, *g.Lookup("HAS_CONTAINER_DEFINITION"), graph::Direction::kOut);
  EXPECT_EQ(specs.size(), 2u);

  EXPECT_EQ(Str(g, "cfn/positions.yaml#UidZero#app", "user"), "0");  // User: 0 is the string "0"
  EXPECT_EQ(Int(g, "cfn/positions.yaml#UidZero", "sourceLine"), 24);
}

TEST(CloudFormationJson, TypingAndPositions) {
  IacResult r = LoadData("cfn/positions.json");
  ASSERT_TRUE(r.problems.empty()) << Problems(r);
  const graph::Graph& g = r.graph;
  const std::string td = "cfn/positions.json#HostTask";
  EXPECT_EQ(Int(g, td, "sourceLine"), 4);
  EXPECT_EQ(Int(g, td, "sourceColumn"), 5);
  EXPECT_EQ(Int(g, td, "networkMode@line"), 7);
  EXPECT_EQ(Int(g, td, "networkMode@column"), 9);
  const std::string web = td + "#web";
  EXPECT_EQ(Bool(g, web, "privileged"), "true");  // "true" as CloudFormation accepts it
  EXPECT_EQ(Str(g, web, "user"), "0");
  EXPECT_EQ(Int(g, web, "sourceLine"), 9);
  EXPECT_EQ(Int(g, web, "sourceColumn"), 11);
  EXPECT_EQ(Int(g, web, "privileged@line"), 11);
  EXPECT_EQ(Int(g, web, "privileged@column"), 13);
  EXPECT_EQ(Int(g, web, "user@line"), 12);
}

TEST(CloudFormationIntrinsics, ShortFormMatrix) {
  IacResult r = LoadData("cfn/intrinsics.yaml");
  ASSERT_TRUE(r.problems.empty()) << Problems(r);
  const graph::Graph& g = r.graph;
  const std::string f = "cfn/intrinsics.yaml#";

  // Ref to a parameter with a default; "true" from a String parameter is a Boolean.
  EXPECT_EQ(Str(g, f + "RefDefault", "networkMode"), "host");
  EXPECT_EQ(Bool(g, f + "RefDefault#app", "privileged"), "true");

  // Fn::If on a resolvable condition; AWS::NoValue removes the property.
  EXPECT_EQ(Str(g, f + "IfResolved", "networkMode"), "host");
  EXPECT_EQ(Str(g, f + "IfResolved#app", "name"), "app");
  EXPECT_TRUE(Prop(g, f + "IfResolved#app", "user").is_null());

  // Fn::Or decided by one known operand.
  EXPECT_EQ(Str(g, f + "OrShortCircuit", "networkMode"), "host");

  // Fn::Sub (with a literal ${!...}), Fn::Join, Fn::Select over a list parameter, Fn::Split.
  EXPECT_EQ(Str(g, f + "SubJoinSelect", "family"), "prod-web-${Literal}");
  EXPECT_EQ(Str(g, f + "SubJoinSelect", "networkMode"), "host");
  EXPECT_EQ(Str(g, f + "SubJoinSelect#prod-app", "user"), "root");
  EXPECT_EQ(Str(g, f + "SubJoinSelect#split", "user"), "root");
  // Image needs the account and region: left absent and listed.
  EXPECT_TRUE(Prop(g, f + "SubJoinSelect#prod-app", "image").is_null());
  graph::Value unresolved = Prop(g, f + "SubJoinSelect", "unresolvedFields");
  ASSERT_EQ(unresolved.kind(), graph::Value::Kind::kList);
  ASSERT_EQ(unresolved.as_list().size(), 1u);
  EXPECT_EQ(unresolved.as_list()[0].as_string(), "containers[0].image");

  // Fn::FindInMap with a key from a parameter default.
  EXPECT_EQ(Str(g, f + "FindInMap#app", "user"), "1000:1000");

  // A resource whose Condition is false is never created.
  EXPECT_FALSE(g.FindNode(f + "NotCreated"));
  EXPECT_FALSE(FindGap(r, f + "NotCreated"));
}

TEST(CloudFormationIntrinsics, UnresolvableControlFieldIsMarkedUnknown) {
  IacResult r = LoadData("cfn/intrinsics.yaml");
  const std::string f = "cfn/intrinsics.yaml#";
  struct Case {
    std::string resource;
    std::string reason;
  } cases[] = {
      {"RefNoDefault",
       "Privileged of container 'app' is !Ref IsPrivileged, a parameter with no default"},
      {"IfUnresolved",
       "User of container 'app' depends on !Ref IsPrivileged, a parameter with no default"},
      {"GetAttUser",
       "User of container 'app' is !GetAtt Config.Outputs.User, an attribute known only after "
       "deployment"},
      {"SsmParam",
       "User of container 'app' is !Ref SsmUser, a parameter read from SSM Parameter Store at "
       "deployment"},
  };
  // Each is read, with the value it cannot know marked unknown and why.
  for (const Case& c : cases) {
    SCOPED_TRACE(c.resource);
    EXPECT_EQ(NotEvaluatedReason(r, f + c.resource), c.reason);
  }
  EXPECT_TRUE(r.gaps.empty());
  EXPECT_EQ(Str(r.graph, f + "GetAttUser", "sourceFile"), "cfn/intrinsics.yaml");
}

TEST(CloudFormationIntrinsics, LongForms) {
  IacResult r = LoadData("cfn/long_form.json");
  ASSERT_TRUE(r.problems.empty()) << Problems(r);
  const graph::Graph& g = r.graph;
  const std::string td = "cfn/long_form.json#Task";
  EXPECT_EQ(Str(g, td, "networkMode"), "host");
  EXPECT_EQ(Str(g, td, "family"), "prod-web");
  EXPECT_EQ(Bool(g, td + "#app", "privileged"), "false");
  EXPECT_EQ(Str(g, td + "#app", "user"), "root:0");
  EXPECT_TRUE(Prop(g, td + "#app", "image").is_null());
}

TEST(CloudFormationIntrinsics, ParameterOverridesWin) {
  IacOptions options;
  options.root = ecsguard::testing::SourcePath("tests/ingest/iac");
  options.parameters["IsPrivileged"] = "false";
  options.parameters["Mode"] = "awsvpc";
  IacResult r = LoadIac({DataPath("cfn/intrinsics.yaml")}, options);
  const std::string f = "cfn/intrinsics.yaml#";
  EXPECT_EQ(Bool(r.graph, f + "RefNoDefault#app", "privileged"), "false");
  EXPECT_EQ(Str(r.graph, f + "RefDefault", "networkMode"), "awsvpc");
  EXPECT_EQ(Str(r.graph, f + "IfUnresolved#app", "user"), "app");
}

TEST(CloudFormationVariants, SamTemplate) {
  IacResult r = LoadData("cfn/sam.yaml");
  ASSERT_TRUE(r.problems.empty()) << Problems(r);
  EXPECT_EQ(r.graph.NodesWithLabel("ECSTaskDefinition").size(), 1u);
  EXPECT_EQ(Bool(r.graph, "cfn/sam.yaml#Worker#worker", "privileged"), "true");
}

TEST(CloudFormationVariants, CdkOutputFolder) {
  IacResult r = LoadData("cfn/cdk.out");
  ASSERT_TRUE(r.problems.empty()) << Problems(r);
  EXPECT_EQ(r.files, 1u);  // manifest.json is not a template; asset.* copies are not read
  const std::string td = "cfn/cdk.out/AppStack.template.json#TaskDef54694570";
  EXPECT_EQ(Str(r.graph, td, "networkMode"), "host");
  EXPECT_EQ(Str(r.graph, td, "family"), "AppStackTaskDef9B1A2C3D");
  EXPECT_EQ(Bool(r.graph, td + "#web", "privileged"), "true");
  EXPECT_EQ(Str(r.graph, td + "#web", "user"), "root");
  graph::Value unresolved = Prop(r.graph, td, "unresolvedFields");
  ASSERT_EQ(unresolved.kind(), graph::Value::Kind::kList);
  EXPECT_EQ(unresolved.as_list().size(), 2u);  // taskRoleArn, containers[0].image
}

TEST(CloudFormationSuppressions, CommentAndMetadataForms) {
  IacResult r = LoadData("cfn/suppressed.yaml");
  const std::string f = "cfn/suppressed.yaml#";
  ASSERT_EQ(r.suppressions.size(), 4u);
  // Sorted by resource id (Agent before Exporter), then line.
  const Suppression& meta = r.suppressions[0];
  EXPECT_EQ(meta.resource_id, f + "Agent");
  EXPECT_EQ(meta.control_id, "aws-ecs-1-privileged-network-mode");
  EXPECT_EQ(meta.reason, "monitoring agent reads host metrics");
  EXPECT_EQ(meta.owner, "sre@example.com");
  EXPECT_EQ(meta.expires, "2030-06-30");
  EXPECT_EQ(meta.location.file, "cfn/suppressed.yaml");
  EXPECT_EQ(meta.location.line, 17u);
  const Suppression& incomplete = r.suppressions[1];
  EXPECT_EQ(incomplete.control_id, "aws-ecs-1-strict");
  EXPECT_EQ(incomplete.reason, "");  // parsed faithfully; the caller rejects it
  EXPECT_EQ(incomplete.location.line, 21u);
  const Suppression& inline_comment = r.suppressions[2];
  EXPECT_EQ(inline_comment.resource_id, f + "Agent");
  EXPECT_EQ(inline_comment.control_id, "aws-ecs-1-strict");
  EXPECT_EQ(inline_comment.owner, "sre@example.com");
  EXPECT_EQ(inline_comment.location.line, 27u);
  const Suppression& above = r.suppressions[3];
  EXPECT_EQ(above.resource_id, f + "Exporter");
  EXPECT_EQ(above.control_id, "aws-ecs-1-privileged-network-mode");
  EXPECT_EQ(above.reason, "node exporter needs the host");
  EXPECT_EQ(above.owner, "platform@example.com");
  EXPECT_EQ(above.expires, "2030-01-31");
  EXPECT_EQ(above.location.line, 3u);
  EXPECT_EQ(above.location.column, 5u);
  // The stray comment after the last resource suppresses nothing and is reported.
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].code(), ErrorCode::kValidation);
  EXPECT_EQ(r.problems[0].location().line, 28u);
  // Suppressed resources are still in the graph: suppression is decided later.
  EXPECT_TRUE(r.graph.FindNode(f + "Exporter"));
}

TEST(CloudFormationSuppressions, CommentsAfterApostrophesAndInsideQuotes) {
  IacResult r = LoadIacText(
      "Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n"
      "    Properties:\n      Family: 'a # not a comment'\n"
      "      NetworkMode: host  # it's host # ecsguard:ignore c1 owner=o\n"
      "  U:\n    Type: AWS::ECS::TaskDefinition\n"
      "    Properties:\n      Family: don't # ecsguard:ignore c2 reason=\"r\"\n",
      "t.yaml");
  ASSERT_EQ(r.suppressions.size(), 2u) << Problems(r);
  EXPECT_EQ(r.suppressions[0].resource_id, "t.yaml#T");
  EXPECT_EQ(r.suppressions[0].control_id, "c1");
  EXPECT_EQ(r.suppressions[0].owner, "o");
  EXPECT_EQ(r.suppressions[1].resource_id, "t.yaml#U");
  EXPECT_EQ(r.suppressions[1].reason, "r");
  EXPECT_EQ(Str(r.graph, "t.yaml#T", "family"), "a # not a comment");
}

TEST(CloudFormationErrors, MalformedFilesAreProblemsAndTheRestIsRead) {
  IacResult r = LoadData("cfn");
  std::vector<std::string> problems;
  for (const Error& e : r.problems) {
    if (e.code() == ErrorCode::kParse) problems.push_back(e.ToString());
  }
  ASSERT_EQ(problems.size(), 2u) << Problems(r);
  EXPECT_TRUE(problems[0].starts_with("cfn/malformed.json:4:"));
  EXPECT_TRUE(problems[1].starts_with("cfn/malformed.yaml:")) << problems[1];
  EXPECT_TRUE(r.graph.FindNode("cfn/positions.yaml#HostTask"));
  EXPECT_TRUE(r.graph.FindNode("cfn/sam.yaml#Worker"));
  EXPECT_TRUE(r.graph.FindNode("cfn/cdk.out/AppStack.template.json#TaskDef54694570"));
}

TEST(CloudFormationErrors, ErrorsCarryLineAndColumn) {
  IacResult r = LoadIacText("{\n  \"Resources\": {\n    \"A\": [1,\n  }\n}\n", "bad.json");
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].code(), ErrorCode::kParse);
  EXPECT_EQ(r.problems[0].location().file, "bad.json");
  EXPECT_EQ(r.problems[0].location().line, 4u);
  EXPECT_EQ(r.problems[0].location().column, 3u);

  r = LoadIacText("Resources:\n  A:\n    Type: [x, y\n  B: 1\n", "bad.yaml");
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].location().file, "bad.yaml");
  EXPECT_GT(r.problems[0].location().line, 0u);

  r = LoadIacText("{\"Resources\": {\"A\": {\"Type\": \"x\", \"Type\": \"y\"}}}", "dup.json");
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].message(), "duplicate key \"Type\"");
}

TEST(CloudFormationStrictness, MisspelledKeysAreNotPrivileged) {
  IacResult r = LoadIacText(
      "Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n"
      "      NetworkMode: host\n      ContainerDefinitions:\n"
      "        - Name: a\n          Privilege: true\n          privileged: true\n",
      "t.yaml");
  ASSERT_TRUE(r.problems.empty()) << Problems(r);
  EXPECT_EQ(Bool(r.graph, "t.yaml#T#a", "privileged"), "null");
}

TEST(CloudFormationStrictness, InvalidTypesAreUnknown) {
  IacResult r = LoadIacText(
      "Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n"
      "      NetworkMode: host\n      ContainerDefinitions:\n"
      "        - Name: a\n          Privileged: yes\n",
      "t.yaml");
  EXPECT_TRUE(r.gaps.empty());
  EXPECT_EQ(Str(r.graph, "t.yaml#T#a", "privileged@unknown"),
            "Privileged of container 'a' is yes, not a Boolean");
}

TEST(CloudFormationStrictness, AbsentNetworkModeStaysAbsent) {
  IacResult r = LoadIacText(
      "Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n"
      "      ContainerDefinitions:\n        - Name: a\n          Privileged: true\n",
      "t.yaml");
  EXPECT_TRUE(Prop(r.graph, "t.yaml#T", "networkMode").is_null());
}

}  // namespace
}  // namespace ecsguard::ingest
