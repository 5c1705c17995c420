// End-to-end: the built binary over the demo estate (examples/estate; the verdicts are
// documented row by row in examples/estate-EXPECTED.md) and over hostile inputs.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "cli_runner.h"
#include "support.h"

namespace ecsguard::testing {
namespace {

using nlohmann::json;
using Verdicts = std::map<std::string, std::string>;  // "<account>/<region>/<family:rev>" -> status

const std::string kProd = "111122223333", kStaging = "444455556666";
std::string Key(const std::string& account, const std::string& region, const std::string& name) {
  return account + "/" + region + "/" + name;
}

std::string Estate() { return SourcePath("examples/estate"); }

json ScanJson(const std::vector<std::string>& extra, int* exit_code = nullptr) {
  std::vector<std::string> args = {"scan", "snapshot", Estate(), "-f", "json"};
  args.insert(args.end(), extra.begin(), extra.end());
  CliResult r = RunCli(args);
  if (exit_code) *exit_code = r.exit_code;
  return json::parse(r.out);
}

std::map<std::string, Verdicts> ByControl(const json& report) {
  std::map<std::string, Verdicts> out;
  for (const json& f : report["findings"]) {
    const json& r = f["resource"];
    std::string name = r.value("name", r.value("id", ""));
    out[f["controlId"]][Key(r.value("accountId", ""), r.value("region", ""), name)] = f["status"];
  }
  return out;
}

// Rows of examples/estate-EXPECTED.md, columns (a) seed and (b) strict; "-" = no record.
struct Row {
  std::string account, region, name, seed, strict;
};
const std::vector<Row> kRows = {
    {kProd, "eu-west-1", "web:11", "FAIL", "FAIL"},
    {kProd, "eu-west-1", "web:12", "PASS", "FAIL"},
    {kProd, "eu-west-1", "api:7", "PASS", "PASS"},
    {kProd, "eu-west-1", "metrics-agent:4", "FAIL", "FAIL"},
    {kProd, "eu-west-1", "metrics-agent:5", "-", "-"},
    {kProd, "eu-west-1", "db-migrate:3", "-", "-"},
    {kProd, "us-east-1", "edge-proxy:20", "PASS", "PASS"},
    {kProd, "us-east-1", "edge-proxy:21", "FAIL", "FAIL"},
    {kProd, "us-east-1", "log-shipper:2", "FAIL", "PASS"},
    {kStaging, "eu-west-1", "web:3", "FAIL", "PASS"},
    {kStaging, "eu-west-1", "web:4", "-", "-"},
    {kStaging, "eu-west-1", "cache:6", "PASS", "PASS"},
    {kStaging, "eu-west-1", "worker:8", "FAIL", "PASS"},
    {kStaging, "eu-west-1", "payments-reconcile:14", "PASS", "PASS"},
    {kStaging, "eu-west-1", "debug-shell:1", "FAIL", "FAIL"},
    {kStaging, "us-east-1", "batch-runner:2", "PASS", "FAIL"},
    {kStaging, "us-east-1", "batch-runner:3", "PASS", "PASS"},
    {kStaging, "us-east-1", "ingest:4", "FAIL", "FAIL"},
    {kStaging, "us-east-1", "scraper:1", "PASS", "FAIL"},
    {kStaging, "us-east-1", "legacy-etl:9", "NOT_EVALUATED", "NOT_EVALUATED"},
};

Verdicts Expected(bool strict) {
  Verdicts v;
  for (const Row& row : kRows) {
    const std::string& status = strict ? row.strict : row.seed;
    if (status != "-") v[Key(row.account, row.region, row.name)] = status;
  }
  return v;
}

TEST(SnapshotE2eTest, DemoEstateGivesTheDocumentedVerdicts) {
  int code = -1;
  json report = ScanJson({}, &code);
  EXPECT_EQ(code, 2) << "an undescribed in-use revision makes the scan incomplete";
  auto by_control = ByControl(report);
  EXPECT_EQ(by_control["aws-ecs-1-privileged-network-mode"], Expected(false));
  EXPECT_EQ(by_control["aws-ecs-1-strict"], Expected(true));
  EXPECT_EQ(by_control.size(), 2u) << "the default set is the seed and strict controls";
  EXPECT_EQ(report["summary"]["FAIL"], 16);
  EXPECT_EQ(report["summary"]["PASS"], 16);
  EXPECT_EQ(report["summary"]["NOT_EVALUATED"], 2);
  EXPECT_EQ(report["complete"], false);
  EXPECT_EQ(report["schemaVersion"], "1.0");
}

TEST(SnapshotE2eTest, SecurityHubSemanticsAreOptIn) {
  json report = ScanJson({"--control", "aws-securityhub-ecs-1"});
  Verdicts v = ByControl(report)["aws-securityhub-ecs-1"];
  Verdicts expected = {
      {Key(kProd, "eu-west-1", "web:12"), "PASS"},
      {Key(kProd, "eu-west-1", "api:7"), "PASS"},
      {Key(kProd, "eu-west-1", "metrics-agent:5"), "FAIL"},
      {Key(kProd, "eu-west-1", "db-migrate:3"), "PASS"},
      {Key(kProd, "us-east-1", "edge-proxy:21"), "PASS"},
      {Key(kProd, "us-east-1", "log-shipper:2"), "PASS"},
      {Key(kStaging, "eu-west-1", "web:3"), "PASS"},
      {Key(kStaging, "eu-west-1", "cache:6"), "FAIL"},
      {Key(kStaging, "eu-west-1", "worker:8"), "PASS"},
      {Key(kStaging, "eu-west-1", "payments-reconcile:14"), "PASS"},
      {Key(kStaging, "eu-west-1", "debug-shell:1"), "PASS"},
      {Key(kStaging, "us-east-1", "batch-runner:3"), "PASS"},
      {Key(kStaging, "us-east-1", "ingest:4"), "FAIL"},
      {Key(kStaging, "us-east-1", "scraper:1"), "PASS"},
      // Added for the rest of the family; no task runs them, Config judges them all the same.
      {Key(kStaging, "us-east-1", "audit-shipper:2"), "PASS"},
      {Key(kStaging, "us-east-1", "win-report:1"), "PASS"},
  };
  // The undescribed in-use revision is reported as not evaluated under every control.
  expected[Key(kStaging, "us-east-1", "legacy-etl:9")] = "NOT_EVALUATED";
  EXPECT_EQ(v, expected);
}

TEST(SnapshotE2eTest, FailuresExplainAndPrioritise) {
  json report = ScanJson({"--control", "aws-ecs-1-strict"});
  std::map<std::string, json> by_name;
  for (const json& f : report["findings"]) by_name[f["resource"]["arn"].get<std::string>()] = f;
  const json& web12 = by_name["arn:aws:ecs:eu-west-1:111122223333:task-definition/web:12"];
  EXPECT_EQ(web12["status"], "FAIL");
  EXPECT_EQ(web12["priority"], "P1");
  EXPECT_EQ(web12["exposure"], "internet");
  EXPECT_EQ(web12["environment"], "production");
  EXPECT_EQ(web12["reason"], "container log-router: user=\"0\"");
  bool saw_container = false;
  for (const json& e : web12["evidence"]) {
    if (e["path"] == "containerSpecs") {
      saw_container = true;
      EXPECT_EQ(e["container"], "log-router");
      EXPECT_EQ(e["fields"]["user"], "0");
    }
  }
  EXPECT_TRUE(saw_container);
  const json& shell = by_name["arn:aws:ecs:eu-west-1:444455556666:task-definition/debug-shell:1"];
  EXPECT_EQ(shell["priority"], "P4");
  EXPECT_EQ(shell["environment"], "staging");
  // Failures come first, ordered by priority.
  int last = 0;
  for (const json& f : report["findings"]) {
    if (f["status"] != "FAIL") break;
    int p = f["priority"].get<std::string>()[1] - '0';
    EXPECT_GE(p, last);
    last = p;
  }
  const json& legacy = by_name["arn:aws:ecs:us-east-1:444455556666:task-definition/legacy-etl:9"];
  EXPECT_EQ(legacy["status"], "NOT_EVALUATED");
  EXPECT_NE(legacy["reason"].get<std::string>().find("not described"), std::string::npos);
}

TEST(SnapshotE2eTest, FindingIdsAreStableAcrossRuns) {
  json a = ScanJson({}), b = ScanJson({});
  std::set<std::string> ids_a, ids_b;
  for (const json& f : a["findings"]) ids_a.insert(f["id"]);
  for (const json& f : b["findings"]) ids_b.insert(f["id"]);
  EXPECT_EQ(ids_a, ids_b);
  EXPECT_EQ(ids_a.size(), a["findings"].size());
}

TEST(SnapshotE2eTest, TableIsTheHumanView) {
  CliResult r = RunCli({"scan", "snapshot", Estate(), "-f", "table"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("Summary: 16 FAIL, 16 PASS, 0 EXCEPTED, 2 NOT_EVALUATED"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("web:12"), std::string::npos);
  EXPECT_NE(r.out.find("legacy-etl:9"), std::string::npos);
  EXPECT_NE(r.out.find("Scan incomplete"), std::string::npos);
  EXPECT_EQ(r.out.find("\x1b["), std::string::npos) << "no colour when stdout is not a terminal";
}

// The estate's credential-like environment values (by name, or marked EXAMPLE): none may
// appear in any output. Ordinary values such as a region also occur in ARNs, so they are not
// a useful probe.
std::vector<std::string> EnvironmentValues() {
  std::vector<std::string> values;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(Estate())) {
    if (!entry.is_regular_file()) continue;
    json doc = json::parse(ReadFileOrDie(entry.path().string()), nullptr, false);
    if (doc.is_discarded() || !doc.contains("taskDefinition")) continue;
    for (const json& c : doc["taskDefinition"].value("containerDefinitions", json::array())) {
      for (const json& env : c.value("environment", json::array())) {
        std::string name = env.value("name", ""), v = env.value("value", "");
        bool credential_name = false;
        for (const char* marker : {"SECRET", "KEY", "TOKEN", "PASSWORD", "URL"}) {
          credential_name = credential_name || name.find(marker) != std::string::npos;
        }
        if (credential_name || v.find("EXAMPLE") != std::string::npos) values.push_back(v);
      }
    }
  }
  return values;
}

TEST(SnapshotE2eTest, EnvironmentValuesNeverAppearInAnyOutput) {
  std::vector<std::string> secrets = EnvironmentValues();
  ASSERT_GE(secrets.size(), 3u);
  EXPECT_NE(std::find(secrets.begin(), secrets.end(), "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
            secrets.end());
  std::vector<CliResult> outputs = {
      RunCli({"scan", "snapshot", Estate(), "-f", "json"}),
      RunCli({"scan", "snapshot", Estate(), "-f", "table", "--show-passed"}),
      RunCli({"scan", "snapshot", Estate(), "-f", "json", "--control", "aws-securityhub-ecs-1"}),
      RunCli({"query", "--snapshot", Estate(),
              "{ ecsTaskContainerSpecs { name envEntries { key value } } }"}),
      RunCli({"query", "--snapshot", Estate(),
              "{ ecsTaskDefinitions(where: { containerSpecs_SOME: { envEntries_SOME: { "
              "value_CONTAINS: \"EXAMPLE\" } } }) { name containerSpecs { envEntries { value } } } "
              "}"}),
  };
  for (const CliResult& r : outputs) {
    for (const std::string& secret : secrets) {
      EXPECT_EQ(r.out.find(secret), std::string::npos) << "leaked " << secret;
      EXPECT_EQ(r.err.find(secret), std::string::npos) << "leaked " << secret;
    }
  }
  EXPECT_NE(outputs[3].out.find("<redacted>"), std::string::npos);
  EXPECT_NE(outputs[3].out.find("AWS_SECRET_ACCESS_KEY"), std::string::npos) << "names are fine";
}

// A report with its clock readings (ISO 8601 times, OCSF epoch milliseconds) blanked out.
std::string WithoutTimes(const std::string& text) {
  static const std::regex kTimes(
      R"(20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z|"(created_)?time": ?[0-9]{13})");
  return std::regex_replace(text, kTimes, "<time>");
}

// Issue 12: the graph holds only what the selected controls read (here: of the containers'
// environment), and every report is the same as from the whole graph (--full-graph).
TEST(SnapshotE2eTest, ProjectionGivesTheReportsOfTheWholeGraph) {
  std::vector<std::string> every_control;
  for (const auto& e : std::filesystem::directory_iterator(SourcePath("controls"))) {
    if (e.path().extension() != ".yaml") continue;
    every_control.push_back("--control");
    every_control.push_back(e.path().stem().string());
  }
  const std::vector<std::string> kFormats = {"table", "json", "sarif", "junit",   "csv",
                                             "html",  "ocsf", "asff",  "markdown"};
  for (const std::string& estate : {Estate(), SourcePath("tests/ingest/snapshot/data/estate")}) {
    for (const std::vector<std::string>& controls : {std::vector<std::string>{}, every_control}) {
      TempDir projected, whole;
      std::vector<std::string> args = {
          "scan",         "snapshot", estate,
          "--no-history", "-f",       "table,json,sarif,junit,csv,html,ocsf,asff,markdown"};
      args.insert(args.end(), controls.begin(), controls.end());
      std::vector<std::string> full = args;
      args.insert(args.end(), {"-o", projected.path()});
      full.insert(full.end(), {"--full-graph", "-o", whole.path()});
      CliResult a = RunCli(args), b = RunCli(full);
      ASSERT_EQ(a.exit_code, b.exit_code) << estate << "\n" << a.err << "\n" << b.err;
      auto err = [](std::string text, const std::string& dir) {
        for (size_t at; (at = text.find(dir)) != std::string::npos;)
          text.replace(at, dir.size(), "DIR");
        return WithoutTimes(text);
      };
      EXPECT_EQ(err(a.err, projected.path()), err(b.err, whole.path()));
      size_t files = 0;
      for (const auto& e : std::filesystem::directory_iterator(projected.path())) {
        ++files;
        std::string name = e.path().filename().string();
        EXPECT_EQ(WithoutTimes(ReadFileOrDie(e.path().string())),
                  WithoutTimes(ReadFileOrDie(whole.path() + "/" + name)))
            << estate << " " << name << " with " << controls.size() / 2 << " controls named";
      }
      // One file per format, and ASFF's batches of findings.
      EXPECT_GE(files, 9u);
      auto count = [](const std::string& dir) {
        auto it = std::filesystem::directory_iterator(dir);
        return std::distance(begin(it), end(it));
      };
      EXPECT_EQ(count(whole.path()), static_cast<std::ptrdiff_t>(files));
    }
  }
}

std::set<std::string> QueryArns(const std::string& query_text, int* code = nullptr) {
  CliResult r = RunCli({"query", "--snapshot", Estate(), query_text});
  if (code) *code = r.exit_code;
  json doc = json::parse(r.out);
  std::set<std::string> arns;
  for (const json& td : doc["data"]["ecsTaskDefinitions"]) arns.insert(td["id"]);
  return arns;
}

constexpr char kSeedQuery[] = R"({
ecsTaskDefinitions(
where: {
networkMode: "host", task_NOT: null,
OR:[
{containerSpecs_SOME: { privileged: true }},
{containerSpecs_SOME: { user_CONTAINS: "root" }}
] }
) {...AssetFragment}
})";

constexpr char kHybridQuery[] =
    R"({ ecsTaskDefinitions(where: { networkMode: { eq: "host" }, NOT: { task: null }, OR: [{ containerSpecs_SOME: { privileged: { eq: true } } }, { containerSpecs_SOME: { user_CONTAINS: "root" } }] }) { ...AssetFragment } })";

TEST(SnapshotE2eTest, SeedQueryVerbatimReturnsTheInUseViolations) {
  int code = -1;
  std::set<std::string> seed = QueryArns(kSeedQuery, &code);
  EXPECT_EQ(code, 2) << "the estate has an undescribed in-use revision";
  const std::string p = "arn:aws:ecs:";
  EXPECT_EQ(seed, (std::set<std::string>{
                      p + "eu-west-1:111122223333:task-definition/metrics-agent:4",
                      p + "eu-west-1:111122223333:task-definition/web:11",
                      p + "eu-west-1:444455556666:task-definition/debug-shell:1",
                      p + "eu-west-1:444455556666:task-definition/web:3",
                      p + "eu-west-1:444455556666:task-definition/worker:8",
                      p + "us-east-1:111122223333:task-definition/edge-proxy:21",
                      p + "us-east-1:111122223333:task-definition/log-shipper:2",
                      p + "us-east-1:444455556666:task-definition/ingest:4",
                  }));
  // The reference product's 2026 rewrite of the same check gives identical results.
  EXPECT_EQ(QueryArns(kHybridQuery), seed);
}

TEST(SnapshotE2eTest, QueryErrorsAreGraphqlErrors) {
  CliResult r = RunCli({"query", "{ ecsTaskDefinitions(where: { nope: 1 }) { id } }"});
  EXPECT_EQ(r.exit_code, 3);
  json doc = json::parse(r.out);
  ASSERT_TRUE(doc.contains("errors"));
  EXPECT_NE(doc["errors"][0]["message"].get<std::string>().find("nope"), std::string::npos);
  EXPECT_EQ(doc["errors"][0]["locations"][0]["line"], 1);
  EXPECT_EQ(doc["errors"][0]["locations"][0]["column"], 31);
}

TEST(SnapshotE2eTest, MissingOuterBracesAreTolerated) {
  CliResult r = RunCli({"query", "--snapshot", Estate(),
                        "ecsTaskDefinitions(where: {family: \"scraper\"}) { name }"});
  json doc = json::parse(r.out);
  ASSERT_EQ(doc["data"]["ecsTaskDefinitions"].size(), 1u);
  EXPECT_EQ(doc["data"]["ecsTaskDefinitions"][0]["name"], "scraper:1");
}

constexpr char kGoodDefinition[] = R"({"taskDefinition": {
  "taskDefinitionArn": "arn:aws:ecs:eu-west-1:123456789012:task-definition/good:1",
  "family": "good", "revision": 1, "status": "ACTIVE", "networkMode": "host",
  "containerDefinitions": [{"name": "app", "image": "app:1", "privileged": true}]}})";
