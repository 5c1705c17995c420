#pragma once

// Internal to cli/: option structs filled by CLI11 and the subcommands that run them.

#include <mutex>
#include <string>
#include <vector>

#include "cli/app.h"
#include "ingest/ingest.h"
#include "posture/posture.h"
#include "report/report.h"
#include "scan/scan.h"

namespace CLI {
class App;
}

namespace ecsguard::cli {

struct CommonScanOptions {
  std::vector<std::string> controls;
  std::string severity;  // report only controls at or above this severity
  std::string fail_on;   // empty: not given, which means high
  std::vector<std::string> formats;
  std::string output_dir;
  bool quiet = false;
  bool no_color = false;
  bool show_passed = false;
  std::string controls_dir;
  std::string framework;  // --framework: an id or a framework file
  std::string schema_file;
  std::string exceptions_file;
  std::string db;           // history database URL; empty: the default SQLite file
  bool no_history = false;  // do not record the scan
  std::string config_file;
  // scan aws --max-rate (config file: max_rate), CATEGORY=RATE/s each.
  std::vector<std::string> max_rates;
};

struct SnapshotScanOptions {
  CommonScanOptions common;
  std::vector<std::string> paths;
  bool full_graph = false;  // build the whole graph, not only what the controls read
  unsigned jobs = 0;        // threads that parse JSON Lines; 0: one per core
};

struct IacScanOptions {
  CommonScanOptions common;
  std::vector<std::string> paths;
  std::vector<std::string> parameters;  // KEY=VALUE
  std::string root;                     // ids and SARIF paths are relative to it
  bool soft_fail = false;               // exit 0 on findings (errors still exit 2/3)
  // --var-file FILE and --var NAME=VALUE, in command-line order (Terraform's -var-file, -var).
  std::vector<ingest::TerraformVariableArgument> terraform_variables;
};

struct QueryOptions {
  std::vector<std::string> snapshot_paths;
  std::string graph_file;
  std::string schema_file;
  std::string variables;
  std::string query;
};

struct ReportOptions {
  std::string file;    // a scan saved with -f json
  std::string db;      // with run_id: the history database
  std::string run_id;  // a sharded run recorded in db, rendered merged
  std::vector<std::string> formats;
  std::string output_dir;
  std::string controls_dir;
  bool no_color = false;
};

struct ControlsOptions {
  std::string id;  // for `show`
  std::string controls_dir;
  std::string format = "text";
};

struct FrameworksOptions {
  std::string id;  // for `show`
  std::string frameworks_dir;
  std::string controls_dir;
};

int RunSnapshotScan(const SnapshotScanOptions& options, Io& io);
int RunQuery(const QueryOptions& options, Io& io);
int RunIacScan(const IacScanOptions& options, Io& io);
int RunReport(const ReportOptions& options, Io& io);
int RunControlsList(const ControlsOptions& options, Io& io);
int RunControlsShow(const ControlsOptions& options, Io& io);
int RunFrameworksList(const FrameworksOptions& options, Io& io);
int RunFrameworksShow(const FrameworksOptions& options, Io& io);

// The controls a scan runs: --control's (or the default set), or with --framework the
// framework's controls, default or not (and then `info->framework` is set so the reports
// group by requirement). A framework naming controls the catalog lacks is warned about on
// stderr, not an error: their requirements are reported NOT_COVERED.
Result<std::vector<const controls::Control*>> SelectControls(const CommonScanOptions& o,
                                                             const controls::Catalog& catalog,
                                                             posture::ScanInfo* info, Io& io);

// Registers the options every scan command shares.
void AddCommonScanOptions(CLI::App* cmd, CommonScanOptions* o);
// Registers --full-graph.
void AddFullGraphOption(CLI::App* cmd, bool* full_graph);

// The graph names a scan of `controls` reads (sorted): their checks' (scan::GraphNamesRead), the
// findings' (posture::GraphNamesRead) and the coverage's; unset with --full-graph. A graph built
// for these (ingest::SnapshotOptions::graph_names) gives the report of the whole graph.
Result<std::optional<std::vector<std::string>>> GraphNamesFor(
    const std::vector<const controls::Control*>& controls, const graph::Schema& schema,
    bool full_graph);

// Projects the graph a snapshot or live scan of `controls` reads into: `read`'s graph_names
// (GraphNamesFor), environment (ingest::EnvironmentRead over them) and, when every control judges
// in-use revisions, only the revisions something refers to (Revisions::kReferenced); the whole
// graph with --full-graph.
Result<void> ProjectFor(const std::vector<const controls::Control*>& controls,
                        const graph::Schema& schema, bool full_graph,
                        ingest::SnapshotOptions* read);

// The end of every scan command: checks --fail-on, --severity (which narrows
// request.controls), the formats and the exceptions file; runs the scan (scan::Run) with the
// system clock, recording it in the history database unless --no-history; writes the reports
// and the stderr summary. Returns the exit code. `request` comes with what was read (info,
// controls, schema, graph, gaps, problems, coverage, ...).
int RunAndReport(const CommonScanOptions& o, const controls::Catalog& catalog,
                 scan::Request request, Io& io);

// Writes every file of every format into `dir`; false (after printing why) on failure.
bool WriteReports(const posture::ScanResult& scan, const std::vector<report::Format>& formats,
                  const report::RenderOptions& render, const std::string& dir, bool quiet, Io& io);
// The same for files already rendered.
bool WriteReportFiles(const std::vector<report::OutputFile>& files, const std::string& dir,
                      bool quiet, Io& io);

// One line on stderr, rewritten in place while a long command runs (only on a terminal, and
// never with --quiet: `enabled`). Thread-safe. Cleared when destroyed.
class ProgressLine {
 public:
  ProgressLine(Io& io, bool enabled) : io_(io), enabled_(enabled) {}
  ~ProgressLine() { Clear(); }
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  void Update(std::string_view text);
  void Clear();

 private:
  Io& io_;
  bool enabled_;
  std::mutex mu_;
  bool shown_ = false;
};

// Prints "ecsguard: error: ..." to stderr and returns kExitUsage.
int UsageError(Io& io, const std::string& message);

}  // namespace ecsguard::cli
