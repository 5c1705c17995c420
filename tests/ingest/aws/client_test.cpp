// Client: signing, error mapping and the retry machinery (backoff, quota, Retry-After, adaptive
// rate limiting), with FakeTransport, a FixedClock and a sleeper that only records.

#include "ingest/aws/client.h"

#include <gtest/gtest.h>

#include "ingest/aws/sigv4.h"

namespace ecsguard::ingest::aws {
namespace {

using namespace std::chrono_literals;
using std::chrono::milliseconds;

const std::chrono::system_clock::time_point kT0 =
    std::chrono::sys_days{std::chrono::year{2026} / 1 / 15} + 9h;

const char kEcsThrottle[] = R"({"__type":"ThrottlingException","message":"Rate exceeded"})";
const char kEc2Throttle[] =
    "<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded."
    "</Message></Error></Errors><RequestID>r</RequestID></Response>";

class ClientTest : public ::testing::Test {
 protected:
  ClientTest() : clock_(kT0), credentials_(Credentials{"AKIDTEST", "SECRETKEY", "", {}, "test"}) {}

  ClientDeps Deps() {
    return ClientDeps{&transport_, &clock_,
                      [this](milliseconds d) {
                        sleeps_.push_back(d);
                        clock_.Set(clock_.Now() + d);
                      },
                      [this] { return random_; }, &stats_};
  }

  CallStats::Counts CountsFor(const std::string& service, const std::string& operation) {
    return stats_.Snapshot()[{service, operation}];
  }

  Client Make(const ServiceInfo& service, RetryOptions retry = {}) {
    retry.adaptive = adaptive_;
    return Client(service, ResolveEndpoint(service, "eu-west-1"), &credentials_, Deps(), retry);
  }

