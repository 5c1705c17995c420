#include "base/arn.h"

#include <gtest/gtest.h>

namespace ecsguard {
namespace {

TEST(ArnTest, ParsesTaskDefinitionArn) {
  auto arn = ParseArn("arn:aws:ecs:eu-west-1:111122223333:task-definition/web:3");
  ASSERT_TRUE(arn);
  EXPECT_EQ(arn->partition, "aws");
  EXPECT_EQ(arn->service, "ecs");
  EXPECT_EQ(arn->region, "eu-west-1");
  EXPECT_EQ(arn->account_id, "111122223333");
  EXPECT_EQ(arn->resource, "task-definition/web:3");
}

TEST(ArnTest, ResourceMayContainColons) {
  auto arn = ParseArn("arn:aws:ecs:us-east-1:1:task/c/abc:def");
  ASSERT_TRUE(arn);
  EXPECT_EQ(arn->resource, "task/c/abc:def");
}

TEST(ArnTest, RejectsNonArns) {
  EXPECT_FALSE(ParseArn("web:3"));
  EXPECT_FALSE(ParseArn("arn:aws:ecs"));
  EXPECT_FALSE(ParseArn(""));
}

TEST(ArnTest, TaskDefinitionRefs) {
  auto a = ParseTaskDefinitionRef("arn:aws:ecs:eu-west-1:1:task-definition/web-app:12");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->family, "web-app");
  EXPECT_EQ(a->revision, 12);
  auto b = ParseTaskDefinitionRef("api:1");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->family, "api");
  EXPECT_FALSE(ParseTaskDefinitionRef("api"));
  EXPECT_FALSE(ParseTaskDefinitionRef("api:x"));
  EXPECT_FALSE(ParseTaskDefinitionRef("arn:aws:ecs:eu-west-1:1:service/c/s"));
}

}  // namespace
}  // namespace ecsguard
