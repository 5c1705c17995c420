// IP network and date/time built-ins: Terraform's cidr* functions (after go-cidr) and its
// deterministic time functions (formatdate, timeadd, timecmp) on RFC 3339 timestamps.

#include <arpa/inet.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <utility>

#include "ingest/iac/hcl/builtins.h"
#include "ingest/iac/hcl/functions.h"

namespace ecsguard::ingest::hcl {
namespace {

using U128 = unsigned __int128;

// An address and prefix length; `bits` is 32 for IPv4, 128 for IPv6.
struct Prefix {
  U128 address = 0;
  int length = 0;
  int bits = 32;
};

U128 Mask(int length, int bits) {
  if (length == 0) return 0;
  U128 all = bits == 128 ? ~U128{0} : (U128{1} << 32) - 1;
  return (all << (bits - length)) & all;
}

std::optional<std::pair<U128, int>> ParseAddress(const std::string& text) {
  unsigned char buf[16];
  if (text.find(':') == std::string::npos) {
    if (inet_pton(AF_INET, text.c_str(), buf) != 1) return std::nullopt;
    U128 a = 0;
    for (int i = 0; i < 4; ++i) a = (a << 8) | buf[i];
    return std::make_pair(a, 32);
  }
  if (inet_pton(AF_INET6, text.c_str(), buf) != 1) return std::nullopt;
  U128 a = 0;
  for (int i = 0; i < 16; ++i) a = (a << 8) | buf[i];
  return std::make_pair(a, 128);
}

std::string FormatAddress(U128 a, int bits) {
  char out[INET6_ADDRSTRLEN];
  unsigned char buf[16];
  int n = bits / 8;
  for (int i = n - 1; i >= 0; --i) {
    buf[i] = static_cast<unsigned char>(a & 0xFF);
    a >>= 8;
  }
  inet_ntop(bits == 32 ? AF_INET : AF_INET6, buf, out, sizeof out);
  return out;
}

Result<Prefix> ParsePrefix(const Call& c, size_t i) {
  ASSIGN_OR_RETURN(std::string text, c.String(i));
  size_t slash = text.find('/');
  auto invalid = [&]() { return c.Fail(fmt::format("invalid CIDR expression: {}", text)); };
  if (slash == std::string::npos) return invalid();
  auto addr = ParseAddress(text.substr(0, slash));
  std::string len = text.substr(slash + 1);
  if (!addr || len.empty() || len.size() > 3 ||
      len.find_first_not_of("0123456789") != std::string::npos) {
    return invalid();
  }
  Prefix p;
  p.bits = addr->second;
  p.length = std::stoi(len);
  if (p.length > p.bits) return invalid();
  p.address = addr->first & Mask(p.length, p.bits);
  return p;
}

Result<Value> CidrHost(const Call& c) {
  RETURN_IF_ERROR(c.Arity(2, 2));
  ASSIGN_OR_RETURN(Prefix p, ParsePrefix(c, 0));
  ASSIGN_OR_RETURN(int64_t host, c.Integer(1));
  int host_bits = p.bits - p.length;
  U128 max_host = host_bits == 128 ? ~U128{0} : (U128{1} << host_bits) - 1;
  U128 n = host < 0 ? max_host - (static_cast<U128>(-(host + 1))) : static_cast<U128>(host);
  U128 magnitude = host < 0 ? static_cast<U128>(-(host + 1)) : n;
  if (magnitude > max_host) {
    return c.Fail(
        fmt::format("prefix of {} does not accommodate a host numbered {}", p.length, host));
  }
  return Value::String(FormatAddress(p.address | n, p.bits));
}

Result<Value> CidrNetmask(const Call& c) {
  RETURN_IF_ERROR(c.Arity(1, 1));
  ASSIGN_OR_RETURN(Prefix p, ParsePrefix(c, 0));
  if (p.bits != 32) return c.Fail("only IPv4 networks support a netmask");
  return Value::String(FormatAddress(Mask(p.length, 32), 32));
}

Result<Value> CidrSubnet(const Call& c) {
  RETURN_IF_ERROR(c.Arity(3, 3));
  ASSIGN_OR_RETURN(Prefix p, ParsePrefix(c, 0));
  ASSIGN_OR_RETURN(int64_t newbits, c.Integer(1));
  ASSIGN_OR_RETURN(int64_t netnum, c.Integer(2));
  if (newbits < 0) return c.Fail("newbits must not be negative");
  if (p.length + newbits > p.bits) {
    return c.Fail(
        fmt::format("insufficient address space to extend prefix of {} by {}", p.length, newbits));
  }
  int length = p.length + static_cast<int>(newbits);
  if (netnum < 0 || (newbits < 64 && static_cast<U128>(netnum) >= (U128{1} << newbits))) {
    return c.Fail(fmt::format("prefix extension of {} does not accommodate a subnet numbered {}",
                              newbits, netnum));
  }
  U128 address = p.address | (static_cast<U128>(netnum) << (p.bits - length));
  return Value::String(fmt::format("{}/{}", FormatAddress(address, p.bits), length));
}

// cidrsubnets(prefix, newbits...): consecutive subnets, each aligned to its own size, as
// go-cidr's NextSubnet allocates them.
Result<Value> CidrSubnets(const Call& c) {
  if (c.args.empty()) return c.Fail("expects at least 1 argument");
  ASSIGN_OR_RETURN(Prefix p, ParsePrefix(c, 0));
  if (c.args.size() == 1) return Value::Tuple({});
  U128 all = p.bits == 128 ? ~U128{0} : (U128{1} << 32) - 1;
  U128 network_last = p.address | (~Mask(p.length, p.bits) & all);
  std::vector<Value> out;
  std::optional<std::pair<U128, int>> current;
  for (size_t i = 1; i < c.args.size(); ++i) {
    ASSIGN_OR_RETURN(int64_t newbits, c.Integer(i));
    if (newbits < 1)
      return c.Fail(fmt::format("argument {}: must extend prefix by at least one bit", i + 1));
    int length = p.length + static_cast<int>(newbits);
    if (newbits > p.bits || length > p.bits) {
      return c.Fail(
          fmt::format("argument {}: would extend prefix to {} bits, which is too long "
                      "for an IPv{} address",
                      i + 1, length, p.bits == 32 ? 4 : 6));
    }
    U128 mask = Mask(length, p.bits);
    U128 next;
    bool rollover = false;
    if (!current) {
      // The first subnet starts at the network's own address.
      next = p.address & mask;
    } else {
      U128 current_last = current->first | (~Mask(current->second, p.bits) & all);
      U128 subnet_last = (current_last & mask) | (~mask & all);
      U128 after = (subnet_last + 1) & all;
      rollover = after == 0;
      next = after & mask;
    }
    if (rollover || next < p.address || next > network_last) {
      return c.Fail(fmt::format(
          "argument {}: not enough remaining address space for a subnet "
          "with a prefix of {} bits after {}",
          i + 1, length,
          current ? fmt::format("{}/{}", FormatAddress(current->first, p.bits), current->second)
                  : std::string("the start")));
    }
    current = std::make_pair(next, length);
    out.push_back(Value::String(fmt::format("{}/{}", FormatAddress(next, p.bits), length)));
  }
  return Value::Tuple(std::move(out));
}

// A timestamp as RFC 3339 writes it: the instant, the nanoseconds and the zone offset (nothing
// for "Z").
struct Timestamp {
  int64_t seconds = 0;  // since the epoch, UTC
  int64_t nanos = 0;
  std::optional<int> offset_minutes;
};

// The decimal number of `n` digits at `at`, or nothing.
std::optional<int> Digits(std::string_view s, size_t at, size_t n) {
  if (at + n > s.size()) return std::nullopt;
  int v = 0;
  for (size_t k = at; k < at + n; ++k) {
    if (s[k] < '0' || s[k] > '9') return std::nullopt;
    v = v * 10 + (s[k] - '0');
  }
  return v;
}

// An RFC 3339 timestamp ("2018-01-02T23:12:01Z", "...01.5-08:00"), or nothing.
std::optional<Timestamp> ParseRfc3339(std::string_view s) {
  auto year = Digits(s, 0, 4), month = Digits(s, 5, 2), day = Digits(s, 8, 2),
       hour = Digits(s, 11, 2), minute = Digits(s, 14, 2), second = Digits(s, 17, 2);
  if (!year || !month || !day || !hour || !minute || !second || s.size() < 20 || s[4] != '-' ||
      s[7] != '-' || (s[10] != 'T' && s[10] != 't') || s[13] != ':' || s[16] != ':') {
    return std::nullopt;
  }
  using namespace std::chrono;
  year_month_day ymd{std::chrono::year(*year), std::chrono::month(static_cast<unsigned>(*month)),
                     std::chrono::day(static_cast<unsigned>(*day))};
  if (!ymd.ok() || *hour > 23 || *minute > 59 || *second > 59) return std::nullopt;
  Timestamp t;
  size_t at = 19;
  if (at < s.size() && s[at] == '.') {
    size_t start = ++at;
    while (at < s.size() && s[at] >= '0' && s[at] <= '9') ++at;
    if (at == start) return std::nullopt;
    std::string frac(s.substr(start, std::min<size_t>(at - start, 9)));
    frac.resize(9, '0');
    t.nanos = std::stoll(frac);
  }
  if (at >= s.size()) return std::nullopt;
  if (s[at] == 'Z' || s[at] == 'z') {
    if (at + 1 != s.size()) return std::nullopt;
  } else if (s[at] == '+' || s[at] == '-') {
    auto oh = Digits(s, at + 1, 2), om = Digits(s, at + 4, 2);
    if (!oh || !om || at + 6 != s.size() || s[at + 3] != ':' || *oh > 23 || *om > 59) {
      return std::nullopt;
    }
    t.offset_minutes = (s[at] == '-' ? -1 : 1) * (*oh * 60 + *om);
  } else {
    return std::nullopt;
  }
  int64_t local =
      sys_days(ymd).time_since_epoch().count() * 86400 + *hour * 3600 + *minute * 60 + *second;
  t.seconds = local - int64_t{t.offset_minutes.value_or(0)} * 60;
  return t;
}

Result<Timestamp> ParseTimestamp(const Call& c, size_t i) {
  const Value& v = c.args[i];
  if (v.kind() != Value::Kind::kString) {
    return c.Fail(fmt::format("argument {}: a timestamp string is required", i + 1));
  }
  const std::string& s = v.string_value();
  std::optional<Timestamp> t = ParseRfc3339(s);
  if (!t) return c.Fail(fmt::format("not a valid RFC3339 timestamp: \"{}\"", s));
  return *t;
}

// The civil fields of `t` in its own zone.
struct Civil {
  int year, month, day, hour, minute, second, weekday;
};

Civil ToCivil(const Timestamp& t) {
  using namespace std::chrono;
  int64_t local = t.seconds + int64_t{t.offset_minutes.value_or(0)} * 60;
  int64_t days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
  int64_t rest = local - days * 86400;
  sys_days d{std::chrono::days(days)};
  year_month_day ymd(d);
  weekday wd(d);
  return Civil{static_cast<int>(ymd.year()),          static_cast<int>(unsigned(ymd.month())),
               static_cast<int>(unsigned(ymd.day())), static_cast<int>(rest / 3600),
               static_cast<int>(rest % 3600 / 60),    static_cast<int>(rest % 60),
               static_cast<int>(wd.c_encoding())};
}

std::string Offset(const Timestamp& t, bool colon, bool z_for_utc) {
  if (!t.offset_minutes && z_for_utc) return "Z";
  int m = t.offset_minutes.value_or(0);
  char sign = m < 0 ? '-' : '+';
  m = std::abs(m);
  return fmt::format("{}{:02}{}{:02}", sign, m / 60, colon ? ":" : "", m % 60);
}

// RFC 3339 to the second, in the timestamp's own zone (Go's time.RFC3339).
std::string Rfc3339(const Timestamp& t) {
  Civil v = ToCivil(t);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{}", v.year, v.month, v.day, v.hour,
                     v.minute, v.second, Offset(t, true, true));
}

Result<Value> FormatDate(const Call& c) {
  RETURN_IF_ERROR(c.Arity(2, 2));
  ASSIGN_OR_RETURN(std::string spec, c.String(0));
  ASSIGN_OR_RETURN(Timestamp t, ParseTimestamp(c, 1));
  static constexpr const char* kMonths[] = {"January",   "February", "March",    "April",
                                            "May",       "June",     "July",     "August",
                                            "September", "October",  "November", "December"};
  static constexpr const char* kDays[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                          "Thursday", "Friday", "Saturday"};
  Civil v = ToCivil(t);
  std::string out;
  for (size_t i = 0; i < spec.size();) {
    char ch = spec[i];
    if (ch == '\'') {
      size_t j = i + 1;
      std::string lit;
      while (true) {
        if (j >= spec.size()) return c.Fail("unterminated literal '");
        if (spec[j] == '\'') {
          if (j + 1 < spec.size() && spec[j + 1] == '\'') {
            lit.push_back('\'');
            j += 2;
            continue;
          }
          break;
        }
        lit.push_back(spec[j++]);
      }
      out += j == i + 1 ? "'" : lit;
      i = j + 1;
      continue;
    }
    if (!std::isalpha(static_cast<unsigned char>(ch))) {
      out.push_back(ch);
      ++i;
      continue;
    }
    size_t n = 1;
    while (i + n < spec.size() && spec[i + n] == ch) ++n;
    std::string token = spec.substr(i, n);
    int h12 = v.hour % 12 == 0 ? 12 : v.hour % 12;
    if (token == "YYYY") {
      out += fmt::format("{:04}", v.year);
    } else if (token == "YY") {
      out += fmt::format("{:02}", v.year % 100);
    } else if (token == "MMMM") {
      out += kMonths[v.month - 1];
    } else if (token == "MMM") {
      out += std::string(kMonths[v.month - 1]).substr(0, 3);
    } else if (token == "MM") {
      out += fmt::format("{:02}", v.month);
    } else if (token == "M") {
      out += std::to_string(v.month);
    } else if (token == "DD") {
      out += fmt::format("{:02}", v.day);
    } else if (token == "D") {
      out += std::to_string(v.day);
    } else if (token == "EEEE") {
      out += kDays[v.weekday];
    } else if (token == "EEE") {
      out += std::string(kDays[v.weekday]).substr(0, 3);
    } else if (token == "hh") {
      out += fmt::format("{:02}", v.hour);
    } else if (token == "h") {
      out += std::to_string(v.hour);
    } else if (token == "HH") {
      out += fmt::format("{:02}", h12);
    } else if (token == "H") {
      out += std::to_string(h12);
    } else if (token == "AA") {
      out += v.hour < 12 ? "AM" : "PM";
    } else if (token == "aa") {
      out += v.hour < 12 ? "am" : "pm";
    } else if (token == "mm") {
      out += fmt::format("{:02}", v.minute);
    } else if (token == "m") {
      out += std::to_string(v.minute);
    } else if (token == "ss") {
      out += fmt::format("{:02}", v.second);
    } else if (token == "s") {
      out += std::to_string(v.second);
    } else if (token == "ZZZZZ") {
      out += Offset(t, true, false);
    } else if (token == "ZZZZ") {
      out += Offset(t, false, false);
    } else if (token == "ZZZ") {
      out += t.offset_minutes ? Offset(t, false, false) : "UTC";
    } else if (token == "Z") {
      out += Offset(t, true, true);
    } else {
      return c.Fail(fmt::format("invalid date format verb \"{}\"", token));
    }
    i += n;
  }
  return Value::String(std::move(out));
}

// Go's time.ParseDuration, to nanoseconds.
std::optional<long double> ParseDuration(std::string_view s) {
  if (s.empty()) return std::nullopt;
  bool negative = false;
  if (s[0] == '-' || s[0] == '+') {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return 0;
  if (s.empty()) return std::nullopt;
  long double total = 0;
  while (!s.empty()) {
    size_t i = 0;
    while (i < s.size() && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.')) ++i;
    if (i == 0 || (i == 1 && s[0] == '.')) return std::nullopt;
    std::string number(s.substr(0, i));
    if (std::count(number.begin(), number.end(), '.') > 1) return std::nullopt;
    s.remove_prefix(i);
    size_t u = 0;
    while (u < s.size() && !((s[u] >= '0' && s[u] <= '9') || s[u] == '.')) ++u;
    std::string_view unit = s.substr(0, u);
    s.remove_prefix(u);
    long double scale;
    if (unit == "ns") {
      scale = 1;
    } else if (unit == "us" || unit == "\xC2\xB5s" || unit == "\xCE\xBCs") {
      scale = 1e3;
    } else if (unit == "ms") {
      scale = 1e6;
    } else if (unit == "s") {
      scale = 1e9;
    } else if (unit == "m") {
      scale = 60e9;
    } else if (unit == "h") {
      scale = 3600e9;
    } else {
      return std::nullopt;
    }
    total += std::stold(number) * scale;
  }
  if (total > 9.223372036854775807e18L) return std::nullopt;
  return negative ? -total : total;
}

Result<Value> TimeAdd(const Call& c) {
  RETURN_IF_ERROR(c.Arity(2, 2));
  ASSIGN_OR_RETURN(Timestamp t, ParseTimestamp(c, 0));
  ASSIGN_OR_RETURN(std::string d, c.String(1));
  std::optional<long double> nanos = ParseDuration(d);
  if (!nanos) return c.Fail(fmt::format("invalid duration \"{}\"", d));
  int64_t add = static_cast<int64_t>(*nanos);
  int64_t total = t.nanos + add % 1'000'000'000;
  t.seconds += add / 1'000'000'000 + (total >= 1'000'000'000 ? 1 : total < 0 ? -1 : 0);
  t.nanos = (total % 1'000'000'000 + 1'000'000'000) % 1'000'000'000;
  return Value::String(Rfc3339(t));
}

Result<Value> TimeCmp(const Call& c) {
  RETURN_IF_ERROR(c.Arity(2, 2));
  ASSIGN_OR_RETURN(Timestamp a, ParseTimestamp(c, 0));
  ASSIGN_OR_RETURN(Timestamp b, ParseTimestamp(c, 1));
  auto key = [](const Timestamp& t) { return std::make_pair(t.seconds, t.nanos); };
  return Value::Integer(key(a) < key(b) ? -1 : key(b) < key(a) ? 1 : 0);
}

constexpr Entry kNetworkTimeBuiltins[] = {
    {"cidrhost", CidrHost},       {"cidrnetmask", CidrNetmask}, {"cidrsubnet", CidrSubnet},
    {"cidrsubnets", CidrSubnets}, {"formatdate", FormatDate},   {"timeadd", TimeAdd},
    {"timecmp", TimeCmp},
};

}  // namespace

std::span<const Entry> NetworkTimeBuiltins() { return kNetworkTimeBuiltins; }

}  // namespace ecsguard::ingest::hcl