  FakeTransport transport_;
  FixedClock clock_;
  StaticCredentialSource credentials_;
  CallStats stats_;
  std::vector<milliseconds> sleeps_;
  double random_ = 0.5;
  bool adaptive_ = false;
};

TEST_F(ClientTest, SignsAndReturnsTheBody) {
  transport_.Respond("POST", "ecs.eu-west-1", MakeResponse(200, R"({"clusterArns":[]})"));
  Client ecs = Make(kEcs);
  Result<std::string> body = ecs.CallJson("ListClusters");
  ASSERT_TRUE(body.ok()) << body.error().ToString();
  EXPECT_EQ(*body, R"({"clusterArns":[]})");
  std::vector<HttpRequest> sent = transport_.requests();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(FindHeader(sent[0].headers, "X-Amz-Date").value_or(""), "20260115T090000Z");
  std::string authorization(FindHeader(sent[0].headers, "Authorization").value_or(""));
  EXPECT_TRUE(authorization.starts_with(
      "AWS4-HMAC-SHA256 Credential=AKIDTEST/20260115/eu-west-1/ecs/aws4_request, "
      "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature="))
      << authorization;
  EXPECT_TRUE(sleeps_.empty());
  auto counts = CountsFor("ecs", "ListClusters");
  EXPECT_EQ(counts.calls, 1u);
  EXPECT_EQ(counts.attempts, 1u);
  EXPECT_EQ(counts.failed, 0u);
}

TEST_F(ClientTest, RetriesThrottlingWithFullJitterBackoff) {
  transport_.Respond("", "", MakeResponse(400, kEcsThrottle));
  transport_.Respond("", "", MakeResponse(400, kEcsThrottle));
  transport_.Respond("", "", MakeResponse(200, "{}"));
  Client ecs = Make(kEcs);
  ASSERT_TRUE(ecs.CallJson("DescribeTasks").ok());
  EXPECT_EQ(transport_.requests().size(), 3u);
  // random 0.5 * 1 s, then 0.5 * 2 s.
  EXPECT_EQ(sleeps_, (std::vector<milliseconds>{500ms, 1000ms}));
  auto counts = CountsFor("ecs", "DescribeTasks");
  EXPECT_EQ(counts.attempts, 3u);
  EXPECT_EQ(counts.throttled, 2u);
  // Two retries took 5 each; the success after a retry gives back what that retry took.
  EXPECT_EQ(ecs.retry_quota_available(), 495);
}

TEST_F(ClientTest, GivesUpAfterMaxAttempts) {
  for (int i = 0; i < 12; ++i) transport_.Respond("", "", MakeResponse(503, kEc2Throttle));
  Client ec2 = Make(kEc2);
  Result<XmlElement> r = ec2.CallQuery("DescribeInstances");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(KindOf(r.error()), AwsErrorKind::kThrottling);
  EXPECT_EQ(AwsDetailOf(r.error())->aws_code, "RequestLimitExceeded");
  EXPECT_EQ(transport_.requests().size(), 10u);  // max_throttle_attempts
  EXPECT_EQ(sleeps_.size(), 9u);
  EXPECT_EQ(r.error().message(),
            "ec2.DescribeInstances in eu-west-1 (after 10 attempts): RequestLimitExceeded "
            "(HTTP 503): Request limit exceeded. [request id r]");
  EXPECT_EQ(CountsFor("ec2", "DescribeInstances").failed, 1u);

  for (int i = 0; i < 5; ++i) transport_.Respond("", "", MakeResponse(500, "<Error/>"));
  Result<XmlElement> down = ec2.CallQuery("DescribeInstances");
  ASSERT_FALSE(down.ok());
  EXPECT_EQ(KindOf(down.error()), AwsErrorKind::kServerError);
  EXPECT_EQ(transport_.requests().size(), 13u);  // max_attempts
}

// The flaky fault test (one request in four throttled, across concurrent calls): a call whose
// first three attempts are throttled was given up, so the interleaving decided whether a cell
// was complete. Throttles have their own budget of attempts.
TEST_F(ClientTest, AThrottledCallIsRetriedPastMaxAttempts) {
  for (int i = 0; i < 3; ++i) transport_.Respond("", "", MakeResponse(400, kEcsThrottle));
  transport_.Respond("", "", MakeResponse(200, "{}"));
  Client ecs = Make(kEcs);
  ASSERT_TRUE(ecs.CallJson("DescribeTaskDefinition").ok());
  EXPECT_EQ(transport_.requests().size(), 4u);
  EXPECT_EQ(CountsFor("ecs", "DescribeTaskDefinition").throttled, 3u);
}

TEST_F(ClientTest, BackoffIsCappedAndJittered) {
  RetryOptions retry;
  retry.max_attempts = 8;
  for (int i = 0; i < 8; ++i) transport_.Respond("", "", MakeResponse(500, "{}"));
  random_ = 0.75;
  Client ecs = Make(kEcs, retry);
  EXPECT_EQ(KindOf(ecs.CallJson("ListClusters").error()), AwsErrorKind::kServerError);
  EXPECT_EQ(transport_.requests().size(), 8u);
  // 0.75 * 1, 2, 4, 8, 16 s, then 0.75 * the 20 s cap.
  std::vector<milliseconds> expected = {750ms, 1500ms, 3000ms, 6000ms, 12000ms, 15000ms, 15000ms};
  EXPECT_EQ(sleeps_, expected);
  EXPECT_EQ(BackoffDelay(RetryOptions{}, 1, 0.0), 0ms);
  EXPECT_EQ(BackoffDelay(RetryOptions{}, 40, 1.0), 20000ms);
}

TEST_F(ClientTest, DoesNotRetryWhatCannotSucceed) {
  transport_.Respond("", "", MakeResponse(400, R"({"__type":"AccessDeniedException"})"));
  Client ecs = Make(kEcs);
  Result<std::string> r = ecs.CallJson("ListClusters");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(KindOf(r.error()), AwsErrorKind::kAccessDenied);
  EXPECT_EQ(transport_.requests().size(), 1u);
  EXPECT_TRUE(sleeps_.empty());
}

TEST_F(ClientTest, RetriesNetworkFailuresButNotTlsFailures) {
  transport_.Fail("", "", Error(ErrorCode::kIo, "connection reset by peer"));
  transport_.Respond("", "", MakeResponse(200, "{}"));
  Client ecs = Make(kEcs);
  ASSERT_TRUE(ecs.CallJson("ListClusters").ok());
  EXPECT_EQ(transport_.requests().size(), 2u);
  EXPECT_EQ(ecs.retry_quota_available(), 500);  // took 10, gave 10 back

  transport_.Fail("", "", Error(ErrorCode::kConfiguration, "certificate verify failed"));
  Result<std::string> tls = ecs.CallJson("ListClusters");
  ASSERT_FALSE(tls.ok());
  EXPECT_EQ(KindOf(tls.error()), AwsErrorKind::kEndpoint);
  EXPECT_EQ(transport_.requests().size(), 3u);
}

TEST_F(ClientTest, RetryQuotaStopsRetryStorms) {
  RetryOptions retry;
  retry.quota_capacity = 12;
  retry.max_attempts = 10;
  for (int i = 0; i < 10; ++i) transport_.Respond("", "", MakeResponse(500, "{}"));
  Client ecs = Make(kEcs, retry);
  Result<std::string> r = ecs.CallJson("ListClusters");
  ASSERT_FALSE(r.ok());
  // 12 tokens pay for two retries of 5; the third retry is refused.
  EXPECT_EQ(transport_.requests().size(), 3u);
  EXPECT_NE(r.error().message().find("retry quota exhausted"), std::string::npos);
  EXPECT_EQ(ecs.retry_quota_available(), 2);
}

TEST_F(ClientTest, HonoursRetryAfter) {
  transport_.Respond("", "", MakeResponse(429, "{}", {{"Retry-After", "7"}}));
  transport_.Respond("", "", MakeResponse(200, "{}"));
  Client ecs = Make(kEcs);
  ASSERT_TRUE(ecs.CallJson("ListClusters").ok());
  EXPECT_EQ(sleeps_, (std::vector<milliseconds>{7000ms}));

  transport_.Respond("", "", MakeResponse(503, "{}", {{"Retry-After", "3600"}}));
  Result<std::string> r = ecs.CallJson("ListClusters");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(transport_.requests().size(), 3u);
  EXPECT_NE(r.error().message().find("Retry-After"), std::string::npos);
}

// --timeout: a retry that would end after the deadline is not waited for, a request is sent
// with no more than the time left, and nothing is sent once it has passed.
TEST_F(ClientTest, TheScanDeadlineStopsRetriesAndBoundsEachRequest) {
  transport_.Respond("", "", MakeResponse(400, kEcsThrottle));
  ClientDeps deps = Deps();
  deps.deadline = kT0 + 300ms;  // the first backoff (0.5 * 1000 ms) would end after it
  Client ecs(kEcs, ResolveEndpoint(kEcs, "eu-west-1"), &credentials_, deps, RetryOptions{});
  Result<std::string> r = ecs.CallJson("ListClusters");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(KindOf(r.error()), AwsErrorKind::kScanTimeout);
  EXPECT_EQ(r.error().code(), ErrorCode::kIo);
  EXPECT_NE(r.error().message().find("scan timeout"), std::string::npos) << r.error().message();
  EXPECT_NE(r.error().message().find("Rate exceeded"), std::string::npos) << r.error().message();
  ASSERT_EQ(transport_.requests().size(), 1u);
  EXPECT_EQ(transport_.requests()[0].timeout, 300ms);
  EXPECT_TRUE(sleeps_.empty());

  clock_.Set(kT0 + 1s);
  Result<std::string> late = ecs.CallJson("ListClusters");
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(KindOf(late.error()), AwsErrorKind::kScanTimeout);
  EXPECT_EQ(transport_.requests().size(), 1u);  // nothing more was sent
}

TEST(RetryAfterTest, SecondsAndHttpDates) {
  auto now = std::chrono::sys_days{std::chrono::year{2015} / 10 / 21} + 7h + 27min;
  EXPECT_EQ(ParseRetryAfter("120", now), milliseconds(120000));
  EXPECT_EQ(ParseRetryAfter(" 0 ", now), milliseconds(0));
  EXPECT_EQ(ParseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", now), milliseconds(60000));
  EXPECT_EQ(ParseRetryAfter("Wed, 21 Oct 2015 07:00:00 GMT", now), milliseconds(0));
  EXPECT_EQ(ParseRetryAfter("soon", now), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("-5", now), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("Fri, 31 Dec 9999 23:59:59 GMT", now), std::nullopt);
}

TEST_F(ClientTest, ExpiredTokenRefreshesCredentialsOnce) {
  int fetches = 0;
  RefreshingCredentialSource refreshing(
      [&]() -> Result<Credentials> {
        ++fetches;
        return Credentials{"AKID" + std::to_string(fetches), "S", "TOKEN" + std::to_string(fetches),
                           kT0 + 1h, "test"};
      },
      clock_);
  Client ecs(kEcs, ResolveEndpoint(kEcs, "eu-west-1"), &refreshing, Deps(), RetryOptions{});
  transport_.Respond("", "", MakeResponse(400, R"({"__type":"ExpiredTokenException"})"));
  transport_.Respond("", "", MakeResponse(200, "{}"));
  ASSERT_TRUE(ecs.CallJson("ListClusters").ok());
  std::vector<HttpRequest> sent = transport_.requests();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(FindHeader(sent[0].headers, "X-Amz-Security-Token").value_or(""), "TOKEN1");
  EXPECT_EQ(FindHeader(sent[1].headers, "X-Amz-Security-Token").value_or(""), "TOKEN2");
  EXPECT_TRUE(sleeps_.empty());

  transport_.Respond("", "", MakeResponse(400, R"({"__type":"ExpiredTokenException"})"));
  transport_.Respond("", "", MakeResponse(400, R"({"__type":"ExpiredTokenException"})"));
  Result<std::string> r = ecs.CallJson("ListClusters");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(KindOf(r.error()), AwsErrorKind::kExpiredToken);
  EXPECT_EQ(transport_.requests().size(), 4u);
}

TEST_F(ClientTest, CredentialFailureIsACredentialsError) {
  RefreshingCredentialSource broken(
      [] { return Result<Credentials>(Error(ErrorCode::kConfiguration, "no credentials")); },
      clock_);
  Client ecs(kEcs, ResolveEndpoint(kEcs, "eu-west-1"), &broken, Deps(), RetryOptions{});
  Result<std::string> r = ecs.CallJson("ListClusters");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(KindOf(r.error()), AwsErrorKind::kCredentials);
  EXPECT_TRUE(transport_.requests().empty());
}

TEST_F(ClientTest, ErrorsNeverCarrySecrets) {
  // Some services echo the canonical request, security token included, in SignatureDoesNotMatch.
  StaticCredentialSource leaky(Credentials{"AKIDX", "wJalrSECRET", "FQoTOKEN", {}, "test"});
  Client sts(kSts, ResolveEndpoint(kSts, "eu-west-1"), &leaky, Deps(), RetryOptions{});
  transport_.Respond("", "",
                     MakeResponse(403,
                                  "<ErrorResponse><Error><Code>SignatureDoesNotMatch</Code>"
                                  "<Message>canonical: x-amz-security-token:FQoTOKEN "
                                  "key wJalrSECRET</Message></Error></ErrorResponse>"));
  Result<XmlElement> r = sts.CallQuery("GetCallerIdentity");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(KindOf(r.error()), AwsErrorKind::kInvalidCredentials);
  EXPECT_EQ(r.error().message().find("FQoTOKEN"), std::string::npos) << r.error().message();
  EXPECT_EQ(r.error().message().find("wJalrSECRET"), std::string::npos);
  EXPECT_NE(r.error().message().find("<redacted>"), std::string::npos);
}

TEST_F(ClientTest, UnparsableSuccessIsAnInvalidResponse) {
  transport_.Respond("", "", MakeResponse(200, "<DescribeRegionsResponse>"));
  Client ec2 = Make(kEc2);
  Result<XmlElement> r = ec2.CallQuery("DescribeRegions");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(KindOf(r.error()), AwsErrorKind::kInvalidResponse);
  EXPECT_EQ(r.error().code(), ErrorCode::kParse);
}

TEST_F(ClientTest, AnonymousClientDoesNotSign) {
  transport_.Respond("", "", MakeResponse(200, "<R/>"));
  Client sts(kSts, ResolveEndpoint(kSts, ""), nullptr, Deps(), RetryOptions{});
  ASSERT_TRUE(sts.CallQuery("AssumeRoleWithWebIdentity").ok());
  EXPECT_FALSE(FindHeader(transport_.requests()[0].headers, "Authorization"));
}

TEST_F(ClientTest, AdaptiveLimiterSlowsDownAfterThrottling) {
  adaptive_ = true;
  RetryOptions retry;
  retry.max_attempts = 1;
  retry.max_throttle_attempts = 1;
  Client ecs = Make(kEcs, retry);
  transport_.Respond("", "", MakeResponse(400, kEcsThrottle));
  EXPECT_FALSE(ecs.CallJson("ListClusters").ok());
  EXPECT_TRUE(ecs.rate_limiter().enabled());
  EXPECT_DOUBLE_EQ(ecs.rate_limiter().rate(), 5.0);  // half the initial 10/s
  // The bucket starts empty: the next send waits for one token at 5/s.
  transport_.Respond("", "", MakeResponse(200, "{}"));
  ASSERT_TRUE(ecs.CallJson("ListClusters").ok());
  EXPECT_EQ(sleeps_, (std::vector<milliseconds>{200ms}));
  EXPECT_DOUBLE_EQ(ecs.rate_limiter().rate(), 5.5);
}

TEST(AdaptiveRateLimiterTest, HalvesOnThrottleAndRecoversUntilOff) {
  AdaptiveRateLimiter limiter(
      AdaptiveRateLimiter::Options{.min_rate = 0.5, .initial_rate = 8, .recovery_step = 1});
  auto t = kT0;
  EXPECT_EQ(limiter.Acquire(t), 0ms);
  EXPECT_FALSE(limiter.enabled());
  limiter.OnThrottle(t);
  EXPECT_DOUBLE_EQ(limiter.rate(), 4);
  limiter.OnThrottle(t);
  EXPECT_DOUBLE_EQ(limiter.rate(), 2);
  // 2 per second: back-to-back sends queue up half a second apart.
  EXPECT_EQ(limiter.Acquire(t), 500ms);
  EXPECT_EQ(limiter.Acquire(t), 1000ms);
  // Recovery: +1 per success until twice the last throttled rate (4), then off.
  limiter.OnSuccess(t);
  EXPECT_DOUBLE_EQ(limiter.rate(), 3);
  limiter.OnSuccess(t);
  limiter.OnSuccess(t);
  limiter.OnSuccess(t);
  limiter.OnSuccess(t);
  limiter.OnSuccess(t);
  EXPECT_FALSE(limiter.enabled());
  EXPECT_EQ(limiter.Acquire(t + 10s), 0ms);
  for (int i = 0; i < 20; ++i) limiter.OnThrottle(t);
  EXPECT_DOUBLE_EQ(limiter.rate(), 0.5);  // never below the floor
}

TEST(AdaptiveRateLimiterTest, StartsFromTheMeasuredRate) {
  AdaptiveRateLimiter limiter;
  auto t = kT0;
  // 40 sends a second for three seconds.
  for (int i = 0; i < 120; ++i) (void)limiter.Acquire(t + milliseconds(i * 25));
  limiter.OnThrottle(t + 3s);
  EXPECT_NEAR(limiter.rate(), 20, 2);
}

TEST(RetryQuotaTest, AcquireRelease) {
  RetryQuota quota(10);
  EXPECT_TRUE(quota.Acquire(5));
  EXPECT_TRUE(quota.Acquire(5));
  EXPECT_FALSE(quota.Acquire(1));
  quota.Release(100);
  EXPECT_EQ(quota.available(), 10);
}

}  // namespace
}  // namespace ecsguard::ingest::aws
