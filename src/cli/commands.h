#pragma once

// Internal to cli/: option structs filled by CLI11 and the subcommands that run them.

#include <functional>
#include <string>
#include <vector>

#include "cli/app.h"
#include "ingest/ingest.h"
#include "ingest/snapshot/snapshot.h"
#include "posture/posture.h"
#include "report/report.h"

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
  std::string schema_file;
  std::string exceptions_file;
  std::string db;           // history database URL; empty: the default SQLite file
  bool no_history = false;  // do not record the scan
  std::string config_file;
};

struct SnapshotScanOptions {
  CommonScanOptions common;
  std::vector<std::string> paths;
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
  std::string file;  // a scan saved with -f json
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

int RunSnapshotScan(const SnapshotScanOptions& options, Io& io);
int RunQuery(const QueryOptions& options, Io& io);
int RunIacScan(const IacScanOptions& options, Io& io);
int RunReport(const ReportOptions& options, Io& io);
int RunControlsList(const ControlsOptions& options, Io& io);
int RunControlsShow(const ControlsOptions& options, Io& io);

// An ingest gap (something known to exist that was not evaluated) as a posture gap, which
// becomes a NOT_EVALUATED finding.
posture::Gap ToPostureGap(const ingest::Gap& gap);
std::vector<posture::Gap> ToPostureGaps(const std::vector<ingest::Gap>& gaps);

// Registers the options every scan command shares.
void AddCommonScanOptions(CLI::App* cmd, CommonScanOptions* o);

// Evaluates the selected controls over a graph, applies exceptions, records the scan in the
// history database and writes the reports. Returns the exit code. Shared by every scan.
int EvaluateAndReport(const CommonScanOptions& o, posture::ScanInfo info,
                      const graph::Schema& schema, const graph::Graph& graph,
                      const std::vector<posture::Gap>& gaps, std::vector<Error> problems,
                      std::vector<posture::Coverage> coverage, const controls::Catalog& catalog,
                      const std::vector<const controls::Control*>& selected, controls::Mode mode,
                      Io& io,
                      const std::function<void(posture::ScanResult*)>& adjust_findings = nullptr);

// Writes every file of every format into `dir`; false (after printing why) on failure.
bool WriteReports(const posture::ScanResult& scan, const std::vector<report::Format>& formats,
                  const report::RenderOptions& render, const std::string& dir, bool quiet, Io& io);

// Prints "ecsguard: error: ..." to stderr and returns kExitUsage.
int UsageError(Io& io, const std::string& message);

}  // namespace ecsguard::cli
