#include "ingest/aws/sigv4.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <vector>

#include <fmt/format.h>

#include "base/strings.h"
#include "base/time.h"
#include "ingest/aws/url.h"

namespace ecsguard::ingest::aws {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";

// Not signed: hop-by-hop headers a proxy may change, and what botocore leaves out.
constexpr std::string_view kUnsignedHeaders[] = {"authorization",
                                                 "connection",
                                                 "expect",
                                                 "keep-alive",
                                                 "proxy-authenticate",
                                                 "proxy-authorization",
                                                 "te",
                                                 "trailer",
                                                 "transfer-encoding",
                                                 "upgrade",
                                                 "user-agent",
                                                 "x-amzn-trace-id"};

bool IsFoldableSpace(unsigned char c) {
  // Python's str.split() whitespace within ASCII, which is what botocore folds.
  return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
}

// Trims, and folds each inner run of whitespace into one space.
std::string FoldWhitespace(std::string_view value) {
  std::string out;
  bool pending_space = false;
  for (unsigned char c : value) {
    if (IsFoldableSpace(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += static_cast<char>(c);
  }
  return out;
}

// RFC 3986 5.2.4 plus the removal of empty segments AWS asks for (botocore's
// remove_dot_segments).
std::string NormalizePath(std::string_view path) {
  if (path.empty()) return "/";
  std::vector<std::string_view> out;
  for (std::string_view segment : Split(path, '/')) {
    if (segment.empty() || segment == ".") continue;
    if (segment == "..") {
      if (!out.empty()) out.pop_back();
      continue;
    }
    out.push_back(segment);
  }
  std::string result = path.front() == '/' ? "/" : "";
  for (size_t i = 0; i < out.size(); ++i) {
    if (i) result += '/';
    result += out[i];
  }
  if (path.back() == '/' && !out.empty()) result += '/';
  return result;
}

std::string DateStamp(const SigningParams& params) { return AmzDate(params.time).substr(0, 8); }

}  // namespace

std::string HexEncode(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kHex[c >> 4];
    out += kHex[c & 0xF];
  }
  return out;
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest, &length);
  return std::string(reinterpret_cast<const char*>(digest), length);
}

std::string AmzDate(std::chrono::system_clock::time_point time) {
  // ISO 8601's basic format: "2026-11-28T22:21:39Z" without separators, "20261128T222139Z".
  std::string text = FormatIso8601(time);
  std::erase_if(text, [](char c) { return c == '-' || c == ':'; });
  return text;
}

std::string CanonicalUri(std::string_view path, bool normalize, bool double_encode) {
  std::string normalized = normalize ? NormalizePath(path) : std::string(path);
  std::string uri = double_encode ? UriEncode(normalized, /*keep_slash=*/true) : normalized;
  return uri.empty() ? "/" : uri;
}

std::string CanonicalQueryString(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> params;
  for (std::string_view pair : Split(query, '&')) {
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string_view key = pair.substr(0, eq);
    std::string_view value = eq == std::string_view::npos ? "" : pair.substr(eq + 1);
    params.emplace_back(UriEncode(PercentDecode(key)), UriEncode(PercentDecode(value)));
  }
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& [key, value] : params) {
    if (!out.empty()) out += '&';
    out += key;
    out += '=';
    out += value;
  }
  return out;
}

CanonicalHeaders CanonicalizeHeaders(const Headers& headers, std::string_view host) {
  std::map<std::string, std::vector<std::string>> by_name;
  for (const auto& [name, value] : headers) {
    std::string lower = ToLower(name);
    if (std::find(std::begin(kUnsignedHeaders), std::end(kUnsignedHeaders), lower) !=
        std::end(kUnsignedHeaders)) {
      continue;
    }
    by_name[lower].push_back(FoldWhitespace(value));
  }
  if (!by_name.contains("host")) by_name["host"].push_back(std::string(host));
  CanonicalHeaders out;
  for (const auto& [name, values] : by_name) {
    out.canonical += name;
    out.canonical += ':';
    for (size_t i = 0; i < values.size(); ++i) {
      if (i) out.canonical += ',';
      out.canonical += values[i];
    }
    out.canonical += '\n';
    if (!out.signed_headers.empty()) out.signed_headers += ';';
    out.signed_headers += name;
  }
  return out;
}

Result<std::string> CanonicalRequest(const HttpRequest& request, const SigningParams& params) {
  ASSIGN_OR_RETURN(Url url, ParseUrl(request.url));
  CanonicalHeaders headers = CanonicalizeHeaders(request.headers, url.HostHeader());
  std::optional<std::string_view> declared = FindHeader(request.headers, "X-Amz-Content-Sha256");
  std::string payload_hash = declared ? std::string(*declared) : Sha256Hex(request.body);
  std::string method = request.method;
  std::transform(method.begin(), method.end(), method.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return fmt::format("{}\n{}\n{}\n{}\n{}\n{}", method,
                     CanonicalUri(url.path, params.normalize_path, params.double_encode_path),
                     CanonicalQueryString(url.query), headers.canonical, headers.signed_headers,
                     payload_hash);
}

std::string CredentialScope(const SigningParams& params) {
  return fmt::format("{}/{}/{}/aws4_request", DateStamp(params), params.region, params.service);
}

std::string StringToSign(const SigningParams& params, std::string_view canonical_request) {
  return fmt::format("{}\n{}\n{}\n{}", kAlgorithm, AmzDate(params.time), CredentialScope(params),
                     Sha256Hex(canonical_request));
}

std::string SigningKey(std::string_view secret_access_key, const SigningParams& params) {
  std::string key = HmacSha256(fmt::format("AWS4{}", secret_access_key), DateStamp(params));
  key = HmacSha256(key, params.region);
  key = HmacSha256(key, params.service);
  return HmacSha256(key, "aws4_request");
}

std::string Signature(std::string_view signing_key, std::string_view string_to_sign) {
  return HexEncode(HmacSha256(signing_key, string_to_sign));
}

Result<void> Sign(HttpRequest* request, const Credentials& credentials,
                  const SigningParams& params) {
  ASSIGN_OR_RETURN(Url url, ParseUrl(request->url));
  RemoveHeader(&request->headers, "Authorization");
  SetHeader(&request->headers, "X-Amz-Date", AmzDate(params.time));
  if (!credentials.session_token.empty()) {
    SetHeader(&request->headers, "X-Amz-Security-Token", credentials.session_token);
  }
  if (params.add_content_sha256_header) {
    SetHeader(&request->headers, "X-Amz-Content-Sha256", Sha256Hex(request->body));
  }
  if (!FindHeader(request->headers, "Host")) {
    request->headers.emplace_back("Host", url.HostHeader());
  }
  ASSIGN_OR_RETURN(std::string canonical_request, CanonicalRequest(*request, params));
  std::string signature = Signature(SigningKey(credentials.secret_access_key, params),
                                    StringToSign(params, canonical_request));
  CanonicalHeaders headers = CanonicalizeHeaders(request->headers, url.HostHeader());
  request->headers.emplace_back(
      "Authorization", fmt::format("{} Credential={}/{}, SignedHeaders={}, Signature={}",
                                   kAlgorithm, credentials.access_key_id, CredentialScope(params),
                                   headers.signed_headers, signature));
  return Ok{};
}

}  // namespace ecsguard::ingest::aws
