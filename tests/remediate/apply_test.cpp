// Apply through the ECS API with FakeTransport, a FixedClock and a sleeper that only advances
// the clock: the exact request sequence, idempotent reruns, a failure mid-batch, timeouts.

#include "remediate/apply.h"

#include <gtest/gtest.h>

#include "fixtures.h"
#include "ingest/aws/aws.h"

namespace ecsguard::remediate {
namespace {

using namespace std::chrono_literals;
using nlohmann::ordered_json;
using posture::Priority;
using testing::MakeFinding;
namespace aws = ingest::aws;

constexpr char kSvc[] = "arn:aws:ecs:eu-west-1:111122223333:service/prod/web";
constexpr char kNewArn[] = "arn:aws:ecs:eu-west-1:111122223333:task-definition/web:13";

class OneClient final : public EcsClients {
 public:
  explicit OneClient(aws::Client* client) : client_(client) {}
  Result<aws::Client*> For(std::string_view, std::string_view) override { return client_; }

 private:
  aws::Client* client_;
};

class SnapshotOf final : public RevisionSource {
 public:
  Result<RevisionDocument> Get(std::string_view arn) override {
    ordered_json doc = ordered_json::parse(testing::kDescribe);
    std::string name(arn.substr(arn.rfind('/') + 1));
    doc["taskDefinition"]["taskDefinitionArn"] = std::string(arn);
    doc["taskDefinition"]["family"] = name.substr(0, name.find(':'));
    doc["taskDefinition"]["revision"] = std::stoi(name.substr(name.find(':') + 1));
    return *ParseDescribeTaskDefinition(doc.dump());
  }
};

std::string ServiceJson(const std::string& task_definition, int deployments, std::string rollout,
                        int running, int desired = 2, std::string status = "ACTIVE") {
  ordered_json d = ordered_json::array();
  for (int i = 0; i < deployments; ++i) {
    d.push_back({{"status", i == 0 ? "PRIMARY" : "ACTIVE"},
                 {"taskDefinition", task_definition},
                 {"rolloutState", rollout},
                 {"rolloutStateReason", "because"}});
  }
  ordered_json s = {{"serviceArn", kSvc},      {"serviceName", "web"},
                    {"status", status},        {"taskDefinition", task_definition},
                    {"desiredCount", desired}, {"runningCount", running},
                    {"deployments", d}};
  return ordered_json{{"services", {s}}, {"failures", ordered_json::array()}}.dump();
}

class ApplyTest : public ::testing::Test {
 protected:
  ApplyTest()
      : clock_(std::chrono::sys_days{std::chrono::year{2026} / 1 / 15}),
        credentials_(aws::Credentials{"AKIDTEST", "SECRETKEY", "", {}, "test"}),
        client_(aws::kEcs, aws::ResolveEndpoint(aws::kEcs, "eu-west-1"), &credentials_,
                aws::ClientDeps{&transport_, &clock_, [](std::chrono::milliseconds) {},
                                [] { return 0.5; }, nullptr},
                aws::RetryOptions{.max_attempts = 1}),
        clients_(&client_) {}

  Plan MakePlan(std::vector<posture::Finding> findings) {
    SnapshotOf source;
    Result<Plan> plan = BuildPlan(findings, {}, source, {});
    EXPECT_TRUE(plan.ok());
    return *plan;
  }
  Plan WebPlan() {
    return MakePlan({MakeFinding("f1", "c", testing::kArn, Priority::kP1, {"app"}, {kSvc})});
  }

  ApplyOptions Options() {
    ApplyOptions o;
    o.deregister_old = true;
    o.wait_timeout = 60s;
    o.poll_interval = 15s;
    o.clock = &clock_;
    o.sleep = [this](std::chrono::milliseconds d) {
      sleeps_.push_back(d);
      clock_.Set(clock_.Now() + d);
    };
    o.on_step = [this](const StepResult& s) { log_.push_back(s.Describe()); };
    return o;
  }

