// SARIF 2.1.0 for GitHub code scanning and other SARIF viewers (docs/report-formats.md).
//
// Results are the FAIL and EXCEPTED findings that point into a file (IaC scans): code scanning
// needs a physical location for every result, and a finding about a deployed resource has only
// an ARN. Those are counted in one notification instead. NOT_EVALUATED records are not results
// (nothing was found) but tool execution notifications, like the input problems, so that a
// scan that could not read a file says so in the code scanning tool status.

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "base/strings.h"
#include "base/time.h"
#include "report/internal/model.h"
#include "report/internal/text.h"
#include "report/report.h"

namespace ecsguard::report {
namespace {

using internal::ControlInfo;
using nlohmann::json;
using posture::Finding;
using posture::Status;

constexpr std::string_view kToolUri = "https://github.com/ecsguard/ecsguard";
constexpr std::string_view kFingerprintKey = "ecsguardFindingId/v1";

std::string_view Level(controls::Severity s) {
  switch (s) {
    case controls::Severity::kCritical:
    case controls::Severity::kHigh:
      return "error";
    case controls::Severity::kMedium:
      return "warning";
    case controls::Severity::kLow:
      return "note";
  }
  return "warning";
}

// GitHub sorts and colours security alerts by this CVSS-like score.
std::string_view SecuritySeverity(controls::Severity s) {
  switch (s) {
    case controls::Severity::kCritical:
      return "9.0";
    case controls::Severity::kHigh:
      return "7.5";
    case controls::Severity::kMedium:
      return "5.0";
    case controls::Severity::kLow:
      return "3.0";
  }
  return "5.0";
}

// "aws-ecs-1-privileged-network-mode" -> "AwsEcs1PrivilegedNetworkMode".
std::string PascalCase(std::string_view id) {
  std::string out;
  bool upper = true;
  for (char c : id) {
    bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum) {
      upper = true;
      continue;
    }
    out += upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c;
    upper = false;
  }
  return out;
}

// SARIF messages are sentences.
std::string Sentence(std::string_view text) {
  std::string s = internal::ValidUtf8(text);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n')) s.pop_back();
  if (!s.empty() && s.back() != '.' && s.back() != '!' && s.back() != '?') s += '.';
  return s;
}

// Short and full description of a notification descriptor.
std::pair<std::string_view, std::string_view> DescriptorText(std::string_view id) {
  if (id == "ecsguard/not-evaluated") {
    return {"An asset could not be evaluated.",
            "ecsguard could not decide whether this asset passes the control, for the reason "
            "given; it is neither a pass nor a failure. The scan is incomplete until the cause "
            "(an unreadable file, a denied region, a revision that could not be described) is "
            "fixed."};
  }
  if (id == "ecsguard/warning") {
    return {"A warning from the scan.",
            "Something in the scan deserves attention but did not stop the evaluation."};
  }
  if (id == "ecsguard/no-source-location") {
    return {"Findings without a source file are not results.",
            "Code scanning needs a file location for every result. Findings about deployed "
            "resources (live or snapshot scans) have only an ARN, so they are counted here and "
            "listed in the JSON, HTML, CSV, OCSF and ASFF reports."};
  }
  return {"An input could not be read.",
          "An input file could not be read or parsed; the resources it defines were not "
          "evaluated, so the scan is incomplete."};
}

class SarifWriter {
 public:
  SarifWriter(const posture::ScanResult& scan, const RenderOptions& options)
      : scan_(scan), options_(options), controls_(internal::ScanControls(scan, options)) {}

