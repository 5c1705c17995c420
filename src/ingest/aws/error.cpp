#include "ingest/aws/error.h"

#include <algorithm>

#include <fmt/format.h>

namespace ecsguard::ingest::aws {
namespace {

bool In(std::string_view code, std::initializer_list<std::string_view> codes) {
  return std::find(codes.begin(), codes.end(), code) != codes.end();
}

}  // namespace

std::string_view AwsErrorKindName(AwsErrorKind kind) {
  switch (kind) {
    case AwsErrorKind::kAccessDenied:
      return "access_denied";
    case AwsErrorKind::kInvalidCredentials:
      return "invalid_credentials";
    case AwsErrorKind::kExpiredToken:
      return "expired_token";
    case AwsErrorKind::kClockSkew:
      return "clock_skew";
    case AwsErrorKind::kOptInRequired:
      return "opt_in_required";
    case AwsErrorKind::kThrottling:
      return "throttling";
    case AwsErrorKind::kNotFound:
      return "not_found";
    case AwsErrorKind::kInvalidRequest:
      return "invalid_request";
    case AwsErrorKind::kServerError:
      return "server_error";
    case AwsErrorKind::kNetwork:
      return "network";
    case AwsErrorKind::kEndpoint:
      return "endpoint";
    case AwsErrorKind::kCredentials:
      return "credentials";
    case AwsErrorKind::kInvalidResponse:
      return "invalid_response";
    case AwsErrorKind::kScanTimeout:
      return "scan_timeout";
  }
  return "unknown";
}

bool IsRetryable(AwsErrorKind kind) {
  return kind == AwsErrorKind::kThrottling || kind == AwsErrorKind::kServerError ||
         kind == AwsErrorKind::kNetwork;
}

AwsErrorKind ClassifyAwsError(std::string_view code, int http_status) {
  // The throttling and transient lists are botocore's (retryhandler / standard retry mode).
  if (In(code,
         {"Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
          "TooManyRequestsException", "ProvisionedThroughputExceededException",
          "TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
          "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
          "EC2ThrottledException"})) {
    return AwsErrorKind::kThrottling;
  }
  if (In(code, {"RequestTimeout", "RequestTimeoutException", "InternalError", "InternalFailure",
                "InternalServerError", "InternalServiceError", "ServiceUnavailable",
                "ServiceUnavailableException", "Unavailable", "ServerException"})) {
    return AwsErrorKind::kServerError;
  }
  if (In(code, {"AccessDenied", "AccessDeniedException", "UnauthorizedOperation",
                "UnauthorizedAccess", "AuthorizationError", "Forbidden"})) {
    return AwsErrorKind::kAccessDenied;
  }
  if (In(code, {"ExpiredToken", "ExpiredTokenException", "TokenRefreshRequired"})) {
    return AwsErrorKind::kExpiredToken;
  }
  if (In(code, {"RequestExpired", "RequestTimeTooSkewed", "RequestInTheFuture"})) {
    return AwsErrorKind::kClockSkew;
  }
  if (In(code, {"InvalidClientTokenId", "UnrecognizedClientException", "AuthFailure",
                "SignatureDoesNotMatch", "IncompleteSignature", "InvalidSignatureException",
                "MissingAuthenticationToken", "MissingAuthenticationTokenException",
                "UnauthorizedException", "InvalidAccessKeyId", "InvalidToken"})) {
    return AwsErrorKind::kInvalidCredentials;
  }
  if (In(code, {"OptInRequired", "SubscriptionRequiredException"})) {
    return AwsErrorKind::kOptInRequired;
  }
  if (code.find("NotFound") != std::string_view::npos ||
      In(code, {"NoSuchEntity", "AWSOrganizationsNotInUseException"})) {
    return AwsErrorKind::kNotFound;
  }
  if (http_status == 429) return AwsErrorKind::kThrottling;
  if (http_status >= 500) return AwsErrorKind::kServerError;
  if (code.empty() && http_status == 403) return AwsErrorKind::kAccessDenied;
  if (code.empty() && http_status == 404) return AwsErrorKind::kNotFound;
  return AwsErrorKind::kInvalidRequest;
}

ErrorCode BaseCodeFor(AwsErrorKind kind) {
  switch (kind) {
    case AwsErrorKind::kAccessDenied:
    case AwsErrorKind::kInvalidCredentials:
    case AwsErrorKind::kExpiredToken:
    case AwsErrorKind::kClockSkew:
    case AwsErrorKind::kEndpoint:
    case AwsErrorKind::kCredentials:
      return ErrorCode::kConfiguration;
    case AwsErrorKind::kOptInRequired:
      return ErrorCode::kUnsupported;
    case AwsErrorKind::kThrottling:
    case AwsErrorKind::kServerError:
    case AwsErrorKind::kNetwork:
    case AwsErrorKind::kScanTimeout:
      return ErrorCode::kIo;
    case AwsErrorKind::kNotFound:
      return ErrorCode::kNotFound;
    case AwsErrorKind::kInvalidRequest:
      return ErrorCode::kInvalidArgument;
    case AwsErrorKind::kInvalidResponse:
      return ErrorCode::kParse;
  }
  return ErrorCode::kInternal;
}

Error AwsError(AwsErrorKind kind, std::string message, std::string aws_code, int http_status,
               std::string request_id) {
  return Error(BaseCodeFor(kind), std::move(message))
      .WithDetail(std::make_shared<const AwsErrorDetail>(kind, std::move(aws_code), http_status,
                                                         std::move(request_id)));
}

const AwsErrorDetail* AwsDetailOf(const Error& error) { return error.detail<AwsErrorDetail>(); }

std::optional<AwsErrorKind> KindOf(const Error& error) {
  const AwsErrorDetail* detail = AwsDetailOf(error);
  if (!detail) return std::nullopt;
  return detail->kind;
}

std::string_view KindName(const Error& error) {
  std::optional<AwsErrorKind> kind = KindOf(error);
  return kind ? AwsErrorKindName(*kind) : ErrorCodeName(error.code());
}

bool IsRetryable(const Error& error) {
  std::optional<AwsErrorKind> kind = KindOf(error);
  return kind && IsRetryable(*kind);
}

}  // namespace ecsguard::ingest::aws
