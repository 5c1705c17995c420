#include "controls/catalog.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "base/strings.h"
#include "base/yaml.h"
#include "controls/yaml_reader.h"

namespace ecsguard::controls {

std::string_view SeverityName(Severity s) {
  switch (s) {
    case Severity::kCritical:
      return "critical";
    case Severity::kHigh:
      return "high";
    case Severity::kMedium:
      return "medium";
    case Severity::kLow:
      return "low";
  }
  return "unknown";
}

std::optional<Severity> ParseSeverity(std::string_view s) {
  std::string lower = ToLower(s);
  if (lower == "critical") return Severity::kCritical;
  if (lower == "high") return Severity::kHigh;
  if (lower == "medium") return Severity::kMedium;
  if (lower == "low") return Severity::kLow;
  return std::nullopt;
}

Result<Control> ParseControl(std::string_view yaml_text, std::string_view file_name) {
  ASSIGN_OR_RETURN(YAML::Node root, LoadYaml(yaml_text, file_name));
  internal::Reader r(file_name);
  if (!root.IsMap()) return r.Fail(root, "a control file must be a YAML mapping");
  try {
    RETURN_IF_ERROR(r.OnlyKnownKeys(
        root, {"id", "title", "severity", "provider", "subjects", "aliases", "default", "scope",
               "status", "superseded_by", "overview", "remediation", "checks", "iac"}));
    Control c;
    c.file = std::string(file_name);
    ASSIGN_OR_RETURN(c.id, r.String(root, "id", true));
    if (!IsControlId(c.id)) {
      return r.Fail(root["id"], fmt::format("id must be lower-case letters, digits, '.', '_' and "
                                            "'-', not \"{}\"",
                                            c.id));
    }
    ASSIGN_OR_RETURN(c.title, r.String(root, "title", true));
    ASSIGN_OR_RETURN(std::string severity, r.String(root, "severity", true));
    auto sev = ParseSeverity(severity);
    if (!sev) {
      return r.Fail(root["severity"], fmt::format("severity must be critical, high, medium or "
                                                  "low, not \"{}\"",
                                                  severity));
    }
    c.severity = *sev;
    ASSIGN_OR_RETURN(c.provider, r.String(root, "provider", false));
    ASSIGN_OR_RETURN(c.subjects, r.StringList(root, "subjects"));
    if (c.subjects.empty()) return r.Fail(root, "missing required field \"subjects\"");
    ASSIGN_OR_RETURN(c.aliases, r.StringList(root, "aliases"));
    if (root["default"]) {
      if (!root["default"].IsScalar()) return r.Fail(root["default"], "default must be a Boolean");
      std::string d = root["default"].as<std::string>();
      if (d != "true" && d != "false")
        return r.Fail(root["default"], "default must be true or false");
      c.enabled_by_default = d == "true";
    }
    ASSIGN_OR_RETURN(std::string scope, r.String(root, "scope", false));
    if (scope == "latest-active") {
      c.scope = RevisionScope::kLatestActive;
    } else if (root["scope"] && scope != "in-use") {
      return r.Fail(root["scope"],
                    fmt::format("scope must be in-use or latest-active, not \"{}\"", scope));
    }
    ASSIGN_OR_RETURN(std::string status, r.String(root, "status", false));
    if (status == "retired") {
      c.lifecycle = Lifecycle::kRetired;
    } else if (root["status"] && status != "active") {
      return r.Fail(root["status"],
                    fmt::format("status must be active or retired, not \"{}\"", status));
    }
    ASSIGN_OR_RETURN(c.superseded_by, r.StringList(root, "superseded_by"));
    if (!c.superseded_by.empty() && c.lifecycle != Lifecycle::kRetired) {
      return r.Fail(root["superseded_by"],
                    "superseded_by is for a control whose status is retired");
    }
    ASSIGN_OR_RETURN(c.overview, r.String(root, "overview", true));
    if (YAML::Node rem = root["remediation"]) {
      if (!rem.IsMap()) return r.Fail(rem, "remediation must be a mapping");
      RETURN_IF_ERROR(r.OnlyKnownKeys(rem, {"console", "cli", "service_wide", "preventive"}));
      ASSIGN_OR_RETURN(c.remediation.console, r.String(rem, "console", false));
      ASSIGN_OR_RETURN(c.remediation.cli, r.String(rem, "cli", false));
      ASSIGN_OR_RETURN(c.remediation.service_wide, r.String(rem, "service_wide", false));
      ASSIGN_OR_RETURN(c.remediation.preventive, r.String(rem, "preventive", false));
    }
    YAML::Node checks = root["checks"];
    if (!checks || !checks.IsSequence() || checks.size() == 0) {
      return r.Fail(checks ? checks : root, "\"checks\" must be a non-empty list");
    }
    for (const auto& node : checks) {
      ASSIGN_OR_RETURN(Check check, r.ReadCheck(node));
      c.checks.push_back(std::move(check));
    }
    if (YAML::Node iac = root["iac"]) {
      ASSIGN_OR_RETURN(Check check, r.ReadCheck(iac));
      c.iac = std::move(check);
    }
    return c;
  } catch (const YAML::Exception& e) {
    return YamlError(e, file_name);
  }
}

bool IsControlId(std::string_view s) {
  if (s.empty() || s.size() > 128) return false;
  auto lower_or_digit = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!lower_or_digit(s.front())) return false;
  return std::all_of(s.begin(), s.end(),
                     [&](char c) { return lower_or_digit(c) || c == '.' || c == '_' || c == '-'; });
}

