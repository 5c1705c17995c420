#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "report/report.h"
#include "sample.h"

namespace ecsguard::report {
namespace {

using nlohmann::json;
using testing::IacScan;
using testing::LiveScan;
using testing::SampleControl;

json Sarif(const posture::ScanResult& scan, RenderOptions options = {}) {
  static const controls::Control control = SampleControl();
  if (options.controls.empty()) options.controls = {&control};
  return json::parse(RenderSarif(scan, options));
}

TEST(SarifReportTest, DriverAndRules) {
  json doc = Sarif(IacScan());
  EXPECT_EQ(doc["version"], "2.1.0");
  EXPECT_EQ(doc["$schema"], "https://json.schemastore.org/sarif-2.1.0.json");
  ASSERT_EQ(doc["runs"].size(), 1u);
  const json& driver = doc["runs"][0]["tool"]["driver"];
  EXPECT_EQ(driver["name"], "ecsguard");
  EXPECT_EQ(driver["version"], "0.1.0");
  EXPECT_EQ(driver["informationUri"], "https://github.com/ecsguard/ecsguard");
  ASSERT_EQ(driver["rules"].size(), 1u);
  const json& rule = driver["rules"][0];
  EXPECT_EQ(rule["id"], testing::kControlId);
  EXPECT_EQ(rule["name"], "AwsEcs1PrivilegedNetworkMode");
  EXPECT_EQ(rule["shortDescription"]["text"],
            "Host-mode task definitions run no privileged or root containers.");
  EXPECT_EQ(rule["fullDescription"]["text"], SampleControl().overview);
  EXPECT_EQ(rule["helpUri"],
            "https://github.com/ecsguard/ecsguard/blob/main/docs/controls/"
            "aws-ecs-1-privileged-network-mode.md");
  std::string help = rule["help"]["text"];
  EXPECT_NE(help.find("aws ecs register-task-definition --cli-input-json file://td.json"),
            std::string::npos);
  std::string markdown = rule["help"]["markdown"];
  EXPECT_NE(markdown.find("## How to fix it"), std::string::npos);
  EXPECT_NE(markdown.find("```sh\naws ecs register-task-definition"), std::string::npos);
  EXPECT_EQ(rule["defaultConfiguration"]["level"], "error");
  const json& props = rule["properties"];
  EXPECT_NE(std::find(props["tags"].begin(), props["tags"].end(), "security"), props["tags"].end());
  EXPECT_EQ(props["security-severity"], "7.5");
  EXPECT_EQ(props["precision"], "very-high");
  EXPECT_EQ(props["aliases"], json::array({"ECS.1"}));
  EXPECT_EQ(doc["runs"][0]["automationDetails"]["id"], "ecsguard/iac/2026-11-28T11:00:00Z");
}

TEST(SarifReportTest, FileBackedResultsPointAtTheOffendingProperty) {
  posture::ScanResult scan = IacScan();
  json run = Sarif(scan)["runs"][0];
  // FAIL and EXCEPTED; PASS is not a result.
  ASSERT_EQ(run["results"].size(), 2u);
  const json& fail = run["results"][0];
  EXPECT_EQ(fail["ruleId"], testing::kControlId);
  EXPECT_EQ(fail["ruleIndex"], 0);
  EXPECT_EQ(fail["kind"], "fail");
  EXPECT_EQ(fail["level"], "error");
  EXPECT_EQ(fail["message"]["text"],
            "Task definition WebTask: container nginx: privileged=true; container sidecar: "
            "user=\"root\".");
  const json& physical = fail["locations"][0]["physicalLocation"];
  EXPECT_EQ(physical["artifactLocation"]["uri"], "infra/web.yaml");
  EXPECT_EQ(physical["artifactLocation"]["uriBaseId"], "%SRCROOT%");
  EXPECT_EQ(physical["region"]["startLine"], 20);
  EXPECT_EQ(physical["region"]["startColumn"], 11);
  const json& logical = fail["locations"][0]["logicalLocations"][0];
  EXPECT_EQ(logical["fullyQualifiedName"], "infra/web.yaml#WebTask");
  EXPECT_EQ(logical["kind"], "resource");
  ASSERT_EQ(fail["relatedLocations"].size(), 1u);
  EXPECT_EQ(fail["relatedLocations"][0]["physicalLocation"]["region"]["startLine"], 31);
  EXPECT_EQ(fail["partialFingerprints"]["ecsguardFindingId/v1"], scan.findings[0].id);
  EXPECT_FALSE(fail.contains("suppressions"));

  const json& excepted = run["results"][1];
  EXPECT_EQ(excepted["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "infra/main.tf");  // "./" dropped
  ASSERT_EQ(excepted["suppressions"].size(), 1u);
  EXPECT_EQ(excepted["suppressions"][0]["kind"], "external");
  EXPECT_EQ(excepted["suppressions"][0]["status"], "accepted");
  EXPECT_EQ(excepted["suppressions"][0]["justification"], "host agent");
  EXPECT_EQ(excepted["suppressions"][0]["properties"]["owner"], "sre");
  EXPECT_FALSE(excepted["suppressions"][0]["properties"].contains("ticket"));  // none given
}

TEST(SarifReportTest, FingerprintsDoNotDependOnLineNumbers) {
  posture::ScanResult before = IacScan();
  posture::ScanResult after = IacScan();
  for (posture::Finding& f : after.findings) {
    f.resource.location.line += 7;
    for (posture::Evidence& e : f.evidence) e.location.line += 7;
  }
  json a = Sarif(before)["runs"][0]["results"];
  json b = Sarif(after)["runs"][0]["results"];
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i]["partialFingerprints"], b[i]["partialFingerprints"]);
    EXPECT_NE(a[i]["locations"][0]["physicalLocation"]["region"]["startLine"],
              b[i]["locations"][0]["physicalLocation"]["region"]["startLine"]);
  }
}

TEST(SarifReportTest, ProblemsAreToolExecutionNotifications) {
  json invocation = Sarif(IacScan())["runs"][0]["invocations"][0];
  EXPECT_EQ(invocation["executionSuccessful"], false);
  EXPECT_EQ(invocation["startTimeUtc"], "2026-11-28T11:00:00Z");
  ASSERT_EQ(invocation["toolExecutionNotifications"].size(), 1u);
  const json& n = invocation["toolExecutionNotifications"][0];
  EXPECT_EQ(n["level"], "error");
  EXPECT_EQ(n["descriptor"]["id"], "ecsguard/parse_error");
  EXPECT_EQ(n["message"]["text"], "expected ':' after a mapping key.");
  const json& physical = n["locations"][0]["physicalLocation"];
  EXPECT_EQ(physical["artifactLocation"]["uri"], "infra/broken.yaml");
  EXPECT_EQ(physical["region"]["startLine"], 7);
  EXPECT_EQ(physical["region"]["startColumn"], 9);
}

TEST(SarifReportTest, DeployedResourcesAreNotResults) {
  json run = Sarif(LiveScan())["runs"][0];
  EXPECT_TRUE(run["results"].empty());
  EXPECT_EQ(run["properties"]["resultsWithoutSourceFile"], 4);  // 3 FAIL + 1 EXCEPTED
  const json& notes = run["invocations"][0]["toolExecutionNotifications"];
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_EQ(notes[0]["descriptor"]["id"], "ecsguard/not-evaluated");
  EXPECT_EQ(notes[0]["level"], "warning");
  EXPECT_EQ(notes[0]["associatedRule"]["id"], testing::kControlId);
  EXPECT_EQ(notes[0]["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
            "arn:aws:ecs:us-east-1:111111111111:task-definition/cron:9");
  EXPECT_EQ(notes[1]["descriptor"]["id"], "ecsguard/no-source-location");
  EXPECT_EQ(notes[1]["level"], "note");
  EXPECT_EQ(notes[1]["message"]["text"].get<std::string>().rfind("4 findings about deployed", 0),
            0u);
}

TEST(SarifReportTest, PathsUnderTheSourceRootBecomeRelative) {
  posture::ScanResult scan = IacScan();
  scan.problems.clear();
  scan.findings.resize(1);
  scan.findings[0].evidence.clear();
  scan.findings[0].resource.location.file = "/home/ci/repo/infra/my stack.yaml";
  json run = Sarif(scan, RenderOptions{.source_root = "/home/ci/repo/"})["runs"][0];
  const json& artifact = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
  EXPECT_EQ(artifact["uri"], "infra/my%20stack.yaml");
  EXPECT_EQ(artifact["uriBaseId"], "%SRCROOT%");
  EXPECT_EQ(run["originalUriBaseIds"]["%SRCROOT%"]["uri"], "file:///home/ci/repo/");

  scan.findings[0].resource.location.file = "/elsewhere/t.yaml";
  json outside = Sarif(scan, RenderOptions{.source_root = "/home/ci/repo"})["runs"][0];
  const json& abs = outside["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
  EXPECT_EQ(abs["uri"], "file:///elsewhere/t.yaml");
  EXPECT_FALSE(abs.contains("uriBaseId"));
}

TEST(SarifReportTest, LevelsAndScoresFollowSeverity) {
  posture::ScanResult scan = IacScan();
  scan.findings.resize(1);
  for (auto [severity, level, score] : {std::tuple{controls::Severity::kCritical, "error", "9.0"},
                                        std::tuple{controls::Severity::kMedium, "warning", "5.0"},
                                        std::tuple{controls::Severity::kLow, "note", "3.0"}}) {
    controls::Control control = SampleControl();
    control.severity = severity;
    scan.findings[0].severity = severity;
    json run = Sarif(scan, RenderOptions{.controls = {&control}})["runs"][0];
    EXPECT_EQ(run["results"][0]["level"], level);
    EXPECT_EQ(run["tool"]["driver"]["rules"][0]["properties"]["security-severity"], score);
  }
}

TEST(SarifReportTest, WithoutCatalogRulesComeFromFindings) {
  json rule =
      json::parse(RenderSarif(IacScan(), RenderOptions{}))["runs"][0]["tool"]["driver"]["rules"][0];
  EXPECT_EQ(rule["shortDescription"]["text"],
            "Host-mode task definitions run no privileged or root containers.");
  EXPECT_EQ(rule["properties"]["security-severity"], "7.5");
}

}  // namespace
}  // namespace ecsguard::report
