// Plans: which revisions, in which order and batches, with which steps; and how they render.

#include "remediate/plan.h"

#include <gtest/gtest.h>

#include <functional>
#include <map>

#include "base/strings.h"
#include "fixtures.h"
#include "remediate/render.h"

namespace ecsguard::remediate {
namespace {

using nlohmann::ordered_json;
using posture::Priority;
using testing::MakeFinding;

std::string ArnOf(const std::string& account, const std::string& region, const std::string& family,
                  int revision) {
  return "arn:aws:ecs:" + region + ":" + account + ":task-definition/" + family + ":" +
         std::to_string(revision);
}

// Serves the fixture document under any ARN it is asked for, except the ones listed missing;
// `edit` changes the "taskDefinition" of the ARNs it names.
class FakeSource final : public RevisionSource {
 public:
  std::vector<std::string> missing;
  std::vector<std::string> asked;
  std::map<std::string, std::function<void(ordered_json&)>> edit;
  Result<RevisionDocument> Get(std::string_view arn) override {
    asked.emplace_back(arn);
    if (std::find(missing.begin(), missing.end(), arn) != missing.end()) {
      return Error(ErrorCode::kNotFound, std::string(arn) + ": not in the snapshot");
    }
    ordered_json doc = ordered_json::parse(testing::kDescribe);
    std::string name = std::string(arn.substr(arn.rfind('/') + 1));
    doc["taskDefinition"]["taskDefinitionArn"] = std::string(arn);
    doc["taskDefinition"]["family"] = name.substr(0, name.rfind(':'));
    doc["taskDefinition"]["revision"] = std::stoi(name.substr(name.rfind(':') + 1));
    if (auto e = edit.find(std::string(arn)); e != edit.end()) e->second(doc["taskDefinition"]);
    return *ParseDescribeTaskDefinition(doc.dump());
  }
};

std::string Service(const std::string& arn_of_td, const std::string& cluster,
                    const std::string& name) {
  std::string region = arn_of_td.substr(12, arn_of_td.find(':', 12) - 12);
  std::string rest = arn_of_td.substr(arn_of_td.find(':', 12) + 1);
  std::string account = rest.substr(0, rest.find(':'));
  return "arn:aws:ecs:" + region + ":" + account + ":service/" + cluster + "/" + name;
}

TEST(BuildPlan, OneRevisionPerArnAllControlsStepsPerService) {
  std::string arn = ArnOf("111122223333", "eu-west-1", "web", 12);
  std::vector<posture::Finding> findings = {
      MakeFinding("a", "aws-ecs-1-privileged-network-mode", arn, Priority::kP2, {"app"},
                  {Service(arn, "prod", "web"), Service(arn, "prod", "web-canary")}),
      MakeFinding("b", "aws-ecs-1-strict", arn, Priority::kP1, {"sidecar"},
                  {Service(arn, "prod", "web")}),
  };
  FakeSource source;
  Result<Plan> plan = BuildPlan(findings, {}, source, {});
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->batches.size(), 1u);
  ASSERT_EQ(plan->batches[0].revisions.size(), 1u);
  const RevisionPlan& r = plan->batches[0].revisions[0];
  EXPECT_EQ(source.asked, std::vector<std::string>{arn}) << "one document per revision";
  EXPECT_EQ(r.priority, Priority::kP1) << "the most urgent finding decides";
  EXPECT_EQ(r.finding_ids, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(r.controls,
            (std::vector<std::string>{"aws-ecs-1-privileged-network-mode", "aws-ecs-1-strict"}));
  EXPECT_EQ(r.input_file, "111122223333-eu-west-1-web-12.json");
  std::vector<std::string> steps;
  for (const Step& s : r.steps) {
    steps.push_back(std::string(StepKindName(s.kind)) + " " + s.cluster + "/" + s.service + " " +
                    s.task_definition);
  }
  EXPECT_EQ(steps, (std::vector<std::string>{
                       "register / web",
                       "update-service prod/web web",
                       "wait-stable prod/web web",
                       "update-service prod/web-canary web",
                       "wait-stable prod/web-canary web",
                       "deregister / " + arn,
                   }));
  EXPECT_TRUE(plan->complete());
  EXPECT_EQ(plan->selected_findings, 2u);
}

// Findings no new revision fixes (issue 11): a service's public IP (ECS.2), an environment secret
// (ECS.8). They are skipped, not problems: the plan is complete, and the reason says where the
// steps are. ECS.20 on the same revision as ECS.8 is still fixed.
TEST(BuildPlan, FindingsWithoutAFieldFixAreLeftToTheControlsSteps) {
  std::string arn = ArnOf("111122223333", "eu-west-1", "web", 12);
  std::vector<posture::Finding> findings = {
      MakeFinding("s", "aws-securityhub-ecs-2", arn, Priority::kP2),
      MakeFinding("e", "aws-securityhub-ecs-8", arn, Priority::kP2, {"app"}),
      MakeFinding("u", "aws-securityhub-ecs-20", arn, Priority::kP3, {"plain"}),
  };
  findings[0].resource.type = "ECSService";
  findings[0].resource.arn = findings[0].resource.id = Service(arn, "prod", "web");
  FakeSource source;
  Result<Plan> plan = BuildPlan(findings, {}, source, {});
  ASSERT_TRUE(plan.ok());
  EXPECT_TRUE(plan->complete());
  ASSERT_EQ(plan->skipped.size(), 2u);
  EXPECT_EQ(plan->skipped[0].reason,
            "not a task definition: no new revision fixes this; follow the steps of `ecsguard "
            "controls show aws-securityhub-ecs-2`");
  EXPECT_EQ(plan->skipped[1].reason,
            "the fix is not a field change: no new revision fixes this; follow the steps of "
            "`ecsguard controls show aws-securityhub-ecs-8`");
  ASSERT_EQ(plan->revision_count(), 1u);
  EXPECT_EQ(plan->batches[0].revisions[0].finding_ids, std::vector<std::string>{"u"});
}

TEST(BuildPlan, OrderedByPriorityThenAccountRegionFamilyInBatches) {
  std::vector<posture::Finding> findings = {
      MakeFinding("1", "c", ArnOf("222222222222", "eu-west-1", "zeta", 1), Priority::kP3),
      MakeFinding("2", "c", ArnOf("111111111111", "us-east-1", "alpha", 1), Priority::kP1),
      MakeFinding("3", "c", ArnOf("111111111111", "eu-west-1", "beta", 2), Priority::kP1),
      MakeFinding("4", "c", ArnOf("111111111111", "eu-west-1", "alpha", 7), Priority::kP4),
      MakeFinding("5", "c", ArnOf("111111111111", "eu-west-1", "alpha", 3), Priority::kP1),
  };
  FakeSource source;
  PlanOptions options;
  options.batch_size = 2;
  Result<Plan> plan = BuildPlan(findings, {}, source, options);
  ASSERT_TRUE(plan.ok());
  std::vector<std::string> order;
  for (const Batch& b : plan->batches) {
    for (const RevisionPlan& r : b.revisions) {
      order.push_back(std::to_string(b.number) + " " + r.finding_ids[0]);
    }
  }
  // alpha:7 (P4) follows alpha:3 (P1): were its fix registered first, the fix of the older
  // alpha:3 would become the family's newest revision.
  EXPECT_EQ(order, (std::vector<std::string>{"1 5", "1 4", "2 3", "2 2", "3 1"}));
  EXPECT_EQ(plan->revision_count(), 5u);
}

TEST(BuildPlan, Selection) {
  std::string a = ArnOf("111111111111", "eu-west-1", "web", 1);
  std::string b = ArnOf("222222222222", "eu-west-1", "api", 4);
  std::vector<posture::Finding> findings = {MakeFinding("fa", "c", a, Priority::kP1),
                                            MakeFinding("fb", "c", b, Priority::kP2)};
  auto selected = [&](const Selection& s) {
    FakeSource source;
    std::vector<std::string> ids;
    Result<Plan> plan = BuildPlan(findings, s, source, {});
    for (const Batch& batch : plan->batches) {
      for (const RevisionPlan& r : batch.revisions) ids.push_back(r.finding_ids[0]);
    }
    return ids;
  };
  EXPECT_EQ(selected({}), (std::vector<std::string>{"fa", "fb"}));
  EXPECT_EQ(selected({.finding_ids = {"fb"}}), std::vector<std::string>{"fb"});
  EXPECT_EQ(selected({.arns = {a}}), std::vector<std::string>{"fa"});
  EXPECT_EQ(selected({.families = {"api"}}), std::vector<std::string>{"fb"});
  EXPECT_EQ(selected({.accounts = {"111111111111"}}), std::vector<std::string>{"fa"});
  EXPECT_EQ(selected({.priorities = {Priority::kP2}}), std::vector<std::string>{"fb"});
  EXPECT_EQ(selected({.families = {"api"}, .priorities = {Priority::kP1}}),
            std::vector<std::string>{});
}

TEST(BuildPlan, SkipsWhatItCannotOrShouldNotFix) {
  std::string ok = ArnOf("111111111111", "eu-west-1", "web", 1);
  std::string missing = ArnOf("111111111111", "eu-west-1", "gone", 2);
  posture::Finding excepted =
      MakeFinding("ex", "c", ArnOf("1", "eu-west-1", "x", 1), Priority::kP1);
  excepted.status = posture::Status::kExcepted;
  excepted.exception = posture::AppliedException{"EX-1", "why", "team-a", "2030-01-01", ""};
  posture::Finding not_evaluated =
      MakeFinding("ne", "c", ArnOf("1", "eu-west-1", "y", 1), Priority::kP1);
  not_evaluated.status = posture::Status::kNotEvaluated;
  not_evaluated.reason = "access denied";
  posture::Finding iac;
  iac.id = "iac";
  iac.status = posture::Status::kFail;
  iac.resource.id = "infra/td.yaml#Web";
  posture::Finding pass = MakeFinding("pass", "c", ok, Priority::kP1);
  pass.status = posture::Status::kPass;
  std::vector<posture::Finding> findings = {MakeFinding("ok", "c", ok, Priority::kP1),
                                            MakeFinding("miss", "c", missing, Priority::kP1),
                                            excepted,
                                            not_evaluated,
                                            iac,
                                            pass};
  FakeSource source;
  source.missing = {missing};
  Result<Plan> plan = BuildPlan(findings, {}, source, {});
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->revision_count(), 1u);
  ASSERT_EQ(plan->skipped.size(), 4u);
  EXPECT_EQ(plan->skipped[0].finding_id, "ex");
  EXPECT_EQ(plan->skipped[0].reason, "excepted by EX-1 (owner team-a, expires 2030-01-01)");
  EXPECT_EQ(plan->skipped[1].reason, "not evaluated: access denied");
  EXPECT_EQ(plan->skipped[2].arn, "infra/td.yaml#Web");
  EXPECT_FALSE(plan->skipped[2].problem);
  EXPECT_EQ(plan->skipped[3].finding_id, "miss");
  EXPECT_TRUE(plan->skipped[3].problem);
  EXPECT_NE(plan->skipped[3].reason.find("not in the snapshot"), std::string::npos);
  EXPECT_FALSE(plan->complete());
  EXPECT_EQ(plan->selected_findings, 3u) << "ok, miss and the IaC failure";
}

TEST(BuildPlan, InactiveRevisionHasNoDeregisterStep) {
  class Inactive final : public RevisionSource {
   public:
    Result<RevisionDocument> Get(std::string_view) override {
      ordered_json doc = ordered_json::parse(testing::kDescribe);
      doc["taskDefinition"]["status"] = "INACTIVE";
      return *ParseDescribeTaskDefinition(doc.dump());
    }
  } source;
  std::vector<posture::Finding> findings = {MakeFinding(
      "a", "c", testing::kArn, Priority::kP1, {"app"}, {Service(testing::kArn, "prod", "web")})};
  Result<Plan> plan = BuildPlan(findings, {}, source, {});
  ASSERT_TRUE(plan.ok());
  const std::vector<Step>& steps = plan->batches[0].revisions[0].steps;
  ASSERT_EQ(steps.size(), 3u);
  EXPECT_EQ(steps.back().kind, StepKind::kWaitStable);
}

TEST(BuildPlan, ServiceMidDeploymentMovesOnceToTheNewestFix) {
  std::string old_rev = ArnOf("111111111111", "eu-west-1", "web", 11);
  std::string new_rev = ArnOf("111111111111", "eu-west-1", "web", 12);
  std::string svc = Service(new_rev, "prod", "web");
  std::vector<posture::Finding> findings = {
      MakeFinding("a", "c", old_rev, Priority::kP1, {"app"}, {svc}),
      MakeFinding("b", "c", new_rev, Priority::kP1, {"app"}, {svc})};
  FakeSource source;
  Result<Plan> plan = BuildPlan(findings, {}, source, {});
  ASSERT_TRUE(plan.ok());
  const RevisionPlan& r11 = plan->batches[0].revisions[0];
  const RevisionPlan& r12 = plan->batches[0].revisions[1];
  EXPECT_TRUE(r11.services.empty());
  EXPECT_EQ(r11.steps.size(), 2u) << "register and deregister only";
  EXPECT_EQ(r12.services.size(), 1u);
  EXPECT_NE(r11.fix.notes.back().find("also runs the newer web:12"), std::string::npos);
}

// A snapshot or a saved scan is anyone's text: a name AWS would not accept is refused, with the
// reason, and never reaches a command.
TEST(BuildPlan, RefusesNamesAwsWouldNotAccept) {
  std::string hostile_family =
      "arn:aws:ecs:eu-west-1:111122223333:task-definition/web\nrm -rf ~ #:1";
  std::string bad_container = ArnOf("111122223333", "eu-west-1", "api", 3);
  std::string bad_service = ArnOf("111122223333", "eu-west-1", "svc", 1);
  std::string other_family = ArnOf("111122223333", "eu-west-1", "db", 1);
  std::string bad_cluster = ArnOf("111122223333", "eu-west-1", "jobs", 1);
  std::string fine = ArnOf("111122223333", "eu-west-1", "fine", 1);
  posture::Finding f_bad_cluster = MakeFinding("e", "c", bad_cluster, Priority::kP1);
  f_bad_cluster.context.clusters = {"arn:aws:ecs:eu-west-1:111122223333:cluster/a;b"};
  std::vector<posture::Finding> findings = {
      MakeFinding("a", "c", hostile_family, Priority::kP1),
      MakeFinding("b", "c", bad_container, Priority::kP1),
      MakeFinding("c", "c", bad_service, Priority::kP1, {"app"},
                  {"arn:aws:ecs:eu-west-1:111122223333:service/prod/w$(id)"}),
      MakeFinding("d", "c", other_family, Priority::kP1),
      f_bad_cluster,
      MakeFinding("f", "c", fine, Priority::kP1)};
  FakeSource source;
  source.edit[bad_container] = [](ordered_json& td) {
    td["containerDefinitions"][1]["name"] = "\x1b]0;pwned\x07side";
  };
  source.edit[other_family] = [](ordered_json& td) { td["family"] = "other"; };
  Result<Plan> plan = BuildPlan(findings, {}, source, {});
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->revision_count(), 1u);
  EXPECT_EQ(plan->batches[0].revisions[0].arn, fine);
  EXPECT_FALSE(plan->complete());
  std::vector<std::string> reasons;
  for (const Skipped& s : plan->skipped) {
    EXPECT_TRUE(s.problem) << s.finding_id;
    reasons.push_back(s.finding_id + " " + s.reason);
  }
  EXPECT_EQ(
      reasons,
      (std::vector<std::string>{
          "a refused: \"arn:aws:ecs:eu-west-1:111122223333:task-definition/web rm -rf ~ #:1\": "
          "the family name is not 1 to 255 letters, digits, hyphens and underscores",
          "b refused: " + bad_container +
              ": container name \" ]0;pwned side\" is not 1 to 255 letters, digits, hyphens "
              "and underscores",
          "c refused: \"arn:aws:ecs:eu-west-1:111122223333:service/prod/w$(id)\": the service "
          "name is not 1 to 255 letters, digits, hyphens and underscores",
          "d refused: the document of " + other_family + " names another family",
          "e refused: \"arn:aws:ecs:eu-west-1:111122223333:cluster/a;b\": the cluster name is "
          "not 1 to 255 letters, digits, hyphens and underscores"}));
  EXPECT_EQ(std::count(source.asked.begin(), source.asked.end(), hostile_family), 0)
      << "an invalid ARN is not even looked up";
}

