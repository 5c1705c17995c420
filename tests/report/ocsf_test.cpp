#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "report/report.h"
#include "sample.h"

namespace ecsguard::report {
namespace {

using nlohmann::json;

json Ocsf(const posture::ScanResult& scan) {
  static const controls::Control control = testing::SampleControl();
  return json::parse(RenderOcsf(scan, RenderOptions{.controls = {&control}}));
}

TEST(OcsfReportTest, DetectionFindingClass) {
  posture::ScanResult scan = testing::LiveScan();
  json events = Ocsf(scan);
  ASSERT_TRUE(events.is_array());
  ASSERT_EQ(events.size(), scan.findings.size());
  for (const json& e : events) {
    EXPECT_EQ(e["class_uid"], 2004);
    EXPECT_EQ(e["class_name"], "Detection Finding");
    EXPECT_EQ(e["category_uid"], 2);
    EXPECT_EQ(e["category_name"], "Findings");
    EXPECT_EQ(e["activity_id"], 1);
    EXPECT_EQ(e["type_uid"], 200401);
    EXPECT_EQ(e["time"], int64_t{1795860005000});
    EXPECT_EQ(e["metadata"]["version"], "1.1.0");
    EXPECT_EQ(e["metadata"]["product"]["name"], "ecsguard");
    EXPECT_EQ(e["metadata"]["product"]["vendor_name"], "ecsguard");
    EXPECT_EQ(e["metadata"]["product"]["version"], "0.1.0");
    EXPECT_EQ(e["cloud"]["provider"], "AWS");
  }
  const json& web = events[0];
  EXPECT_EQ(web["severity_id"], 4);
  EXPECT_EQ(web["severity"], "High");
  EXPECT_EQ(web["status_id"], 1);
  EXPECT_EQ(web["status"], "New");
  EXPECT_EQ(web["status_code"], "FAIL");
  EXPECT_EQ(web["finding_info"]["uid"], scan.findings[0].id);
  EXPECT_EQ(web["finding_info"]["title"], testing::SampleControl().title);
  EXPECT_EQ(web["finding_info"]["desc"], "container app: privileged=true, user=\"root\"");
  EXPECT_EQ(web["finding_info"]["types"][0], "Software and Configuration Checks");
  EXPECT_EQ(web["finding_info"]["analytic"]["uid"], testing::kControlId);
  const json& resource = web["resources"][0];
  EXPECT_EQ(resource["uid"], "arn:aws:ecs:eu-west-1:111111111111:task-definition/web:3");
  EXPECT_EQ(resource["type"], "ECSTaskDefinition");
  EXPECT_EQ(resource["cloud_partition"], "aws");
  EXPECT_EQ(resource["region"], "eu-west-1");
  EXPECT_EQ(web["cloud"]["account"]["uid"], "111111111111");
  EXPECT_EQ(web["cloud"]["region"], "eu-west-1");
  EXPECT_NE(web["remediation"]["desc"].get<std::string>().find("aws ecs register-task-definition"),
            std::string::npos);
  EXPECT_EQ(web["unmapped"]["priority"], "P1");
  EXPECT_EQ(web["unmapped"]["evidence"][0], "container app: privileged=true, user=\"root\"");

  EXPECT_EQ(events[3]["status_id"], 3);  // EXCEPTED: suppressed
  EXPECT_EQ(events[3]["status_detail"],
            "excepted by EX-7 (owner platform-team, expires 2026-12-10, ticket SEC-42): "
            "monitoring agent needs host access");
  EXPECT_EQ(events[4]["status_id"], 4);  // PASS: resolved
  EXPECT_EQ(events[4]["severity_id"], 1);
  EXPECT_EQ(events[5]["status_id"], 99);
  EXPECT_EQ(events[5]["status"], "Not evaluated");
  EXPECT_EQ(events[5]["status_code"], "NOT_EVALUATED");
}

TEST(OcsfReportTest, SeverityIds) {
  posture::ScanResult scan = testing::LiveScan();
  scan.findings.resize(1);
  for (auto [severity, id] :
       {std::pair{controls::Severity::kLow, 2}, std::pair{controls::Severity::kMedium, 3},
        std::pair{controls::Severity::kCritical, 5}}) {
    scan.findings[0].severity = severity;
    EXPECT_EQ(json::parse(RenderOcsf(scan, {}))[0]["severity_id"], id);
  }
}

}  // namespace
}  // namespace ecsguard::report
