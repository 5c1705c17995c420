#pragma once

// AWS Signature Version 4, as pure functions, one per stage of the published algorithm so each
// can be tested on its own: canonical request -> string to sign -> signing key -> signature ->
// Authorization header. Sign() runs them all on a request. Nothing here reads a clock: the
// signing time is a parameter.
//
// Rules (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html), matching
// botocore byte for byte: the path has dot segments and repeated slashes removed and is
// URI-encoded again (it is already encoded on the wire, so "%20" signs as "%2520"), except for
// S3; query parameters are decoded, re-encoded and sorted by key then value; header names are
// lower-cased, values trimmed with inner whitespace folded, repeated headers joined with ','; hop
// by hop headers and User-Agent are not signed.

#include <chrono>
#include <string>
#include <string_view>

#include "base/result.h"
#include "ingest/aws/credentials.h"
#include "ingest/aws/http.h"

namespace ecsguard::ingest::aws {

struct SigningParams {
  std::string region;   // "us-east-1"
  std::string service;  // the signing name: "ecs", "ec2", "elasticloadbalancing", "sts"
  std::chrono::system_clock::time_point time;
  // Every service we call uses the defaults; S3 would use false, false, true.
  bool normalize_path = true;
  bool double_encode_path = true;
  bool add_content_sha256_header = false;
};

// "20150830T123600Z"
std::string AmzDate(std::chrono::system_clock::time_point time);

std::string CanonicalUri(std::string_view path, bool normalize, bool double_encode);
std::string CanonicalQueryString(std::string_view query);

struct CanonicalHeaders {
  std::string canonical;       // "host:example.amazonaws.com\nx-amz-date:...\n"
  std::string signed_headers;  // "host;x-amz-date"
};
// `host` is used when `headers` has no Host header.
CanonicalHeaders CanonicalizeHeaders(const Headers& headers, std::string_view host);

// The canonical request for `request` as it stands (Sign adds X-Amz-Date and friends first).
// Fails only on a URL that does not parse.
Result<std::string> CanonicalRequest(const HttpRequest& request, const SigningParams& params);

// "20150830/us-east-1/service/aws4_request"
std::string CredentialScope(const SigningParams& params);
std::string StringToSign(const SigningParams& params, std::string_view canonical_request);
// The derived key (32 raw bytes): HMAC chain over date, region, service and "aws4_request".
std::string SigningKey(std::string_view secret_access_key, const SigningParams& params);
// Lower-case hex HMAC-SHA256 of the string to sign.
std::string Signature(std::string_view signing_key, std::string_view string_to_sign);

// Signs `request` in place: sets X-Amz-Date, X-Amz-Security-Token (when the credentials carry
// one), X-Amz-Content-Sha256 (when asked), Host (when missing) and Authorization, replacing any
// earlier values so a retried request can be signed again.
Result<void> Sign(HttpRequest* request, const Credentials& credentials,
                  const SigningParams& params);

std::string HmacSha256(std::string_view key, std::string_view data);  // raw bytes
std::string HexEncode(std::string_view bytes);                        // lower case

}  // namespace ecsguard::ingest::aws
