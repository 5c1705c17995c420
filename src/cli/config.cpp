#include "cli/config.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <set>

#include "base/strings.h"
#include "base/yaml.h"
#include "controls/controls.h"

namespace ecsguard::cli {
Result<void> ApplyConfigFile(const std::string& path, CommonScanOptions* o) {
  std::string text;
  if (!ReadFileToString(path, &text)) {
    return Error(ErrorCode::kNotFound, "cannot read config file", SourceLocation{path, 0, 0});
  }
  ASSIGN_OR_RETURN(YAML::Node root, LoadYaml(text, path));
  try {
    if (root.IsNull()) return Ok{};
    if (!root.IsMap()) {
      return Error(ErrorCode::kConfiguration, "a config file must be a YAML mapping",
                   YamlLocation(path, root));
    }
    const std::set<std::string> known = {"controls",     "severity",   "fail_on", "formats",
                                         "output_dir",   "exceptions", "db",      "no_history",
                                         "controls_dir", "max_rate"};
    for (const auto& kv : root) {
      std::string key = kv.first.as<std::string>();
      if (!known.count(key)) {
        return Error(ErrorCode::kConfiguration,
                     fmt::format("unknown config key \"{}\" (known: {})", key,
                                 Join({known.begin(), known.end()}, ", ")),
                     YamlLocation(path, kv.first));
      }
      const YAML::Node& v = kv.second;
      auto scalar = [&](std::string* into) -> Result<void> {
        if (!v.IsScalar()) {
          return Error(ErrorCode::kConfiguration, fmt::format("\"{}\" must be a string", key),
                       YamlLocation(path, v));
        }
        if (into->empty()) *into = v.as<std::string>();
        return Ok{};
      };
      auto list = [&](std::vector<std::string>* into) -> Result<void> {
        if (!into->empty()) return Ok{};
        if (v.IsScalar()) {
          into->push_back(v.as<std::string>());
        } else if (v.IsSequence()) {
          for (const auto& item : v) into->push_back(item.as<std::string>());
        } else {
          return Error(ErrorCode::kConfiguration, fmt::format("\"{}\" must be a list", key),
                       YamlLocation(path, v));
        }
        return Ok{};
      };
      // A value is checked even when the command line overrides it: a broken file is broken.
      auto severity = [&](std::string* into) -> Result<void> {
        std::string value;
        RETURN_IF_ERROR(scalar(&value));
        if (!controls::ParseSeverity(value)) {
          return Error(ErrorCode::kConfiguration,
                       fmt::format("\"{}\": unknown severity \"{}\" (critical, high, medium, low)",
                                   key, value),
                       YamlLocation(path, v));
        }
        if (into->empty()) *into = value;
        return Ok{};
      };
      if (key == "controls") RETURN_IF_ERROR(list(&o->controls));
      if (key == "formats") RETURN_IF_ERROR(list(&o->formats));
      if (key == "severity") RETURN_IF_ERROR(severity(&o->severity));
      if (key == "fail_on") RETURN_IF_ERROR(severity(&o->fail_on));
      if (key == "output_dir") RETURN_IF_ERROR(scalar(&o->output_dir));
      if (key == "exceptions") RETURN_IF_ERROR(scalar(&o->exceptions_file));
      if (key == "db") RETURN_IF_ERROR(scalar(&o->db));
      if (key == "controls_dir") RETURN_IF_ERROR(scalar(&o->controls_dir));
      if (key == "max_rate") RETURN_IF_ERROR(list(&o->max_rates));
      if (key == "no_history") {
        std::string value = v.IsScalar() ? v.as<std::string>() : "";
        if (value != "true" && value != "false") {
          return Error(ErrorCode::kConfiguration,
                       fmt::format("\"no_history\" must be true or false, not \"{}\"", value),
                       YamlLocation(path, v));
        }
        if (value == "true") o->no_history = true;
      }
    }
    return Ok{};
  } catch (const YAML::Exception& e) {
    return YamlError(e, path);
  }
}

}  // namespace ecsguard::cli
