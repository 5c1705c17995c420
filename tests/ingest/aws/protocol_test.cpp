// The wire protocols: request building, XML reading, error parsing and classification,
// endpoint resolution.

#include "ingest/aws/protocol.h"

#include <gtest/gtest.h>

#include "ingest/aws/url.h"

namespace ecsguard::ingest::aws {
namespace {

TEST(XmlTest, ReadsElementsTextAndDropsNamespaces) {
  Result<XmlElement> doc = ParseXml(R"(<?xml version="1.0" encoding="UTF-8"?>
<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
  <requestId>req-1</requestId>
  <reservationSet>
    <item><ns:instanceId xmlns:ns="urn:x">i-1</ns:instanceId></item>
    <item><instanceId>i-2 &amp; &lt;3&gt;</instanceId></item>
  </reservationSet>
</DescribeInstancesResponse>)");
  ASSERT_TRUE(doc.ok()) << doc.error().ToString();
  EXPECT_EQ(doc->name, "DescribeInstancesResponse");
  EXPECT_EQ(doc->ChildText("requestId"), "req-1");
  EXPECT_EQ(doc->text, "");  // indentation between children is dropped
  std::vector<const XmlElement*> items = doc->Find("reservationSet")->Children("item");
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0]->ChildText("instanceId"), "i-1");
  EXPECT_EQ(items[1]->ChildText("instanceId"), "i-2 & <3>");
  EXPECT_EQ(doc->Find("reservationSet/item/instanceId")->text, "i-1");
  EXPECT_EQ(doc->Find("reservationSet/missing"), nullptr);
  EXPECT_EQ(doc->ChildText("missing"), "");
}

TEST(XmlTest, RejectsDoctypeAndEntities) {
  // Billion laughs and external entities both need a DOCTYPE, which is refused outright.
  Result<XmlElement> laughs = ParseXml(
      R"(<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>)"
      R"(<lolz>&lol2;</lolz>)");
  ASSERT_FALSE(laughs.ok());
  EXPECT_EQ(laughs.error().code(), ErrorCode::kParse);
  EXPECT_NE(laughs.error().message().find("DOCTYPE"), std::string::npos);
  Result<XmlElement> external =
      ParseXml(R"(<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>)");
  ASSERT_FALSE(external.ok());
  EXPECT_EQ(external.error().code(), ErrorCode::kParse);
}

TEST(XmlTest, ReportsWhereItBroke) {
  Result<XmlElement> broken = ParseXml("<a>\n  <b></a>");
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.error().code(), ErrorCode::kParse);
  EXPECT_EQ(broken.error().location().line, 2u);
  EXPECT_FALSE(ParseXml("").ok());
  EXPECT_FALSE(ParseXml("<a/><b/>").ok());
}

TEST(XmlTest, BoundsDepthAndSize) {
  std::string deep;
  for (int i = 0; i < 100; ++i) deep += "<a>";
  for (int i = 0; i < 100; ++i) deep += "</a>";
  Result<XmlElement> r = ParseXml(deep);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("nesting"), std::string::npos);
  EXPECT_TRUE(ParseXml(deep, XmlLimits{.max_depth = 200}).ok());
  EXPECT_FALSE(ParseXml("<a>hello</a>", XmlLimits{.max_bytes = 4}).ok());
}

HttpResponse Json(int status, std::string body, Headers headers = {}) {
  return MakeResponse(status, std::move(body), std::move(headers));
}

TEST(JsonErrorTest, TypeWithNamespaceAndMessage) {
  Error e = ParseJsonError(Json(
      400, R"({"__type":"com.amazonaws.ecs#AccessDeniedException","message":"not authorized"})",
      {{"x-amzn-RequestId", "rid-1"}}));
  EXPECT_EQ(KindOf(e), AwsErrorKind::kAccessDenied);
  EXPECT_EQ(AwsDetailOf(e)->aws_code, "AccessDeniedException");
  EXPECT_EQ(AwsDetailOf(e)->http_status, 400);
  EXPECT_EQ(AwsDetailOf(e)->request_id, "rid-1");
  EXPECT_EQ(e.message(), "AccessDeniedException (HTTP 400): not authorized");
  EXPECT_EQ(e.code(), ErrorCode::kConfiguration);
}

