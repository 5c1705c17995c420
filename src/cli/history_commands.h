#pragma once

// Internal to cli/: `ecsguard exceptions validate|list|expiring`, `ecsguard history list|diff`,
// and the two steps every scan command takes after evaluation: apply the exceptions file and
// record the scan in the history database.

#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "cli/app.h"
#include "posture/posture.h"
#include "store/store.h"

namespace ecsguard::cli {

struct ExceptionsOptions {
  std::string file;              // --exceptions FILE (or `exceptions:` from the config file)
  std::string within = "14d";    // expiring --within: 14d, 2w or a number of days
  std::string format = "text";   // --format text|json
  std::string controls_dir;      // validate: control ids are checked against this catalog
  const Clock* clock = nullptr;  // the system clock when null (tests inject a FixedClock)
};

struct HistoryOptions {
  std::string db;                  // --db URL; empty: sqlite:$XDG_DATA_HOME/ecsguard/ecsguard.db
  size_t limit = 20;               // list --limit (0: all)
  std::vector<std::string> scans;  // diff [SCAN_A] [SCAN_B]
  std::string format = "text";     // --format text|json
  std::string run_id;              // run RUN_ID
};

// Exit codes: 0 done, 3 a missing or broken file, database or argument (the error on stderr).
int RunExceptionsValidate(const ExceptionsOptions& options, Io& io);
int RunExceptionsList(const ExceptionsOptions& options, Io& io);
int RunExceptionsExpiring(const ExceptionsOptions& options, Io& io);

int RunHistoryList(const HistoryOptions& options, Io& io);
// No scan given: the latest scan against the one before it of the same kind. One: that scan
// against the latest. Two: the first against the second.
int RunHistoryDiff(const HistoryOptions& options, Io& io);
// `history run ID`: which shards of a sharded run were recorded (and as which scans), which
// are missing, and the merged run's totals. Exit 0 when every shard is recorded, 2 when some
// are missing (the run is incomplete), 3 when the run is unknown.
int RunHistoryRun(const HistoryOptions& options, Io& io);

// For the scan commands.

// The exceptions of --exceptions FILE with control aliases resolved against `catalog`; an
// empty set when `file` is empty. Errors name file:line:col.
Result<posture::ExceptionSet> LoadExceptions(const std::string& file,
                                             const controls::Catalog& catalog);
// The --db URL, else ECSGUARD_DB, else the default SQLite file from XDG_DATA_HOME or HOME.
Result<std::string> DatabaseUrl(const std::string& db_option);
// Opens the history database (the --db URL, else the default file) and migrates it.
Result<std::unique_ptr<store::Store>> OpenHistory(const std::string& db_option);

}  // namespace ecsguard::cli
