#include "remediate/apply.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <thread>

#include "base/arn.h"
#include "base/strings.h"
#include "graph/graph.h"

namespace ecsguard::remediate {
namespace {

using nlohmann::ordered_json;
namespace aws = ingest::aws;

bool Refers(std::string_view ref, std::string_view family, int64_t revision) {
  std::optional<FamilyRevision> fr = ParseTaskDefinitionRef(ref);
  return fr && fr->family == family && fr->revision == revision;
}

// The message already names the operation, the region, AWS's code and the HTTP status.
std::string ErrorText(const Error& e) { return e.message(); }

// One JSON 1.1 call answered with a parsed body.
Result<ordered_json> Call(aws::Client& ecs, std::string_view operation,
                          const ordered_json& request) {
  Result<std::string> body = ecs.CallJson(operation, request.dump());
  if (!body.ok()) return std::move(body).error();
  ordered_json value = ordered_json::parse(*body, nullptr, false);
  if (value.is_discarded() || !value.is_object()) {
    return aws::AwsError(aws::AwsErrorKind::kInvalidResponse,
                         fmt::format("{}: the answer is not a JSON object", operation));
  }
  return value;
}

// The ARNs of the ACTIVE revisions of `family` newer than `revision`, newest first.
// ListTaskDefinitions is read to the end: emulators ignore its sort order.
Result<std::vector<std::string>> NewerActiveRevisions(aws::Client& ecs, std::string_view family,
                                                      int64_t revision) {
  std::vector<std::pair<int64_t, std::string>> newer;
  std::string token;
  do {
    ordered_json request = {
        {"familyPrefix", family}, {"status", "ACTIVE"}, {"sort", "DESC"}, {"maxResults", 100}};
    if (!token.empty()) request["nextToken"] = token;
    Result<ordered_json> page = Call(ecs, "ListTaskDefinitions", request);
    if (!page.ok()) return std::move(page).error();
    for (const ordered_json& arn : page->value("taskDefinitionArns", ordered_json::array())) {
      if (!arn.is_string()) continue;
      std::optional<FamilyRevision> fr = ParseTaskDefinitionRef(arn.get<std::string>());
      // familyPrefix is a prefix for some implementations: keep the family itself.
      if (fr && fr->family == family && fr->revision > revision) {
        newer.emplace_back(fr->revision, arn.get<std::string>());
      }
    }
    token = page->value("nextToken", "");
  } while (!token.empty());
  std::sort(newer.rbegin(), newer.rend());
  std::vector<std::string> out;
  for (auto& [number, arn] : newer) out.push_back(std::move(arn));
  return out;
}

Result<RevisionDocument> DescribeWithTags(aws::Client& ecs, const std::string& arn) {
  ordered_json request = {{"taskDefinition", arn}, {"include", {"TAGS"}}};
  Result<ordered_json> answer = Call(ecs, "DescribeTaskDefinition", request);
  if (!answer.ok()) return std::move(answer).error();
  Result<RevisionDocument> doc = ParseDescribeTaskDefinition(answer->dump());
  if (!doc.ok()) return aws::AwsError(aws::AwsErrorKind::kInvalidResponse, doc.error().message());
  return std::move(doc).value();
}

std::string RefOf(const RevisionDocument& doc) {
  const ordered_json& td = doc.task_definition;
  return fmt::format("{}:{}", td.value("family", ""), td.value("revision", int64_t{0}));
}

// Runs the steps of one plan and records each result.
class Runner {
 public:
  Runner(const Plan& plan, EcsClients& clients, const ApplyOptions& options)
      : plan_(plan), clients_(clients), options_(options) {
    for (const Batch& b : plan.batches) {
      for (const RevisionPlan& r : b.revisions) planned_[FixesTagValue(r.arn)] = &r;
    }
  }

  ApplyReport Run() {
    for (const Batch& batch : plan_.batches) {
      std::vector<RevisionOutcome> outcomes;
      for (const RevisionPlan& r : batch.revisions) {
        outcomes.push_back(RunRevision(batch.number, r));
      }
      report_.revisions.insert(report_.revisions.end(), outcomes.begin(), outcomes.end());
      if (stopped_) continue;
      if (options_.rescan) {
        RescanResult rescan = options_.rescan(batch, outcomes);
        rescan.batch = batch.number;
        report_.rescans.push_back(std::move(rescan));
      }
    }
    return std::move(report_);
  }

