#include "ingest/aws/protocol.h"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/arn.h"
#include "base/strings.h"
#include "ingest/aws/url.h"

namespace ecsguard::ingest::aws {
namespace {

// The regions botocore's sts_regional_endpoints=legacy sends to sts.amazonaws.com.
constexpr std::string_view kStsLegacyGlobalRegions[] = {
    "ap-northeast-1", "ap-south-1",   "ap-southeast-1", "ap-southeast-2",
    "aws-global",     "ca-central-1", "eu-central-1",   "eu-north-1",
    "eu-west-1",      "eu-west-2",    "eu-west-3",      "sa-east-1",
    "us-east-1",      "us-east-2",    "us-west-1",      "us-west-2"};

std::string EnvSuffixed(std::string_view base, std::string_view service_env_name) {
  return fmt::format("{}_{}", base, service_env_name);
}

std::string WithPath(std::string url) {
  // An endpoint URL without a path still needs one on the request line.
  size_t scheme = url.find("://");
  size_t path = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  if (path == std::string::npos) url += '/';
  return url;
}

std::string ErrorMessage(std::string_view code, std::string_view message, int status) {
  if (code.empty() && message.empty()) return fmt::format("HTTP {}", status);
  if (code.empty()) return fmt::format("HTTP {}: {}", status, message);
  if (message.empty()) return fmt::format("{} (HTTP {})", code, status);
  return fmt::format("{} (HTTP {}): {}", code, status, message);
}

Error MakeError(std::string code, std::string_view message, const HttpResponse& response,
                std::string request_id) {
  AwsErrorKind kind = ClassifyAwsError(code, response.status);
  std::string text = ErrorMessage(code, message, response.status);
  return AwsError(kind, std::move(text), std::move(code), response.status, std::move(request_id));
}

// "prefix#Code" -> "Code"; "Code:http://internal..." -> "Code".
std::string CleanCode(std::string_view code) {
  if (size_t colon = code.find(':'); colon != std::string_view::npos) code = code.substr(0, colon);
  if (size_t hash = code.rfind('#'); hash != std::string_view::npos) code = code.substr(hash + 1);
  return std::string(Trim(code));
}

// The first string member of `object` among `keys`.
std::string FirstStringMember(const nlohmann::json& object,
                              std::initializer_list<const char*> keys) {
  for (const char* key : keys) {
    auto it = object.find(key);
    if (it != object.end() && it->is_string()) return it->get<std::string>();
  }
  return {};
}

}  // namespace

std::string_view DnsSuffix(std::string_view region) {
  return DnsSuffixOfPartition(PartitionOfRegion(region));
}

Endpoint ResolveEndpoint(const ServiceInfo& service, std::string_view region,
                         std::string_view override_url, bool sts_legacy) {
  if (!override_url.empty()) {
    std::string url(override_url);
    while (url.size() > 1 && url.back() == '/') url.pop_back();
    return Endpoint{url, region.empty() ? "us-east-1" : std::string(region)};
  }
  if (service.id == kSts.id) {
    bool legacy = sts_legacy &&
                  std::find(std::begin(kStsLegacyGlobalRegions), std::end(kStsLegacyGlobalRegions),
                            region) != std::end(kStsLegacyGlobalRegions);
    if (region.empty() || region == "aws-global" || legacy) {
      return Endpoint{"https://sts.amazonaws.com", "us-east-1"};
    }
  }
  if (service.global) {
    std::string_view partition = PartitionOfRegion(region);
    std::string home = partition == "aws-cn"       ? "cn-northwest-1"
                       : partition == "aws-us-gov" ? "us-gov-west-1"
                                                   : "us-east-1";
    return Endpoint{fmt::format("https://{}.{}.{}", service.endpoint_prefix, home, DnsSuffix(home)),
                    home};
  }
  return Endpoint{
      fmt::format("https://{}.{}.{}", service.endpoint_prefix, region, DnsSuffix(region)),
      std::string(region)};
}

std::string ConfiguredEndpointUrl(const ServiceInfo& service, std::string_view flag,
                                  const Environment& env, const AwsConfig& config,
                                  std::string_view profile) {
  if (!flag.empty()) return std::string(flag);
  if (ToLower(env.GetOr("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")) == "true") return {};
  std::string url = env.GetOr(EnvSuffixed("AWS_ENDPOINT_URL", service.env_name));
  if (url.empty()) url = env.GetOr("AWS_ENDPOINT_URL");
  if (url.empty()) url = config.Get(profile, "endpoint_url").value_or("");
  return url;
}

HttpRequest JsonRequest(const ServiceInfo& service, const Endpoint& endpoint,
                        std::string_view operation, std::string body) {
  HttpRequest request;
  request.method = "POST";
  request.url = WithPath(endpoint.url);
  request.headers = {{"Content-Type", "application/x-amz-json-1.1"},
                     {"X-Amz-Target", fmt::format("{}.{}", service.target_prefix, operation)}};
  request.body = body.empty() ? "{}" : std::move(body);
  return request;
}

QueryParams& QueryParams::Add(std::string key, std::string value) {
  params_.emplace_back(std::move(key), std::move(value));
  return *this;
}

QueryParams& QueryParams::AddList(std::string_view prefix, const std::vector<std::string>& values) {
  for (size_t i = 0; i < values.size(); ++i) Add(fmt::format("{}.{}", prefix, i + 1), values[i]);
  return *this;
}

QueryParams& QueryParams::AddFilter(std::string_view name, const std::vector<std::string>& values) {
  ++filters_;
  Add(fmt::format("Filter.{}.Name", filters_), std::string(name));
  return AddList(fmt::format("Filter.{}.Value", filters_), values);
}

HttpRequest QueryRequest(const ServiceInfo& service, const Endpoint& endpoint,
                         std::string_view operation, const QueryParams& params) {
  std::vector<std::pair<std::string, std::string>> all = {
      {"Action", std::string(operation)}, {"Version", std::string(service.api_version)}};
  all.insert(all.end(), params.params().begin(), params.params().end());
  HttpRequest request;
  request.method = "POST";
  request.url = WithPath(endpoint.url);
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
  request.body = FormEncode(all);
  return request;
}

const XmlElement& QueryResult(const XmlElement& response, std::string_view operation) {
  const XmlElement* result = response.Child(fmt::format("{}Result", operation));
  return result ? *result : response;
}

Error ParseJsonError(const HttpResponse& response) {
  std::string code;
  if (auto header = FindHeader(response.headers, "x-amzn-ErrorType")) code = CleanCode(*header);
  std::string request_id(FindHeader(response.headers, "x-amzn-RequestId").value_or(""));
  std::string message;
  nlohmann::json body = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_object()) {
    if (code.empty()) code = CleanCode(FirstStringMember(body, {"__type", "code", "Code"}));
    message = FirstStringMember(body, {"message", "Message", "errorMessage"});
  }
  return MakeError(std::move(code), message, response, std::move(request_id));
}

Error ParseXmlError(const HttpResponse& response) {
  std::string request_id(FindHeader(response.headers, "x-amzn-RequestId").value_or(""));
  Result<XmlElement> doc = ParseXml(response.body);
  if (!doc.ok()) return MakeError({}, {}, response, std::move(request_id));
  // <Response><Errors><Error> (EC2), <ErrorResponse><Error> (query), or a bare <Error>.
  const XmlElement* error = doc->Find("Errors/Error");
  if (!error) error = doc->Child("Error");
  if (!error && doc->name == "Error") error = &*doc;
  for (std::string_view id_name : {"RequestID", "RequestId"}) {
    if (request_id.empty()) request_id = std::string(doc->ChildText(id_name));
  }
  if (!error) return MakeError({}, {}, response, std::move(request_id));
  return MakeError(std::string(Trim(error->ChildText("Code"))), Trim(error->ChildText("Message")),
                   response, std::move(request_id));
}

Error ParseError(Protocol protocol, const HttpResponse& response) {
  return protocol == Protocol::kJson ? ParseJsonError(response) : ParseXmlError(response);
}

}  // namespace ecsguard::ingest::aws
