#include "posture/finding_json.h"

#include <fmt/format.h>

#include "base/strings.h"

namespace ecsguard::posture {
namespace {

using nlohmann::json;

json EvidenceJson(const Evidence& e) {
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

Error Invalid(std::string_view field, std::string_view value) {
  return Error(ErrorCode::kValidation,
               fmt::format("{}: invalid value \"{}\"", field, OneLine(value)));
}

}  // namespace

json FindingToJson(const Finding& f) {
  const Resource& r = f.resource;
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
  json j = {{"id", f.id},
            {"controlId", f.control_id},
            {"controlTitle", f.control_title},
            {"status", StatusName(f.status)},
            {"severity", controls::SeverityName(f.severity)},
            {"resource", resource}};
  json detail = FindingDetailToJson(f);
  j["evidence"] = std::move(detail["evidence"]);
  if (!f.reason.empty()) j["reason"] = f.reason;
  for (auto& [key, value] : detail.items()) {
    if (key != "evidence") j[key] = std::move(value);
  }
  if (f.exception) {
    j["exception"] = {{"id", f.exception->id},
                      {"reason", f.exception->reason},
                      {"owner", f.exception->owner},
                      {"expires", f.exception->expires},
                      {"ticket", f.exception->ticket}};
  }
  return j;
}

Result<Finding> FindingFromJson(const json& j) try {
  Finding f;
  f.id = j.at("id").get<std::string>();
  f.control_id = j.at("controlId").get<std::string>();
  if (!controls::IsControlId(f.control_id)) return Invalid("controlId", f.control_id);
  if (f.id.empty() || f.id.find_first_of("/\\\n\r\t ") != std::string::npos) {
    return Invalid("id", f.id);
  }
  f.control_title = j.value("controlTitle", "");
  std::string status = j.at("status").get<std::string>();
  std::optional<Status> parsed_status = ParseStatus(status);
  if (!parsed_status) return Invalid("status", status);
  f.status = *parsed_status;
  std::string severity = j.value("severity", "medium");
  std::optional<controls::Severity> parsed_severity = controls::ParseSeverity(severity);
  if (!parsed_severity) return Invalid("severity", severity);
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
  RETURN_IF_ERROR(FindingDetailFromJson(j, &f));
  f.reason = j.value("reason", "");
  if (j.contains("exception") && j["exception"].is_object()) {
    const json& x = j["exception"];
    f.exception = AppliedException{x.value("id", ""), x.value("reason", ""), x.value("owner", ""),
                                   x.value("expires", ""), x.value("ticket", "")};
  }
  return f;
} catch (const json::exception& e) {
  return Error(ErrorCode::kParse, e.what());
}

json FindingDetailToJson(const Finding& f) {
  json evidence = json::array();
  for (const auto& e : f.evidence) evidence.push_back(EvidenceJson(e));
  json j = {{"evidence", evidence}};
  const Context& c = f.context;
  j["priority"] = PriorityName(c.priority);
  if (!c.priority_context.empty()) j["priorityContext"] = c.priority_context;
  j["exposure"] = ExposureName(c.exposure);
  j["exposureReasons"] = c.exposure_reasons;
  j["environment"] = c.environment.empty() ? json(nullptr) : json(c.environment);
  if (!c.environment_source.empty()) j["environmentSource"] = c.environment_source;
  j["tasks"] = c.tasks;
  j["services"] = c.services;
  j["clusters"] = c.clusters;
  return j;
}

Result<void> FindingDetailFromJson(const json& j, Finding* f) try {
  for (const json& e : j.value("evidence", json::array())) {
    Evidence ev;
    ev.path = e.value("path", "");
    ev.subject = e.value("container", "");
    const json fields = e.value("fields", json::object());  // items() must not outlive it
    for (const auto& [name, value] : fields.items()) ev.fields.emplace_back(name, value.dump());
    if (e.contains("location")) {
      ev.location = SourceLocation{e["location"].value("file", ""), e["location"].value("line", 0u),
                                   e["location"].value("column", 0u)};
    }
    f->evidence.push_back(std::move(ev));
  }
  std::string priority = j.value("priority", "P4");
  std::optional<Priority> parsed_priority = ParsePriority(priority);
  if (!parsed_priority) return Invalid("priority", priority);
  f->context.priority = *parsed_priority;
  f->context.priority_context = j.value("priorityContext", "");
  std::string exposure = j.value("exposure", "unknown");
  std::optional<Exposure> parsed_exposure = ParseExposure(exposure);
  if (!parsed_exposure) return Invalid("exposure", exposure);
  f->context.exposure = *parsed_exposure;
  f->context.exposure_reasons = j.value("exposureReasons", std::vector<std::string>{});
  if (j.contains("environment") && j["environment"].is_string()) {
    f->context.environment = j["environment"].get<std::string>();
  }
  f->context.environment_source = j.value("environmentSource", "");
  f->context.tasks = j.value("tasks", std::vector<std::string>{});
  f->context.services = j.value("services", std::vector<std::string>{});
  f->context.clusters = j.value("clusters", std::vector<std::string>{});
  return Ok{};
} catch (const json::exception& e) {
  return Error(ErrorCode::kParse, e.what());
}

}  // namespace ecsguard::posture
