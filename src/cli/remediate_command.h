#pragma once

// Internal to cli/: `ecsguard remediate`, fix plans for failing findings and applying them.

#include <CLI/CLI.hpp>

#include <istream>
#include <optional>
#include <string>
#include <vector>

#include "cli/app.h"

namespace ecsguard::cli {

struct RemediateOptions {
  std::string from;  // --from: a scan saved with -f json
  std::vector<std::string>
      snapshot_paths;  // --snapshot: documents (and a fresh scan without --from)
  std::vector<std::string> finding_ids, arns, families, accounts, priorities;
  std::string user = "1000:1000";
  size_t batch_size = 10;
  std::string format = "commands";  // commands|json|console|markdown
  std::string output_dir;
  bool apply = false;
  bool yes = false;
  bool deregister_old = false;
  bool force_stale = false;  // --force-stale: register fixes of revisions no longer the newest
  std::string wait_timeout = "10m";
  bool no_rescan = false;
  std::string region, profile, endpoint_url, role;
  std::string controls_dir;
  bool quiet = false;

  // Tests: where the confirmation is read from, and whether it is a terminal (null / unset:
  // std::cin and isatty(0)).
  std::istream* confirm_in = nullptr;
  std::optional<bool> stdin_is_terminal;
};

void AddRemediateCommand(CLI::App* app, RemediateOptions* options);

// Exit codes: 0 the plan was written (or applied) in full; 2 a selected finding could not be
// planned (or was refused), or a step of --apply failed or was refused (the report says what
// was and was not done); 3 usage, configuration or credentials, or --apply without
// confirmation.
int RunRemediate(const RemediateOptions& options, Io& io);

// "10m", "600s", "1h", "90" (seconds) -> seconds; nothing for anything else.
std::optional<std::chrono::seconds> ParseDuration(std::string_view text);

}  // namespace ecsguard::cli
