#pragma once

// URLs and percent-encoding as SigV4 and the AWS protocols need them (RFC 3986).

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"

namespace ecsguard::ingest::aws {

struct Url {
  std::string scheme;  // "http" or "https", lower case
  std::string host;    // lower case; IPv6 literals keep their brackets
  int port = 0;        // 0 when the URL names none
  std::string path;    // as written, still percent-encoded; may be empty
  std::string query;   // without the '?'

  // host[:port] for the Host header: the port only when it is not the scheme's default.
  std::string HostHeader() const;
  // scheme://host[:port]
  std::string Origin() const;
};

// Accepts absolute http and https URLs; user info and fragments are dropped.
Result<Url> ParseUrl(std::string_view text);

// Percent-encodes every byte except the unreserved A-Z a-z 0-9 - _ . ~ (and '/' when
// `keep_slash`), with upper-case hex: the URI encoding SigV4 specifies.
std::string UriEncode(std::string_view text, bool keep_slash = false);

// Decodes %XX sequences; a '%' not followed by two hex digits stays as it is, '+' stays '+'.
std::string PercentDecode(std::string_view text);

// "k1=v1&k2=v2", each side UriEncode'd: the body of a query-protocol request.
std::string FormEncode(const std::vector<std::pair<std::string, std::string>>& params);

}  // namespace ecsguard::ingest::aws
