#include "base/time.h"

#include <fmt/format.h>

#include <charconv>

namespace ecsguard {
namespace {

namespace chrono = std::chrono;

// Reads exactly `width` digits at text[*i].
bool Digits(std::string_view text, size_t* i, size_t width, int* out) {
  if (*i + width > text.size()) return false;
  int v = 0;
  for (size_t k = 0; k < width; ++k) {
    char c = text[*i + k];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *i += width;
  *out = v;
  return true;
}

bool Expect(std::string_view text, size_t* i, char c) {
  if (*i >= text.size() || text[*i] != c) return false;
  ++*i;
  return true;
}

std::optional<chrono::year_month_day> ReadDate(std::string_view text, size_t* i) {
  int year, month, day;
  if (!Digits(text, i, 4, &year) || !Expect(text, i, '-') || !Digits(text, i, 2, &month) ||
      !Expect(text, i, '-') || !Digits(text, i, 2, &day)) {
    return std::nullopt;
  }
  chrono::year_month_day date{chrono::year{year}, chrono::month{static_cast<unsigned>(month)},
                              chrono::day{static_cast<unsigned>(day)}};
  if (!date.ok()) return std::nullopt;
  return date;
}

// The zone at text[i..]: its offset from UTC in minutes, or nothing when it is not one.
std::optional<int> ReadZone(std::string_view text, size_t i) {
  std::string_view zone = text.substr(i);
  if (zone.empty() || zone == "Z" || zone == "z" || zone == "UTC") return 0;
  if (zone[0] != '+' && zone[0] != '-') return std::nullopt;
  int sign = zone[0] == '-' ? -1 : 1;
  ++i;
  int hours, minutes = 0;
  if (!Digits(text, &i, 2, &hours)) return std::nullopt;
  if (i < text.size()) {
    Expect(text, &i, ':');
    if (!Digits(text, &i, 2, &minutes)) return std::nullopt;
  }
  if (i != text.size() || hours > 23 || minutes > 59) return std::nullopt;
  return sign * (hours * 60 + minutes);
}

}  // namespace

std::optional<chrono::year_month_day> ParseIsoDate(std::string_view text) {
  size_t i = 0;
  auto date = ReadDate(text, &i);
  if (!date || i != text.size()) return std::nullopt;
  return date;
}

std::string FormatIsoDate(chrono::year_month_day date) {
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
}

std::optional<chrono::sys_time<chrono::milliseconds>> ParseIsoTimestamp(std::string_view text) {
  size_t i = 0;
  auto date = ReadDate(text, &i);
  if (!date || i >= text.size() || (text[i] != 'T' && text[i] != 't' && text[i] != ' ')) {
    return std::nullopt;
  }
  ++i;
  int hour, minute, second;
  if (!Digits(text, &i, 2, &hour) || !Expect(text, &i, ':') || !Digits(text, &i, 2, &minute) ||
      !Expect(text, &i, ':') || !Digits(text, &i, 2, &second) || hour > 23 || minute > 59 ||
      second > 60) {
    return std::nullopt;
  }
  int millis = 0;
  if (i < text.size() && (text[i] == '.' || text[i] == ',')) {
    size_t start = ++i;
    for (int scale = 100; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, scale /= 10) {
      millis += (text[i] - '0') * scale;
    }
    if (i == start) return std::nullopt;
  }
  std::optional<int> offset_minutes = ReadZone(text, i);
  if (!offset_minutes) return std::nullopt;
  return chrono::sys_days{*date} + chrono::hours{hour} + chrono::minutes{minute} +
         chrono::seconds{second} + chrono::milliseconds{millis} - chrono::minutes{*offset_minutes};
}

std::string FormatIso8601(chrono::sys_seconds t) {
  auto day = chrono::floor<chrono::days>(t);
  chrono::hh_mm_ss time{t - day};
  return fmt::format("{}T{:02}:{:02}:{:02}Z", FormatIsoDate(chrono::year_month_day{day}),
                     time.hours().count(), time.minutes().count(), time.seconds().count());
}

Result<int> ParseDays(std::string_view text) {
  int unit = 1;
  std::string_view digits = text;
  if (text.ends_with("d")) {
    digits.remove_suffix(1);
  } else if (text.ends_with("w")) {
    digits.remove_suffix(1);
    unit = 7;
  }
  int n = -1;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || n < 0 ||
      n > 100000) {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("expected days such as 14d, 2w or 30, not \"{}\"", text));
  }
  return n * unit;
}

}  // namespace ecsguard
