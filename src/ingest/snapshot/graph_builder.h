#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/error.h"
#include "graph/graph.h"
#include "ingest/snapshot/record_sink.h"
#include "ingest/snapshot/records.h"
#include "ingest/snapshot/snapshot.h"

namespace ecsguard::ingest::snapshot_internal {

// The graph names of containers' environment entries (SnapshotOptions::environment).
inline constexpr std::string_view kEnvEntry = "ECSEnvEntry";
inline constexpr std::string_view kHasEnvEntry = "HAS_ENV_ENTRY";

// Where a document is in its file, to read it a second time: `size` bytes at `offset` of the
// file's `file`-th input, starting at `line`:`column`; or the item `item` of the top-level
// taskDefinitions array of a document too large to parse whole (-1: the whole document); or,
// when the input cannot be read twice (a pipe), the copy `saved` (-1: none).
struct DocumentPlace {
  uint64_t offset = 0;
  uint32_t size = 0, line = 0, column = 0, file = 0;
  int32_t item = -1, saved = -1;
};

// What the builder keeps of a task definition it does not build (Revisions::kReferenced); a
// reader thread can take it (line_batches.h).
struct DeferredRevision {
  uint64_t arn_hash = 0;
  std::string account, region;
};

// Turns records into nodes and properties as they arrive, and keeps what relationships need
// until every file is read: Finish() then links, computes isLatestRevision, settles the gaps and
// freezes the graph. Records must carry the id fields the shape reader checked (an ARN etc.).
class GraphBuilder final : public RecordSink {
 public:
  // `graph_names`: what the graph is projected to (SnapshotOptions::graph_names).
  // `revisions`: SnapshotOptions::revisions.
  explicit GraphBuilder(std::optional<std::vector<std::string>> graph_names = std::nullopt,
                        SnapshotOptions::Revisions revisions = SnapshotOptions::Revisions::kAll);
  ~GraphBuilder() override;

  // Records that follow come from this file (the task definitions' `source`). `rereadable`:
  // whether its bytes can be read again at their offsets (false for a pipe).
  void BeginFile(std::string_view path, bool rereadable = true);
  void BeginDocument(std::string_view text, uint64_t offset, uint32_t line, uint32_t column,
                     int32_t item) override;

  // ---- Revisions no one refers to (SnapshotOptions::Revisions::kReferenced) ----------------
  // Until Finish, task definitions are only noted with their place. Once every file is read, the
  // caller reads the places PlacesToBuild lists again, between BeginReread and EndReread, with
  // the same DocumentReader calls: only the referenced task definitions are built then, and
  // every other record is ignored (it was added the first time).
  bool defers() const { return defer_; }
  std::vector<DocumentPlace> PlacesToBuild(bool require_task_list);
  std::string_view SavedText(int32_t saved) const { return saved_[static_cast<size_t>(saved)]; }
  // What Defer keeps of the task definition with this ARN, or nothing when the ARN does not parse
  // (then it is not added at all). Thread-safe.
  static std::optional<DeferredRevision> DeferralOf(std::string_view arn);
  // Notes a task definition of the current document (BeginDocument) without building it.
  void Defer(const DeferredRevision& revision);
  void BeginReread(uint32_t file);
  // Problems for referenced task definitions that were not found again (a file that changed).
  void EndReread(std::vector<Error>* problems);

  // RecordSink
  void AddTaskDefinition(const TaskDefinitionRecord& r) override;
  void AddTask(const TaskRecord& r) override;
  void AddService(const ServiceRecord& r) override;
  void AddCluster(const ClusterRecord& r) override;
  void AddContainerInstance(const ContainerInstanceRecord& r) override;
  void AddTaskSet(const TaskSetRecord& r) override;
  void AddCapacityProvider(const CapacityProviderRecord& r) override;
  void AddReservation(const ReservationRecord& r) override;
  void AddSecurityGroup(const SecurityGroupRecord& r) override;
  void AddLoadBalancer(const LoadBalancerRecord& r) override;
  void AddTargetGroup(const TargetGroupRecord& r) override;
  void AddTagDescription(const TagDescriptionRecord& r) override;
  void AddFailure(std::string_view asset_type, const FailureRecord& r) override;
  void AddUnreadable(std::string_view asset_type, std::string_view id, std::string reason) override;
  void NoteTaskList() override { task_list_seen_ = true; }

  // Without any task list (when `require_task_list`), task definitions are gaps for controls on
  // in-use revisions and a problem says why: none could be told to be in use, nor unused.
  void Finish(SnapshotResult* out, bool require_task_list);

 private:
  using Sym = graph::Sym;
  using Value = graph::Value;
  using NodeIndex = graph::NodeIndex;
  static constexpr Sym kNoSym = ~Sym{0};

  struct Keys;
  struct Scope;  // account, region and partition of the ARN being written

  // Whether `name` is one of the graph names read (always without a projection).
  bool Reads(std::string_view name) const;
  // Whether properties with this key are stored: read, or needed by Finish itself.
  bool Keeps(Sym key);
  // graph_.SetProp when the key is kept.
  void Set(NodeIndex node, Sym key, Value value);