 private:
  struct State {
    const RevisionPlan* r = nullptr;
    aws::Client* ecs = nullptr;
    RevisionOutcome outcome;
    std::string new_ref;  // family:N
    int64_t new_revision = 0;
    std::vector<std::string> untouched_services;  // their update (and wait) was skipped
  };

  RevisionOutcome RunRevision(int batch, const RevisionPlan& r) {
    State st;
    st.r = &r;
    st.outcome.old_arn = r.arn;
    if (!stopped_) {
      Result<aws::Client*> ecs = clients_.For(r.account_id, r.region);
      if (ecs.ok()) {
        st.ecs = *ecs;
      } else {
        StepResult failed{batch,
                          r.arn,
                          r.steps.front(),
                          StepState::kFailed,
                          "no ECS client for the account and region",
                          ecs.error().message()};
        Record(std::move(failed));
        stopped_ = true;
        for (size_t i = 1; i < r.steps.size(); ++i) RecordNotRun(batch, r, r.steps[i]);
        return st.outcome;
      }
    }
    bool refused = false;
    for (const Step& step : r.steps) {
      if (stopped_) {
        RecordNotRun(batch, r, step);
        continue;
      }
      if (refused) {
        Record(StepResult{batch, r.arn, step, StepState::kNotRun,
                          "not run: the register step was refused", ""});
        continue;
      }
      StepResult result{batch, r.arn, step, StepState::kDone, "", ""};
      switch (step.kind) {
        case StepKind::kRegister:
          DoRegister(&st, &result);
          break;
        case StepKind::kUpdateService:
          DoUpdate(&st, &result);
          break;
        case StepKind::kWaitStable:
          DoWait(&st, &result);
          break;
        case StepKind::kDeregister:
          DoDeregister(&st, &result);
          break;
      }
      // AWS error messages may quote a value of the input.
      result.error = graph::BuiltinRedactor().ScrubText(result.error, r.fix.input);
      result.detail = graph::BuiltinRedactor().ScrubText(result.detail, r.fix.input);
      if (result.state == StepState::kFailed) stopped_ = true;
      if (result.state == StepState::kRefused) refused = true;
      Record(std::move(result));
    }
    return st.outcome;
  }

  // Whether `doc`, newer than a planned revision of its family, is the fix of another planned
  // revision that an earlier run registered (tagged, and still equal to that fix).
  bool IsPlannedFix(const RevisionDocument& doc) const {
    auto fixed = planned_.find(FixesTagOf(doc));
    return fixed != planned_.end() && SameRevision(RegisterInput(doc), fixed->second->fix.input);
  }

  // Reads the family's live state first: a fix is registered only while its original is still
  // the newest ACTIVE revision of its family, apart from what this plan accounts for (its other
  // revisions: a service mid-deployment runs two; and their fixes); the fix an earlier run
  // registered (found by its kFixesTag) is reused.
  void DoRegister(State* st, StepResult* result) {
    const RevisionPlan& r = *st->r;
    Result<std::vector<std::string>> newer = NewerActiveRevisions(*st->ecs, r.family, r.revision);
    if (!newer.ok()) {
      Fail(result, "cannot read the family's ACTIVE revisions", newer.error());
      return;
    }
    std::string mine = FixesTagValue(r.arn);
    std::optional<RevisionDocument> earlier_fix;
    std::string stale;  // the newest revision this plan does not account for
    for (const std::string& arn : *newer) {
      if (planned_.count(FixesTagValue(arn))) continue;
      Result<RevisionDocument> doc = DescribeWithTags(*st->ecs, arn);
      if (!doc.ok()) {
        Fail(result, "cannot read a newer revision of the family", doc.error());
        return;
      }
      if (FixesTagOf(*doc) == mine && SameRevision(RegisterInput(*doc), r.fix.input)) {
        earlier_fix = std::move(doc).value();
        break;
      }
      if (IsPlannedFix(*doc)) continue;
      if (stale.empty()) stale = RefOf(*doc);
      if (!options_.force_stale) break;
    }
    std::string old_ref = fmt::format("{}:{}", r.family, r.revision);
    if (!stale.empty() && !options_.force_stale) {
      result->state = StepState::kRefused;
      result->detail = fmt::format(
          "refused: {} is no longer the newest ACTIVE revision of family {}: {} is newer and is "
          "not an ecsguard fix of a revision in this plan (the family changed since the scan). "
          "Scan again and remediate from the new scan, or rerun with --force-stale to register "
          "the fix of {} anyway (it becomes the family's newest revision)",
          old_ref, r.family, stale, old_ref);
      return;
    }
    std::string forced =
        stale.empty() ? "" : fmt::format(" (--force-stale: {} is newer than {})", stale, old_ref);
    if (earlier_fix) {
      const ordered_json& td = earlier_fix->task_definition;
      st->new_revision = td.value("revision", int64_t{0});
      st->new_ref = fmt::format("{}:{}", r.family, st->new_revision);
      st->outcome.new_arn = td.value("taskDefinitionArn", "");
      st->outcome.reused = true;
      result->state = StepState::kSkipped;
      result->detail = fmt::format("reused {}: ecsguard registered this fix earlier ({} {}){}",
                                   st->new_ref, kFixesTag, old_ref, forced);
      return;
    }
    Result<ordered_json> registered = Call(*st->ecs, "RegisterTaskDefinition", r.fix.input);
    if (!registered.ok()) {
      Fail(result, "RegisterTaskDefinition failed", registered.error());
      return;
    }
    const ordered_json& td = (*registered)["taskDefinition"];
    if (!td.is_object() || !td.contains("taskDefinitionArn") || !td.contains("revision")) {
      result->state = StepState::kFailed;
      result->detail = "RegisterTaskDefinition answered without a revision";
      return;
    }
    st->new_revision = td["revision"].get<int64_t>();
    st->new_ref = fmt::format("{}:{}", r.family, st->new_revision);
    st->outcome.new_arn = td["taskDefinitionArn"].get<std::string>();
    result->detail = fmt::format("registered {} ({}){}", st->new_ref, st->outcome.new_arn, forced);
  }

