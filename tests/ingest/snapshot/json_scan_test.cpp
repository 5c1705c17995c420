#include "ingest/snapshot/json_scan.h"

#include <gtest/gtest.h>

#include <string>

#include "ingest/snapshot/timestamps.h"

namespace ecsguard::ingest::snapshot_internal {
namespace {

using Status = ValueScanner::Status;

// Feeds `text` one byte at a time; returns the value's size, or -1 on error / need more.
int64_t FrameBytewise(std::string_view text) {
  ValueScanner scanner;
  for (size_t i = 0; i < text.size(); ++i) {
    ValueScanner::Step step = scanner.Feed(text.substr(i, 1));
    if (step.status == Status::kDone) return static_cast<int64_t>(scanner.size());
    if (step.status == Status::kError) return -1;
  }
  return scanner.Finish() == Status::kDone ? static_cast<int64_t>(scanner.size()) : -1;
}

TEST(ValueScannerTest, FramesOneValue) {
  std::string_view text = R"({"a": "}]\"{", "b": [1, {"c": "\\"}]} {"next": 1})";
  ValueScanner scanner;
  ValueScanner::Step step = scanner.Feed(text);
  EXPECT_EQ(step.status, Status::kDone);
  EXPECT_EQ(step.consumed, text.find(" {\"next\""));
  EXPECT_EQ(FrameBytewise(text), static_cast<int64_t>(text.find(" {\"next\"")));
}

TEST(ValueScannerTest, ScalarsAndStrings) {
  EXPECT_EQ(FrameBytewise(R"("a\"b" rest)"), 6);
  EXPECT_EQ(FrameBytewise("12345"), 5);  // ends with the input
  EXPECT_EQ(FrameBytewise("true,"), 4);
  EXPECT_EQ(FrameBytewise("[1, 2"), -1);   // truncated
  EXPECT_EQ(FrameBytewise("\"open"), -1);  // truncated string
  ValueScanner bad;
  ValueScanner::Step step = bad.Feed("}");
  EXPECT_EQ(step.status, Status::kError);
  EXPECT_EQ(step.consumed, 0u);
  EXPECT_STREQ(bad.error(), "expected a JSON value");
}

TEST(ValueScannerTest, DepthLimit) {
  std::string deep(kMaxDepth, '[');
  ValueScanner ok;
  EXPECT_EQ(ok.Feed(deep + std::string(kMaxDepth, ']')).status, Status::kDone);
  ValueScanner too_deep;
  ValueScanner::Step step = too_deep.Feed(deep + "[");
  EXPECT_EQ(step.status, Status::kError);
  EXPECT_EQ(step.consumed, kMaxDepth);
  EXPECT_STREQ(too_deep.error(), "nesting deeper than 1024 levels");
}

struct Case {
  std::string text;
  size_t offset;
  std::string message;
};

TEST(FindSyntaxErrorTest, AcceptsValidJson) {
  for (std::string_view ok :
       {R"({})", R"([])", R"( {"a": [1, -2.5e+3, true, false, null, "\u00e9\n"]} )", "\"x\"", "0",
        R"({"k": {"k": []}})", "\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\""}) {
    EXPECT_FALSE(FindSyntaxError(ok).has_value()) << ok;
  }
}

TEST(FindSyntaxErrorTest, FindsTheFirstError) {
  const Case cases[] = {
      {"", 0, "no JSON value"},
      {"   ", 3, "no JSON value"},
      {"{", 1, "unexpected end of input: unclosed object"},
      {"[1,", 3, "unexpected end of input: unclosed array"},
      {R"({"a" 1})", 5, "expected ':' after a member name"},
      {R"({"a": 1,})", 8, "expected a member name in double quotes"},
      {R"({"a": 1 "b": 2})", 8, "expected ',' or '}' after an object member"},
      {"[1 2]", 3, "expected ',' or ']' after an array element"},
      {"[1,]", 3, "unexpected character: expected a JSON value"},
      {"[01]", 1, "invalid number"},
      {"[1.]", 1, "invalid number"},
      {"[12x]", 1, "invalid number"},
      {"[tru]", 1, "invalid literal (expected true, false or null)"},
      {"[nulls]", 1, "invalid literal (expected true, false or null)"},
      {R"(["a\q"])", 3, "invalid escape sequence in a string"},
      {R"(["\u12G4"])", 2, "invalid \\u escape in a string"},
      {"[\"a\x01\"]", 3, "unescaped control character in a string"},
      {"[\"a\xC3(\"]", 3, "invalid UTF-8 in a string"},
      {"[\"\xED\xA0\x80\"]", 2, "invalid UTF-8 in a string"},  // a UTF-16 surrogate
      {"[\"abc", 1, "unterminated string"},
      {"{} {}", 3, "unexpected content after the JSON value"},
      {"]", 0, "unexpected character: expected a JSON value"},
  };
  for (const Case& c : cases) {
    auto error = FindSyntaxError(c.text);
    ASSERT_TRUE(error.has_value()) << c.text;
    EXPECT_EQ(error->offset, c.offset) << c.text;
    EXPECT_EQ(error->message, c.message) << c.text;
  }
  std::string deep = std::string(kMaxDepth + 1, '[') + std::string(kMaxDepth + 1, ']');
  auto error = FindSyntaxError(deep);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->offset, kMaxDepth);
  EXPECT_STREQ(error->message, "nesting deeper than 1024 levels");
}

