// Credential resolution: config files, each provider, the chain's order, refresh before expiry,
// and that no error or formatted value ever shows a secret. Hermetic: a temporary HOME, an
// environment map, FakeTransport for STS / SSO / ECS / IMDS, a FixedClock.

#include "ingest/aws/credential_providers.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "ingest/aws/session.h"
#include "ingest/aws/sigv4.h"

namespace ecsguard::ingest::aws {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

const std::chrono::system_clock::time_point kT0 =
    std::chrono::sys_days{std::chrono::year{2026} / 1 / 15} + 9h;

constexpr char kSecret[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

std::string StsAnswer(std::string_view operation, std::string_view key, std::string_view secret,
                      std::string_view token, std::string_view expiration) {
  return fmt::format(
      R"(<{0}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><{0}Result>)"
      "<Credentials><AccessKeyId>{1}</AccessKeyId><SecretAccessKey>{2}</SecretAccessKey>"
      "<SessionToken>{3}</SessionToken><Expiration>{4}</Expiration></Credentials>"
      "</{0}Result><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></{0}Response>",
      operation, key, secret, token, expiration);
}

class CredentialsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    dir_ = fs::temp_directory_path() / fmt::format("ecsguard-creds-{}-{}", ::getpid(), ++counter);
    fs::create_directories(dir_ / ".aws");
    env_.Set("HOME", dir_.string());
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Write(const std::string& relative, const std::string& text) {
    fs::path path = dir_ / relative;
    fs::create_directories(path.parent_path());
    std::ofstream(path) << text;
    return path.string();
  }

  ProviderContext Context(std::string profile = "default", bool from_flag = false) {
    Result<AwsConfig> loaded = LoadAwsConfig(DefaultConfigPaths(env_));
    EXPECT_TRUE(loaded.ok()) << loaded.error().ToString();
    if (loaded.ok()) config_ = *loaded;
    ProviderContext c;
    c.env = &env_;
    c.config = &config_;
    c.client = ClientDeps{&transport_, &clock_, [](std::chrono::milliseconds) {},
                          [] { return 0.0; }, nullptr};
    c.runner = &runner_;
    c.profile = std::move(profile);
    c.profile_from_flag = from_flag;
    c.region = "eu-west-1";
    c.sso_cache_dir = (dir_ / ".aws/sso/cache").string();
    return c;
  }

  Result<Credentials> Resolve(std::string profile = "default", bool from_flag = false) {
    ProviderContext context = Context(std::move(profile), from_flag);
    ChainCredentialSource chain(DefaultProviders(context), clock_);
    return chain.Get();
  }

  // Fails the test when a secret shows up in `text`.
  void ExpectNoSecrets(const std::string& text) {
    for (std::string_view secret :
         {std::string_view(kSecret), std::string_view("TOPSECRET"),
          std::string_view("SESSIONTOKEN"), std::string_view("BEARERTOKEN")}) {
      EXPECT_EQ(text.find(secret), std::string::npos) << text;
    }
  }

  fs::path dir_;
  MapEnvironment env_;
  AwsConfig config_;
  FakeTransport transport_;
  FixedClock clock_{kT0};
  SubprocessRunner runner_;
};

TEST_F(CredentialsTest, IniParsing) {
  Result<ConfigSections> ini = ParseIni(
      "# comment\n"
      "[default]\n"
      "region = eu-west-1\n"
      "  ; indented comment\n"
      "Output: json\n"
      "s3 =\n"
      "  max_concurrent_requests = 10\n"
      "  addressing_style = path\n"
      "\n"
      "[profile dev]\r\n"
      "aws_access_key_id=AKID\r\n",
      "config");
  ASSERT_TRUE(ini.ok()) << ini.error().ToString();
  EXPECT_EQ((*ini)["default"]["region"], "eu-west-1");
  EXPECT_EQ((*ini)["default"]["output"], "json");
  EXPECT_EQ((*ini)["default"]["s3"], "\nmax_concurrent_requests = 10\naddressing_style = path");
  EXPECT_EQ((*ini)["profile dev"]["aws_access_key_id"], "AKID");

  Result<ConfigSections> orphan = ParseIni("\nregion = x\n", "cfg");
  ASSERT_FALSE(orphan.ok());
  EXPECT_EQ(orphan.error().code(), ErrorCode::kParse);
  EXPECT_EQ(orphan.error().ToString(), "cfg:2:1: a setting before any [section]");
  EXPECT_FALSE(ParseIni("[default\n", "cfg").ok());
  EXPECT_FALSE(ParseIni("[default]\njunk\n", "cfg").ok());
}

TEST_F(CredentialsTest, ProfilesRegionsAndFiles) {
  Write(".aws/config",
        "[default]\nregion = us-east-2\n[profile dev]\nregion = eu-central-1\n"
        "[sso-session corp]\nsso_region = eu-west-1\n[services x]\nfoo = bar\n");
  Write(".aws/credentials", "[dev]\nregion = ap-south-1\naws_access_key_id = A\n");
  Context();
  EXPECT_EQ(config_.Get("dev", "region"), "ap-south-1");  // the credentials file wins
  EXPECT_EQ(config_.Get("default", "region"), "us-east-2");
  EXPECT_TRUE(config_.sso_sessions.contains("corp"));
  EXPECT_FALSE(config_.HasProfile("services x"));
  EXPECT_EQ(ResolveProfileName("", env_), "default");
  env_.Set("AWS_DEFAULT_PROFILE", "dev");
  EXPECT_EQ(ResolveProfileName("", env_), "dev");
  env_.Set("AWS_PROFILE", "other");
  EXPECT_EQ(ResolveProfileName("", env_), "other");
  EXPECT_EQ(ResolveProfileName("flag", env_), "flag");
  EXPECT_EQ(ResolveRegion("", env_, config_, "default"), "us-east-2");
  env_.Set("AWS_DEFAULT_REGION", "sa-east-1");
  EXPECT_EQ(ResolveRegion("", env_, config_, "default"), "sa-east-1");
  env_.Set("AWS_REGION", "ca-central-1");
  EXPECT_EQ(ResolveRegion("", env_, config_, "default"), "ca-central-1");
  EXPECT_EQ(ResolveRegion("eu-north-1", env_, config_, "default"), "eu-north-1");

  env_.Set("AWS_CONFIG_FILE", "~/elsewhere/config");
  Write("elsewhere/config", "[profile moved]\nregion = il-central-1\n");
  Context();
  EXPECT_EQ(config_.Get("moved", "region"), "il-central-1");
}

TEST_F(CredentialsTest, EnvironmentComesFirst) {
  Write(".aws/credentials", "[default]\naws_access_key_id = FILEKEY\naws_secret_access_key = x\n");
  env_.Set("AWS_ACCESS_KEY_ID", "ENVKEY");
  env_.Set("AWS_SECRET_ACCESS_KEY", kSecret);
  env_.Set("AWS_SESSION_TOKEN", "SESSIONTOKEN");
  Result<Credentials> c = Resolve();
  ASSERT_TRUE(c.ok()) << c.error().ToString();
  EXPECT_EQ(c->access_key_id, "ENVKEY");
  EXPECT_EQ(c->secret_access_key, kSecret);
  EXPECT_EQ(c->session_token, "SESSIONTOKEN");
  EXPECT_EQ(c->provider, "environment");
  // --profile names a profile explicitly: the environment's keys no longer count (botocore).
  Result<Credentials> flagged = Resolve("default", /*from_flag=*/true);
  ASSERT_TRUE(flagged.ok());
  EXPECT_EQ(flagged->access_key_id, "FILEKEY");
}

TEST_F(CredentialsTest, PartialEnvironmentIsAnError) {
  env_.Set("AWS_ACCESS_KEY_ID", "ENVKEY");
  Result<Credentials> c = Resolve();
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code(), ErrorCode::kConfiguration);
  EXPECT_EQ(c.error().message(),
            "environment: only one of AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY is set in the "
            "environment");
}

