#include "ingest/aws/client.h"

#include <algorithm>
#include <optional>
#include <random>
#include <thread>

#include <fmt/format.h>

#include "ingest/aws/sigv4.h"

namespace ecsguard::ingest::aws {
namespace {

double DefaultRandom() {
  thread_local std::mt19937_64 rng(std::random_device{}());
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

void DefaultSleep(std::chrono::milliseconds delay) { std::this_thread::sleep_for(delay); }

Error Redacted(const Error& error, const Credentials& credentials) {
  return error.WithMessage(RedactSecrets(error.message(), credentials));
}

// A copy whose message reads "<context>: <message>".
Error WithContext(const Error& error, std::string_view context) {
  return error.WithMessage(fmt::format("{}: {}", context, error.message()));
}

}  // namespace

void CallStats::Record(std::string_view service, std::string_view operation, const Counts& delta) {
  std::lock_guard lock(mu_);
  Counts& c = counts_[{std::string(service), std::string(operation)}];
  c.calls += delta.calls;
  c.attempts += delta.attempts;
  c.throttled += delta.throttled;
  c.failed += delta.failed;
}

std::map<std::pair<std::string, std::string>, CallStats::Counts> CallStats::Snapshot() const {
  std::lock_guard lock(mu_);
  return counts_;
}

Client::Client(const ServiceInfo& service, Endpoint endpoint, CredentialSource* credentials,
               ClientDeps deps, RetryOptions retry)
    : service_(service),
      endpoint_(std::move(endpoint)),
      credentials_(credentials),
      deps_(std::move(deps)),
      retry_(retry),
      quota_(retry.quota_capacity) {
  if (!deps_.sleep) deps_.sleep = DefaultSleep;
  if (!deps_.random) deps_.random = DefaultRandom;
}

Error Client::Contextualize(const Error& error, std::string_view operation, int attempts) const {
  std::string context =
      fmt::format("{}.{} in {}", service_.id, operation, endpoint_.signing_region);
  if (attempts > 1) context += fmt::format(" (after {} attempts)", attempts);
  Error out = WithContext(error, context);
  const AwsErrorDetail* detail = AwsDetailOf(error);
  if (!detail || detail->request_id.empty()) return out;
  return out.WithMessage(fmt::format("{} [request id {}]", out.message(), detail->request_id));
}

Result<HttpResponse> Client::Send(std::string_view operation, const HttpRequest& unsigned_request) {
  CallStats::Counts counts;
  counts.calls = 1;
  auto finish = [&](Result<HttpResponse> result) {
    if (!result.ok()) counts.failed = 1;
    if (deps_.stats) deps_.stats->Record(service_.id, operation, counts);
    return result;
  };
  const Clock& clock = *deps_.clock;
  // What is left of the scan's time; nothing when the scan has no deadline.
  auto remaining = [&]() -> std::optional<std::chrono::milliseconds> {
    if (!deps_.deadline) return std::nullopt;
    return std::chrono::duration_cast<std::chrono::milliseconds>(*deps_.deadline - clock.Now());
  };
  auto timed_out = [&](int attempts, const std::optional<Error>& last) {
    std::string message = "scan timeout (--timeout)";
    if (last) message += fmt::format("; the last attempt: {}", last->message());
    return finish(Contextualize(AwsError(AwsErrorKind::kScanTimeout, std::move(message)), operation,
                                attempts));
  };
  bool refreshed = false;
  int retry_cost = 0;  // what the retry in flight took from the quota
  std::optional<Error> last_error;
  const std::string category = deps_.limiter ? ApiCategory(service_.id, operation) : std::string();
  for (int attempt = 1;; ++attempt) {
    if (deps_.limiter) {
      auto wait = std::chrono::ceil<std::chrono::milliseconds>(
          deps_.limiter->Reserve({deps_.account, endpoint_.signing_region, category}, clock.Now()));
      if (auto left = remaining(); left && wait >= *left) return timed_out(attempt - 1, last_error);
      if (wait.count() > 0) deps_.sleep(wait);
    }
    if (retry_.adaptive) {
      std::chrono::milliseconds wait = limiter_.Acquire(clock.Now());
      if (auto left = remaining(); left && wait >= *left) return timed_out(attempt - 1, last_error);
      if (wait.count() > 0) deps_.sleep(wait);
    }
    std::optional<std::chrono::milliseconds> left = remaining();
    if (left && left->count() <= 0) return timed_out(attempt - 1, last_error);
    HttpRequest request = unsigned_request;
    if (left && (request.timeout.count() == 0 || *left < request.timeout)) request.timeout = *left;
    Credentials credentials;
    if (credentials_) {
      Result<Credentials> current = credentials_->Get();
      if (!current.ok()) {
        return finish(Contextualize(AwsError(AwsErrorKind::kCredentials, current.error().message()),
                                    operation, attempt));
      }
      credentials = std::move(current).value();
      SigningParams params{endpoint_.signing_region, std::string(service_.signing_name),
                           clock.Now()};
      if (Result<void> signed_ok = Sign(&request, credentials, params); !signed_ok.ok()) {
        return finish(Contextualize(AwsError(AwsErrorKind::kEndpoint, signed_ok.error().message()),
                                    operation, attempt));
      }
    }

    ++counts.attempts;
    Result<HttpResponse> sent = deps_.transport->Send(request);
    std::optional<Error> error;
    std::optional<std::chrono::milliseconds> retry_after;
    if (!sent.ok()) {
      AwsErrorKind kind =
          sent.error().code() == ErrorCode::kIo ? AwsErrorKind::kNetwork : AwsErrorKind::kEndpoint;
      error = AwsError(kind, sent.error().message());
    } else if (sent->status >= 200 && sent->status < 300) {
      quota_.Release(retry_cost > 0 ? retry_cost : retry_.success_refund);
      if (retry_.adaptive) limiter_.OnSuccess(clock.Now());
      return finish(std::move(sent).value());
    } else {
      error = ParseError(service_.protocol, *sent);
      if (auto header = FindHeader(sent->headers, "Retry-After")) {
        retry_after = ParseRetryAfter(*header, clock.Now());
      }
    }
    error = Redacted(*error, credentials);
    // A request cut off at the deadline failed because of it, whatever the transport says.
    if (auto after = remaining(); after && after->count() <= 0 && IsRetryable(*error)) {
      return timed_out(attempt, error);
    }

    if (KindOf(*error) == AwsErrorKind::kThrottling) {
      ++counts.throttled;
      if (retry_.adaptive) limiter_.OnThrottle(clock.Now());
    }
    if (KindOf(*error) == AwsErrorKind::kExpiredToken && credentials_ && !refreshed) {
      // The session ended between fetching and sending: fetch anew and try again, once, without
      // spending an attempt.
      refreshed = true;
      credentials_->Invalidate();
      --attempt;
      continue;
    }
    int max_attempts = KindOf(*error) == AwsErrorKind::kThrottling ? retry_.max_throttle_attempts
                                                                   : retry_.max_attempts;
    if (!IsRetryable(*error) || attempt >= max_attempts) {
      return finish(Contextualize(*error, operation, attempt));
    }
    std::chrono::milliseconds delay = BackoffDelay(retry_, attempt, deps_.random());
    if (retry_after) {
      if (*retry_after > retry_.max_retry_after) {
        return finish(Contextualize(
            WithContext(*error, fmt::format("Retry-After of {} ms exceeds the {} ms limit",
                                            retry_after->count(), retry_.max_retry_after.count())),
            operation, attempt));
      }
      delay = std::max(delay, *retry_after);
    }
    if (auto after = remaining(); after && delay >= *after) return timed_out(attempt, error);
    int cost =
        KindOf(*error) == AwsErrorKind::kNetwork ? retry_.network_retry_cost : retry_.retry_cost;
    if (!quota_.Acquire(cost)) {
      return finish(
          Contextualize(WithContext(*error, "retry quota exhausted"), operation, attempt));
    }
    retry_cost = cost;
    last_error = error;
    deps_.sleep(delay);
  }
}

Result<std::string> Client::CallJson(std::string_view operation, std::string body) {
  Result<HttpResponse> response =
      Send(operation, JsonRequest(service_, endpoint_, operation, std::move(body)));
  if (!response.ok()) return std::move(response).error();
  return std::move(response->body);
}

Result<XmlElement> Client::CallQuery(std::string_view operation, const QueryParams& params) {
  Result<HttpResponse> response =
      Send(operation, QueryRequest(service_, endpoint_, operation, params));
  if (!response.ok()) return std::move(response).error();
  Result<XmlElement> doc = ParseXml(response->body);
  if (!doc.ok()) {
    return Contextualize(
        AwsError(AwsErrorKind::kInvalidResponse, doc.error().ToString(), {}, response->status),
        operation, 1);
  }
  return std::move(doc).value();
}

}  // namespace ecsguard::ingest::aws
