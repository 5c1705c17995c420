#include "report/report.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "posture/finding_json.h"
#include "sample.h"

namespace ecsguard::report {
namespace {

posture::ScanResult Sample() {
  posture::ScanResult scan;
  scan.info = {"0.1.0",
               "snapshot",
               {"examples/estate"},
               "2026-11-28T10:00:00Z",
               "2026-11-28T10:00:01Z",
               {"aws-ecs-1-strict"}};
  posture::Finding fail;
  fail.id = "abc";
  fail.control_id = "aws-ecs-1-strict";
  fail.control_title = "Strict";
  fail.severity = controls::Severity::kHigh;
  fail.status = posture::Status::kFail;
  fail.resource = {.type = "ECSTaskDefinition",
                   .id = "arn:aws:ecs:eu-west-1:1:task-definition/web:3",
                   .arn = "arn:aws:ecs:eu-west-1:1:task-definition/web:3",
                   .account_id = "1",
                   .region = "eu-west-1",
                   .family = "web",
                   .revision = 3,
                   .name = "web:3"};
  fail.evidence.push_back(
      {"containerSpecs", "nginx", {{"privileged", "true"}, {"user", "\"root\""}}, {}});
  fail.reason = "container nginx: privileged=true, user=\"root\"";
  fail.context.priority = posture::Priority::kP1;
  fail.context.exposure = posture::Exposure::kInternet;
  fail.context.environment = "production";
  scan.findings.push_back(fail);
  posture::Finding ne;
  ne.id = "def";
  ne.control_id = "aws-ecs-1-strict";
  ne.status = posture::Status::kNotEvaluated;
  ne.resource = {.type = "ECSTaskDefinition", .id = "arn:x", .arn = "arn:x"};
  ne.reason = "in use by running task t but not described in the snapshot";
  scan.findings.push_back(ne);
  scan.problems.emplace_back(ErrorCode::kParse, "invalid JSON", SourceLocation{"bad.json", 3, 14});
  return scan;
}

TEST(JsonReportTest, NativeSchema) {
  nlohmann::json j = nlohmann::json::parse(RenderJson(Sample()));
  EXPECT_EQ(j["schemaVersion"], "1.0");
  EXPECT_EQ(j["tool"]["name"], "ecsguard");
  EXPECT_EQ(j["complete"], false);
  EXPECT_EQ(j["summary"]["FAIL"], 1);
  EXPECT_EQ(j["summary"]["NOT_EVALUATED"], 1);
  EXPECT_EQ(j["summary"]["failuresByPriority"]["P1"], 1);
  const auto& f = j["findings"][0];
  EXPECT_EQ(f["id"], "abc");
  EXPECT_EQ(f["resource"]["family"], "web");
  EXPECT_EQ(f["resource"]["revision"], 3);
  EXPECT_EQ(f["evidence"][0]["container"], "nginx");
  EXPECT_EQ(f["evidence"][0]["fields"]["privileged"], true);
  EXPECT_EQ(f["evidence"][0]["fields"]["user"], "root");
  EXPECT_EQ(f["priority"], "P1");
  EXPECT_EQ(j["findings"][1]["reason"],
            "in use by running task t but not described in the snapshot");
  EXPECT_EQ(j["problems"][0]["file"], "bad.json");
  EXPECT_EQ(j["problems"][0]["line"], 3);
}

// The findings are dumped one by one into the document (issue 12: a large estate never holds
// them all as one JSON tree); the bytes must be those of dumping the whole tree, also for values
// with line breaks, quotes, non-ASCII and invalid UTF-8 (replaced), and for no findings at all.
TEST(JsonReportTest, FindingsDumpedOneByOneGiveTheBytesOfTheWholeTree) {
  auto whole_tree = [](const posture::ScanResult& scan) {
    nlohmann::json doc = nlohmann::json::parse(RenderJson(posture::ScanResult(scan)));
    nlohmann::json findings = nlohmann::json::array();
    for (const posture::Finding& f : scan.findings) findings.push_back(posture::FindingToJson(f));
    doc["findings"] = findings;
    return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  };
  posture::ScanResult scan = Sample();
  posture::Finding odd = scan.findings[0];
  odd.id = "ghi";
  odd.reason = "line one\nline two\r\n\t\"quoted\" \xC3\xA9t\xC3\xA9 \xFF\xFE not UTF-8";
  odd.evidence.clear();
  scan.findings.push_back(odd);
  EXPECT_EQ(RenderJson(scan), whole_tree(scan));
  scan.findings.clear();
  EXPECT_EQ(RenderJson(scan), whole_tree(scan));
  EXPECT_NE(RenderJson(scan).find("\"findings\": [],"), std::string::npos);
}

TEST(JsonReportTest, RoundTrips) {
  posture::ScanResult scan = Sample();
  auto back = ReadJson(RenderJson(scan), "scan.json");
  ASSERT_TRUE(back.ok()) << back.error().ToString();
  EXPECT_EQ(RenderJson(*back), RenderJson(scan));
  EXPECT_FALSE(ReadJson("{}", "x.json").ok());
  EXPECT_EQ(ReadJson("not json", "x.json").error().code(), ErrorCode::kParse);
}

// A saved scan is input: `report` and `remediate --from` must not accept values ecsguard never
// writes (the reproducers: status BOGUS, a controlId that is a path).
TEST(JsonReportTest, ReadingRejectsValuesEcsguardNeverWrites) {
  const std::string saved = RenderJson(Sample());
  auto tampered = [&](const std::string& field, const nlohmann::json& value) {
    nlohmann::json doc = nlohmann::json::parse(saved);
    doc["findings"][0][field] = value;
    return ReadJson(doc.dump(), "scan.json");
  };
  struct Case {
    std::string field;
    nlohmann::json value;
  } cases[] = {
      {"status", "BOGUS"},        {"status", "pass"},     {"controlId", "../../etc/passwd"},
      {"controlId", "Has Space"}, {"severity", "urgent"}, {"priority", "P9"},
      {"exposure", "far"},        {"id", "a/b"}};
  for (const Case& c : cases) {
    auto r = tampered(c.field, c.value);
    ASSERT_FALSE(r.ok()) << c.field << "=" << c.value;
    EXPECT_EQ(r.error().code(), ErrorCode::kValidation);
    EXPECT_NE(r.error().message().find("findings[0]." + c.field), std::string::npos)
        << r.error().ToString();
  }
  EXPECT_TRUE(tampered("status", "PASS").ok());
}

TEST(TableReportTest, ShowsFailuresSummaryAndProblems) {
  std::string table = RenderTable(Sample(), RenderOptions{});
  EXPECT_NE(table.find("P1"), std::string::npos);
  EXPECT_NE(table.find("web:3"), std::string::npos);
  EXPECT_NE(table.find("container nginx: privileged=true, user=\"root\""), std::string::npos);
  EXPECT_NE(table.find("NOT_EVALUATED"), std::string::npos);
  EXPECT_NE(table.find("Summary: 1 FAIL, 0 PASS, 0 EXCEPTED, 1 NOT_EVALUATED"), std::string::npos);
  EXPECT_NE(table.find("bad.json:3:14: invalid JSON"), std::string::npos);
  EXPECT_EQ(table.find("\x1b["), std::string::npos);  // no colour unless asked
  EXPECT_NE(RenderTable(Sample(), RenderOptions{.color = true}).find("\x1b[31m"),
            std::string::npos);
}

TEST(FormatTest, ParsesEveryFormatName) {
  for (Format f : AllFormats()) {
    auto parsed = ParseFormat(FormatName(f));
    ASSERT_TRUE(parsed.ok()) << FormatName(f);
    EXPECT_EQ(*parsed, f);
  }
  EXPECT_EQ(AllFormats().size(), 9u);
  EXPECT_EQ(*ParseFormat("sarif"), Format::kSarif);
  EXPECT_EQ(*ParseFormat("md"), Format::kMarkdown);
  EXPECT_EQ(DefaultFileName(Format::kSarif), "ecsguard.sarif");
  EXPECT_EQ(DefaultFileName(Format::kJunit), "ecsguard-junit.xml");
  EXPECT_EQ(DefaultFileName(Format::kOcsf), "ecsguard.ocsf.json");
  auto bad = ParseFormat("xml");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad.error().message(),
            "unknown format \"xml\" (known: table, json, sarif, junit, csv, html, ocsf, asff, "
            "markdown)");
}

TEST(FormatTest, RenderFilesWritesOneFileNamedAfterTheFormat) {
  for (Format f : AllFormats()) {
    if (f == Format::kAsff) continue;
    std::vector<OutputFile> files = RenderFiles(Sample(), f, RenderOptions{});
    ASSERT_EQ(files.size(), 1u);
    EXPECT_EQ(files[0].name, DefaultFileName(f));
    EXPECT_EQ(files[0].text, Render(Sample(), f, RenderOptions{}));
  }
}

// A live scan whose DescribeServices failed: every check ran, the priority lacks context.
posture::ScanResult ContextLost() {
  posture::ScanResult scan;
  scan.info = {"0.1.0",
               "aws",
               {"accounts 111111111111"},
               "2026-11-28T10:00:00Z",
               "2026-11-28T10:00:05Z",
               {testing::kControlId}};
  scan.coverage = {{"111111111111", "us-east-1", posture::Coverage::State::kEvaluated, ""}};
  posture::Finding f =
      testing::LiveFinding("web", 1, "111111111111", "us-east-1", posture::Status::kFail);
  f.context.priority = posture::Priority::kP3;
  f.context.priority_context = "incomplete: DescribeServices failed in 111111111111/us-east-1";
  scan.findings.push_back(f);
  scan.warnings.push_back(
      "111111111111 us-east-1: services could not be read (Throttling); priorities may miss "
      "context");
  return scan;
}

TEST(ContextReportTest, EveryFormatSaysWhatContextAPriorityLacks) {
  const controls::Control control = testing::SampleControl();
  RenderOptions options{.controls = {&control}};
  posture::ScanResult scan = ContextLost();
  EXPECT_FALSE(scan.complete());
  const std::string why = "incomplete: DescribeServices failed in 111111111111/us-east-1";

  nlohmann::json j = nlohmann::json::parse(RenderJson(scan));
  EXPECT_EQ(j["complete"], false);
  EXPECT_EQ(j["findings"][0]["priority"], "P3");
  EXPECT_EQ(j["findings"][0]["priorityContext"], why);
  EXPECT_EQ(j["warnings"][0], scan.warnings[0]);
  auto back = ReadJson(RenderJson(scan), "scan.json");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->findings[0].context.priority_context, why);
  EXPECT_EQ(back->warnings, scan.warnings);

