// End-to-end: `--framework` selects a framework's controls (off by default or not) and the
// report groups by requirement; `frameworks list|show` name what the catalog lacks.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "cli_runner.h"
#include "support.h"

namespace ecsguard::testing {
namespace {

using nlohmann::json;

// A privileged container in host mode with a read-only root filesystem: ECS.4 and ECS.17 fail,
// ECS.5 and ECS.3 pass.
constexpr char kTemplate[] = R"({
  "Resources": {
    "Agent": {
      "Type": "AWS::ECS::TaskDefinition",
      "Properties": {
        "NetworkMode": "host",
        "ContainerDefinitions": [{"Name": "agent", "Image": "agent:1", "Privileged": true,
                                  "User": "1000", "ReadonlyRootFilesystem": true}]
      }
    }
  }
})";

TEST(FrameworkE2eTest, ScanRunsTheFrameworksControlsAndGroupsByRequirement) {
  TempDir dir;
  std::string td = dir.Write("td.json", kTemplate);
  CliResult r = RunCli({"scan", "iac", td, "--framework", "fsbp", "-f", "json", "--no-history"});
  ASSERT_EQ(r.exit_code, 1) << r.err;
  json scan = json::parse(r.out);
  std::set<std::string> controls = scan["scan"]["controls"];
  // Every mapped control the catalog has, though all are off by default.
  for (const char* id : {"aws-securityhub-ecs-1", "aws-securityhub-ecs-3", "aws-securityhub-ecs-4",
                         "aws-securityhub-ecs-5", "aws-securityhub-ecs-17"}) {
    EXPECT_TRUE(controls.count(id)) << id;
  }
  EXPECT_FALSE(controls.count("aws-ecs-1-privileged-network-mode"));
  EXPECT_EQ(scan["scan"]["framework"]["id"], "fsbp");
  std::map<std::string, std::string> status;
  for (const json& f : scan["findings"]) status[f["controlId"]] = f["status"];
  EXPECT_EQ(status["aws-securityhub-ecs-4"], "FAIL");
  EXPECT_EQ(status["aws-securityhub-ecs-17"], "FAIL");
  EXPECT_EQ(status["aws-securityhub-ecs-5"], "PASS");

  // The saved scan re-renders grouped: ECS.4 fails, ECS.5 passes, ECS.2 has no control yet or
  // passes once it exists (this template has no service).
  std::string saved = dir.Write("scan.json", r.out);
  CliResult md = RunCli({"report", saved, "-f", "markdown"});
  ASSERT_EQ(md.exit_code, 0) << md.err;
  EXPECT_NE(md.out.find("### AWS Foundational Security Best Practices 1.0.0 requirements"),
            std::string::npos)
      << md.out;
  EXPECT_NE(md.out.find("| `ECS.4` | FAIL | 1 | 0 | 0 | 0 | `aws-securityhub-ecs-4` |"),
            std::string::npos)
      << md.out;
  EXPECT_NE(md.out.find("| `ECS.5` | PASS | 0 | 1 | 0 | 0 | `aws-securityhub-ecs-5` |"),
            std::string::npos)
      << md.out;
}

TEST(FrameworkE2eTest, UsageErrors) {
  TempDir dir;
  std::string td = dir.Write("td.json", kTemplate);
  CliResult both =
      RunCli({"scan", "iac", td, "--framework", "fsbp", "--control", "ECS.4", "--no-history"});
  EXPECT_EQ(both.exit_code, 3);
  EXPECT_NE(both.err.find("--framework and --control cannot be used together"), std::string::npos);
  CliResult unknown = RunCli({"scan", "iac", td, "--framework", "cis", "--no-history"});
  EXPECT_EQ(unknown.exit_code, 3);
  EXPECT_NE(unknown.err.find("unknown framework \"cis\" (known: fsbp)"), std::string::npos)
      << unknown.err;
  // A framework file of one's own; an error in it names the file and line.
  std::string bad = dir.Write("mine.yaml", "id: mine\nname: Mine\nrequirements:\n  - id: A\n");
  CliResult broken = RunCli({"scan", "iac", td, "--framework", bad, "--no-history"});
  EXPECT_EQ(broken.exit_code, 3);
  EXPECT_NE(broken.err.find("mine.yaml:4:"), std::string::npos) << broken.err;
  std::string mine = dir.Write(
      "mine2.yaml",
      "id: mine\nname: Mine\nrequirements:\n  - {id: A, title: t, controls: [aws-ecs-1-strict, "
      "not-yet]}\n");
  CliResult warned = RunCli({"scan", "iac", td, "--framework", mine, "-f", "csv", "--no-history"});
  EXPECT_EQ(warned.exit_code, 1) << warned.err;
  EXPECT_NE(warned.err.find("framework mine names controls the catalog does not have, so their "
                            "requirements are reported NOT_COVERED: not-yet (A)"),
            std::string::npos)
      << warned.err;
  EXPECT_NE(warned.out.find(",mine,A\r\n"), std::string::npos) << warned.out;
}

TEST(FrameworkE2eTest, ListAndShow) {
  CliResult list = RunCli({"frameworks", "list"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find("fsbp"), std::string::npos);
  EXPECT_NE(list.out.find("AWS Foundational Security Best Practices"), std::string::npos);
  CliResult show = RunCli({"frameworks", "show", "fsbp"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_NE(show.out.find("ECS.4  ECS containers should run as non-privileged\n"
                          "    aws-securityhub-ecs-4  high, scope latest-active, off by default\n"),
            std::string::npos)
      << show.out;
}

}  // namespace
}  // namespace ecsguard::testing