TEST(JsonErrorTest, HeaderWinsAndLosesItsSuffix) {
  Error e = ParseJsonError(
      Json(400, R"({"__type":"Other","Message":"slow down"})",
           {{"X-Amzn-ErrorType", "ThrottlingException:http://internal.amazon.com/coral/"}}));
  EXPECT_EQ(AwsDetailOf(e)->aws_code, "ThrottlingException");
  EXPECT_EQ(KindOf(e), AwsErrorKind::kThrottling);
  EXPECT_TRUE(IsRetryable(e));
  EXPECT_EQ(e.message(), "ThrottlingException (HTTP 400): slow down");
}

TEST(JsonErrorTest, UnparsableBodyFallsBackOnStatus) {
  EXPECT_EQ(KindOf(ParseJsonError(Json(503, "<html>busy</html>"))), AwsErrorKind::kServerError);
  EXPECT_EQ(ParseJsonError(Json(503, "")).message(), "HTTP 503");
  EXPECT_EQ(KindOf(ParseJsonError(Json(403, "[]"))), AwsErrorKind::kAccessDenied);
  EXPECT_EQ(KindOf(ParseJsonError(Json(429, "{\"__type\": 7}"))), AwsErrorKind::kThrottling);
  EXPECT_EQ(KindOf(ParseJsonError(Json(404, "{"))), AwsErrorKind::kNotFound);
  EXPECT_EQ(KindOf(ParseJsonError(Json(400, "{}"))), AwsErrorKind::kInvalidRequest);
}

TEST(JsonErrorTest, OrganizationsAndEcsCodes) {
  EXPECT_EQ(KindOf(ParseJsonError(Json(400, R"({"__type":"AWSOrganizationsNotInUseException"})"))),
            AwsErrorKind::kNotFound);
  EXPECT_EQ(KindOf(ParseJsonError(Json(400, R"({"__type":"ClusterNotFoundException"})"))),
            AwsErrorKind::kNotFound);
  EXPECT_EQ(KindOf(ParseJsonError(Json(500, R"({"__type":"ServerException"})"))),
            AwsErrorKind::kServerError);
  EXPECT_EQ(KindOf(ParseJsonError(Json(400, R"({"__type":"ClientException","message":"bad"})"))),
            AwsErrorKind::kInvalidRequest);
  EXPECT_EQ(KindOf(ParseJsonError(Json(400, R"({"__type":"UnrecognizedClientException"})"))),
            AwsErrorKind::kInvalidCredentials);
  EXPECT_EQ(KindOf(ParseJsonError(Json(400, R"({"__type":"ExpiredTokenException"})"))),
            AwsErrorKind::kExpiredToken);
}