TEST_F(CredentialsTest, CredentialsFileThenProcessThenConfigFile) {
  std::string script =
      Write("bin/creds.sh",
            "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"PROCKEY\", "
            "\"SecretAccessKey\": \"TOPSECRET\", \"SessionToken\": \"SESSIONTOKEN\","
            " \"Expiration\": \"2026-01-15T10:00:00Z\"}'\n");
  fs::permissions(script, fs::perms::owner_all);
  Write(".aws/config", fmt::format("[profile p]\naws_access_key_id = CONFIGKEY\n"
                                   "aws_secret_access_key = x\ncredential_process = '{}' --flag\n",
                                   script));
  Result<Credentials> c = Resolve("p");
  ASSERT_TRUE(c.ok()) << c.error().ToString();
  EXPECT_EQ(c->access_key_id, "PROCKEY");
  EXPECT_EQ(c->provider, "credential-process");
  EXPECT_EQ(c->session_token, "SESSIONTOKEN");
  EXPECT_EQ(c->expiration, kT0 + 1h);

  Write(".aws/credentials", "[p]\naws_access_key_id = CREDKEY\naws_secret_access_key = y\n");
  c = Resolve("p");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->access_key_id, "CREDKEY");
  EXPECT_EQ(c->provider, "shared-credentials-file");

  Write(".aws/credentials", "");
  Write(".aws/config", "[profile p]\naws_access_key_id = CONFIGKEY\naws_secret_access_key = x\n");
  c = Resolve("p");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->access_key_id, "CONFIGKEY");
  EXPECT_EQ(c->provider, "config-file");
}

