#include "posture/finding.h"

#include <gtest/gtest.h>

#include "posture/scan.h"

namespace ecsguard::posture {
namespace {

TEST(FindingTest, IdIsStableAndDependsOnIdentityOnly) {
  Resource a{.type = "ECSTaskDefinition", .arn = "arn:aws:ecs:eu-west-1:1:task-definition/web:3",
             .account_id = "1", .region = "eu-west-1", .family = "web", .revision = 3};
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

TEST(FindingTest, EvidenceDescribesContainerAndFields) {
  Evidence e{.path = "containerSpecs", .subject = "nginx",
             .fields = {{"privileged", "true"}, {"user", "\"root\""}}};
  EXPECT_EQ(e.Describe(), "container nginx: privileged=true, user=\"root\"");
}

}  // namespace
}  // namespace ecsguard::posture
