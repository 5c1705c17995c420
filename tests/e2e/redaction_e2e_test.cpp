// End-to-end: one planted environment value, run through every output the tool has, appears in
// none of them. The estate is the demo estate with every environment value replaced by the
// planted one, scanned with the bundled controls plus one that reads environment entries (so
// findings carry envEntries evidence); the IaC files set it in CloudFormation and Terraform.
// Each output is checked byte for byte: stdout, stderr, every file written (reports, the
// history database with its WAL, remediation plans and scripts). The only files allowed to
// hold it are remediation's register inputs, which must (they become the new revision) and
// are written 0600.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "cli_runner.h"
#include "support.h"

namespace ecsguard::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::ordered_json;

constexpr char kPlanted[] = "pl4nted-Secr3t-7f1c9a";

const std::vector<std::string> kFormats = {"table", "json", "sarif", "junit",   "csv",
                                           "html",  "ocsf", "asff",  "markdown"};

std::string AllFormats() {
  std::string out;
  for (const std::string& f : kFormats) out += (out.empty() ? "" : ",") + f;
  return out;
}

// A control that flags a host-mode definition with a container whose environment holds the
// planted value: the check compares the @sensitive field (the catalog may), so the finding's
// evidence names the entry and the value the filter read.
constexpr char kEnvControl[] = R"(id: test-planted-env
title: Host-mode task definitions with the planted environment value
severity: high
provider: aws
subjects: [ECSTaskDefinition]
aliases: []
overview: Reads environment values, so that its evidence carries them.
remediation:
  console: Remove the value.
checks:
  - name: planted value
    comparator: eq
    expected: "[]"
    query: |-
      { ecsTaskDefinitions(where: { networkMode: "host", task_NOT: null,
          containerSpecs_SOME: { envEntries_SOME: { value_CONTAINS: "pl4nted" } } }) { ...AssetFragment } }
iac:
  name: planted value
  comparator: eq
  expected: "[]"
  query: |-
    { ecsTaskDefinitions(where: { networkMode: "host",
        containerSpecs_SOME: { envEntries_SOME: { value_CONTAINS: "pl4nted" } } }) { ...AssetFragment } }
)";

constexpr char kCloudFormation[] = R"(AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: planted
      NetworkMode: host
      ContainerDefinitions:
        - Name: app
          Image: nginx
          Privileged: true
          Environment:
            - Name: PLANTED_KEY
              Value: pl4nted-Secr3t-7f1c9a
)";

constexpr char kTerraform[] = R"(resource "aws_ecs_task_definition" "planted" {
  family       = "planted"
  network_mode = "host"
  container_definitions = jsonencode([{
    name       = "app"
    image      = "nginx"
    privileged = true
    environment = [{ name = "PLANTED_KEY", value = "pl4nted-Secr3t-7f1c9a" }]
  }])
}
)";

void PlantEnvironment(ordered_json& j) {
  if (j.is_array()) {
    for (ordered_json& x : j) PlantEnvironment(x);
  } else if (j.is_object()) {
    for (auto& [key, value] : j.items()) {
      if (key == "environment" && value.is_array()) {
        for (ordered_json& e : value) e["value"] = kPlanted;
      }
      PlantEnvironment(value);
    }
  }
}

void ExpectClean(const std::string& what, const std::string& bytes) {
  EXPECT_EQ(bytes.find(kPlanted), std::string::npos) << "planted value in " << what;
}

void ExpectClean(const std::string& what, const CliResult& r) {
  ExpectClean(what + " (stdout)", r.out);
  ExpectClean(what + " (stderr)", r.err);
}

// Every file under `dir`; returns how many were read.
int ExpectTreeClean(const std::string& dir, const std::set<std::string>& private_inputs = {}) {
  int files = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    ++files;
    std::string name = e.path().filename().string();
    if (private_inputs.count(name)) {
      EXPECT_EQ(fs::status(e.path()).permissions() & fs::perms::all,
                fs::perms::owner_read | fs::perms::owner_write)
          << e.path();
      continue;
    }
    ExpectClean(e.path().string(), ReadFileOrDie(e.path().string()));
  }
  return files;
}

class RedactionE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    int planted = 0;
    fs::path from = SourcePath("examples/estate");
    for (const auto& e : fs::recursive_directory_iterator(from)) {
      if (!e.is_regular_file()) continue;
      std::string text = ReadFileOrDie(e.path().string());
      if (e.path().extension() == ".json") {
        ordered_json doc = ordered_json::parse(text);
        PlantEnvironment(doc);
        text = doc.dump(2);
        if (text.find(kPlanted) != std::string::npos) ++planted;
      }
      dir_.Write("estate/" + fs::relative(e.path(), from).string(), text);
    }
    ASSERT_GE(planted, 3) << "the demo estate should have environment values to replace";
    for (const auto& e : fs::directory_iterator(SourcePath("controls"))) {
      dir_.Write("controls/" + e.path().filename().string(), ReadFileOrDie(e.path().string()));
    }
    dir_.Write("controls/test-planted-env.yaml", kEnvControl);
  }

  std::string Path(const std::string& name) const { return dir_.path() + "/" + name; }
  std::string Db() const { return "sqlite:" + Path("db/history.db"); }

  TempDir dir_;
};

