// SigV4, stage by stage, on AWS's published signing examples (data/sigv4, see data/README.md):
// canonical request, string to sign, signature, Authorization header, with a fixed time.

#include "ingest/aws/sigv4.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>

#include "base/strings.h"
#include "support.h"

namespace ecsguard::ingest::aws {
namespace {

using namespace std::chrono_literals;

// 2015-08-30T12:36:00Z, the suite's signing time.
const std::chrono::system_clock::time_point kSuiteTime =
    std::chrono::sys_days{std::chrono::year{2015} / 8 / 30} + 12h + 36min;
constexpr char kAccessKey[] = "AKIDEXAMPLE";
constexpr char kSecretKey[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

std::string SuiteDir() { return testing::SourcePath("tests/ingest/aws/data/sigv4"); }

std::string ReadCase(const std::string& name, const std::string& ext) {
  return testing::ReadFileOrDie(SuiteDir() + "/" + name + "/" + name + "." + ext);
}

// "GET /path?query HTTP/1.1\nName:value\n...\n\nbody" -> HttpRequest.
HttpRequest ParseSuiteRequest(const std::string& text) {
  HttpRequest request;
  size_t blank = text.find("\n\n");
  std::string head = text.substr(0, blank);
  if (blank != std::string::npos) request.body = text.substr(blank + 2);
  std::vector<std::string_view> lines = Split(head, '\n');
  std::string_view first = lines[0];
  request.method = std::string(first.substr(0, first.find(' ')));
  std::string_view target = first.substr(first.find(' ') + 1);
  target = target.substr(0, target.rfind(' '));
  request.url = "https://example.amazonaws.com" + std::string(target);
  for (size_t i = 1; i < lines.size(); ++i) {
    size_t colon = lines[i].find(':');
    request.headers.emplace_back(std::string(lines[i].substr(0, colon)),
                                 std::string(lines[i].substr(colon + 1)));
  }
  return request;
}

SigningParams SuiteParams() { return SigningParams{"us-east-1", "service", kSuiteTime}; }

std::vector<std::string> SuiteCases() {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(SuiteDir())) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

class SigV4SuiteTest : public ::testing::TestWithParam<std::string> {};

TEST_P(SigV4SuiteTest, CanonicalRequest) {
  HttpRequest request = ParseSuiteRequest(ReadCase(GetParam(), "req"));
  Result<std::string> canonical = CanonicalRequest(request, SuiteParams());
  ASSERT_TRUE(canonical.ok()) << canonical.error().ToString();
  EXPECT_EQ(*canonical, ReadCase(GetParam(), "creq"));
}

TEST_P(SigV4SuiteTest, StringToSign) {
  EXPECT_EQ(StringToSign(SuiteParams(), ReadCase(GetParam(), "creq")), ReadCase(GetParam(), "sts"));
}

TEST_P(SigV4SuiteTest, Signature) {
  std::string authz = ReadCase(GetParam(), "authz");
  std::string expected = authz.substr(authz.rfind("Signature=") + 10);
  EXPECT_EQ(Signature(SigningKey(kSecretKey, SuiteParams()), ReadCase(GetParam(), "sts")),
            expected);
}

TEST_P(SigV4SuiteTest, AuthorizationHeader) {
  HttpRequest request = ParseSuiteRequest(ReadCase(GetParam(), "req"));
  Credentials credentials{kAccessKey, kSecretKey};
  // "header-before": the token is part of the request and signed; "header-after" adds it
  // after signing, which Sign never does, so that case signs without one.
  if (auto token = FindHeader(request.headers, "X-Amz-Security-Token")) {
    credentials.session_token = std::string(*token);
  }
  ASSERT_TRUE(Sign(&request, credentials, SuiteParams()).ok());
  EXPECT_EQ(FindHeader(request.headers, "Authorization").value_or(""),
            ReadCase(GetParam(), "authz"));
  EXPECT_EQ(FindHeader(request.headers, "X-Amz-Date").value_or(""), "20150830T123600Z");
}

INSTANTIATE_TEST_SUITE_P(AwsSuite, SigV4SuiteTest, ::testing::ValuesIn(SuiteCases()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param;
                           std::erase(name, '-');
                           return name;
                         });

TEST(SigV4Test, SuiteIsPresent) { EXPECT_EQ(SuiteCases().size(), 29u); }

// The IAM ListUsers example from the AWS documentation's signing walk-through.
TEST(SigV4Test, IamListUsersWalkthrough) {
  SigningParams params{"us-east-1", "iam", kSuiteTime};
  HttpRequest request;
  request.url = "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08";
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
  ASSERT_TRUE(Sign(&request, Credentials{kAccessKey, kSecretKey}, params).ok());
  EXPECT_EQ(*CanonicalRequest(request, params),
            "GET\n/\nAction=ListUsers&Version=2010-05-08\n"
            "content-type:application/x-www-form-urlencoded; charset=utf-8\n"
            "host:iam.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
            "content-type;host;x-amz-date\n"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(CredentialScope(params), "20150830/us-east-1/iam/aws4_request");
  EXPECT_EQ(HexEncode(SigningKey(kSecretKey, params)),
            "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9");
  EXPECT_EQ(FindHeader(request.headers, "Authorization").value_or(""),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
            "SignedHeaders=content-type;host;x-amz-date, "
            "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
  EXPECT_EQ(FindHeader(request.headers, "Host").value_or(""), "iam.amazonaws.com");
}

TEST(SigV4Test, CanonicalUriDoubleEncodesAndNormalises) {
  EXPECT_EQ(CanonicalUri("", true, true), "/");
  EXPECT_EQ(CanonicalUri("/a%20b/", true, true), "/a%2520b/");
  EXPECT_EQ(CanonicalUri("/a/./b/../c//d", true, true), "/a/c/d");
  EXPECT_EQ(CanonicalUri("/..", true, true), "/");
  EXPECT_EQ(CanonicalUri("/%E1%88%B4", true, true), "/%25E1%2588%25B4");
  // S3's rules: the wire path, untouched.
  EXPECT_EQ(CanonicalUri("/a//b/../%20", false, false), "/a//b/../%20");
}

TEST(SigV4Test, CanonicalQueryStringSortsEncodedPairs) {
  EXPECT_EQ(CanonicalQueryString(""), "");
  EXPECT_EQ(CanonicalQueryString("b=2&a=1&a=0"), "a=0&a=1&b=2");
  EXPECT_EQ(CanonicalQueryString("flag&x="), "flag=&x=");
  EXPECT_EQ(CanonicalQueryString("k=a%2fb&k2=a b+c"), "k=a%2Fb&k2=a%20b%2Bc");
  EXPECT_EQ(CanonicalQueryString("%7e=%41"), "~=A");
  // Sorted by the encoded key: "%2A" (for '*') sorts before "A".
  EXPECT_EQ(CanonicalQueryString("A=1&*=2"), "%2A=2&A=1");
}

TEST(SigV4Test, HeadersAreFoldedAndHopByHopOnesUnsigned) {
  CanonicalHeaders h = CanonicalizeHeaders({{"X-B", "  two   words\t here "},
                                            {"x-a", "1"},
                                            {"X-A", "2"},
                                            {"User-Agent", "ecsguard"},
                                            {"Connection", "keep-alive"}},
                                           "example.com:8443");
  EXPECT_EQ(h.canonical, "host:example.com:8443\nx-a:1,2\nx-b:two words here\n");
  EXPECT_EQ(h.signed_headers, "host;x-a;x-b");
}

TEST(SigV4Test, SignReplacesEarlierSigningHeaders) {
  HttpRequest request;
  request.method = "POST";
  request.url = "https://sts.amazonaws.com/";
  request.headers = {{"Authorization", "stale"},
                     {"X-Amz-Date", "19990101T000000Z"},
                     {"X-Amz-Security-Token", "old"}};
  Credentials credentials{"AKID", "SECRET", "TOKEN"};
  SigningParams params{"us-east-1", "sts", kSuiteTime};
  params.add_content_sha256_header = true;
  ASSERT_TRUE(Sign(&request, credentials, params).ok());
  ASSERT_TRUE(Sign(&request, credentials, params).ok());  // a retry signs again
  int authorizations = 0;
  for (const auto& [name, value] : request.headers) authorizations += name == "Authorization";
  EXPECT_EQ(authorizations, 1);
  EXPECT_EQ(FindHeader(request.headers, "X-Amz-Date").value_or(""), "20150830T123600Z");
  EXPECT_EQ(FindHeader(request.headers, "X-Amz-Security-Token").value_or(""), "TOKEN");
  EXPECT_EQ(FindHeader(request.headers, "X-Amz-Content-Sha256").value_or(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  std::string authorization(FindHeader(request.headers, "Authorization").value_or(""));
  EXPECT_NE(authorization.find("SignedHeaders=host;x-amz-content-sha256;x-amz-date;"
                               "x-amz-security-token,"),
            std::string::npos);
  EXPECT_EQ(authorization.find("SECRET"), std::string::npos);
}

TEST(SigV4Test, SignRejectsUnparsableUrl) {
  HttpRequest request;
  request.url = "not a url";
  Result<void> r = Sign(&request, Credentials{"A", "S"}, SuiteParams());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
}

TEST(SigV4Test, AmzDateIsUtc) {
  EXPECT_EQ(AmzDate(kSuiteTime), "20150830T123600Z");
  EXPECT_EQ(AmzDate(std::chrono::system_clock::time_point{}), "19700101T000000Z");
}

}  // namespace
}  // namespace ecsguard::ingest::aws
