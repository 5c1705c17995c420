#include "posture/exceptions.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <set>

#include "base/arn.h"
#include "base/strings.h"
#include "base/time.h"
#include "base/yaml.h"

namespace ecsguard::posture {
namespace {

using std::chrono::days;
using std::chrono::sys_days;

sys_days Today(const Clock& clock) { return std::chrono::floor<days>(clock.Now()); }

// Reads one exceptions document; every error names file:line:col.
class Reader {
 public:
  explicit Reader(std::string_view file) : file_(file) {}

  Error Fail(const YAML::Node& node, std::string message) const {
    return Error(ErrorCode::kConfiguration, std::move(message), YamlLocation(file_, node));
  }

  // Unknown keys are errors: a typo ("expiry:") must not silently drop a field. (A repeated
  // key is one already: LoadYaml.)
  Result<void> OnlyKnownKeys(const YAML::Node& map, const std::set<std::string>& known) const {
    for (const auto& kv : map) {
      if (!kv.first.IsScalar()) return Fail(kv.first, "keys must be plain strings");
      std::string key = kv.first.as<std::string>();
      if (!known.count(key)) {
        return Fail(kv.first, fmt::format("unknown field \"{}\" (known: {})", key,
                                          Join({known.begin(), known.end()}, ", ")));
      }
    }
    return Ok{};
  }

  // A non-empty string; `map` locates the error when the key is missing.
  Result<std::string> String(const YAML::Node& map, const char* key, bool required) const {
    YAML::Node node = map[key];
    if (!node) {
      if (required) return Fail(map, fmt::format("missing required field \"{}\"", key));
      return std::string();
    }
    if (node.IsNull()) return Fail(node, fmt::format("\"{}\" must not be empty", key));
    if (!node.IsScalar()) return Fail(node, fmt::format("\"{}\" must be a string", key));
    std::string value(Trim(node.as<std::string>()));
    if (value.empty()) return Fail(node, fmt::format("\"{}\" must not be empty", key));
    return value;
  }

  Result<ExceptionScope> ReadScope(const YAML::Node& entry) const {
    YAML::Node node = entry["scope"];
    if (!node) return Fail(entry, "missing required field \"scope\"");
    if (!node.IsMap()) {
      return Fail(node,
                  "\"scope\" must be a mapping with arn, arnPattern, account, region, "
                  "family or path");
    }
    RETURN_IF_ERROR(
        OnlyKnownKeys(node, {"arn", "arnPattern", "account", "region", "family", "path"}));
    ExceptionScope s;
    ASSIGN_OR_RETURN(s.arn, String(node, "arn", false));
    ASSIGN_OR_RETURN(s.arn_pattern, String(node, "arnPattern", false));
    ASSIGN_OR_RETURN(s.account, String(node, "account", false));
    ASSIGN_OR_RETURN(s.region, String(node, "region", false));
    ASSIGN_OR_RETURN(s.family, String(node, "family", false));
    ASSIGN_OR_RETURN(s.path, String(node, "path", false));
    if (s.arn.empty() && s.arn_pattern.empty() && s.account.empty() && s.region.empty() &&
        s.family.empty() && s.path.empty()) {
      return Fail(node,
                  "\"scope\" needs at least one of arn, arnPattern, account, region, "
                  "family, path");
    }
    if (!s.arn.empty() && !ParseArn(s.arn)) {
      return Fail(node["arn"], fmt::format("\"arn\" is not an ARN: \"{}\" (use arnPattern for "
                                           "wildcards)",
                                           s.arn));
    }
    if (!s.arn.empty() && s.arn.find_first_of("*?") != std::string::npos) {
      return Fail(node["arn"], "\"arn\" is matched exactly; use arnPattern for wildcards");
    }
    if (!s.arn_pattern.empty() && !s.arn_pattern.starts_with("arn:")) {
      return Fail(node["arnPattern"], fmt::format("\"arnPattern\" must start with \"arn:\", not "
                                                  "\"{}\"",
                                                  s.arn_pattern));
    }
    if (!s.account.empty() &&
        (s.account.size() != 12 || !std::all_of(s.account.begin(), s.account.end(),
                                                [](unsigned char c) { return std::isdigit(c); }))) {
      return Fail(node["account"], fmt::format("\"account\" must be a 12-digit AWS account id, "
                                               "not \"{}\" (quote it to keep leading zeros)",
                                               s.account));
    }
    return s;
  }