TEST_F(CredentialsTest, CredentialProcessFailuresHideTheOutput) {
  std::string leaky = Write("bin/leaky.sh",
                            "#!/bin/sh\necho '{\"AccessKeyId\": \"K\", \"SecretAccessKey\": "
                            "\"TOPSECRET\"'\necho 'cannot reach vault' >&2\nexit 3\n");
  std::string bad_version = Write("bin/v2.sh",
                                  "#!/bin/sh\necho '{\"Version\": 2, \"AccessKeyId\": \"K\", "
                                  "\"SecretAccessKey\": \"TOPSECRET\"}'\n");
  std::string not_json = Write("bin/nj.sh", "#!/bin/sh\necho 'TOPSECRET'\n");
  std::string slow = Write("bin/slow.sh", "#!/bin/sh\nsleep 5\n");
  for (const std::string& s : {leaky, bad_version, not_json, slow}) {
    fs::permissions(s, fs::perms::owner_all);
  }

  Write(".aws/config", fmt::format("[profile p]\ncredential_process = {}\n", leaky));
  Result<Credentials> c = Resolve("p");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().message(),
            "credential-process: credential_process of profile 'p' exited with status 3: "
            "cannot reach vault");

  Write(".aws/config", fmt::format("[profile p]\ncredential_process = {}\n", bad_version));
  c = Resolve("p");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message().find("\"Version\": 1"), std::string::npos);
  ExpectNoSecrets(c.error().ToString());

  Write(".aws/config", fmt::format("[profile p]\ncredential_process = {}\n", not_json));
  c = Resolve("p");
  ASSERT_FALSE(c.ok());
  ExpectNoSecrets(c.error().ToString());

  Write(".aws/config", fmt::format("[profile p]\ncredential_process = {}\n", slow));
  ProviderContext context = Context("p");
  context.process_timeout = 200ms;
  auto started = std::chrono::steady_clock::now();
  Result<std::optional<Credentials>> timed_out = ProcessProvider(context)->Load();
  ASSERT_FALSE(timed_out.ok());
  EXPECT_NE(timed_out.error().message().find("did not finish within 200 ms"), std::string::npos);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);

  Write(".aws/config", "[profile p]\ncredential_process = /nonexistent/helper\n");
  c = Resolve("p");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message().find("cannot run /nonexistent/helper"), std::string::npos);
}

TEST_F(CredentialsTest, AssumeRoleChainThroughSourceProfiles) {
  Write(".aws/credentials",
        fmt::format("[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = {}\n", kSecret));
  Write(".aws/config",
        "[profile hop]\nrole_arn = arn:aws:iam::111111111111:role/hop\nsource_profile = base\n"
        "[profile target]\nrole_arn = arn:aws:iam::222222222222:role/ecsguard-audit\n"
        "source_profile = hop\nexternal_id = ext-123\nrole_session_name = audit\n"
        "duration_seconds = 900\nregion = eu-central-1\n");
  transport_.Respond("POST", "sts.eu-west-1",
                     MakeResponse(200, StsAnswer("AssumeRole", "ASIAHOP", "TOPSECRET",
                                                 "SESSIONTOKEN", "2026-01-15T10:00:00Z")));
  transport_.Respond("POST", "sts.eu-central-1",
                     MakeResponse(200, StsAnswer("AssumeRole", "ASIATARGET", "S2", "T2",
                                                 "2026-01-15T09:30:00.000Z")));
  Result<Credentials> c = Resolve("target");
  ASSERT_TRUE(c.ok()) << c.error().ToString();
  EXPECT_EQ(c->access_key_id, "ASIATARGET");
  EXPECT_EQ(c->session_token, "T2");
  EXPECT_EQ(c->expiration, kT0 + 30min);
  EXPECT_EQ(c->provider, "assume-role");

  std::vector<HttpRequest> sent = transport_.requests();
  ASSERT_EQ(sent.size(), 2u);
  // hop is assumed with base's keys, in the session's region (hop names none).
  EXPECT_NE(FindHeader(sent[0].headers, "Authorization")
                ->find("Credential=AKIDBASE/20260115/"
                       "eu-west-1/sts/aws4_request"),
            std::string::npos);
  EXPECT_NE(sent[0].body.find("Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%"
                              "3A111111111111%3Arole%2Fhop&RoleSessionName=ecsguard-"),
            std::string::npos)
      << sent[0].body;
  // target is assumed with hop's temporary credentials, in target's region.
  EXPECT_NE(FindHeader(sent[1].headers, "Authorization")
                ->find("Credential=ASIAHOP/20260115/"
                       "eu-central-1/sts/aws4_request"),
            std::string::npos);
  EXPECT_EQ(FindHeader(sent[1].headers, "X-Amz-Security-Token").value_or(""), "SESSIONTOKEN");
  EXPECT_EQ(sent[1].body,
            "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A222222222222%3Arole"
            "%2Fecsguard-audit&RoleSessionName=audit&ExternalId=ext-123&DurationSeconds=900");
}

