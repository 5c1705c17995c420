#pragma once

// ISO 8601 dates and times as text: the one reader and writer. Every time the project writes is
// UTC to the second, "2026-11-28T22:21:39Z"; every date is "2026-11-28". The readers accept what
// AWS, awscli and people write (fractions, offsets, "UTC") and reject dates that do not exist.
//
//   auto expires = ParseIsoDate("2026-02-30");           // nothing: February has no 30th
//   auto t = ParseIsoTimestamp("2024-05-10T14:23:11.5+02:00");
//   FormatIso8601(*t);                                    // "2024-05-10T12:23:11Z"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"

namespace ecsguard {

// A calendar date "YYYY-MM-DD", exactly; nothing for anything else, including 2026-02-30.
std::optional<std::chrono::year_month_day> ParseIsoDate(std::string_view text);
// "YYYY-MM-DD", the year padded to four digits.
std::string FormatIsoDate(std::chrono::year_month_day date);

// An ISO 8601 / RFC 3339 date-time: "YYYY-MM-DD", 'T' (or 't' or a space), "hh:mm:ss", an
// optional fraction after '.' or ',' (kept to the millisecond, the rest dropped), and a zone:
// "Z", "z", "UTC" (AWS SSO caches write it), "+hh", "+hhmm", "+hh:mm" (or '-'), or none, which
// means UTC. Second 60 (a leap second) is accepted as the next minute's first. Nothing for
// anything else, including dates that do not exist and offsets beyond 23:59.
std::optional<std::chrono::sys_time<std::chrono::milliseconds>> ParseIsoTimestamp(
    std::string_view text);

// "2026-11-28T22:21:39Z": UTC, to the second (a fraction is dropped), four-digit year.
std::string FormatIso8601(std::chrono::sys_seconds t);
inline std::string FormatIso8601(std::chrono::system_clock::time_point t) {
  return FormatIso8601(std::chrono::floor<std::chrono::seconds>(t));
}

// A length of time in whole days as people write it on the command line: "30", "30d", or "2w"
// (weeks, 14 days), the number from 0 to 100000. Anything else is kInvalidArgument, its message
// saying what is expected. (Not a date: a date is ParseIsoDate.)
Result<int> ParseDays(std::string_view text);

}  // namespace ecsguard
