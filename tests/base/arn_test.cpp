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

// Every region botocore's data/partitions.json lists, with its partition: the oracle.
TEST(PartitionTest, EveryRegionOfBotocoresPartitionsJson) {
  struct Case {
    std::string_view region;
    std::string_view partition;
  };
  const Case cases[] = {
      {"af-south-1", "aws"},
      {"ap-east-1", "aws"},
      {"ap-east-2", "aws"},
      {"ap-northeast-1", "aws"},
      {"ap-northeast-2", "aws"},
      {"ap-northeast-3", "aws"},
      {"ap-south-1", "aws"},
      {"ap-south-2", "aws"},
      {"ap-southeast-1", "aws"},
      {"ap-southeast-2", "aws"},
      {"ap-southeast-3", "aws"},
      {"ap-southeast-4", "aws"},
      {"ap-southeast-5", "aws"},
      {"ap-southeast-6", "aws"},
      {"ap-southeast-7", "aws"},
      {"aws-global", "aws"},
      {"ca-central-1", "aws"},
      {"ca-west-1", "aws"},
      {"eu-central-1", "aws"},
      {"eu-central-2", "aws"},
      {"eu-north-1", "aws"},
      {"eu-south-1", "aws"},
      {"eu-south-2", "aws"},
      {"eu-west-1", "aws"},
      {"eu-west-2", "aws"},
      {"eu-west-3", "aws"},
      {"il-central-1", "aws"},
      {"me-central-1", "aws"},
      {"me-south-1", "aws"},
      {"mx-central-1", "aws"},
      {"sa-east-1", "aws"},
      {"us-east-1", "aws"},
      {"us-east-2", "aws"},
      {"us-west-1", "aws"},
      {"us-west-2", "aws"},
      {"aws-cn-global", "aws-cn"},
      {"cn-north-1", "aws-cn"},
      {"cn-northwest-1", "aws-cn"},
      {"eusc-de-east-1", "aws-eusc"},
      {"aws-iso-global", "aws-iso"},
      {"us-iso-east-1", "aws-iso"},
      {"us-iso-west-1", "aws-iso"},
      {"aws-iso-b-global", "aws-iso-b"},
      {"us-isob-east-1", "aws-iso-b"},
      {"us-isob-west-1", "aws-iso-b"},
      {"aws-iso-e-global", "aws-iso-e"},
      {"eu-isoe-west-1", "aws-iso-e"},
      {"aws-iso-f-global", "aws-iso-f"},
      {"us-isof-east-1", "aws-iso-f"},
      {"us-isof-south-1", "aws-iso-f"},
      {"aws-us-gov-global", "aws-us-gov"},
      {"us-gov-east-1", "aws-us-gov"},
      {"us-gov-west-1", "aws-us-gov"},
  };
  for (const Case& c : cases) EXPECT_EQ(PartitionOfRegion(c.region), c.partition) << c.region;
}

TEST(PartitionTest, RegionsNotYetListedFollowTheirPrefix) {
  EXPECT_EQ(PartitionOfRegion("us-iso-north-9"), "aws-iso");
  EXPECT_EQ(PartitionOfRegion("us-isob-south-2"), "aws-iso-b");
  EXPECT_EQ(PartitionOfRegion("eu-isoe-north-1"), "aws-iso-e");
  EXPECT_EQ(PartitionOfRegion("us-isof-west-1"), "aws-iso-f");
  EXPECT_EQ(PartitionOfRegion("cn-south-1"), "aws-cn");
  EXPECT_EQ(PartitionOfRegion("eu-south-9"), "aws");
  EXPECT_EQ(PartitionOfRegion(""), "aws");
}

TEST(PartitionTest, KnownPartitionsAndTheirDnsSuffix) {
  struct Case {
    std::string_view partition;
    std::string_view dns_suffix;
  };
  const Case cases[] = {
      {"aws", "amazonaws.com"},        {"aws-cn", "amazonaws.com.cn"},
      {"aws-eusc", "amazonaws.eu"},    {"aws-iso", "c2s.ic.gov"},
      {"aws-iso-b", "sc2s.sgov.gov"},  {"aws-iso-e", "cloud.adc-e.uk"},
      {"aws-iso-f", "csp.hci.ic.gov"}, {"aws-us-gov", "amazonaws.com"},
  };
  for (const Case& c : cases) {
    EXPECT_TRUE(IsKnownPartition(c.partition)) << c.partition;
    EXPECT_EQ(DnsSuffixOfPartition(c.partition), c.dns_suffix) << c.partition;
  }
  EXPECT_FALSE(IsKnownPartition("aws-moon"));
  EXPECT_FALSE(IsKnownPartition(""));
  EXPECT_EQ(DnsSuffixOfPartition("aws-moon"), "amazonaws.com");
}

}  // namespace
}  // namespace ecsguard
