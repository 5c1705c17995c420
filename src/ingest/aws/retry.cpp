#include "ingest/aws/retry.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <ctime>
#include <string>

namespace ecsguard::ingest::aws {
namespace {

double Seconds(AdaptiveRateLimiter::TimePoint t) {
  return std::chrono::duration<double>(t.time_since_epoch()).count();
}

}  // namespace

std::chrono::milliseconds BackoffDelay(const RetryOptions& options, int retry, double random) {
  double ceiling =
      static_cast<double>(options.base_delay.count()) * std::pow(2.0, std::clamp(retry, 1, 62) - 1);
  ceiling = std::min(ceiling, static_cast<double>(options.max_backoff.count()));
  return std::chrono::milliseconds(static_cast<int64_t>(std::clamp(random, 0.0, 1.0) * ceiling));
}

std::optional<std::chrono::milliseconds> ParseRetryAfter(
    std::string_view value, std::chrono::system_clock::time_point now) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  int64_t seconds = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (ec == std::errc() && end == value.data() + value.size()) {
    if (seconds < 0 || seconds > 86400) return std::nullopt;
    return std::chrono::milliseconds(seconds * 1000);
  }
  // IMF-fixdate: "Wed, 21 Oct 2015 07:28:00 GMT".
  std::tm tm{};
  std::string text(value);
  const char* parsed = strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (!parsed || *parsed != '\0' || tm.tm_year < 70 || tm.tm_year > 300) return std::nullopt;
  auto at = std::chrono::system_clock::from_time_t(timegm(&tm));
  auto delta = std::chrono::duration_cast<std::chrono::milliseconds>(at - now);
  return std::max(delta, std::chrono::milliseconds(0));
}

bool RetryQuota::Acquire(int cost) {
  std::lock_guard lock(mu_);
  if (available_ < cost) return false;
  available_ -= cost;
  return true;
}

void RetryQuota::Release(int amount) {
  std::lock_guard lock(mu_);
  available_ = std::min(capacity_, available_ + amount);
}

int RetryQuota::available() const {
  std::lock_guard lock(mu_);
  return available_;
}

void AdaptiveRateLimiter::Measure(TimePoint now) {
  double bucket = std::floor(Seconds(now) * 2) / 2;
  ++bucket_count_;
  if (bucket_ < 0) {
    bucket_ = bucket;
  } else if (bucket > bucket_) {
    double current = bucket_count_ / (bucket - bucket_);
    measured_rate_ = current * 0.8 + measured_rate_ * 0.2;
    bucket_count_ = 0;
    bucket_ = bucket;
  }
}

void AdaptiveRateLimiter::Refill(TimePoint now) {
  if (last_refill_ && now > *last_refill_) {
    double elapsed = std::chrono::duration<double>(now - *last_refill_).count();
    tokens_ = std::min(std::max(1.0, rate_), tokens_ + elapsed * rate_);
  }
  if (!last_refill_ || now > *last_refill_) last_refill_ = now;
}

std::chrono::milliseconds AdaptiveRateLimiter::Acquire(TimePoint now) {
  std::lock_guard lock(mu_);
  Measure(now);
  if (!enabled_) return std::chrono::milliseconds(0);
  Refill(now);
  tokens_ -= 1;
  if (tokens_ >= 0) return std::chrono::milliseconds(0);
  return std::chrono::milliseconds(static_cast<int64_t>(std::ceil(-tokens_ * 1000 / rate_)));
}

void AdaptiveRateLimiter::OnThrottle(TimePoint now) {
  std::lock_guard lock(mu_);
  double base = enabled_ ? rate_ : (measured_rate_ > 0 ? measured_rate_ : options_.initial_rate);
  throttled_rate_ = base;
  rate_ = std::max(options_.min_rate, base / 2);
  if (!enabled_) {
    enabled_ = true;
    tokens_ = 0;
    last_refill_ = now;
  }
}

void AdaptiveRateLimiter::OnSuccess(TimePoint /*now*/) {
  std::lock_guard lock(mu_);
  if (!enabled_) return;
  rate_ += options_.recovery_step;
  if (rate_ >= 2 * throttled_rate_) enabled_ = false;
}

bool AdaptiveRateLimiter::enabled() const {
  std::lock_guard lock(mu_);
  return enabled_;
}

double AdaptiveRateLimiter::rate() const {
  std::lock_guard lock(mu_);
  return rate_;
}

}  // namespace ecsguard::ingest::aws