TEST(ServicesOf, NewAndOldArnFormats) {
  posture::Finding f = MakeFinding("a", "c", testing::kArn, Priority::kP1);
  f.context.services = {"arn:aws:ecs:eu-west-1:111122223333:service/prod/web",
                        "arn:aws:ecs:eu-west-1:111122223333:service/legacy"};
  f.context.clusters = {"arn:aws:ecs:eu-west-1:111122223333:cluster/prod"};
  Result<std::vector<ServiceRef>> services = ServicesOf(f);
  ASSERT_TRUE(services.ok());
  ASSERT_EQ(services->size(), 2u);
  EXPECT_EQ((*services)[0].cluster + "/" + (*services)[0].name, "prod/web");
  EXPECT_EQ((*services)[1].cluster + "/" + (*services)[1].name, "prod/legacy");
  f.context.clusters.push_back("arn:aws:ecs:eu-west-1:111122223333:cluster/other");
  services = ServicesOf(f);
  ASSERT_FALSE(services.ok());
  EXPECT_EQ(services.error().code(), ErrorCode::kNotFound);
}

TEST(BuildPlan, ZeroBatchSizeIsRejected) {
  FakeSource source;
  PlanOptions options;
  options.batch_size = 0;
  Result<Plan> plan = BuildPlan({}, {}, source, options);
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.error().code(), ErrorCode::kInvalidArgument);
}

class RenderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string arn = testing::kArn;
    findings_ = {MakeFinding("f1", "aws-ecs-1-strict", arn, Priority::kP1, {"app"},
                             {Service(arn, "prod", "web")}),
                 MakeFinding("f2", "aws-ecs-1-strict", ArnOf("111122223333", "us-east-1", "api", 3),
                             Priority::kP2)};
    PlanOptions options;
    options.batch_size = 1;
    plan_ = *BuildPlan(findings_, {}, source_, options);
  }
  FakeSource source_;
  std::vector<posture::Finding> findings_;
  Plan plan_;
};

TEST_F(RenderTest, EnvironmentValuesOnlyInTheInputFiles) {
  RenderContext context{"/plans/out", "prod", "http://127.0.0.1:5000"};
  for (const std::string& text : {RenderCommands(plan_, context), RenderPlanJson(plan_, context),
                                  RenderConsole(plan_), RenderMarkdown(plan_, context)}) {
    EXPECT_EQ(text.find(testing::kSecretValue), std::string::npos) << text;
    EXPECT_EQ(text.find("S3cr3t"), std::string::npos);
  }
  std::vector<InputFile> files = InputFiles(plan_);
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].name, "111122223333-eu-west-1-web-12.json");
  EXPECT_NE(files[0].text.find(testing::kSecretValue), std::string::npos);
}