  std::string Render() {
    json rules = json::array();
    for (const ControlInfo& c : controls_) rules.push_back(Rule(c));
    json results = json::array();
    size_t omitted = 0;
    for (const Finding& f : scan_.findings) {
      if (f.status != Status::kFail && f.status != Status::kExcepted) continue;
      if (internal::PrimaryLocation(f).file.empty()) {
        ++omitted;
        continue;
      }
      results.push_back(Result(f));
    }

    json notifications = json::array();
    for (const Error& e : scan_.problems) {
      json n =
          Notification(fmt::format("ecsguard/{}", ErrorCodeName(e.code())), "error", e.message());
      if (!e.location().file.empty()) {
        n["locations"] = json::array({PhysicalLocation(e.location())});
      }
      notifications.push_back(std::move(n));
    }
    for (const Finding& f : scan_.findings) {
      if (f.status != Status::kNotEvaluated) continue;
      json n = Notification(
          "ecsguard/not-evaluated", "warning",
          fmt::format("{} was not evaluated against {}: {}", internal::ResourceLabel(f),
                      f.control_id, f.reason.empty() ? "no reason recorded" : f.reason));
      n["locations"] = json::array({Location(f)});
      n["associatedRule"] = {{"id", f.control_id}, {"index", RuleIndex(f.control_id)}};
      n["properties"] = {{"findingId", f.id}};
      notifications.push_back(std::move(n));
    }
    for (const std::string& w : scan_.warnings) {
      notifications.push_back(Notification("ecsguard/warning", "warning", w));
    }
    if (omitted > 0) {
      notifications.push_back(Notification(
          "ecsguard/no-source-location", "note",
          fmt::format("{} finding{} about deployed resources {} no source file and {} not listed "
                      "as results (code scanning needs a file location); the JSON, HTML, CSV, "
                      "OCSF and ASFF reports list {}",
                      omitted, omitted == 1 ? "" : "s", omitted == 1 ? "has" : "have",
                      omitted == 1 ? "is" : "are", omitted == 1 ? "it" : "them")));
    }

    json driver = {{"name", "ecsguard"}, {"informationUri", kToolUri}, {"rules", rules}};
    if (!scan_.info.tool_version.empty()) {
      driver["version"] = internal::ValidUtf8(scan_.info.tool_version);
      driver["semanticVersion"] = internal::ValidUtf8(scan_.info.tool_version);
    }
    if (!descriptors_.empty()) driver["notifications"] = descriptors_;

    json invocation = {{"executionSuccessful", scan_.complete()},
                       {"toolExecutionNotifications", notifications}};
    if (ParseIsoTimestamp(scan_.info.started_at)) {
      invocation["startTimeUtc"] = scan_.info.started_at;
    }
    if (ParseIsoTimestamp(scan_.info.finished_at)) {
      invocation["endTimeUtc"] = scan_.info.finished_at;
    }

    json run = {
        {"tool", {{"driver", driver}}},
        {"automationDetails",
         {{"id", fmt::format("ecsguard/{}/{}", scan_.info.kind.empty() ? "scan" : scan_.info.kind,
                             scan_.info.started_at)}}},
        {"invocations", json::array({invocation})},
        {"results", results}};
    if (!options_.source_root.empty()) {
      run["originalUriBaseIds"] = {
          {"%SRCROOT%", {{"uri", "file://" + internal::UriPath(Root()) + "/"}}}};
    }
    run["properties"] = {{"complete", scan_.complete()}, {"resultsWithoutSourceFile", omitted}};
    json doc = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                {"version", "2.1.0"},
                {"runs", json::array({run})}};
    return doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
  }

 private:
  json Rule(const ControlInfo& c) const {
    std::string overview = std::string(Trim(c.overview));
    std::string remediation = internal::RemediationText(c);
    std::string text = overview.empty() ? c.title : overview;
    if (!remediation.empty()) text += "\n\nHow to fix it\n\n" + remediation;

    std::string markdown = fmt::format("**{}**\n\n", internal::MarkdownText(c.title));
    if (!overview.empty()) markdown += overview + "\n\n";
    const controls::Remediation& r = c.remediation;
    if (!Trim(r.console).empty() || !Trim(r.cli).empty() || !Trim(r.service_wide).empty() ||
        !Trim(r.preventive).empty()) {
      markdown += "## How to fix it\n\n";
      if (!Trim(r.console).empty())
        markdown += fmt::format("### Console\n\n{}\n\n", Trim(r.console));
      if (!Trim(r.cli).empty())
        markdown += fmt::format("### CLI\n\n```sh\n{}\n```\n\n", Trim(r.cli));
      if (!Trim(r.service_wide).empty()) {
        markdown += fmt::format("### Across the organization\n\n{}\n\n", Trim(r.service_wide));
      }
      if (!Trim(r.preventive).empty()) {
        markdown += fmt::format("### Prevent it\n\n{}\n\n", Trim(r.preventive));
      }
    }
    markdown += fmt::format("[Control documentation]({})", ControlDocUrl(c.id));

    json tags = {"security", "aws", "ecs", "containers"};
    json rule = {
        {"id", c.id},
        {"name", PascalCase(c.id)},
        {"shortDescription", {{"text", Sentence(c.title)}}},
        {"fullDescription", {{"text", Sentence(overview.empty() ? c.title : overview)}}},
        {"helpUri", ControlDocUrl(c.id)},
        {"help",
         {{"text", internal::ValidUtf8(text)}, {"markdown", internal::ValidUtf8(markdown)}}},
        {"defaultConfiguration", {{"level", Level(c.severity)}}},
        {"properties",
         {{"tags", tags},
          {"security-severity", SecuritySeverity(c.severity)},
          {"precision", "very-high"},
          {"problem.severity", c.severity >= controls::Severity::kHigh ? "error" : "warning"},
          {"severity", controls::SeverityName(c.severity)}}}};
    if (!c.aliases.empty()) rule["properties"]["aliases"] = c.aliases;
    return rule;
  }

  int RuleIndex(std::string_view id) const {
    for (size_t i = 0; i < controls_.size(); ++i) {
      if (controls_[i].id == id) return static_cast<int>(i);
    }
    return -1;
  }

  std::string Root() const {
    std::string root = options_.source_root;
    for (char& c : root) c = c == '\\' ? '/' : c;
    while (root.size() > 1 && root.back() == '/') root.pop_back();
    return root;
  }

