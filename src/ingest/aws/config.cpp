#include "ingest/aws/config.h"

#include <cstdlib>
#include <filesystem>
#include <vector>

#include <fmt/format.h>

#include "base/strings.h"

namespace ecsguard::ingest::aws {
namespace {

size_t Indent(std::string_view line) {
  size_t n = 0;
  while (n < line.size() && (line[n] == ' ' || line[n] == '\t')) ++n;
  return n;
}

std::vector<std::string_view> Words(std::string_view s) {
  std::vector<std::string_view> out;
  for (std::string_view w : Split(s, ' ')) {
    w = Trim(w);
    if (!w.empty()) out.push_back(w);
  }
  return out;
}

// Reads one file into sections; a file that does not exist reads as empty.
Result<ConfigSections> ReadIniFile(const std::string& path) {
  std::error_code ec;
  if (path.empty() || !std::filesystem::exists(path, ec)) return ConfigSections{};
  std::string text;
  if (!ReadFileToString(path, &text)) {
    return Error(ErrorCode::kIo, fmt::format("cannot read {}", path), SourceLocation{path});
  }
  return ParseIni(text, path);
}

}  // namespace

std::string Environment::GetOr(std::string_view name, std::string fallback) const {
  std::optional<std::string> value = Get(name);
  return value && !value->empty() ? *value : fallback;
}

std::optional<std::string> ProcessEnvironment::Get(std::string_view name) const {
  const char* value = std::getenv(std::string(name).c_str());
  if (!value) return std::nullopt;
  return std::string(value);
}

std::optional<std::string> MapEnvironment::Get(std::string_view name) const {
  auto it = vars_.find(name);
  if (it == vars_.end()) return std::nullopt;
  return it->second;
}

Result<ConfigSections> ParseIni(std::string_view text, std::string_view file_name) {
  ConfigSections sections;
  ConfigSection* section = nullptr;
  std::string* value = nullptr;  // the value continuation lines extend
  size_t key_indent = 0;
  uint32_t line_number = 0;
  for (std::string_view raw : Split(text, '\n')) {
    ++line_number;
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    std::string_view line = Trim(raw);
    auto fail = [&](std::string_view why) {
      return Error(ErrorCode::kParse, std::string(why),
                   SourceLocation{std::string(file_name), line_number, 1});
    };
    if (line.empty()) {
      value = nullptr;
      continue;
    }
    if (line.front() == '#' || line.front() == ';') continue;
    if (value && Indent(raw) > key_indent) {
      *value += '\n';
      *value += line;
      continue;
    }
    value = nullptr;
    if (line.front() == '[') {
      size_t close = line.rfind(']');
      if (close == std::string_view::npos || close == 1 || close + 1 != line.size()) {
        return fail(fmt::format("malformed section header '{}'", line));
      }
      section = &sections[std::string(line.substr(1, close - 1))];
      continue;
    }
    if (!section) return fail("a setting before any [section]");
    size_t sep = line.find_first_of("=:");
    if (sep == std::string_view::npos || sep == 0) {
      return fail(fmt::format("expected 'key = value', got '{}'", line));
    }
    std::string key = ToLower(Trim(line.substr(0, sep)));
    value = &(*section)[key];
    *value = std::string(Trim(line.substr(sep + 1)));
    key_indent = Indent(raw);
  }
  return sections;
}

std::optional<std::string> AwsConfig::Get(std::string_view profile, std::string_view key) const {
  for (const ConfigSections* sections : {&credentials_profiles, &config_profiles}) {
    auto p = sections->find(profile);
    if (p == sections->end()) continue;
    auto v = p->second.find(key);
    if (v != p->second.end()) return v->second;
  }
  return std::nullopt;
}

bool AwsConfig::HasProfile(std::string_view profile) const {
  return credentials_profiles.contains(profile) || config_profiles.contains(profile);
}

std::string ExpandHome(std::string_view path, const Environment& env) {
  if (path == "~" || path.starts_with("~/")) return env.GetOr("HOME") + std::string(path.substr(1));
  return std::string(path);
}

ConfigPaths DefaultConfigPaths(const Environment& env) {
  return ConfigPaths{
      ExpandHome(env.GetOr("AWS_CONFIG_FILE", "~/.aws/config"), env),
      ExpandHome(env.GetOr("AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials"), env)};
}

Result<AwsConfig> LoadAwsConfig(const ConfigPaths& paths) {
  AwsConfig config;
  ASSIGN_OR_RETURN(ConfigSections raw_config, ReadIniFile(paths.config_file));
  for (auto& [name, values] : raw_config) {
    std::vector<std::string_view> words = Words(name);
    if (name == "default") {
      // "[profile default]" is the same profile; whichever comes later in the map wins.
      config.config_profiles["default"].merge(values);
    } else if (words.size() == 2 && words[0] == "profile") {
      config.config_profiles[std::string(words[1])].merge(values);
    } else if (words.size() == 2 && words[0] == "sso-session") {
      config.sso_sessions[std::string(words[1])] = std::move(values);
    }
  }
  ASSIGN_OR_RETURN(config.credentials_profiles, ReadIniFile(paths.credentials_file));
  return config;
}

std::string ResolveProfileName(std::string_view flag, const Environment& env) {
  if (!flag.empty()) return std::string(flag);
  return env.GetOr("AWS_PROFILE", env.GetOr("AWS_DEFAULT_PROFILE", "default"));
}

std::string ResolveRegion(std::string_view flag, const Environment& env, const AwsConfig& config,
                          std::string_view profile) {
  if (!flag.empty()) return std::string(flag);
  std::string region = env.GetOr("AWS_REGION", env.GetOr("AWS_DEFAULT_REGION"));
  if (!region.empty()) return region;
  return config.Get(profile, "region").value_or("");
}

}  // namespace ecsguard::ingest::aws
