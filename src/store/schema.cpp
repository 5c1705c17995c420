#include "store/internal/connection.h"

namespace ecsguard::store::internal {

// The schema, written once. Append a migration to change it; never edit one that has shipped.
// Times are ISO 8601 UTC text; lists and nested records (inputs, evidence, context) are JSON
// text, read back only by this library.
const std::vector<Migration>& Migrations() {
  static const std::vector<Migration> kMigrations = {
      {1,
       "scans, coverage, problems, findings, finding identities, revision cache",
       {
           R"(CREATE TABLE scans (
  id {id},
  kind TEXT NOT NULL,
  tool_version TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  inputs TEXT NOT NULL,
  controls TEXT NOT NULL,
  warnings TEXT NOT NULL,
  complete INTEGER NOT NULL,
  total BIGINT NOT NULL,
  failed BIGINT NOT NULL,
  passed BIGINT NOT NULL,
  excepted BIGINT NOT NULL,
  not_evaluated BIGINT NOT NULL
))",
           "CREATE INDEX scans_by_kind ON scans (kind, id)",
           R"(CREATE TABLE scan_coverage (
  scan_id BIGINT NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
  position BIGINT NOT NULL,
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  state TEXT NOT NULL,
  detail TEXT NOT NULL,
  PRIMARY KEY (scan_id, position)
))",
           R"(CREATE TABLE scan_problems (
  scan_id BIGINT NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
  position BIGINT NOT NULL,
  code TEXT NOT NULL,
  message TEXT NOT NULL,
  file TEXT NOT NULL,
  line BIGINT NOT NULL,
  col BIGINT NOT NULL,
  PRIMARY KEY (scan_id, position)
))",
           // One row per finding record of a scan; `detail` holds evidence and context as JSON.
           R"(CREATE TABLE scan_findings (
  scan_id BIGINT NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
  position BIGINT NOT NULL,
  finding_id TEXT NOT NULL,
  control_id TEXT NOT NULL,
  control_title TEXT NOT NULL,
  severity TEXT NOT NULL,
  status TEXT NOT NULL,
  resource_type TEXT NOT NULL,
  resource_id TEXT NOT NULL,
  arn TEXT NOT NULL,
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  family TEXT NOT NULL,
  revision BIGINT NOT NULL,
  name TEXT NOT NULL,
  resource_status TEXT NOT NULL,
  file TEXT NOT NULL,
  line BIGINT NOT NULL,
  col BIGINT NOT NULL,
  reason TEXT NOT NULL,
  exception_id TEXT,
  exception_reason TEXT,
  exception_owner TEXT,
  exception_expires TEXT,
  exception_ticket TEXT,
  detail TEXT NOT NULL,
  PRIMARY KEY (scan_id, position)
))",
           "CREATE INDEX scan_findings_by_finding ON scan_findings (finding_id, scan_id)",
           // Identity of a finding across scans: the first and last scan that evaluated it.
           R"(CREATE TABLE findings (
  finding_id TEXT PRIMARY KEY,
  control_id TEXT NOT NULL,
  resource TEXT NOT NULL,
  first_seen_scan BIGINT NOT NULL REFERENCES scans (id),
  first_seen_at TEXT NOT NULL,
  last_seen_scan BIGINT NOT NULL REFERENCES scans (id),
  last_seen_at TEXT NOT NULL
))",
           // Task-definition revisions are immutable: a describe, once fetched, never changes.
           R"(CREATE TABLE revisions (
  arn TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  fetched_at TEXT NOT NULL,
  body TEXT NOT NULL
))",
       }},
      {2,
       "sharded runs: the run, shard and plan of a scan",
       {
           "ALTER TABLE scans ADD COLUMN run_id TEXT",
           "ALTER TABLE scans ADD COLUMN shard_index BIGINT",
           "ALTER TABLE scans ADD COLUMN shard_count BIGINT",
           // JSON [[account, [regions]], ...]: the whole run's cells, for naming those of
           // shards never recorded.
           "ALTER TABLE scans ADD COLUMN run_plan TEXT",
           "CREATE INDEX scans_by_run ON scans (run_id, shard_index, id)",
       }},
  };
  return kMigrations;
}

}  // namespace ecsguard::store::internal
