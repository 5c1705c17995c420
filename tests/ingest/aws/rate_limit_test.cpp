// RateLimits (categories, defaults, --max-rate syntax), RequestLimiter's buckets under a clock
// that only moves when told, and a Client that waits for its bucket before every attempt.

#include "ingest/aws/rate_limit.h"

#include <gtest/gtest.h>

#include <random>

#include "ingest/aws/client.h"

namespace ecsguard::ingest::aws {
namespace {

using namespace std::chrono_literals;
using std::chrono::microseconds;
using std::chrono::milliseconds;

const std::chrono::system_clock::time_point kT0 =
    std::chrono::sys_days{std::chrono::year{2026} / 1 / 15} + 9h;

TEST(ApiCategoryTest, EcsActionsByThrottlingBucketOthersByService) {
  EXPECT_EQ(ApiCategory("ecs", "DescribeTaskDefinition"), "ecs:task-definition-read");
  EXPECT_EQ(ApiCategory("ecs", "ListTaskDefinitions"), "ecs:task-definition-read");
  EXPECT_EQ(ApiCategory("ecs", "ListTasks"), "ecs:task-read");
  EXPECT_EQ(ApiCategory("ecs", "DescribeServices"), "ecs:service-read");
  EXPECT_EQ(ApiCategory("ecs", "DescribeClusters"), "ecs:cluster-read");
  EXPECT_EQ(ApiCategory("ecs", "DescribeContainerInstances"), "ecs:container-instance-read");
  EXPECT_EQ(ApiCategory("ecs", "DescribeCapacityProviders"), "ecs");
  EXPECT_EQ(ApiCategory("ec2", "DescribeInstances"), "ec2");
  EXPECT_EQ(ApiCategory("sts", "AssumeRole"), "sts");
}

TEST(RateLimitsTest, DefaultsAreHalfOfAwsSustainedRates) {
  RateLimits d = RateLimits::Defaults();
  EXPECT_EQ(d.For("ecs:task-definition-read"), 10);  // AWS: 20/s sustained, 50 burst
  EXPECT_EQ(d.For("ecs:task-read"), 10);
  EXPECT_EQ(d.For("ecs:service-read"), 10);
  EXPECT_EQ(d.For("ecs"), 10);
  EXPECT_EQ(d.For("ec2"), 10);
  EXPECT_EQ(d.For("elbv2"), 5);
  EXPECT_EQ(d.For("organizations"), 5);
  EXPECT_EQ(d.ToString(), "ec2=10/s, ecs=10/s, elbv2=5/s, organizations=5/s, sts=100/s");
}

TEST(RateLimitsTest, MaxRateSetsAServiceOrOneCategory) {
  RateLimits r = RateLimits::Defaults();
  ASSERT_TRUE(r.Apply("ecs:task-definition-read=2/s").ok());
  EXPECT_EQ(r.For("ecs:task-definition-read"), 2);
  EXPECT_EQ(r.For("ecs:task-read"), 10);
  // A service-wide limit given later replaces its categories' own.
  ASSERT_TRUE(r.Apply("ecs=5/s").ok());
  EXPECT_EQ(r.For("ecs:task-definition-read"), 5);
  EXPECT_EQ(r.For("ecs:task-read"), 5);
  ASSERT_TRUE(r.Apply("ec2=120/m").ok());
  EXPECT_EQ(r.For("ec2"), 2);
  ASSERT_TRUE(r.Apply("elbv2=0.5/s").ok());
  EXPECT_EQ(r.For("elbv2"), 0.5);
}

TEST(RateLimitsTest, MaxRateRejectsWhatItCannotUse) {
  RateLimits r = RateLimits::Defaults();
  for (const char* bad : {"ecs", "ecs=5", "ecs=0/s", "ecs=-1/s", "ecs=x/s", "=5/s", "lambda=5/s",
                          "ecs:task-write=5/s", "ecs=5/h"}) {
    Result<void> applied = r.Apply(bad);
    ASSERT_FALSE(applied.ok()) << bad;
    EXPECT_EQ(applied.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(applied.error().message().find("use CATEGORY=RATE/s"), std::string::npos)
        << applied.error().message();
  }
  EXPECT_EQ(r.For("ecs"), 10);  // unchanged
}

TEST(RequestLimiterTest, SpacesRequestsOfOneBucketAndKeepsBucketsApart) {
  RequestLimiter limiter(RateLimits::Defaults());
  RequestLimiter::Key a{"111111111111", "eu-west-1", "ecs:task-read"};
  EXPECT_EQ(limiter.Reserve(a, kT0), 0us);
  EXPECT_EQ(limiter.Reserve(a, kT0), 100ms);
  EXPECT_EQ(limiter.Reserve(a, kT0), 200ms);
  EXPECT_EQ(limiter.Reserve(a, kT0 + 50ms), 250ms);
  // Another account, region or category has a bucket of its own.
  EXPECT_EQ(limiter.Reserve({"222222222222", "eu-west-1", "ecs:task-read"}, kT0), 0us);
  EXPECT_EQ(limiter.Reserve({"111111111111", "us-east-1", "ecs:task-read"}, kT0), 0us);
  EXPECT_EQ(limiter.Reserve({"111111111111", "eu-west-1", "ecs:cluster-read"}, kT0), 0us);
  // An idle bucket does not save up a burst: after a pause, one request at once, then spacing.
  EXPECT_EQ(limiter.Reserve(a, kT0 + 10s), 0us);
  EXPECT_EQ(limiter.Reserve(a, kT0 + 10s), 100ms);
}

// Whatever the arrivals, no one-second window holds more sends than the rate.
TEST(RequestLimiterTest, NoSecondEverHoldsMoreThanTheRate) {
  RateLimits limits = RateLimits::Defaults();
  ASSERT_TRUE(limits.Apply("ecs=7/s").ok());
  RequestLimiter limiter(limits);
  std::mt19937 rng(42);
  std::vector<std::chrono::system_clock::time_point> sends;
  auto now = kT0;
  for (int i = 0; i < 2000; ++i) {
    now += microseconds(rng() % 200000);
    sends.push_back(now + limiter.Reserve({"1", "r", "ecs:task-read"}, now));
  }
  std::sort(sends.begin(), sends.end());
  size_t most = 0;
  for (size_t i = 0, j = 0; i < sends.size(); ++i) {
    while (sends[i] - sends[j] >= 1s) ++j;
    most = std::max(most, i - j + 1);
  }
  EXPECT_EQ(most, 7u);
}

TEST(RequestLimiterTest, AClientWaitsForItsAccountsBucketBeforeEachAttempt) {
  FakeTransport transport;
  FixedClock clock(kT0);
  StaticCredentialSource credentials(Credentials{"AKIDTEST", "SECRETKEY", "", {}, "test"});
  RateLimits limits = RateLimits::Defaults();
  ASSERT_TRUE(limits.Apply("ecs:task-definition-read=4/s").ok());
  RequestLimiter limiter(limits);
  std::vector<milliseconds> sleeps;
  ClientDeps deps{&transport, &clock, [&](milliseconds d) { sleeps.push_back(d); },
                  [] { return 0.5; }};
  deps.limiter = &limiter;
  deps.account = "111111111111";
  RetryOptions retry;
  retry.adaptive = false;
  Client ecs(kEcs, ResolveEndpoint(kEcs, "eu-west-1"), &credentials, deps, retry);
  for (int i = 0; i < 3; ++i) {
    transport.Respond("POST", "ecs.eu-west-1", MakeResponse(200, "{}"));
    ASSERT_TRUE(ecs.CallJson("DescribeTaskDefinition").ok());
  }
  // The clock stands still, so the waits add up: 0, 250, 500 ms.
  EXPECT_EQ(sleeps, (std::vector<milliseconds>{250ms, 500ms}));
}

}  // namespace
}  // namespace ecsguard::ingest::aws