  std::string table = RenderTable(scan, options);
  EXPECT_NE(table.find("P3?  "), std::string::npos) << table;
  EXPECT_NE(table.find("Scan incomplete: some priorities were computed without all their "
                       "context"),
            std::string::npos)
      << table;
  EXPECT_NE(table.find("P?: a priority computed without all its context"), std::string::npos);
  EXPECT_NE(table.find("warning: " + scan.warnings[0]), std::string::npos);

  std::string md = RenderMarkdown(scan, options);
  EXPECT_NE(md.find("> Scan incomplete: 1 priority computed without all its context. Priorities "
                    "may be too low"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| P3 (incomplete: DescribeServices failed in 111111111111/us-east-1) |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("### Warnings\n\n- 111111111111 us-east-1: services could not be read "
                    "\\(Throttling\\)"),
            std::string::npos)
      << md;

  std::string html = RenderHtml(scan, options);
  EXPECT_NE(html.find("title=\"" + why + "\">P3?</span>"), std::string::npos);
  EXPECT_NE(html.find("Priority context: " + why), std::string::npos);
  EXPECT_NE(html.find("services could not be read"), std::string::npos);

  nlohmann::json sarif = nlohmann::json::parse(RenderSarif(scan, options));
  const auto& invocation = sarif["runs"][0]["invocations"][0];
  EXPECT_EQ(invocation["executionSuccessful"], false);
  bool warned = false;
  for (const auto& n : invocation["toolExecutionNotifications"]) {
    warned |= n["descriptor"]["id"] == "ecsguard/warning" &&
              n["message"]["text"].get<std::string>().find("services could not be read") !=
                  std::string::npos;
  }
  EXPECT_TRUE(warned) << invocation.dump(2);

  std::string csv = RenderCsv(scan);
  EXPECT_NE(csv.find(",scan_time,priority_context\r\n"), std::string::npos);
  EXPECT_NE(csv.find("," + why + "\r\n"), std::string::npos) << csv;

  std::string junit = RenderJunit(scan);
  EXPECT_NE(junit.find("Priority context: " + why), std::string::npos);
  EXPECT_NE(junit.find("<system-err>warning: 111111111111 us-east-1: services"), std::string::npos)
      << junit;

  nlohmann::json ocsf = nlohmann::json::parse(RenderOcsf(scan, options));
  EXPECT_EQ(ocsf[0]["unmapped"]["priority_context"], why);
  nlohmann::json asff = nlohmann::json::parse(RenderAsff(scan, options));
  EXPECT_EQ(asff[0]["ProductFields"]["ecsguard/PriorityContext"], why);
}

// `ecsguard report scan.json -f F` must print what the scan itself printed.
TEST(FormatTest, EveryFormatRendersTheSameFromSavedJson) {
  const controls::Control control = testing::SampleControl();
  RenderOptions options{.controls = {&control}};
  for (const posture::ScanResult& scan : {testing::LiveScan(), testing::IacScan(),
                                          testing::ManyFindings(120, 2), Sample(), ContextLost()}) {
    auto back = ReadJson(RenderJson(scan), "scan.json");
    ASSERT_TRUE(back.ok()) << back.error().ToString();
    for (Format f : AllFormats()) {
      EXPECT_EQ(Render(*back, f, options), Render(scan, f, options)) << FormatName(f);
      std::vector<OutputFile> a = RenderFiles(*back, f, options), b = RenderFiles(scan, f, options);
      ASSERT_EQ(a.size(), b.size()) << FormatName(f);
      for (size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].text, b[i].text) << FormatName(f);
    }
  }
}

TEST(TableReportTest, CoverageTableWhenSomethingWasNotEvaluated) {
  std::string table = RenderTable(testing::LiveScan(), RenderOptions{});
  EXPECT_NE(table.find("Coverage (account x region)\n"
                       "ACCOUNT       eu-west-1  us-east-1\n"
                       "111111111111  evaluated  evaluated\n"
                       "222222222222  evaluated  denied\n"
                       "  222222222222 us-east-1: denied - AccessDeniedException on "
                       "ecs:ListClusters\n"),
            std::string::npos)
      << table;
  posture::ScanResult one = testing::LiveScan();
  one.coverage.resize(1);
  EXPECT_EQ(RenderTable(one, RenderOptions{}).find("Coverage"), std::string::npos);
}

TEST(TableReportTest, NoTerminalEscapesFromData) {
  posture::ScanResult scan = testing::LiveScan();
  scan.findings[0].reason = "evil\x1b]0;title\x07\x1b[2J";
  scan.findings[0].resource.region = "eu\x1b[31m";
  std::string table = RenderTable(scan, RenderOptions{});
  EXPECT_EQ(table.find('\x1b'), std::string::npos);
}

}  // namespace
}  // namespace ecsguard::report
