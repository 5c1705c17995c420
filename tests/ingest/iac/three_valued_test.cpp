// Three-valued verdicts on IaC (issue 10, item 5): a task definition with unknown values is read
// into the graph with those values marked unknown, and each control decides it whenever the
// unknowns cannot change its verdict. The reproducers are in cfn/three_valued (checked by
// cfn-lint) and tf/three_valued, one per case, each the same case in CloudFormation and Terraform.

#include <gtest/gtest.h>

#include <string>

#include "iac_test_util.h"
#include "verdicts_test_util.h"

namespace ecsguard::ingest {
namespace {

using testing::kSecurityHub;
using testing::kSeed;
using testing::kStrict;
using testing::VerdictsTest;

// Terraform dynamic blocks (issue 10 item 7) decide the controls that read nested blocks:
// ECS.18 fails the task definition whose expanded EFS volume is not encrypted in transit,
// passes the one whose dynamic block makes no volume, and cannot decide the one whose
// for_each is unknown; ECS.21 reads the operating system family from a dynamic block.
TEST_F(VerdictsTest, DynamicBlocksDecideTheControlsThatReadThem) {
  auto v = Scan("tf/dynamic", /*gaps_expected=*/false);
  const std::string td = "tf/dynamic/main.tf#aws_ecs_task_definition.";
  EXPECT_EQ(v["aws-securityhub-ecs-18"][td + "expanded"].verdict, "FAIL");
  EXPECT_EQ(v["aws-securityhub-ecs-18"][td + "none"].verdict, "PASS");
  EXPECT_EQ(v["aws-securityhub-ecs-18"][td + "unknown"].verdict, "NOT_EVALUATED");
  EXPECT_NE(v["aws-securityhub-ecs-18"][td + "unknown"].reason.find("for_each is unknown"),
            std::string::npos)
      << v["aws-securityhub-ecs-18"][td + "unknown"].reason;
  // A Windows container with a non-administrator user: ECS.21 passes, ECS.20 does not apply.
  EXPECT_EQ(v["aws-securityhub-ecs-21"][td + "expanded"].verdict, "PASS");
  EXPECT_EQ(v["aws-securityhub-ecs-20"].count(td + "expanded"), 0u);
}

TEST_F(VerdictsTest, KnownNonHostModePassesWhateverTheUnknownUser) {
  for (const auto& [file, id] : {
           std::pair{"cfn/three_valued/bridge-unknown-user.yaml",
                     "cfn/three_valued/bridge-unknown-user.yaml#AgentTask"},
           std::pair{"tf/three_valued/bridge-unknown-user",
                     "tf/three_valued/bridge-unknown-user/main.tf#aws_ecs_task_definition.agent"},
       }) {
    SCOPED_TRACE(file);
    auto verdicts = Scan(file);
    for (const char* control : {kSeed, kStrict, kSecurityHub}) {
      EXPECT_EQ(verdicts[control][id].verdict, "PASS") << control;
    }
    // The unknown is in the graph, with its reason.
    IacResult r = testing::LoadData(file);
    EXPECT_EQ(testing::Str(r.graph, std::string(id) + "#web", "user@unknown"),
              std::string(file).ends_with(".yaml")
                  ? "User of container 'web' is !Ref AgentUser, a parameter with no default"
                  : "user of container 'web' is unknown (var.agent_user has no default)");
  }
}

TEST_F(VerdictsTest, PrivilegedContainerInHostModeFailsWhateverTheUnknownUser) {
  for (const auto& [file, id] : {
           std::pair{"cfn/three_valued/host-privileged-unknown-user.yaml",
                     "cfn/three_valued/host-privileged-unknown-user.yaml#AgentTask"},
           std::pair{"tf/three_valued/host-privileged-unknown-user",
                     "tf/three_valued/host-privileged-unknown-user/"
                     "main.tf#aws_ecs_task_definition.agent"},
       }) {
    SCOPED_TRACE(file);
    auto verdicts = Scan(file);
    EXPECT_EQ(verdicts[kSeed][id].verdict, "FAIL");
    EXPECT_EQ(verdicts[kStrict][id].verdict, "FAIL");
    // Security Hub's ECS.1 flags non-privileged root containers only: a privileged one is not.
    EXPECT_EQ(verdicts[kSecurityHub][id].verdict, "PASS");
  }
}

TEST_F(VerdictsTest, UnknownNetworkModeWithAPrivilegedContainerNamesTheNetworkMode) {
  for (const auto& [file, id, reason] : {
           std::tuple{"cfn/three_valued/unknown-mode-privileged.yaml",
                      "cfn/three_valued/unknown-mode-privileged.yaml#AgentTask",
                      "NetworkMode is !Ref Mode, a parameter with no default"},
           std::tuple{
               "tf/three_valued/unknown-mode-privileged",
               "tf/three_valued/unknown-mode-privileged/main.tf#aws_ecs_task_definition.agent",
               "network_mode is unknown (var.mode has no default)"},
       }) {
    SCOPED_TRACE(file);
    auto verdicts = Scan(file);
    for (const char* control : {kSeed, kStrict}) {
      EXPECT_EQ(verdicts[control][id].verdict, "NOT_EVALUATED") << control;
      EXPECT_EQ(verdicts[control][id].reason, reason) << control;
    }
    EXPECT_EQ(verdicts[kSecurityHub][id].verdict, "PASS");
  }
}

TEST_F(VerdictsTest, UnknownContainerListDecidesOnlyOutsideHostMode) {
  for (const auto& [file, bridge, host, reason] : {
           std::tuple{"cfn/three_valued/unknown-container-list.yaml",
                      "cfn/three_valued/unknown-container-list.yaml#BridgeTask",
                      "cfn/three_valued/unknown-container-list.yaml#HostTask",
                      "the container list depends on !Ref Debug, a parameter with no default"},
           std::tuple{
               "tf/three_valued/unknown-container-list",
               "tf/three_valued/unknown-container-list/main.tf#aws_ecs_task_definition.bridge",
               "tf/three_valued/unknown-container-list/main.tf#aws_ecs_task_definition.host",
               "container_definitions is unknown (var.containers has no default)"},
       }) {
    SCOPED_TRACE(file);
    auto verdicts = Scan(file);
    for (const char* control : {kSeed, kStrict, kSecurityHub}) {
      EXPECT_EQ(verdicts[control][bridge].verdict, "PASS") << control;
      EXPECT_EQ(verdicts[control][host].verdict, "NOT_EVALUATED") << control;
      EXPECT_EQ(verdicts[control][host].reason, reason) << control;
    }
  }
}

}  // namespace
}  // namespace ecsguard::ingest