TEST_F(CredentialsTest, AssumeRoleConfigurationErrors) {
  Write(".aws/config",
        "[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = b\n"
        "[profile b]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = a\n"
        "[profile both]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = a\n"
        "credential_source = Environment\n"
        "[profile none]\nrole_arn = arn:aws:iam::1:role/x\n"
        "[profile missing]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = ghost\n"
        "[profile mfa]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = a\n"
        "mfa_serial = arn:aws:iam::1:mfa/me\n"
        "[profile weird]\nrole_arn = arn:aws:iam::1:role/x\ncredential_source = Moon\n");
  EXPECT_NE(Resolve("a").error().message().find("source_profile loop through profile 'a'"),
            std::string::npos);
  EXPECT_NE(Resolve("both").error().message().find("both source_profile and credential_source"),
            std::string::npos);
  EXPECT_NE(Resolve("none").error().message().find("neither source_profile nor"),
            std::string::npos);
  EXPECT_NE(Resolve("missing").error().message().find("'ghost' does not exist"), std::string::npos);
  EXPECT_EQ(Resolve("mfa").error().code(), ErrorCode::kUnsupported);
  EXPECT_NE(Resolve("weird").error().message().find("unknown credential_source 'Moon'"),
            std::string::npos);
  EXPECT_TRUE(transport_.requests().empty());
}

TEST_F(CredentialsTest, AssumeRoleFromCredentialSourceAndFromItsOwnKeys) {
  env_.Set("AWS_ACCESS_KEY_ID", "AKIDENV");
  env_.Set("AWS_SECRET_ACCESS_KEY", "x");
  Write(".aws/config",
        "[profile ci]\nrole_arn = arn:aws:iam::1:role/ci\ncredential_source = Environment\n"
        "[profile self]\nrole_arn = arn:aws:iam::1:role/self\nsource_profile = self\n"
        "aws_access_key_id = AKIDSELF\naws_secret_access_key = y\n");
  transport_.Respond(
      "POST", "sts.",
      MakeResponse(200, StsAnswer("AssumeRole", "ASIA1", "S", "T", "2026-01-15T10:00:00Z")));
  transport_.Respond(
      "POST", "sts.",
      MakeResponse(200, StsAnswer("AssumeRole", "ASIA2", "S", "T", "2026-01-15T10:00:00Z")));
  // --profile ci: the environment still serves as the role's credential_source.
  Result<Credentials> ci = Resolve("ci", /*from_flag=*/true);
  ASSERT_TRUE(ci.ok()) << ci.error().ToString();
  EXPECT_EQ(ci->access_key_id, "ASIA1");
  Result<Credentials> self = Resolve("self", /*from_flag=*/true);
  ASSERT_TRUE(self.ok()) << self.error().ToString();
  EXPECT_EQ(self->access_key_id, "ASIA2");
  std::vector<HttpRequest> sent = transport_.requests();
  EXPECT_NE(FindHeader(sent[0].headers, "Authorization")->find("AKIDENV/"), std::string::npos);
  EXPECT_NE(FindHeader(sent[1].headers, "Authorization")->find("AKIDSELF/"), std::string::npos);
}

TEST_F(CredentialsTest, AssumeRoleDeniedStopsTheChain) {
  Write(".aws/credentials",
        "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = TOPSECRET\n");
  Write(".aws/config", "[profile r]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = base\n");
  transport_.Respond("POST", "sts.",
                     MakeResponse(403,
                                  "<ErrorResponse><Error><Code>AccessDenied</Code>"
                                  "<Message>not allowed</Message></Error>"
                                  "</ErrorResponse>"));
  Result<Credentials> c = Resolve("r");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().message(),
            "assume-role: assume role arn:aws:iam::1:role/r for profile 'r': sts.AssumeRole in "
            "eu-west-1: AccessDenied (HTTP 403): not allowed");
  ExpectNoSecrets(c.error().ToString());
}

TEST_F(CredentialsTest, WebIdentityFromTheEnvironment) {
  std::string token_file = Write("token", "eyJ.web.token\n");
  env_.Set("AWS_WEB_IDENTITY_TOKEN_FILE", token_file);
  env_.Set("AWS_ROLE_ARN", "arn:aws:iam::1:role/irsa");
  env_.Set("AWS_ROLE_SESSION_NAME", "pod");
  transport_.Respond(
      "POST", "sts.eu-west-1",
      MakeResponse(200, StsAnswer("AssumeRoleWithWebIdentity", "ASIAWEB", "TOPSECRET",
                                  "SESSIONTOKEN", "2026-01-15T10:00:00Z")));
  Result<Credentials> c = Resolve();
  ASSERT_TRUE(c.ok()) << c.error().ToString();
  EXPECT_EQ(c->access_key_id, "ASIAWEB");
  EXPECT_EQ(c->provider, "assume-role-with-web-identity");
  HttpRequest sent = transport_.requests().at(0);
  EXPECT_FALSE(FindHeader(sent.headers, "Authorization"));  // the token is the authentication
  EXPECT_EQ(sent.body,
            "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3A"
            "role%2Firsa&RoleSessionName=pod&WebIdentityToken=eyJ.web.token");
}

