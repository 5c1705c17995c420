#include "ingest/iac/hcl/number.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>

namespace ecsguard::ingest::hcl {

namespace {

// sign, significant digits (no leading or trailing zeros; empty for zero) and the position of
// the decimal point relative to them.
struct Decimal {
  bool negative = false;
  std::string significant;
  int64_t point = 0;
};

std::optional<Decimal> ParseDecimal(std::string_view text) {
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
  std::string digits;  // mantissa digits without the dot
  int64_t point = 0;   // position of the decimal point within `digits`
  bool seen_digit = false;
  bool seen_dot = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
      seen_digit = true;
      if (!seen_dot) ++point;
    } else if (c == '.' && !seen_dot) {
      seen_dot = true;
    } else {
      break;
    }
  }
  if (!seen_digit) return std::nullopt;
  int64_t exponent = 0;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool exp_negative = false;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) exp_negative = text[i++] == '-';
    if (i >= text.size()) return std::nullopt;
    for (; i < text.size(); ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      if (exponent < 1'000'000'000) exponent = exponent * 10 + (text[i] - '0');
    }
    if (exp_negative) exponent = -exponent;
  }
  if (i != text.size()) return std::nullopt;

  Decimal d;
  d.negative = negative;
  size_t first = digits.find_first_not_of('0');
  if (first == std::string::npos) return d;
  size_t last = digits.find_last_not_of('0');
  d.significant = digits.substr(first, last - first + 1);
  d.point = point - static_cast<int64_t>(first) + exponent;
  return d;
}

}  // namespace

std::optional<std::string> NormalizeDecimal(std::string_view text, size_t max_length) {
  std::optional<Decimal> d = ParseDecimal(text);
  if (!d) return std::nullopt;
  bool negative = d->negative;
  if (d->significant.empty()) return std::string(negative ? "-0" : "0");
  std::string_view significant = d->significant;
  int64_t point = d->point;
  auto n = static_cast<int64_t>(significant.size());
  int64_t length = (point <= 0) ? 2 - point + n : std::max(point, n) + (n > point ? 1 : 0);
  if (length + 1 > static_cast<int64_t>(max_length)) return std::nullopt;

  std::string out;
  out.reserve(static_cast<size_t>(length) + 1);
  if (negative) out.push_back('-');
  if (point <= 0) {
    out += "0.";
    out.append(static_cast<size_t>(-point), '0');
    out += significant;
  } else if (point >= n) {
    out += significant;
    out.append(static_cast<size_t>(point - n), '0');
  } else {
    out += significant.substr(0, static_cast<size_t>(point));
    out.push_back('.');
    out += significant.substr(static_cast<size_t>(point));
  }
  return out;
}

std::optional<std::string> FormatDouble(double d) {
  if (!std::isfinite(d)) return std::nullopt;
  if (d == 0) return std::string(std::signbit(d) ? "-0" : "0");
  return NormalizeDecimal(fmt::format("{}", d));
}

std::optional<double> ParseDouble(std::string_view text) {
  if (!ParseDecimal(text)) return std::nullopt;
  return std::strtod(std::string(text).c_str(), nullptr);
}

namespace {

// Plain decimal text split at the point: digits before and after it, and the sign.
struct Fixed {
  bool negative = false;
  std::string whole, fraction;
};

Fixed SplitFixed(const std::string& plain) {
  Fixed f;
  std::string_view s = plain;
  if (!s.empty() && s[0] == '-') {
    f.negative = true;
    s.remove_prefix(1);
  }
  size_t dot = s.find('.');
  f.whole = std::string(s.substr(0, dot));
  if (dot != std::string_view::npos) f.fraction = std::string(s.substr(dot + 1));
  return f;
}

}  // namespace

std::optional<std::string> AddDecimal(std::string_view a, std::string_view b, size_t max_length) {
  std::optional<std::string> pa = NormalizeDecimal(a, max_length);
  std::optional<std::string> pb = NormalizeDecimal(b, max_length);
  if (!pa || !pb) return std::nullopt;
  Fixed x = SplitFixed(*pa), y = SplitFixed(*pb);
  // Both as digit strings of the same length with the point at the same place.
  size_t whole = std::max(x.whole.size(), y.whole.size()) + 1;
  size_t fraction = std::max(x.fraction.size(), y.fraction.size());
  auto align = [&](const Fixed& f) {
    std::string digits(whole - f.whole.size(), '0');
    digits += f.whole + f.fraction;
    digits.append(fraction - f.fraction.size(), '0');
    return digits;
  };
  std::string dx = align(x), dy = align(y);
  bool negative = x.negative;
  std::string out(dx.size(), '0');
  if (x.negative == y.negative) {
    int carry = 0;
    for (size_t i = dx.size(); i-- > 0;) {
      int d = (dx[i] - '0') + (dy[i] - '0') + carry;
      out[i] = static_cast<char>('0' + d % 10);
      carry = d / 10;
    }
  } else {
    // Subtract the smaller magnitude from the larger; the sign is the larger's.
    if (dx < dy) {  // same length: compares as numbers
      std::swap(dx, dy);
      negative = y.negative;
    }
    int borrow = 0;
    for (size_t i = dx.size(); i-- > 0;) {
      int d = (dx[i] - '0') - (dy[i] - '0') - borrow;
      borrow = d < 0 ? 1 : 0;
      out[i] = static_cast<char>('0' + (d + 10) % 10);
    }
  }
  std::optional<std::string> sum = NormalizeDecimal(
      fmt::format("{}{}.{}", negative ? "-" : "", out.substr(0, whole), out.substr(whole)),
      max_length);
  if (sum && *sum == "-0") return std::string("0");
  return sum;
}

}  // namespace ecsguard::ingest::hcl