  void Answer(std::string body, int status = 200) {
    transport_.Respond("POST", "ecs.eu-west-1", aws::MakeResponse(status, std::move(body)));
  }
  void AnswerError(std::string type, std::string message, int status = 400) {
    Answer(ordered_json{{"__type", type}, {"message", message}}.dump(), status);
  }
  // What the family's latest ACTIVE revision is: the original, or the fix once registered.
  std::string Latest(const Plan& plan, bool fixed, int revision = 12) {
    ordered_json td = fixed ? plan.batches[0].revisions[0].fix.input
                            : ordered_json::parse(testing::kDescribe)["taskDefinition"];
    ordered_json tags = td.contains("tags") ? td["tags"] : ordered_json::array();
    td.erase("tags");
    td["taskDefinitionArn"] =
        "arn:aws:ecs:eu-west-1:111122223333:task-definition/web:" + std::to_string(revision);
    td["revision"] = revision;
    td["status"] = "ACTIVE";
    td["compatibilities"] = {"EC2"};
    return ordered_json{{"taskDefinition", td}, {"tags", tags}}.dump();
  }

  // "Operation {body}" of each request.
  std::vector<std::string> Requests() {
    std::vector<std::string> out;
    for (const aws::HttpRequest& r : transport_.requests()) {
      std::string target(*aws::FindHeader(r.headers, "X-Amz-Target"));
      out.push_back(target.substr(target.find('.') + 1));
    }
    return out;
  }
  std::string Body(size_t i) { return transport_.requests().at(i).body; }