TEST_F(RenderTest, CommandsRegisterUpdateWaitDeregisterAndRescanPerBatch) {
  std::string script = RenderCommands(plan_, {"/plans/out", "", ""});
  const char* expected[] = {
      "set -eu\n",
      "# === Batch 1 of 2 ===\n",
      "NEW_1=$(aws ecs register-task-definition --region eu-west-1 --cli-input-json "
      "file:///plans/out/111122223333-eu-west-1-web-12.json --query \"join(':', "
      "[taskDefinition.family, to_string(taskDefinition.revision)])\" --output text)\n",
      "aws ecs update-service --region eu-west-1 --cluster prod --service web --task-definition "
      "\"$NEW_1\" >/dev/null\n",
      "aws ecs wait services-stable --region eu-west-1 --cluster prod --services web\n",
      "aws ecs deregister-task-definition --region eu-west-1 --task-definition "
      "arn:aws:ecs:eu-west-1:111122223333:task-definition/web:12 >/dev/null\n",
      "mkdir -p /plans/out/rescan/batch-1\n",
      "aws ecs describe-services --region eu-west-1 --cluster prod --services web > "
      "/plans/out/rescan/batch-1/services-2.json\n",
      "ecsguard scan snapshot -f table /plans/out/rescan/batch-1 || true\n",
      "# === Batch 2 of 2 ===\n",
      "NEW_2=$(aws ecs register-task-definition --region us-east-1",
      "ecsguard scan snapshot -f table /plans/out/rescan/batch-2 || true\n",
  };
  size_t at = 0;
  for (const char* line : expected) {
    size_t found = script.find(line, at);
    ASSERT_NE(found, std::string::npos) << "missing, or out of order: " << line << "\n" << script;
    at = found;
  }
}

