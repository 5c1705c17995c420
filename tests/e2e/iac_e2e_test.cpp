// End-to-end: `scan iac` over CloudFormation written into a temporary folder — exit codes,
// formats, inline suppressions and their warnings, --soft-fail, and where a resource that could
// not be evaluated is reported.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli_runner.h"
#include "support.h"

namespace ecsguard::testing {
namespace {

using nlohmann::json;

constexpr char kControl[] = "aws-ecs-1-privileged-network-mode";

// A CloudFormation template with one task definition; `above` goes on the line before the
// resource (a suppression comment), `container` is its container's extra properties.
std::string Template(const std::string& network_mode, const std::string& container,
                     const std::string& above = "") {
  return "Parameters:\n"
         "  Flag:\n"
         "    Type: String\n"
         "Resources:\n" +
         (above.empty() ? "" : "  " + above + "\n") +
         "  Task:\n"
         "    Type: AWS::ECS::TaskDefinition\n"
         "    Properties:\n"
         "      NetworkMode: " +
         network_mode +
         "\n"
         "      ContainerDefinitions:\n"
         "        - Name: app\n"
         "          Image: app:1\n" +
         container + "\n";
}

const std::string kPrivileged = "          Privileged: true";
const std::string kUnresolvable = "          Privileged: !Ref Flag";
const std::string kNonRoot = "          User: \"1000\"";

class IacE2eTest : public ::testing::Test {
 protected:
  CliResult Scan(const std::string& text, std::vector<std::string> extra = {}) {
    dir_.Write("infra/td.yaml", text);
    std::vector<std::string> args = {"scan",   "iac",       dir_.path() + "/infra",
                                     "--root", dir_.path(), "--no-history"};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunCli(args);
  }
  json ScanJson(const std::string& text, std::vector<std::string> extra = {},
                CliResult* result = nullptr) {
    extra.insert(extra.begin(), {"-f", "json"});
    CliResult r = Scan(text, extra);
    if (result) *result = r;
    return json::parse(r.out);
  }
  TempDir dir_;
};

TEST_F(IacE2eTest, ExitCodes) {
  // 1: a high-severity failure.
  EXPECT_EQ(Scan(Template("host", kPrivileged), {"-f", "json"}).exit_code, 1);
  // 0: nothing failing, or nothing at or above --fail-on.
  EXPECT_EQ(Scan(Template("awsvpc", kPrivileged), {"-f", "json"}).exit_code, 0);
  EXPECT_EQ(Scan(Template("host", kPrivileged), {"-f", "json", "--fail-on", "critical"}).exit_code,
            0);
  // 2: a resource that could not be evaluated outranks a clean result.
  EXPECT_EQ(Scan(Template("host", kUnresolvable), {"-f", "json"}).exit_code, 2);
  // 3: usage and configuration errors.
  EXPECT_EQ(Scan(Template("host", kPrivileged), {"--parameter", "novalue"}).exit_code, 3);
  EXPECT_EQ(Scan(Template("host", kPrivileged), {"--control", "nope"}).exit_code, 3);
  EXPECT_EQ(Scan(Template("host", kPrivileged), {"--fail-on", "urgent"}).exit_code, 3);
  EXPECT_EQ(Scan(Template("host", kPrivileged), {"-f", "json,sarif"}).exit_code, 3);
  EXPECT_EQ(RunCli({"scan", "iac", dir_.path() + "/missing", "--no-history"}).exit_code, 3);
}

TEST_F(IacE2eTest, SoftFailForgivesFailuresButNotAnIncompleteScan) {
  EXPECT_EQ(Scan(Template("host", kPrivileged), {"-f", "json", "--soft-fail"}).exit_code, 0);
  EXPECT_EQ(Scan(Template("host", kUnresolvable), {"-f", "json", "--soft-fail"}).exit_code, 2);
  EXPECT_EQ(Scan(Template("host", kPrivileged), {"--soft-fail", "--control", "nope"}).exit_code, 3);
}

TEST_F(IacE2eTest, ParametersResolveWhatTheTemplateLeavesOpen) {
  CliResult r;
  json report = ScanJson(Template("host", kUnresolvable), {"--parameter", "Flag=true"}, &r);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(report["summary"]["FAIL"], 2);  // both default controls
  EXPECT_EQ(report["summary"]["NOT_EVALUATED"], 0);
}

TEST_F(IacE2eTest, NotEvaluatedPointsAtTheResourceThatCouldNotBeResolved) {
  CliResult r;
  json report = ScanJson(Template("host", kUnresolvable), {}, &r);
  ASSERT_EQ(report["findings"].size(), 2u) << r.out;  // one per default control
  for (const json& f : report["findings"]) {
    EXPECT_EQ(f["status"], "NOT_EVALUATED");
    EXPECT_EQ(f["resource"]["id"], "infra/td.yaml#Task");
    EXPECT_EQ(f["resource"]["location"]["file"], "infra/td.yaml");
    EXPECT_EQ(f["resource"]["location"]["line"], 5);
    EXPECT_EQ(f["resource"]["location"]["column"], 3);
  }
  EXPECT_FALSE(report["complete"].get<bool>());
  EXPECT_NE(r.err.find("0 FAIL, 0 PASS, 0 EXCEPTED, 2 NOT_EVALUATED (scan incomplete)"),
            std::string::npos)
      << r.err;
  // SARIF points at the same place.
  CliResult sarif = Scan(Template("host", kUnresolvable), {"-f", "sarif"});
  EXPECT_NE(sarif.out.find("\"uri\": \"infra/td.yaml\""), std::string::npos) << sarif.out;
  EXPECT_NE(sarif.out.find("\"startLine\": 5"), std::string::npos) << sarif.out;
}

TEST_F(IacE2eTest, ACompleteSuppressionExceptsTheFinding) {
  std::string comment = std::string("# ecsguard:ignore ") + kControl +
                        " reason=\"profiler\" owner=\"perf@example.com\" expires=2099-01-01";
  CliResult r;
  json report = ScanJson(Template("host", kPrivileged, comment), {"--control", kControl}, &r);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(report["findings"].size(), 1u);
  const json& f = report["findings"][0];
  EXPECT_EQ(f["status"], "EXCEPTED");
  EXPECT_EQ(f["exception"]["id"], "inline:infra/td.yaml:5:5");
  EXPECT_EQ(f["exception"]["owner"], "perf@example.com");
  EXPECT_TRUE(report["warnings"].empty()) << report["warnings"];
}

TEST_F(IacE2eTest, SuppressionsThatDoNotApplyAreWarnedAboutAndTheFindingStaysFail) {
  struct Case {
    std::string fields, warning;
  };
  const std::vector<Case> cases = {
      {"reason=\"r\" expires=2099-01-01", "infra/td.yaml:5:5: suppression of " +
                                              std::string(kControl) +
                                              " for infra/td.yaml#Task ignored: missing owner"},
      {"reason=\"r\" owner=\"o\" expires=2020-01-01",
       "infra/td.yaml:5:5: suppression of " + std::string(kControl) +
           " for infra/td.yaml#Task expired on 2020-01-01 and no longer applies"},
      {"reason=\"r\" owner=\"o\" expires=soon",
       "infra/td.yaml:5:5: suppression ignored: expires \"soon\" is not a YYYY-MM-DD date"},
  };
  for (const Case& c : cases) {
    std::string comment = fmt::format("# ecsguard:ignore {} {}", kControl, c.fields);
    CliResult r;
    json report = ScanJson(Template("host", kPrivileged, comment), {"--control", kControl}, &r);
    EXPECT_EQ(r.exit_code, 1) << c.fields << "\n" << r.err;
    EXPECT_EQ(report["findings"][0]["status"], "FAIL") << c.fields;
    ASSERT_EQ(report["warnings"].size(), 1u) << c.fields << report["warnings"];
    EXPECT_EQ(report["warnings"][0], c.warning);
    EXPECT_NE(r.err.find("ecsguard: warning: " + c.warning), std::string::npos) << r.err;
  }
}

TEST_F(IacE2eTest, ASuppressionOfAPassingResourceMatchesNoFailure) {
  std::string comment =
      std::string("# ecsguard:ignore ") + kControl + " reason=\"r\" owner=\"o\" expires=2099-01-01";
  CliResult r;
  json report = ScanJson(Template("awsvpc", kNonRoot, comment), {"--control", kControl}, &r);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(report["warnings"].size(), 1u) << report["warnings"];
  EXPECT_EQ(report["warnings"][0], "infra/td.yaml:5:5: suppression of " + std::string(kControl) +
                                       " for infra/td.yaml#Task matched no failure");
}

// Issue 11: services and clusters in Terraform are judged by ECS.2 and ECS.12, suppressed by the
// same comments as task definitions, and located in JSON and SARIF.
TEST_F(IacE2eTest, ServicesAndClustersAreJudgedSuppressedAndLocated) {
  dir_.Write("infra/main.tf",
             "# ecsguard:ignore aws-securityhub-ecs-2 reason=\"demo\" owner=\"ops@example.com\" "
             "expires=2099-01-01\n"
             "resource \"aws_ecs_service\" \"web\" {\n"
             "  launch_type = \"FARGATE\"\n"
             "  network_configuration {\n"
             "    subnets          = [\"subnet-1\"]\n"
             "    assign_public_ip = true\n"
             "  }\n"
             "}\n"
             "\n"
             "resource \"aws_ecs_cluster\" \"main\" {\n"
             "  name = \"main\"\n"
             "}\n");
  std::vector<std::string> args = {
      "scan",         "iac",       dir_.path() + "/infra",  "--root",    dir_.path(),
      "--no-history", "--control", "aws-securityhub-ecs-2", "--control", "aws-securityhub-ecs-12"};
  std::vector<std::string> as_json = args;
  as_json.insert(as_json.end(), {"-f", "json"});
  CliResult r = RunCli(as_json);
  EXPECT_EQ(r.exit_code, 0) << r.err;  // ECS.12 is medium: under --fail-on's default (high)
  json report = json::parse(r.out);
  ASSERT_EQ(report["findings"].size(), 2u) << r.out;
  std::map<std::string, json> by_control;
  for (const json& f : report["findings"]) by_control[f["controlId"]] = f;
  const json& service = by_control["aws-securityhub-ecs-2"];
  EXPECT_EQ(service["status"], "EXCEPTED");
  EXPECT_EQ(service["resource"]["id"], "infra/main.tf#aws_ecs_service.web");
  EXPECT_EQ(service["exception"]["id"], "inline:infra/main.tf:1:3");
  const json& cluster = by_control["aws-securityhub-ecs-12"];
  EXPECT_EQ(cluster["status"], "FAIL");
  EXPECT_EQ(cluster["resource"]["type"], "ECSCluster");
  EXPECT_EQ(cluster["resource"]["location"]["file"], "infra/main.tf");
  EXPECT_EQ(cluster["resource"]["location"]["line"], 10);
  EXPECT_EQ(cluster["resource"]["location"]["column"], 1);
  EXPECT_TRUE(report["warnings"].empty()) << report["warnings"];
  std::vector<std::string> as_sarif = args;
  as_sarif.insert(as_sarif.end(), {"-f", "sarif"});
  CliResult sarif = RunCli(as_sarif);
  EXPECT_NE(sarif.out.find("\"uri\": \"infra/main.tf\""), std::string::npos) << sarif.out;
  EXPECT_NE(sarif.out.find("\"startLine\": 10"), std::string::npos) << sarif.out;
  EXPECT_NE(sarif.out.find("aws-securityhub-ecs-12"), std::string::npos) << sarif.out;
}

TEST_F(IacE2eTest, EveryFormatRendersAndSeveralGoToAnOutputDirectory) {
  for (const char* format :
       {"table", "json", "sarif", "junit", "csv", "markdown", "ocsf", "html"}) {
    CliResult r = Scan(Template("host", kPrivileged), {"-f", format});
    EXPECT_EQ(r.exit_code, 1) << format << "\n" << r.err;
    EXPECT_NE(r.out.find("infra/td.yaml"), std::string::npos) << format << "\n" << r.out;
  }
  // ASFF is about AWS resources: an IaC scan has none to send to Security Hub.
  CliResult asff = Scan(Template("host", kPrivileged), {"-f", "asff"});
  EXPECT_EQ(asff.exit_code, 1) << asff.err;
  EXPECT_EQ(json::parse(asff.out), json::array());
  TempDir out;
  CliResult r = Scan(Template("host", kPrivileged), {"-f", "json,sarif", "-o", out.path()});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_TRUE(r.out.empty());
  json report = json::parse(ReadFileOrDie(out.path() + "/ecsguard.json"));
  EXPECT_EQ(report["scan"]["kind"], "iac");
  EXPECT_FALSE(ReadFileOrDie(out.path() + "/ecsguard.sarif").empty());
}

TEST_F(IacE2eTest, TheScanIsRecordedInTheHistoryGiven) {
  std::string db = "sqlite:" + dir_.path() + "/history.db";
  dir_.Write("infra/td.yaml", Template("host", kPrivileged));
  CliResult scan = RunCli(
      {"scan", "iac", dir_.path() + "/infra", "--root", dir_.path(), "-f", "json", "--db", db});
  EXPECT_EQ(scan.exit_code, 1) << scan.err;
  CliResult list = RunCli({"history", "list", "--db", db, "--format", "json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  json scans = json::parse(list.out);
  ASSERT_EQ(scans.size(), 1u);
  EXPECT_EQ(scans[0]["kind"], "iac");
  EXPECT_EQ(scans[0]["summary"]["FAIL"], 2);
  // A --db that cannot be written (its folder would be a file) is a configuration error.
  CliResult bad = RunCli({"scan", "iac", dir_.path() + "/infra", "-f", "json", "--db",
                          "sqlite:" + dir_.path() + "/infra/td.yaml/h.db"});
  EXPECT_EQ(bad.exit_code, 3) << bad.err;
}

}  // namespace
}  // namespace ecsguard::testing
