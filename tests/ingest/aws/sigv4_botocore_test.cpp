// Differential test: our signer against botocore's SigV4Auth on a few hundred generated
// requests (awkward paths, repeated and reserved query parameters, untidy headers, bodies, with
// and without a session token), compared byte for byte. Skipped when botocore is not installed.

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "ingest/aws/sigv4.h"
#include "ingest/aws/url.h"
#include "support.h"

namespace ecsguard::ingest::aws {
namespace {

constexpr int kRequests = 400;

class Gen {
 public:
  explicit Gen(uint32_t seed) : rng_(seed) {}

  int Int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool Chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[static_cast<size_t>(Int(0, static_cast<int>(v.size()) - 1))];
  }
  std::string Chars(std::string_view alphabet, int lo, int hi) {
    std::string out;
    for (int n = Int(lo, hi); n > 0; --n) out += alphabet[Int(0, alphabet.size() - 1)];
    return out;
  }

  // Percent-encodes what must be, and sometimes what need not be, in either hex case.
  std::string WireEncode(std::string_view raw) {
    static constexpr std::string_view kMustEncode = "&=#% ";
    std::string out;
    for (unsigned char c : raw) {
      bool must = c >= 0x80 || c < 0x20 || kMustEncode.find(c) != std::string_view::npos;
      if (!must && !Chance(0.2)) {
        out += static_cast<char>(c);
      } else {
        out += Chance(0.5) ? fmt::format("%{:02X}", c) : fmt::format("%{:02x}", c);
      }
    }
    return out;
  }