TEST_F(CredentialsTest, WebIdentityFromAProfile) {
  std::string token_file = Write("token", "tok");
  Write(".aws/config", fmt::format("[profile w]\nrole_arn = arn:aws:iam::1:role/w\n"
                                   "web_identity_token_file = {}\n[profile broken]\n"
                                   "web_identity_token_file = {}\n",
                                   token_file, token_file));
  transport_.Respond("POST", "sts.",
                     MakeResponse(200, StsAnswer("AssumeRoleWithWebIdentity", "ASIAW", "S", "T",
                                                 "2026-01-15T10:00:00Z")));
  Result<Credentials> c = Resolve("w");
  ASSERT_TRUE(c.ok()) << c.error().ToString();
  EXPECT_EQ(c->access_key_id, "ASIAW");
  EXPECT_NE(Resolve("broken").error().message().find("no role ARN"), std::string::npos);
}

TEST_F(CredentialsTest, SsoTokenCache) {
  Write(".aws/config",
        "[profile sso]\nsso_session = corp\nsso_account_id = 123456789012\n"
        "sso_role_name = ReadOnly\n[sso-session corp]\nsso_start_url = "
        "https://corp.awsapps.com/start\nsso_region = eu-west-1\n");
  // The cache file is named by the SHA-1 of the session name: sha1("corp").
  std::string cache = ".aws/sso/cache/ee0bfd2552fbd840c02cc48b6e823320543c450f.json";
  Write(cache, R"({"accessToken": "BEARERTOKEN", "expiresAt": "2026-01-15T17:00:00Z",
                   "region": "eu-west-1", "startUrl": "https://corp.awsapps.com/start"})");
  transport_.Respond("GET", "portal.sso.eu-west-1.amazonaws.com/federation/credentials",
                     MakeResponse(200, R"({"roleCredentials": {"accessKeyId": "ASIASSO",
                       "secretAccessKey": "TOPSECRET", "sessionToken": "SESSIONTOKEN",
                       "expiration": 1768471200000}})"));
  Result<Credentials> c = Resolve("sso");
  ASSERT_TRUE(c.ok()) << c.error().ToString();
  EXPECT_EQ(c->access_key_id, "ASIASSO");
  EXPECT_EQ(c->provider, "sso");
  EXPECT_EQ(c->expiration, kT0 + 1h);
  HttpRequest sent = transport_.requests().at(0);
  EXPECT_EQ(sent.url,
            "https://portal.sso.eu-west-1.amazonaws.com/federation/credentials?"
            "account_id=123456789012&role_name=ReadOnly");
  EXPECT_EQ(FindHeader(sent.headers, "x-amz-sso_bearer_token").value_or(""), "BEARERTOKEN");

  // An expired login says what to do, and so does a rejected token, without the token.
  clock_.Set(kT0 + 9h);
  Result<Credentials> expired = Resolve("sso");
  ASSERT_FALSE(expired.ok());
  EXPECT_NE(expired.error().message().find("run 'aws sso login'"), std::string::npos);
  clock_.Set(kT0);
  transport_.Respond("GET", "portal.sso",
                     MakeResponse(401, R"({"message":"bad BEARERTOKEN"})",
                                  {{"x-amzn-ErrorType", "UnauthorizedException"}}));
  Result<Credentials> rejected = Resolve("sso");
  ASSERT_FALSE(rejected.ok());
  EXPECT_NE(rejected.error().message().find("UnauthorizedException"), std::string::npos);
  ExpectNoSecrets(rejected.error().ToString());
}

TEST_F(CredentialsTest, SsoWithoutALogin) {
  Write(".aws/config",
        "[profile legacy]\nsso_start_url = https://x.awsapps.com/start\n"
        "sso_region = us-east-1\nsso_account_id = 1\nsso_role_name = R\n"
        "[profile half]\nsso_start_url = https://x.awsapps.com/start\n");
  EXPECT_NE(Resolve("legacy").error().message().find("no cached token"), std::string::npos);
  EXPECT_NE(Resolve("half").error().message().find("are all needed"), std::string::npos);
}

TEST_F(CredentialsTest, EcsContainerEndpoint) {
  env_.Set("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/abc");
  env_.Set("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", Write("ecs-token", "Basic xyz\n"));
  transport_.Respond("GET", "http://169.254.170.2/v2/credentials/abc",
                     MakeResponse(200, R"({"AccessKeyId": "ASIAECS", "SecretAccessKey":
                       "TOPSECRET", "Token": "SESSIONTOKEN", "Expiration":
                       "2026-01-15T15:00:00Z", "RoleArn": "arn:aws:iam::1:role/task"})"));
  Result<Credentials> c = Resolve();
  ASSERT_TRUE(c.ok()) << c.error().ToString();
  EXPECT_EQ(c->access_key_id, "ASIAECS");
  EXPECT_EQ(c->provider, "container");
  EXPECT_EQ(c->expiration, kT0 + 6h);
  EXPECT_EQ(FindHeader(transport_.requests().at(0).headers, "Authorization").value_or(""),
            "Basic xyz");
}