namespace internal {

Result<std::vector<std::string>> YamlFilesIn(const std::string& dir, std::string_view what) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    return Error(ErrorCode::kNotFound, fmt::format("{} not found: {}", what, dir));
  }
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    std::string ext = entry.path().extension().string();
    if (entry.is_regular_file() && (ext == ".yaml" || ext == ".yml")) {
      files.push_back(entry.path().string());
    }
  }
  if (ec) return Error(ErrorCode::kIo, fmt::format("cannot list {}: {}", dir, ec.message()));
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace internal

Result<Catalog> Catalog::LoadDirectory(const std::string& dir) {
  ASSIGN_OR_RETURN(std::vector<std::string> files,
                   internal::YamlFilesIn(dir, "control catalog directory"));
  std::vector<Control> controls;
  for (const std::string& file : files) {
    std::string text;
    if (!ReadFileToString(file, &text)) {
      return Error(ErrorCode::kIo, "cannot read control file", SourceLocation{file, 0, 0});
    }
    ASSIGN_OR_RETURN(Control control, ParseControl(text, file));
    for (const Control& other : controls) {
      if (other.id == control.id) {
        return Error(ErrorCode::kConfiguration,
                     fmt::format("control id \"{}\" is also defined in {}", control.id, other.file),
                     SourceLocation{file, 0, 0});
      }
    }
    controls.push_back(std::move(control));
  }
  // A scan with no controls would evaluate nothing and exit 0: never a silent success.
  if (controls.empty()) {
    return Error(ErrorCode::kConfiguration,
                 fmt::format("no controls in {} (expected one or more *.yaml control files)", dir));
  }
  return FromControls(std::move(controls));
}

Catalog Catalog::FromControls(std::vector<Control> controls) {
  Catalog catalog;
  catalog.controls_ = std::move(controls);
  std::sort(catalog.controls_.begin(), catalog.controls_.end(),
            [](const Control& a, const Control& b) { return a.id < b.id; });
  return catalog;
}

const Control* Catalog::Find(std::string_view id_or_alias) const {
  for (const Control& c : controls_) {
    if (c.id == id_or_alias) return &c;
  }
  for (const Control& c : controls_) {
    for (const std::string& alias : c.aliases) {
      if (alias == id_or_alias) return &c;
    }
  }
  return nullptr;
}

Result<std::vector<const Control*>> Catalog::Select(const std::vector<std::string>& names) const {
  std::vector<const Control*> out;
  if (names.empty()) {
    for (const Control& c : controls_) {
      if (c.enabled_by_default) out.push_back(&c);
    }
    return out;
  }
  for (const std::string& name : names) {
    const Control* c = Find(name);
    if (!c) {
      std::vector<std::string> ids;
      for (const Control& known : controls_) ids.push_back(known.id);
      return Error(ErrorCode::kInvalidArgument,
                   fmt::format("unknown control \"{}\" (known: {})", name, Join(ids, ", ")));
    }
    if (std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
  }
  return out;
}

}  // namespace ecsguard::controls
