#pragma once

// Internal to cli/: `ecsguard scan aws`, the live scan of one account, an organization or the
// accounts of a file, in one region, a list of regions or all enabled regions.

#include <string>
#include <vector>

#include "cli/commands.h"

namespace CLI {
class App;
}

namespace ecsguard::cli {

struct AwsScanOptions {
  CommonScanOptions common;  // --db also names the revision cache
  std::string profile;
  std::vector<std::string> regions;  // names, or "all"
  bool organization = false;
  std::string accounts_file;
  std::string role;  // "" is OrganizationAccountAccessRole
  std::string external_id;
  std::string endpoint_url;
  std::string save_snapshot;
  bool all_revisions = false;
  bool full_graph = false;  // build the whole graph, not only what the controls read
  int concurrency = 0;      // 0 is the default
  bool no_cache = false;
  std::string timeout = "30m";          // the whole scan
  std::string connect_timeout = "10s";  // each connection
  std::string read_timeout = "30s";     // each request, without a byte received
  std::string shard;                    // "I/N" or "auto/N"; "" is the whole scan
  std::string run_id;                   // the sharded run this scan is a shard of
};

// Adds `scan aws` (with the common scan options) under `scan`; returns it.
CLI::App* AddAwsScanCommand(CLI::App* scan, AwsScanOptions* o);
int RunAwsScan(const AwsScanOptions& options, Io& io);

}  // namespace ecsguard::cli
