// Apply through the ECS API with FakeTransport, a FixedClock and a sleeper that only advances
// the clock: the exact request sequence, idempotent reruns, a failure mid-batch, timeouts.

#include "remediate/apply.h"

#include <fmt/format.h>
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
  // ListTaskDefinitions: the family's ACTIVE revisions, in the order given.
  void AnswerList(const std::vector<int>& revisions, const std::string& family = "web",
                  const std::string& next_token = "") {
    ordered_json arns = ordered_json::array();
    for (int r : revisions) {
      arns.push_back(
          fmt::format("arn:aws:ecs:eu-west-1:111122223333:task-definition/{}:{}", family, r));
    }
    ordered_json page = {{"taskDefinitionArns", arns}};
    if (!next_token.empty()) page["nextToken"] = next_token;
    Answer(page.dump());
  }
  // A DescribeTaskDefinition answer: the original, or the fix of plan revision `index` as
  // registered under `revision`.
  std::string Latest(const Plan& plan, bool fixed, int revision = 12, size_t index = 0) {
    ordered_json td = fixed ? plan.batches[0].revisions[index].fix.input
                            : ordered_json::parse(testing::kDescribe)["taskDefinition"];
    ordered_json tags = td.contains("tags") ? td["tags"] : ordered_json::array();
    td.erase("tags");
    td["taskDefinitionArn"] = "arn:aws:ecs:eu-west-1:111122223333:task-definition/" +
                              td["family"].get<std::string>() + ":" + std::to_string(revision);
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
  AnswerList({11, 12});
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
                            "ListTaskDefinitions", "RegisterTaskDefinition", "DescribeServices",
                            "UpdateService", "DescribeServices", "DescribeServices",
                            "DescribeTaskDefinition", "DeregisterTaskDefinition"}));
  EXPECT_EQ(Body(0), R"({"familyPrefix":"web","status":"ACTIVE","sort":"DESC","maxResults":100})");
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
  AnswerList({12, 13});
  Answer(Latest(plan, true, 13));
  Answer(ServiceJson(kNewArn, 1, "COMPLETED", 2));
  Answer(ServiceJson(kNewArn, 1, "COMPLETED", 2));
  Answer(ordered_json{{"taskDefinition", {{"status", "INACTIVE"}}}}.dump());
  ApplyReport report = Apply(plan, clients_, Options());
  EXPECT_TRUE(report.ok());
  EXPECT_EQ(Requests(), (std::vector<std::string>{"ListTaskDefinitions", "DescribeTaskDefinition",
                                                  "DescribeServices", "DescribeServices",
                                                  "DescribeTaskDefinition"}));
  EXPECT_EQ(Body(1), R"({"taskDefinition":")" + std::string(kNewArn) + R"(","include":["TAGS"]})");
  ASSERT_EQ(report.steps.size(), 4u);
  EXPECT_EQ(report.steps[0].state, StepState::kSkipped);
  EXPECT_EQ(report.steps[0].detail,
            "reused web:13: ecsguard registered this fix earlier (ecsguard:fixes web:12)");
  EXPECT_EQ(report.steps[1].detail, "already runs web:13");
  EXPECT_EQ(report.steps[2].state, StepState::kDone);
  EXPECT_EQ(report.steps[3].detail, "already INACTIVE");
  EXPECT_TRUE(report.revisions[0].reused);
  EXPECT_EQ(report.revisions[0].new_arn, kNewArn);
}

