#include <fmt/format.h>

#include <filesystem>

#include "base/clock.h"
#include "cli/commands.h"
#include "cli/config.h"
#include "ingest/ingest.h"
#include "posture/posture.h"

namespace ecsguard::cli {

int RunIacScan(const IacScanOptions& options, Io& io) {
  IacScanOptions opts = options;
  CommonScanOptions& o = opts.common;
  if (!o.config_file.empty()) {
    if (auto r = ApplyConfigFile(o.config_file, &o); !r.ok()) {
      return Fail(io, r.error());
    }
  }
  posture::ScanInfo info;
  info.tool_version = Version();
  info.kind = "iac";
  info.inputs = opts.paths;
  info.started_at = FormatIso8601(SystemClock().Now());
  for (const std::string& path : opts.paths) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
      return UsageError(io, fmt::format("{}: no such file or directory", path));
    }
  }
  ingest::IacOptions iac_options;
  iac_options.root = opts.root;
  for (const std::string& kv : opts.parameters) {
    size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) {
      return UsageError(io, fmt::format("--parameter must be KEY=VALUE, not \"{}\"", kv));
    }
    iac_options.parameters[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  for (const ingest::TerraformVariableArgument& v : opts.terraform_variables) {
    if (v.kind == ingest::TerraformVariableArgument::Kind::kAssignment &&
        v.text.find('=') == std::string::npos) {
      return UsageError(io, fmt::format("--var must be NAME=VALUE, not \"{}\"", v.text));
    }
  }
  iac_options.terraform_variables = opts.terraform_variables;
  auto schema = LoadSchema(o.schema_file);
  if (!schema.ok()) return Fail(io, schema.error());
  auto catalog = LoadCatalog(o.controls_dir, *schema);
  if (!catalog.ok()) return Fail(io, catalog.error());
  auto selected = SelectControls(o, *catalog, &info, io);
  if (!selected.ok()) return Fail(io, selected.error());

  ingest::IacResult iac = ingest::LoadIac(opts.paths, iac_options);
  scan::Request request;
  request.info = std::move(info);
  request.controls = std::move(selected).value();
  request.mode = controls::Mode::kIac;
  request.schema = &*schema;
  request.graph = &iac.graph;
  request.gaps = std::move(iac.gaps);
  request.problems = std::move(iac.problems);
  request.suppressions = std::move(iac.suppressions);
  int code = RunAndReport(o, *catalog, std::move(request), io);
  // --soft-fail: failures are reported but do not fail the pipeline; an incomplete scan or an
  // error still does.
  if (opts.soft_fail && code == kExitFindings) return kExitOk;
  return code;
}

}  // namespace ecsguard::cli
