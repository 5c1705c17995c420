#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "controls/catalog.h"
#include "report/internal/text.h"
#include "report/report.h"

namespace ecsguard::report {
namespace {

using nlohmann::json;
using posture::Finding;
using posture::Status;

json ProblemJson(const Error& e) {
  json j = {{"code", ErrorCodeName(e.code())}, {"message", e.message()}};
  if (!e.location().file.empty()) j["file"] = e.location().file;
  if (e.location().line) j["line"] = e.location().line;
  if (e.location().column) j["column"] = e.location().column;
  return j;
}

json EvidenceJson(const posture::Evidence& e) {
  json fields = json::object();
  for (const auto& [name, literal] : e.fields) {
    json value = json::parse(literal, nullptr, /*allow_exceptions=*/false);
    fields[name] = value.is_discarded() ? json(literal) : value;
  }
  json j = {{"path", e.path}, {"container", e.subject}, {"fields", fields}, {"text", e.Describe()}};
  if (!e.location.file.empty()) {
    j["location"] = {
        {"file", e.location.file}, {"line", e.location.line}, {"column", e.location.column}};
  }
  return j;
}

json FindingJson(const Finding& f) {
  const posture::Resource& r = f.resource;
  json resource = {{"type", r.type}, {"id", r.id}};
  if (!r.arn.empty()) resource["arn"] = r.arn;
  if (!r.account_id.empty()) resource["accountId"] = r.account_id;
  if (!r.region.empty()) resource["region"] = r.region;
  if (!r.family.empty()) resource["family"] = r.family;
  if (r.revision) resource["revision"] = r.revision;
  if (!r.name.empty()) resource["name"] = r.name;
  if (!r.status.empty()) resource["status"] = r.status;
  if (!r.location.file.empty()) {
    resource["location"] = {
        {"file", r.location.file}, {"line", r.location.line}, {"column", r.location.column}};
  }
  json evidence = json::array();
  for (const auto& e : f.evidence) evidence.push_back(EvidenceJson(e));
  json j = {{"id", f.id},
            {"controlId", f.control_id},
            {"controlTitle", f.control_title},
            {"status", posture::StatusName(f.status)},
            {"severity", controls::SeverityName(f.severity)},
            {"resource", resource},
            {"evidence", evidence}};
  if (!f.reason.empty()) j["reason"] = f.reason;
  const posture::Context& c = f.context;
  j["priority"] = fmt::format("P{}", static_cast<int>(c.priority));
  if (!c.priority_context.empty()) j["priorityContext"] = c.priority_context;
  j["exposure"] = posture::ExposureName(c.exposure);
  j["exposureReasons"] = c.exposure_reasons;
  j["environment"] = c.environment.empty() ? json(nullptr) : json(c.environment);
  if (!c.environment_source.empty()) j["environmentSource"] = c.environment_source;
  j["tasks"] = c.tasks;
  j["services"] = c.services;
  j["clusters"] = c.clusters;
  if (f.exception) {
    j["exception"] = {{"id", f.exception->id},
                      {"reason", f.exception->reason},
                      {"owner", f.exception->owner},
                      {"expires", f.exception->expires},
                      {"ticket", f.exception->ticket}};
  }
  return j;
}

ErrorCode ParseErrorCode(std::string_view name) {
  for (ErrorCode code :
       {ErrorCode::kInvalidArgument, ErrorCode::kParse, ErrorCode::kValidation,
        ErrorCode::kNotFound, ErrorCode::kIo, ErrorCode::kUnsupported, ErrorCode::kConfiguration,
        ErrorCode::kResourceExhausted, ErrorCode::kUnavailable, ErrorCode::kInternal}) {
    if (ErrorCodeName(code) == name) return code;
  }
  return ErrorCode::kIo;
}

}  // namespace

std::string RenderJson(const posture::ScanResult& scan) {
  posture::Summary summary = posture::Summarise(scan.findings);
  json counts = {{"total", summary.total}};
  for (const auto& [status, n] : summary.by_status) counts[posture::StatusName(status)] = n;
  json by_priority = {{"P1", 0}, {"P2", 0}, {"P3", 0}, {"P4", 0}};
  for (const Finding& f : scan.findings) {
    if (f.status == Status::kFail) {
      by_priority[fmt::format("P{}", static_cast<int>(f.context.priority))] =
          by_priority[fmt::format("P{}", static_cast<int>(f.context.priority))].get<int>() + 1;
    }
  }
  counts["failuresByPriority"] = by_priority;
  json problems = json::array();
  for (const Error& e : scan.problems) problems.push_back(ProblemJson(e));
  json findings = json::array();
  for (const Finding& f : scan.findings) findings.push_back(FindingJson(f));
  json coverage = json::array();
  for (const posture::Coverage& c : scan.coverage) {
    json cell = {{"accountId", c.account_id},
                 {"region", c.region},
                 {"state", posture::CoverageStateName(c.state)}};
    if (!c.detail.empty()) cell["detail"] = c.detail;
    coverage.push_back(cell);
  }
  json scan_json = {{"kind", scan.info.kind},
                    {"inputs", scan.info.inputs},
                    {"startedAt", scan.info.started_at},
                    {"finishedAt", scan.info.finished_at},
                    {"controls", scan.info.controls}};
  if (!scan.info.api_calls.empty()) {
    scan_json["apiCalls"] = scan.info.api_calls;
    scan_json["cacheHits"] = scan.info.cache_hits;
  }
  json doc = {{"schemaVersion", kSchemaVersion},
              {"tool", {{"name", "ecsguard"}, {"version", scan.info.tool_version}}},
              {"scan", scan_json},
              {"complete", scan.complete()},
              {"coverage", coverage},
              {"summary", counts},
              {"problems", problems},
              {"warnings", scan.warnings},
              {"findings", findings}};
  return doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

Result<posture::ScanResult> ReadJson(std::string_view text, std::string_view file_name) {
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  auto fail = [&](std::string message) {
    return Error(ErrorCode::kValidation, std::move(message),
                 SourceLocation{std::string(file_name), 0, 0});
  };
  if (doc.is_discarded()) {
    return Error(ErrorCode::kParse, "not valid JSON", SourceLocation{std::string(file_name), 0, 0});
  }
  if (!doc.is_object() || doc.value("schemaVersion", "") != kSchemaVersion ||
      !doc.contains("findings") || !doc["findings"].is_array()) {
    return fail(fmt::format("not an ecsguard JSON report (schemaVersion {})", kSchemaVersion));
  }
  try {
    posture::ScanResult scan;
    const json& s = doc["scan"];
    scan.info.tool_version = doc["tool"].value("version", "");
    scan.info.kind = s.value("kind", "");
    scan.info.inputs = s.value("inputs", std::vector<std::string>{});
    scan.info.started_at = s.value("startedAt", "");
    scan.info.finished_at = s.value("finishedAt", "");
    scan.info.controls = s.value("controls", std::vector<std::string>{});
    scan.info.api_calls = s.value("apiCalls", std::map<std::string, int64_t>{});
    scan.info.cache_hits = s.value("cacheHits", int64_t{0});
    for (const json& p : doc.value("problems", json::array())) {
      scan.problems.emplace_back(
          ParseErrorCode(p.value("code", "")), p.value("message", ""),
          SourceLocation{p.value("file", ""), p.value("line", 0u), p.value("column", 0u)});
    }
    scan.warnings = doc.value("warnings", std::vector<std::string>{});
    for (const json& c : doc.value("coverage", json::array())) {
      posture::Coverage cell{c.value("accountId", ""), c.value("region", ""),
                             posture::Coverage::State::kEvaluated, c.value("detail", "")};
      std::string state = c.value("state", "evaluated");
      if (state == "denied") cell.state = posture::Coverage::State::kDenied;
      if (state == "failed") cell.state = posture::Coverage::State::kFailed;
      scan.coverage.push_back(std::move(cell));
    }
    // A saved report is input like any other: a value ecsguard never writes is an error, not a
    // default (a status of BOGUS must not become FAIL or PASS, a control id must not be a path).
    size_t index = 0;
    auto invalid = [&](std::string_view field, const std::string& value) {
      return fail(fmt::format("findings[{}].{}: invalid value \"{}\"", index, field,
                              internal::OneLine(value)));
    };
    for (const json& j : doc["findings"]) {
      Finding f;
      f.id = j.at("id").get<std::string>();
      f.control_id = j.at("controlId").get<std::string>();
      if (!controls::IsControlId(f.control_id)) return invalid("controlId", f.control_id);
      if (f.id.empty() || f.id.find_first_of("/\\\n\r\t ") != std::string::npos) {
        return invalid("id", f.id);
      }
      f.control_title = j.value("controlTitle", "");
      std::string status = j.at("status").get<std::string>();
      bool known_status = false;
      for (Status st : {Status::kFail, Status::kPass, Status::kExcepted, Status::kNotEvaluated}) {
        if (posture::StatusName(st) == status) f.status = st, known_status = true;
      }
      if (!known_status) return invalid("status", status);
      std::string severity = j.value("severity", "medium");
      auto parsed_severity = controls::ParseSeverity(severity);
      if (!parsed_severity) return invalid("severity", severity);
      f.severity = *parsed_severity;
      const json& r = j.at("resource");
      f.resource.type = r.value("type", "");
      f.resource.id = r.value("id", "");
      f.resource.arn = r.value("arn", "");
      f.resource.account_id = r.value("accountId", "");
      f.resource.region = r.value("region", "");
      f.resource.family = r.value("family", "");
      f.resource.revision = r.value("revision", int64_t{0});
      f.resource.name = r.value("name", "");
      f.resource.status = r.value("status", "");
      if (r.contains("location")) {
        f.resource.location =
            SourceLocation{r["location"].value("file", ""), r["location"].value("line", 0u),
                           r["location"].value("column", 0u)};
      }
      for (const json& e : j.value("evidence", json::array())) {
        posture::Evidence ev;
        ev.path = e.value("path", "");
        ev.subject = e.value("container", "");
        const json fields = e.value("fields", json::object());  // items() must not outlive it
        for (const auto& [name, value] : fields.items()) {
          ev.fields.emplace_back(name, value.dump());
        }
        if (e.contains("location")) {
          ev.location =
              SourceLocation{e["location"].value("file", ""), e["location"].value("line", 0u),
                             e["location"].value("column", 0u)};
        }
        f.evidence.push_back(std::move(ev));
      }
      f.reason = j.value("reason", "");
      std::string priority = j.value("priority", "P4");
      if (priority.size() != 2 || priority[0] != 'P' || priority[1] < '1' || priority[1] > '4') {
        return invalid("priority", priority);
      }
      f.context.priority = static_cast<posture::Priority>(priority[1] - '0');
      f.context.priority_context = j.value("priorityContext", "");
      std::string exposure = j.value("exposure", "unknown");
      f.context.exposure = exposure == "internet"   ? posture::Exposure::kInternet
                           : exposure == "internal" ? posture::Exposure::kInternal
                                                    : posture::Exposure::kUnknown;
      f.context.exposure_reasons = j.value("exposureReasons", std::vector<std::string>{});
      if (j.contains("environment") && j["environment"].is_string()) {
        f.context.environment = j["environment"].get<std::string>();
      }
      f.context.environment_source = j.value("environmentSource", "");
      f.context.tasks = j.value("tasks", std::vector<std::string>{});
      f.context.services = j.value("services", std::vector<std::string>{});
      f.context.clusters = j.value("clusters", std::vector<std::string>{});
      if (j.contains("exception") && j["exception"].is_object()) {
        const json& x = j["exception"];
        f.exception = posture::AppliedException{x.value("id", ""), x.value("reason", ""),
                                                x.value("owner", ""), x.value("expires", ""),
                                                x.value("ticket", "")};
      }
      scan.findings.push_back(std::move(f));
      ++index;
    }
    return scan;
  } catch (const json::exception& e) {
    return fail(fmt::format("malformed ecsguard JSON report: {}", e.what()));
  }
}

}  // namespace ecsguard::report
