#include "remediate/plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "base/arn.h"
#include "base/strings.h"
#include "remediate/names.h"

namespace ecsguard::remediate {
namespace {

template <typename T>
bool AnyOf(const std::vector<T>& list, const T& value) {
  return list.empty() || std::find(list.begin(), list.end(), value) != list.end();
}

void AddUnique(std::vector<std::string>* list, const std::string& value) {
  if (std::find(list->begin(), list->end(), value) == list->end()) list->push_back(value);
}

// Controls of the Security Hub family whose fix is not a field of the same revision: a secret to
// move to Secrets Manager (ECS.8), a log destination to choose (ECS.9), an EFS mount to change
// (ECS.18), a Windows account (ECS.21), a network or PID mode the services depend on (ECS.3,
// ECS.17). Their findings are left to the control's console and CLI steps.
constexpr std::string_view kNoMechanicalFix[] = {
    "aws-securityhub-ecs-3",  "aws-securityhub-ecs-8",  "aws-securityhub-ecs-9",
    "aws-securityhub-ecs-17", "aws-securityhub-ecs-18", "aws-securityhub-ecs-21"};

// Why a failing finding is not fixed by a new revision, or nothing when it is.
std::optional<std::string> ManualOnly(const posture::Finding& f) {
  std::optional<Arn> arn = ParseArn(f.resource.arn);
  if (!arn) return std::nullopt;  // refused below, as any name AWS would not accept
  bool task_definition = arn->resource.starts_with("task-definition/");
  bool manual = std::find(std::begin(kNoMechanicalFix), std::end(kNoMechanicalFix), f.control_id) !=
                std::end(kNoMechanicalFix);
  if (task_definition && !manual) return std::nullopt;
  return fmt::format(
      "{}: no new revision fixes this; follow the steps of `ecsguard controls show "
      "{}`",
      task_definition ? "the fix is not a field change" : "not a task definition", f.control_id);
}

std::string SkipReason(const posture::Finding& f) {
  switch (f.status) {
    case posture::Status::kExcepted:
      if (f.exception) {
        return fmt::format("excepted by {} (owner {}, expires {})", f.exception->id,
                           f.exception->owner, f.exception->expires);
      }
      return "excepted";
    case posture::Status::kNotEvaluated:
      return "not evaluated: " + f.reason;
    default:
      return "";
  }
}

std::vector<Step> StepsOf(const RevisionPlan& r) {
  std::vector<Step> steps;
  steps.push_back({StepKind::kRegister, r.region, "", "", r.family, r.input_file});
  for (const ServiceRef& s : r.services) {
    steps.push_back({StepKind::kUpdateService, r.region, s.cluster, s.name, r.family, ""});
    steps.push_back({StepKind::kWaitStable, r.region, s.cluster, s.name, r.family, ""});
  }
  // An INACTIVE revision is already deregistered (running tasks may still use it).
  if (r.status != "INACTIVE") steps.push_back({StepKind::kDeregister, r.region, "", "", r.arn, ""});
  return steps;
}

// Why the document fetched for `r` cannot become a register input as it stands: it belongs to
// another family, or names a container ECS would not accept.
std::optional<std::string> CheckDocument(const RevisionDocument& doc, const RevisionPlan& r) {
  const nlohmann::ordered_json& td = doc.task_definition;
  if (!td.contains("family") || td["family"] != r.family) {
    return fmt::format("the document of {} names another family", r.arn);
  }
  if (td.contains("containerDefinitions") && td["containerDefinitions"].is_array()) {
    for (const nlohmann::ordered_json& c : td["containerDefinitions"]) {
      const nlohmann::ordered_json* name =
          c.is_object() && c.contains("name") ? &c["name"] : nullptr;
      if (!name || !name->is_string() || !IsValidName(name->get<std::string>())) {
        return fmt::format(
            "{}: container name \"{}\" is not 1 to 255 letters, digits, hyphens and underscores",
            r.arn, name && name->is_string() ? OneLine(name->get<std::string>()) : "");
      }
    }
  }
  return std::nullopt;
}

}  // namespace

bool Selection::Matches(const posture::Finding& f) const {
  return AnyOf(finding_ids, f.id) && AnyOf(arns, f.resource.arn) &&
         AnyOf(families, f.resource.family) && AnyOf(accounts, f.resource.account_id) &&
         AnyOf(priorities, f.context.priority);
}

std::optional<posture::Priority> ParsePriority(std::string_view text) {
  std::string t = ToLower(text);
  if (t == "p1") return posture::Priority::kP1;
  if (t == "p2") return posture::Priority::kP2;
  if (t == "p3") return posture::Priority::kP3;
  if (t == "p4") return posture::Priority::kP4;
  return std::nullopt;
}

std::string_view StepKindName(StepKind kind) {
  switch (kind) {
    case StepKind::kRegister:
      return "register";
    case StepKind::kUpdateService:
      return "update-service";
    case StepKind::kWaitStable:
      return "wait-stable";
    case StepKind::kDeregister:
      return "deregister";
  }
  return "?";
}

size_t Plan::revision_count() const {
  size_t n = 0;
  for (const Batch& b : batches) n += b.revisions.size();
  return n;
}

bool Plan::complete() const {
  return std::none_of(skipped.begin(), skipped.end(), [](const Skipped& s) { return s.problem; });
}

Result<std::vector<ServiceRef>> ServicesOf(const posture::Finding& finding) {
  std::vector<ServiceRef> out;
  for (const std::string& service_arn : finding.context.services) {
    if (std::optional<std::string> why = CheckServiceArn(service_arn)) {
      return Error(ErrorCode::kInvalidArgument, "refused: " + *why);
    }
    std::optional<Arn> arn = ParseArn(service_arn);
    std::vector<std::string_view> parts = Split(arn->resource, '/');
    ServiceRef ref{service_arn, "", std::string(parts.back())};
    if (parts.size() == 3) {
      ref.cluster = std::string(parts[1]);
    } else {
      // Old ARN format: the cluster is the finding's only cluster in that region and account.
      std::vector<std::string> candidates;
      for (const std::string& cluster_arn : finding.context.clusters) {
        std::optional<Arn> c = ParseArn(cluster_arn);
        if (c && c->region == arn->region && c->account_id == arn->account_id &&
            c->resource.starts_with("cluster/") && IsValidName(c->resource.substr(8))) {
          candidates.push_back(c->resource.substr(8));
        }
      }
      if (candidates.size() != 1) {
        return Error(ErrorCode::kNotFound,
                     fmt::format("cannot tell which cluster runs service {} (old ARN format, {} "
                                 "valid candidate clusters)",
                                 service_arn, candidates.size()));
      }
      ref.cluster = candidates.front();
    }
    out.push_back(std::move(ref));
  }
  return out;
}

Result<Plan> BuildPlan(const std::vector<posture::Finding>& findings, const Selection& selection,
                       RevisionSource& source, const PlanOptions& options) {
  if (options.batch_size == 0) {
    return Error(ErrorCode::kInvalidArgument, "the batch size must be at least 1");
  }
  Plan plan;
  plan.options = options;

  // Group the selected failures by revision, keeping the order they were given in.
  std::vector<std::string> order;
  std::map<std::string, std::vector<const posture::Finding*>> by_arn;
  for (const posture::Finding& f : findings) {
    if (f.status == posture::Status::kPass || !selection.Matches(f)) continue;
    std::string id = f.resource.arn.empty() ? f.resource.id : f.resource.arn;
    if (f.status != posture::Status::kFail) {
      plan.skipped.push_back({f.id, id, SkipReason(f), false});
      continue;
    }
    ++plan.selected_findings;
    if (f.resource.arn.empty()) {
      plan.skipped.push_back(
          {f.id, id, "an IaC finding: fix the template or module it points at", false});
      continue;
    }
    if (std::optional<std::string> why = ManualOnly(f)) {
      plan.skipped.push_back({f.id, id, *why, false});
      continue;
    }
    if (!by_arn.count(f.resource.arn)) order.push_back(f.resource.arn);
    by_arn[f.resource.arn].push_back(&f);
  }

  auto skip_all = [&](const std::vector<const posture::Finding*>& group, const std::string& why) {
    for (const posture::Finding* f : group)
      plan.skipped.push_back({f->id, f->resource.arn, why, true});
  };

  std::vector<RevisionPlan> revisions;
  for (const std::string& arn : order) {
    const std::vector<const posture::Finding*>& group = by_arn[arn];
    const posture::Finding& first = *group.front();
    // Every name goes into commands, file names and requests: one AWS would not accept is
    // refused, never rendered. The ARN names the revision; the finding's copies may disagree.
    if (std::optional<std::string> why = CheckTaskDefinitionArn(arn)) {
      skip_all(group, "refused: " + *why);
      continue;
    }
    RevisionPlan r;
    r.arn = arn;
    std::optional<Arn> parsed = ParseArn(arn);
    std::optional<FamilyRevision> fr = ParseTaskDefinitionRef(arn);
    r.account_id = parsed->account_id;
    r.region = parsed->region;
    r.family = fr->family;
    r.revision = fr->revision;
    r.priority = first.context.priority;
    std::set<std::string> tasks;
    bool services_ok = true;
    for (const posture::Finding* f : group) {
      r.priority = std::min(r.priority, f->context.priority);
      r.finding_ids.push_back(f->id);
      AddUnique(&r.controls, f->control_id);
      tasks.insert(f->context.tasks.begin(), f->context.tasks.end());
      for (const std::string& cluster_arn : f->context.clusters) {
        std::optional<Arn> c = ParseArn(cluster_arn);
        if (!c || !c->resource.starts_with("cluster/")) continue;
        if (!IsValidName(c->resource.substr(8))) {
          skip_all(group, fmt::format("refused: \"{}\": the cluster name is not 1 to 255 "
                                      "letters, digits, hyphens and underscores",
                                      OneLine(cluster_arn)));
          services_ok = false;
          break;
        }
        AddUnique(&r.clusters, c->resource.substr(8));
      }
      if (!services_ok) break;
      Result<std::vector<ServiceRef>> services = ServicesOf(*f);
      if (!services.ok()) {
        skip_all(group, services.error().code() == ErrorCode::kInvalidArgument
                            ? services.error().message()
                            : services.error().message() + "; update it by hand");
        services_ok = false;
        break;
      }
      for (ServiceRef& s : *services) {
        AddUnique(&r.clusters, s.cluster);
        bool known = std::any_of(r.services.begin(), r.services.end(),
                                 [&](const ServiceRef& x) { return x.arn == s.arn; });
        if (!known) r.services.push_back(std::move(s));
      }
    }
    if (!services_ok) continue;
    r.tasks = tasks.size();

    Result<RevisionDocument> doc = source.Get(arn);
    if (!doc.ok()) {
      skip_all(group, "cannot read the task definition: " + doc.error().message());
      continue;
    }
    if (std::optional<std::string> why = CheckDocument(*doc, r)) {
      skip_all(group, "refused: " + *why);
      continue;
    }
    r.status = doc->task_definition.value("status", "");
    Result<RevisionFix> fix = ComputeFix(*doc, group, options.fix);
    if (!fix.ok()) {
      skip_all(group, fix.error().message());
      continue;
    }
    r.fix = std::move(fix).value();
    if (r.fix.changes.empty()) {
      for (const posture::Finding* f : group) {
        plan.skipped.push_back(
            {f->id, arn,
             "nothing to change: no container is privileged or root" +
                 (r.fix.notes.empty() ? "" : " (" + Join(r.fix.notes, "; ") + ")"),
             false});
      }
      continue;
    }
    if (r.services.empty() && r.tasks > 0) {
      r.fix.notes.push_back(fmt::format(
          "no service runs this revision: its {} running task(s) were started directly (RunTask, "
          "EventBridge, Step Functions); point what starts them at {}:NEW and stop the old tasks",
          r.tasks, r.family));
    }
    r.input_file = fmt::format("{}-{}-{}-{}.json", r.account_id, r.region, r.family, r.revision);
    revisions.push_back(std::move(r));
  }

  // A service in the middle of a deployment runs two flagged revisions of one family: move it
  // once, to the fix of the newest, never back to an older image.
  for (RevisionPlan& r : revisions) {
    std::erase_if(r.services, [&](const ServiceRef& s) {
      for (const RevisionPlan& other : revisions) {
        if (&other == &r || other.family != r.family || other.revision <= r.revision) continue;
        for (const ServiceRef& o : other.services) {
          if (o.arn != s.arn) continue;
          r.fix.notes.push_back(fmt::format(
              "service {} also runs the newer {}:{}; it is moved once, to that revision's fix",
              s.name, other.family, other.revision));
          return true;
        }
      }
      return false;
    });
    r.steps = StepsOf(r);
  }

  // A family's revisions stay together, oldest first, at the family's most urgent priority:
  // each fix becomes the family's newest revision when registered, so the fix of the newest
  // original must be registered last.
  std::map<std::tuple<std::string, std::string, std::string>, posture::Priority> urgency;
  for (const RevisionPlan& r : revisions) {
    auto [it, added] = urgency.try_emplace({r.account_id, r.region, r.family}, r.priority);
    it->second = std::min(it->second, r.priority);
  }
  auto family_priority = [&](const RevisionPlan& r) {
    return urgency.at({r.account_id, r.region, r.family});
  };
  std::stable_sort(
      revisions.begin(), revisions.end(), [&](const RevisionPlan& a, const RevisionPlan& b) {
        return std::tuple(family_priority(a), a.account_id, a.region, a.family, a.revision) <
               std::tuple(family_priority(b), b.account_id, b.region, b.family, b.revision);
      });
  for (size_t i = 0; i < revisions.size(); ++i) {
    if (i % options.batch_size == 0) {
      plan.batches.push_back(Batch{static_cast<int>(plan.batches.size()) + 1, {}});
    }
    plan.batches.back().revisions.push_back(std::move(revisions[i]));
  }
  return plan;
}

}  // namespace ecsguard::remediate