TEST_F(RenderTest, JsonPlanReferencesTheInputFileAndRedacts) {
  ordered_json doc = ordered_json::parse(RenderPlanJson(plan_, {"/plans/out", "", ""}));
  EXPECT_EQ(doc["kind"], "ecsguard-remediation-plan");
  EXPECT_EQ(doc["summary"]["revisions"], 2);
  const ordered_json& rev = doc["batches"][0]["revisions"][0];
  EXPECT_EQ(rev["inputFile"], "/plans/out/111122223333-eu-west-1-web-12.json");
  EXPECT_EQ(rev["input"]["containerDefinitions"][0]["environment"][0]["value"], "<redacted>");
  EXPECT_EQ(rev["changes"][0].dump(),
            R"({"container":"app","field":"privileged","before":true,"after":false})");
  EXPECT_EQ(rev["steps"][1]["taskDefinition"], "web:NEW");
  EXPECT_EQ(doc["batches"][0]["rescan"]["services"][0]["service"], "web");
}

// Control characters: C0 but line feed, DEL, and C1 (U+0080..U+009F, two bytes in UTF-8).
bool HasControl(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && c != '\n') || c == 0x7F) return true;
    if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
        static_cast<unsigned char>(text[i + 1]) <= 0x9F) {
      return true;
    }
  }
  return false;
}

