#pragma once

// Internal to cli/: the --config file, a YAML mapping of defaults for the scan options. Values
// given on the command line always win (an option left at its default counts as not given, so
// every option's default is "unset"). Unknown or duplicate keys and unknown values are
// kConfiguration errors at file:line:col.
//
//   exceptions: exceptions.yaml
//   db: sqlite:/var/lib/ecsguard/history.db
//   controls: [aws-ecs-1-strict]
//   formats: [table, sarif]
//   output_dir: out
//   fail_on: high
//   max_rate: [ecs=5/s, ec2=5/s]   # scan aws only

#include <string>

#include "base/result.h"
#include "cli/commands.h"

namespace ecsguard::cli {

Result<void> ApplyConfigFile(const std::string& path, CommonScanOptions* options);

}  // namespace ecsguard::cli
