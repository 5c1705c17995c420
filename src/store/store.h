#pragma once

// store: the history of scans, kept in a database — SQLite by default (one embedded file),
// PostgreSQL for a shared history. Every scan is recorded in one transaction: the scan, its
// account x region coverage, its problems and every finding record with its status and
// exception. A findings table keeps, per stable finding id, the first and last scan that
// evaluated it. The revision cache keeps the describe JSON of immutable task-definition
// revisions by ARN, so a live rescan describes only what it has never seen.
//
// One schema, written once as numbered migrations (recorded in `schema_migrations`); Migrate()
// applies what is missing and is safe to call from several processes at once. Environment
// values are never stored: findings carry none, and PutRevisions redacts them from the
// describe JSON it caches (graph::BuiltinRedactor, the schema's @sensitive). Errors are values (kIo
// for the database, kNotFound for a missing scan, kInvalidArgument for a bad URL); messages name
// the database with its password masked.
//
//   ASSIGN_OR_RETURN(std::unique_ptr<Store> store, Store::Open("sqlite:/tmp/ecsguard.db"));
//   RETURN_IF_ERROR(store->Migrate());
//   ASSIGN_OR_RETURN(ScanId id, store->RecordScan(scan));
//   ASSIGN_OR_RETURN(std::vector<StoredScan> last, store->LatestScans(2, "aws"));
//   if (last.size() == 2) Show(posture::Diff(last[1].scan, last[0].scan));
//
// Thread-safety: a Store is thread-safe (calls on one Store are serialised). Separate Store
// objects — in one process or many — may write the same database concurrently: SQLite runs in
// WAL mode with a busy timeout and writers queue; PostgreSQL writers run side by side, and a
// transaction that loses a deadlock or serialisation race is retried.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"
#include "posture/scan.h"

namespace ecsguard::store {

using ScanId = int64_t;

// One row of `history list`.
struct ScanSummary {
  ScanId id = 0;
  std::string kind;  // "aws", "snapshot", "iac"
  std::string tool_version;
  std::string started_at;
  std::string finished_at;
  std::string recorded_at;  // when the database stored it (database clock, UTC)
  std::vector<std::string> inputs;
  bool complete = false;
  int64_t total = 0;
  int64_t failed = 0;
  int64_t passed = 0;
  int64_t excepted = 0;
  int64_t not_evaluated = 0;
};

// The first and last scans that evaluated a finding (any status but NOT_EVALUATED), by scan id
// order, with those scans' start times.
struct FindingSeen {
  ScanId first_scan = 0;
  std::string first_seen;
  ScanId last_scan = 0;
  std::string last_seen;
};

struct StoredScan {
  ScanSummary summary;
  posture::ScanResult scan;                 // as recorded, enough for posture::Diff
  std::map<std::string, FindingSeen> seen;  // by finding id, for the findings of this scan
};

// One shard of a run sharded across machines (`scan aws --shard I/N --run-id ID`), and the
// run's whole plan, so that a merged report can name the cells of shards never recorded.
struct RunShard {
  std::string run_id;
  int index = 0;
  int count = 1;
  // Every account of the run with its regions (names, or {"all"}), as base/shard.h splits
  // them.
  std::vector<std::pair<std::string, std::vector<std::string>>> plan;
};

// A sharded run as one scan: the newest recorded scan of each shard, merged.
struct StoredRun {
  std::string run_id;
  int count = 0;
  std::vector<ScanId> shard_scans;  // by shard index; 0 for a shard not recorded
  std::vector<int> missing;         // shard indexes not recorded
  // Findings, coverage, problems and warnings of every recorded shard (findings by id, once).
  // The cells of missing shards are covered as failed ("not recorded"), and a warning names
  // the missing shards, so the run is never complete while one is missing.
  posture::ScanResult scan;
};

// A cached DescribeTaskDefinition response.
struct CachedRevision {
  std::string arn;
  std::string account_id;
  std::string region;
  std::string fetched_at;  // ISO 8601
  std::string body;        // the describe JSON; environment values read "<redacted>"
};

class Store {
 public:
  // "sqlite:PATH", "sqlite:///abs/path", a bare PATH, a libpq URI "postgresql://..." /
  // "postgres://...", or a libpq keyword/value string ("host=db dbname=ecsguard ..."). The SQLite
  // file and its directory are created when missing; ":memory:" is a private in-memory database.
  // Open does not migrate.
  static Result<std::unique_ptr<Store>> Open(std::string_view url);

  virtual ~Store() = default;

  // The URL with any password masked (RedactPasswords), for messages.
  virtual const std::string& display_url() const = 0;

  // Applies the migrations the database lacks; returns how many. A database written by a newer
  // ecsguard (an unknown version) is a kConfiguration error.
  virtual Result<int> Migrate() = 0;
  // The highest applied migration (0 for an empty database).
  virtual Result<int> SchemaVersion() = 0;

  // Records a scan and everything in it in one transaction; returns its id (ids increase in
  // recording order).
  virtual Result<ScanId> RecordScan(const posture::ScanResult& scan) = 0;
  // Records one shard of a run like RecordScan. A shard recorded again (its job retried)
  // replaces the earlier recording in LoadRun; the earlier scan stays in the history.
  virtual Result<ScanId> RecordShard(const posture::ScanResult& scan, const RunShard& shard) = 0;
  // The run's shards merged; kNotFound when no shard of `run_id` was recorded.
  virtual Result<StoredRun> LoadRun(std::string_view run_id) = 0;
  // Newest first; limit 0 means all.
  virtual Result<std::vector<ScanSummary>> ListScans(size_t limit) = 0;
  // kNotFound when there is no such scan.
  virtual Result<StoredScan> LoadScan(ScanId id) = 0;
  // The `n` newest scans (of `kind` when not empty), newest first.
  virtual Result<std::vector<StoredScan>> LatestScans(size_t n, std::string_view kind = "") = 0;
  // First and last seen of one finding id; nothing when no scan evaluated it.
  virtual Result<std::optional<FindingSeen>> Seen(std::string_view finding_id) = 0;

  // The cached describe of one revision ARN, or nothing.
  virtual Result<std::optional<CachedRevision>> GetRevision(std::string_view arn) = 0;
  // Stores (or replaces) revisions in one transaction. A body that is not JSON is
  // kInvalidArgument and nothing is stored.
  virtual Result<void> PutRevisions(const std::vector<CachedRevision>& revisions) = 0;
};

// The default database: $XDG_DATA_HOME/ecsguard/ecsguard.db, else
// $HOME/.local/share/ecsguard/ecsguard.db, as "sqlite:PATH". Pass getenv() results ("" when
// unset); "" when both are empty.
std::string DefaultDatabaseUrl(std::string_view xdg_data_home, std::string_view home);

}  // namespace ecsguard::store
