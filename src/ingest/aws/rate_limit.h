#pragma once

// Client-side request limits, so that a scan is never the reason a production deployment gets
// throttled: AWS throttles each account per region and per group of API actions with one token
// bucket that the scanner shares with the account's deployers. A RequestLimiter keeps a token
// bucket per (account, region, API category) and tells each request how long to wait before it
// may be sent; the defaults are half of AWS's documented sustained rates (RateLimits::Defaults),
// and `--max-rate` overrides them. The Client's adaptive limiter (retry.h) still slows down on
// top of this when AWS throttles anyway, because other callers spent the account's tokens.
//
//   RateLimits limits = RateLimits::Defaults();
//   RETURN_IF_ERROR(limits.Apply("ecs=5/s"));          // every ECS category
//   RETURN_IF_ERROR(limits.Apply("ecs:task-read=2/s"));  // one of them
//   RequestLimiter limiter(limits);
//   auto wait = limiter.Reserve({"123456789012", "eu-west-1", "ecs:task-read"}, clock.Now());
//
// Time comes in as a parameter and nothing here sleeps, so the same limiter runs under a
// simulated clock (bench/scale_sim.cpp). Each bucket holds one token at most: requests of one
// bucket are spaced 1/rate apart, so no window of one second ever holds more than `rate` of them.

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "base/result.h"

namespace ecsguard::ingest::aws {

// The bucket an operation draws from: "ecs:task-read", "ecs:task-definition-read", ... for
// ECS (after the ECS API's throttling categories), "ecs" for an ECS action outside them, and
// the service id ("ec2", "elbv2", "sts", "organizations") for the others.
std::string ApiCategory(std::string_view service, std::string_view operation);

// Requests per second, by category. A limit set for a service ("ecs") covers every category of
// it ("ecs:task-read") that has no limit of its own.
class RateLimits {
 public:
  // Half of AWS's documented sustained rates; see the table in rate_limit.cpp and docs/scale.md.
  static RateLimits Defaults();

  // "CATEGORY=RATE/s" or "CATEGORY=RATE/m" (RATE a positive number), as --max-rate takes it.
  // A service name sets all of its categories. Errors: kInvalidArgument naming the syntax.
  Result<void> Apply(std::string_view spec);

  // The rate for a category: its own, else its service's (the part before ':'); 0 is no limit.
  double For(std::string_view category) const;
  // "ecs:task-read=10/s, ..." for --help and the scan summary.
  std::string ToString() const;

 private:
  std::map<std::string, double, std::less<>> rates_;
};

// Token buckets per (account, region, category). Thread-safe.
class RequestLimiter {
 public:
  using TimePoint = std::chrono::system_clock::time_point;
  struct Key {
    std::string account;  // "" before the caller's account is known
    std::string region;
    std::string category;
    auto operator<=>(const Key&) const = default;
  };

  explicit RequestLimiter(RateLimits limits) : limits_(std::move(limits)) {}

  // Reserves the next send slot of `key`'s bucket at or after `now` and returns how long to
  // wait for it (zero when a token is there). Slots are handed out in call order.
  std::chrono::microseconds Reserve(const Key& key, TimePoint now);

  const RateLimits& limits() const { return limits_; }

 private:
  struct Bucket {
    double rate = 0;
    TimePoint next{};  // the earliest time the next request may be sent
  };

  RateLimits limits_;
  std::mutex mu_;
  std::map<Key, Bucket> buckets_;
};

}  // namespace ecsguard::ingest::aws
