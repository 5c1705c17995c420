#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "report/report.h"
#include "sample.h"

namespace ecsguard::report {
namespace {

using nlohmann::json;

std::vector<size_t> BatchSizes(const posture::ScanResult& scan) {
  std::vector<size_t> sizes;
  for (const OutputFile& file : RenderFiles(scan, Format::kAsff, {})) {
    sizes.push_back(json::parse(file.text).size());
  }
  return sizes;
}

TEST(AsffReportTest, BatchesOfAtMostOneHundred) {
  EXPECT_EQ(BatchSizes(testing::ManyFindings(100)), (std::vector<size_t>{100}));
  EXPECT_EQ(BatchSizes(testing::ManyFindings(101)), (std::vector<size_t>{100, 1}));
  EXPECT_EQ(BatchSizes(testing::ManyFindings(250)), (std::vector<size_t>{100, 100, 50}));
  std::vector<OutputFile> files = RenderFiles(testing::ManyFindings(250), Format::kAsff, {});
  ASSERT_EQ(files.size(), 3u);
  EXPECT_EQ(files[0].name, "asff-0001.json");
  EXPECT_EQ(files[1].name, "asff-0002.json");
  EXPECT_EQ(files[2].name, "asff-0003.json");
  // Render gives every finding in one array, in the same order.
  json all = json::parse(Render(testing::ManyFindings(250), Format::kAsff, {}));
  EXPECT_EQ(all.size(), 250u);
  EXPECT_EQ(all[100], json::parse(files[1].text)[0]);
}

TEST(AsffReportTest, EachBatchHoldsOneAccountAndRegion) {
  // 250 findings over two accounts: 125 each, so 100 + 25 per account.
  std::vector<OutputFile> files = RenderFiles(testing::ManyFindings(250, 2), Format::kAsff, {});
  std::vector<size_t> sizes;
  for (const OutputFile& file : files) {
    json batch = json::parse(file.text);
    sizes.push_back(batch.size());
    for (const json& f : batch) {
      EXPECT_EQ(f["AwsAccountId"], batch[0]["AwsAccountId"]);
      EXPECT_EQ(f["Resources"][0]["Region"], batch[0]["Resources"][0]["Region"]);
    }
  }
  EXPECT_EQ(sizes, (std::vector<size_t>{100, 25, 100, 25}));
}

TEST(AsffReportTest, RequiredFieldsAndMappings) {
  static const controls::Control control = testing::SampleControl();
  posture::ScanResult scan = testing::LiveScan();
  json findings = json::parse(RenderAsff(scan, RenderOptions{.controls = {&control}}));
  ASSERT_EQ(findings.size(), 6u);
  // Grouped by account and region: 111111111111/eu-west-1 first (web:3, agent:2).
  const json& web = findings[0];
  EXPECT_EQ(web["SchemaVersion"], "2018-10-08");
  EXPECT_EQ(web["Id"], std::string("ecsguard/") + testing::kControlId + "/" + scan.findings[0].id);
  EXPECT_EQ(web["ProductArn"],
            "arn:aws:securityhub:eu-west-1:111111111111:product/111111111111/default");
  EXPECT_EQ(web["GeneratorId"], testing::kControlId);
  EXPECT_EQ(web["AwsAccountId"], "111111111111");
  EXPECT_EQ(web["Types"],
            json::array({"Software and Configuration Checks/AWS Security Best Practices"}));
  EXPECT_EQ(web["CreatedAt"], "2026-11-28T10:00:05Z");
  EXPECT_EQ(web["UpdatedAt"], "2026-11-28T10:00:05Z");
  EXPECT_EQ(web["Severity"]["Label"], "HIGH");
  EXPECT_EQ(web["Title"], control.title);
  EXPECT_EQ(web["Description"].get<std::string>().rfind(
                "web:3 fails this control: container app: privileged=true, user=\"root\".", 0),
            0u);
  const json& resource = web["Resources"][0];
  EXPECT_EQ(resource["Type"], "AwsEcsTaskDefinition");
  EXPECT_EQ(resource["Id"], "arn:aws:ecs:eu-west-1:111111111111:task-definition/web:3");
  EXPECT_EQ(resource["Partition"], "aws");
  EXPECT_EQ(resource["Region"], "eu-west-1");
  EXPECT_EQ(web["Compliance"]["Status"], "FAILED");
  EXPECT_EQ(web["Workflow"]["Status"], "NEW");
  EXPECT_EQ(web["RecordState"], "ACTIVE");
  EXPECT_EQ(web["Remediation"]["Recommendation"]["Text"],
            "1. Create a new revision without privileged mode and with a non-root user. 2. Update "
            "the services to it.");
  EXPECT_EQ(web["Remediation"]["Recommendation"]["Url"],
            "https://github.com/ecsguard/ecsguard/blob/main/docs/controls/"
            "aws-ecs-1-privileged-network-mode.md");
  EXPECT_EQ(web["ProductFields"]["ecsguard/Priority"], "P1");

  const json& agent = findings[1];
  EXPECT_EQ(agent["Workflow"]["Status"], "SUPPRESSED");
  EXPECT_EQ(agent["Compliance"]["Status"], "FAILED");
  EXPECT_EQ(agent["Note"]["UpdatedBy"], "platform-team");
  for (const json& f : findings) {
    if (f["ProductFields"]["ecsguard/Status"] == "PASS") {
      EXPECT_EQ(f["Compliance"]["Status"], "PASSED");
      EXPECT_EQ(f["Workflow"]["Status"], "RESOLVED");
      EXPECT_EQ(f["Severity"]["Label"], "INFORMATIONAL");
    }
    if (f["ProductFields"]["ecsguard/Status"] == "NOT_EVALUATED") {
      EXPECT_EQ(f["Compliance"]["Status"], "NOT_AVAILABLE");
    }
  }
}

TEST(AsffReportTest, IdsAreStableAndFieldsWithinLimits) {
  posture::ScanResult scan = testing::LiveScan();
  std::string first = RenderAsff(scan, {});
  EXPECT_EQ(RenderAsff(scan, {}), first);
  scan.findings[0].control_title = std::string(400, 'T');
  scan.findings[0].reason = std::string(3000, 'r');
  json f = json::parse(RenderAsff(scan, {}))[0];
  EXPECT_LE(f["Title"].get<std::string>().size(), 256u);
  EXPECT_LE(f["Description"].get<std::string>().size(), 1024u);
  EXPECT_EQ(f["Id"], json::parse(first)[0]["Id"]);
}

TEST(AsffReportTest, PartitionFromArn) {
  posture::ScanResult scan = testing::ManyFindings(1);
  posture::Finding& f = scan.findings[0];
  f.resource.region = "cn-north-1";
  f.resource.arn = "arn:aws-cn:ecs:cn-north-1:100000000000:task-definition/svc0:1";
  json out = json::parse(RenderAsff(scan, {}))[0];
  EXPECT_EQ(out["ProductArn"],
            "arn:aws-cn:securityhub:cn-north-1:100000000000:product/100000000000/default");
  EXPECT_EQ(out["Resources"][0]["Partition"], "aws-cn");
}

// Regression: the fallback knew only cn- and us-gov-, so a finding in an ISO region without an
// ARN got a Security Hub ProductArn in partition "aws".
TEST(AsffReportTest, PartitionFromRegionWhenThereIsNoArn) {
  posture::ScanResult scan = testing::ManyFindings(1);
  posture::Finding& f = scan.findings[0];
  f.resource.region = "us-iso-east-1";
  f.resource.arn.clear();
  f.resource.id = "svc0";
  json out = json::parse(RenderAsff(scan, {}))[0];
  EXPECT_EQ(out["ProductArn"],
            "arn:aws-iso:securityhub:us-iso-east-1:100000000000:product/100000000000/default");
  EXPECT_EQ(out["Resources"][0]["Partition"], "aws-iso");
}

TEST(AsffReportTest, IacFindingsHaveNoAccountAndAreLeftOut) {
  EXPECT_EQ(json::parse(RenderAsff(testing::IacScan(), {})), json::array());
  EXPECT_TRUE(RenderFiles(testing::IacScan(), Format::kAsff, {}).empty());
}

}  // namespace
}  // namespace ecsguard::report
