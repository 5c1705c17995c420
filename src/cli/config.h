#pragma once

// Internal to cli/: the --config file, a YAML mapping of defaults for the scan options. Values
// given on the command line win.
//
//   exceptions: exceptions.yaml
//   db: sqlite:/var/lib/ecsguard/history.db
//   controls: [aws-ecs-1-strict]
//   formats: [table, sarif]
//   output_dir: out
//   fail_on: high

#include <string>

#include "base/result.h"
#include "cli/commands.h"

namespace ecsguard::cli {

Result<void> ApplyConfigFile(const std::string& path, CommonScanOptions* options);

}  // namespace ecsguard::cli
