#pragma once

// Remediation plans: which revisions to fix, in which order, and the steps that fix each one.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "posture/finding.h"
#include "remediate/fix.h"
#include "remediate/revision_source.h"

namespace ecsguard::remediate {

// Which failing findings to remediate. Each list that is set must match (AND); within a list
// any value matches (OR). Empty lists do not constrain.
struct Selection {
  std::vector<std::string> finding_ids;
  std::vector<std::string> arns;
  std::vector<std::string> families;
  std::vector<std::string> accounts;
  std::vector<posture::Priority> priorities;

  bool Matches(const posture::Finding& finding) const;
};

// "P1".."P4" (any case).
std::optional<posture::Priority> ParsePriority(std::string_view text);

enum class StepKind : uint8_t { kRegister, kUpdateService, kWaitStable, kDeregister };
std::string_view StepKindName(StepKind kind);  // "register", "update-service", ...

struct Step {
  StepKind kind = StepKind::kRegister;
  std::string region;
  std::string cluster;  // update-service, wait-stable
  std::string service;  // update-service, wait-stable: the service name
  // register: the family; update-service: the family (the new revision number is known once
  // registered); deregister: the old revision's ARN.
  std::string task_definition;
  std::string input_file;  // register: the input document's file name (see RevisionPlan)
};

struct ServiceRef {
  std::string arn;
  std::string cluster;  // name
  std::string name;
};

// Everything about fixing one revision.
struct RevisionPlan {
  std::string arn;
  std::string account_id;
  std::string region;
  std::string family;
  int64_t revision = 0;
  std::string status;  // ACTIVE / INACTIVE, as the source reported it
  posture::Priority priority = posture::Priority::kP4;  // the most urgent of its findings
  std::vector<std::string> finding_ids;
  std::vector<std::string> controls;
  RevisionFix fix;
  // File name of the register input, unique per revision: "<account>-<region>-<family>-<rev>.json".
  std::string input_file;
  std::vector<ServiceRef> services;
  std::vector<std::string> clusters;  // names of the clusters its tasks and services run in
  size_t tasks = 0;                   // running tasks that use the revision
  std::vector<Step> steps;  // register, (update-service, wait-stable) per service, deregister
};

struct Batch {
  int number = 1;  // 1-based
  std::vector<RevisionPlan> revisions;
};

// A selected finding the plan does not fix, and why.
struct Skipped {
  std::string finding_id;
  std::string arn;  // or the IaC resource id
  std::string reason;
  // True when the finding should have been fixed and could not be planned (its document is
  // missing, a service's cluster is unknown): the plan is incomplete.
  bool problem = false;
};

struct PlanOptions {
  FixOptions fix;
  size_t batch_size = 10;  // revisions per batch
  std::chrono::seconds wait_timeout{600};
};

struct Plan {
  PlanOptions options;
  // By priority (P1 first), then account, region, family, revision; a family's revisions stay
  // together, oldest first, at the family's most urgent priority (the newest fix is registered
  // last, so it stays the family's newest revision).
  std::vector<Batch> batches;
  std::vector<Skipped> skipped;
  size_t selected_findings = 0;  // FAIL findings the selection matched

  size_t revision_count() const;
  bool complete() const;  // no Skipped with problem set
};

// Builds the plan for the FAIL findings `selection` matches: one RevisionPlan per ARN (every
// finding of every control on that ARN is fixed by the same new revision), documents from
// `source`. Selected findings that are EXCEPTED, NOT_EVALUATED or about IaC files are listed
// in `skipped`; so, as problems, are revisions that cannot be fixed safely: a document that is
// missing or redacted, or a name (ARN, family, cluster, service, container) AWS would not
// accept, which is refused rather than rendered. Errors: kInvalidArgument for a batch size of 0.
Result<Plan> BuildPlan(const std::vector<posture::Finding>& findings, const Selection& selection,
                       RevisionSource& source, const PlanOptions& options);

// The services a finding names, with their cluster: from the service ARN
// (service/CLUSTER/NAME), or for the old ARN format (service/NAME) the one cluster of the
// finding in the service's region. Errors: kInvalidArgument ("refused: ...") when a service ARN
// or name is not one AWS accepts; kNotFound naming the service when its cluster is ambiguous.
Result<std::vector<ServiceRef>> ServicesOf(const posture::Finding& finding);

}  // namespace ecsguard::remediate