TEST_F(CredentialsTest, ContainerFullUriMustBeLocal) {
  env_.Set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://evil.example.com/creds");
  Result<Credentials> c = Resolve();
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message().find("neither loopback nor the ECS agent"), std::string::npos);
  EXPECT_TRUE(transport_.requests().empty());

  env_.Set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9911/creds");
  transport_.Respond("GET", "127.0.0.1:9911", MakeResponse(500, ""));
  transport_.Respond("GET", "127.0.0.1:9911", MakeResponse(200, R"({"AccessKeyId": "K",
                       "SecretAccessKey": "S"})"));
  c = Resolve();
  ASSERT_TRUE(c.ok()) << c.error().ToString();
  EXPECT_EQ(transport_.requests().size(), 2u);  // the 500 was retried
  EXPECT_FALSE(c->expiration);
}

TEST_F(CredentialsTest, InstanceMetadataV2) {
  transport_.Respond("PUT", "http://169.254.169.254/latest/api/token",
                     MakeResponse(200, "IMDSTOKEN"));
  transport_.Respond("GET", "/latest/meta-data/iam/security-credentials/ecs-host",
                     MakeResponse(200, R"({"Code": "Success", "Type": "AWS-HMAC",
                       "AccessKeyId": "ASIAIMDS", "SecretAccessKey": "TOPSECRET",
                       "Token": "SESSIONTOKEN", "Expiration": "2026-01-15T15:00:00Z"})"));
  transport_.Respond("GET", "/latest/meta-data/iam/security-credentials/",
                     MakeResponse(200, "ecs-host\n"));
  Result<Credentials> c = Resolve();
  ASSERT_TRUE(c.ok()) << c.error().ToString();
  EXPECT_EQ(c->access_key_id, "ASIAIMDS");
  EXPECT_EQ(c->provider, "imds");
  std::vector<HttpRequest> sent = transport_.requests();
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(sent[0].method, "PUT");
  EXPECT_EQ(FindHeader(sent[0].headers, "X-aws-ec2-metadata-token-ttl-seconds").value_or(""),
            "21600");
  EXPECT_EQ(sent[0].timeout, 1000ms);
  EXPECT_EQ(sent[1].url, "http://169.254.169.254/latest/meta-data/iam/security-credentials/");
  for (int i : {1, 2}) {
    EXPECT_EQ(FindHeader(sent[i].headers, "X-aws-ec2-metadata-token").value_or(""), "IMDSTOKEN");
  }
}

TEST_F(CredentialsTest, InstanceMetadataFallsBackToV1OnlyWhenAllowed) {
  env_.Set("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://[fd00:ec2::254]/");
  transport_.Respond("PUT", "/latest/api/token", MakeResponse(405, ""));
  transport_.Respond("GET", "/security-credentials/", MakeResponse(200, "role"));
  transport_.Respond("GET", "/security-credentials/role",
                     MakeResponse(200, R"({"AccessKeyId": "ASIAV1", "SecretAccessKey": "S"})"));
  ASSERT_TRUE(Resolve().ok());
  std::vector<HttpRequest> sent = transport_.requests();
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(sent[1].url, "http://[fd00:ec2::254]/latest/meta-data/iam/security-credentials/");
  EXPECT_FALSE(FindHeader(sent[1].headers, "X-aws-ec2-metadata-token"));

  env_.Set("AWS_EC2_METADATA_V1_DISABLED", "true");
  transport_.Respond("PUT", "/latest/api/token", MakeResponse(405, ""));
  Result<Credentials> none = Resolve();
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(transport_.requests().size(), 4u);
}

TEST_F(CredentialsTest, NothingConfiguredAnywhere) {
  transport_.Fail("PUT", "169.254.169.254", Error(ErrorCode::kIo, "timed out"));
  Result<Credentials> c = Resolve();
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code(), ErrorCode::kConfiguration);
  EXPECT_EQ(c.error().message(),
            "no AWS credentials found (tried environment, assume-role, "
            "assume-role-with-web-identity, sso, shared-credentials-file, credential-process, "
            "config-file, container, imds)");
  env_.Set("AWS_EC2_METADATA_DISABLED", "true");
  ASSERT_FALSE(Resolve().ok());
  EXPECT_EQ(transport_.requests().size(), 1u);  // IMDS was not asked the second time
}

