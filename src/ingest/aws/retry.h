#pragma once

// Retry machinery, after botocore's "standard" and "adaptive" retry modes: exponential backoff
// with full jitter, a retry quota (a token bucket that stops retry storms when a service is
// down), and a client-side rate limiter that halves the send rate on throttling and recovers
// gradually. Time comes in as parameters; nothing here sleeps or reads a clock.

#include <chrono>
#include <mutex>
#include <optional>
#include <string_view>

namespace ecsguard::ingest::aws {

struct RetryOptions {
  int max_attempts = 3;  // the first try included
  // A throttle is the service asking to slow down, not a failure of the request: a throttled
  // attempt may be followed by more, up to this many attempts in all. Three would let the order
  // in which concurrent calls reach a throttling service decide the outcome (with one request
  // in four throttled, some call of a scan meets it three times in a row whenever three other
  // requests land between its attempts); ten makes that about one call in 250,000. The retry
  // quota still ends a persistent throttle. AWS_MAX_ATTEMPTS sets both.
  int max_throttle_attempts = 10;
  std::chrono::milliseconds base_delay{1000};
  std::chrono::milliseconds max_backoff{20000};
  // A Retry-After longer than this is not waited for: the error is returned.
  std::chrono::milliseconds max_retry_after{60000};
  int quota_capacity = 500;
  int retry_cost = 5;
  int network_retry_cost = 10;
  int success_refund = 1;  // returned to the quota by a success that needed no retry
  bool adaptive = true;    // client-side rate limiting after throttling
};

// The wait before retry number `retry` (1 for the first retry): full jitter,
// `random` * min(max_backoff, base_delay * 2^(retry-1)), `random` in [0, 1).
std::chrono::milliseconds BackoffDelay(const RetryOptions& options, int retry, double random);

// Retry-After as delta-seconds or an HTTP-date, relative to `now`; nothing if unparsable.
std::optional<std::chrono::milliseconds> ParseRetryAfter(std::string_view value,
                                                         std::chrono::system_clock::time_point now);

// Thread-safe.
class RetryQuota {
 public:
  explicit RetryQuota(int capacity) : capacity_(capacity), available_(capacity) {}
  // Takes `cost` tokens for a retry; false (and takes nothing) when there are not enough.
  bool Acquire(int cost);
  void Release(int amount);
  int available() const;

 private:
  mutable std::mutex mu_;
  int capacity_;
  int available_;
};

// Off until the first throttle. Then a token bucket whose fill rate starts at half the measured
// send rate, halves again on every throttle (not below min_rate) and grows by `recovery_step`
// per success; once it is back above twice the rate that was throttled, it switches off again.
// Thread-safe.
class AdaptiveRateLimiter {
 public:
  using TimePoint = std::chrono::system_clock::time_point;
  struct Options {
    double min_rate = 0.5;       // requests per second
    double initial_rate = 10.0;  // used when nothing was measured yet
    double recovery_step = 0.5;  // requests per second added per success
  };
  AdaptiveRateLimiter() : AdaptiveRateLimiter(Options{}) {}
  explicit AdaptiveRateLimiter(Options options) : options_(options) {}

  // Reserves a send at `now`; returns how long to wait first (zero while switched off).
  std::chrono::milliseconds Acquire(TimePoint now);
  void OnThrottle(TimePoint now);
  void OnSuccess(TimePoint now);

  bool enabled() const;
  double rate() const;  // requests per second while enabled

 private:
  void Refill(TimePoint now);
  void Measure(TimePoint now);

  Options options_;
  mutable std::mutex mu_;
  bool enabled_ = false;
  double rate_ = 0;
  double throttled_rate_ = 0;
  double tokens_ = 0;
  std::optional<TimePoint> last_refill_;
  // Send rate, smoothed over half-second buckets as botocore measures it.
  double measured_rate_ = 0;
  double bucket_ = -1;
  int bucket_count_ = 0;
};

}  // namespace ecsguard::ingest::aws
