// JUnit XML for CI test reports: one testsuite per control, one testcase per control and
// resource (FAIL -> <failure>, NOT_EVALUATED -> <error>, EXCEPTED -> <skipped>, PASS -> plain),
// and a suite "ecsguard.inputs" with one erroring testcase per input problem and the scan's
// warnings as its system-err.

#include <fmt/format.h>

#include <algorithm>

#include "base/strings.h"
#include "report/internal/model.h"
#include "report/internal/text.h"
#include "report/report.h"

namespace ecsguard::report {
namespace {

using internal::XmlEscape;
using posture::Finding;
using posture::Status;

struct Suite {
  std::string name;
  std::vector<std::string> properties;  // rendered <property/> elements
  std::vector<std::string> cases;       // rendered <testcase> elements
  std::vector<std::string> system_err;  // lines of <system-err>
  size_t failures = 0, errors = 0, skipped = 0;
};

std::string Attr(std::string_view name, std::string_view value) {
  return fmt::format(" {}=\"{}\"", name, XmlEscape(value));
}

std::string CaseName(const Finding& f) {
  // The same family:revision can exist in several accounts and regions.
  std::vector<std::string> scope;
  if (!f.resource.account_id.empty()) scope.push_back(f.resource.account_id);
  if (!f.resource.region.empty()) scope.push_back(f.resource.region);
  std::string name = internal::ResourceLabel(f);
  return scope.empty() ? name : fmt::format("{} ({})", name, Join(scope, " "));
}

std::string FailureText(const Finding& f) {
  std::vector<std::string> lines = internal::EvidenceLines(f);
  if (!f.reason.empty()) lines.push_back("Why: " + f.reason);
  if (!f.resource.arn.empty()) lines.push_back("Resource: " + f.resource.arn);
  std::string location = internal::LocationText(f);
  if (!location.empty()) lines.push_back("Location: " + location);
  lines.push_back(
      fmt::format("Priority: {} (exposure {}{})", posture::PriorityName(f.context.priority),
                  posture::ExposureName(f.context.exposure),
                  f.context.environment.empty() ? "" : ", environment " + f.context.environment));
  if (!f.context.priority_context.empty()) {
    lines.push_back("Priority context: " + f.context.priority_context);
  }
  if (!f.context.services.empty()) lines.push_back("Services: " + Join(f.context.services, ", "));
  lines.push_back("Finding: " + f.id);
  lines.push_back("Fix: " + ControlDocUrl(f.control_id));
  return Join(lines, "\n");
}

std::string TestCase(const Finding& f) {
  std::string open = "    <testcase" + Attr("classname", f.control_id) + Attr("name", CaseName(f));
  SourceLocation loc = internal::PrimaryLocation(f);
  if (!loc.file.empty()) {
    open += Attr("file", loc.file);
    if (loc.line > 0) open += Attr("line", std::to_string(loc.line));
  }
  open += Attr("time", "0");
  std::string headline =
      internal::OneLine(f.reason.empty() ? Join(internal::EvidenceLines(f), "; ") : f.reason);
  switch (f.status) {
    case Status::kPass:
      return open + "/>\n";
    case Status::kFail:
      return open + ">\n      <failure" + Attr("message", headline) +
             Attr("type", controls::SeverityName(f.severity)) + ">" +
             XmlEscape(FailureText(f), false) + "</failure>\n    </testcase>\n";
    case Status::kNotEvaluated:
      return open + ">\n      <error" + Attr("message", "not evaluated: " + headline) +
             Attr("type", "NOT_EVALUATED") + ">" + XmlEscape(FailureText(f), false) +
             "</error>\n    </testcase>\n";
    case Status::kExcepted:
      return open + ">\n      <skipped" +
             Attr("message", f.exception ? internal::OneLine(internal::ExceptionText(*f.exception))
                                         : "excepted") +
             "/>\n    </testcase>\n";
  }
  return open + "/>\n";
}

std::string SuiteXml(const Suite& s, std::string_view timestamp) {
  std::string out = fmt::format(
      "  <testsuite{}{}{}{}{}{}{}>\n", Attr("name", s.name),
      Attr("tests", std::to_string(s.cases.size())), Attr("failures", std::to_string(s.failures)),
      Attr("errors", std::to_string(s.errors)), Attr("skipped", std::to_string(s.skipped)),
      Attr("time", "0"), timestamp.empty() ? "" : Attr("timestamp", timestamp));
  if (!s.properties.empty()) {
    out += "    <properties>\n";
    for (const std::string& p : s.properties) out += p;
    out += "    </properties>\n";
  }
  for (const std::string& c : s.cases) out += c;
  if (!s.system_err.empty()) {
    out += "    <system-err>" + XmlEscape(Join(s.system_err, "\n"), false) + "</system-err>\n";
  }
  return out + "  </testsuite>\n";
}

}  // namespace

std::string RenderJunit(const posture::ScanResult& scan) {
  std::vector<Suite> suites;
  for (const internal::ControlInfo& c : internal::ScanControls(scan, RenderOptions{})) {
    Suite s;
    s.name = c.id;
    s.properties.push_back("      <property" + Attr("name", "title") + Attr("value", c.title) +
                           "/>\n");
    s.properties.push_back("      <property" + Attr("name", "severity") +
                           Attr("value", controls::SeverityName(c.severity)) + "/>\n");
    suites.push_back(std::move(s));
  }
  for (const Finding& f : scan.findings) {
    auto it = std::find_if(suites.begin(), suites.end(),
                           [&](const Suite& s) { return s.name == f.control_id; });
    if (it == suites.end()) continue;  // ScanControls lists every control a finding names
    it->cases.push_back(TestCase(f));
    it->failures += f.status == Status::kFail;
    it->errors += f.status == Status::kNotEvaluated;
    it->skipped += f.status == Status::kExcepted;
  }
  // Input problems are erroring testcases; warnings (context a priority lacks) the suite's
  // system-err.
  if (!scan.problems.empty() || !scan.warnings.empty()) {
    Suite inputs;
    for (const std::string& w : scan.warnings) inputs.system_err.push_back("warning: " + w);
    inputs.name = "ecsguard.inputs";
    for (const Error& e : scan.problems) {
      std::string name = e.location().file.empty() ? std::string("input") : e.location().file;
      inputs.cases.push_back(
          "    <testcase" + Attr("classname", "ecsguard.inputs") + Attr("name", name) +
          (e.location().file.empty() ? "" : Attr("file", e.location().file)) + Attr("time", "0") +
          ">\n      <error" + Attr("message", internal::OneLine(e.ToString())) +
          Attr("type", ErrorCodeName(e.code())) + ">" + XmlEscape(e.ToString(), false) +
          "</error>\n    </testcase>\n");
      ++inputs.errors;
    }
    suites.push_back(std::move(inputs));
  }

  size_t tests = 0, failures = 0, errors = 0, skipped = 0;
  for (const Suite& s : suites) {
    tests += s.cases.size();
    failures += s.failures;
    errors += s.errors;
    skipped += s.skipped;
  }
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format(
      "<testsuites{}{}{}{}{}{}>\n", Attr("name", "ecsguard"), Attr("tests", std::to_string(tests)),
      Attr("failures", std::to_string(failures)), Attr("errors", std::to_string(errors)),
      Attr("skipped", std::to_string(skipped)), Attr("time", "0"));
  std::string timestamp = internal::ScanTime(scan);
  for (const Suite& s : suites) out += SuiteXml(s, timestamp);
  return out + "</testsuites>\n";
}

}  // namespace ecsguard::report
