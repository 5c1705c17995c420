#pragma once

// cli: the command line. The only part that prints or exits.
//
// Run() parses arguments, dispatches to a subcommand, and returns the process exit code:
//   0 nothing at or above --fail-on; 1 findings at or above it; 2 scan incomplete (some input
//   not evaluated); 3 usage, configuration or credential error. Errors outrank findings. A
//   command stopped by an Error exits with ExitCodeFor(error), the one place that decides it.
// Machine-readable output goes to stdout (or files with -o); logs and progress to stderr.
//
//   int main(int argc, char** argv) {
//     ecsguard::cli::Io io{std::cout, std::cerr, isatty(1) != 0};
//     return ecsguard::cli::Run(argc, argv, io);
//   }

#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "base/result.h"
#include "controls/controls.h"
#include "graph/graph.h"

namespace ecsguard::cli {

enum ExitCode : int {
  kExitOk = 0,
  kExitFindings = 1,
  kExitIncomplete = 2,
  kExitUsage = 3,
};

struct Io {
  std::ostream& out;
  std::ostream& err;
  bool out_is_terminal = false;
  bool err_is_terminal = false;
  // Where a command may leave work that must end before the process does but need not hold up
  // its output: closing the history database (whose checkpoint waits on the disk) once the scan
  // is recorded. main() joins these threads after Run() returns; with none given (a command run
  // in-process, as tests do), the command waits for its own work before returning.
  std::vector<std::thread>* background = nullptr;
};

int Run(int argc, char** argv, Io& io);

// The exit code of a command stopped by `error`: kUnavailable (AWS could not be reached after
// the retries, so nothing was evaluated and running again may succeed) is an incomplete scan;
// every other code is a usage, configuration or credential error. Findings never come from an
// Error.
int ExitCodeFor(const Error& error);
// Prints "ecsguard: error: <error>" to stderr and returns ExitCodeFor(error). A bad flag, which
// has no Error, goes to UsageError (commands.h) instead.
int Fail(Io& io, const Error& error);

// Shared by subcommands.
std::string Version();
// The bundled schema, or the SDL file given.
Result<graph::Schema> LoadSchema(const std::string& schema_file);
// The bundled catalog, or the directory given (ECSGUARD_CONTROLS_DIR also names one); every
// check is compiled against the schema so a broken control is reported at start.
Result<controls::Catalog> LoadCatalog(const std::string& dir, const graph::Schema& schema);
// The bundled frameworks, or those of the directory given (ECSGUARD_FRAMEWORKS_DIR also names
// one), sorted by id.
Result<std::vector<controls::Framework>> LoadFrameworks(const std::string& dir);
// What --framework names: a framework file (a path ending in .yaml or .yml), else the id of
// one of LoadFrameworks(dir); an unknown id is kInvalidArgument listing the known ones.
Result<controls::Framework> LoadFramework(const std::string& id_or_file, const std::string& dir);

}  // namespace ecsguard::cli
