#include "posture/finding.h"

#include <gtest/gtest.h>

#include "posture/build.h"
#include "posture/scan.h"

namespace ecsguard::posture {
namespace {

TEST(FindingTest, IdIsStableAndDependsOnIdentityOnly) {
  Resource a{.type = "ECSTaskDefinition",
             .arn = "arn:aws:ecs:eu-west-1:1:task-definition/web:3",
             .account_id = "1",
             .region = "eu-west-1",
             .family = "web",
             .revision = 3};
  Resource b = a;
  b.location = SourceLocation{"other/file.json", 10, 2};
  b.name = "renamed";
  EXPECT_EQ(FindingId("c", a), FindingId("c", b));
  EXPECT_EQ(FindingId("c", a).size(), 20u);
  Resource c = a;
  c.revision = 4;
  EXPECT_NE(FindingId("c", a), FindingId("c", c));
  EXPECT_NE(FindingId("c", a), FindingId("d", a));
}

TEST(FindingTest, IncompleteWhenAnythingWasNotEvaluated) {
  ScanResult scan;
  scan.findings.push_back(Finding{.status = Status::kFail});
  EXPECT_TRUE(scan.complete());
  scan.findings.push_back(Finding{.status = Status::kNotEvaluated});
  EXPECT_FALSE(scan.complete());
  ScanResult with_problem;
  with_problem.problems.emplace_back(ErrorCode::kParse, "bad");
  EXPECT_FALSE(with_problem.complete());
}

// Context that could not be read (DescribeServices throttled to failure) leaves the checks
// whole but the priorities unsure: each affected finding says so, and the scan is incomplete.
TEST(FindingTest, APriorityWithoutItsContextSaysSoAndMakesTheScanIncomplete) {
  auto finding = [](std::string account, std::string region, Status status, std::string type) {
    Finding f;
    f.status = status;
    f.resource.type = std::move(type);
    f.resource.account_id = std::move(account);
    f.resource.region = std::move(region);
    return f;
  };
  ScanResult scan;
  scan.findings = {finding("1", "us-east-1", Status::kFail, "ECSTaskDefinition"),
                   finding("1", "eu-west-1", Status::kPass, "ECSTaskDefinition"),
                   finding("2", "us-east-1", Status::kFail, "ECSTaskDefinition"),
                   finding("1", "us-east-1", Status::kNotEvaluated, "ECSTaskDefinition"),
                   finding("3", "us-east-1", Status::kFail, "ECSTaskDefinition")};
  EXPECT_TRUE(ScanResult{.findings = {scan.findings[0]}}.complete());
  MarkIncompleteContext({{"1", "us-east-1", "DescribeServices failed in 1/us-east-1"},
                         {"1", "", "ListTagsForResource failed for account 1"},
                         {"2", "eu-west-1", "DescribeInstances failed in 2/eu-west-1"}},
                        &scan.findings);
  EXPECT_EQ(scan.findings[0].context.priority_context,
            "incomplete: DescribeServices failed in 1/us-east-1; ListTagsForResource failed for "
            "account 1");
  EXPECT_EQ(scan.findings[1].context.priority_context,
            "incomplete: ListTagsForResource failed for account 1");
  EXPECT_EQ(scan.findings[2].context.priority_context, "");  // another region
  EXPECT_EQ(scan.findings[3].context.priority_context, "");  // not evaluated: says why already
  EXPECT_EQ(scan.findings[4].context.priority_context, "");
  EXPECT_FALSE(ScanResult{.findings = {scan.findings[0]}}.complete());
  EXPECT_TRUE(ScanResult{.findings = {scan.findings[2]}}.complete());
}

TEST(FindingTest, EvidenceDescribesContainerAndFields) {
  Evidence e{.path = "containerSpecs",
             .subject = "nginx",
             .fields = {{"privileged", "true"}, {"user", "\"root\""}}};
  EXPECT_EQ(e.Describe(), "container nginx: privileged=true, user=\"root\"");
}

}  // namespace
}  // namespace ecsguard::posture
