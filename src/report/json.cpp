#include <fmt/format.h>

#include <nlohmann/json.hpp>

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
  if (scan.info.framework) {
    const controls::Framework& fw = *scan.info.framework;
    json requirements = json::array();
    for (const controls::Requirement& r : fw.requirements) {
      requirements.push_back({{"id", r.id}, {"title", r.title}, {"controls", r.controls}});
    }
    scan_json["framework"] = {
        {"id", fw.id}, {"name", fw.name}, {"version", fw.version}, {"requirements", requirements}};
  }
  json doc = {{"schemaVersion", kSchemaVersion},
              {"tool", {{"name", "ecsguard"}, {"version", scan.info.tool_version}}},
              {"scan", scan_json},
              {"complete", scan.complete()},
              {"coverage", coverage},
              {"summary", counts},
              {"problems", problems},
              {"warnings", scan.warnings}};
  doc["findings"] = json::array();
  std::string text = doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
  if (scan.findings.empty()) return text;
  // The findings are most of the report: each is built and dumped on its own and put in place of
  // the empty array, indented as the whole document's dump would (its strings hold no raw line
  // breaks), so that a large estate never holds every finding as a JSON tree at once.
  constexpr std::string_view kEmpty = "\n  \"findings\": [],\n";
  size_t at = text.find(kEmpty);
  if (at == std::string::npos) {  // not the document above: build the findings in the tree
    json& findings = doc["findings"];
    for (const Finding& f : scan.findings) findings.push_back(posture::FindingToJson(f));
    return doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
  }
  std::string out;
  out.reserve(text.size() + scan.findings.size() * 2048);
  out.append(text, 0, at);
  out += "\n  \"findings\": [";
  for (size_t i = 0; i < scan.findings.size(); ++i) {
    std::string item = posture::FindingToJson(scan.findings[i])
                           .dump(2, ' ', false, json::error_handler_t::replace);
    out += i == 0 ? "\n    " : ",\n    ";
    size_t start = 0;
    for (size_t nl = item.find('\n'); nl != std::string::npos; nl = item.find('\n', start)) {
      out.append(item, start, nl + 1 - start);
      out += "    ";
      start = nl + 1;
    }
    out.append(item, start, std::string::npos);
  }
  out += "\n  ],\n";
  out.append(text, at + kEmpty.size(), std::string::npos);
  return out;
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
    if (s.contains("framework")) {
      const json& fw = s["framework"];
      controls::Framework framework;
      framework.id = fw.at("id").get<std::string>();
      framework.name = fw.value("name", "");
      framework.version = fw.value("version", "");
      for (const json& r : fw.value("requirements", json::array())) {
        framework.requirements.push_back(
            controls::Requirement{r.at("id").get<std::string>(),
                                  r.value("title", ""),
                                  r.value("controls", std::vector<std::string>{}),
                                  {}});
      }
      scan.info.framework = std::move(framework);
    }
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
    // default (posture::FindingFromJson).
    size_t index = 0;
    for (const json& j : doc["findings"]) {
      Result<Finding> f = posture::FindingFromJson(j);
      if (!f.ok() && f.error().code() == ErrorCode::kParse) {
        return fail(fmt::format("malformed ecsguard JSON report: {}", f.error().message()));
      }
      if (!f.ok()) return fail(fmt::format("findings[{}].{}", index, f.error().message()));
      scan.findings.push_back(std::move(f).value());
      ++index;
    }
    return scan;
  } catch (const json::exception& e) {
    return fail(fmt::format("malformed ecsguard JSON report: {}", e.what()));
  }
}

}  // namespace ecsguard::report
