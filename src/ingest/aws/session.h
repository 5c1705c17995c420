#pragma once

// Session: the AWS layer put together the way the CLI needs it. It reads the environment and
// the shared config files once, settles the profile and region, builds the default credential
// chain, and hands out Clients (one per service and region) that share the transport, the clock
// and the call counters.

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "base/result.h"
#include "ingest/aws/client.h"
#include "ingest/aws/config.h"
#include "ingest/aws/credential_providers.h"
#include "ingest/aws/curl_transport.h"

namespace ecsguard::ingest::aws {

struct SessionOptions {
  std::string profile;  // --profile; "" means AWS_PROFILE, else "default"
  std::string region;   // --region; "" means AWS_REGION, AWS_DEFAULT_REGION, the profile
  // --endpoint-url, for every Client the session makes (emulators); the credential providers'
  // own STS calls follow AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL instead.
  std::string endpoint_url;
  RetryOptions retry;  // AWS_MAX_ATTEMPTS / AWS_RETRY_MODE (or the profile's) override it
  CurlOptions curl;    // ca_bundle defaults to AWS_CA_BUNDLE or the profile's ca_bundle
  // --timeout: how long everything the session's Clients do may take, counted from Create
  // (0: no limit). Past it every call, the credential providers' included, fails at once with
  // kScanTimeout, and a request in flight is cut off.
  std::chrono::milliseconds timeout{0};
  // Requests per second per (account, region, API category), for every Client of the session.
  RateLimits rate_limits = RateLimits::Defaults();
};

// The side effects a Session uses; what is left null is the real thing (the process
// environment, libcurl, the system clock, posix_spawn, sleep_for, a seeded PRNG).
struct SessionDeps {
  const Environment* env = nullptr;
  Transport* transport = nullptr;
  const Clock* clock = nullptr;
  CommandRunner* runner = nullptr;
  SleepFunction sleep;
  RandomFunction random;
  std::string imds_endpoint;       // "" for the usual resolution
  std::string container_endpoint;  // "" for http://169.254.170.2
  std::string sso_cache_dir;       // "" for ~/.aws/sso/cache
};

// Thread-safe once created.
class Session {
 public:
  // Errors: kIo / kParse for unreadable or malformed config files, kConfiguration for a profile
  // named explicitly (--profile or AWS_PROFILE) that does not exist.
  static Result<std::unique_ptr<Session>> Create(SessionOptions options, SessionDeps deps = {});

  const std::string& profile() const { return profile_; }
  const std::string& region() const { return region_; }  // "" when none is configured
  const AwsConfig& config() const { return config_; }
  CredentialSource& credentials() { return *credentials_; }
  CallStats& stats() { return stats_; }

  // A client for `service` in `region` ("" for the session's region) signed with `credentials`
  // (nullptr for the session's). Errors: kConfiguration when no region is known.
  Result<std::unique_ptr<Client>> NewClient(const ServiceInfo& service,
                                            std::string_view region = {},
                                            CredentialSource* credentials = nullptr);

  // Credentials of `params.role_arn`, assumed with the session's credentials and refreshed before
  // they expire (--role across the accounts of an organization). Clients signed with them draw
  // on the request limits of the role's account.
  Result<std::unique_ptr<CredentialSource>> AssumeRole(AssumeRoleParams params);
  // The account the session's own credentials belong to (sts:GetCallerIdentity), whose request
  // limits Clients signed with them draw on.
  void SetCallerAccount(std::string account);

  RequestLimiter& limiter() { return *limiter_; }

 private:
  Session() = default;

  SessionOptions options_;
  std::unique_ptr<Environment> owned_env_;
  std::unique_ptr<Transport> owned_transport_;
  std::unique_ptr<Clock> owned_clock_;
  std::unique_ptr<CommandRunner> owned_runner_;
  const Environment* env_ = nullptr;
  ClientDeps client_deps_;
  AwsConfig config_;
  std::string profile_;
  std::string region_;
  CallStats stats_;
  std::unique_ptr<RequestLimiter> limiter_;
  std::unique_ptr<ChainCredentialSource> credentials_;
  std::mutex accounts_mu_;
  std::string caller_account_;
  std::map<const CredentialSource*, std::string> accounts_;  // by AssumeRole's sources
};

}  // namespace ecsguard::ingest::aws
