#pragma once

// cli: the command line. The only part that prints or exits.
//
// Run() parses arguments, dispatches to a subcommand, and returns the process exit code:
//   0 nothing at or above --fail-on; 1 findings at or above it; 2 scan incomplete (some input
//   not evaluated); 3 usage, configuration or credential error. Errors outrank findings.
// Machine-readable output goes to stdout (or files with -o); logs and progress to stderr.
//
//   int main(int argc, char** argv) {
//     ecsguard::cli::Io io{std::cout, std::cerr, isatty(1) != 0};
//     return ecsguard::cli::Run(argc, argv, io);
//   }

#include <ostream>
#include <string>
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
};

int Run(int argc, char** argv, Io& io);

// Shared by subcommands.
std::string Version();
// The bundled schema, or the SDL file given.
Result<graph::Schema> LoadSchema(const std::string& schema_file);
// The bundled catalog, or the directory given (ECSGUARD_CONTROLS_DIR also names one); every
// check is compiled against the schema so a broken control is reported at start.
Result<controls::Catalog> LoadCatalog(const std::string& dir, const graph::Schema& schema);

}  // namespace ecsguard::cli
