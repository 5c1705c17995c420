#include "remediate/scp.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace ecsguard::remediate {
namespace {

using nlohmann::json;

TEST(ScpTest, DeniesOutsideTheNamedRoles) {
  ScpOptions options{.deployment_roles = {"arn:aws:iam::*:role/ecs-deploy"},
                     .security_roles = {"arn:aws-us-gov:iam::123456789012:role/sec/admin"}};
  Result<std::string> text = ServiceControlPolicy(options);
  ASSERT_TRUE(text.ok()) << text.error().ToString();
  json policy = json::parse(*text);
  ASSERT_EQ(policy["Statement"].size(), 2u);
  const json& deploy = policy["Statement"][0];
  EXPECT_EQ(deploy["Effect"], "Deny");
  EXPECT_EQ(deploy["Action"],
            json::array({"ecs:RegisterTaskDefinition", "ecs:CreateService", "ecs:UpdateService"}));
  EXPECT_EQ(deploy["Condition"]["ArnNotLike"]["aws:PrincipalArn"],
            json::array({"arn:aws:iam::*:role/ecs-deploy"}));
  const json& config = policy["Statement"][1];
  EXPECT_EQ(config["Action"].size(), 7u);
  EXPECT_EQ(config["Action"][0], "config:StopConfigurationRecorder");
  EXPECT_EQ(config["Condition"]["ArnNotLike"]["aws:PrincipalArn"],
            json::array({"arn:aws-us-gov:iam::123456789012:role/sec/admin"}));
  EXPECT_LE(text->size(), kScpMaxCharacters);
}

// No deployment role: ECS is left alone. No security role: AWS Config is denied to everyone.
TEST(ScpTest, StatementsFollowTheRolesGiven) {
  Result<std::string> text = ServiceControlPolicy({});
  ASSERT_TRUE(text.ok()) << text.error().ToString();
  json policy = json::parse(*text);
  ASSERT_EQ(policy["Statement"].size(), 1u);
  EXPECT_EQ(policy["Statement"][0]["Sid"], "EcsguardKeepAwsConfigRecording");
  EXPECT_FALSE(policy["Statement"][0].contains("Condition"));
  std::string commands = ServiceControlPolicyCommands({}, "p.json");
  EXPECT_NE(commands.find("--content file://p.json"), std::string::npos);
  EXPECT_NE(commands.find("No --deployment-role"), std::string::npos);
}

TEST(ScpTest, RejectsWhatIsNotARoleArn) {
  for (const char* bad : {"ecs-deploy", "arn:aws:iam::123:role/x", "arn:aws:iam::*:user/x",
                          "arn:aws:iam:us-east-1:*:role/x", "arn:nope:iam::*:role/x",
                          "arn:aws:sts::123456789012:assumed-role/x/y", "arn:aws:iam::*:role/"}) {
    Result<std::string> text = ServiceControlPolicy({.deployment_roles = {bad}});
    ASSERT_FALSE(text.ok()) << bad;
    EXPECT_EQ(text.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(text.error().message().find("is not an IAM role ARN"), std::string::npos);
  }
}

TEST(ScpTest, RefusesAPolicyOverTheSizeLimit) {
  ScpOptions options;
  for (int i = 0; i < 100; ++i) {
    options.deployment_roles.push_back("arn:aws:iam::" + std::to_string(100000000000 + i) +
                                       ":role/deploy");
  }
  Result<std::string> text = ServiceControlPolicy(options);
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(text.error().message().find("over the 5120 an SCP may have"), std::string::npos);
}

}  // namespace
}  // namespace ecsguard::remediate
