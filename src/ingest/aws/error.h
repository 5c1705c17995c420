#pragma once

// Errors of the AWS client layer: an AwsError is a base Error (so RETURN_IF_ERROR and
// ASSIGN_OR_RETURN propagate it into any Result<T>) that also carries what a collector needs to
// decide what a failure means: its kind, AWS's error code, the HTTP status and the request id.

#include <cassert>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "base/error.h"

namespace ecsguard::ingest::aws {

enum class AwsErrorKind : uint8_t {
  kAccessDenied,        // AccessDenied, UnauthorizedOperation: the principal may not do this
  kInvalidCredentials,  // the keys were rejected: InvalidClientTokenId, AuthFailure, bad signature
  kExpiredToken,        // ExpiredToken: the session ended; refresh the credentials and try again
  kClockSkew,           // RequestExpired, RequestTimeTooSkewed: the local clock is wrong
  kOptInRequired,       // OptInRequired: the region or service is not enabled for the account
  kThrottling,          // Throttling, RequestLimitExceeded, HTTP 429 (retryable)
  kNotFound,            // *NotFound*, ResourceNotFoundException, NoSuchEntity
  kInvalidRequest,      // ValidationException, InvalidParameter*, any other 4xx
  kServerError,         // 5xx, InternalError, ServiceUnavailable, RequestTimeout (retryable)
  kNetwork,             // connection refused, reset or timed out (retryable)
  kEndpoint,            // the endpoint cannot be used: malformed URL, TLS verification failed
  kCredentials,         // no credentials could be resolved, or a credential provider failed
  kInvalidResponse,     // a response that does not parse
  kScanTimeout,         // the scan's deadline (--timeout) passed before the call could finish
};

std::string_view AwsErrorKindName(AwsErrorKind kind);

// Whether sending the same request again may succeed: throttling, server errors, the network.
bool IsRetryable(AwsErrorKind kind);

// Maps an AWS error code ("ThrottlingException", "InvalidInstanceID.NotFound", ...) and the HTTP
// status to a kind. An empty or unknown code falls back on the status (429, 5xx, 403, 404, 4xx).
AwsErrorKind ClassifyAwsError(std::string_view code, int http_status);

// The base error code an AwsError carries, for code that only knows base Errors: credentials and
// denials are kConfiguration, throttling and the network kIo, not-found kNotFound, a bad response
// kParse, a rejected request kInvalidArgument, a disabled region kUnsupported.
ErrorCode BaseCodeFor(AwsErrorKind kind);

class AwsError : public Error {
 public:
  AwsError(AwsErrorKind kind, std::string message, std::string aws_code = {}, int http_status = 0,
           std::string request_id = {})
      : Error(BaseCodeFor(kind), std::move(message)),
        kind_(kind),
        aws_code_(std::move(aws_code)),
        http_status_(http_status),
        request_id_(std::move(request_id)) {}

  AwsErrorKind kind() const { return kind_; }
  // AWS's own code ("AccessDeniedException"); empty for network and local errors.
  const std::string& aws_code() const { return aws_code_; }
  int http_status() const { return http_status_; }  // 0 when no response arrived
  const std::string& request_id() const { return request_id_; }
  bool retryable() const { return IsRetryable(kind_); }

  // A copy whose message reads "<context>: <message>".
  AwsError WithContext(std::string_view context) const;

 private:
  AwsErrorKind kind_;
  std::string aws_code_;
  int http_status_;
  std::string request_id_;
};

// Result<T> for calls that fail with an AwsError. Propagating it into a Result<U> keeps the base
// Error (code and message); keep the AwsResult where the kind matters.
template <typename T>
class [[nodiscard]] AwsResult {
 public:
  AwsResult(T value) : v_(std::in_place_index<0>, std::move(value)) {}         // NOLINT: implicit
  AwsResult(AwsError error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const AwsError& error() const& {
    assert(!ok());
    return std::get<1>(v_);
  }
  AwsError&& error() && {
    assert(!ok());
    return std::get<1>(std::move(v_));
  }

 private:
  std::variant<T, AwsError> v_;
};

}  // namespace ecsguard::ingest::aws
