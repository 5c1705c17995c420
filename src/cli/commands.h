#pragma once

// Internal to cli/: option structs filled by CLI11 and the subcommands that run them.

#include <string>
#include <vector>

#include "cli/app.h"

namespace ecsguard::cli {

struct CommonScanOptions {
  std::vector<std::string> controls;
  std::string severity;  // report only controls at or above this severity
  std::string fail_on = "high";
  std::vector<std::string> formats;
  std::string output_dir;
  bool quiet = false;
  bool no_color = false;
  bool show_passed = false;
  std::string controls_dir;
  std::string schema_file;
};

struct SnapshotScanOptions {
  CommonScanOptions common;
  std::vector<std::string> paths;
};

struct QueryOptions {
  std::vector<std::string> snapshot_paths;
  std::string graph_file;
  std::string schema_file;
  std::string variables;
  std::string query;
};

struct ControlsOptions {
  std::string id;  // for `show`
  std::string controls_dir;
  std::string format = "text";
};

int RunSnapshotScan(const SnapshotScanOptions& options, Io& io);
int RunQuery(const QueryOptions& options, Io& io);
int RunControlsList(const ControlsOptions& options, Io& io);
int RunControlsShow(const ControlsOptions& options, Io& io);

// Prints "ecsguard: error: ..." to stderr and returns kExitUsage.
int UsageError(Io& io, const std::string& message);

}  // namespace ecsguard::cli
