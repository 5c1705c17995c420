#pragma once

// Carrying a plan out through the ECS API, one step at a time, stopping at the first failure.

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/result.h"
#include "remediate/plan.h"
#include "remediate/revision_source.h"

namespace ecsguard::remediate {

// kRefused: the step was not attempted because the live state says it would do harm (a register
// whose original is no longer the newest revision of its family); the revision's other steps
// are kNotRun, other revisions go on.
enum class StepState : uint8_t { kDone, kSkipped, kFailed, kNotRun, kRefused };
std::string_view StepStateName(StepState s);  // "done", "skipped", "failed", "not-run", "refused"

struct StepResult {
  int batch = 0;
  std::string revision_arn;  // the revision the step belongs to
  Step step;
  StepState state = StepState::kNotRun;
  std::string detail;            // what happened, or why it was skipped / not run
  std::string error;             // the AWS error when it failed (code: message)
  std::string Describe() const;  // one line for logs, control characters removed
};

// What became of one revision.
struct RevisionOutcome {
  std::string old_arn;
  std::string new_arn;  // empty when the fix was not registered
  bool reused = false;  // an earlier run's fix (found by its kFixesTag) was used
};

struct RescanResult {
  int batch = 0;
  bool ok = false;
  std::string summary;  // what the re-scan found, or why it could not run
};

struct ApplyOptions {
  bool deregister_old = false;
  // Register a fix even when its original is no longer the newest ACTIVE revision of its family
  // (the fix then becomes the newest, replacing whatever was registered since the scan).
  bool force_stale = false;
  std::chrono::seconds wait_timeout{600};
  std::chrono::milliseconds poll_interval{15000};
  const Clock* clock = nullptr;                          // required
  std::function<void(std::chrono::milliseconds)> sleep;  // empty: std::this_thread::sleep_for
  std::function<void(const StepResult&)> on_step;        // called as each step ends
  // Called after each batch whose steps all succeeded, with the batch and what became of its
  // revisions: re-scans exactly what the batch touched. Optional.
  std::function<RescanResult(const Batch&, const std::vector<RevisionOutcome>&)> rescan;
};

struct ApplyReport {
  std::vector<StepResult> steps;  // every step of the plan, in plan order
  std::vector<RevisionOutcome> revisions;
  std::vector<RescanResult> rescans;
  bool ok() const;  // no step failed or was refused
  size_t Count(StepState s) const;
};

// Runs the plan: per revision, ListTaskDefinitions and DescribeTaskDefinition (TAGS) of the
// family's ACTIVE revisions newer than the original, then RegisterTaskDefinition: unless an
// ACTIVE revision tagged kFixesTag = the original and equal to the fix exists (an earlier run's:
// it is reused), and refused (kRefused) when a newer revision that is neither another revision
// of this plan nor an earlier fix of one exists, unless `force_stale`; per service DescribeServices
// + UpdateService to family:NEW (only a service that still runs the old revision is touched),
// DescribeServices until stable (one deployment, rollout COMPLETED or runningCount ==
// desiredCount) or the timeout, then DeregisterTaskDefinition of the old revision when
// `deregister_old` (skipped when it is already INACTIVE). The first failed step stops
// everything after it; those steps are reported kNotRun. Errors never carry environment values.
ApplyReport Apply(const Plan& plan, EcsClients& clients, const ApplyOptions& options);

enum class Stability : uint8_t { kStable, kInProgress, kFailed };
// Whether a DescribeServices `service` object has settled on `family:revision`; `why` says
// what is still going on (or what failed). moto keeps the original deployment's taskDefinition
// and no rollout state unless MOTO_ECS_SERVICE_RUNNING is set, so the service's own
// taskDefinition decides which revision it runs.
Stability ServiceStability(const nlohmann::ordered_json& service, std::string_view family,
                           int64_t revision, std::string* why);

// The awscli-shaped describe outputs (JSON Lines) of what a batch touched: old and new
// revisions, the services, and the tasks of each revision's family in its clusters; input for
// a snapshot scan. Errors: the first failed call.
Result<std::string> CollectRescanSnapshot(const Batch& batch,
                                          const std::vector<RevisionOutcome>& outcomes,
                                          EcsClients& clients);

}  // namespace ecsguard::remediate