  Result<ordered_json> DescribeService(State* st, const Step& step) {
    ordered_json request = {{"cluster", step.cluster}, {"services", {step.service}}};
    Result<ordered_json> answer = Call(*st->ecs, "DescribeServices", request);
    if (!answer.ok()) return answer;
    const ordered_json& services = (*answer)["services"];
    if (!services.is_array() || services.empty()) {
      return aws::AwsError(
          aws::AwsErrorKind::kNotFound,
          fmt::format("service {} not found in cluster {}", step.service, step.cluster), "MISSING");
    }
    return ordered_json(services.front());
  }

  void DoUpdate(State* st, StepResult* result) {
    const Step& step = result->step;
    Result<ordered_json> service = DescribeService(st, step);
    if (!service.ok()) {
      Fail(result, "DescribeServices failed", service.error());
      return;
    }
    std::string status = service->value("status", "");
    std::string current = service->value("taskDefinition", "");
    if (status != "ACTIVE") {
      st->untouched_services.push_back(step.cluster + "/" + step.service);
      result->state = StepState::kSkipped;
      result->detail = fmt::format("service is {}; nothing to update", status);
      return;
    }
    if (Refers(current, st->r->family, st->new_revision)) {
      result->state = StepState::kSkipped;
      result->detail = fmt::format("already runs {}", st->new_ref);
      return;
    }
    if (!Refers(current, st->r->family, st->r->revision)) {
      // Someone deployed something else since the scan: never roll that back.
      st->untouched_services.push_back(step.cluster + "/" + step.service);
      result->state = StepState::kSkipped;
      result->detail =
          fmt::format("the service now runs {}, not the flagged revision; left untouched", current);
      return;
    }
    ordered_json request = {
        {"cluster", step.cluster}, {"service", step.service}, {"taskDefinition", st->new_ref}};
    Result<ordered_json> updated = Call(*st->ecs, "UpdateService", request);
    if (!updated.ok()) {
      Fail(result, "UpdateService failed", updated.error());
      return;
    }
    result->detail = fmt::format("service {} now deploys {}", step.service, st->new_ref);
  }

