#pragma once

// Client: one AWS service in one region. It signs each request with the current credentials,
// sends it through the Transport, turns error responses into AwsErrors and retries what is
// worth retrying (throttling, 5xx, network failures) with jittered exponential backoff, bounded
// by a retry quota and Retry-After, behind the scan's per-account RequestLimiter and an adaptive
// rate limiter, and by the scan's deadline
// when there is one. An ExpiredToken answer makes it refresh the credentials and try once more.
// Every call is counted per (service, operation) in CallStats for the scan summary.

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "base/clock.h"
#include "ingest/aws/credentials.h"
#include "ingest/aws/error.h"
#include "ingest/aws/http.h"
#include "ingest/aws/protocol.h"
#include "ingest/aws/rate_limit.h"
#include "ingest/aws/retry.h"
#include "ingest/aws/xml.h"

namespace ecsguard::ingest::aws {

using SleepFunction = std::function<void(std::chrono::milliseconds)>;
using RandomFunction = std::function<double()>;  // uniform in [0, 1)

// Thread-safe.
class CallStats {
 public:
  struct Counts {
    uint64_t calls = 0;      // operations started
    uint64_t attempts = 0;   // requests sent, retries included
    uint64_t throttled = 0;  // throttling answers
    uint64_t failed = 0;     // operations that ended in an error
  };
  void Record(std::string_view service, std::string_view operation, const Counts& delta);
  std::map<std::pair<std::string, std::string>, Counts> Snapshot() const;

 private:
  mutable std::mutex mu_;
  std::map<std::pair<std::string, std::string>, Counts> counts_;
};

// The side effects a Client uses. `transport` and `clock` are required; empty functions mean the
// real thing (sleep_for, a seeded Mersenne twister).
struct ClientDeps {
  Transport* transport = nullptr;
  const Clock* clock = nullptr;
  SleepFunction sleep;
  RandomFunction random;
  CallStats* stats = nullptr;  // optional
  // The scan's deadline (--timeout), on `clock`: no attempt starts and no retry is waited for
  // after it, and a request in flight is cut off at it; the call then fails with kScanTimeout.
  std::optional<std::chrono::system_clock::time_point> deadline;
  // Optional: every attempt first waits for a slot in the bucket of (account, the endpoint's
  // region, the operation's ApiCategory), on `clock`, and sleeps until it with `sleep`.
  RequestLimiter* limiter = nullptr;
  std::string account;  // whose bucket: the account the credentials belong to
};

// Thread-safe: one Client may serve many threads, and should: the retry quota and the rate
// limiter are per Client, so share one per service and region rather than making one per call.
class Client {
 public:
  // `credentials` may be null for unsigned calls (AssumeRoleWithWebIdentity).
  Client(const ServiceInfo& service, Endpoint endpoint, CredentialSource* credentials,
         ClientDeps deps, RetryOptions retry = {});

  // JSON 1.1: returns the response body.
  Result<std::string> CallJson(std::string_view operation, std::string body = "{}");
  // Query and EC2: returns the parsed response document (see QueryResult()).
  Result<XmlElement> CallQuery(std::string_view operation, const QueryParams& params = {});
  // The common path, for any request: sign, send, retry. Returns the 2xx response.
  Result<HttpResponse> Send(std::string_view operation, const HttpRequest& request);

  const ServiceInfo& service() const { return service_; }
  const Endpoint& endpoint() const { return endpoint_; }
  int retry_quota_available() const { return quota_.available(); }
  const AdaptiveRateLimiter& rate_limiter() const { return limiter_; }

 private:
  Error Contextualize(const Error& error, std::string_view operation, int attempts) const;

  ServiceInfo service_;
  Endpoint endpoint_;
  CredentialSource* credentials_;
  ClientDeps deps_;
  RetryOptions retry_;
  RetryQuota quota_;
  AdaptiveRateLimiter limiter_;
};

}  // namespace ecsguard::ingest::aws
