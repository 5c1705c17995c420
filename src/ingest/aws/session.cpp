#include "ingest/aws/session.h"

#include <charconv>

#include <fmt/format.h>

#include "base/arn.h"
#include "base/strings.h"

namespace ecsguard::ingest::aws {

Result<std::unique_ptr<Session>> Session::Create(SessionOptions options, SessionDeps deps) {
  std::unique_ptr<Session> s(new Session());
  if (!deps.env) s->owned_env_ = std::make_unique<ProcessEnvironment>();
  s->env_ = deps.env ? deps.env : s->owned_env_.get();
  const Environment& env = *s->env_;

  ASSIGN_OR_RETURN(s->config_, LoadAwsConfig(DefaultConfigPaths(env)));
  s->profile_ = ResolveProfileName(options.profile, env);
  bool named = !options.profile.empty() || !env.GetOr("AWS_PROFILE").empty();
  if (named && !s->config_.HasProfile(s->profile_)) {
    return Error(
        ErrorCode::kConfiguration,
        fmt::format("profile '{}' is not in the AWS config or credentials file", s->profile_));
  }
  s->region_ = ResolveRegion(options.region, env, s->config_, s->profile_);

  // botocore's retry settings: max_attempts counts the first try; retry_mode "adaptive" (ours
  // by default) keeps the client-side rate limiter, "standard" and "legacy" turn it off.
  std::string attempts =
      env.GetOr("AWS_MAX_ATTEMPTS", s->config_.Get(s->profile_, "max_attempts").value_or(""));
  if (!attempts.empty()) {
    int n = 0;
    auto [end, ec] = std::from_chars(attempts.data(), attempts.data() + attempts.size(), n);
    if (ec != std::errc() || end != attempts.data() + attempts.size() || n < 1 || n > 20) {
      return Error(ErrorCode::kConfiguration,
                   fmt::format("max_attempts must be a number from 1 to 20, not \"{}\"", attempts));
    }
    options.retry.max_attempts = n;
    options.retry.max_throttle_attempts = n;
  }
  std::string mode =
      ToLower(env.GetOr("AWS_RETRY_MODE", s->config_.Get(s->profile_, "retry_mode").value_or("")));
  if (mode == "standard" || mode == "legacy") {
    options.retry.adaptive = false;
  } else if (mode == "adaptive") {
    options.retry.adaptive = true;
  } else if (!mode.empty()) {
    return Error(ErrorCode::kConfiguration,
                 fmt::format("retry_mode must be standard, legacy or adaptive, not \"{}\"", mode));
  }

  if (!deps.transport) {
    CurlOptions curl = options.curl;
    if (curl.ca_bundle.empty()) {
      curl.ca_bundle = ExpandHome(
          env.GetOr("AWS_CA_BUNDLE", s->config_.Get(s->profile_, "ca_bundle").value_or("")), env);
    }
    s->owned_transport_ = std::make_unique<CurlTransport>(curl);
  }
  if (!deps.clock) s->owned_clock_ = std::make_unique<SystemClock>();
  if (!deps.runner) s->owned_runner_ = std::make_unique<SubprocessRunner>();
  s->client_deps_ = ClientDeps{deps.transport ? deps.transport : s->owned_transport_.get(),
                               deps.clock ? deps.clock : s->owned_clock_.get(), deps.sleep,
                               deps.random, &s->stats_};
  s->limiter_ = std::make_unique<RequestLimiter>(options.rate_limits);
  s->client_deps_.limiter = s->limiter_.get();
  if (options.timeout.count() > 0) {
    s->client_deps_.deadline = s->client_deps_.clock->Now() + options.timeout;
  }

  ProviderContext context;
  context.env = s->env_;
  context.config = &s->config_;
  context.client = s->client_deps_;
  context.runner = deps.runner ? deps.runner : s->owned_runner_.get();
  context.profile = s->profile_;
  context.profile_from_flag = !options.profile.empty();
  context.region = s->region_;
  context.imds_endpoint = deps.imds_endpoint;
  if (!deps.container_endpoint.empty()) context.container_endpoint = deps.container_endpoint;
  context.sso_cache_dir = deps.sso_cache_dir;
  s->credentials_ =
      std::make_unique<ChainCredentialSource>(DefaultProviders(context), *s->client_deps_.clock);
  s->options_ = std::move(options);
  return s;
}

Result<std::unique_ptr<Client>> Session::NewClient(const ServiceInfo& service,
                                                   std::string_view region,
                                                   CredentialSource* credentials) {
  std::string where(region.empty() ? std::string_view(region_) : region);
  if (where.empty() && !service.global && service.id != kSts.id) {
    return Error(ErrorCode::kConfiguration,
                 fmt::format("no region for {}: use --region, AWS_REGION or the profile's region",
                             service.id));
  }
  std::string override_url =
      ConfiguredEndpointUrl(service, options_.endpoint_url, *env_, config_, profile_);
  std::string sts_mode = env_->GetOr("AWS_STS_REGIONAL_ENDPOINTS",
                                     config_.Get(profile_, "sts_regional_endpoints").value_or(""));
  ClientDeps deps = client_deps_;
  {
    std::lock_guard lock(accounts_mu_);
    auto it = accounts_.find(credentials);
    deps.account = it != accounts_.end() ? it->second : caller_account_;
  }
  return std::make_unique<Client>(
      service, ResolveEndpoint(service, where, override_url, EqualsIgnoreCase(sts_mode, "legacy")),
      credentials ? credentials : credentials_.get(), std::move(deps), options_.retry);
}

void Session::SetCallerAccount(std::string account) {
  std::lock_guard lock(accounts_mu_);
  caller_account_ = std::move(account);
}

Result<std::unique_ptr<CredentialSource>> Session::AssumeRole(AssumeRoleParams params) {
  ASSIGN_OR_RETURN(std::unique_ptr<Client> sts, NewClient(kSts));
  std::optional<Arn> role = ParseArn(params.role_arn);
  std::unique_ptr<CredentialSource> source =
      AssumeRoleCredentials(std::move(sts), std::move(params), *client_deps_.clock);
  if (role) {
    std::lock_guard lock(accounts_mu_);
    accounts_[source.get()] = role->account_id;
  }
  return source;
}

}  // namespace ecsguard::ingest::aws
