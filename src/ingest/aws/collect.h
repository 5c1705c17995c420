#pragma once

// Collectors: what a live scan reads in one account and region, kept as the documents the AWS
// CLI would print for each call, so that the snapshot adapter turns them into the asset graph
// (one mapping for live scans and snapshots) and --save-snapshot only writes them out.
//
// The call plan, each paginator walked to its end and each batch limit respected:
//   ecs ListClusters -> DescribeClusters (100, tags and settings)
//   ecs ListTasks(desiredStatus RUNNING) per cluster -> DescribeTasks (100, tags)
//   the revisions the in-use tasks run -> revision cache, else DescribeTaskDefinition (tags),
//     once per distinct ARN; with all_revisions also ListTaskDefinitions(ACTIVE) and those
//   the services the tasks belong to (group "service:NAME") -> DescribeServices (10, tags)
//     -> elbv2 DescribeTargetGroups (20) -> DescribeLoadBalancers (20) -> DescribeTags (20)
//   the container instances the tasks run on -> DescribeContainerInstances (100, tags)
//     -> ec2 DescribeInstances -> DescribeSecurityGroups (filters of 200 ids)
//   with all_services: ListServices per cluster, and those services described too
//   with capacity_providers: DescribeCapacityProviders (tags), each page to the end
// Independent calls run side by side on the WorkPool, so wall time grows with the number of
// calls divided by the pool size, not with the number of revisions.
//
// Partial failure is data. A region that denies ListClusters is a denied cell with a Region
// gap; a cluster whose tasks cannot be listed fails the cell with a Region gap; tasks or
// revisions that cannot be described become ECS `failures` entries in the documents (the
// adapter makes them NOT_EVALUATED gaps); context that cannot be read (services, instances,
// load balancers, tags) leaves the checks whole but the priorities unsure: a warning, and a
// ContextGap that marks the priorities of the cell's findings as computed without it.
//
//   RegionResult r = CollectRegion(*session, {"123456789012", "eu-west-1"}, {.pool = &pool});
//   for (const Document& d : r.documents) jsonl += d.json + "\n";
//   ingest::SnapshotResult s = ingest::LoadSnapshotText(jsonl, "aws");
//
// Thread-safety: CollectRegion may run for many regions at once on one Session.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/result.h"
#include "ingest/aws/session.h"
#include "ingest/aws/work_pool.h"
#include "ingest/snapshot/snapshot.h"

namespace ecsguard::ingest::aws {

// One AWS answer in the JSON the AWS CLI prints for it (ECS as it came, EC2 and ELBv2 through
// awscli_json.h).
struct Document {
  std::string command;  // the CLI command that prints it: "ecs describe-tasks"
  std::string json;     // one line
};

// DescribeTaskDefinition answers by revision ARN: revisions are immutable, so a rescan describes
// only those it has never seen. (A revision's tags and ACTIVE/INACTIVE status can change; the
// cache keeps them as first described.) Implementations are thread-safe. Errors never stop a
// scan: a failed Get is a miss and a failed Put a warning.
class RevisionCache {
 public:
  struct Entry {
    std::string arn;
    std::string account_id;
    std::string region;
    std::string body;  // the DescribeTaskDefinition answer
  };
  virtual ~RevisionCache() = default;
  // The bodies the cache holds for `arns`, by ARN.
  virtual Result<std::map<std::string, std::string>> Get(const std::vector<std::string>& arns) = 0;
  virtual Result<void> Put(const std::vector<Entry>& entries) = 0;
};

enum class CellState : uint8_t { kEvaluated, kDenied, kFailed };

// A call that reads what priorities are made of (services, target groups, load balancers,
// instances, security groups, tags) and failed, in an account and region ("" for every region
// of the account: its Organizations tags).
struct ContextGap {
  std::string account_id;
  std::string region;
  std::string operation;  // "DescribeServices", "ListTagsForResource", ...
};

struct RegionTarget {
  std::string account_id;
  std::string region;
  CredentialSource* credentials = nullptr;  // nullptr: the session's
};

struct CollectOptions {
  bool all_revisions = false;       // also list and describe every ACTIVE revision
  bool all_services = false;        // every service of every cluster, not only those with tasks
  bool capacity_providers = false;  // the region's capacity providers
  RevisionCache* cache = nullptr;   // nullptr: describe every revision
  WorkPool* pool = nullptr;         // fan-out inside the region; nullptr: one call at a time
};

struct RegionResult {
  std::string account_id;
  std::string region;
  CellState state = CellState::kEvaluated;
  std::string detail;  // why the cell is denied or failed
  std::vector<Document> documents;
  std::vector<Gap> gaps;  // what the documents cannot say (a region or cluster not listed)
  std::vector<std::string> warnings;
  std::vector<ContextGap> context_gaps;  // one per failed operation, sorted
  int64_t cache_hits = 0;
  int64_t revisions_described = 0;  // DescribeTaskDefinition answers received
};

RegionResult CollectRegion(Session& session, const RegionTarget& target,
                           const CollectOptions& options);

// The limits the plan respects, for tests and the documentation.
inline constexpr size_t kDescribeTasksBatch = 100;
inline constexpr size_t kDescribeServicesBatch = 10;
inline constexpr size_t kDescribeContainerInstancesBatch = 100;
inline constexpr size_t kDescribeClustersBatch = 100;
inline constexpr size_t kElbv2ArnBatch = 20;
inline constexpr size_t kEc2FilterValues = 200;

}  // namespace ecsguard::ingest::aws
