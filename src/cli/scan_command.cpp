#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <exception>
#include <filesystem>
#include <future>
#include <memory>
#include <optional>
#include <set>
#include <thread>

#include "base/clock.h"
#include "base/strings.h"
#include "cli/commands.h"
#include "cli/config.h"
#include "cli/history_commands.h"
#include "ingest/ingest.h"
#include "posture/posture.h"
#include "report/report.h"
#include "scan/scan.h"
#include "store/store.h"

namespace ecsguard::cli {
namespace {

// Exit code of a finished scan: errors outrank findings.
int ExitCodeOf(const posture::ScanResult& scan, controls::Severity fail_on) {
  if (!scan.complete()) return kExitIncomplete;
  for (const posture::Finding& f : scan.findings) {
    if (f.status == posture::Status::kFail && f.severity >= fail_on) return kExitFindings;
  }
  return kExitOk;
}

constexpr const char* kCoverageLabels[] = {"ECSTaskDefinition", "ECSTask", "ECSService",
                                           "ECSCluster"};

// A snapshot covers the account x region cells its assets come from (their accountId, region).
std::vector<posture::Coverage> SnapshotCoverage(const ingest::SnapshotResult& snapshot) {
  const graph::Graph& g = snapshot.graph;
  std::set<std::pair<std::string, std::string>> cells(snapshot.unbuilt_cells.begin(),
                                                      snapshot.unbuilt_cells.end());
  for (const char* label : kCoverageLabels) {
    for (graph::NodeIndex n : g.NodesWithLabel(label)) {
      graph::Value account = g.GetProp(n, "accountId"), region = g.GetProp(n, "region");
      if (account.kind() == graph::Value::Kind::kString &&
          region.kind() == graph::Value::Kind::kString) {
        cells.emplace(account.as_string(), region.as_string());
      }
    }
  }
  for (const ingest::Gap& gap : snapshot.gaps) {
    if (!gap.account_id.empty()) cells.emplace(gap.account_id, gap.region);
  }
  std::vector<posture::Coverage> out;
  for (const auto& [account, region] : cells) {
    out.push_back(posture::Coverage{account, region, posture::Coverage::State::kEvaluated, ""});
  }
  return out;
}

}  // namespace

Result<std::vector<const controls::Control*>> SelectControls(const CommonScanOptions& o,
                                                             const controls::Catalog& catalog,
                                                             posture::ScanInfo* info, Io& io) {
  if (o.framework.empty()) return catalog.Select(o.controls);
  if (!o.controls.empty()) {
    return Error(ErrorCode::kInvalidArgument,
                 "--framework and --control cannot be used together (a framework selects its "
                 "own controls)");
  }
  ASSIGN_OR_RETURN(controls::Framework framework, LoadFramework(o.framework, ""));
  std::vector<controls::UnknownControl> unknown = controls::UnknownControls(framework, catalog);
  if (!unknown.empty() && !o.quiet) {
    std::vector<std::string> names;
    for (const controls::UnknownControl& u : unknown) {
      names.push_back(fmt::format("{} ({})", u.id, u.requirement));
    }
    io.err << fmt::format(
        "ecsguard: warning: framework {} names controls the catalog does not have, so their "
        "requirements are reported NOT_COVERED: {}\n",
        framework.id, Join(names, ", "));
  }
  std::vector<const controls::Control*> selected = controls::FrameworkControls(framework, catalog);
  if (selected.empty()) {
    return Error(ErrorCode::kConfiguration,
                 fmt::format("framework {} maps no control of the catalog", framework.id),
                 SourceLocation{framework.file, 0, 0});
  }
  info->framework = std::move(framework);
  return selected;
}

int RunSnapshotScan(const SnapshotScanOptions& options, Io& io) {
  SnapshotScanOptions opts = options;
  CommonScanOptions& o = opts.common;
  if (!o.config_file.empty()) {
    if (auto r = ApplyConfigFile(o.config_file, &o); !r.ok()) {
      return Fail(io, r.error());
    }
  }
  posture::ScanInfo info;
  info.tool_version = Version();
  info.kind = "snapshot";
  info.inputs = opts.paths;
  info.started_at = FormatIso8601(SystemClock().Now());

  for (const std::string& path : opts.paths) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
      return UsageError(io, fmt::format("{}: no such file or directory", path));
    }
  }
  auto schema = LoadSchema(o.schema_file);
  if (!schema.ok()) return Fail(io, schema.error());
  auto catalog = LoadCatalog(o.controls_dir, *schema);
  if (!catalog.ok()) return Fail(io, catalog.error());
  auto selected = SelectControls(o, *catalog, &info, io);
  if (!selected.ok()) return Fail(io, selected.error());

  ingest::SnapshotOptions read;
  if (auto projected = ProjectFor(*selected, *schema, opts.full_graph, &read); !projected.ok()) {
    return Fail(io, projected.error());
  }
  read.jobs = opts.jobs > 0 ? opts.jobs : std::max(1u, std::thread::hardware_concurrency());
  ProgressLine progress(io, io.err_is_terminal && !o.quiet);
  auto last = std::chrono::steady_clock::time_point();
  read.progress = [&](std::string_view file, uint64_t offset, uint64_t size) {
    auto now = std::chrono::steady_clock::now();
    if (now - last < std::chrono::milliseconds(100) && offset < size) return;
    last = now;
    constexpr double kMiB = 1024.0 * 1024.0;
    progress.Update(size > 0 ? fmt::format("reading {}: {:.0f} of {:.0f} MiB ({}%)", file,
                                           offset / kMiB, size / kMiB, offset * 100 / size)
                             : fmt::format("reading {}: {:.0f} MiB", file, offset / kMiB));
  };
  ingest::SnapshotResult snapshot = ingest::LoadSnapshot(opts.paths, read);
  progress.Clear();
  scan::Request request;
  request.info = std::move(info);
  request.controls = std::move(selected).value();
  request.schema = &*schema;
  request.graph = &snapshot.graph;
  request.coverage = SnapshotCoverage(snapshot);
  request.gaps = std::move(snapshot.gaps);
  request.problems = std::move(snapshot.problems);
  return RunAndReport(o, *catalog, std::move(request), io);
}

