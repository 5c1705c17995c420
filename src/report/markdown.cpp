// A short Markdown summary for $GITHUB_STEP_SUMMARY or a pull-request comment: counts, the most
// urgent failures, what was not evaluated, input problems and exceptions about to expire. Long
// lists are capped so the text stays well under GitHub's comment limit (65,536 characters).
// Identifiers are code spans (no links, emphasis or @mentions can form inside); prose is
// backslash-escaped.

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "base/strings.h"
#include "report/internal/model.h"
#include "report/internal/text.h"
#include "report/report.h"

namespace ecsguard::report {
namespace {

using internal::MarkdownCode;
using internal::MarkdownText;
using posture::Finding;
using posture::Status;

constexpr size_t kMaxRows = 20;
constexpr int64_t kExpiryWindowDays = 30;

std::string Where(const Finding& f) {
  std::string location = internal::LocationText(f);
  if (!location.empty()) return MarkdownCode(location);
  std::vector<std::string> scope;
  if (!f.resource.account_id.empty()) scope.push_back(f.resource.account_id);
  if (!f.resource.region.empty()) scope.push_back(f.resource.region);
  return scope.empty() ? "" : MarkdownCode(Join(scope, " "));
}

std::string More(size_t shown, size_t total) {
  return total > shown ? fmt::format("\n...and {} more (see the full report).\n", total - shown)
                       : "";
}

}  // namespace

std::string RenderMarkdown(const posture::ScanResult& scan, const RenderOptions& options) {
  internal::Counts counts = internal::CountFindings(scan);
  std::vector<internal::ControlInfo> controls = internal::ScanControls(scan, options);
  std::string out;

  std::string headline = counts.fail == 0 ? "no failing assets"
                                          : fmt::format("{} failing asset{}", counts.fail,
                                                        counts.fail == 1 ? "" : "s");
  out += fmt::format("## ecsguard: {}{}\n\n", headline, scan.complete() ? "" : ", scan incomplete");
  std::string scope = scan.info.inputs.empty() ? std::string("(no inputs recorded)") : [&] {
    std::vector<std::string> inputs;
    for (const std::string& i : scan.info.inputs) {
      inputs.push_back(MarkdownCode(i));
    }
    return Join(inputs, ", ");
  }();
  std::string kind = scan.info.kind.empty() ? "ecsguard" : scan.info.kind;
  kind[0] = static_cast<char>(kind[0] >= 'a' && kind[0] <= 'z' ? kind[0] - 32 : kind[0]);
  out += fmt::format("{} scan of {}", MarkdownText(kind), scope);
  if (!internal::ScanTime(scan).empty()) {
    out += fmt::format(" at {}", MarkdownText(internal::ScanTime(scan)));
  }
  out += fmt::format(", {} control{}", controls.size(), controls.size() == 1 ? "" : "s");
  if (scan.info.framework)
    out += fmt::format(" of framework {}", MarkdownCode(scan.info.framework->id));
  out += ".\n\n";

  if (!scan.complete()) {
    out += fmt::format("> [!WARNING]\n> Scan incomplete: {}. {}\n\n",
                       Join(internal::IncompleteParts(scan, counts, "asset"), " and "),
                       internal::IncompleteConsequence(scan, counts));
  }

  out += "| FAIL | PASS | EXCEPTED | NOT_EVALUATED | P1 | P2 | P3 | P4 |\n";
  out += "|---:|---:|---:|---:|---:|---:|---:|---:|\n";
  out += fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} |\n", counts.fail, counts.pass,
                     counts.excepted, counts.not_evaluated, counts.fail_by_priority[1],
                     counts.fail_by_priority[2], counts.fail_by_priority[3],
                     counts.fail_by_priority[4]);

  if (scan.info.framework) {
    const controls::Framework& fw = *scan.info.framework;
    out += fmt::format("\n### {}{} requirements\n\n", MarkdownText(fw.name),
                       fw.version.empty() ? "" : " " + MarkdownText(fw.version));
    out += "| Requirement | Status | FAIL | PASS | EXCEPTED | NOT_EVALUATED | Controls | Title |\n";
    out += "|---|---|---:|---:|---:|---:|---|---|\n";
    for (const internal::RequirementResult& r : internal::RequirementResults(scan)) {
      std::vector<std::string> ids;
      for (const std::string& id : r.controls) ids.push_back(MarkdownCode(id));
      out += fmt::format(
          "| {} | {} | {} | {} | {} | {} | {} | {} |\n", MarkdownCode(r.requirement->id), r.status,
          r.counts.fail, r.counts.pass, r.counts.excepted, r.counts.not_evaluated,
          ids.empty() ? "none ran" : Join(ids, ", "), MarkdownText(r.requirement->title));
    }
  }

  std::vector<const Finding*> failures = internal::FailuresByPriority(scan);
  if (!failures.empty()) {
    out += "\n### Top failures\n\n";
    out += "| Priority | Severity | Control | Resource | Where | Why |\n";
    out += "|---|---|---|---|---|---|\n";
    for (size_t i = 0; i < std::min(failures.size(), kMaxRows); ++i) {
      const Finding& f = *failures[i];
      std::string why = f.reason.empty() ? Join(internal::EvidenceLines(f), "; ") : f.reason;
      out += fmt::format("| {}{} | {} | {} | {} | {} | {} |\n",
                         posture::PriorityName(f.context.priority),
                         f.context.priority_context.empty()
                             ? ""
                             : " (" + MarkdownText(f.context.priority_context) + ")",
                         controls::SeverityName(f.severity), MarkdownCode(f.control_id),
                         MarkdownCode(internal::ResourceLabel(f)), Where(f), MarkdownText(why));
    }
    out += More(kMaxRows, failures.size());
  }

  std::vector<const Finding*> not_evaluated;
  for (const Finding& f : scan.findings) {
    if (f.status == Status::kNotEvaluated) not_evaluated.push_back(&f);
  }
  if (!not_evaluated.empty()) {
    out += "\n### Not evaluated\n\n";
    for (size_t i = 0; i < std::min(not_evaluated.size(), kMaxRows); ++i) {
      const Finding& f = *not_evaluated[i];
      out += fmt::format("- {} ({}): {}\n", MarkdownCode(internal::ResourceLabel(f)),
                         MarkdownCode(f.control_id),
                         MarkdownText(f.reason.empty() ? "no reason recorded" : f.reason));
    }
    out += More(kMaxRows, not_evaluated.size());
  }

  std::vector<const Finding*> excepted;
  for (const Finding& f : scan.findings) {
    if (f.status == Status::kExcepted && f.exception) excepted.push_back(&f);
  }
  if (!excepted.empty()) {
    out += "\n### Excepted\n\n";
    for (size_t i = 0; i < std::min(excepted.size(), kMaxRows); ++i) {
      const Finding& f = *excepted[i];
      out += fmt::format("- {} ({}): exception {} owned by {}, expires {}: {}\n",
                         MarkdownCode(internal::ResourceLabel(f)), MarkdownCode(f.control_id),
                         MarkdownCode(f.exception->id), MarkdownText(f.exception->owner),
                         MarkdownText(f.exception->expires), MarkdownText(f.exception->reason));
    }
    out += More(kMaxRows, excepted.size());
  }

  if (!scan.problems.empty()) {
    out += "\n### Input problems\n\n";
    for (size_t i = 0; i < std::min(scan.problems.size(), kMaxRows); ++i) {
      const Error& e = scan.problems[i];
      std::string where = e.location().ToString();
      out += fmt::format("- {}{}\n", where.empty() ? "" : MarkdownCode(where) + ": ",
                         MarkdownText(e.message()));
    }
    out += More(kMaxRows, scan.problems.size());
  }

  if (!scan.warnings.empty()) {
    out += "\n### Warnings\n\n";
    for (size_t i = 0; i < std::min(scan.warnings.size(), kMaxRows); ++i) {
      out += fmt::format("- {}\n", MarkdownText(scan.warnings[i]));
    }
    out += More(kMaxRows, scan.warnings.size());
  }

  // Exceptions that end within the window (or already ended), by the date of the scan.
  struct Expiring {
    const posture::AppliedException* exception;
    size_t findings = 0;
  };
  std::map<std::pair<std::string, std::string>, Expiring> expiring;  // (expires, id)
  for (const Finding& f : scan.findings) {
    if (!f.exception) continue;
    std::optional<int64_t> left = internal::DaysFromScanTo(scan, f.exception->expires);
    if (!left || *left > kExpiryWindowDays) continue;
    Expiring& e = expiring[{f.exception->expires, f.exception->id}];
    e.exception = &*f.exception;
    ++e.findings;
  }
  if (!expiring.empty()) {
    out += fmt::format("\n### Exceptions expiring within {} days\n\n", kExpiryWindowDays);
    out += "| Exception | Owner | Expires | Findings | Reason |\n|---|---|---|---:|---|\n";
    size_t shown = 0;
    for (const auto& [key, e] : expiring) {
      if (shown++ == kMaxRows) break;
      const posture::AppliedException& x = *e.exception;
      out += fmt::format("| {} | {} | {}{} | {} | {} |\n", MarkdownCode(x.id),
                         MarkdownCode(x.owner), MarkdownText(x.expires),
                         *internal::DaysFromScanTo(scan, x.expires) < 0 ? " (expired)" : "",
                         e.findings, MarkdownText(x.reason));
    }
    out += More(kMaxRows, expiring.size());
  }
  return out;
}

}  // namespace ecsguard::report
