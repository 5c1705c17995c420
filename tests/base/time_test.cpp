#include "base/time.h"

#include <gtest/gtest.h>

#include <optional>
#include <string_view>

namespace ecsguard {
namespace {

using std::chrono::milliseconds;
using std::chrono::sys_days;
using std::chrono::sys_seconds;
using std::chrono::sys_time;
using namespace std::chrono_literals;

TEST(TimeTest, IsoDates) {
  struct Case {
    std::string_view text;
    bool valid;
  };
  const Case cases[] = {
      {"2026-11-28", true},   {"2028-02-29", true},  // leap year
      {"2000-02-29", true},                          // divisible by 400: leap
      {"1900-02-29", false},                         // divisible by 100: not
      {"2026-02-29", false},  {"2026-02-30", false},
      {"2026-04-31", false},  {"2026-13-01", false},
      {"2026-00-10", false},  {"2026-01-00", false},
      {"2026-1-10", false},   {"20261110", false},
      {"2026-11-1x", false},  {"2026-11-28T00:00:00Z", false},  // a time is not a date
      {" 2026-11-28", false}, {"", false},
  };
  for (const Case& c : cases) EXPECT_EQ(ParseIsoDate(c.text).has_value(), c.valid) << c.text;
  EXPECT_EQ(FormatIsoDate(*ParseIsoDate("0999-01-02")), "0999-01-02");
  EXPECT_EQ(FormatIsoDate(*ParseIsoDate("2028-02-29")), "2028-02-29");
}

TEST(TimeTest, IsoTimestamps) {
  constexpr sys_time<milliseconds> kT0 = sys_days{2026y / 1 / 15} + 9h;
  struct Case {
    std::string_view text;
    std::optional<sys_time<milliseconds>> expected;
  };
  const Case cases[] = {
      {"2026-01-15T09:00:00Z", kT0},
      {"2026-01-15t09:00:00z", kT0},
      {"2026-01-15 09:00:00", kT0},  // no zone: UTC
      {"2026-01-15T09:00:00UTC", kT0},
      {"2026-01-15T09:00:00.123456Z", kT0 + 123ms},
      {"2026-01-15T09:00:00,5Z", kT0 + 500ms},
      {"2026-01-15T10:30:00+01:30", kT0},
      {"2026-01-15T10:30:00+0130", kT0},
      {"2026-01-15T07:00:00-02", kT0},
      {"2026-01-15T08:59:60Z", kT0},  // a leap second
      {"2024-02-28T23:00:00-0200", sys_days{2024y / 2 / 29} + 1h},
      {"1970-01-01T00:00:00Z", sys_days{}},
      {"1969-12-31T23:59:59Z", sys_days{} - 1s},
      {"2026-02-30T00:00:00Z", std::nullopt},
      {"2023-02-29T00:00:00Z", std::nullopt},
      {"2026-01-15T24:00:00Z", std::nullopt},
      {"2026-01-15T09:60:00Z", std::nullopt},
      {"2026-01-15T09:00:61Z", std::nullopt},
      {"2026-01-15T09:00:00.Z", std::nullopt},
      {"2026-01-15T09:00:00+1", std::nullopt},
      {"2026-01-15T09:00:00+24:00", std::nullopt},
      {"2026-01-15T09:00:00+01:60", std::nullopt},
      {"2026-01-15T09:00:00Zjunk", std::nullopt},
      {"2026-01-15T09:00", std::nullopt},
      {"2026-01-15", std::nullopt},
      {"yesterday", std::nullopt},
      {"", std::nullopt},
  };
  for (const Case& c : cases) EXPECT_EQ(ParseIsoTimestamp(c.text), c.expected) << c.text;
}

TEST(TimeTest, FormatsUtcToTheSecond) {
  EXPECT_EQ(FormatIso8601(sys_seconds{}), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatIso8601(sys_days{2028y / 2 / 29} + 23h + 59min + 59s), "2028-02-29T23:59:59Z");
  EXPECT_EQ(FormatIso8601(sys_seconds{} - 2s), "1969-12-31T23:59:58Z");
  // Years a nanosecond system_clock cannot hold, padded to four digits.
  EXPECT_EQ(FormatIso8601(sys_days{9999y / 12 / 31} + 86399s), "9999-12-31T23:59:59Z");
  EXPECT_EQ(FormatIso8601(sys_seconds{sys_days{999y / 1 / 2}}), "0999-01-02T00:00:00Z");
  // A fraction is dropped, not rounded.
  std::chrono::system_clock::time_point t = sys_days{2026y / 11 / 28} + 22h + 21min + 39999ms;
  EXPECT_EQ(FormatIso8601(t), "2026-11-28T22:21:39Z");
  EXPECT_EQ(FormatIso8601(*ParseIsoTimestamp("2024-05-10T14:23:11.5+02:00")),
            "2024-05-10T12:23:11Z");
}

TEST(TimeTest, ParseDaysIsALengthInDays) {
  struct Case {
    std::string_view text;
    int days;
  };
  const Case cases[] = {{"0", 0}, {"14", 14}, {"14d", 14}, {"2w", 14}, {"100000", 100000}};
  for (const Case& c : cases) {
    Result<int> days = ParseDays(c.text);
    ASSERT_TRUE(days.ok()) << c.text;
    EXPECT_EQ(*days, c.days) << c.text;
  }
  for (std::string_view bad : {"", "d", "w", "-1", "+3", "1.5", "14 d", "14days", "100001",
                               "2026-11-28", "99999999999999"}) {
    Result<int> days = ParseDays(bad);
    ASSERT_FALSE(days.ok()) << bad;
    EXPECT_EQ(days.error().code(), ErrorCode::kInvalidArgument) << bad;
  }
  EXPECT_EQ(ParseDays("soon").error().message(),
            "expected days such as 14d, 2w or 30, not \"soon\"");
}

}  // namespace
}  // namespace ecsguard
