#include "ingest/aws/credential_providers.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/strings.h"
#include "base/time.h"
#include "ingest/aws/sigv4.h"
#include "ingest/aws/url.h"

extern char** environ;

namespace ecsguard::ingest::aws {
namespace {

using Json = nlohmann::json;
using SysClock = std::chrono::system_clock;

constexpr ServiceInfo kSsoPortal{
    "sso", "portal.sso", "awsssoportal", "SSO", Protocol::kJson, "2019-06-10", ""};
constexpr size_t kMaxProcessOutput = size_t{1} << 20;

Error ConfigError(std::string message) {
  return Error(ErrorCode::kConfiguration, std::move(message));
}

bool IsTrue(std::string_view value) { return EqualsIgnoreCase(Trim(value), "true"); }

std::string Sha1Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha1(), nullptr);
  return HexEncode(std::string_view(reinterpret_cast<const char*>(digest), length));
}

std::string StringField(const Json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Reads credentials out of a JSON document. Its text holds secrets, so errors only name what is
// missing.
Result<Credentials> CredentialsFromJson(const Json& doc, std::string_view what, const char* id_key,
                                        const char* secret_key, const char* token_key,
                                        const char* expiration_key, std::string provider) {
  if (!doc.is_object()) {
    return ConfigError(fmt::format("{}: the answer is not a JSON object", what));
  }
  Credentials c;
  c.provider = std::move(provider);
  c.access_key_id = StringField(doc, id_key);
  c.secret_access_key = StringField(doc, secret_key);
  c.session_token = StringField(doc, token_key);
  if (c.access_key_id.empty() || c.secret_access_key.empty()) {
    return ConfigError(fmt::format("{}: the answer lacks {} or {}", what, id_key, secret_key));
  }
  if (expiration_key) {
    auto it = doc.find(expiration_key);
    if (it != doc.end() && it->is_string()) {
      auto when = ParseTimestamp(it->get<std::string>());
      if (!when.ok()) return ConfigError(fmt::format("{}: bad {}", what, expiration_key));
      c.expiration = *when;
    } else if (it != doc.end() && it->is_number_integer()) {  // milliseconds since the epoch
      int64_t ms = it->get<int64_t>();
      if (ms < 0 || ms > int64_t{1} << 42) {  // 2109: past that, a nanosecond clock overflows
        return ConfigError(fmt::format("{}: bad {}", what, expiration_key));
      }
      c.expiration = SysClock::time_point(std::chrono::milliseconds(ms));
    }
  }
  return c;
}

// aws_access_key_id & co in one section of one file; nothing when the keys are absent.
Result<std::optional<Credentials>> StaticFromSection(const ConfigSections& sections,
                                                     std::string_view profile,
                                                     std::string_view file_kind,
                                                     std::string provider) {
  auto it = sections.find(profile);
  if (it == sections.end()) return std::optional<Credentials>();
  const ConfigSection& s = it->second;
  auto get = [&](std::string_view key) {
    auto v = s.find(key);
    return v == s.end() ? std::string() : v->second;
  };
  Credentials c{get("aws_access_key_id"), get("aws_secret_access_key"), get("aws_session_token")};
  if (c.session_token.empty()) c.session_token = get("aws_security_token");
  if (c.access_key_id.empty() && c.secret_access_key.empty()) return std::optional<Credentials>();
  if (c.access_key_id.empty() || c.secret_access_key.empty()) {
    return ConfigError(
        fmt::format("profile '{}' in the {} has only one of aws_access_key_id and "
                    "aws_secret_access_key",
                    profile, file_kind));
  }
  c.provider = std::move(provider);
  return std::optional<Credentials>(std::move(c));
}

// A STS client for `profile`: its region (or the context's), the configured STS endpoint.
std::unique_ptr<Client> StsClient(const ProviderContext& ctx, std::string_view profile,
                                  CredentialSource* credentials) {
  std::string region = ctx.config->Get(profile, "region").value_or(ctx.region);
  std::string regional =
      ctx.env->GetOr("AWS_STS_REGIONAL_ENDPOINTS",
                     ctx.config->Get(profile, "sts_regional_endpoints").value_or("regional"));
  std::string override_url = ConfiguredEndpointUrl(kSts, "", *ctx.env, *ctx.config, profile);
  return std::make_unique<Client>(
      kSts, ResolveEndpoint(kSts, region, override_url, EqualsIgnoreCase(regional, "legacy")),
      credentials, ctx.client);
}

Result<Credentials> StsCredentials(const XmlElement& response, std::string_view operation,
                                   std::string provider) {
  const XmlElement* creds = QueryResult(response, operation).Child("Credentials");
  if (!creds) return ConfigError(fmt::format("sts:{} answered without Credentials", operation));
  Credentials c{std::string(creds->ChildText("AccessKeyId")),
                std::string(creds->ChildText("SecretAccessKey")),
                std::string(creds->ChildText("SessionToken"))};
  c.provider = std::move(provider);
  if (c.access_key_id.empty() || c.secret_access_key.empty()) {
    return ConfigError(fmt::format("sts:{} answered without keys", operation));
  }
  if (std::string_view expiration = creds->ChildText("Expiration"); !expiration.empty()) {
    auto when = ParseTimestamp(expiration);
    if (!when.ok()) return ConfigError(fmt::format("sts:{}: bad Expiration", operation));
    c.expiration = *when;
  }
  return c;
}

std::string DefaultSessionName(const Clock& clock) {
  return fmt::format("ecsguard-{}", SysClock::to_time_t(clock.Now()));
}

class EnvironmentProviderImpl final : public CredentialProvider {
 public:
  explicit EnvironmentProviderImpl(const ProviderContext& ctx) : ctx_(ctx) {}
  std::string_view name() const override { return "environment"; }

  Result<std::optional<Credentials>> Load() override {
    if (ctx_.profile_from_flag) return std::optional<Credentials>();
    const Environment& env = *ctx_.env;
    Credentials c{env.GetOr("AWS_ACCESS_KEY_ID"), env.GetOr("AWS_SECRET_ACCESS_KEY"),
                  env.GetOr("AWS_SESSION_TOKEN", env.GetOr("AWS_SECURITY_TOKEN"))};
    c.provider = "environment";
    if (c.access_key_id.empty() && c.secret_access_key.empty()) {
      return std::optional<Credentials>();
    }
    if (c.access_key_id.empty() || c.secret_access_key.empty()) {
      return ConfigError(
          "only one of AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY is set in the environment");
    }
    if (std::string expiration = env.GetOr("AWS_CREDENTIAL_EXPIRATION"); !expiration.empty()) {
      ASSIGN_OR_RETURN(c.expiration, ParseTimestamp(expiration));
    }
    return std::optional<Credentials>(std::move(c));
  }

 private:
  ProviderContext ctx_;
};

class StaticFileProvider final : public CredentialProvider {
 public:
  StaticFileProvider(const ProviderContext& ctx, bool credentials_file)
      : ctx_(ctx), credentials_file_(credentials_file) {}
  std::string_view name() const override {
    return credentials_file_ ? "shared-credentials-file" : "config-file";
  }
  Result<std::optional<Credentials>> Load() override {
    return credentials_file_ ? StaticFromSection(ctx_.config->credentials_profiles, ctx_.profile,
                                                 "credentials file", "shared-credentials-file")
                             : StaticFromSection(ctx_.config->config_profiles, ctx_.profile,
                                                 "config file", "config-file");
  }

 private:
  ProviderContext ctx_;
  bool credentials_file_;
};

class ProcessProviderImpl final : public CredentialProvider {
 public:
  explicit ProcessProviderImpl(const ProviderContext& ctx) : ctx_(ctx) {}
  std::string_view name() const override { return "credential-process"; }

  Result<std::optional<Credentials>> Load() override {
    std::optional<std::string> command = ctx_.config->Get(ctx_.profile, "credential_process");
    if (!command || Trim(*command).empty()) return std::optional<Credentials>();
    std::string what = fmt::format("credential_process of profile '{}'", ctx_.profile);
    ASSIGN_OR_RETURN(std::vector<std::string> argv, SplitCommandLine(*command));
    if (!ctx_.runner) return ConfigError(what + ": no command runner");
    Result<CommandOutput> ran = ctx_.runner->Run(argv, ctx_.process_timeout);
    if (!ran.ok()) return ConfigError(fmt::format("{}: {}", what, ran.error().message()));
    if (ran->exit_code != 0) {
      std::string err(Trim(std::string_view(ran->err).substr(0, 300)));
      return ConfigError(fmt::format("{} exited with status {}{}{}", what, ran->exit_code,
                                     err.empty() ? "" : ": ", err));
    }
    Json doc = Json::parse(ran->out, nullptr, /*allow_exceptions=*/false);
    if (!doc.is_object()) return ConfigError(what + ": the output is not a JSON object");
    auto version = doc.find("Version");
    if (version == doc.end() || !version->is_number_integer() || version->get<int64_t>() != 1) {
      return ConfigError(what + ": the output must have \"Version\": 1");
    }
    ASSIGN_OR_RETURN(Credentials c,
                     CredentialsFromJson(doc, what, "AccessKeyId", "SecretAccessKey",
                                         "SessionToken", "Expiration", "credential-process"));
    return std::optional<Credentials>(std::move(c));
  }

 private:
  ProviderContext ctx_;
};

class WebIdentityProviderImpl final : public CredentialProvider {
 public:
  explicit WebIdentityProviderImpl(const ProviderContext& ctx) : ctx_(ctx) {}
  std::string_view name() const override { return "assume-role-with-web-identity"; }

  Result<std::optional<Credentials>> Load() override {
    std::string token_file = Setting("AWS_WEB_IDENTITY_TOKEN_FILE", "web_identity_token_file");
    if (token_file.empty()) return std::optional<Credentials>();
    std::string role_arn = Setting("AWS_ROLE_ARN", "role_arn");
    if (role_arn.empty()) {
      return ConfigError(
          fmt::format("web identity token file {} is set but no role ARN", token_file));
    }
    std::string session_name = Setting("AWS_ROLE_SESSION_NAME", "role_session_name");
    if (session_name.empty()) session_name = DefaultSessionName(*ctx_.client.clock);
    std::string token;
    if (!ReadFileToString(ExpandHome(token_file, *ctx_.env), &token)) {
      return Error(ErrorCode::kIo,
                   fmt::format("cannot read web identity token file {}", token_file));
    }
    std::unique_ptr<Client> sts = StsClient(ctx_, ctx_.profile, /*credentials=*/nullptr);
    QueryParams params;
    params.Add("RoleArn", role_arn)
        .Add("RoleSessionName", session_name)
        .Add("WebIdentityToken", std::string(Trim(token)));
    Result<XmlElement> response = sts->CallQuery("AssumeRoleWithWebIdentity", params);
    if (!response.ok()) {
      return ConfigError(fmt::format("assume role {} with web identity: {}", role_arn,
                                     response.error().message()));
    }
    ASSIGN_OR_RETURN(Credentials c, StsCredentials(*response, "AssumeRoleWithWebIdentity",
                                                   "assume-role-with-web-identity"));
    return std::optional<Credentials>(std::move(c));
  }

 private:
  // The environment wins key by key unless the profile was named with --profile (botocore).
  std::string Setting(std::string_view env_name, std::string_view key) const {
    if (!ctx_.profile_from_flag) {
      if (std::string v = ctx_.env->GetOr(env_name); !v.empty()) return v;
    }
    return ctx_.config->Get(ctx_.profile, key).value_or("");
  }

  ProviderContext ctx_;
};

class SsoProviderImpl final : public CredentialProvider {
 public:
  explicit SsoProviderImpl(const ProviderContext& ctx) : ctx_(ctx) {}
  std::string_view name() const override { return "sso"; }

  Result<std::optional<Credentials>> Load() override {
    const AwsConfig& config = *ctx_.config;
    std::string session = config.Get(ctx_.profile, "sso_session").value_or("");
    std::string start_url = config.Get(ctx_.profile, "sso_start_url").value_or("");
    std::string sso_region = config.Get(ctx_.profile, "sso_region").value_or("");
    if (session.empty() && start_url.empty()) return std::optional<Credentials>();
    std::string what = fmt::format("SSO for profile '{}'", ctx_.profile);
    if (!session.empty()) {
      auto s = config.sso_sessions.find(session);
      if (s == config.sso_sessions.end()) {
        return ConfigError(fmt::format("{}: no [sso-session {}] section", what, session));
      }
      auto get = [&](std::string_view key) {
        auto v = s->second.find(key);
        return v == s->second.end() ? std::string() : v->second;
      };
      start_url = get("sso_start_url");
      sso_region = get("sso_region");
    }
    std::string account = config.Get(ctx_.profile, "sso_account_id").value_or("");
    std::string role = config.Get(ctx_.profile, "sso_role_name").value_or("");
    if (start_url.empty() || sso_region.empty() || account.empty() || role.empty()) {
      return ConfigError(fmt::format(
          "{}: sso_start_url, sso_region, sso_account_id and sso_role_name are all needed", what));
    }

    std::string cache_dir =
        ctx_.sso_cache_dir.empty() ? ExpandHome("~/.aws/sso/cache", *ctx_.env) : ctx_.sso_cache_dir;
    std::string cache_file =
        fmt::format("{}/{}.json", cache_dir, Sha1Hex(session.empty() ? start_url : session));
    std::string cached;
    if (!ReadFileToString(cache_file, &cached)) {
      return ConfigError(
          fmt::format("{}: no cached token ({}); run 'aws sso login'", what, cache_file));
    }
    Json doc = Json::parse(cached, nullptr, /*allow_exceptions=*/false);
    std::string token = doc.is_object() ? StringField(doc, "accessToken") : "";
    auto expires = ParseTimestamp(doc.is_object() ? StringField(doc, "expiresAt") : "");
    if (token.empty() || !expires.ok()) {
      return ConfigError(fmt::format("{}: malformed token cache {}", what, cache_file));
    }
    if (*expires <= ctx_.client.clock->Now()) {
      return ConfigError(fmt::format("{}: the SSO session expired at {}; run 'aws sso login'", what,
                                     FormatIso8601(*expires)));
    }

    std::string override_url =
        ConfiguredEndpointUrl(kSsoPortal, "", *ctx_.env, config, ctx_.profile);
    Endpoint endpoint = ResolveEndpoint(kSsoPortal, sso_region, override_url);
    HttpRequest request;
    request.url = fmt::format("{}/federation/credentials?account_id={}&role_name={}", endpoint.url,
                              UriEncode(account), UriEncode(role));
    request.headers = {{"x-amz-sso_bearer_token", token}};
    Client portal(kSsoPortal, endpoint, /*credentials=*/nullptr, ctx_.client);
    Result<HttpResponse> response = portal.Send("GetRoleCredentials", request);
    if (!response.ok()) {
      return ConfigError(fmt::format(
          "{}: {}", what, RedactSecrets(response.error().message(), Credentials{{}, {}, token})));
    }
    Json body = Json::parse(response->body, nullptr, /*allow_exceptions=*/false);
    if (!body.is_object() || !body.contains("roleCredentials")) {
      return ConfigError(what + ": GetRoleCredentials answered without roleCredentials");
    }
    ASSIGN_OR_RETURN(Credentials c,
                     CredentialsFromJson(*body.find("roleCredentials"), what, "accessKeyId",
                                         "secretAccessKey", "sessionToken", "expiration", "sso"));
    return std::optional<Credentials>(std::move(c));
  }

 private:
  ProviderContext ctx_;
};

class ContainerProviderImpl final : public CredentialProvider {
 public:
  explicit ContainerProviderImpl(const ProviderContext& ctx) : ctx_(ctx) {}
  std::string_view name() const override { return "container"; }

  Result<std::optional<Credentials>> Load() override {
    const Environment& env = *ctx_.env;
    std::string url;
    if (std::string relative = env.GetOr("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
        !relative.empty()) {
      url = ctx_.container_endpoint + relative;
    } else if (std::string full = env.GetOr("AWS_CONTAINER_CREDENTIALS_FULL_URI"); !full.empty()) {
      RETURN_IF_ERROR(CheckFullUri(full));
      url = full;
    } else {
      return std::optional<Credentials>();
    }
    HttpRequest request;
    request.url = url;
    request.timeout = std::chrono::milliseconds(2000);
    std::string token = env.GetOr("AWS_CONTAINER_AUTHORIZATION_TOKEN");
    if (std::string file = env.GetOr("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"); !file.empty()) {
      if (!ReadFileToString(file, &token)) {
        return Error(ErrorCode::kIo, fmt::format("cannot read container token file {}", file));
      }
      token = std::string(Trim(token));
    }
    if (token.find_first_of("\r\n") != std::string::npos) {
      return ConfigError("the container authorization token contains a line break");
    }
    if (!token.empty()) request.headers.emplace_back("Authorization", token);

    Result<HttpResponse> response = Error(ErrorCode::kInternal, "not sent");
    for (int attempt = 0; attempt < 3; ++attempt) {
      response = ctx_.client.transport->Send(request);
      if (response.ok() && response->status < 500) break;
    }
    if (!response.ok()) {
      return ConfigError(
          fmt::format("container credentials from {}: {}", url, response.error().message()));
    }
    if (response->status != 200) {
      return ConfigError(
          fmt::format("container credentials from {}: HTTP {}", url, response->status));
    }
    ASSIGN_OR_RETURN(
        Credentials c,
        CredentialsFromJson(Json::parse(response->body, nullptr, false), "container credentials",
                            "AccessKeyId", "SecretAccessKey", "Token", "Expiration", "container"));
    return std::optional<Credentials>(std::move(c));
  }

 private:
  // Plain HTTP only to the container agent's addresses or loopback, as botocore allows.
  static Result<void> CheckFullUri(std::string_view full) {
    ASSIGN_OR_RETURN(Url url, ParseUrl(full));
    if (url.scheme == "https") return Ok{};
    static constexpr std::string_view kAllowed[] = {"localhost", "169.254.170.2", "169.254.170.23",
                                                    "[fd00:ec2::23]", "[::1]"};
    for (std::string_view host : kAllowed) {
      if (url.host == host) return Ok{};
    }
    if (url.host.starts_with("127.")) return Ok{};
    return ConfigError(fmt::format(
        "AWS_CONTAINER_CREDENTIALS_FULL_URI host {} is neither loopback nor the ECS agent",
        url.host));
  }

  ProviderContext ctx_;
};

class InstanceMetadataProviderImpl final : public CredentialProvider {
 public:
  explicit InstanceMetadataProviderImpl(const ProviderContext& ctx) : ctx_(ctx) {}
  std::string_view name() const override { return "imds"; }

  Result<std::optional<Credentials>> Load() override {
    const Environment& env = *ctx_.env;
    if (IsTrue(env.GetOr("AWS_EC2_METADATA_DISABLED"))) return std::optional<Credentials>();
    std::string base = Endpoint();
    while (!base.empty() && base.back() == '/') base.pop_back();
    bool v1_disabled =
        IsTrue(env.GetOr("AWS_EC2_METADATA_V1_DISABLED",
                         ctx_.config->Get(ctx_.profile, "ec2_metadata_v1_disabled").value_or("")));

    HttpRequest token_request{"PUT",
                              base + "/latest/api/token",
                              {{"X-aws-ec2-metadata-token-ttl-seconds", "21600"}},
                              "",
                              ctx_.metadata_timeout};
    Result<HttpResponse> token_response = ctx_.client.transport->Send(token_request);
    if (!token_response.ok()) return std::optional<Credentials>();  // not on EC2
    Headers auth;
    if (token_response->status == 200) {
      auth.emplace_back("X-aws-ec2-metadata-token", std::string(Trim(token_response->body)));
    } else if (int s = token_response->status; (s == 403 || s == 404 || s == 405) && !v1_disabled) {
      // IMDSv2 refused: fall back on IMDSv1, as botocore does.
    } else {
      return std::optional<Credentials>();
    }

    std::string roles_url = base + "/latest/meta-data/iam/security-credentials/";
    Result<HttpResponse> roles =
        ctx_.client.transport->Send(HttpRequest{"GET", roles_url, auth, "", ctx_.metadata_timeout});
    if (!roles.ok() || roles->status != 200) return std::optional<Credentials>();
    std::string role(Trim(Split(roles->body, '\n').front()));
    if (role.empty()) return std::optional<Credentials>();

    Result<HttpResponse> creds = ctx_.client.transport->Send(
        HttpRequest{"GET", roles_url + UriEncode(role), auth, "", ctx_.metadata_timeout});
    if (!creds.ok() || creds->status != 200) {
      return ConfigError(fmt::format(
          "instance metadata: no credentials for role {} ({})", role,
          creds.ok() ? fmt::format("HTTP {}", creds->status) : creds.error().message()));
    }
    Json doc = Json::parse(creds->body, nullptr, /*allow_exceptions=*/false);
    if (doc.is_object() && doc.contains("Code") && StringField(doc, "Code") != "Success") {
      return ConfigError(fmt::format("instance metadata: role {} answered Code {}", role,
                                     StringField(doc, "Code")));
    }
    ASSIGN_OR_RETURN(Credentials c,
                     CredentialsFromJson(doc, "instance metadata", "AccessKeyId", "SecretAccessKey",
                                         "Token", "Expiration", "imds"));
    return std::optional<Credentials>(std::move(c));
  }

 private:
  std::string Endpoint() const {
    if (!ctx_.imds_endpoint.empty()) return ctx_.imds_endpoint;
    const Environment& env = *ctx_.env;
    std::string url =
        env.GetOr("AWS_EC2_METADATA_SERVICE_ENDPOINT",
                  ctx_.config->Get(ctx_.profile, "ec2_metadata_service_endpoint").value_or(""));
    if (!url.empty()) return url;
    std::string mode = env.GetOr(
        "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
        ctx_.config->Get(ctx_.profile, "ec2_metadata_service_endpoint_mode").value_or(""));
    return EqualsIgnoreCase(mode, "ipv6") ? "http://[fd00:ec2::254]" : "http://169.254.169.254";
  }

  ProviderContext ctx_;
};

class AssumeRoleProviderImpl final : public CredentialProvider {
 public:
  explicit AssumeRoleProviderImpl(const ProviderContext& ctx) : ctx_(ctx) {}
  std::string_view name() const override { return "assume-role"; }

  Result<std::optional<Credentials>> Load() override {
    if (!IsRoleProfile(ctx_.profile)) return std::optional<Credentials>();
    std::set<std::string, std::less<>> visited = {ctx_.profile};
    ASSIGN_OR_RETURN(Credentials c, AssumeFor(ctx_.profile, &visited));
    return std::optional<Credentials>(std::move(c));
  }

 private:
  // role_arn without web_identity_token_file (that one is the web identity provider's).
  bool IsRoleProfile(std::string_view profile) const {
    return ctx_.config->Get(profile, "role_arn").has_value() &&
           !ctx_.config->Get(profile, "web_identity_token_file").has_value();
  }

  ProviderContext For(std::string_view profile) const {
    ProviderContext c = ctx_;
    c.profile = std::string(profile);
    c.profile_from_flag = false;
    return c;
  }

  Result<Credentials> AssumeFor(std::string_view profile,
                                std::set<std::string, std::less<>>* visited) {
    const AwsConfig& config = *ctx_.config;
    std::string role_arn = config.Get(profile, "role_arn").value_or("");
    std::string what = fmt::format("assume role {} for profile '{}'", role_arn, profile);
    if (config.Get(profile, "mfa_serial")) {
      return Error(ErrorCode::kUnsupported,
                   what + ": mfa_serial needs an MFA code and ecsguard does not prompt");
    }
    ASSIGN_OR_RETURN(Credentials source, SourceCredentials(profile, visited));

    StaticCredentialSource source_credentials(source);
    std::unique_ptr<Client> sts = StsClient(ctx_, profile, &source_credentials);
    AssumeRoleParams params{role_arn, config.Get(profile, "role_session_name").value_or(""),
                            config.Get(profile, "external_id").value_or("")};
    if (auto duration = config.Get(profile, "duration_seconds")) {
      params.duration = std::chrono::seconds(std::atoi(duration->c_str()));
    }
    Result<Credentials> assumed = AssumeRole(*sts, params, *ctx_.client.clock);
    if (!assumed.ok()) return ConfigError(fmt::format("{}: {}", what, assumed.error().message()));
    return assumed;
  }

  Result<Credentials> SourceCredentials(std::string_view profile,
                                        std::set<std::string, std::less<>>* visited) {
    const AwsConfig& config = *ctx_.config;
    std::optional<std::string> source_profile = config.Get(profile, "source_profile");
    std::optional<std::string> credential_source = config.Get(profile, "credential_source");
    if (source_profile && credential_source) {
      return ConfigError(
          fmt::format("profile '{}' has both source_profile and credential_source", profile));
    }
    if (credential_source) return FromCredentialSource(profile, *credential_source);
    if (!source_profile) {
      return ConfigError(fmt::format(
          "profile '{}' has role_arn but neither source_profile nor credential_source", profile));
    }
    const std::string& next = *source_profile;
    if (!config.HasProfile(next)) {
      return ConfigError(
          fmt::format("profile '{}': source_profile '{}' does not exist", profile, next));
    }
    ProviderContext next_ctx = For(next);
    if (next == profile) {
      // A profile may name itself to use its own static keys for the role.
      std::vector<std::unique_ptr<CredentialProvider>> own_keys;
      own_keys.push_back(SharedCredentialsProvider(next_ctx));
      own_keys.push_back(ConfigFileProvider(next_ctx));
      ASSIGN_OR_RETURN(std::optional<Credentials> own, FirstOf(std::move(own_keys)));
      if (own) return *own;
      return ConfigError(
          fmt::format("profile '{}' is its own source_profile but has no keys", profile));
    }
    if (visited->contains(next)) {
      return ConfigError(fmt::format("source_profile loop through profile '{}'", next));
    }
    visited->insert(next);
    if (IsRoleProfile(next)) return AssumeFor(next, visited);
    std::vector<std::unique_ptr<CredentialProvider>> providers;
    providers.push_back(WebIdentityProvider(next_ctx));
    providers.push_back(SsoProvider(next_ctx));
    providers.push_back(SharedCredentialsProvider(next_ctx));
    providers.push_back(ProcessProvider(next_ctx));
    providers.push_back(ConfigFileProvider(next_ctx));
    ASSIGN_OR_RETURN(std::optional<Credentials> found, FirstOf(std::move(providers)));
    if (found) return *found;
    return ConfigError(
        fmt::format("source_profile '{}' of profile '{}' has no credentials", next, profile));
  }

  Result<Credentials> FromCredentialSource(std::string_view profile, std::string_view source) {
    ProviderContext c = For(profile);
    std::unique_ptr<CredentialProvider> provider;
    if (source == "Environment") {
      provider = EnvironmentProvider(c);
    } else if (source == "Ec2InstanceMetadata") {
      provider = InstanceMetadataProvider(c);
    } else if (source == "EcsContainer") {
      provider = ContainerProvider(c);
    } else {
      return ConfigError(
          fmt::format("profile '{}': unknown credential_source '{}'", profile, source));
    }
    ASSIGN_OR_RETURN(std::optional<Credentials> found, provider->Load());
    if (found) return *found;
    return ConfigError(
        fmt::format("profile '{}': credential_source {} has no credentials", profile, source));
  }

  static Result<std::optional<Credentials>> FirstOf(
      std::vector<std::unique_ptr<CredentialProvider>> providers) {
    for (auto& provider : providers) {
      ASSIGN_OR_RETURN(std::optional<Credentials> found, provider->Load());
      if (found) return found;
    }
    return std::optional<Credentials>();
  }

  ProviderContext ctx_;
};

}  // namespace

Result<std::chrono::system_clock::time_point> ParseTimestamp(std::string_view text) {
  using std::chrono::sys_days;
  using namespace std::chrono_literals;
  auto t = ParseIsoTimestamp(Trim(text));
  // Years a nanosecond system_clock can hold.
  if (!t || *t < sys_days{1970y / 1 / 1} || *t >= sys_days{2201y / 1 / 1}) {
    return Error(ErrorCode::kParse, fmt::format("not an ISO 8601 time: '{}'", text));
  }
  return SysClock::time_point(*t);
}

Result<std::vector<std::string>> SplitCommandLine(std::string_view line) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quote == '\'') {
      if (c == '\'') {
        quote = 0;
      } else {
        word += c;
      }
    } else if (quote == '"') {
      if (c == '"') {
        quote = 0;
      } else if (c == '\\' && i + 1 < line.size() &&
                 std::string_view("\"\\$`").find(line[i + 1]) != std::string_view::npos) {
        word += line[++i];
      } else {
        word += c;
      }
    } else if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
    } else if (c == '\\' && i + 1 < line.size()) {
      word += line[++i];
      in_word = true;
    } else if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (quote) return Error(ErrorCode::kParse, "unterminated quote in command line");
  if (in_word) words.push_back(std::move(word));
  if (words.empty()) return Error(ErrorCode::kParse, "empty command line");
  return words;
}

