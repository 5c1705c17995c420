// The report formats checked by the tools that consume them: the SARIF Multitool (with GitHub's
// ingestion rules), headless Chromium (the HTML page as a person uses it), and Security Hub's
// API model from botocore (ASFF). Each test skips when its tool is not installed; the oracles
// live in tests/report-oracle (scripts/setup.sh runs `npm ci` there).

#include <gtest/gtest.h>

#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "controls/catalog.h"
#include "report/report.h"
#include "sample.h"
#include "support.h"

namespace ecsguard::report {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string OracleDir() { return ecsguard::testing::SourcePath("tests/report-oracle"); }

fs::path OutDir() {
  fs::path dir = ecsguard::testing::BinaryPath("report-oracle");
  fs::create_directories(dir);
  return dir;
}

void Write(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  ASSERT_TRUE(out.good()) << path;
}

std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Runs a shell command with stdout and stderr in files; returns the exit status.
int RunCommand(const std::string& command, const fs::path& out, const fs::path& err) {
  int status = std::system((command + " >" + Quote(out) + " 2>" + Quote(err)).c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// The seed control from the repository's catalog, so the reports carry the real remediation.
controls::Control CatalogControl() {
  std::string path =
      ecsguard::testing::SourcePath("controls/aws-ecs-1-privileged-network-mode.yaml");
  auto control = controls::ParseControl(ecsguard::testing::ReadFileOrDie(path), path);
  if (!control.ok()) {
    ADD_FAILURE() << control.error().ToString();
    return report::testing::SampleControl();
  }
  return *control;
}

TEST(ReportOracleTest, SarifPassesMultitoolValidationWithGitHubRules) {
  fs::path tool =
      fs::path(OracleDir()) / "node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool";
  if (!fs::exists(tool))
    GTEST_SKIP() << "SARIF Multitool not installed (npm ci in tests/report-oracle)";
  controls::Control control = CatalogControl();
  RenderOptions options{.controls = {&control}};
  for (const auto& [name, scan] : {std::pair{"iac", report::testing::IacScan()},
                                   std::pair{"live", report::testing::LiveScan()}}) {
    fs::path sarif = OutDir() / (std::string(name) + ".sarif");
    fs::path log = OutDir() / (std::string(name) + ".validation.sarif");
    fs::remove(log);
    Write(sarif, RenderSarif(scan, options));
    int status = RunCommand("DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 " + Quote(tool.string()) +
                                " validate --rule-kind 'Gh;Sarif' -o " + Quote(log.string()) + " " +
                                Quote(sarif.string()),
                            OutDir() / (std::string(name) + ".validation.out"),
                            OutDir() / (std::string(name) + ".validation.err"));
    ASSERT_EQ(status, 0) << ecsguard::testing::ReadFileOrDie(
        (OutDir() / (std::string(name) + ".validation.out")).string());
    json results =
        json::parse(ecsguard::testing::ReadFileOrDie(log.string()))["runs"][0]["results"];
    std::vector<std::string> errors, warnings;
    for (const json& r : results) {
      std::string line = r.value("ruleId", "") + ": " + r["message"].value("text", "") + " " +
                         r["message"].value("arguments", json::array()).dump();
      // SARIF's default level for a result without one is "warning".
      (r.value("level", "warning") == "error" ? errors : warnings).push_back(line);
    }
    EXPECT_TRUE(errors.empty()) << name << ":\n" << ::testing::PrintToString(errors);
    EXPECT_TRUE(warnings.empty()) << name << ":\n" << ::testing::PrintToString(warnings);
  }
}

TEST(ReportOracleTest, HtmlWorksInHeadlessChromium) {
  const std::string chromium =
      std::getenv("CHROMIUM") ? std::getenv("CHROMIUM") : "/usr/bin/chromium";
  if (!fs::exists(chromium)) GTEST_SKIP() << chromium << " is not installed";
  if (std::system("node --version >/dev/null 2>&1") != 0) GTEST_SKIP() << "node is not installed";
  fs::path script = fs::path(OracleDir()) / "html_check.js";
  std::string node = "node";
  if (!fs::exists(fs::path(OracleDir()) / "node_modules/ws")) {
    // Node 20.10+ has a WebSocket client behind a flag; older Node needs the ws package.
    if (std::system("node --experimental-websocket -e 'new WebSocket' >/dev/null 2>&1") == 256) {
      GTEST_SKIP() << "no WebSocket client for Node (npm ci in tests/report-oracle)";
    }
    node = "node --experimental-websocket";
  }

  // With --framework's requirements section, which must not disturb the findings table.
  posture::ScanResult scan = report::testing::WithFramework(report::testing::LiveScan());
  // Hostile values must render as text and break nothing.
  scan.findings[1].resource.name = "</script><script>alert(1)</script>";
  scan.findings[1].reason = "<img src=x onerror=alert(2)> \"quoted\" & more";
  controls::Control control = CatalogControl();
  fs::path html = OutDir() / "report.html";
  fs::path png = OutDir() / "report.png";
  fs::remove(png);
  Write(html, RenderHtml(scan, RenderOptions{.controls = {&control}}));

  fs::path out = OutDir() / "html_check.json";
  int status = RunCommand(
      node + " " + Quote(script.string()) + " " + Quote(html.string()) + " " + Quote(png.string()),
      out, OutDir() / "html_check.err");
  ASSERT_EQ(status, 0) << ecsguard::testing::ReadFileOrDie((OutDir() / "html_check.err").string());
  json r = json::parse(ecsguard::testing::ReadFileOrDie(out.string()));

  EXPECT_EQ(r["consoleErrors"], json::array()) << r.dump(2);
  EXPECT_EQ(r["total"], 6);
  EXPECT_EQ(r["failRecords"], 3);
  EXPECT_EQ(r["initialVisible"], 5);  // "Not passed" by default
  EXPECT_EQ(r["initialShownText"], "Showing 5 of 6 records");
  EXPECT_EQ(r["afterStatusFilterVisible"], 3);
  EXPECT_EQ(r["afterStatusFilterShownText"], "Showing 3 of 6 records");
  EXPECT_EQ(r["allVisible"], 6);
  EXPECT_EQ(r["ariaSortAfterClick"], "ascending");
  std::vector<std::string> before = r["orderBefore"], ascending = r["orderAscending"],
                           descending = r["orderDescending"];
  std::vector<std::string> sorted = before;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_NE(ascending, before);
  EXPECT_EQ(ascending, sorted);
  EXPECT_EQ(descending, std::vector<std::string>(sorted.rbegin(), sorted.rend()));
  EXPECT_EQ(r["detailsOpen"], true);
  std::string details = r["detailsText"];  // innerText: as rendered, headings upper-cased
  EXPECT_NE(details.find("HOW TO FIX IT"), std::string::npos) << details;
  EXPECT_NE(details.find("aws ecs register-task-definition"), std::string::npos) << details;
  EXPECT_TRUE(fs::exists(png) && fs::file_size(png) > 10000) << png;
}

TEST(ReportOracleTest, AsffMatchesTheSecurityHubApiModel) {
  if (std::system("python3 -c 'import botocore' >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "python3 with botocore is not installed";
  }
  controls::Control control = CatalogControl();
  RenderOptions options{.controls = {&control}};
  posture::ScanResult scan = report::testing::ManyFindings(230, 2);
  posture::ScanResult live = report::testing::LiveScan();
  scan.findings.insert(scan.findings.end(), live.findings.begin(), live.findings.end());
  scan = report::testing::WithFramework(std::move(scan));  // Compliance.RelatedRequirements
  scan.findings[0].reason = std::string(5000, 'x');        // truncated to the model's limits
  fs::path dir = OutDir() / "asff";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string files;
  std::vector<OutputFile> batches = RenderFiles(scan, Format::kAsff, options);
  ASSERT_EQ(batches.size(), 7u);  // 2 x (100 + 15), then 111111111111 in two regions, 222222222222
  for (const OutputFile& f : batches) {
    Write(dir / f.name, f.text);
    files += " " + Quote((dir / f.name).string());
  }
  fs::path out = OutDir() / "asff_check.out";
  int status = RunCommand("python3 " + Quote(OracleDir() + "/asff_check.py") + files, out,
                          OutDir() / "asff_check.err");
  if (status == 77) GTEST_SKIP() << "botocore is not installed";
  EXPECT_EQ(status, 0) << ecsguard::testing::ReadFileOrDie(out.string())
                       << ecsguard::testing::ReadFileOrDie((OutDir() / "asff_check.err").string());
}

}  // namespace
}  // namespace ecsguard::report