TEST_F(CredentialsTest, ChainRefreshesFromTheProviderThatAnswered) {
  auto imds_answer = [&](std::string key, std::string expiration) {
    transport_.Respond("PUT", "/latest/api/token", MakeResponse(200, "T"));
    transport_.Respond("GET", "/security-credentials/r",
                       MakeResponse(200, fmt::format(R"({{"AccessKeyId": "{}", "SecretAccessKey":
                         "S", "Token": "X", "Expiration": "{}"}})",
                                                     key, expiration)));
    transport_.Respond("GET", "/security-credentials/", MakeResponse(200, "r"));
  };
  imds_answer("ASIA1", "2026-01-15T10:00:00Z");
  ProviderContext context = Context();
  ChainCredentialSource chain(DefaultProviders(context), clock_);
  EXPECT_EQ(chain.Get()->access_key_id, "ASIA1");
  clock_.Set(kT0 + 50min);  // ten minutes left: still fine
  EXPECT_EQ(chain.Get()->access_key_id, "ASIA1");
  EXPECT_EQ(transport_.requests().size(), 3u);

  // Meanwhile someone exported keys: the chain stays with the provider that answered.
  env_.Set("AWS_ACCESS_KEY_ID", "ENVKEY");
  env_.Set("AWS_SECRET_ACCESS_KEY", "x");
  imds_answer("ASIA2", "2026-01-15T11:00:00Z");
  clock_.Set(kT0 + 56min);  // four minutes left: inside the five-minute window
  EXPECT_EQ(chain.Get()->access_key_id, "ASIA2");
  EXPECT_EQ(transport_.requests().size(), 6u);

  // A refresh that fails while the old credentials still hold keeps them; once they expire the
  // failure surfaces.
  transport_.Fail("PUT", "/latest/api/token", Error(ErrorCode::kIo, "timed out"));
  clock_.Set(kT0 + 116min);
  EXPECT_EQ(chain.Get()->access_key_id, "ASIA2");
  transport_.Respond("PUT", "/latest/api/token", MakeResponse(200, "T"));
  transport_.Respond("GET", "/security-credentials/", MakeResponse(404, ""));
  clock_.Set(kT0 + 2h + 1s);
  Result<Credentials> gone = chain.Get();
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().message(), "imds no longer provides credentials");
}

TEST_F(CredentialsTest, RefreshingSourceHonoursTheWindowAndInvalidate) {
  int fetches = 0;
  RefreshingCredentialSource source(
      [&]() -> Result<Credentials> {
        ++fetches;
        return Credentials{"K" + std::to_string(fetches), "S", "", kT0 + 1h, "test"};
      },
      clock_, 10min);
  EXPECT_EQ(source.Get()->access_key_id, "K1");
  clock_.Set(kT0 + 49min);
  EXPECT_EQ(source.Get()->access_key_id, "K1");
  clock_.Set(kT0 + 50min);
  EXPECT_EQ(source.Get()->access_key_id, "K2");
  source.Invalidate();
  EXPECT_EQ(source.Get()->access_key_id, "K3");
  EXPECT_EQ(fetches, 3);

  RefreshingCredentialSource forever(
      [&] {
        return Result<Credentials>(Credentials{"L", "S"});
      },
      clock_);
  ASSERT_TRUE(forever.Get().ok());
  clock_.Set(kT0 + 24h * 365);
  ASSERT_TRUE(forever.Get().ok());
}

TEST_F(CredentialsTest, AssumeRoleCredentialsForAnotherAccount) {
  StaticCredentialSource base(Credentials{"AKIDBASE", kSecret});
  auto sts =
      std::make_unique<Client>(kSts, ResolveEndpoint(kSts, "eu-west-1"), &base, Context().client);
  std::unique_ptr<CredentialSource> member = AssumeRoleCredentials(
      std::move(sts), AssumeRoleParams{"arn:aws:iam::333333333333:role/audit", "scan", "ext"},
      clock_);
  transport_.Respond(
      "POST", "sts.",
      MakeResponse(200, StsAnswer("AssumeRole", "ASIAM1", "S", "T", "2026-01-15T10:00:00Z")));
  transport_.Respond(
      "POST", "sts.",
      MakeResponse(200, StsAnswer("AssumeRole", "ASIAM2", "S", "T", "2026-01-15T11:00:00Z")));
  EXPECT_EQ(member->Get()->access_key_id, "ASIAM1");
  EXPECT_EQ(member->Get()->access_key_id, "ASIAM1");
  clock_.Set(kT0 + 57min);
  EXPECT_EQ(member->Get()->access_key_id, "ASIAM2");
  EXPECT_EQ(transport_.requests().size(), 2u);

  transport_.Respond("POST", "sts.",
                     MakeResponse(403,
                                  "<ErrorResponse><Error><Code>AccessDenied"
                                  "</Code></Error></ErrorResponse>"));
  member->Invalidate();
  Result<Credentials> denied = member->Get();
  ASSERT_FALSE(denied.ok());
  EXPECT_TRUE(denied.error().message().starts_with(
      "assume role arn:aws:iam::333333333333:role/audit: sts.AssumeRole in eu-west-1: "
      "AccessDenied"));
}