Result<std::optional<std::vector<std::string>>> GraphNamesFor(
    const std::vector<const controls::Control*>& controls, const graph::Schema& schema,
    bool full_graph) {
  if (full_graph) return std::optional<std::vector<std::string>>();
  ASSIGN_OR_RETURN(std::vector<std::string> names, scan::GraphNamesRead(controls, schema));
  std::vector<std::string> findings = posture::GraphNamesRead();
  names.insert(names.end(), findings.begin(), findings.end());
  // SnapshotCoverage
  for (const char* label : kCoverageLabels) names.emplace_back(label);
  names.emplace_back("accountId");
  names.emplace_back("region");
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return std::optional<std::vector<std::string>>(std::move(names));
}

Result<void> ProjectFor(const std::vector<const controls::Control*>& controls,
                        const graph::Schema& schema, bool full_graph,
                        ingest::SnapshotOptions* read) {
  ASSIGN_OR_RETURN(read->graph_names, GraphNamesFor(controls, schema, full_graph));
  if (read->graph_names) read->environment = ingest::EnvironmentRead(*read->graph_names);
  // Controls on in-use revisions never see a revision no task or service refers to.
  bool in_use_only = std::all_of(controls.begin(), controls.end(), [](const controls::Control* c) {
    return c->scope == controls::RevisionScope::kInUse;
  });
  if (!full_graph && in_use_only) read->revisions = ingest::SnapshotOptions::Revisions::kReferenced;
  return {};
}