 private:
  std::mt19937 rng_;
};

struct Case {
  nlohmann::json spec;
  HttpRequest request;
  Credentials credentials;
  SigningParams params;
};

Case Generate(Gen& g) {
  static const std::vector<std::string> kMethods = {"GET",  "POST",  "PUT", "DELETE",
                                                    "HEAD", "PATCH", "get"};
  static const std::vector<std::string> kOrigins = {
      "https://example.amazonaws.com", "https://ECS.us-east-1.AmazonAWS.com",
      "http://localhost:4566",         "https://example.amazonaws.com:443",
      "http://127.0.0.1:8080",         "https://[::1]:8443"};
  static const std::vector<std::string> kSegments = {
      "a",           "Example",      "x-y_z.~", "with space", "%20",     "%2F",
      "caf\xC3\xA9", "\xE1\x88\xB4", ".",       "..",         "",        "!$'()*+,;=:@",
      "a%25b",       "100%",         "UPPER",   "12345",      "dots...", "%7e"};
  static const std::vector<std::string> kKeys = {"Action",
                                                 "a",
                                                 "A",
                                                 "b",
                                                 "key with space",
                                                 "k&y",
                                                 "=eq",
                                                 "\xE1\x88\xB4",
                                                 "\xC3\xA9",
                                                 "*",
                                                 "~tilde",
                                                 "Filter.1.Name",
                                                 "x+y",
                                                 "%",
                                                 "",
                                                 "Version",
                                                 "a/b"};
  static const std::vector<std::string> kValues = {
      "",           "v",    "V",     "value with spaces",
      "a&b=c",      "100%", "+plus", "\xE1\x88\xB4",
      "/slash/",    "~-._", "*!'()", "DescribeTasks",
      "2016-11-15", "x=y=z"};
  static const std::vector<std::string> kHeaderNames = {
      "Content-Type", "X-Amz-Target", "My-Header1", "x-custom",
      "X-MIXED-Case", "Accept",       "User-Agent", "Expect"};
  static const std::vector<std::string> kHeaderValues = {
      "value",
      "  padded  ",
      "a   b\t\tc",
      "",
      "application/x-amz-json-1.1",
      "UPPER lower",
      "tab\there",
      "\ttrailing\t",
      "q\"uoted\"  x",
      "100-continue",
      "AmazonEC2ContainerServiceV20141113.DescribeTasks"};
  static const std::vector<std::string> kRegions = {"us-east-1", "eu-west-1", "ap-southeast-2",
                                                    "cn-north-1", "us-gov-west-1"};
  static const std::vector<std::string> kServices = {
      "ecs", "ec2", "sts", "elasticloadbalancing", "organizations", "service"};
  constexpr std::string_view kKeyChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  constexpr std::string_view kSecretChars =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";

  Case c;
  std::string method = g.Pick(kMethods);
  std::string origin = g.Pick(kOrigins);

  std::string path;
  for (int n = g.Int(0, 5); n > 0; --n) path += "/" + g.Pick(kSegments);
  if (g.Chance(0.3)) path += "/";
  if (!path.empty() && path.back() == ' ') path += "x";  // urlsplit strips trailing spaces

  nlohmann::json query = nlohmann::json::array();
  std::string wire_query;
  for (int n = g.Int(0, 5); n > 0; --n) {
    std::string key = g.Pick(kKeys);
    std::string value = g.Pick(kValues);
    query.push_back({key, value});
    if (!wire_query.empty()) wire_query += '&';
    wire_query += g.WireEncode(key) + "=" + g.WireEncode(value);
  }

  nlohmann::json headers = nlohmann::json::array();
  for (int n = g.Int(0, 6); n > 0; --n) {
    std::string name = g.Pick(kHeaderNames);
    std::string value = g.Pick(kHeaderValues);
    headers.push_back({name, value});
    c.request.headers.emplace_back(name, value);
  }
  if (g.Chance(0.1)) {
    headers.push_back({"Host", "example.amazonaws.com"});
    c.request.headers.emplace_back("Host", "example.amazonaws.com");
  }
  if (g.Chance(0.05)) {
    headers.push_back({"X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD"});
    c.request.headers.emplace_back("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD");
  }

  switch (g.Int(0, 3)) {
    case 0:
      break;
    case 1:
      c.request.body = "{}";
      break;
    case 2:
      c.request.body = "Action=DescribeInstances&Version=2016-11-15";
      break;
    default:
      for (int n = g.Int(1, 40); n > 0; --n) c.request.body += static_cast<char>(g.Int(0, 255));
  }

  c.credentials.access_key_id = "AKID" + g.Chars(kKeyChars, 12, 16);
  c.credentials.secret_access_key = g.Chars(kSecretChars, 40, 40);
  if (g.Chance(0.5)) c.credentials.session_token = g.Chars(kSecretChars, 20, 300);

  auto time = std::chrono::system_clock::time_point(
      std::chrono::seconds(g.Int(1420070400, 2051222400)));  // 2015 .. 2035
  c.params = SigningParams{g.Pick(kRegions), g.Pick(kServices), time};

  c.request.method = method;
  c.request.url = origin + path + (wire_query.empty() ? "" : "?" + wire_query);

  c.spec = {{"method", method},
            {"origin", origin},
            {"path", path},
            {"query", query},
            {"headers", headers},
            {"body_hex", HexEncode(c.request.body)},
            {"access_key", c.credentials.access_key_id},
            {"secret_key", c.credentials.secret_access_key},
            {"token", c.credentials.session_token},
            {"region", c.params.region},
            {"service", c.params.service},
            {"timestamp", AmzDate(time)}};
  return c;
}

bool BotocoreAvailable() {
  return std::system("python3 -c 'import botocore' >/dev/null 2>&1") == 0;
}

TEST(SigV4BotocoreTest, MatchesBotocoreOnGeneratedRequests) {
  if (!BotocoreAvailable()) GTEST_SKIP() << "python3 with botocore is not installed";

  Gen gen(20150830);
  std::vector<Case> cases;
  for (int i = 0; i < kRequests; ++i) cases.push_back(Generate(gen));

  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / fmt::format("ecsguard-sigv4-{}", ::getpid());
  std::filesystem::create_directories(dir);
  {
    std::ofstream in(dir / "requests.jsonl");
    for (const Case& c : cases) in << c.spec.dump() << "\n";
  }
  std::string command = fmt::format(
      "python3 '{}' '{}' '{}'", testing::SourcePath("tests/ingest/aws/botocore_sign.py"),
      (dir / "requests.jsonl").string(), (dir / "signed.jsonl").string());
  ASSERT_EQ(std::system(command.c_str()), 0) << command;

  std::ifstream out(dir / "signed.jsonl");
  std::string line;
  int compared = 0;
  int with_token = 0;
  for (Case& c : cases) {
    ASSERT_TRUE(std::getline(out, line)) << "botocore answered " << compared << " requests";
    nlohmann::json expected = nlohmann::json::parse(line);
    ASSERT_TRUE(Sign(&c.request, c.credentials, c.params).ok()) << c.request.url;
    std::string ours(FindHeader(c.request.headers, "Authorization").value_or(""));
    EXPECT_EQ(ours, expected["authorization"].get<std::string>())
        << "request: " << c.spec.dump() << "\nours:\n"
        << CanonicalRequest(c.request, c.params).value() << "\nbotocore:\n"
        << expected["canonical_request"].get<std::string>();
    ++compared;
    with_token += !c.credentials.session_token.empty();
  }
  EXPECT_EQ(compared, kRequests);
  EXPECT_GT(with_token, kRequests / 4);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace ecsguard::ingest::aws