  json ArtifactLocation(std::string_view file) const {
    std::string path(file);
    for (char& c : path) c = c == '\\' ? '/' : c;
    std::string root = Root();
    if (!root.empty() && path.size() > root.size() + 1 && path.compare(0, root.size(), root) == 0 &&
        path[root.size()] == '/') {
      path = path.substr(root.size() + 1);
    }
    while (path.rfind("./", 0) == 0) path = path.substr(2);
    if (!path.empty() && path[0] == '/') return {{"uri", "file://" + internal::UriPath(path)}};
    return {{"uri", internal::UriPath(path)}, {"uriBaseId", "%SRCROOT%"}};
  }

  json PhysicalLocation(const SourceLocation& loc) const {
    json physical = {{"artifactLocation", ArtifactLocation(loc.file)}};
    if (loc.line > 0) {
      physical["region"] = {{"startLine", loc.line}};
      if (loc.column > 0) physical["region"]["startColumn"] = loc.column;
    }
    return {{"physicalLocation", physical}};
  }

  json LogicalLocation(const Finding& f) const {
    std::string qualified = f.resource.arn.empty() ? f.resource.id : f.resource.arn;
    return {{"name", internal::ValidUtf8(internal::ResourceLabel(f))},
            {"fullyQualifiedName", internal::ValidUtf8(qualified)},
            {"kind", "resource"}};
  }

  // The offending property when the evidence says where it is, else the resource.
  json Location(const Finding& f) const {
    SourceLocation loc = internal::PrimaryLocation(f);
    json location = loc.file.empty() ? json::object() : PhysicalLocation(loc);
    location["logicalLocations"] = json::array({LogicalLocation(f)});
    return location;
  }

  json Result(const Finding& f) const {
    std::string why = f.reason;
    if (why.empty()) why = Join(internal::EvidenceLines(f), "; ");
    json result = {
        {"ruleId", f.control_id},
        {"ruleIndex", RuleIndex(f.control_id)},
        {"kind", "fail"},
        {"level", Level(f.severity)},
        // Code scanning shows the rule's description beside it; the message names the instance.
        {"message",
         {{"text", Sentence(fmt::format("{} {}: {}",
                                        f.resource.type == "ECSTaskDefinition" ? "Task definition"
                                        : f.resource.type.empty()              ? "Resource"
                                                                               : f.resource.type,
                                        internal::ResourceLabel(f), why))}}},
        {"locations", json::array({Location(f)})},
        {"partialFingerprints", {{kFingerprintKey, f.id}}},
    };
    // Further offending properties of the same resource.
    json related = json::array();
    SourceLocation primary = internal::PrimaryLocation(f);
    for (const posture::Evidence& e : f.evidence) {
      if (e.location.file.empty() ||
          (e.location.file == primary.file && e.location.line == primary.line &&
           e.location.column == primary.column)) {
        continue;
      }
      json l = PhysicalLocation(e.location);
      l["id"] = related.size() + 1;
      l["message"] = {{"text", Sentence(e.Describe())}};
      related.push_back(std::move(l));
    }
    if (!related.empty()) result["relatedLocations"] = related;
    if (f.status == Status::kExcepted) {
      json suppression = {{"kind", "external"}, {"status", "accepted"}};
      if (f.exception) {
        const posture::AppliedException& x = *f.exception;
        suppression["justification"] = internal::ValidUtf8(x.reason.empty() ? x.id : x.reason);
        json props = json::object();
        for (const auto& [key, value] :
             {std::pair{"exceptionId", &x.id}, std::pair{"owner", &x.owner},
              std::pair{"expires", &x.expires}, std::pair{"ticket", &x.ticket}}) {
          if (!value->empty()) props[key] = internal::ValidUtf8(*value);
        }
        suppression["properties"] = props;
      }
      result["suppressions"] = json::array({suppression});
    }
    json props = {{"findingId", f.id},
                  {"severity", controls::SeverityName(f.severity)},
                  {"priority", posture::PriorityName(f.context.priority)},
                  {"exposure", posture::ExposureName(f.context.exposure)},
                  {"evidence", internal::EvidenceLines(f)}};
    if (!f.context.environment.empty()) props["environment"] = f.context.environment;
    if (!f.context.priority_context.empty()) {
      props["priorityContext"] = internal::ValidUtf8(f.context.priority_context);
    }
    result["properties"] = props;
    return result;
  }

  json Notification(const std::string& id, std::string_view level, std::string_view text) {
    if (std::none_of(descriptors_.begin(), descriptors_.end(),
                     [&](const json& d) { return d["id"] == id; })) {
      auto [what, why] = DescriptorText(id);
      descriptors_.push_back({{"id", id},
                              {"shortDescription", {{"text", what}}},
                              {"fullDescription", {{"text", why}}},
                              {"help", {{"text", why}}}});
    }
    return {
        {"level", level}, {"message", {{"text", Sentence(text)}}}, {"descriptor", {{"id", id}}}};
  }

  const posture::ScanResult& scan_;
  const RenderOptions& options_;
  std::vector<ControlInfo> controls_;
  json descriptors_ = json::array();
};

}  // namespace

std::string RenderSarif(const posture::ScanResult& scan, const RenderOptions& options) {
  return SarifWriter(scan, options).Render();
}

}  // namespace ecsguard::report