int RunAndReport(const CommonScanOptions& o, const controls::Catalog& catalog,
                 scan::Request request, Io& io) {
  controls::Severity fail_on = controls::Severity::kHigh;
  if (o.fail_on.empty()) {
    // Not given on the command line nor in the config: the default, high.
  } else if (auto s = controls::ParseSeverity(o.fail_on)) {
    fail_on = *s;
  } else {
    return UsageError(io, fmt::format("--fail-on: unknown severity \"{}\"", o.fail_on));
  }
  if (!o.severity.empty()) {
    auto min = controls::ParseSeverity(o.severity);
    if (!min) return UsageError(io, fmt::format("--severity: unknown severity \"{}\"", o.severity));
    std::erase_if(request.controls, [&](const controls::Control* c) { return c->severity < *min; });
  }
  std::vector<report::Format> formats;
  for (const std::string& name : o.formats) {
    auto f = report::ParseFormat(name);
    if (!f.ok()) return UsageError(io, f.error().message());
    formats.push_back(*f);
  }
  if (formats.empty()) {
    formats.push_back(io.out_is_terminal || !o.output_dir.empty() ? report::Format::kTable
                                                                  : report::Format::kJson);
  }
  if (o.output_dir.empty() && formats.size() > 1) {
    return UsageError(io, "several formats need --output-dir (one file per format)");
  }
  // A broken or missing exceptions file is an error, never silently ignored.
  auto exceptions = LoadExceptions(o.exceptions_file, catalog);
  if (!exceptions.ok()) return Fail(io, exceptions.error());

  SystemClock clock;
  request.catalog = &catalog;
  request.exceptions = &*exceptions;
  request.clock = &clock;
  // Opened before the scan runs and reported after it, so that a control that cannot be
  // evaluated is still the error the user sees first.
  std::optional<Result<std::unique_ptr<store::Store>>> history;
  if (!o.no_history) history = OpenHistory(o.db);
  std::vector<const controls::Control*> selected = request.controls;
  std::optional<store::RunShard> shard = request.shard;
  auto outcome = scan::Run(std::move(request));
  if (!outcome.ok()) return Fail(io, outcome.error());
  const posture::ScanResult& scan = outcome->scan;

  report::RenderOptions render;
  render.color = !o.no_color && io.out_is_terminal && o.output_dir.empty() &&
                 std::getenv("NO_COLOR") == nullptr;
  render.show_passed = o.show_passed;
  render.controls = selected;
  render.source_root = std::filesystem::current_path().string();
  // The scan is recorded while the reports are rendered (both only read it); nothing is written
  // before the record is settled, since an explicit --db that fails stops the command. The
  // recording thread then closes the database, whose checkpoint waits on the disk: main() joins
  // it before the process ends (Io::background), so the reports need not wait for it.
  std::optional<Result<store::ScanId>> recorded;
  std::promise<void> settled;
  std::future<void> settled_future = settled.get_future();
  struct Joined {  // joined on every way out, an exception from rendering included
    std::thread thread;
    ~Joined() {
      if (thread.joinable()) thread.join();
    }
  } recorder;
  if (history && history->ok()) {
    recorder.thread = std::thread([&scan, &shard, &recorded, settled = std::move(settled),
                                   db = std::move(history->value())]() mutable {
      try {
        recorded = shard ? db->RecordShard(scan, *shard) : db->RecordScan(scan);
      } catch (const std::exception& e) {  // out of memory: not recorded, said as before
        recorded = Result<store::ScanId>(
            Error(ErrorCode::kInternal, fmt::format("recording the scan failed: {}", e.what())));
      }
      settled.set_value();  // nothing of the caller's is touched after this
      db.reset();
    });
  }
  std::vector<report::OutputFile> files;
  if (o.output_dir.empty()) {
    files.push_back(report::OutputFile{"", report::Render(scan, formats.front(), render)});
  } else {
    for (report::Format f : formats) {
      for (report::OutputFile& file : report::RenderFiles(scan, f, render)) {
        files.push_back(std::move(file));
      }
    }
  }
  if (recorder.thread.joinable()) {
    settled_future.wait();
    if (io.background) io.background->push_back(std::move(recorder.thread));
  }
  if (history) {
    if (!history->ok()) recorded = Result<store::ScanId>(history->error());
    if (!recorded->ok()) {
      // An explicit --db that cannot be written is a configuration error; the default history
      // file is best effort and only warned about.
      if (!o.db.empty()) return Fail(io, recorded->error());
      if (!o.quiet)
        io.err << "ecsguard: warning: scan not recorded: " << recorded->error().ToString() << "\n";
    } else if (!o.quiet && io.err_is_terminal) {
      io.err << fmt::format("ecsguard: recorded as scan {} (ecsguard history diff)\n", **recorded);
    }
  }

  if (o.output_dir.empty()) {
    io.out << files.front().text;
  } else if (!WriteReportFiles(files, o.output_dir, o.quiet, io)) {
    return kExitUsage;
  }
  // Problems also go to stderr unless the table showing them is on the user's terminal: a
  // report redirected to a file or a pipe must not hide that the scan was incomplete.
  bool table_on_terminal =
      o.output_dir.empty() && formats.front() == report::Format::kTable && io.out_is_terminal;
  if (!o.quiet && !table_on_terminal) {
    for (const Error& e : scan.problems) io.err << "ecsguard: " << e.ToString() << "\n";
    for (const std::string& w : scan.warnings) io.err << "ecsguard: warning: " << w << "\n";
    posture::Summary summary = posture::Summarise(scan.findings);
    io.err << fmt::format("ecsguard: {} FAIL, {} PASS, {} EXCEPTED, {} NOT_EVALUATED{}\n",
                          summary.by_status[posture::Status::kFail],
                          summary.by_status[posture::Status::kPass],
                          summary.by_status[posture::Status::kExcepted],
                          summary.by_status[posture::Status::kNotEvaluated],
                          scan.complete() ? "" : " (scan incomplete)");
  }
  return ExitCodeOf(scan, fail_on);
}

}  // namespace ecsguard::cli
