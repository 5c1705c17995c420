#pragma once

// Errors of the AWS client layer are base Errors (so calls return Result<T>, and RETURN_IF_ERROR
// and ASSIGN_OR_RETURN propagate them unchanged) with an AwsErrorDetail attached: what a
// collector needs to decide what a failure means: its kind, AWS's error code, the HTTP status
// and the request id.
//
//   Result<std::string> body = ecs.CallJson("ListClusters");
//   if (!body.ok() && KindOf(body.error()) == AwsErrorKind::kAccessDenied) { /* a gap */ }

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

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

// What an error of this layer carries beside its base code: its kind, AWS's own code
// ("AccessDeniedException"; empty for network and local errors), the HTTP status (0 when no
// response arrived) and the request id.
struct AwsErrorDetail final : ErrorDetail {
  AwsErrorDetail(AwsErrorKind kind, std::string aws_code, int http_status, std::string request_id)
      : kind(kind),
        aws_code(std::move(aws_code)),
        http_status(http_status),
        request_id(std::move(request_id)) {}

  AwsErrorKind kind;
  std::string aws_code;
  int http_status;
  std::string request_id;
};

// An error of this layer: a base Error with code BaseCodeFor(kind) and an AwsErrorDetail.
Error AwsError(AwsErrorKind kind, std::string message, std::string aws_code = {},
               int http_status = 0, std::string request_id = {});

// The AWS facts of `error`; null for an Error that did not come from this layer.
const AwsErrorDetail* AwsDetailOf(const Error& error);
// The kind of `error`; nullopt for an Error that did not come from this layer.
std::optional<AwsErrorKind> KindOf(const Error& error);
// The kind's name (AwsErrorKindName), or the base code's name for an Error from elsewhere.
std::string_view KindName(const Error& error);
// Whether sending the same request again may succeed; false for an Error from elsewhere.
bool IsRetryable(const Error& error);

}  // namespace ecsguard::ingest::aws
