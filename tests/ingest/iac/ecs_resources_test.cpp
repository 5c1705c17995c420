// Services, clusters, task sets and capacity providers in IaC (issue 11): every reader fills what
// ECS.2, 10, 12, 16 and 19 read, and each control's iac check gives the same verdicts on the same
// resources whatever the format. The estate is written five times: cfn/ecs_resources/estate.yaml
// and .json (checked by cfn-lint), tf/ecs_resources (.tf), tf/ecs_resources_json (.tf.json) and
// plan/ecs_resources.json (terraform show -json). Resources named unknown* take values the scan
// cannot know (a parameter or variable without a default, a value known only after apply).

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "iac_test_util.h"
#include "verdicts_test_util.h"

namespace ecsguard::ingest {
namespace {

using testing::Bool;
using testing::Int;
using testing::LoadData;
using testing::Prop;
using testing::Str;
using testing::VerdictsTest;

struct Format {
  std::string input;  // what is scanned, relative to tests/ingest/iac
  std::string file;   // the file ids name
  bool cloudformation;
  bool plan;
};

const std::vector<Format> kFormats = {
    {"cfn/ecs_resources/estate.yaml", "cfn/ecs_resources/estate.yaml", true, false},
    {"cfn/ecs_resources/estate.json", "cfn/ecs_resources/estate.json", true, false},
    {"tf/ecs_resources", "tf/ecs_resources/main.tf", false, false},
    {"tf/ecs_resources_json", "tf/ecs_resources_json/main.tf.json", false, false},
    {"plan/ecs_resources.json", "plan/ecs_resources.json", false, true},
};

// The asset id of the resource the estate calls `key` (Terraform's name, snake_case).
std::string Id(const Format& f, const std::string& key) {
  if (f.cloudformation) {
    std::string logical;
    bool upper = true;
    for (char c : key) {
      if (c == '_') {
        upper = true;
        continue;
      }
      logical += upper ? static_cast<char>(std::toupper(c)) : c;
      upper = false;
    }
    return f.file + "#" + logical;
  }
  static const std::map<std::string, std::string> kTypes = {
      {"public", "aws_ecs_service"},
      {"private", "aws_ecs_service"},
      {"unknown", "aws_ecs_service"},
      {"ec2", "aws_ecs_service"},
      {"insights", "aws_ecs_cluster"},
      {"dark", "aws_ecs_cluster"},
      {"unset", "aws_ecs_cluster"},
      {"unknown_insights", "aws_ecs_cluster"},
      {"unknown_settings", "aws_ecs_cluster"},
      {"public_set", "aws_ecs_task_set"},
      {"private_set", "aws_ecs_task_set"},
      {"unknown_set", "aws_ecs_task_set"},
      {"protected", "aws_ecs_capacity_provider"},
      {"unprotected", "aws_ecs_capacity_provider"},
      {"unknown_protection", "aws_ecs_capacity_provider"},
  };
  const std::string& type = kTypes.at(key);
  return f.file + "#" + type + "." + key;
}

// The ECSSetting nodes of cluster `id`: key=value, or key=<why value is unknown>.
std::vector<std::string> Settings(const IacResult& r, const std::string& id) {
  std::vector<std::string> out;
  auto node = r.graph.FindNode(id);
  auto edge = r.graph.Lookup("HAS_SETTING");
  if (!node || !edge) return out;
  for (graph::NodeIndex s : r.graph.Neighbors(*node, *edge, graph::Direction::kOut)) {
    std::string value =
        r.graph.GetProp(s, "value").is_null()
            ? "<" + std::string(r.graph.GetProp(s, "value@unknown").as_string()) + ">"
            : std::string(r.graph.GetProp(s, "value").as_string());
    out.push_back(std::string(r.graph.GetProp(s, "key").as_string()) + "=" + value);
  }
  return out;
}

TEST(EcsResourcesTest, EveryFormatFillsWhatTheControlsRead) {
  for (const Format& f : kFormats) {
    SCOPED_TRACE(f.input);
    IacResult r = LoadData(f.input);
    EXPECT_TRUE(r.problems.empty()) << testing::Problems(r);
    EXPECT_TRUE(r.gaps.empty());
    const graph::Graph& g = r.graph;
    // Services: API values, Terraform's Boolean as ENABLED/DISABLED, LATEST when not set.
    EXPECT_EQ(Str(g, Id(f, "public"), "assignPublicIp"), "ENABLED");
    EXPECT_EQ(Str(g, Id(f, "public"), "launchType"), "FARGATE");
    EXPECT_EQ(Str(g, Id(f, "public"), "platformVersion"), "1.4.0");
    EXPECT_EQ(Str(g, Id(f, "private"), "assignPublicIp"), "DISABLED");
    EXPECT_EQ(Str(g, Id(f, "ec2"), "launchType"), "EC2");
    EXPECT_TRUE(Prop(g, Id(f, "ec2"), "assignPublicIp").is_null());
    EXPECT_TRUE(Prop(g, Id(f, "ec2"), "platformVersion").is_null());
    if (f.plan) {
      // Optional and computed in the AWS provider: known only after apply when not set.
      EXPECT_EQ(Str(g, Id(f, "private"), "platformVersion@unknown"),
                "platform_version is unknown (known only after apply)");
    } else {
      EXPECT_EQ(Str(g, Id(f, "private"), "platformVersion"), "LATEST");
    }
    EXPECT_TRUE(Prop(g, Id(f, "unknown"), "assignPublicIp").is_null());
    EXPECT_FALSE(Prop(g, Id(f, "unknown"), "assignPublicIp@unknown").is_null());
    EXPECT_FALSE(Prop(g, Id(f, "unknown"), "platformVersion@unknown").is_null());
    // Clusters: their settings as nodes.
    EXPECT_EQ(Settings(r, Id(f, "insights")),
              std::vector<std::string>{"containerInsights=enhanced"});
    EXPECT_EQ(Settings(r, Id(f, "dark")), std::vector<std::string>{"containerInsights=disabled"});
    EXPECT_TRUE(Settings(r, Id(f, "unset")).empty());
    ASSERT_EQ(Settings(r, Id(f, "unknown_insights")).size(), 1u);
    // Task sets.
    EXPECT_EQ(Str(g, Id(f, "public_set"), "assignPublicIp"), "ENABLED");
    EXPECT_EQ(Str(g, Id(f, "private_set"), "assignPublicIp"), "DISABLED");
    EXPECT_FALSE(Prop(g, Id(f, "unknown_set"), "assignPublicIp@unknown").is_null());
    // Capacity providers: DISABLED where the Auto Scaling group provider leaves it out.
    EXPECT_EQ(Str(g, Id(f, "protected"), "managedTerminationProtection"), "ENABLED");
    EXPECT_EQ(Str(g, Id(f, "unprotected"), "managedTerminationProtection"), "DISABLED");
    EXPECT_EQ(Str(g, Id(f, "unprotected"), "autoScalingGroupArn").substr(0, 16),
              "arn:aws:autoscal");
    EXPECT_FALSE(
        Prop(g, Id(f, "unknown_protection"), "managedTerminationProtection@unknown").is_null());
    for (const char* key : {"public", "insights", "public_set", "protected"}) {
      EXPECT_EQ(Str(g, Id(f, key), "sourceFile"), f.file) << key;
      EXPECT_GT(Int(g, Id(f, key), "sourceLine"), 0) << key;
    }
  }
}

// What an unknown is said to be, in each syntax, and where the findings point.
TEST(EcsResourcesTest, UnknownsSayWhyAndValuesWhereTheyAreWritten) {
  IacResult yaml = LoadData("cfn/ecs_resources/estate.yaml");
  const std::string cfn = "cfn/ecs_resources/estate.yaml#";
  EXPECT_EQ(Str(yaml.graph, cfn + "Unknown", "assignPublicIp@unknown"),
            "NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp is !Ref PublicIp, a "
            "parameter with no default");
  EXPECT_EQ(Str(yaml.graph, cfn + "UnknownSet", "assignPublicIp@unknown"),
            "NetworkConfiguration.AwsVpcConfiguration.AssignPublicIp is !Ref PublicIp, a "
            "parameter with no default");
  EXPECT_EQ(Settings(yaml, cfn + "UnknownInsights"),
            std::vector<std::string>{
                "containerInsights=<Value of setting #1 is !Ref InsightsValue, a parameter with "
                "no default>"});
  EXPECT_EQ(Int(yaml.graph, cfn + "Public", "sourceLine"), 24);
  EXPECT_EQ(Int(yaml.graph, cfn + "Public", "sourceColumn"), 3);
  EXPECT_EQ(Int(yaml.graph, cfn + "Public", "assignPublicIp@line"), 33);
  EXPECT_EQ(Int(yaml.graph, cfn + "Public", "assignPublicIp@column"), 11);

  IacResult tf = LoadData("tf/ecs_resources");
  const std::string hcl = "tf/ecs_resources/main.tf#";
  EXPECT_EQ(Str(tf.graph, hcl + "aws_ecs_service.unknown", "assignPublicIp@unknown"),
            "network_configuration.assign_public_ip is unknown (var.public_ip has no default)");
  EXPECT_EQ(Str(tf.graph, hcl + "aws_ecs_cluster.unknown_settings", "hasECSSettings@unknown"),
            "setting is unknown (dynamic \"setting\" for_each is unknown (var.settings has no "
            "default))");
  EXPECT_EQ(Int(tf.graph, hcl + "aws_ecs_service.public", "sourceLine"), 30);
  EXPECT_EQ(Int(tf.graph, hcl + "aws_ecs_service.public", "assignPublicIp@line"), 38);

  IacResult plan = LoadData("plan/ecs_resources.json");
  EXPECT_EQ(Str(plan.graph, "plan/ecs_resources.json#aws_ecs_task_set.unknown_set",
                "assignPublicIp@unknown"),
            "network_configuration.assign_public_ip is unknown (known only after apply)");
}

TEST(EcsResourcesTest, InlineSuppressionsNameTheResources) {
  IacResult yaml = LoadData("cfn/ecs_resources/estate.yaml");
  ASSERT_EQ(yaml.suppressions.size(), 2u);
  EXPECT_EQ(yaml.suppressions[0].resource_id, "cfn/ecs_resources/estate.yaml#Dark");
  EXPECT_EQ(yaml.suppressions[0].control_id, "aws-securityhub-ecs-12");
  EXPECT_EQ(yaml.suppressions[1].resource_id, "cfn/ecs_resources/estate.yaml#Public");
  EXPECT_EQ(yaml.suppressions[1].control_id, "aws-securityhub-ecs-2");
  IacResult tf = LoadData("tf/ecs_resources");
  ASSERT_EQ(tf.suppressions.size(), 1u);
  EXPECT_EQ(tf.suppressions[0].resource_id, "tf/ecs_resources/main.tf#aws_ecs_service.public");
}

// Each control: PASS, FAIL and NOT_EVALUATED on the same resources in every format, with the
// one difference a plan makes (a platform version not set is known only after apply there).
TEST_F(VerdictsTest, EcsResourceControlsAgreeAcrossFormats) {
  using Expected = std::map<std::string, std::map<std::string, std::string>>;
  for (const Format& f : kFormats) {
    SCOPED_TRACE(f.input);
    auto v = Scan(f.input);
    Expected expected = {
        {"aws-securityhub-ecs-2",
         {{"public", "FAIL"}, {"private", "PASS"}, {"unknown", "NOT_EVALUATED"}, {"ec2", "PASS"}}},
        {"aws-securityhub-ecs-10",
         {{"public", "FAIL"},
          {"private", f.plan ? "NOT_EVALUATED" : "PASS"},
          {"unknown", "NOT_EVALUATED"}}},  // not the EC2 service: ECS.10 judges Fargate only
        {"aws-securityhub-ecs-12",
         {{"insights", "PASS"},
          {"dark", "FAIL"},
          {"unset", "FAIL"},
          {"unknown_insights", "NOT_EVALUATED"}}},
        {"aws-securityhub-ecs-16",
         {{"public_set", "FAIL"}, {"private_set", "PASS"}, {"unknown_set", "NOT_EVALUATED"}}},
        {"aws-securityhub-ecs-19",
         {{"protected", "PASS"}, {"unprotected", "FAIL"}, {"unknown_protection", "NOT_EVALUATED"}}},
    };
    if (!f.cloudformation && !f.plan) {
      expected["aws-securityhub-ecs-12"]["unknown_settings"] = "NOT_EVALUATED";
    }
    for (const auto& [control, by_key] : expected) {
      std::map<std::string, std::string> want, got;
      for (const auto& [key, verdict] : by_key) want[Id(f, key)] = verdict;
      for (const auto& [id, outcome] : v[control]) got[id] = outcome.verdict;
      EXPECT_EQ(got, want) << control;
    }
    // NOT_EVALUATED names what is unknown.
    EXPECT_NE(v["aws-securityhub-ecs-2"][Id(f, "unknown")].reason.find(
                  f.cloudformation ? "AssignPublicIp" : "assign_public_ip"),
              std::string::npos)
        << v["aws-securityhub-ecs-2"][Id(f, "unknown")].reason;
  }
}

}  // namespace
}  // namespace ecsguard::ingest
