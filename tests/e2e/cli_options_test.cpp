// End-to-end: how the command line, the --config file, the control catalog and the exceptions
// file combine. The command line always wins; a broken or empty input is an error, never a
// silent exit 0; an exception that would mute an estate is not applied unless it says so.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli_runner.h"
#include "support.h"

namespace ecsguard::testing {
namespace {

using nlohmann::json;

// One high-severity failure and nothing incomplete: exit 1 at --fail-on high, 0 at critical.
constexpr char kFailingTemplate[] = R"({
  "Resources": {
    "Agent": {
      "Type": "AWS::ECS::TaskDefinition",
      "Properties": {
        "NetworkMode": "host",
        "ContainerDefinitions": [{"Name": "agent", "Image": "agent:1", "Privileged": true}]
      }
    }
  }
})";

class CliOptionsTest : public ::testing::Test {
 protected:
  std::string Template() { return dir_.Write("td.json", kFailingTemplate); }
  std::string Config(const std::string& text) { return dir_.Write("ecsguard.yaml", text); }
  CliResult Scan(std::vector<std::string> extra) {
    std::vector<std::string> args = {"scan", "iac", Template(), "-f", "json", "--no-history"};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunCli(args);
  }
  TempDir dir_;
};

TEST_F(CliOptionsTest, TheCommandLineBeatsTheConfigFile) {
  std::string critical = Config("fail_on: critical\n");
  EXPECT_EQ(Scan({"--config", critical}).exit_code, 0);
  // The reproducer: an explicit --fail-on high used to lose to the config's critical.
  EXPECT_EQ(Scan({"--config", critical, "--fail-on", "high"}).exit_code, 1);
  std::string low = Config("fail_on: low\n");
  EXPECT_EQ(Scan({"--config", low, "--fail-on", "critical"}).exit_code, 0);
  EXPECT_EQ(Scan({}).exit_code, 1);  // the default is high
}

TEST_F(CliOptionsTest, BrokenConfigFilesAreErrors) {
  struct Case {
    std::string text, message;
  } cases[] = {
      {"fail_on: high\nfail_on: low\n", "duplicate key \"fail_on\""},
      {"no_history: yes\n", "\"no_history\" must be true or false"},
      {"fail_on: urgent\n", "unknown severity \"urgent\""},
      {"colour: never\n", "unknown config key \"colour\""},
  };
  for (const Case& c : cases) {
    CliResult r = Scan({"--config", Config(c.text)});
    EXPECT_EQ(r.exit_code, 3) << c.text;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("ecsguard.yaml:"), std::string::npos) << r.err;
  }
}

TEST_F(CliOptionsTest, AnEmptyControlsDirectoryIsAnError) {
  TempDir empty;
  CliResult r = Scan({"--controls-dir", empty.path()});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("no controls in"), std::string::npos) << r.err;
}

TEST_F(CliOptionsTest, SoftFailExitsZeroOnFailuresOfAnySeverity) {
  CliResult r = Scan({"--soft-fail"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["summary"]["FAIL"], 2);
  EXPECT_EQ(Scan({"--soft-fail", "--fail-on", "low"}).exit_code, 0);
}

// The reproducer: `arnPattern: "arn:*"` expiring 2099 muted every finding, silently.
TEST(ExceptionsCliTest, AWildcardExceptionIsRefusedUnlessMarkedBroad) {
  TempDir dir;
  std::string entry = R"(exceptions:
  - id: everything
    control: aws-ecs-1-privileged-network-mode
    scope: {arnPattern: "arn:*"}
    reason: quiet please
    owner: someone@example.com
    expires: 2099-01-01
)";
  std::string wildcard = dir.Write("wildcard.yaml", entry);
  CliResult validate = RunCli({"exceptions", "validate", wildcard});
  EXPECT_EQ(validate.exit_code, 3);
  EXPECT_NE(validate.err.find("names nothing narrower than an account"), std::string::npos)
      << validate.err;

  CliResult scan = RunCli({"scan", "snapshot", SourcePath("examples/estate"), "-f", "json",
                           "--no-history", "--exceptions", wildcard});
  json report = json::parse(scan.out);
  EXPECT_EQ(report["summary"]["EXCEPTED"], 0);
  EXPECT_GT(report["summary"]["FAIL"], 0);
  EXPECT_NE(report.dump().find("was not applied"), std::string::npos);

  std::string broad = dir.Write("broad.yaml", entry + "    broad: true\n");
  validate = RunCli({"exceptions", "validate", broad});
  EXPECT_EQ(validate.exit_code, 0) << validate.err;
  EXPECT_NE(validate.err.find("is marked broad"), std::string::npos) << validate.err;
  scan = RunCli({"scan", "snapshot", SourcePath("examples/estate"), "-f", "json", "--no-history",
                 "--exceptions", broad});
  report = json::parse(scan.out);
  EXPECT_GT(report["summary"]["EXCEPTED"], 0);
  EXPECT_NE(report.dump().find("is marked broad"), std::string::npos);
  CliResult list = RunCli({"exceptions", "list", broad});
  EXPECT_NE(list.out.find("BROAD arnPattern=arn:*"), std::string::npos) << list.out;
}

}  // namespace
}  // namespace ecsguard::testing