  aws::FakeTransport transport_;
  FixedClock clock_;
  aws::StaticCredentialSource credentials_;
  aws::Client client_;
  OneClient clients_;
  std::vector<std::chrono::milliseconds> sleeps_;
  std::vector<std::string> log_;
};

TEST_F(ApplyTest, HappyPathExactRequests) {
  Plan plan = WebPlan();
  Answer(Latest(plan, false));
  Answer(ordered_json{
      {"taskDefinition", {{"taskDefinitionArn", kNewArn}, {"family", "web"}, {"revision", 13}}}}
             .dump());
  Answer(ServiceJson(testing::kArn, 1, "COMPLETED", 2));
  Answer("{}");
  Answer(ServiceJson(kNewArn, 2, "IN_PROGRESS", 1));
  Answer(ServiceJson(kNewArn, 1, "COMPLETED", 2));
  Answer(ordered_json{{"taskDefinition", {{"status", "ACTIVE"}}}}.dump());
  Answer(ordered_json{{"taskDefinition", {{"status", "INACTIVE"}}}}.dump());

  std::vector<std::string> rescanned;
  ApplyOptions options = Options();
  options.rescan = [&](const Batch& b, const std::vector<RevisionOutcome>& outcomes) {
    rescanned.push_back(std::to_string(b.number) + " " + outcomes[0].new_arn);
    return RescanResult{0, true, "clean"};
  };
  ApplyReport report = Apply(plan, clients_, options);

  EXPECT_TRUE(report.ok());
  EXPECT_EQ(Requests(), (std::vector<std::string>{
                            "DescribeTaskDefinition", "RegisterTaskDefinition", "DescribeServices",
                            "UpdateService", "DescribeServices", "DescribeServices",
                            "DescribeTaskDefinition", "DeregisterTaskDefinition"}));
  EXPECT_EQ(Body(0), R"({"taskDefinition":"web","include":["TAGS"]})");
  EXPECT_EQ(ordered_json::parse(Body(1)).dump(), plan.batches[0].revisions[0].fix.input.dump())
      << "the register request is the fix, environment values included";
  EXPECT_EQ(Body(2), R"({"cluster":"prod","services":["web"]})");
  EXPECT_EQ(Body(3), R"({"cluster":"prod","service":"web","taskDefinition":"web:13"})");
  EXPECT_EQ(Body(6), R"({"taskDefinition":")" + std::string(testing::kArn) + R"("})");
  EXPECT_EQ(Body(7), Body(6));
  EXPECT_EQ(sleeps_, (std::vector<std::chrono::milliseconds>{15s}));
  EXPECT_EQ(log_,
            (std::vector<std::string>{
                "batch 1 register web [done]: registered web:13 (" + std::string(kNewArn) + ")",
                "batch 1 update-service prod/web [done]: service web now deploys web:13",
                "batch 1 wait-stable prod/web [done]: stable on web:13 after 15s (2 "
                "poll(s)): rollout COMPLETED",
                "batch 1 deregister " + std::string(testing::kArn) + " [done]: deregistered " +
                    testing::kArn,
            }));
  ASSERT_EQ(report.revisions.size(), 1u);
  EXPECT_EQ(report.revisions[0].new_arn, kNewArn);
  EXPECT_FALSE(report.revisions[0].reused);
  EXPECT_EQ(rescanned, (std::vector<std::string>{"1 " + std::string(kNewArn)}));
  EXPECT_EQ(report.rescans.size(), 1u);
  EXPECT_EQ(report.rescans[0].batch, 1);
  EXPECT_EQ(transport_.unused(), 0u);
}

TEST_F(ApplyTest, RerunRegistersNothing) {
  Plan plan = WebPlan();
  Answer(Latest(plan, true, 13));
  Answer(ServiceJson(kNewArn, 1, "COMPLETED", 2));
  Answer(ServiceJson(kNewArn, 1, "COMPLETED", 2));
  Answer(ordered_json{{"taskDefinition", {{"status", "INACTIVE"}}}}.dump());
  ApplyReport report = Apply(plan, clients_, Options());
  EXPECT_TRUE(report.ok());
  EXPECT_EQ(Requests(), (std::vector<std::string>{"DescribeTaskDefinition", "DescribeServices",
                                                  "DescribeServices", "DescribeTaskDefinition"}));
  ASSERT_EQ(report.steps.size(), 4u);
  EXPECT_EQ(report.steps[0].state, StepState::kSkipped);
  EXPECT_EQ(report.steps[0].detail,
            "reused web:13: the family's latest ACTIVE revision already equals the fix");
  EXPECT_EQ(report.steps[1].detail, "already runs web:13");
  EXPECT_EQ(report.steps[2].state, StepState::kDone);
  EXPECT_EQ(report.steps[3].detail, "already INACTIVE");
  EXPECT_TRUE(report.revisions[0].reused);
  EXPECT_EQ(report.revisions[0].new_arn, kNewArn);
}

TEST_F(ApplyTest, FamilyWithoutActiveRevisionRegisters) {
  Plan plan = MakePlan({MakeFinding("f1", "c", testing::kArn, Priority::kP1)});
  AnswerError("ClientException", "Unable to describe task definition.");
  Answer(ordered_json{
      {"taskDefinition", {{"taskDefinitionArn", kNewArn}, {"family", "web"}, {"revision", 13}}}}
             .dump());
  ApplyOptions options = Options();
  options.deregister_old = false;
  ApplyReport report = Apply(plan, clients_, options);
  EXPECT_TRUE(report.ok());
  EXPECT_EQ(Requests(),
            (std::vector<std::string>{"DescribeTaskDefinition", "RegisterTaskDefinition"}));
  EXPECT_EQ(report.steps.back().detail, "not requested (--deregister-old)");
}

TEST_F(ApplyTest, FailureMidBatchStopsAndReportsWhatWasAndWasNotDone) {
  std::string api = "arn:aws:ecs:eu-west-1:111122223333:task-definition/api:3";
  std::string api_svc = "arn:aws:ecs:eu-west-1:111122223333:service/prod/api";
  std::string other = "arn:aws:ecs:eu-west-1:111122223333:task-definition/zzz:1";
  Plan plan = MakePlan({MakeFinding("f1", "c", api, Priority::kP1, {"app"}, {api_svc}),
                        MakeFinding("f2", "c", testing::kArn, Priority::kP1, {"app"}, {kSvc}),
                        MakeFinding("f3", "c", other, Priority::kP2)});
  ASSERT_EQ(plan.batches[0].revisions.size(), 3u);
  // api:3 goes through; web:12 fails at UpdateService.
  ordered_json api_latest = ordered_json::parse(Latest(plan, false));
  api_latest["taskDefinition"]["family"] = "api";
  Answer(api_latest.dump());
  Answer(ordered_json{
      {"taskDefinition",
       {{"taskDefinitionArn", "arn:aws:ecs:eu-west-1:111122223333:task-definition/api:4"},
        {"revision", 4}}}}
             .dump());
  ordered_json api_service = ordered_json::parse(ServiceJson(api, 1, "COMPLETED", 2));
  Answer(api_service.dump());
  Answer("{}");
  Answer(ServiceJson("api:4", 1, "COMPLETED", 2));
  Answer(ordered_json{{"taskDefinition", {{"status", "ACTIVE"}}}}.dump());
  Answer(ordered_json{{"taskDefinition", {{"status", "INACTIVE"}}}}.dump());
  Answer(Latest(plan, false));
  Answer(
      ordered_json{{"taskDefinition", {{"taskDefinitionArn", kNewArn}, {"revision", 13}}}}.dump());
  Answer(ServiceJson(testing::kArn, 1, "COMPLETED", 2));
  AnswerError("AccessDeniedException",
              "User is not authorized to perform: ecs:UpdateService (value " +
                  std::string(testing::kSecretValue) + ")");
  bool rescanned = false;
  ApplyOptions options = Options();
  options.rescan = [&](const Batch&, const std::vector<RevisionOutcome>&) {
    rescanned = true;
    return RescanResult{};
  };
  ApplyReport report = Apply(plan, clients_, options);

  EXPECT_FALSE(report.ok());
  EXPECT_FALSE(rescanned) << "a failed batch is not re-scanned";
  std::vector<std::string> states;
  for (const StepResult& s : report.steps) {
    states.push_back(std::string(StepKindName(s.step.kind)) + " " +
                     std::string(StepStateName(s.state)));
  }
  EXPECT_EQ(states, (std::vector<std::string>{
                        "register done", "update-service done", "wait-stable done",
                        "deregister done",  // api:3
                        "register done", "update-service failed", "wait-stable not-run",
                        "deregister not-run",                         // web:12
                        "register not-run", "deregister not-run"}));  // zzz:1
  const StepResult& failed = report.steps[5];
  EXPECT_EQ(failed.detail, "UpdateService failed");
  EXPECT_NE(failed.error.find("AccessDeniedException (HTTP 400): User is not authorized"),
            std::string::npos)
      << failed.error;
  EXPECT_EQ(failed.error.find(testing::kSecretValue), std::string::npos) << failed.error;
  EXPECT_NE(failed.error.find("<redacted>"), std::string::npos);
  EXPECT_EQ(report.steps[6].detail, "not run: an earlier step failed");
  EXPECT_EQ(report.Count(StepState::kDone), 5u);
  EXPECT_EQ(report.Count(StepState::kNotRun), 4u);
  EXPECT_EQ(report.revisions[1].new_arn, kNewArn) << "the new revision exists: say so";
  EXPECT_EQ(transport_.unused(), 0u);
}

TEST_F(ApplyTest, WaitTimesOut) {
  Plan plan = WebPlan();
  Answer(Latest(plan, false));
  Answer(
      ordered_json{{"taskDefinition", {{"taskDefinitionArn", kNewArn}, {"revision", 13}}}}.dump());
  Answer(ServiceJson(testing::kArn, 1, "COMPLETED", 2));
  Answer("{}");
  for (int i = 0; i < 5; ++i) Answer(ServiceJson(kNewArn, 2, "IN_PROGRESS", 1));
  ApplyReport report = Apply(plan, clients_, Options());
  EXPECT_FALSE(report.ok());
  const StepResult& wait = report.steps[2];
  EXPECT_EQ(wait.state, StepState::kFailed);
  EXPECT_EQ(wait.detail, "not stable after 60s");
  EXPECT_EQ(wait.error, "timed out: 2 deployment(s), 1 of 2 tasks running");
  EXPECT_EQ(sleeps_, (std::vector<std::chrono::milliseconds>{15s, 15s, 15s, 15s}));
  EXPECT_EQ(report.steps[3].state, StepState::kNotRun) << "never deregister after a timeout";
  EXPECT_EQ(transport_.unused(), 0u);
}

TEST_F(ApplyTest, ServiceThatMovedOnIsLeftAlone) {
  Plan plan = WebPlan();
  Answer(Latest(plan, false));
  Answer(
      ordered_json{{"taskDefinition", {{"taskDefinitionArn", kNewArn}, {"revision", 13}}}}.dump());
  Answer(
      ServiceJson("arn:aws:ecs:eu-west-1:111122223333:task-definition/web:20", 1, "COMPLETED", 2));
  Answer(ordered_json{{"taskDefinition", {{"status", "ACTIVE"}}}}.dump());
  Answer("{}");
  ApplyReport report = Apply(plan, clients_, Options());
  EXPECT_TRUE(report.ok());
  EXPECT_EQ(report.steps[1].state, StepState::kSkipped);
  EXPECT_NE(report.steps[1].detail.find("now runs arn:aws:ecs:eu-west-1:111122223333:task-"
                                        "definition/web:20, not the flagged revision"),
            std::string::npos);
  EXPECT_EQ(report.steps[2].detail, "the service was not updated");
  EXPECT_EQ(Requests().back(), "DeregisterTaskDefinition");
}

TEST(ServiceStability, Cases) {
  auto service = [](std::string td, ordered_json deployments, int running, int desired) {
    return ordered_json{{"taskDefinition", td},
                        {"runningCount", running},
                        {"desiredCount", desired},
                        {"deployments", deployments}};
  };
  auto deployment = [](std::string td, std::string status, std::string rollout = "") {
    ordered_json d = {{"status", status}, {"taskDefinition", td}};
    if (!rollout.empty()) d["rolloutState"] = rollout;
    return d;
  };
  std::string why;
  // ECS: one PRIMARY deployment with a completed rollout.
  EXPECT_EQ(ServiceStability(service(kNewArn, {deployment(kNewArn, "PRIMARY", "COMPLETED")}, 1, 2),
                             "web", 13, &why),
            Stability::kStable);
  // The CLI waiter's rule: one deployment and running == desired.
  EXPECT_EQ(
      ServiceStability(service("web:13", {deployment(kNewArn, "PRIMARY")}, 2, 2), "web", 13, &why),
      Stability::kStable);
  // moto: the deployment keeps the old revision, the service names the new one.
  EXPECT_EQ(
      ServiceStability(service("web:13", {deployment(testing::kArn, "PRIMARY", "COMPLETED")}, 1, 1),
                       "web", 13, &why),
      Stability::kStable);
  EXPECT_EQ(ServiceStability(service(kNewArn,
                                     {deployment(kNewArn, "PRIMARY", "IN_PROGRESS"),
                                      deployment(testing::kArn, "ACTIVE", "COMPLETED")},
                                     2, 2),
                             "web", 13, &why),
            Stability::kInProgress);
  EXPECT_EQ(why, "2 deployment(s), 2 of 2 tasks running");
  EXPECT_EQ(ServiceStability(service(testing::kArn, {deployment(testing::kArn, "PRIMARY")}, 2, 2),
                             "web", 13, &why),
            Stability::kInProgress);
  ordered_json failed = deployment(kNewArn, "ACTIVE", "FAILED");
  failed["rolloutStateReason"] = "circuit breaker";
  EXPECT_EQ(
      ServiceStability(service(testing::kArn,
                               {deployment(testing::kArn, "PRIMARY", "IN_PROGRESS"), failed}, 1, 2),
                       "web", 13, &why),
      Stability::kFailed);
  EXPECT_EQ(why, "rollout FAILED: circuit breaker");
}

}  // namespace
}  // namespace ecsguard::remediate
