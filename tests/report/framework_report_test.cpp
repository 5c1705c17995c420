// With --framework every format groups findings by the framework's requirements; without it
// no format mentions frameworks (the other report tests pin those bytes).

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "report/report.h"
#include "sample.h"

namespace ecsguard::report {
namespace {

using nlohmann::json;

RenderOptions Options() {
  static const controls::Control control = testing::SampleControl();
  return RenderOptions{.controls = {&control}};
}

TEST(FrameworkReportTest, MarkdownHasOneRowPerRequirement) {
  std::string md = RenderMarkdown(testing::WithFramework(testing::LiveScan()), Options());
  EXPECT_NE(md.find("1 control of framework `demo`."), std::string::npos) << md;
  EXPECT_NE(md.find("### Demo standard 2.0 requirements\n\n"
                    "| Requirement | Status | FAIL | PASS | EXCEPTED | NOT_EVALUATED | Controls | "
                    "Title |\n|---|---|---:|---:|---:|---:|---|---|\n"
                    "| `ECS.1` | FAIL | 3 | 1 | 1 | 1 | `aws-ecs-1-privileged-network-mode` | "
                    "Task definitions in host mode |\n"
                    "| `X.2` | NOT_COVERED | 0 | 0 | 0 | 0 | none ran | Something no control here "
                    "judges |\n"),
            std::string::npos)
      << md;
  std::string plain = RenderMarkdown(testing::LiveScan(), Options());
  EXPECT_EQ(plain.find("requirements"), std::string::npos);
  EXPECT_EQ(plain.find("framework"), std::string::npos);
}

// A requirement's status is its worst finding: FAIL, then NOT_EVALUATED, EXCEPTED, PASS; NO_DATA
// when its controls ran on no applicable asset.
TEST(FrameworkReportTest, RequirementStatusIsTheWorstOfItsFindings) {
  posture::ScanResult scan = testing::WithFramework(testing::LiveScan());
  auto status_of_ecs1 = [&] {
    std::string md = RenderMarkdown(scan, Options());
    size_t row = md.find("| `ECS.1` | ");
    return md.substr(row + 12, md.find(' ', row + 12) - row - 12);
  };
  EXPECT_EQ(status_of_ecs1(), "FAIL");
  std::erase_if(scan.findings,
                [](const posture::Finding& f) { return f.status == posture::Status::kFail; });
  EXPECT_EQ(status_of_ecs1(), "NOT_EVALUATED");
  std::erase_if(scan.findings, [](const posture::Finding& f) {
    return f.status == posture::Status::kNotEvaluated;
  });
  EXPECT_EQ(status_of_ecs1(), "EXCEPTED");
  std::erase_if(scan.findings,
                [](const posture::Finding& f) { return f.status == posture::Status::kExcepted; });
  EXPECT_EQ(status_of_ecs1(), "PASS");
  scan.findings.clear();
  EXPECT_EQ(status_of_ecs1(), "NO_DATA");
}

TEST(FrameworkReportTest, CsvAppendsFrameworkAndRequirementColumns) {
  std::string csv = RenderCsv(testing::WithFramework(testing::LiveScan()));
  std::string header = csv.substr(0, csv.find("\r\n"));
  EXPECT_TRUE(header.ends_with(",priority_context,framework,requirements")) << header;
  std::string first =
      csv.substr(header.size() + 2, csv.find("\r\n", header.size() + 2) - header.size() - 2);
  EXPECT_TRUE(first.ends_with(",demo,ECS.1")) << first;
  std::string plain = RenderCsv(testing::LiveScan());
  EXPECT_TRUE(plain.substr(0, plain.find("\r\n")).ends_with(",priority_context"));
}

TEST(FrameworkReportTest, OcsfCarriesTheComplianceObject) {
  json events = json::parse(RenderOcsf(testing::WithFramework(testing::LiveScan()), Options()));
  EXPECT_EQ(events[0]["compliance"], json::parse(R"({
    "standards": ["Demo standard 2.0"], "requirements": ["ECS.1"],
    "control": "aws-ecs-1-privileged-network-mode", "status_code": "FAIL"})"));
  EXPECT_EQ(events[3]["compliance"]["status_code"], "EXCEPTED");
  json plain = json::parse(RenderOcsf(testing::LiveScan(), Options()));
  for (const json& e : plain) EXPECT_FALSE(e.contains("compliance"));
}

TEST(FrameworkReportTest, AsffListsRelatedRequirements) {
  json findings = json::parse(RenderAsff(testing::WithFramework(testing::LiveScan()), Options()));
  ASSERT_FALSE(findings.empty());
  for (const json& f : findings) {
    EXPECT_EQ(f["Compliance"]["RelatedRequirements"], json::array({"Demo standard 2.0/ECS.1"}));
  }
  json plain = json::parse(RenderAsff(testing::LiveScan(), Options()));
  for (const json& f : plain) EXPECT_FALSE(f["Compliance"].contains("RelatedRequirements"));
}

TEST(FrameworkReportTest, HtmlHasARequirementsSection) {
  std::string html = RenderHtml(testing::WithFramework(testing::LiveScan()), Options());
  size_t section = html.find("<section id=\"requirements\">\n<h2>Demo standard 2.0 requirements");
  ASSERT_NE(section, std::string::npos);
  EXPECT_LT(section, html.find("<section id=\"findings\">"));
  EXPECT_NE(html.find("<tr data-requirement=\"ECS.1\"><td><code>ECS.1</code> Task definitions in "
                      "host mode</td><td>FAIL</td><td>3</td><td>1</td><td>1</td><td>1</td>"
                      "<td><code>aws-ecs-1-privileged-network-mode</code></td></tr>"),
            std::string::npos);
  EXPECT_NE(html.find("<tr data-requirement=\"X.2\">"), std::string::npos);
  EXPECT_EQ(RenderHtml(testing::LiveScan(), Options()).find("id=\"requirements\""),
            std::string::npos);
}

// `ecsguard report saved.json -f F` groups the same way: the framework is saved with the scan.
TEST(FrameworkReportTest, JsonRoundTripKeepsTheFramework) {
  posture::ScanResult scan = testing::WithFramework(testing::LiveScan());
  std::string saved = RenderJson(scan);
  auto read = ReadJson(saved, "scan.json");
  ASSERT_TRUE(read.ok()) << read.error().ToString();
  ASSERT_TRUE(read->info.framework.has_value());
  EXPECT_EQ(read->info.framework->id, "demo");
  EXPECT_EQ(read->info.framework->requirements.size(), 2u);
  for (Format f : AllFormats()) {
    EXPECT_EQ(Render(*read, f, Options()), Render(scan, f, Options())) << FormatName(f);
  }
  EXPECT_EQ(RenderJson(testing::LiveScan()).find("\"framework\""), std::string::npos);
}

}  // namespace
}  // namespace ecsguard::report
