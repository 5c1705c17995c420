#pragma once

// The wire protocols of the services ecsguard calls, and where those services live.
//
// JSON 1.1 (ECS, Organizations): POST / with X-Amz-Target "<prefix>.<Operation>", a JSON body,
// errors named by the x-amzn-ErrorType header or the body's "__type" (possibly
// "namespace#Code"). Query (ELBv2, STS) and EC2: POST / with a form body Action=...&Version=...,
// XML answers, errors as <ErrorResponse><Error><Code> or, for EC2,
// <Response><Errors><Error><Code>.
//
// Endpoints: https://{prefix}.{region}.{dns suffix}, STS regional unless configured "legacy",
// Organizations global per partition; an endpoint URL (--endpoint-url, AWS_ENDPOINT_URL_<SVC>,
// AWS_ENDPOINT_URL, the profile's endpoint_url) replaces the host for emulators.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ingest/aws/config.h"
#include "ingest/aws/error.h"
#include "ingest/aws/http.h"
#include "ingest/aws/xml.h"

namespace ecsguard::ingest::aws {

enum class Protocol : uint8_t { kJson, kQuery, kEc2 };

struct ServiceInfo {
  std::string_view id;               // our name and the operation counters' key: "ecs"
  std::string_view endpoint_prefix;  // host prefix: "elasticloadbalancing"
  std::string_view signing_name;     // SigV4 service: "elasticloadbalancing"
  std::string_view env_name;         // AWS_ENDPOINT_URL_<env_name>: "ELASTIC_LOAD_BALANCING_V2"
  Protocol protocol;
  std::string_view api_version;    // "2015-12-01"
  std::string_view target_prefix;  // JSON only: "AmazonEC2ContainerServiceV20141113"
  bool global = false;             // one endpoint per partition
};

inline constexpr ServiceInfo kEcs{"ecs",
                                  "ecs",
                                  "ecs",
                                  "ECS",
                                  Protocol::kJson,
                                  "2014-11-13",
                                  "AmazonEC2ContainerServiceV20141113"};
inline constexpr ServiceInfo kOrganizations{"organizations",
                                            "organizations",
                                            "organizations",
                                            "ORGANIZATIONS",
                                            Protocol::kJson,
                                            "2016-11-28",
                                            "AWSOrganizationsV20161128",
                                            true};
inline constexpr ServiceInfo kEc2{"ec2", "ec2", "ec2", "EC2", Protocol::kEc2, "2016-11-15", ""};
inline constexpr ServiceInfo kElbv2{"elbv2",
                                    "elasticloadbalancing",
                                    "elasticloadbalancing",
                                    "ELASTIC_LOAD_BALANCING_V2",
                                    Protocol::kQuery,
                                    "2015-12-01",
                                    ""};
inline constexpr ServiceInfo kSts{"sts", "sts", "sts", "STS", Protocol::kQuery, "2011-06-15", ""};

struct Endpoint {
  std::string url;             // "https://ecs.eu-west-1.amazonaws.com"
  std::string signing_region;  // the SigV4 region, which a global service fixes
};

// "amazonaws.com", or the partition's suffix ("amazonaws.com.cn" for cn-*).
std::string_view DnsSuffix(std::string_view region);

// `override_url` (when not empty) keeps the region for signing (us-east-1 if none).
// `sts_legacy` selects the global STS endpoint for the regions botocore's "legacy" mode
// sends there. An empty region gives the global STS endpoint.
Endpoint ResolveEndpoint(const ServiceInfo& service, std::string_view region,
                         std::string_view override_url = {}, bool sts_legacy = false);

// The configured endpoint URL for `service`: `flag`, else AWS_ENDPOINT_URL_<SERVICE>, else
// AWS_ENDPOINT_URL, else the profile's endpoint_url; "" when none. With
// AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true only `flag` counts.
std::string ConfiguredEndpointUrl(const ServiceInfo& service, std::string_view flag,
                                  const Environment& env, const AwsConfig& config,
                                  std::string_view profile);

HttpRequest JsonRequest(const ServiceInfo& service, const Endpoint& endpoint,
                        std::string_view operation, std::string body);

// Parameters of a query-protocol call, in order. List and structure members are flattened the
// way each service expects: "LoadBalancerArns.member.1" (ELBv2, STS), "InstanceId.1" and
// "Filter.1.Name" / "Filter.1.Value.1" (EC2).
class QueryParams {
 public:
  QueryParams& Add(std::string key, std::string value);
  // prefix.1=v1, prefix.2=v2, ...
  QueryParams& AddList(std::string_view prefix, const std::vector<std::string>& values);
  // Filter.N.Name=name, Filter.N.Value.M=value (EC2).
  QueryParams& AddFilter(std::string_view name, const std::vector<std::string>& values);
  const std::vector<std::pair<std::string, std::string>>& params() const { return params_; }

 private:
  std::vector<std::pair<std::string, std::string>> params_;
  int filters_ = 0;
};

HttpRequest QueryRequest(const ServiceInfo& service, const Endpoint& endpoint,
                         std::string_view operation, const QueryParams& params);

// The <OperationResult> element of a query response, or the root itself (EC2 has none).
const XmlElement& QueryResult(const XmlElement& response, std::string_view operation);

// The AWS error an error response stands for. Never fails: a body that says nothing still gives
// a kind from the HTTP status.
Error ParseJsonError(const HttpResponse& response);
Error ParseXmlError(const HttpResponse& response);
Error ParseError(Protocol protocol, const HttpResponse& response);

}  // namespace ecsguard::ingest::aws