TEST_F(ApplyTest, FamilyWithoutActiveRevisionRegisters) {
  Plan plan = MakePlan({MakeFinding("f1", "c", testing::kArn, Priority::kP1)});
  AnswerList({});
  Answer(ordered_json{
      {"taskDefinition", {{"taskDefinitionArn", kNewArn}, {"family", "web"}, {"revision", 13}}}}
             .dump());
  ApplyOptions options = Options();
  options.deregister_old = false;
  ApplyReport report = Apply(plan, clients_, options);
  EXPECT_TRUE(report.ok());
  EXPECT_EQ(Requests(),
            (std::vector<std::string>{"ListTaskDefinitions", "RegisterTaskDefinition"}));
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
  AnswerList({3}, "api");
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
  AnswerList({12});
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
  AnswerList({12});
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
  AnswerList({12});
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

// The scan is older than the family: web:14 was registered by hand since (a new image, a
// rotated secret). Registering the fix of web:12 would make the old document the newest.
TEST_F(ApplyTest, StaleOriginalIsRefused) {
  Plan plan = WebPlan();
  AnswerList({12, 14, 13}, "web", "page-2");
  AnswerList({11});
  ordered_json by_hand = ordered_json::parse(Latest(plan, false, 14));
  by_hand["taskDefinition"]["containerDefinitions"][0]["image"] = "web:1.2.4";
  Answer(by_hand.dump());
  bool rescanned = false;
  ApplyOptions options = Options();
  options.rescan = [&](const Batch&, const std::vector<RevisionOutcome>&) {
    rescanned = true;
    return RescanResult{0, true, ""};
  };
  ApplyReport report = Apply(plan, clients_, options);

  EXPECT_FALSE(report.ok());
  EXPECT_EQ(Requests(), (std::vector<std::string>{"ListTaskDefinitions", "ListTaskDefinitions",
                                                  "DescribeTaskDefinition"}))
      << "nothing is registered, no service is touched";
  EXPECT_EQ(ordered_json::parse(Body(1))["nextToken"], "page-2");
  EXPECT_EQ(ordered_json::parse(Body(2))["taskDefinition"],
            "arn:aws:ecs:eu-west-1:111122223333:task-definition/web:14")
      << "newest first, whatever order the list came in";
  ASSERT_EQ(report.steps.size(), 4u);
  EXPECT_EQ(report.steps[0].state, StepState::kRefused);
  EXPECT_EQ(report.steps[0].detail,
            "refused: web:12 is no longer the newest ACTIVE revision of family web: web:14 is "
            "newer and is not an ecsguard fix of a revision in this plan (the family changed "
            "since the scan). Scan again and remediate from the new scan, or rerun with "
            "--force-stale to register the fix of web:12 anyway (it becomes the family's newest "
            "revision)");
  for (size_t i = 1; i < 4; ++i) {
    EXPECT_EQ(report.steps[i].state, StepState::kNotRun);
    EXPECT_EQ(report.steps[i].detail, "not run: the register step was refused");
  }
  EXPECT_EQ(report.Count(StepState::kRefused), 1u);
  EXPECT_TRUE(report.revisions[0].new_arn.empty());
  EXPECT_TRUE(rescanned) << "a refusal is not a failure: the batch is still re-scanned";
  EXPECT_EQ(transport_.unused(), 0u);
}

// What `remediate --apply` sends: the flagged revision is described live (the plan is built from
// it), then the family's newer ACTIVE revisions are listed and described before any register.
TEST_F(ApplyTest, LiveStateIsReadBeforeAnything) {
  Answer(testing::kDescribe);
  AnswerList({12, 13});
  ordered_json by_hand = ordered_json::parse(testing::kDescribe);
  by_hand["taskDefinition"]["taskDefinitionArn"] = kNewArn;
  by_hand["taskDefinition"]["revision"] = 13;
  by_hand["taskDefinition"]["containerDefinitions"][0]["privileged"] = false;
  Answer(by_hand.dump());
  LiveRevisionSource live(&clients_);
  Result<Plan> plan = BuildPlan(
      {MakeFinding("f1", "c", testing::kArn, Priority::kP1, {"app"}, {kSvc})}, {}, live, {});
  ASSERT_TRUE(plan.ok());
  ApplyReport report = Apply(*plan, clients_, Options());
  EXPECT_EQ(Requests(), (std::vector<std::string>{"DescribeTaskDefinition", "ListTaskDefinitions",
                                                  "DescribeTaskDefinition"}));
  EXPECT_EQ(Body(0),
            R"({"taskDefinition":")" + std::string(testing::kArn) + R"(","include":["TAGS"]})");
  EXPECT_EQ(Body(2), R"({"taskDefinition":")" + std::string(kNewArn) + R"(","include":["TAGS"]})");
  EXPECT_EQ(report.steps[0].state, StepState::kRefused);
  EXPECT_EQ(transport_.unused(), 0u);
}

TEST_F(ApplyTest, ForceStaleRegistersAnyway) {
  Plan plan = WebPlan();
  AnswerList({12, 14});
  Answer(Latest(plan, false, 14));
  Answer(ordered_json{
      {"taskDefinition",
       {{"taskDefinitionArn", "arn:aws:ecs:eu-west-1:111122223333:task-definition/web:15"},
        {"revision", 15}}}}
             .dump());
  ApplyOptions options = Options();
  options.force_stale = true;
  options.deregister_old = false;
  plan.batches[0].revisions[0].steps.resize(1);  // the register step is what this is about
  ApplyReport report = Apply(plan, clients_, options);
  EXPECT_TRUE(report.ok());
  EXPECT_EQ(Requests(), (std::vector<std::string>{"ListTaskDefinitions", "DescribeTaskDefinition",
                                                  "RegisterTaskDefinition"}));
  EXPECT_EQ(report.steps[0].detail,
            "registered web:15 (arn:aws:ecs:eu-west-1:111122223333:task-definition/web:15) "
            "(--force-stale: web:14 is newer than web:12)");
}

// A revision that carries this original's tag but no longer equals the fix (edited by hand, or
// fixed with another --user) is not ecsguard's to build on.
TEST_F(ApplyTest, TaggedButEditedCopyIsNotReused) {
  Plan plan = WebPlan();
  AnswerList({12, 13});
  ordered_json edited = ordered_json::parse(Latest(plan, true, 13));
  edited["taskDefinition"]["containerDefinitions"][0]["privileged"] = true;
  Answer(edited.dump());
  ApplyReport report = Apply(plan, clients_, Options());
  EXPECT_EQ(report.steps[0].state, StepState::kRefused);
  EXPECT_NE(report.steps[0].detail.find("web:13 is newer"), std::string::npos);
}

// A service mid-deployment runs web:11 and web:12, both flagged: both are fixed in one run
// (web:13 and web:14). A rerun recognises both fixes by their tags and registers nothing.
TEST_F(ApplyTest, SeveralFlaggedRevisionsOfOneFamilyRerunRegistersNothing) {
  std::string web11 = "arn:aws:ecs:eu-west-1:111122223333:task-definition/web:11";
  Plan plan = MakePlan({MakeFinding("f1", "c", web11, Priority::kP1, {"app"}, {kSvc}),
                        MakeFinding("f2", "c", testing::kArn, Priority::kP1, {"app"}, {kSvc})});
  ASSERT_EQ(plan.batches[0].revisions.size(), 2u);
  ApplyOptions options = Options();
  options.deregister_old = false;

  // First run: web:12 is newer than web:11 but is in the plan; web:13 (the fix of web:11) is
  // newer than web:12 but is this plan's own.
  AnswerList({11, 12});
  Answer(ordered_json{
      {"taskDefinition",
       {{"taskDefinitionArn", web11.substr(0, web11.size() - 2) + "13"}, {"revision", 13}}}}
             .dump());
  AnswerList({11, 12, 13});
  Answer(Latest(plan, true, 13, 0));
  Answer(
      ordered_json{{"taskDefinition", {{"taskDefinitionArn", "web:14"}, {"revision", 14}}}}.dump());
  Answer(ServiceJson(testing::kArn, 1, "COMPLETED", 2));
  Answer("{}");
  Answer(ServiceJson("web:14", 1, "COMPLETED", 2));
  ApplyReport first = Apply(plan, clients_, options);
  EXPECT_TRUE(first.ok());
  EXPECT_EQ(first.Count(StepState::kDone), 4u) << "2 registers, update, wait (no deregister)";
  EXPECT_EQ(transport_.unused(), 0u);

  // Second run: both fixes are found, nothing is registered.
  size_t before = transport_.requests().size();
  AnswerList({11, 12, 13, 14});
  Answer(Latest(plan, true, 14, 1));
  Answer(Latest(plan, true, 13, 0));
  AnswerList({11, 12, 13, 14});
  Answer(Latest(plan, true, 14, 1));
  Answer(ServiceJson("web:14", 1, "COMPLETED", 2));
  Answer(ServiceJson("web:14", 1, "COMPLETED", 2));
  ApplyReport second = Apply(plan, clients_, options);
  EXPECT_TRUE(second.ok());
  std::vector<std::string> requests = Requests();
  requests.erase(requests.begin(), requests.begin() + static_cast<std::ptrdiff_t>(before));
  EXPECT_EQ(requests, (std::vector<std::string>{"ListTaskDefinitions", "DescribeTaskDefinition",
                                                "DescribeTaskDefinition", "ListTaskDefinitions",
                                                "DescribeTaskDefinition", "DescribeServices",
                                                "DescribeServices"}));
  ASSERT_EQ(second.revisions.size(), 2u);
  EXPECT_TRUE(second.revisions[0].reused);
  EXPECT_EQ(second.revisions[0].new_arn,
            "arn:aws:ecs:eu-west-1:111122223333:task-definition/web:13");
  EXPECT_TRUE(second.revisions[1].reused);
  EXPECT_EQ(second.revisions[1].new_arn,
            "arn:aws:ecs:eu-west-1:111122223333:task-definition/web:14");
  EXPECT_EQ(second.steps[3].detail, "already runs web:14");
  EXPECT_EQ(transport_.unused(), 0u);
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