TEST_F(CredentialsTest, FormattingNeverShowsSecrets) {
  Credentials c{"AKIAIOSFODNN7EXAMPLE", kSecret, "SESSIONTOKEN", kT0 + 1h, "environment"};
  EXPECT_EQ(Describe(c), "AKIA…MPLE from environment, session token, expires 2026-01-15T10:00:00Z");
  EXPECT_EQ(fmt::format("{}", c), Describe(c));
  ExpectNoSecrets(fmt::format("{}", c));
  EXPECT_EQ(RedactSecrets(fmt::format("a {} b SESSIONTOKEN {}", kSecret, kSecret), c),
            "a <redacted> b <redacted> <redacted>");
  EXPECT_EQ(RedactSecrets("nothing here", Credentials{}), "nothing here");
}

TEST_F(CredentialsTest, SessionWiresItAllTogether) {
  Write(".aws/config",
        "[profile dev]\nregion = ap-northeast-1\n"
        "aws_access_key_id = AKIDDEV\naws_secret_access_key = TOPSECRET\n");
  env_.Set("AWS_ENDPOINT_URL", "http://localhost:4566");
  SessionDeps deps{
      &env_, &transport_, &clock_, &runner_, [](std::chrono::milliseconds) {}, [] { return 0.0; }};
  Result<std::unique_ptr<Session>> session = Session::Create({.profile = "dev"}, deps);
  ASSERT_TRUE(session.ok()) << session.error().ToString();
  EXPECT_EQ((*session)->region(), "ap-northeast-1");
  Result<std::unique_ptr<Client>> ecs = (*session)->NewClient(kEcs);
  ASSERT_TRUE(ecs.ok());
  EXPECT_EQ((*ecs)->endpoint().url, "http://localhost:4566");
  transport_.Respond("POST", "localhost:4566", MakeResponse(200, "{}"));
  ASSERT_TRUE((*ecs)->CallJson("ListClusters").ok());
  EXPECT_NE(FindHeader(transport_.requests()[0].headers, "Authorization")
                ->find("AKIDDEV/20260115/ap-northeast-1/ecs/aws4_request"),
            std::string::npos);
  EXPECT_EQ(
      ((*session)->stats().Snapshot()[{std::string("ecs"), std::string("ListClusters")}]).calls,
      1u);

  Result<std::unique_ptr<Session>> missing = Session::Create({.profile = "nope"}, deps);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), ErrorCode::kConfiguration);

  Result<std::unique_ptr<Session>> regionless = Session::Create({}, deps);
  ASSERT_TRUE(regionless.ok());
  Result<std::unique_ptr<Client>> none = (*regionless)->NewClient(kEc2);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code(), ErrorCode::kConfiguration);
  EXPECT_TRUE((*regionless)->NewClient(kOrganizations).ok());  // global

  Write(".aws/config", "[default\n");
  Result<std::unique_ptr<Session>> broken = Session::Create({}, deps);
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.error().code(), ErrorCode::kParse);
}

TEST(CommandLineTest, SplitsLikeAShell) {
  EXPECT_EQ(*SplitCommandLine("aws-vault exec prod --json"),
            (std::vector<std::string>{"aws-vault", "exec", "prod", "--json"}));
  EXPECT_EQ(*SplitCommandLine(R"('/opt/my tools/helper' "a \"b\" c" d\ e '$HOME')"),
            (std::vector<std::string>{"/opt/my tools/helper", "a \"b\" c", "d e", "$HOME"}));
  EXPECT_EQ(*SplitCommandLine("x ''"), (std::vector<std::string>{"x", ""}));
  EXPECT_FALSE(SplitCommandLine("unterminated 'quote").ok());
  EXPECT_FALSE(SplitCommandLine("   ").ok());
}

TEST(TimestampTest, Iso8601Variants) {
  EXPECT_EQ(*ParseTimestamp("2026-01-15T09:00:00Z"), kT0);
  EXPECT_EQ(*ParseTimestamp("2026-01-15T09:00:00.123456Z"), kT0 + std::chrono::milliseconds(123));
  EXPECT_EQ(*ParseTimestamp("2026-01-15T10:30:00+01:30"), kT0);
  EXPECT_EQ(*ParseTimestamp("2026-01-15T08:00:00-01:00"), kT0);
  EXPECT_EQ(*ParseTimestamp("2026-01-15T09:00:00UTC"), kT0);
  EXPECT_EQ(*ParseTimestamp(" 2026-01-15 09:00:00 "), kT0);  // RFC 3339's space, trimmed
  EXPECT_FALSE(ParseTimestamp("2026-13-15T09:00:00Z").ok());
  // Regression: timegm turned February 30th into March 2nd.
  EXPECT_EQ(ParseTimestamp("2026-02-30T09:00:00Z").error().code(), ErrorCode::kParse);
  EXPECT_FALSE(ParseTimestamp("2026-01-15T09:00:00+1").ok());
  EXPECT_FALSE(ParseTimestamp("").ok());
  EXPECT_FALSE(ParseTimestamp("9999-01-15T09:00:00Z").ok());  // beyond the clock's range
}

}  // namespace
}  // namespace ecsguard::ingest::aws