  void DoWait(State* st, StepResult* result) {
    const Step& step = result->step;
    std::string key = step.cluster + "/" + step.service;
    if (std::find(st->untouched_services.begin(), st->untouched_services.end(), key) !=
        st->untouched_services.end()) {
      result->state = StepState::kSkipped;
      result->detail = "the service was not updated";
      return;
    }
    auto start = options_.clock->Now();
    auto deadline = start + options_.wait_timeout;
    int polls = 0;
    while (true) {
      Result<ordered_json> service = DescribeService(st, step);
      ++polls;
      if (!service.ok()) {
        Fail(result, "DescribeServices failed", service.error());
        return;
      }
      std::string why;
      Stability s = ServiceStability(*service, st->r->family, st->new_revision, &why);
      if (s == Stability::kStable) {
        auto waited =
            std::chrono::duration_cast<std::chrono::seconds>(options_.clock->Now() - start);
        result->detail = fmt::format("stable on {} after {}s ({} poll(s)): {}", st->new_ref,
                                     waited.count(), polls, why);
        return;
      }
      if (s == Stability::kFailed) {
        result->state = StepState::kFailed;
        result->detail = "the deployment failed";
        result->error = why;
        return;
      }
      auto now = options_.clock->Now();
      if (now >= deadline) {
        result->state = StepState::kFailed;
        result->detail = fmt::format("not stable after {}s", options_.wait_timeout.count());
        result->error = "timed out: " + why;
        return;
      }
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
      Sleep(std::min(options_.poll_interval, left));
    }
  }

  void DoDeregister(State* st, StepResult* result) {
    const Step& step = result->step;
    if (!options_.deregister_old) {
      result->state = StepState::kSkipped;
      result->detail = "not requested (--deregister-old)";
      return;
    }
    ordered_json describe = {{"taskDefinition", step.task_definition}};
    Result<ordered_json> old = Call(*st->ecs, "DescribeTaskDefinition", describe);
    if (!old.ok()) {
      Fail(result, "cannot read the old revision", old.error());
      return;
    }
    if ((*old)["taskDefinition"].value("status", "") == "INACTIVE") {
      result->state = StepState::kSkipped;
      result->detail = "already INACTIVE";
      return;
    }
    Result<ordered_json> done = Call(*st->ecs, "DeregisterTaskDefinition", describe);
    if (!done.ok()) {
      Fail(result, "DeregisterTaskDefinition failed", done.error());
      return;
    }
    result->detail = fmt::format("deregistered {}", step.task_definition);
  }

  void Fail(StepResult* result, std::string detail, const Error& error) {
    result->state = StepState::kFailed;
    result->detail = std::move(detail);
    result->error = ErrorText(error);
  }

  void Sleep(std::chrono::milliseconds d) {
    if (options_.sleep) {
      options_.sleep(d);
    } else {
      std::this_thread::sleep_for(d);
    }
  }

  void RecordNotRun(int batch, const RevisionPlan& r, const Step& step) {
    Record(
        StepResult{batch, r.arn, step, StepState::kNotRun, "not run: an earlier step failed", ""});
  }

  void Record(StepResult result) {
    if (options_.on_step) options_.on_step(result);
    report_.steps.push_back(std::move(result));
  }