TEST(XmlErrorTest, Ec2Errors) {
  Error e = ParseXmlError(MakeResponse(503, R"(<?xml version="1.0" encoding="UTF-8"?>
<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>ec2-req</RequestID></Response>)"));
  EXPECT_EQ(KindOf(e), AwsErrorKind::kThrottling);
  EXPECT_EQ(AwsDetailOf(e)->aws_code, "RequestLimitExceeded");
  EXPECT_EQ(AwsDetailOf(e)->request_id, "ec2-req");
  EXPECT_EQ(e.message(), "RequestLimitExceeded (HTTP 503): Request limit exceeded.");

  EXPECT_EQ(KindOf(ParseXmlError(MakeResponse(401,
                                              "<Response><Errors><Error><Code>OptInRequired</Code>"
                                              "</Error></Errors></Response>"))),
            AwsErrorKind::kOptInRequired);
  EXPECT_EQ(KindOf(ParseXmlError(MakeResponse(403,
                                              "<Response><Errors><Error><Code>UnauthorizedOperation"
                                              "</Code></Error></Errors></Response>"))),
            AwsErrorKind::kAccessDenied);
  EXPECT_EQ(KindOf(ParseXmlError(MakeResponse(400,
                                              "<Response><Errors><Error><Code>"
                                              "InvalidInstanceID.NotFound</Code></Error></Errors>"
                                              "</Response>"))),
            AwsErrorKind::kNotFound);
  EXPECT_EQ(KindOf(ParseXmlError(MakeResponse(401,
                                              "<Response><Errors><Error><Code>AuthFailure</Code>"
                                              "</Error></Errors></Response>"))),
            AwsErrorKind::kInvalidCredentials);
}

TEST(XmlErrorTest, QueryErrors) {
  Error e = ParseXmlError(
      MakeResponse(403, R"(<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error>
    <Type>Sender</Type>
    <Code>AccessDenied</Code>
    <Message>User: arn:aws:iam::123456789012:user/x is not authorized to perform: sts:AssumeRole</Message>
  </Error>
  <RequestId>sts-req</RequestId>
</ErrorResponse>)"));
  EXPECT_EQ(KindOf(e), AwsErrorKind::kAccessDenied);
  EXPECT_EQ(AwsDetailOf(e)->aws_code, "AccessDenied");
  EXPECT_EQ(AwsDetailOf(e)->request_id, "sts-req");
  EXPECT_NE(e.message().find("sts:AssumeRole"), std::string::npos);

  EXPECT_EQ(KindOf(ParseXmlError(MakeResponse(400,
                                              "<ErrorResponse><Error><Code>Throttling</Code>"
                                              "</Error></ErrorResponse>"))),
            AwsErrorKind::kThrottling);
  EXPECT_EQ(KindOf(ParseXmlError(MakeResponse(400,
                                              "<ErrorResponse><Error><Code>ExpiredToken</Code>"
                                              "</Error></ErrorResponse>"))),
            AwsErrorKind::kExpiredToken);
  EXPECT_EQ(KindOf(ParseXmlError(MakeResponse(400,
                                              "<ErrorResponse><Error><Code>LoadBalancerNotFound"
                                              "</Code></Error></ErrorResponse>"))),
            AwsErrorKind::kNotFound);
}

TEST(XmlErrorTest, GarbageStillGivesAKind) {
  Error e = ParseXmlError(MakeResponse(502, "<html>Bad Gateway"));
  EXPECT_EQ(KindOf(e), AwsErrorKind::kServerError);
  EXPECT_EQ(e.message(), "HTTP 502");
  EXPECT_EQ(KindOf(ParseXmlError(MakeResponse(400, "<Other/>"))), AwsErrorKind::kInvalidRequest);
  EXPECT_EQ(KindOf(ParseError(Protocol::kEc2, MakeResponse(500, ""))), AwsErrorKind::kServerError);
}

TEST(ErrorKindTest, RetryableKindsAndBaseCodes) {
  EXPECT_TRUE(IsRetryable(AwsErrorKind::kThrottling));
  EXPECT_TRUE(IsRetryable(AwsErrorKind::kServerError));
  EXPECT_TRUE(IsRetryable(AwsErrorKind::kNetwork));
  EXPECT_FALSE(IsRetryable(AwsErrorKind::kAccessDenied));
  EXPECT_FALSE(IsRetryable(AwsErrorKind::kExpiredToken));
  EXPECT_FALSE(IsRetryable(AwsErrorKind::kEndpoint));
  EXPECT_EQ(ClassifyAwsError("TooManyRequestsException", 400), AwsErrorKind::kThrottling);
  EXPECT_EQ(ClassifyAwsError("", 429), AwsErrorKind::kThrottling);
  EXPECT_EQ(ClassifyAwsError("RequestExpired", 400), AwsErrorKind::kClockSkew);
  EXPECT_EQ(ClassifyAwsError("SomethingNew", 500), AwsErrorKind::kServerError);
  EXPECT_EQ(BaseCodeFor(AwsErrorKind::kThrottling), ErrorCode::kIo);
  EXPECT_EQ(BaseCodeFor(AwsErrorKind::kNotFound), ErrorCode::kNotFound);
  EXPECT_EQ(BaseCodeFor(AwsErrorKind::kOptInRequired), ErrorCode::kUnsupported);
  EXPECT_EQ(AwsErrorKindName(AwsErrorKind::kOptInRequired), "opt_in_required");
}

// Two levels of propagation, by both macros: the AWS kind and details survive (an AwsResult
// propagated into a Result<T> used to keep only the base code and message).
Result<std::string> Throttled() {
  return AwsError(AwsErrorKind::kThrottling, "slow down", "ThrottlingException", 400, "rid-7");
}
Result<int> FirstLevel() {
  ASSIGN_OR_RETURN(std::string body, Throttled());
  return static_cast<int>(body.size());
}
Result<void> SecondLevel() {
  RETURN_IF_ERROR(FirstLevel());
  return Ok{};
}

TEST(ErrorKindTest, KindSurvivesTwoLevelsOfPropagation) {
  Result<void> r = SecondLevel();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kIo);
  EXPECT_EQ(r.error().message(), "slow down");
  EXPECT_EQ(KindOf(r.error()), AwsErrorKind::kThrottling);
  EXPECT_TRUE(IsRetryable(r.error()));
  ASSERT_NE(AwsDetailOf(r.error()), nullptr);
  EXPECT_EQ(AwsDetailOf(r.error())->aws_code, "ThrottlingException");
  EXPECT_EQ(AwsDetailOf(r.error())->http_status, 400);
  EXPECT_EQ(AwsDetailOf(r.error())->request_id, "rid-7");
  EXPECT_EQ(KindName(r.error()), "throttling");
}

TEST(ErrorKindTest, ErrorsFromElsewhereHaveNoKind) {
  Error local(ErrorCode::kParse, "bad");
  EXPECT_EQ(KindOf(local), std::nullopt);
  EXPECT_EQ(AwsDetailOf(local), nullptr);
  EXPECT_FALSE(IsRetryable(local));
  EXPECT_EQ(KindName(local), "parse_error");
}

TEST(EndpointTest, RegionalGlobalAndOverride) {
  EXPECT_EQ(ResolveEndpoint(kEcs, "eu-west-1").url, "https://ecs.eu-west-1.amazonaws.com");
  EXPECT_EQ(ResolveEndpoint(kElbv2, "us-east-2").url,
            "https://elasticloadbalancing.us-east-2.amazonaws.com");
  EXPECT_EQ(ResolveEndpoint(kEc2, "cn-north-1").url, "https://ec2.cn-north-1.amazonaws.com.cn");
  // Regression: the ISO-E and ISO-F partitions got amazonaws.com.
  EXPECT_EQ(ResolveEndpoint(kEcs, "eu-isoe-west-1").url,
            "https://ecs.eu-isoe-west-1.cloud.adc-e.uk");
  EXPECT_EQ(ResolveEndpoint(kEcs, "us-isof-south-1").url,
            "https://ecs.us-isof-south-1.csp.hci.ic.gov");
  Endpoint org = ResolveEndpoint(kOrganizations, "eu-west-1");
  EXPECT_EQ(org.url, "https://organizations.us-east-1.amazonaws.com");
  EXPECT_EQ(org.signing_region, "us-east-1");
  EXPECT_EQ(ResolveEndpoint(kOrganizations, "cn-north-1").url,
            "https://organizations.cn-northwest-1.amazonaws.com.cn");
  EXPECT_EQ(ResolveEndpoint(kOrganizations, "us-gov-east-1").signing_region, "us-gov-west-1");
  EXPECT_EQ(ResolveEndpoint(kSts, "eu-west-1").url, "https://sts.eu-west-1.amazonaws.com");
  EXPECT_EQ(ResolveEndpoint(kSts, "eu-west-1", "", /*sts_legacy=*/true).url,
            "https://sts.amazonaws.com");
  EXPECT_EQ(ResolveEndpoint(kSts, "ap-east-1", "", /*sts_legacy=*/true).url,
            "https://sts.ap-east-1.amazonaws.com");
  Endpoint global_sts = ResolveEndpoint(kSts, "");
  EXPECT_EQ(global_sts.url, "https://sts.amazonaws.com");
  EXPECT_EQ(global_sts.signing_region, "us-east-1");
  Endpoint local = ResolveEndpoint(kEcs, "eu-west-1", "http://localhost:5000/");
  EXPECT_EQ(local.url, "http://localhost:5000");
  EXPECT_EQ(local.signing_region, "eu-west-1");
}

TEST(EndpointTest, ConfiguredUrlPrecedence) {
  AwsConfig config;
  config.config_profiles["p"]["endpoint_url"] = "http://profile:1";
  MapEnvironment env;
  EXPECT_EQ(ConfiguredEndpointUrl(kEcs, "", env, config, "p"), "http://profile:1");
  env.Set("AWS_ENDPOINT_URL", "http://all:2");
  EXPECT_EQ(ConfiguredEndpointUrl(kEcs, "", env, config, "p"), "http://all:2");
  env.Set("AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2", "http://elb:3");
  EXPECT_EQ(ConfiguredEndpointUrl(kElbv2, "", env, config, "p"), "http://elb:3");
  EXPECT_EQ(ConfiguredEndpointUrl(kEcs, "", env, config, "p"), "http://all:2");
  EXPECT_EQ(ConfiguredEndpointUrl(kEcs, "http://flag:4", env, config, "p"), "http://flag:4");
  env.Set("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true");
  EXPECT_EQ(ConfiguredEndpointUrl(kElbv2, "", env, config, "p"), "");
  EXPECT_EQ(ConfiguredEndpointUrl(kElbv2, "http://flag:4", env, config, "p"), "http://flag:4");
}

TEST(RequestTest, JsonRequest) {
  HttpRequest r =
      JsonRequest(kEcs, ResolveEndpoint(kEcs, "eu-west-1"), "DescribeTasks", R"({"cluster":"c"})");
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.url, "https://ecs.eu-west-1.amazonaws.com/");
  EXPECT_EQ(FindHeader(r.headers, "X-Amz-Target").value_or(""),
            "AmazonEC2ContainerServiceV20141113.DescribeTasks");
  EXPECT_EQ(FindHeader(r.headers, "content-type").value_or(""), "application/x-amz-json-1.1");
  EXPECT_EQ(r.body, R"({"cluster":"c"})");
  EXPECT_EQ(
      JsonRequest(kOrganizations, ResolveEndpoint(kOrganizations, ""), "ListAccounts", "").body,
      "{}");
  EXPECT_EQ(FindHeader(JsonRequest(kOrganizations, {"http://h/x", "r"}, "ListAccounts", "").headers,
                       "X-Amz-Target")
                .value_or(""),
            "AWSOrganizationsV20161128.ListAccounts");
}

