#include "remediate/cfn_guard.h"

#include <gtest/gtest.h>

namespace ecsguard::remediate {
namespace {

controls::Control Control(std::string id, std::string iac_query) {
  controls::Control c;
  c.id = std::move(id);
  c.title = "title of " + c.id;
  c.subjects = {"ECSTaskDefinition"};
  c.iac = controls::Check{.name = "iac", .query = std::move(iac_query)};
  return c;
}

TEST(CfnGuardTest, TranslatesAFilterIntoOneRule) {
  controls::Control c =
      Control("aws-securityhub-ecs-1",
              R"({ ecsTaskDefinitions(where: { networkMode: "host", containerSpecs_SOME: {
             AND: [{ OR: [{ privileged: false }, { privileged: null }] },
                   { OR: [{ user: "root" }, { user_STARTS_WITH: "0" }] }] } }) { id } })");
  GuardRules rules = CfnGuardRules({&c});
  ASSERT_EQ(rules.rules.size(), 1u);
  EXPECT_EQ(rules.rules[0].name, "AWS_SECURITYHUB_ECS_1");
  EXPECT_TRUE(rules.skipped.empty());
  EXPECT_NE(rules.text.find("rule AWS_SECURITYHUB_ECS_1 when %ecsguard_aws_securityhub_ecs_1 "
                            "!empty {\n"
                            "  let violations = %ecsguard_aws_securityhub_ecs_1[\n"
                            "    Properties.NetworkMode == \"host\"\n"
                            "    Properties.ContainerDefinitions[\n"
                            "      Privileged == false or Privileged == /^(?i)(?:false)$/ or "
                            "Privileged not exists\n"
                            "      User == \"root\" or User == /^0/\n"
                            "    ] !empty\n"
                            "  ]\n"
                            "  %violations empty\n"),
            std::string::npos)
      << rules.text;
  EXPECT_NE(rules.text.find("Metadata.guard.SuppressedRules.* != \"AWS_SECURITYHUB_ECS_1\""),
            std::string::npos);
}

TEST(CfnGuardTest, OperatorsBecomeGuardClauses) {
  controls::Control c = Control("x", R"({ ecsTaskDefinitions(where: {
      pidMode_NOT: "task", ipcMode_IN: ["host", "0"], family_CONTAINS: "a.b/c",
      containerSpecs_SOME: { user_MATCHES: "a/b", image_ENDS_WITH: ".io" } }) { id } })");
  GuardRules rules = CfnGuardRules({&c});
  ASSERT_EQ(rules.rules.size(), 1u) << (rules.skipped.empty() ? "" : rules.skipped[0].reason);
  for (const char* clause :
       {"    Properties.PidMode exists\n", "    Properties.PidMode != \"task\"\n",
        "    Properties.IpcMode == \"host\" or Properties.IpcMode == \"0\" or "
        "Properties.IpcMode == 0\n",
        "    Properties.Family == /a\\.b\\/c/\n", "      User == /^(?:a\\/b)$/\n",
        "      Image == /\\.io$/\n"}) {
    EXPECT_NE(rules.text.find(clause), std::string::npos) << clause << rules.text;
  }
}

// What the translation does not cover is skipped with the reason, never approximated; controls
// on other assets or without an iac check have nothing to translate.
TEST(CfnGuardTest, SkipsWhatItCannotTranslate) {
  controls::Control negated = Control(
      "negated", R"({ ecsTaskDefinitions(where: { NOT: { networkMode: "host" } }) { id } })");
  controls::Control all = Control(
      "all",
      R"({ ecsTaskDefinitions(where: { containerSpecs_ALL: { privileged: true } }) { id } })");
  controls::Control unmapped =
      Control("unmapped", R"({ ecsTaskDefinitions(where: { revision: 3 }) { id } })");
  controls::Control nested_and = Control("nested-and", R"({ ecsTaskDefinitions(where: {
      OR: [{ networkMode: "host", pidMode: "host" }, { ipcMode: "host" }] }) { id } })");
  controls::Control variable =
      Control("variable",
              R"(query ($m: String) { ecsTaskDefinitions(where: { networkMode: $m }) { id } })");
  controls::Control services = Control("services", R"({ ecsServices { id } })");
  controls::Control no_iac = Control("no-iac", "");
  no_iac.iac.reset();
  GuardRules rules =
      CfnGuardRules({&negated, &all, &unmapped, &nested_and, &variable, &services, &no_iac});
  EXPECT_TRUE(rules.rules.empty());
  ASSERT_EQ(rules.skipped.size(), 5u);
  EXPECT_EQ(rules.skipped[0].reason, "cannot translate NOT");
  EXPECT_EQ(rules.skipped[1].reason,
            "cannot translate containerSpecs_ALL (only _SOME is translated)");
  EXPECT_EQ(rules.skipped[2].reason,
            "cannot translate field revision has no CloudFormation property");
  EXPECT_EQ(rules.skipped[3].reason,
            "cannot translate OR of an alternative with several conditions");
  EXPECT_NE(rules.skipped[4].reason.find("$m is a variable"), std::string::npos);
}

TEST(CfnGuardTest, RuleNames) {
  EXPECT_EQ(GuardRuleName("aws-securityhub-ecs-4"), "AWS_SECURITYHUB_ECS_4");
  EXPECT_EQ(GuardRuleName("ecs.1-strict"), "ECS_1_STRICT");
  EXPECT_EQ(GuardRuleName("1st"), "ECSGUARD_1ST");
}

}  // namespace
}  // namespace ecsguard::remediate