  Result<Exception> ReadException(const YAML::Node& node) const {
    if (!node.IsMap()) {
      return Fail(node,
                  "an exception must be a mapping with id, control, scope, reason, owner "
                  "and expires");
    }
    RETURN_IF_ERROR(OnlyKnownKeys(
        node, {"id", "control", "scope", "reason", "owner", "expires", "ticket", "broad"}));
    Exception e;
    e.location = YamlLocation(file_, node);
    ASSIGN_OR_RETURN(e.id, String(node, "id", true));
    if (e.id.find_first_of(" \t") != std::string::npos) {
      return Fail(node["id"], fmt::format("\"id\" must not contain spaces: \"{}\"", e.id));
    }
    ASSIGN_OR_RETURN(e.control, String(node, "control", true));
    ASSIGN_OR_RETURN(e.scope, ReadScope(node));
    ASSIGN_OR_RETURN(e.reason, String(node, "reason", true));
    ASSIGN_OR_RETURN(e.owner, String(node, "owner", true));
    ASSIGN_OR_RETURN(std::string expires, String(node, "expires", true));
    auto date = ParseIsoDate(expires);
    if (!date) {
      return Fail(node["expires"], fmt::format("\"expires\" must be a calendar date YYYY-MM-DD, "
                                               "not \"{}\"",
                                               expires));
    }
    e.expires = *date;
    ASSIGN_OR_RETURN(e.ticket, String(node, "ticket", false));
    if (YAML::Node broad = node["broad"]) {
      std::string text = broad.IsScalar() ? broad.as<std::string>() : "";
      if (text != "true" && text != "false") {
        return Fail(broad, fmt::format("\"broad\" must be true or false, not \"{}\"", text));
      }
      e.broad = text == "true";
    }
    return e;
  }

  Result<ExceptionSet> ReadDocument(const YAML::Node& root) const {
    if (!root.IsMap()) {
      return Fail(root, "an exceptions file must be a YAML mapping with an \"exceptions:\" list");
    }
    RETURN_IF_ERROR(OnlyKnownKeys(root, {"version", "exceptions"}));
    if (YAML::Node version = root["version"]) {
      if (!version.IsScalar() || version.as<std::string>() != "1") {
        return Fail(version, "unsupported \"version\" (this ecsguard reads version 1)");
      }
    }
    YAML::Node list = root["exceptions"];
    if (!list) return Fail(root, "missing required field \"exceptions\"");
    if (!list.IsSequence()) return Fail(list, "\"exceptions\" must be a list");
    std::vector<Exception> out;
    std::map<std::string, uint32_t> lines;
    for (const auto& item : list) {
      ASSIGN_OR_RETURN(Exception e, ReadException(item));
      auto [it, inserted] = lines.emplace(e.id, e.location.line);
      if (!inserted) {
        return Fail(item["id"], fmt::format("duplicate exception id \"{}\" (first defined on "
                                            "line {})",
                                            e.id, it->second));
      }
      out.push_back(std::move(e));
    }
    return ExceptionSet::FromExceptions(std::move(out));
  }

