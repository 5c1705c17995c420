#pragma once

// Where credentials come from, in botocore's order (DefaultProviders):
//
//   1. environment       AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN (skipped
//                        when the profile was named with --profile)
//   2. assume-role       a profile with role_arn and source_profile (chains allowed) or
//                        credential_source (Environment, Ec2InstanceMetadata, EcsContainer)
//   3. web identity      AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN, or the profile's keys
//   4. sso               the profile's sso_session / sso_start_url, via the token cache
//   5. credentials file  static keys in ~/.aws/credentials
//   6. credential_process
//   7. config file       static keys in ~/.aws/config
//   8. container         AWS_CONTAINER_CREDENTIALS_RELATIVE_URI / _FULL_URI (ECS, EKS)
//   9. instance metadata IMDSv2 (token first, IMDSv1 only when the token call is refused)
//
// A provider that is not configured yields nothing and the chain moves on; one that is
// configured but fails stops the chain with its error, as botocore does. Every side effect
// (environment, files, HTTP endpoints, processes, clock) comes in through ProviderContext.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "ingest/aws/client.h"
#include "ingest/aws/config.h"
#include "ingest/aws/credentials.h"

namespace ecsguard::ingest::aws {

struct CommandOutput {
  int exit_code = 0;  // 128 + signal when the process was killed
  std::string out;
  std::string err;
};

// Runs credential_process commands.
class CommandRunner {
 public:
  virtual ~CommandRunner() = default;
  // Runs argv[0] (searched on PATH) with no shell; stdin is /dev/null, output is captured.
  // Errors: kIo when the process cannot be started or outlives `timeout` (it is then killed).
  virtual Result<CommandOutput> Run(const std::vector<std::string>& argv,
                                    std::chrono::milliseconds timeout) = 0;
};

// posix_spawnp. Thread-safe.
class SubprocessRunner final : public CommandRunner {
 public:
  Result<CommandOutput> Run(const std::vector<std::string>& argv,
                            std::chrono::milliseconds timeout) override;
};

// Splits a command line as a POSIX shell does (quotes, backslashes), expanding nothing.
Result<std::vector<std::string>> SplitCommandLine(std::string_view line);

// An expiration time as base's ParseIsoTimestamp reads it, in years 1970 to 2200; else kParse.
Result<std::chrono::system_clock::time_point> ParseTimestamp(std::string_view text);

struct ProviderContext {
  const Environment* env = nullptr;
  const AwsConfig* config = nullptr;
  ClientDeps client;  // for STS, SSO, the container endpoint and instance metadata
  CommandRunner* runner = nullptr;
  std::string profile = "default";
  bool profile_from_flag = false;  // named with --profile: environment keys do not count
  std::string region;              // STS region when the profile names none; "" is global
  std::string imds_endpoint;       // "": AWS_EC2_METADATA_SERVICE_ENDPOINT, the profile, default
  std::string container_endpoint = "http://169.254.170.2";
  std::string sso_cache_dir;  // "": $HOME/.aws/sso/cache
  std::chrono::milliseconds metadata_timeout{1000};
  std::chrono::milliseconds process_timeout{60000};
};

class CredentialProvider {
 public:
  virtual ~CredentialProvider() = default;
  virtual std::string_view name() const = 0;
  // Nothing: not configured here, try the next provider. An error: configured but failed.
  // Error messages name files, profiles and roles, never secrets.
  virtual Result<std::optional<Credentials>> Load() = 0;
};

std::unique_ptr<CredentialProvider> EnvironmentProvider(const ProviderContext& context);
std::unique_ptr<CredentialProvider> AssumeRoleProvider(const ProviderContext& context);
std::unique_ptr<CredentialProvider> WebIdentityProvider(const ProviderContext& context);
std::unique_ptr<CredentialProvider> SsoProvider(const ProviderContext& context);
std::unique_ptr<CredentialProvider> SharedCredentialsProvider(const ProviderContext& context);
std::unique_ptr<CredentialProvider> ProcessProvider(const ProviderContext& context);
std::unique_ptr<CredentialProvider> ConfigFileProvider(const ProviderContext& context);
std::unique_ptr<CredentialProvider> ContainerProvider(const ProviderContext& context);
std::unique_ptr<CredentialProvider> InstanceMetadataProvider(const ProviderContext& context);

// All of the above, in order.
std::vector<std::unique_ptr<CredentialProvider>> DefaultProviders(const ProviderContext& context);

// Asks each provider in turn until one answers, then keeps asking that one whenever the
// credentials are within `refresh_window` of expiring. Thread-safe.
class ChainCredentialSource final : public CredentialSource {
 public:
  ChainCredentialSource(
      std::vector<std::unique_ptr<CredentialProvider>> providers, const Clock& clock,
      std::chrono::seconds refresh_window = RefreshingCredentialSource::kDefaultRefreshWindow);

  Result<Credentials> Get() override { return cache_.Get(); }
  void Invalidate() override { cache_.Invalidate(); }

 private:
  Result<Credentials> Fetch();

  std::vector<std::unique_ptr<CredentialProvider>> providers_;
  CredentialProvider* chosen_ = nullptr;  // guarded by cache_'s lock: Fetch runs under it
  RefreshingCredentialSource cache_;
};

struct AssumeRoleParams {
  std::string role_arn;
  std::string session_name;  // "" picks "ecsguard-<unix time>"
  std::string external_id;
  std::chrono::seconds duration{0};  // 0: the role's default
};

// sts:AssumeRole through `sts` (a Client for STS signed with the source credentials).
Result<Credentials> AssumeRole(Client& sts, const AssumeRoleParams& params, const Clock& clock);

// Credentials of a role assumed with `sts` and assumed again before they expire: what a scan
// of many accounts uses for each one.
std::unique_ptr<CredentialSource> AssumeRoleCredentials(std::unique_ptr<Client> sts,
                                                        AssumeRoleParams params,
                                                        const Clock& clock);

}  // namespace ecsguard::ingest::aws