Result<CommandOutput> SubprocessRunner::Run(const std::vector<std::string>& argv,
                                            std::chrono::milliseconds timeout) {
  if (argv.empty()) return Error(ErrorCode::kInvalidArgument, "no command");
  int out_pipe[2];
  int err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0) return Error(ErrorCode::kIo, "pipe failed");
  if (pipe2(err_pipe, O_CLOEXEC) != 0) {
    close(out_pipe[0]);
    close(out_pipe[1]);
    return Error(ErrorCode::kIo, "pipe failed");
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
  // Its own process group, so a timeout kills whatever the command started too.
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attributes, 0);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  int spawn_error = posix_spawnp(&pid, args[0], &actions, &attributes, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  close(out_pipe[1]);
  close(err_pipe[1]);
  if (spawn_error != 0) {
    close(out_pipe[0]);
    close(err_pipe[0]);
    return Error(ErrorCode::kIo,
                 fmt::format("cannot run {}: {}", argv[0], std::strerror(spawn_error)));
  }

  CommandOutput output;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::string* sinks[2] = {&output.out, &output.err};
  int open_fds = 2;
  bool timed_out = false;
  while (open_fds > 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    int ready = poll(fds, 2, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buf[4096];
      ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        if (sinks[i]->size() < kMaxProcessOutput) sinks[i]->append(buf, static_cast<size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  for (pollfd& fd : fds) {
    if (fd.fd >= 0) close(fd.fd);
  }
  if (timed_out) kill(-pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) {
    return Error(ErrorCode::kIo,
                 fmt::format("{} did not finish within {} ms", argv[0], timeout.count()));
  }
  output.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return output;
}

std::unique_ptr<CredentialProvider> EnvironmentProvider(const ProviderContext& context) {
  return std::make_unique<EnvironmentProviderImpl>(context);
}
std::unique_ptr<CredentialProvider> AssumeRoleProvider(const ProviderContext& context) {
  return std::make_unique<AssumeRoleProviderImpl>(context);
}
std::unique_ptr<CredentialProvider> WebIdentityProvider(const ProviderContext& context) {
  return std::make_unique<WebIdentityProviderImpl>(context);
}
std::unique_ptr<CredentialProvider> SsoProvider(const ProviderContext& context) {
  return std::make_unique<SsoProviderImpl>(context);
}
std::unique_ptr<CredentialProvider> SharedCredentialsProvider(const ProviderContext& context) {
  return std::make_unique<StaticFileProvider>(context, /*credentials_file=*/true);
}
std::unique_ptr<CredentialProvider> ProcessProvider(const ProviderContext& context) {
  return std::make_unique<ProcessProviderImpl>(context);
}
std::unique_ptr<CredentialProvider> ConfigFileProvider(const ProviderContext& context) {
  return std::make_unique<StaticFileProvider>(context, /*credentials_file=*/false);
}
std::unique_ptr<CredentialProvider> ContainerProvider(const ProviderContext& context) {
  return std::make_unique<ContainerProviderImpl>(context);
}
std::unique_ptr<CredentialProvider> InstanceMetadataProvider(const ProviderContext& context) {
  return std::make_unique<InstanceMetadataProviderImpl>(context);
}

std::vector<std::unique_ptr<CredentialProvider>> DefaultProviders(const ProviderContext& context) {
  std::vector<std::unique_ptr<CredentialProvider>> providers;
  providers.push_back(EnvironmentProvider(context));
  providers.push_back(AssumeRoleProvider(context));
  providers.push_back(WebIdentityProvider(context));
  providers.push_back(SsoProvider(context));
  providers.push_back(SharedCredentialsProvider(context));
  providers.push_back(ProcessProvider(context));
  providers.push_back(ConfigFileProvider(context));
  providers.push_back(ContainerProvider(context));
  providers.push_back(InstanceMetadataProvider(context));
  return providers;
}

ChainCredentialSource::ChainCredentialSource(
    std::vector<std::unique_ptr<CredentialProvider>> providers, const Clock& clock,
    std::chrono::seconds refresh_window)
    : providers_(std::move(providers)), cache_([this] { return Fetch(); }, clock, refresh_window) {}

Result<Credentials> ChainCredentialSource::Fetch() {
  if (chosen_) {
    Result<std::optional<Credentials>> again = chosen_->Load();
    if (!again.ok())
      return Error(again.error().code(),
                   fmt::format("{}: {}", chosen_->name(), again.error().message()));
    if (*again) return **again;
    return ConfigError(fmt::format("{} no longer provides credentials", chosen_->name()));
  }
  std::vector<std::string> names;
  for (auto& provider : providers_) {
    Result<std::optional<Credentials>> found = provider->Load();
    if (!found.ok()) {
      return Error(found.error().code(),
                   fmt::format("{}: {}", provider->name(), found.error().message()));
    }
    if (*found) {
      chosen_ = provider.get();
      return **found;
    }
    names.emplace_back(provider->name());
  }
  return ConfigError(fmt::format("no AWS credentials found (tried {})", Join(names, ", ")));
}

Result<Credentials> AssumeRole(Client& sts, const AssumeRoleParams& params, const Clock& clock) {
  QueryParams query;
  query.Add("RoleArn", params.role_arn)
      .Add("RoleSessionName",
           params.session_name.empty() ? DefaultSessionName(clock) : params.session_name);
  if (!params.external_id.empty()) query.Add("ExternalId", params.external_id);
  if (params.duration.count() > 0) {
    query.Add("DurationSeconds", std::to_string(params.duration.count()));
  }
  Result<XmlElement> response = sts.CallQuery("AssumeRole", query);
  if (!response.ok()) return std::move(response).error();
  return StsCredentials(*response, "AssumeRole", "assume-role");
}

std::unique_ptr<CredentialSource> AssumeRoleCredentials(std::unique_ptr<Client> sts,
                                                        AssumeRoleParams params,
                                                        const Clock& clock) {
  class Source final : public CredentialSource {
   public:
    Source(std::unique_ptr<Client> sts, AssumeRoleParams params, const Clock& clock)
        : sts_(std::move(sts)),
          params_(std::move(params)),
          cache_(
              [this, &clock]() -> Result<Credentials> {
                Result<Credentials> c = AssumeRole(*sts_, params_, clock);
                if (c.ok()) return c;
                return Error(c.error().code(), fmt::format("assume role {}: {}", params_.role_arn,
                                                           c.error().message()));
              },
              clock) {}
    Result<Credentials> Get() override { return cache_.Get(); }
    void Invalidate() override { cache_.Invalidate(); }

   private:
    std::unique_ptr<Client> sts_;
    AssumeRoleParams params_;
    RefreshingCredentialSource cache_;
  };
  return std::make_unique<Source>(std::move(sts), std::move(params), clock);
}

}  // namespace ecsguard::ingest::aws