TEST(FindSyntaxErrorTest, NumbersAsJsonSpellsThem) {
  for (std::string_view ok : {"0", "-0", "10", "1.5", "-1.5e10", "2E-3", "1e+2"}) {
    EXPECT_TRUE(IsJsonNumber(ok)) << ok;
  }
  for (std::string_view bad : {"", "-", "+1", "01", ".5", "1.", "1e", "1e+", "0x10", "1 "}) {
    EXPECT_FALSE(IsJsonNumber(bad)) << bad;
  }
}

TEST(TimestampsTest, Iso8601ToUtc) {
  std::string out;
  const std::pair<const char*, const char*> cases[] = {
      {"2024-05-10T14:23:11.123000+02:00", "2024-05-10T12:23:11Z"},
      {"2024-05-10T14:23:11+00:00", "2024-05-10T14:23:11Z"},
      {"2024-05-10T14:23:11Z", "2024-05-10T14:23:11Z"},
      {"2024-05-10 14:23:11", "2024-05-10T14:23:11Z"},  // no zone: UTC
      {"2024-01-01T00:30:00+01:00", "2023-12-31T23:30:00Z"},
      {"2024-02-28T23:00:00-0200", "2024-02-29T01:00:00Z"},
  };
  for (const auto& [in, expected] : cases) {
    ASSERT_TRUE(NormalizeIso8601(in, &out)) << in;
    EXPECT_EQ(out, expected) << in;
  }
  for (std::string_view bad :
       {"", "yesterday", "2024-05-10", "2024-13-01T00:00:00Z", "2023-02-29T00:00:00Z",
        "2024-05-10T25:00:00Z", "2024-05-10T10:00:00+25:00", "2024-05-10T10:00:00Zjunk",
        "0999-01-01T00:00:00Z"}) {
    EXPECT_FALSE(NormalizeIso8601(bad, &out)) << bad;
  }
}

TEST(TimestampsTest, EpochSecondsToUtc) {
  std::string out;
  ASSERT_TRUE(EpochToIso8601(1715343791.999, &out));
  EXPECT_EQ(out, "2024-05-10T12:23:11Z");
  ASSERT_TRUE(EpochToIso8601(0, &out));
  EXPECT_EQ(out, "1970-01-01T00:00:00Z");
  ASSERT_TRUE(EpochToIso8601(-1.5, &out));
  EXPECT_EQ(out, "1969-12-31T23:59:58Z");
  // Regression: years past 2262 overflowed the nanosecond clock on the way to the text.
  ASSERT_TRUE(EpochToIso8601(32503680000, &out));
  EXPECT_EQ(out, "3000-01-01T00:00:00Z");
  ASSERT_TRUE(NormalizeIso8601("9999-12-31T23:59:59Z", &out));
  EXPECT_EQ(out, "9999-12-31T23:59:59Z");
  EXPECT_FALSE(EpochToIso8601(1e300, &out));
  EXPECT_FALSE(EpochToIso8601(std::numeric_limits<double>::quiet_NaN(), &out));
  EXPECT_FALSE(EpochToIso8601(-1e12, &out));
}

}  // namespace
}  // namespace ecsguard::ingest::snapshot_internal
