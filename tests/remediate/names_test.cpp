// Names from snapshots and saved scans are checked against AWS's own rules before a remediation
// writes them into a command, a file name or a request.

#include "remediate/names.h"

#include <gtest/gtest.h>

namespace ecsguard::remediate {
namespace {

TEST(IsValidName, LettersDigitsHyphensUnderscoresUpTo255) {
  for (const std::string& name :
       {std::string("web"), std::string("Web_api-2"), std::string("-"), std::string(255, 'a')}) {
    EXPECT_TRUE(IsValidName(name)) << name;
  }
  for (const std::string& name :
       {std::string(""), std::string(256, 'a'), std::string("web\nrm -rf ~"), std::string("a b"),
        std::string("a:b"), std::string("a/b"), std::string("a'b"), std::string("\x1b[31mapp"),
        std::string("caf\xC3\xA9"), std::string("a$(id)")}) {
    EXPECT_FALSE(IsValidName(name)) << name;
  }
}

TEST(CheckTaskDefinitionArn, Shape) {
  for (const char* arn : {"arn:aws:ecs:eu-west-1:111122223333:task-definition/web:12",
                          "arn:aws-us-gov:ecs:us-gov-west-1:111122223333:task-definition/a_b-c:1",
                          "arn:aws-cn:ecs:cn-north-1:111122223333:task-definition/x:999999999",
                          "arn:aws-iso-b:ecs:us-isob-east-1:111122223333:task-definition/x:1"}) {
    EXPECT_EQ(CheckTaskDefinitionArn(arn), std::nullopt) << arn;
  }
  EXPECT_EQ(CheckTaskDefinitionArn("arn:aws:ecs:eu-west-1:111122223333:task-definition/web\nrm "
                                   "-rf ~:1"),
            "\"arn:aws:ecs:eu-west-1:111122223333:task-definition/web rm -rf ~:1\": the family "
            "name is not 1 to 255 letters, digits, hyphens and underscores")
      << "the message itself carries no line break";
  EXPECT_EQ(CheckTaskDefinitionArn("arn:aws:ecs:eu-west-1:1:task-definition/web:1"),
            "\"arn:aws:ecs:eu-west-1:1:task-definition/web:1\": not a 12-digit account id");
  EXPECT_EQ(CheckTaskDefinitionArn("arn:aws:ecs:eu west 1:111122223333:task-definition/web:1"),
            "\"arn:aws:ecs:eu west 1:111122223333:task-definition/web:1\": not a valid region");
  EXPECT_EQ(CheckTaskDefinitionArn("arn:aws:iam::111122223333:task-definition/web:1"),
            "\"arn:aws:iam::111122223333:task-definition/web:1\" is not an ECS ARN");
  EXPECT_EQ(CheckTaskDefinitionArn("arn:evil:ecs:eu-west-1:111122223333:task-definition/web:1"),
            "\"arn:evil:ecs:eu-west-1:111122223333:task-definition/web:1\" is not an ECS ARN");
  // A partition AWS does not have is no longer accepted because it looks like one.
  EXPECT_EQ(CheckTaskDefinitionArn("arn:aws-moon:ecs:eu-west-1:111122223333:task-definition/web:1"),
            "\"arn:aws-moon:ecs:eu-west-1:111122223333:task-definition/web:1\" is not an ECS ARN");
  for (const char* bad : {"arn:aws:ecs:eu-west-1:111122223333:task-definition/web",
                          "arn:aws:ecs:eu-west-1:111122223333:task-definition/web:0",
                          "arn:aws:ecs:eu-west-1:111122223333:task-definition/web:01",
                          "arn:aws:ecs:eu-west-1:111122223333:task-definition/web:1;id",
                          "arn:aws:ecs:eu-west-1:111122223333:service/prod/web", "web:1", ""}) {
    EXPECT_NE(CheckTaskDefinitionArn(bad), std::nullopt) << bad;
  }
}

TEST(CheckServiceArn, NewAndOldFormats) {
  EXPECT_EQ(CheckServiceArn("arn:aws:ecs:eu-west-1:111122223333:service/prod/web"), std::nullopt);
  EXPECT_EQ(CheckServiceArn("arn:aws:ecs:eu-west-1:111122223333:service/web"), std::nullopt);
  EXPECT_EQ(CheckServiceArn("arn:aws:ecs:eu-west-1:111122223333:service/pr od/web"),
            "\"arn:aws:ecs:eu-west-1:111122223333:service/pr od/web\": the cluster name is not 1 "
            "to 255 letters, digits, hyphens and underscores");
  EXPECT_EQ(CheckServiceArn("arn:aws:ecs:eu-west-1:111122223333:service/prod/w$(id)"),
            "\"arn:aws:ecs:eu-west-1:111122223333:service/prod/w$(id)\": the service name is not "
            "1 to 255 letters, digits, hyphens and underscores");
  EXPECT_NE(CheckServiceArn("arn:aws:ecs:eu-west-1:111122223333:service/a/b/c"), std::nullopt);
  EXPECT_NE(CheckServiceArn("arn:aws:ecs:eu-west-1:111122223333:cluster/prod"), std::nullopt);
}

TEST(TagValue, OnlyWhatATagValueMayHold) {
  EXPECT_EQ(TagValue("aws-ecs-1-strict other.id:x/y=z+@ "), "aws-ecs-1-strict other.id:x/y=z+@ ");
  EXPECT_EQ(TagValue("a\nb;c,d\x1b"), "a_b_c_d_");
  EXPECT_EQ(TagValue(std::string(300, 'x')).size(), 256u);
}

}  // namespace
}  // namespace ecsguard::remediate