TEST(Render, HostileValuesNeverReachATerminal) {
  std::string hostile = "arn:aws:ecs:eu-west-1:111122223333:task-definition/x\nrm -rf ~ \x1b[2J:1";
  std::string fine = ArnOf("111122223333", "eu-west-1", "fine", 1);
  posture::Finding a = MakeFinding("id\x1b]0;title\x07", "c", hostile, Priority::kP1);
  posture::Finding b = MakeFinding("f\nrm -rf ~", "ctl\x1b[31m\ntouch pwned \xC2\x9B", fine,
                                   Priority::kP1, {"gone\x1b[2J\nrm -rf ~"});
  FakeSource source;
  Plan plan = *BuildPlan({a, b}, {}, source, {});
  ASSERT_EQ(plan.revision_count(), 1u);
  ASSERT_EQ(plan.skipped.size(), 1u);
  RenderContext context{"/plans/out", "prod", ""};
  std::string commands = RenderCommands(plan, context);
  for (const std::string& text : {commands, RenderConsole(plan), RenderMarkdown(plan, context),
                                  RenderPlanJson(plan, context)}) {
    EXPECT_FALSE(HasControl(text)) << text;
  }
  // Every line that is not a comment is one the renderer wrote, never text from the input.
  for (std::string_view line : Split(commands, '\n')) {
    if (line.starts_with("#")) continue;
    EXPECT_EQ(line.find("rm -rf"), std::string_view::npos) << line;
    EXPECT_EQ(line.find("touch pwned"), std::string_view::npos) << line;
  }
  // JSON escapes rather than strips: the values read back unchanged.
  ordered_json doc = ordered_json::parse(RenderPlanJson(plan, context));
  EXPECT_EQ(doc["skipped"][0]["resource"], hostile);
  EXPECT_EQ(doc["batches"][0]["revisions"][0]["findings"][0], b.id);
}

TEST(ShellQuote, QuotesOnlyWhatNeedsIt) {
  EXPECT_EQ(ShellQuote("arn:aws:ecs:eu-west-1:1:task-definition/web:1"),
            "arn:aws:ecs:eu-west-1:1:task-definition/web:1");
  EXPECT_EQ(ShellQuote("a b"), "'a b'");
  EXPECT_EQ(ShellQuote("it's"), "'it'\\''s'");
  EXPECT_EQ(ShellQuote(""), "''");
}

}  // namespace
}  // namespace ecsguard::remediate