TEST(RequestTest, QueryRequestFlattensListsAndFilters) {
  QueryParams ec2;
  ec2.AddList("InstanceId", {"i-1", "i-2"})
      .AddFilter("tag:Name", {"web server", "a&b"})
      .AddFilter("instance-state-name", {"running"});
  HttpRequest r = QueryRequest(kEc2, ResolveEndpoint(kEc2, "eu-west-1"), "DescribeInstances", ec2);
  EXPECT_EQ(r.url, "https://ec2.eu-west-1.amazonaws.com/");
  EXPECT_EQ(FindHeader(r.headers, "Content-Type").value_or(""),
            "application/x-www-form-urlencoded; charset=utf-8");
  EXPECT_EQ(r.body,
            "Action=DescribeInstances&Version=2016-11-15&InstanceId.1=i-1&InstanceId.2=i-2&"
            "Filter.1.Name=tag%3AName&Filter.1.Value.1=web%20server&Filter.1.Value.2=a%26b&"
            "Filter.2.Name=instance-state-name&Filter.2.Value.1=running");

  QueryParams elb;
  elb.AddList("LoadBalancerArns.member", {"arn:aws:elasticloadbalancing:eu-west-1:1:lb/x"});
  EXPECT_EQ(QueryRequest(kElbv2, {"https://e", "r"}, "DescribeLoadBalancers", elb).body,
            "Action=DescribeLoadBalancers&Version=2015-12-01&LoadBalancerArns.member.1="
            "arn%3Aaws%3Aelasticloadbalancing%3Aeu-west-1%3A1%3Alb%2Fx");
  EXPECT_EQ(QueryRequest(kSts, {"https://e", "r"}, "GetCallerIdentity", {}).body,
            "Action=GetCallerIdentity&Version=2011-06-15");
}