TEST_F(RedactionE2eTest, SnapshotScanReportsHistoryAndQueries) {
  const std::string estate = Path("estate"), controls = Path("controls");
  // Every format into files, recorded twice in the history (so there is something to diff).
  for (int i = 0; i < 2; ++i) {
    CliResult r = RunCli({"scan", "snapshot", estate, "-f", AllFormats(), "-o", Path("out"),
                          "--controls-dir", controls, "--db", Db(), "--show-passed"});
    EXPECT_EQ(r.exit_code, 2) << r.err;  // the demo estate is incomplete by design
    ExpectClean("scan snapshot -o", r);
  }
  std::string report = ReadFileOrDie(Path("out/ecsguard.json"));
  // The evidence path is exercised: the finding names the entry, its value redacted.
  EXPECT_NE(report.find("envEntries"), std::string::npos) << "no envEntries evidence";
  EXPECT_NE(report.find("\"value\": \"<redacted>\""), std::string::npos);
  EXPECT_GE(ExpectTreeClean(Path("out")), static_cast<int>(kFormats.size()) - 1);
  EXPECT_GE(ExpectTreeClean(Path("db")), 1);

  for (const std::string& format : kFormats) {
    CliResult r = RunCli({"scan", "snapshot", estate, "-f", format, "--controls-dir", controls,
                          "--no-history", "--show-passed"});
    EXPECT_FALSE(r.out.empty()) << format;
    ExpectClean("scan snapshot -f " + format, r);
    CliResult rendered =
        RunCli({"report", Path("out/ecsguard.json"), "-f", format, "--controls-dir", controls});
    ExpectClean("report -f " + format, rendered);
  }
  CliResult rendered = RunCli({"report", Path("out/ecsguard.json"), "-f", AllFormats(), "-o",
                               Path("rendered"), "--controls-dir", controls});
  ExpectClean("report -o", rendered);
  EXPECT_GE(ExpectTreeClean(Path("rendered")), 1);

  for (std::string format : {"text", "json"}) {
    ExpectClean("history list", RunCli({"history", "list", "--db", Db(), "--format", format}));
    CliResult diff = RunCli({"history", "diff", "--db", Db(), "--format", format});
    ExpectClean("history diff", diff);
  }

  CliResult query = RunCli({"query", "--snapshot", estate,
                            "{ ecsTaskContainerSpecs { name envEntries { key value } } }"});
  EXPECT_EQ(query.exit_code, 2) << query.err;  // the demo estate is incomplete by design
  EXPECT_NE(query.out.find("<redacted>"), std::string::npos);
  ExpectClean("query", query);
}

TEST_F(RedactionE2eTest, RemediationPlansAndScripts) {
  const std::string estate = Path("estate");
  for (std::string format : {"commands", "json", "console", "markdown"}) {
    CliResult r = RunCli({"remediate", "--snapshot", estate, "-f", format});
    EXPECT_EQ(r.exit_code, 0) << format << r.err;
    ExpectClean("remediate -f " + format, r);
    CliResult to_dir =
        RunCli({"remediate", "--snapshot", estate, "-f", format, "-o", Path("plan-" + format)});
    EXPECT_EQ(to_dir.exit_code, 0) << format << to_dir.err;
    ExpectClean("remediate -o -f " + format, to_dir);
    // The register inputs carry the values by design (they become the new revisions).
    std::set<std::string> inputs;
    static const std::regex kInputName(R"(\d{12}-[a-z0-9-]+-.+-\d+\.json)");
    for (const auto& e : fs::directory_iterator(Path("plan-" + format))) {
      std::string name = e.path().filename().string();
      if (std::regex_match(name, kInputName)) inputs.insert(name);
    }
    EXPECT_FALSE(inputs.empty()) << format;
    EXPECT_GE(ExpectTreeClean(Path("plan-" + format), inputs), static_cast<int>(inputs.size()) + 1)
        << format;
  }
}

TEST_F(RedactionE2eTest, IacScans) {
  dir_.Write("iac/cfn/template.yaml", kCloudFormation);
  dir_.Write("iac/tf/main.tf", kTerraform);
  for (const std::string& path : {Path("iac/cfn/template.yaml"), Path("iac/tf")}) {
    CliResult r = RunCli({"scan", "iac", path, "-f", AllFormats(), "-o", Path("iac-out"),
                          "--controls-dir", Path("controls"), "--db", Db(), "--show-passed"});
    EXPECT_EQ(r.exit_code, 1) << path << r.err;
    ExpectClean("scan iac " + path, r);
    std::string report = ReadFileOrDie(Path("iac-out/ecsguard.json"));
    EXPECT_NE(report.find("test-planted-env"), std::string::npos) << path;
    EXPECT_NE(report.find("\"value\": \"<redacted>\""), std::string::npos) << path;
    EXPECT_GE(ExpectTreeClean(Path("iac-out")), 1);
    for (const std::string& format : kFormats) {
      CliResult one = RunCli({"scan", "iac", path, "-f", format, "--controls-dir", Path("controls"),
                              "--no-history", "--show-passed"});
      ExpectClean("scan iac -f " + format + " " + path, one);
    }
  }
  EXPECT_GE(ExpectTreeClean(Path("db")), 1);
}

}  // namespace
}  // namespace ecsguard::testing
