#include <fmt/format.h>

#include <algorithm>

#include "base/strings.h"

#include "report/internal/text.h"
#include "report/report.h"

namespace ecsguard::report {
namespace {

using posture::Finding;
using posture::Status;

struct Style {
  bool on;
  std::string Wrap(std::string_view text, std::string_view code) const {
    if (!on) return std::string(text);
    return fmt::format("\x1b[{}m{}\x1b[0m", code, text);
  }
};

std::string ResourceLabel(const Finding& f) {
  if (!f.resource.name.empty()) return f.resource.name;
  if (!f.resource.id.empty()) return f.resource.id;
  return f.resource.arn;
}

// Pads by display width, counting UTF-8 continuation bytes as nothing.
std::string Pad(std::string_view s, size_t width) {
  size_t display = 0;
  for (unsigned char c : s) display += (c & 0xC0) != 0x80;
  std::string out(s);
  if (display < width) out.append(width - display, ' ');
  return out;
}

std::string StripControl(std::string_view s) { return internal::OneLine(s); }

// The account x region grid, shown when something was not evaluated or the scan spans several
// accounts or regions; a cell the scan did not cover shows "-".
std::string CoverageTable(const posture::ScanResult& scan, const Style& style) {
  std::vector<std::string> accounts, regions;
  bool all_evaluated = true;
  for (const posture::Coverage& c : scan.coverage) {
    if (std::find(accounts.begin(), accounts.end(), c.account_id) == accounts.end()) {
      accounts.push_back(c.account_id);
    }
    if (std::find(regions.begin(), regions.end(), c.region) == regions.end()) {
      regions.push_back(c.region);
    }
    all_evaluated = all_evaluated && c.state == posture::Coverage::State::kEvaluated;
  }
  if (scan.coverage.empty() || (all_evaluated && accounts.size() < 2 && regions.size() < 2)) {
    return "";
  }
  std::sort(accounts.begin(), accounts.end());
  std::sort(regions.begin(), regions.end());
  auto state_of = [&](const std::string& account, const std::string& region) -> std::string {
    std::string state = "-";
    for (const posture::Coverage& c : scan.coverage) {
      if (c.account_id != account || c.region != region) continue;
      // A cell listed twice shows its worst state.
      if (state == "-" || c.state != posture::Coverage::State::kEvaluated) {
        state = std::string(posture::CoverageStateName(c.state));
      }
    }
    return state;
  };
  std::vector<size_t> widths = {std::string_view("ACCOUNT").size()};
  for (const std::string& a : accounts) widths[0] = std::max(widths[0], StripControl(a).size());
  for (const std::string& r : regions)
    widths.push_back(std::max<size_t>(9, StripControl(r).size()));
  std::string out = "\nCoverage (account x region)\n";
  // Columns are padded to their width plus two spaces, except the last (no trailing blanks).
  auto width = [&](size_t i) { return i + 1 < regions.size() ? widths[i + 1] + 2 : 0; };
  std::string header = Pad("ACCOUNT", widths[0] + 2);
  for (size_t i = 0; i < regions.size(); ++i) header += Pad(StripControl(regions[i]), width(i));
  out += style.Wrap(header, "1") + "\n";
  for (const std::string& a : accounts) {
    std::string line = Pad(StripControl(a), widths[0] + 2);
    for (size_t i = 0; i < regions.size(); ++i) {
      std::string state = state_of(a, regions[i]);
      std::string cell = Pad(state, width(i));
      line += state == "evaluated" || state == "-" ? cell : style.Wrap(cell, "33");
    }
    out += line + "\n";
  }
  for (const posture::Coverage& c : scan.coverage) {
    if (c.state == posture::Coverage::State::kEvaluated) continue;
    out += fmt::format("  {} {}: {}{}\n", StripControl(c.account_id), StripControl(c.region),
                       posture::CoverageStateName(c.state),
                       c.detail.empty() ? "" : " - " + StripControl(c.detail));
  }
  return out;
}

}  // namespace

std::string RenderTable(const posture::ScanResult& scan, const RenderOptions& options) {
  Style style{options.color};
  std::string out;
  out += fmt::format(
      "ecsguard {} scan of {} ({} control{})\n\n", scan.info.kind,
      scan.info.inputs.empty() ? std::string("-") : StripControl(Join(scan.info.inputs, ", ")),
      scan.info.controls.size(), scan.info.controls.size() == 1 ? "" : "s");

  std::vector<const Finding*> rows;
  for (const Finding& f : scan.findings) {
    if (f.status == Status::kFail || f.status == Status::kExcepted ||
        f.status == Status::kNotEvaluated || (options.show_passed && f.status == Status::kPass)) {
      rows.push_back(&f);
    }
  }
  if (rows.empty()) {
    out += "No failing, excepted or unevaluated assets.\n";
  } else {
    const std::vector<std::string> headers = {"PRI",      "SEVERITY", "STATUS", "CONTROL",
                                              "RESOURCE", "ACCOUNT",  "REGION", "WHY"};
    std::vector<std::vector<std::string>> cells;
    for (const Finding* f : rows) {
      std::string why =
          f->status == Status::kExcepted && f->exception
              ? fmt::format("excepted by {} (owner {}, expires {}): {}", f->exception->id,
                            f->exception->owner, f->exception->expires, f->exception->reason)
              : f->reason;
      std::string location =
          f->resource.location.file.empty() ? ""
          : f->resource.location.line
              ? fmt::format(" ({}:{})", f->resource.location.file, f->resource.location.line)
              : fmt::format(" ({})", f->resource.location.file);
      // "P3?": the priority was computed without all its context (the warnings say what).
      cells.push_back(
          {f->status == Status::kFail ? fmt::format("P{}{}", static_cast<int>(f->context.priority),
                                                    f->context.priority_context.empty() ? "" : "?")
                                      : "-",
           std::string(controls::SeverityName(f->severity)),
           std::string(posture::StatusName(f->status)), StripControl(f->control_id),
           StripControl(ResourceLabel(*f) + location), StripControl(f->resource.account_id),
           StripControl(f->resource.region), StripControl(why)});
    }
    std::vector<size_t> widths(headers.size());
    for (size_t c = 0; c < headers.size(); ++c) widths[c] = headers[c].size();
    for (const auto& row : cells) {
      for (size_t c = 0; c + 1 < row.size(); ++c) widths[c] = std::max(widths[c], row[c].size());
    }
    std::string header;
    for (size_t c = 0; c < headers.size(); ++c) {
      header += c + 1 < headers.size() ? Pad(headers[c], widths[c] + 2) : headers[c];
    }
    out += style.Wrap(header, "1") + "\n";
    for (const auto& row : cells) {
      std::string line;
      for (size_t c = 0; c < row.size(); ++c) {
        std::string cell = c + 1 < row.size() ? Pad(row[c], widths[c] + 2) : row[c];
        if (c == 2) {
          cell = style.Wrap(cell, row[c] == "FAIL" ? "31" : row[c] == "EXCEPTED" ? "36" : "33");
        }
        line += cell;
      }
      out += line + "\n";
    }
  }

  out += CoverageTable(scan, style);

  posture::Summary summary = posture::Summarise(scan.findings);
  int by_priority[5] = {0, 0, 0, 0, 0};
  for (const Finding& f : scan.findings) {
    if (f.status == Status::kFail) ++by_priority[static_cast<int>(f.context.priority)];
  }
  out += fmt::format("\nSummary: {} FAIL, {} PASS, {} EXCEPTED, {} NOT_EVALUATED ({} records)\n",
                     summary.by_status[Status::kFail], summary.by_status[Status::kPass],
                     summary.by_status[Status::kExcepted], summary.by_status[Status::kNotEvaluated],
                     summary.total);
  if (summary.by_status[Status::kFail]) {
    out += fmt::format("Failures by priority: P1 {}, P2 {}, P3 {}, P4 {}\n", by_priority[1],
                       by_priority[2], by_priority[3], by_priority[4]);
  }
  if (!scan.problems.empty()) {
    out += style.Wrap(fmt::format("\nScan incomplete: {} input problem{}\n", scan.problems.size(),
                                  scan.problems.size() == 1 ? "" : "s"),
                      "33");
    for (const Error& e : scan.problems) out += "  " + StripControl(e.ToString()) + "\n";
  } else if (!scan.complete()) {
    bool not_evaluated = summary.by_status[Status::kNotEvaluated] > 0 ||
                         std::any_of(scan.coverage.begin(), scan.coverage.end(), [](const auto& c) {
                           return c.state != posture::Coverage::State::kEvaluated;
                         });
    out += style.Wrap(
        not_evaluated
            ? "\nScan incomplete: some assets were not evaluated (see NOT_EVALUATED)\n"
            : "\nScan incomplete: some priorities were computed without all their context\n",
        "33");
  }
  if (std::any_of(scan.findings.begin(), scan.findings.end(),
                  [](const Finding& f) { return !f.context.priority_context.empty(); })) {
    out += "P?: a priority computed without all its context, maybe too low (see the warnings)\n";
  }
  for (const std::string& w : scan.warnings) out += "warning: " + StripControl(w) + "\n";
  return out;
}

}  // namespace ecsguard::report