  const Plan& plan_;
  EcsClients& clients_;
  const ApplyOptions& options_;
  ApplyReport report_;
  bool stopped_ = false;
  std::map<std::string, const RevisionPlan*> planned_;  // by FixesTagValue of the original
};

}  // namespace

std::string_view StepStateName(StepState s) {
  switch (s) {
    case StepState::kDone:
      return "done";
    case StepState::kSkipped:
      return "skipped";
    case StepState::kFailed:
      return "failed";
    case StepState::kNotRun:
      return "not-run";
    case StepState::kRefused:
      return "refused";
  }
  return "?";
}

std::string StepResult::Describe() const {
  std::string what;
  switch (step.kind) {
    case StepKind::kRegister:
      what = fmt::format("register {}", step.task_definition);
      break;
    case StepKind::kUpdateService:
    case StepKind::kWaitStable:
      what = fmt::format("{} {}/{}", StepKindName(step.kind), step.cluster, step.service);
      break;
    case StepKind::kDeregister:
      what = fmt::format("deregister {}", step.task_definition);
      break;
  }
  std::string line = fmt::format("batch {} {} [{}]: {}", batch, what, StepStateName(state), detail);
  if (!error.empty()) line += " (" + error + ")";
  // Details quote AWS answers and names from the scan: nothing may reach a terminal raw.
  return OneLine(line);
}

bool ApplyReport::ok() const {
  return Count(StepState::kFailed) == 0 && Count(StepState::kRefused) == 0;
}

size_t ApplyReport::Count(StepState s) const {
  return static_cast<size_t>(
      std::count_if(steps.begin(), steps.end(), [s](const StepResult& r) { return r.state == s; }));
}

Stability ServiceStability(const ordered_json& service, std::string_view family, int64_t revision,
                           std::string* why) {
  std::string current = service.value("taskDefinition", "");
  const ordered_json empty = ordered_json::array();
  const ordered_json& deployments =
      service.contains("deployments") && service["deployments"].is_array() ? service["deployments"]
                                                                           : empty;
  for (const ordered_json& d : deployments) {
    if (d.value("rolloutState", "") == "FAILED" &&
        Refers(d.value("taskDefinition", ""), family, revision)) {
      *why = "rollout FAILED: " + d.value("rolloutStateReason", "no reason given");
      return Stability::kFailed;
    }
  }
  if (!Refers(current, family, revision)) {
    *why = fmt::format("the service runs {}", current);
    return Stability::kInProgress;
  }
  int64_t running = service.value("runningCount", int64_t{-1});
  int64_t desired = service.value("desiredCount", int64_t{-2});
  if (deployments.size() == 1) {
    const ordered_json& d = deployments.front();
    std::string rollout = d.value("rolloutState", "");
    if (d.value("status", "PRIMARY") == "PRIMARY" &&
        (rollout == "COMPLETED" || running == desired)) {
      *why = rollout == "COMPLETED"
                 ? "rollout COMPLETED"
                 : fmt::format("one deployment, {} of {} tasks running", running, desired);
      return Stability::kStable;
    }
  }
  *why =
      fmt::format("{} deployment(s), {} of {} tasks running", deployments.size(), running, desired);
  return Stability::kInProgress;
}

ApplyReport Apply(const Plan& plan, EcsClients& clients, const ApplyOptions& options) {
  return Runner(plan, clients, options).Run();
}

Result<std::string> CollectRescanSnapshot(const Batch& batch,
                                          const std::vector<RevisionOutcome>& outcomes,
                                          EcsClients& clients) {
  std::string out;
  auto call = [&](aws::Client& ecs, std::string_view op,
                  const ordered_json& request) -> Result<ordered_json> {
    Result<ordered_json> answer = Call(ecs, op, request);
    if (!answer.ok()) {
      return Error(answer.error().code(), fmt::format("{}: {}", op, ErrorText(answer.error())));
    }
    return std::move(answer).value();
  };
  for (size_t i = 0; i < batch.revisions.size(); ++i) {
    const RevisionPlan& r = batch.revisions[i];
    ASSIGN_OR_RETURN(aws::Client * ecs, clients.For(r.account_id, r.region));
    std::vector<std::string> arns = {r.arn};
    if (i < outcomes.size() && !outcomes[i].new_arn.empty()) arns.push_back(outcomes[i].new_arn);
    for (const std::string& arn : arns) {
      ASSIGN_OR_RETURN(ordered_json td, call(*ecs, "DescribeTaskDefinition",
                                             {{"taskDefinition", arn}, {"include", {"TAGS"}}}));
      out += td.dump() + "\n";
    }
    for (const std::string& cluster : r.clusters) {
      std::vector<std::string> services;
      for (const ServiceRef& s : r.services) {
        if (s.cluster == cluster) services.push_back(s.name);
      }
      for (size_t at = 0; at < services.size(); at += 10) {
        std::vector<std::string> chunk(services.begin() + at,
                                       services.begin() + std::min(services.size(), at + 10));
        ASSIGN_OR_RETURN(ordered_json answer, call(*ecs, "DescribeServices",
                                                   {{"cluster", cluster}, {"services", chunk}}));
        out += answer.dump() + "\n";
      }
      // Every task of the family in the cluster, whoever started it.
      std::vector<std::string> tasks;
      std::string token;
      do {
        ordered_json request = {{"cluster", cluster}, {"family", r.family}};
        if (!token.empty()) request["nextToken"] = token;
        ASSIGN_OR_RETURN(ordered_json page, call(*ecs, "ListTasks", request));
        for (const ordered_json& t : page.value("taskArns", ordered_json::array())) {
          if (t.is_string()) tasks.push_back(t.get<std::string>());
        }
        token = page.value("nextToken", "");
      } while (!token.empty());
      for (size_t at = 0; at < tasks.size(); at += 100) {
        std::vector<std::string> chunk(tasks.begin() + at,
                                       tasks.begin() + std::min(tasks.size(), at + 100));
        ASSIGN_OR_RETURN(ordered_json answer,
                         call(*ecs, "DescribeTasks", {{"cluster", cluster}, {"tasks", chunk}}));
        out += answer.dump() + "\n";
      }
    }
  }
  return out;
}

}  // namespace ecsguard::remediate