  // The asset properties every node of a type implementing Asset carries.
  NodeIndex AddAsset(Sym label, std::string_view id, const Scope& scope, Value category);
  // The same for the types whose id is their ARN, which also carry it as `arn`.
  NodeIndex AddArnAsset(Sym label, std::string_view arn, const Scope& scope, Value category);
  // The cluster with this ARN; a placeholder when no file described it.
  std::optional<NodeIndex> ClusterNode(Sym arn);
  bool ParseScope(std::string_view arn, Scope* scope);
  void SetStr(NodeIndex node, Sym key, const OptStr& s);
  void SetInt(NodeIndex node, Sym key, const OptInt& i);
  void SetBool(NodeIndex node, Sym key, const OptBool& b);
  void SetTags(NodeIndex node, const Tags& tags);
  void SetTags(NodeIndex node, const std::vector<KeyValue>& tags, Range range);
  void SetTime(NodeIndex node, Sym key, const Timestamp& t);
  Sym SymOf(const OptStr& s) { return s ? graph_.Intern(*s) : kNoSym; }
  // graph_.String(s) through a small cache: most values repeat (accounts, regions, statuses,
  // images, environment keys and values), and the cache saves a lookup in the graph's table.
  Value Cached(std::string_view s);
  void SetCached(NodeIndex node, Sym key, const OptStr& s);
  void NoteRegion(std::string_view region);
  NodeIndex SecurityGroupNode(std::string_view group_id, std::string_view account,
                              std::string_view region, std::string_view partition);
  std::optional<NodeIndex> Find(std::string_view id, Sym label) const;
  std::string TaskDefinitionArn(std::string_view ref, std::string_view context_arn) const;

  void LinkTasks(SnapshotResult* out);
  void LinkServices();
  void LinkContainerInstances();
  void LinkTargetGroups();
  void CommitSecurityGroups();
  void ApplyElbTags();
  void MarkLatestRevisions();

  graph::Graph graph_;
  std::unique_ptr<Keys> k_;
  std::optional<std::vector<std::string>> graph_names_;
  // Properties Finish reads to link and settle assets, kept whatever the projection.
  static constexpr std::array<std::string_view, 11> kReadByBuilder = {
      "accountId",        "desiredStatus", "ec2InstanceId", "family",   "group",
      "lastStatus",       "name",          "region",        "revision", "status",
      "taskDefinitionArn"};
  enum : uint8_t { kUndecided, kKept, kDropped };
  std::vector<uint8_t> keeps_;                              // by key symbol
  bool secrets_ = true, volumes_ = true, settings_ = true;  // build these node types
  std::string scratch_;
  std::vector<Value> values_;
  static constexpr size_t kCacheSize = 4096;
  std::vector<Value> cache_ = std::vector<Value>(kCacheSize);
  Value source_;
  uint32_t file_index_ = 0;

  struct TaskLinks {
    Sym cluster = kNoSym, container_instance = kNoSym;
  };
  std::unordered_map<NodeIndex, TaskLinks> task_links_;
  struct ServiceLinks {
    Sym cluster = kNoSym;
    uint32_t task_definitions_begin = 0, task_definitions_end = 0;
    uint32_t target_groups_begin = 0, target_groups_end = 0;
  };
  std::unordered_map<NodeIndex, ServiceLinks> service_links_;
  std::unordered_map<NodeIndex, Range> target_group_links_;
  std::map<NodeIndex, Sym>
      task_set_services_;  // task set -> its service's ARN  // into ref_pool_: load balancers
  std::vector<Sym> ref_pool_;
  std::vector<NodeIndex> task_definitions_;
  std::unordered_map<Sym, Sym> vpc_region_;
  std::vector<Sym> file_region_;  // per file: its one region, or kNoSym (none or several)
  std::vector<bool> file_many_regions_;

  struct PendingSecurityGroup {
    Sym group_id, owner, vpc, arn;
    Value name, rules;
    bool has_ingress, open_to_internet;
    uint32_t file;
  };
  std::vector<PendingSecurityGroup> pending_security_groups_;
  struct PendingTags {
    Sym arn;
    Value tags;
  };
  std::vector<PendingTags> elb_tags_;
  std::vector<Gap> conditional_gaps_;  // dropped when the asset is in the graph after all
  bool task_list_seen_ = false;

  // Revisions no one refers to. While `defer_`, AddTaskDefinition notes each task definition in
  // deferred_ (its ARN's hash and its place) instead of building it.
  struct Deferred {
    uint64_t arn_hash;
    uint32_t place;  // into places_
  };
  bool defer_ = false, rereading_ = false, build_all_ = false;
  std::vector<Deferred> deferred_;
  bool deferred_sorted_ = false;  // by hash, then place
  void SortDeferred();
  std::vector<DocumentPlace> places_;
  std::vector<std::string> saved_;   // documents of inputs that cannot be read twice
  std::vector<Value> file_sources_;  // by file: its path, the task definitions' `source`
  std::vector<bool> file_rereadable_;
  DocumentPlace place_;  // of the current document
  std::string_view place_text_;
  bool place_noted_ = false;                        // place_ is places_.back()
  std::vector<std::pair<Sym, Sym>> unbuilt_cells_;  // account, region; sorted in Finish
  std::pair<std::string, std::string> last_cell_;
  static constexpr uint32_t kBuilt = ~uint32_t{0};
  std::unordered_map<std::string, uint32_t> needed_;  // ARN to build -> a place, or kBuilt
};

}  // namespace ecsguard::ingest::snapshot_internal