constexpr char kGoodTask[] = R"({"tasks": [{
  "taskArn": "arn:aws:ecs:eu-west-1:123456789012:task/c/1",
  "clusterArn": "arn:aws:ecs:eu-west-1:123456789012:cluster/c",
  "taskDefinitionArn": "arn:aws:ecs:eu-west-1:123456789012:task-definition/good:1",
  "lastStatus": "RUNNING", "desiredStatus": "RUNNING"}], "failures": []})";

TEST(SnapshotE2eTest, BadFilesAreReportedAndTheRestIsStillEvaluated) {
  TempDir dir;
  dir.Write("td.json", kGoodDefinition);
  dir.Write("tasks.json", kGoodTask);
  dir.Write("malformed.json", "{\"tasks\": [\n  {\"taskArn\": \"x\",, }\n]}");
  dir.Write("truncated.json", std::string(kGoodDefinition).substr(0, 120));
  dir.Write("empty.json", "");
  dir.Write("binary.bin", std::string("\x7f"
                                      "ELF\x02\x01\x01\0\0\0\xff\xfe",
                                      13));
  dir.Write("deep.json", std::string(100000, '[') + std::string(100000, ']'));
  dir.Write("long.json", "{\"tasks\": [\"" + std::string(50 * 1024 * 1024, 'a') + "\"");
  dir.Write("wrong-shape.json", R"({"hello": "world"})");
  CliResult r = RunCli({"scan", "snapshot", dir.path(), "-f", "json"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  json report = json::parse(r.out);
  std::map<std::string, json> problems;
  for (const json& p : report["problems"]) {
    problems[std::filesystem::path(p["file"].get<std::string>()).filename().string()] = p;
  }
  for (const char* name : {"malformed.json", "truncated.json", "empty.json", "binary.bin",
                           "deep.json", "long.json", "wrong-shape.json"}) {
    ASSERT_TRUE(problems.count(name)) << name << " not reported; stderr: " << r.err;
    EXPECT_GE(problems[name].value("line", 0), 1) << name;
    EXPECT_GE(problems[name].value("column", 0), 1) << name;
    EXPECT_FALSE(problems[name]["message"].get<std::string>().empty());
    EXPECT_NE(r.err.find(name), std::string::npos) << "problems are also on stderr";
  }
  EXPECT_EQ(problems["malformed.json"]["line"], 2);
  // The good files were still read and evaluated.
  int fails = 0;
  for (const json& f : report["findings"]) fails += f["status"] == "FAIL";
  EXPECT_EQ(fails, 2) << "good:1 fails both default controls";
}

TEST(SnapshotE2eTest, ExitCodes) {
  TempDir dir;
  dir.Write("td.json", kGoodDefinition);
  dir.Write("tasks.json", kGoodTask);
  EXPECT_EQ(RunCli({"scan", "snapshot", dir.path(), "-f", "json"}).exit_code, 1);
  // --fail-on above the controls' severity: findings are reported but do not fail the run.
  EXPECT_EQ(
      RunCli({"scan", "snapshot", dir.path(), "-f", "json", "--fail-on", "critical"}).exit_code, 0);
  TempDir clean;
  std::string td = kGoodDefinition;
  td.replace(td.find("\"privileged\": true"), 18, "\"privileged\": false");
  clean.Write("td.json", td);
  clean.Write("tasks.json", kGoodTask);
  CliResult ok = RunCli({"scan", "snapshot", clean.path(), "-f", "json"});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(RunCli({"scan", "snapshot", "/nonexistent/path"}).exit_code, 3);
  EXPECT_EQ(RunCli({"scan", "snapshot", dir.path(), "--control", "nope"}).exit_code, 3);
  EXPECT_EQ(RunCli({"scan", "snapshot", dir.path(), "--bogus-flag"}).exit_code, 3);
  EXPECT_EQ(RunCli({"scan", "snapshot", dir.path(), "--fail-on", "urgent"}).exit_code, 3);
  EXPECT_EQ(RunCli({"--version"}).exit_code, 0);
}

TEST(SnapshotE2eTest, OutputDirectoryGetsOneFilePerFormat) {
  TempDir out;
  CliResult r = RunCli({"scan", "snapshot", Estate(), "-f", "table,json", "-o", out.path()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(r.out.empty()) << "with -o nothing goes to stdout";
  EXPECT_TRUE(std::filesystem::exists(out.path() + "/ecsguard.json"));
  EXPECT_TRUE(std::filesystem::exists(out.path() + "/ecsguard.txt"));
  json report = json::parse(ReadFileOrDie(out.path() + "/ecsguard.json"));
  EXPECT_EQ(report["summary"]["FAIL"], 16);
}

TEST(SnapshotE2eTest, ControlsListAndShow) {
  CliResult list = RunCli({"controls", "list"});
  EXPECT_EQ(list.exit_code, 0);
  for (const char* id :
       {"aws-ecs-1-privileged-network-mode", "aws-ecs-1-strict", "aws-securityhub-ecs-1"}) {
    EXPECT_NE(list.out.find(id), std::string::npos);
  }
  CliResult show = RunCli({"controls", "show", "ECS.1"});
  EXPECT_EQ(show.exit_code, 0);
  EXPECT_NE(show.out.find("aws-ecs-1-privileged-network-mode"), std::string::npos);
  EXPECT_NE(show.out.find("user_CONTAINS: \"root\""), std::string::npos)
      << "prints the stored check";
  EXPECT_NE(show.out.find("Severity:  high"), std::string::npos);
  EXPECT_NE(show.out.find("Status:    active"), std::string::npos);
  EXPECT_EQ(RunCli({"controls", "show", "nope"}).exit_code, 3);
  // Security Hub retired ECS.1: the list and the control say so, and by what it was replaced.
  EXPECT_NE(list.out.find("aws-securityhub-ecs-1: retired (superseded by ECS.4, ECS.17, ECS.20, "
                          "ECS.21)"),
            std::string::npos)
      << list.out;
  CliResult retired = RunCli({"controls", "show", "aws-securityhub-ecs-1"});
  EXPECT_NE(retired.out.find("Status:    retired (superseded by ECS.4"), std::string::npos);
  CliResult as_json = RunCli({"controls", "list", "--format", "json"});
  json controls = json::parse(as_json.out);
  for (const json& c : controls) {
    bool retired_one = c["id"] == "aws-securityhub-ecs-1";
    EXPECT_EQ(c["status"], retired_one ? "retired" : "active") << c["id"];
    EXPECT_EQ(c.contains("supersededBy"), retired_one) << c["id"];
  }
}

TEST(SnapshotE2eTest, BrokenControlCatalogIsAClearError) {
  TempDir dir;
  dir.Write("broken.yaml",
            "id: x\ntitle: T\nseverity: high\nsubjects: [ECSTaskDefinition]\n"
            "overview: o\nchecks:\n  - name: c\n    query: \"{ ecsTaskDefinitions(where: {bogus: "
            "1}) { id } }\"\n");
  CliResult r = RunCli({"scan", "snapshot", Estate(), "--controls-dir", dir.path()});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("broken.yaml"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("bogus"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace ecsguard::testing

namespace ecsguard::testing {
namespace {

std::string ExceptionsFile(const std::string& expires) {
  return "exceptions:\n"
         "  - id: web-11-accepted\n"
         "    control: aws-ecs-1-strict\n"
         "    scope:\n"
         "      arn: arn:aws:ecs:eu-west-1:111122223333:task-definition/web:11\n"
         "    reason: Replaced by web:12 at the next deployment\n"
         "    owner: platform@example.com\n"
         "    expires: " +
         expires +
         "\n"
         "    ticket: SEC-1\n";
}

TEST(ExceptionsE2eTest, FutureExceptionIsShownInEveryFormat) {
  TempDir dir, out;
  std::string file = dir.Write("exceptions.yaml", ExceptionsFile("2999-12-31"));
  CliResult r = RunCli({"scan", "snapshot", Estate(), "--exceptions", file, "-f",
                        "json,table,csv,junit,html,markdown,ocsf,asff", "-o", out.path()});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  json report = json::parse(ReadFileOrDie(out.path() + "/ecsguard.json"));
  int excepted = 0;
  for (const json& f : report["findings"]) {
    if (f["status"] != "EXCEPTED") continue;
    ++excepted;
    EXPECT_EQ(f["controlId"], "aws-ecs-1-strict");
    EXPECT_EQ(f["resource"]["name"], "web:11");
    EXPECT_EQ(f["exception"]["owner"], "platform@example.com");
    EXPECT_EQ(f["exception"]["expires"], "2999-12-31");
  }
  EXPECT_EQ(excepted, 1);
  // Every human or machine format names the exception (its id or owner) beside the finding.
  // ASFF is split into one batch per account and region: one of them carries it.
  bool asff_suppressed = false;
  for (const auto& entry : std::filesystem::directory_iterator(out.path())) {
    std::string name = entry.path().filename().string();
    std::string text = ReadFileOrDie(entry.path().string());
    if (name.starts_with("asff")) {
      asff_suppressed = asff_suppressed || text.find("SUPPRESSED") != std::string::npos;
      continue;
    }
    EXPECT_TRUE(text.find("web-11-accepted") != std::string::npos ||
                text.find("platform@example.com") != std::string::npos)
        << name << " does not show the exception";
  }
  EXPECT_TRUE(asff_suppressed);
}

TEST(ExceptionsE2eTest, ExpiredExceptionNoLongerApplies) {
  TempDir dir;
  std::string file = dir.Write("exceptions.yaml", ExceptionsFile("2020-01-01"));
  CliResult r = RunCli({"scan", "snapshot", Estate(), "--exceptions", file, "-f", "json"});
  json report = json::parse(r.out);
  for (const json& f : report["findings"]) {
    EXPECT_NE(f["status"], "EXCEPTED");
    if (f["controlId"] == "aws-ecs-1-strict" && f["resource"]["name"] == "web:11") {
      EXPECT_EQ(f["status"], "FAIL");
    }
  }
  bool reported = false;
  for (const json& w : report["warnings"]) {
    reported = reported || (w.get<std::string>().find("web-11-accepted") != std::string::npos &&
                            w.get<std::string>().find("expired") != std::string::npos);
  }
  EXPECT_TRUE(reported) << report["warnings"].dump();
}

TEST(ExceptionsE2eTest, BrokenOrMissingFileIsAnError) {
  TempDir dir;
  std::string bad =
      dir.Write("bad.yaml", "exceptions:\n  - id: x\n    control: aws-ecs-1-strict\n");
  CliResult r = RunCli({"scan", "snapshot", Estate(), "--exceptions", bad});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("bad.yaml:"), std::string::npos) << r.err;
  EXPECT_EQ(
      RunCli({"scan", "snapshot", Estate(), "--exceptions", dir.path() + "/none.yaml"}).exit_code,
      3);
  EXPECT_EQ(RunCli({"exceptions", "validate", bad}).exit_code, 3);
  EXPECT_EQ(RunCli({"exceptions", "validate", SourcePath("examples/exceptions.yaml")}).exit_code,
            0);
}

TEST(HistoryE2eTest, DiffShowsResolvedAndNewFindings) {
  TempDir db_dir, estate;
  std::string db = "sqlite:" + db_dir.path() + "/history.db";
  // Scan 1: the demo estate. Scan 2: the same estate with web:12's sidecar fixed.
  std::filesystem::copy(Estate(), estate.path() + "/estate",
                        std::filesystem::copy_options::recursive);
  std::string td = estate.path() + "/estate/prod/eu-west-1/describe-task-definition-web-12.json";
  ASSERT_TRUE(std::filesystem::exists(td));
  CliResult first =
      RunCli({"scan", "snapshot", estate.path() + "/estate", "--db", db, "-f", "json"});
  ASSERT_EQ(first.exit_code, 2) << first.err;
  // The database is closed, and its log checkpointed, before the process ends (the close runs
  // beside the report's writing, cli::Io::background): the file alone holds the scan, as a CI
  // job that keeps only history.db between runs needs.
  EXPECT_FALSE(std::filesystem::exists(db_dir.path() + "/history.db-wal"));
  TempDir copy;
  std::filesystem::copy_file(db_dir.path() + "/history.db", copy.path() + "/history.db");
  CliResult copied = RunCli(
      {"history", "list", "--db", "sqlite:" + copy.path() + "/history.db", "--format", "json"});
  ASSERT_EQ(copied.exit_code, 0) << copied.err;
  EXPECT_EQ(json::parse(copied.out).size(), 1u) << copied.out;
  std::string text = ReadFileOrDie(td);
  size_t pos = text.find("\"user\": \"0\"");
  ASSERT_NE(pos, std::string::npos);
  text.replace(pos, 11, "\"user\": \"1000\"");
  std::ofstream(td, std::ios::binary | std::ios::trunc) << text;
  CliResult second =
      RunCli({"scan", "snapshot", estate.path() + "/estate", "--db", db, "-f", "json"});
  ASSERT_EQ(second.exit_code, 2) << second.err;

  CliResult list = RunCli({"history", "list", "--db", db, "--format", "json"});
  EXPECT_EQ(list.exit_code, 0) << list.err;
  EXPECT_EQ(json::parse(list.out).size(), 2u) << list.out;
  CliResult diff = RunCli({"history", "diff", "--db", db, "--format", "json"});
  ASSERT_EQ(diff.exit_code, 0) << diff.err;
  json d = json::parse(diff.out);
  std::string dump = d.dump();
  ASSERT_TRUE(d.contains("resolved")) << dump;
  ASSERT_EQ(d["resolved"].size(), 1u) << dump;
  EXPECT_NE(d["resolved"][0].dump().find("web:12"), std::string::npos) << dump;
  EXPECT_EQ(d["newFailures"].size(), 0u) << dump;
  EXPECT_EQ(d["stillFailing"].size(), 15u) << dump;
}

}  // namespace
}  // namespace ecsguard::testing
