#pragma once

#include <string>
#include <vector>

#include "support.h"  // TempDir

namespace ecsguard::testing {

// Runs the built ecsguard binary with `args` (no shell), capturing stdout and stderr.
struct CliResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};
CliResult RunCli(const std::vector<std::string>& args, const std::string& stdin_text = "");

}  // namespace ecsguard::testing
