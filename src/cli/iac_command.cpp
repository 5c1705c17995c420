#include <fmt/format.h>

#include <filesystem>
#include <map>

#include "base/clock.h"
#include "cli/commands.h"
#include "cli/config.h"
#include "ingest/ingest.h"
#include "posture/posture.h"

namespace ecsguard::cli {
namespace {

// Inline suppressions (`# ecsguard:ignore ...`, Metadata.ecsguard.ignore) need a reason, an
// owner and an unexpired date; anything less does not suppress and is reported.
void ApplySuppressions(const std::vector<ingest::Suppression>& suppressions,
                       const controls::Catalog& catalog, const Clock& clock,
                       posture::ScanResult* scan) {
  for (const ingest::Suppression& s : suppressions) {
    std::string where = s.location.ToString();
    std::vector<std::string> missing;
    if (s.reason.empty()) missing.push_back("reason");
    if (s.owner.empty()) missing.push_back("owner");
    if (s.expires.empty()) missing.push_back("expires");
    if (!missing.empty()) {
      scan->warnings.push_back(fmt::format("{}: suppression of {} for {} ignored: missing {}",
                                           where, s.control_id, s.resource_id,
                                           fmt::join(missing, ", ")));
      continue;
    }
    auto date = ParseIsoDate(s.expires);
    if (!date) {
      scan->warnings.push_back(
          fmt::format("{}: suppression ignored: expires \"{}\" is not a "
                      "YYYY-MM-DD date",
                      where, s.expires));
      continue;
    }
    posture::Exception e;
    e.expires = *date;
    if (e.Expired(clock)) {
      scan->warnings.push_back(
          fmt::format("{}: suppression of {} for {} expired on {} and no "
                      "longer applies",
                      where, s.control_id, s.resource_id, s.expires));
      continue;
    }
    const controls::Control* control = catalog.Find(s.control_id);
    if (!control) {
      scan->warnings.push_back(
          fmt::format("{}: suppression names unknown control {}", where, s.control_id));
      continue;
    }
    size_t matched = 0;
    for (posture::Finding& f : scan->findings) {
      if (f.status != posture::Status::kFail || f.control_id != control->id ||
          f.resource.id != s.resource_id) {
        continue;
      }
      f.status = posture::Status::kExcepted;
      f.exception = posture::AppliedException{fmt::format("inline:{}", where), s.reason, s.owner,
                                              s.expires, ""};
      ++matched;
    }
    if (matched == 0) {
      scan->warnings.push_back(fmt::format("{}: suppression of {} for {} matched no failure", where,
                                           control->id, s.resource_id));
    }
  }
}

}  // namespace

int RunIacScan(const IacScanOptions& options, Io& io) {
  IacScanOptions opts = options;
  CommonScanOptions& o = opts.common;
  if (!o.config_file.empty()) {
    if (auto r = ApplyConfigFile(o.config_file, &o); !r.ok()) {
      return UsageError(io, r.error().ToString());
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
  auto schema = LoadSchema(o.schema_file);
  if (!schema.ok()) return UsageError(io, schema.error().ToString());
  auto catalog = LoadCatalog(o.controls_dir, *schema);
  if (!catalog.ok()) return UsageError(io, catalog.error().ToString());
  auto selected = catalog->Select(o.controls);
  if (!selected.ok()) return UsageError(io, selected.error().ToString());

  ingest::IacResult iac = ingest::LoadIac(opts.paths, iac_options);
  std::vector<posture::Gap> gaps = ToPostureGaps(iac.gaps);
  SystemClock clock;
  int code = EvaluateAndReport(
      o, std::move(info), *schema, iac.graph, gaps, std::move(iac.problems), {}, *catalog,
      *selected, controls::Mode::kIac, io, [&](posture::ScanResult* scan) {
        // NOT_EVALUATED IaC findings point at the resource that could not be resolved.
        for (posture::Finding& f : scan->findings) {
          if (f.status != posture::Status::kNotEvaluated) continue;
          for (size_t i = 0; i < iac.gaps.size() && i < iac.gap_locations.size(); ++i) {
            if (iac.gaps[i].id == f.resource.id) f.resource.location = iac.gap_locations[i];
          }
        }
        ApplySuppressions(iac.suppressions, *catalog, clock, scan);
      });
  // --soft-fail: failures are reported but do not fail the pipeline; an incomplete scan or an
  // error still does.
  if (opts.soft_fail && code == kExitFindings) return kExitOk;
  return code;
}

}  // namespace ecsguard::cli
