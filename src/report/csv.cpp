// CSV (RFC 4180): a header row, then one row per finding record in scan order, CRLF line ends.
// The columns are fixed and documented in docs/report-formats.md; new columns are only ever
// appended. Cells are neutralised against formula injection (internal::CsvField).

#include <fmt/format.h>

#include "base/strings.h"
#include "report/internal/model.h"
#include "report/internal/text.h"
#include "report/report.h"

namespace ecsguard::report {
namespace {

using posture::Finding;

constexpr std::string_view kColumns[] = {
    "finding_id",
    "status",
    "severity",
    "priority",
    "control_id",
    "control_title",
    "resource_type",
    "resource_id",
    "resource_arn",
    "resource_name",
    "account_id",
    "region",
    "family",
    "revision",
    "resource_status",
    "file",
    "line",
    "column",
    "evidence",
    "reason",
    "exposure",
    "exposure_reasons",
    "environment",
    "tasks",
    "services",
    "clusters",
    "exception_id",
    "exception_owner",
    "exception_expires",
    "exception_reason",
    "exception_ticket",
    "scan_time",
    "priority_context",
};

std::vector<std::string> Row(const Finding& f, const std::string& scan_time) {
  SourceLocation loc = internal::PrimaryLocation(f);
  const posture::AppliedException empty;
  const posture::AppliedException& x = f.exception ? *f.exception : empty;
  return {f.id,
          std::string(posture::StatusName(f.status)),
          std::string(controls::SeverityName(f.severity)),
          std::string(posture::PriorityName(f.context.priority)),
          f.control_id,
          f.control_title,
          f.resource.type,
          f.resource.id,
          f.resource.arn,
          f.resource.name,
          f.resource.account_id,
          f.resource.region,
          f.resource.family,
          f.resource.revision > 0 ? std::to_string(f.resource.revision) : "",
          f.resource.status,
          loc.file,
          loc.line > 0 ? std::to_string(loc.line) : "",
          loc.column > 0 ? std::to_string(loc.column) : "",
          Join(internal::EvidenceLines(f), "; "),
          f.reason,
          std::string(posture::ExposureName(f.context.exposure)),
          Join(f.context.exposure_reasons, "; "),
          f.context.environment,
          Join(f.context.tasks, "; "),
          Join(f.context.services, "; "),
          Join(f.context.clusters, "; "),
          x.id,
          x.owner,
          x.expires,
          x.reason,
          x.ticket,
          scan_time,
          f.context.priority_context};
}

void AppendRow(const std::vector<std::string>& cells, std::string* out) {
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) *out += ',';
    *out += internal::CsvField(cells[i]);
  }
  *out += "\r\n";
}

}  // namespace

std::string RenderCsv(const posture::ScanResult& scan) {
  std::string out;
  std::vector<std::string> header(std::begin(kColumns), std::end(kColumns));
  // With --framework, two columns are appended (so columns never move): the framework id and
  // the requirements the finding's control judges, to group or pivot by requirement.
  const bool framework = scan.info.framework.has_value();
  if (framework) {
    header.emplace_back("framework");
    header.emplace_back("requirements");
  }
  AppendRow(header, &out);
  std::string scan_time = internal::ScanTime(scan);
  for (const Finding& f : scan.findings) {
    std::vector<std::string> row = Row(f, scan_time);
    if (framework) {
      row.push_back(scan.info.framework->id);
      row.push_back(Join(internal::RequirementIds(scan, f.control_id), "; "));
    }
    AppendRow(row, &out);
  }
  return out;
}

}  // namespace ecsguard::report
