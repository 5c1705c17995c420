#pragma once

// The shared AWS configuration as botocore reads it: environment variables, ~/.aws/config and
// ~/.aws/credentials (or AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE), profiles and
// sso-session sections, and the profile and region that follow from them. The environment is
// an interface so tests (and the CLI) decide what "the environment" is.

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"

namespace ecsguard::ingest::aws {

// Thread-safe for reading.
class Environment {
 public:
  virtual ~Environment() = default;
  virtual std::optional<std::string> Get(std::string_view name) const = 0;
  // The value, or `fallback` when the variable is unset or empty.
  std::string GetOr(std::string_view name, std::string fallback = {}) const;
};

// getenv.
class ProcessEnvironment final : public Environment {
 public:
  std::optional<std::string> Get(std::string_view name) const override;
};

class MapEnvironment final : public Environment {
 public:
  MapEnvironment() = default;
  explicit MapEnvironment(std::map<std::string, std::string, std::less<>> vars)
      : vars_(std::move(vars)) {}
  void Set(std::string name, std::string value) { vars_[std::move(name)] = std::move(value); }
  std::optional<std::string> Get(std::string_view name) const override;

 private:
  std::map<std::string, std::string, std::less<>> vars_;
};

// Keys are lower case; a nested block ("s3 =\n  max_concurrent_requests = 10") stays one value.
using ConfigSection = std::map<std::string, std::string, std::less<>>;
using ConfigSections = std::map<std::string, ConfigSection, std::less<>>;

// INI as configparser reads it: [section], key = value (or key: value), full-line # and ;
// comments, indented continuation lines. Repeated sections merge. Errors: kParse with the line.
Result<ConfigSections> ParseIni(std::string_view text, std::string_view file_name);

struct AwsConfig {
  ConfigSections config_profiles;       // from the config file ("[profile x]" named "x")
  ConfigSections credentials_profiles;  // from the credentials file
  ConfigSections sso_sessions;          // "[sso-session x]" from the config file

  // A setting of `profile`: the credentials file wins over the config file, as in botocore.
  std::optional<std::string> Get(std::string_view profile, std::string_view key) const;
  bool HasProfile(std::string_view profile) const;
};

struct ConfigPaths {
  std::string config_file;       // AWS_CONFIG_FILE, else $HOME/.aws/config
  std::string credentials_file;  // AWS_SHARED_CREDENTIALS_FILE, else $HOME/.aws/credentials
};
ConfigPaths DefaultConfigPaths(const Environment& env);
// "~/x" -> "$HOME/x".
std::string ExpandHome(std::string_view path, const Environment& env);

// Reads both files; a missing file is an empty one. Errors: kIo, kParse (with file and line).
Result<AwsConfig> LoadAwsConfig(const ConfigPaths& paths);

// --profile, else AWS_PROFILE, else AWS_DEFAULT_PROFILE, else "default".
std::string ResolveProfileName(std::string_view flag, const Environment& env);

// --region, else AWS_REGION, else AWS_DEFAULT_REGION, else the profile's region; "" if none.
std::string ResolveRegion(std::string_view flag, const Environment& env, const AwsConfig& config,
                          std::string_view profile);

}  // namespace ecsguard::ingest::aws