TEST(RequestTest, QueryResultFindsTheResultElement) {
  Result<XmlElement> sts = ParseXml(
      "<GetCallerIdentityResponse><GetCallerIdentityResult><Account>123</Account>"
      "</GetCallerIdentityResult></GetCallerIdentityResponse>");
  ASSERT_TRUE(sts.ok());
  EXPECT_EQ(QueryResult(*sts, "GetCallerIdentity").ChildText("Account"), "123");
  Result<XmlElement> ec2 = ParseXml(
      "<DescribeRegionsResponse><regionInfo/>"
      "</DescribeRegionsResponse>");
  EXPECT_EQ(&QueryResult(*ec2, "DescribeRegions"), &*ec2);
}

TEST(UrlTest, ParsesWhatSigningNeeds) {
  Result<Url> u = ParseUrl("HTTPS://User@Example.COM:8443/a%20b/c?x=1&y#frag");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->scheme, "https");
  EXPECT_EQ(u->host, "example.com");
  EXPECT_EQ(u->port, 8443);
  EXPECT_EQ(u->path, "/a%20b/c");
  EXPECT_EQ(u->query, "x=1&y");
  EXPECT_EQ(u->HostHeader(), "example.com:8443");
  EXPECT_EQ(ParseUrl("https://h:443/")->HostHeader(), "h");
  EXPECT_EQ(ParseUrl("http://h:80")->HostHeader(), "h");
  EXPECT_EQ(ParseUrl("http://[::1]:8080/x")->HostHeader(), "[::1]:8080");
  EXPECT_EQ(ParseUrl("http://h?q=1")->path, "");
  EXPECT_EQ(ParseUrl("http://h?q=1")->query, "q=1");
  EXPECT_FALSE(ParseUrl("ftp://h/").ok());
  EXPECT_FALSE(ParseUrl("http:///x").ok());
  EXPECT_FALSE(ParseUrl("http://h:99999/").ok());
  EXPECT_FALSE(ParseUrl("h/x").ok());
}

TEST(UrlTest, Encoding) {
  EXPECT_EQ(UriEncode("a b/c~*"), "a%20b%2Fc~%2A");
  EXPECT_EQ(UriEncode("a b/c", /*keep_slash=*/true), "a%20b/c");
  EXPECT_EQ(UriEncode("\xE1\x88\xB4"), "%E1%88%B4");
  EXPECT_EQ(PercentDecode("a%20b%2fc+d%zz%4"), "a b/c+d%zz%4");
  EXPECT_EQ(FormEncode({{"k", "v 1"}, {"a=", "&"}}), "k=v%201&a%3D=%26");
}

}  // namespace
}  // namespace ecsguard::ingest::aws