 private:
  std::string_view file_;
};

bool PathGlobAt(std::string_view p, std::string_view t) {
  while (!p.empty()) {
    if (p.starts_with("**")) {
      p.remove_prefix(2);
      if (p.starts_with("/")) {
        // "**/" is zero or more whole directories.
        p.remove_prefix(1);
        if (PathGlobAt(p, t)) return true;
        for (size_t i = 0; i < t.size(); ++i) {
          if (t[i] == '/' && PathGlobAt(p, t.substr(i + 1))) return true;
        }
        return false;
      }
      for (size_t i = 0; i <= t.size(); ++i) {
        if (PathGlobAt(p, t.substr(i))) return true;
      }
      return false;
    }
    if (p[0] == '*') {
      p.remove_prefix(1);
      for (size_t i = 0; i <= t.size(); ++i) {
        if (PathGlobAt(p, t.substr(i))) return true;
        if (i < t.size() && t[i] == '/') break;
      }
      return false;
    }
    if (t.empty()) return false;
    if (p[0] == '?' ? t[0] == '/' : p[0] != t[0]) return false;
    p.remove_prefix(1);
    t.remove_prefix(1);
  }
  return t.empty();
}

std::string_view WithoutDotSlash(std::string_view s) {
  while (s.starts_with("./")) s.remove_prefix(2);
  return s;
}

}  // namespace

bool GlobMatch(std::string_view p, std::string_view t) {
  // Greedy with one backtrack point: linear enough for ARNs, no recursion.
  size_t pi = 0, ti = 0, star = std::string_view::npos, mark = 0;
  while (ti < t.size()) {
    if (pi < p.size() && (p[pi] == '?' || p[pi] == t[ti])) {
      ++pi;
      ++ti;
    } else if (pi < p.size() && p[pi] == '*') {
      star = pi++;
      mark = ti;
    } else if (star != std::string_view::npos) {
      pi = star + 1;
      ti = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

bool PathGlobMatch(std::string_view pattern, std::string_view path) {
  pattern = WithoutDotSlash(pattern);
  path = WithoutDotSlash(path);
  if (PathGlobAt(pattern, path)) return true;
  if (pattern.starts_with("/")) return false;
  for (size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '/' && PathGlobAt(pattern, path.substr(i + 1))) return true;
  }
  return false;
}

std::string FindingFile(const Finding& f) {
  if (!f.resource.location.file.empty()) return f.resource.location.file;
  size_t hash = f.resource.id.find('#');
  if (f.resource.arn.empty() && hash != std::string::npos) return f.resource.id.substr(0, hash);
  return "";
}

bool ExceptionScope::Matches(const Finding& f) const {
  const Resource& r = f.resource;
  if (!arn.empty() && r.arn != arn) return false;
  if (!arn_pattern.empty() && (r.arn.empty() || !GlobMatch(arn_pattern, r.arn))) return false;
  if (!account.empty() && r.account_id != account) return false;
  if (!region.empty() && r.region != region) return false;
  if (!family.empty() && r.family != family) return false;
  if (!path.empty()) {
    std::string file = FindingFile(f);
    if (file.empty() || !PathGlobMatch(path, file)) return false;
  }
  return true;
}

namespace {

// True when `pattern` keeps a literal character once its wildcards and the separators and
// prefixes every match shares are taken away.
bool HasLiteral(std::string_view pattern, std::string_view ignore) {
  return std::any_of(pattern.begin(), pattern.end(), [&](char c) {
    return c != '*' && c != '?' && ignore.find(c) == std::string_view::npos;
  });
}

// The resource part of an ARN pattern (after the fifth colon), without "task-definition/".
std::string_view ArnResource(std::string_view pattern) {
  for (int colons = 0; colons < 5; ++colons) {
    size_t at = pattern.find(':');
    if (at == std::string_view::npos) return {};
    pattern.remove_prefix(at + 1);
  }
  if (pattern.starts_with("task-definition/")) pattern.remove_prefix(16);
  return pattern;
}

// A path glob is narrow when some folder or file stem in it is literal: "infra/*.tf" and
// "**/web.tf" are, "**" and "**/*.tf" are not.
bool PathIsNarrow(std::string_view pattern) {
  for (std::string_view segment : Split(pattern, '/')) {
    size_t dot = segment.rfind('.');
    std::string_view stem =
        dot == std::string_view::npos || dot == 0 ? segment : segment.substr(0, dot);
    if (HasLiteral(stem, ".")) return true;
  }
  return false;
}

}  // namespace

bool ExceptionScope::NarrowerThanAccount() const {
  if (!arn.empty() || !family.empty()) return true;
  if (!arn_pattern.empty() && HasLiteral(ArnResource(arn_pattern), "/:")) return true;
  return !path.empty() && PathIsNarrow(path);
}

std::string Exception::BroadScopeProblem() const {
  if (broad || scope.NarrowerThanAccount()) return "";
  return fmt::format("its scope ({}) names nothing narrower than an account", scope.Describe());
}

std::string ExceptionScope::Describe() const {
  std::vector<std::string> parts;
  if (!arn.empty()) parts.push_back("arn=" + arn);
  if (!arn_pattern.empty()) parts.push_back("arnPattern=" + arn_pattern);
  if (!account.empty()) parts.push_back("account=" + account);
  if (!region.empty()) parts.push_back("region=" + region);
  if (!family.empty()) parts.push_back("family=" + family);
  if (!path.empty()) parts.push_back("path=" + path);
  return Join(parts, ", ");
}

std::string Exception::ExpiresText() const { return FormatIsoDate(expires); }

int Exception::DaysLeft(const Clock& clock) const {
  return static_cast<int>((sys_days(expires) - Today(clock)).count());
}

AppliedException Exception::ToApplied() const {
  return AppliedException{id, reason, owner, ExpiresText(), ticket};
}

std::string_view ExceptionStateName(ExceptionState s) {
  switch (s) {
    case ExceptionState::kActive:
      return "active";
    case ExceptionState::kExpiring:
      return "expiring";
    case ExceptionState::kExpired:
      return "expired";
  }
  return "active";
}

std::vector<std::string> ExceptionReport::Warnings() const {
  std::vector<std::string> out;
  for (const ExceptionOutcome& o : outcomes) {
    std::string where = o.location.ToString();
    std::string at = where.empty() ? "" : fmt::format(" ({})", where);
    if (o.state == ExceptionState::kExpired) {
      out.push_back(fmt::format(
          "exception \"{}\"{} expired on {} and no longer applies: {} finding{} it matches "
          "{} reported as FAIL; owner {}",
          o.id, at, o.expires, o.matched, o.matched == 1 ? "" : "s", o.matched == 1 ? "is" : "are",
          o.owner));
      continue;
    }
    if (!o.refused.empty()) {
      out.push_back(fmt::format(
          "exception \"{}\"{} was not applied: {}; if that is intended, add \"broad: true\" "
          "to it (owner {})",
          o.id, at, o.refused, o.owner));
      continue;
    }
    if (o.broad) {
      out.push_back(
          fmt::format("exception \"{}\"{} is marked broad and excepts {} finding{} "
                      "(owner {})",
                      o.id, at, o.matched, o.matched == 1 ? "" : "s", o.owner));
    }
    if (o.matched == 0) {
      out.push_back(fmt::format("exception \"{}\"{} matched no failing finding", o.id, at));
    }
    if (o.state == ExceptionState::kExpiring) {
      out.push_back(fmt::format("exception \"{}\"{} expires on {} ({}); owner {}", o.id, at,
                                o.expires,
                                o.days_left == 0   ? "today is its last day"
                                : o.days_left == 1 ? "in 1 day"
                                                   : fmt::format("in {} days", o.days_left),
                                o.owner));
    }
  }
  return out;
}

Result<ExceptionSet> ExceptionSet::Parse(std::string_view yaml_text, std::string_view file) {
  ASSIGN_OR_RETURN(YAML::Node root, LoadYaml(yaml_text, file));
  if (!root || root.IsNull()) {
    return Error(ErrorCode::kConfiguration,
                 "the exceptions file is empty (expected a mapping with an \"exceptions:\" list)",
                 SourceLocation{std::string(file), 0, 0});
  }
  try {
    return Reader(file).ReadDocument(root);
  } catch (const YAML::Exception& e) {
    return YamlError(e, file);
  }
}

Result<ExceptionSet> ExceptionSet::Load(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return Error(ErrorCode::kNotFound, "exceptions file not found", SourceLocation{path, 0, 0});
  }
  std::string text;
  if (std::filesystem::is_directory(path, ec) || !ReadFileToString(path, &text)) {
    return Error(ErrorCode::kIo, "cannot read the exceptions file", SourceLocation{path, 0, 0});
  }
  return Parse(text, path);
}

ExceptionSet ExceptionSet::FromExceptions(std::vector<Exception> exceptions) {
  ExceptionSet set;
  set.exceptions_ = std::move(exceptions);
  return set;
}

Result<void> ExceptionSet::ResolveControls(const controls::Catalog& catalog) {
  for (Exception& e : exceptions_) {
    const controls::Control* c = catalog.Find(e.control);
    if (!c) {
      std::vector<std::string> ids;
      for (const controls::Control& known : catalog.controls()) ids.push_back(known.id);
      return Error(ErrorCode::kConfiguration,
                   fmt::format("exception \"{}\": unknown control \"{}\" (known: {})", e.id,
                               e.control, Join(ids, ", ")),
                   e.location);
    }
    e.control = c->id;
  }
  return Ok{};
}

ExceptionReport ExceptionSet::Apply(std::vector<Finding>* findings, const Clock& clock,
                                    int expiring_within_days) const {
  ExceptionReport report;
  for (const Exception& e : exceptions_) {
    ExceptionOutcome o{e.id, e.owner, e.ExpiresText(), e.location};
    o.days_left = e.DaysLeft(clock);
    o.state = o.days_left < 0                       ? ExceptionState::kExpired
              : o.days_left <= expiring_within_days ? ExceptionState::kExpiring
                                                    : ExceptionState::kActive;
    o.broad = e.broad;
    report.outcomes.push_back(std::move(o));
  }
  // First find what each exception matches, so one that is too broad is refused whole rather
  // than applied to the first kBroadMatchLimit findings.
  std::vector<std::vector<size_t>> matches(findings->size());  // exception indices, file order
  for (size_t n = 0; n < findings->size(); ++n) {
    const Finding& f = (*findings)[n];
    if (f.status != Status::kFail) continue;
    for (size_t i = 0; i < exceptions_.size(); ++i) {
      const Exception& e = exceptions_[i];
      if (e.control != f.control_id || !e.scope.Matches(f)) continue;
      ++report.outcomes[i].matched;
      matches[n].push_back(i);
    }
  }
  for (size_t i = 0; i < exceptions_.size(); ++i) {
    ExceptionOutcome& o = report.outcomes[i];
    if (o.state == ExceptionState::kExpired || exceptions_[i].broad) continue;
    o.refused = exceptions_[i].BroadScopeProblem();
    if (o.refused.empty() && o.matched > kBroadMatchLimit) {
      o.refused =
          fmt::format("it matches {} failing findings, more than {}", o.matched, kBroadMatchLimit);
    }
  }
  for (size_t n = 0; n < findings->size(); ++n) {
    Finding& f = (*findings)[n];
    for (size_t i : matches[n]) {
      const Exception& e = exceptions_[i];
      const ExceptionOutcome& o = report.outcomes[i];
      if (o.state != ExceptionState::kExpired && o.refused.empty() && f.status == Status::kFail) {
        f.status = Status::kExcepted;
        f.exception = e.ToApplied();
      }
    }
  }
  for (const ExceptionOutcome& o : report.outcomes) {
    if (o.state == ExceptionState::kExpired) {
      report.expired.push_back(o.id);
      continue;
    }
    if (!o.refused.empty()) {
      report.refused.push_back(o.id);
      continue;
    }
    if (o.broad) report.broad.push_back(o.id);
    if (o.matched == 0) report.unmatched.push_back(o.id);
    if (o.state == ExceptionState::kExpiring) report.expiring.push_back(o.id);
  }
  return report;
}

std::vector<const Exception*> ExceptionSet::ExpiringWithin(int days, const Clock& clock,
                                                           bool include_expired) const {
  std::vector<const Exception*> out;
  for (const Exception& e : exceptions_) {
    int left = e.DaysLeft(clock);
    if (left <= days && (left >= 0 || include_expired)) out.push_back(&e);
  }
  std::stable_sort(out.begin(), out.end(), [](const Exception* a, const Exception* b) {
    if (a->expires != b->expires) return a->expires < b->expires;
    return a->id < b->id;
  });
  return out;
}

}  // namespace ecsguard::posture
