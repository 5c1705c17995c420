#include <fmt/format.h>

#include <filesystem>

#include "base/file.h"
#include "base/strings.h"
#include "cli/commands.h"
#include "cli/history_commands.h"
#include "report/report.h"

namespace ecsguard::cli {

// Writes every file of every format into `dir`; returns false (after printing) on failure.
bool WriteReports(const posture::ScanResult& scan, const std::vector<report::Format>& formats,
                  const report::RenderOptions& render, const std::string& dir, bool quiet, Io& io) {
  std::vector<report::OutputFile> files;
  for (report::Format f : formats) {
    for (report::OutputFile& file : report::RenderFiles(scan, f, render)) {
      files.push_back(std::move(file));
    }
  }
  return WriteReportFiles(files, dir, quiet, io);
}

bool WriteReportFiles(const std::vector<report::OutputFile>& files, const std::string& dir,
                      bool quiet, Io& io) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    io.err << "ecsguard: error: cannot create " << dir << ": " << ec.message() << "\n";
    return false;
  }
  for (const report::OutputFile& file : files) {
    std::string path = (std::filesystem::path(dir) / file.name).string();
    if (auto written = WriteFileAtomically(path, file.text, FileMode::kShared); !written.ok()) {
      io.err << "ecsguard: error: " << written.error().ToString() << "\n";
      return false;
    }
    if (!quiet) io.err << "wrote " << path << "\n";
  }
  return true;
}

namespace {

Result<posture::ScanResult> ReadScan(const ReportOptions& o) {
  if (!o.run_id.empty()) {
    ASSIGN_OR_RETURN(std::unique_ptr<store::Store> db, OpenHistory(o.db));
    ASSIGN_OR_RETURN(store::StoredRun run, db->LoadRun(o.run_id));
    return std::move(run.scan);
  }
  std::string text;
  if (!ReadFileToString(o.file, &text)) {
    return Error(ErrorCode::kNotFound, fmt::format("cannot read {}", o.file));
  }
  return report::ReadJson(text, o.file);
}

}  // namespace

int RunReport(const ReportOptions& o, Io& io) {
  if (o.file.empty() == o.run_id.empty()) {
    return UsageError(io, "report takes a saved JSON report, or --run-id with --db");
  }
  auto scan = ReadScan(o);
  if (!scan.ok()) {
    if (scan.error().code() == ErrorCode::kNotFound && o.run_id.empty()) {
      return UsageError(io, scan.error().message());
    }
    return Fail(io, scan.error());
  }
  std::vector<report::Format> formats;
  for (const std::string& name : o.formats) {
    auto f = report::ParseFormat(name);
    if (!f.ok()) return UsageError(io, f.error().message());
    formats.push_back(*f);
  }
  if (formats.empty()) formats.push_back(report::Format::kTable);
  if (o.output_dir.empty() && formats.size() > 1) {
    return UsageError(io, "several formats need --output-dir (one file per format)");
  }
  report::RenderOptions render;
  render.color = !o.no_color && io.out_is_terminal && o.output_dir.empty() &&
                 std::getenv("NO_COLOR") == nullptr;
  render.source_root = std::filesystem::current_path().string();
  auto schema = LoadSchema("");
  if (!schema.ok()) return Fail(io, schema.error());
  auto catalog = LoadCatalog(o.controls_dir, *schema);
  if (!catalog.ok()) return Fail(io, catalog.error());
  for (const std::string& id : scan->info.controls) {
    if (const controls::Control* c = catalog->Find(id)) render.controls.push_back(c);
  }
  if (o.output_dir.empty()) {
    io.out << report::Render(*scan, formats.front(), render);
    return kExitOk;
  }
  return WriteReports(*scan, formats, render, o.output_dir, false, io) ? kExitOk : kExitUsage;
}

}  // namespace ecsguard::cli
