#include "ingest/snapshot/timestamps.h"

#include <chrono>
#include <cmath>

#include "base/clock.h"

namespace ecsguard::ingest::snapshot_internal {
namespace {

namespace chrono = std::chrono;

// Reads exactly `width` digits at text[*i].
bool Digits(std::string_view text, size_t* i, int width, int* out) {
  if (*i + width > text.size()) return false;
  int v = 0;
  for (int k = 0; k < width; ++k) {
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

bool Format(chrono::sys_seconds t, std::string* out) {
  auto days = chrono::floor<chrono::days>(t);
  chrono::year_month_day ymd{days};
  // strftime's %Y does not pad: four-digit years only.
  if (!ymd.ok() || ymd.year() < chrono::year{1000} || ymd.year() > chrono::year{9999}) return false;
  *out = FormatIso8601(chrono::system_clock::time_point{t});
  return true;
}

}  // namespace

bool NormalizeIso8601(std::string_view text, std::string* out) {
  size_t i = 0;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!Digits(text, &i, 4, &year) || !Expect(text, &i, '-') || !Digits(text, &i, 2, &month) ||
      !Expect(text, &i, '-') || !Digits(text, &i, 2, &day)) {
    return false;
  }
  if (i >= text.size() || (text[i] != 'T' && text[i] != 't' && text[i] != ' ')) return false;
  ++i;
  if (!Digits(text, &i, 2, &hour) || !Expect(text, &i, ':') || !Digits(text, &i, 2, &minute) ||
      !Expect(text, &i, ':') || !Digits(text, &i, 2, &second)) {
    return false;
  }
  if (i < text.size() && (text[i] == '.' || text[i] == ',')) {
    size_t start = ++i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    if (i == start) return false;
  }
  int offset_minutes = 0;
  if (i < text.size() && (text[i] == 'Z' || text[i] == 'z')) {
    ++i;
  } else if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    int sign = text[i++] == '-' ? -1 : 1;
    int oh, om = 0;
    if (!Digits(text, &i, 2, &oh)) return false;
    if (i < text.size()) {
      Expect(text, &i, ':');
      if (!Digits(text, &i, 2, &om)) return false;
    }
    if (oh > 23 || om > 59) return false;
    offset_minutes = sign * (oh * 60 + om);
  }
  if (i != text.size()) return false;
  chrono::year_month_day ymd{chrono::year{year}, chrono::month{static_cast<unsigned>(month)},
                             chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok() || hour > 23 || minute > 59 || second > 60) return false;
  auto t = chrono::sys_days{ymd} + chrono::hours{hour} + chrono::minutes{minute} +
           chrono::seconds{second} - chrono::minutes{offset_minutes};
  return Format(t, out);
}

bool EpochToIso8601(double seconds, std::string* out) {
  // Years 1000..9999 in seconds since 1970; Format checks the exact bounds.
  if (!std::isfinite(seconds) || seconds < -30610224000.0 || seconds > 253402300799.0) {
    return false;
  }
  return Format(chrono::sys_seconds{chrono::seconds{static_cast<int64_t>(std::floor(seconds))}},
                out);
}

}  // namespace ecsguard::ingest::snapshot_internal
