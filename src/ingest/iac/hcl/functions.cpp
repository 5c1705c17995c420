#include "ingest/iac/hcl/functions.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <utility>

#include "base/strings.h"
#include "ingest/iac/hcl/builtins.h"
#include "ingest/iac/hcl/json.h"
#include "ingest/iac/hcl/number.h"
#include "ingest/iac/hcl/parser.h"
#include "ingest/iac/hcl/types.h"
#include "ingest/iac/hcl/unicode.h"

namespace ecsguard::ingest::hcl {
namespace {

Result<Value> JsonEncode(const Call& c) {
  RETURN_IF_ERROR(c.Arity(1, 1));
  if (const Value* u = c.args[0].FirstUnknown()) return *u;
  if (auto why = c.Grow(0, c.args[0].size())) return Value::Unknown(*why);
  ASSIGN_OR_RETURN(std::string text, EncodeJson(c.args[0]));
  if (auto why = c.Grow(c.args[0].size(), text.size() - std::min(text.size(), c.args[0].size()))) {
    return Value::Unknown(*why);
  }
  return Value::String(std::move(text));
}

Result<Value> JsonDecode(const Call& c) {
  RETURN_IF_ERROR(c.Arity(1, 1));
  ASSIGN_OR_RETURN(std::string text, c.String(0));
  if (auto why = c.Grow(0, text.size())) return Value::Unknown(*why);
  Result<Value> v = DecodeJson(text, c.context.max_depth);
  if (!v.ok()) return c.Fail(v.error().ToString());
  return std::move(v).value();
}

// A file the reader refuses to read (outside the scanned root, not a regular file) is an Unknown
// with the reason: what the configuration would do with it cannot be known here. Other failures
// are errors, as in Terraform.
Result<Value> ReadFile(const Call& c, const std::string& path) {
  Result<std::string> contents = c.context.files->Read(path);
  if (contents.ok()) {
    if (auto why = c.Grow(0, contents->size())) return Value::Unknown(*why);
    return Value::String(std::move(contents).value());
  }
  if (contents.error().code() == ErrorCode::kUnsupported) {
    return Value::Unknown(contents.error().message());
  }
  return Error(
      contents.error().code(),
      fmt::format("Invalid function argument: {}(): {}", c.name, contents.error().message()), c.at);
}

Result<Value> File(const Call& c) {
  RETURN_IF_ERROR(c.Arity(1, 1));
  ASSIGN_OR_RETURN(std::string path, c.String(0));
  if (c.context.files == nullptr) {
    return Value::Unknown(fmt::format("file(\"{}\") is not read: no file reader given", path));
  }
  return ReadFile(c, path);
}

Result<Value> TemplateFile(const Call& c) {
  RETURN_IF_ERROR(c.Arity(2, 2));
  ASSIGN_OR_RETURN(std::string path, c.String(0));
  const Value& vars = c.args[1];
  if (vars.kind() != Value::Kind::kObject) {
    return c.Fail(fmt::format("vars must be an object, not {}", Value::KindName(vars.kind())));
  }
  if (c.context.files == nullptr) {
    return Value::Unknown(
        fmt::format("templatefile(\"{}\") is not read: no file reader given", path));
  }
  if (c.context.max_depth == 0) return c.Fail("templates nested too deeply");
  ASSIGN_OR_RETURN(Value contents, ReadFile(c, path));
  if (contents.is_unknown()) return contents;
  ParsedExpression tmpl = ParseTemplate(contents.string_value(), path);
  if (!tmpl.ok()) {
    return tmpl.errors.empty() ? c.Fail("cannot parse template " + path) : tmpl.errors.front();
  }
  // Only the given vars are visible inside the template.
  MapScope scope;
  for (const auto& [name, value] : vars.attributes()) scope.Set(name, value);
  EvalContext inner = c.context;
  inner.scope = &scope;
  inner.filename = path;
  inner.max_depth = c.context.max_depth - 1;
  return Evaluate(*tmpl.expr, inner);
}

Result<Value> Merge(const Call& c) {
  size_t size = Value::Tuple(c.args).size();
  std::vector<Value::Attribute> attrs;
  for (const Value& v : c.args) {
    if (v.is_null()) continue;
    if (v.kind() != Value::Kind::kObject) {
      return c.Fail(
          fmt::format("arguments must be maps or objects, got {}", Value::KindName(v.kind())));
    }
    if (auto why = c.Build(v.attributes().size(), size)) {
      return Value::Unknown(*why);
    }
    for (const auto& attr : v.attributes()) attrs.push_back(attr);
  }
  return Value::Object(std::move(attrs));
}

Result<Value> Concat(const Call& c) {
  size_t size = Value::Tuple(c.args).size();
  std::vector<Value> out;
  for (const Value& v : c.args) {
    if (v.kind() != Value::Kind::kTuple) {
      return c.Fail(
          fmt::format("all arguments must be lists or tuples, got {}", Value::KindName(v.kind())));
    }
    if (auto why = c.Build(v.elements().size(), size)) {
      return Value::Unknown(*why);
    }
    out.insert(out.end(), v.elements().begin(), v.elements().end());
  }
  return Value::Tuple(std::move(out));
}

// tostring(), tonumber() and tobool() convert as a variable's type constraint does.
Result<Value> ToPrimitive(const Call& c, Type::Kind kind) {
  RETURN_IF_ERROR(c.Arity(1, 1));
  Type type;
  type.kind = kind;
  Result<Value> v = Convert(c.args[0], type);
  if (!v.ok()) return c.Fail(v.error().message());
  return v;
}

Result<Value> ToStringFn(const Call& c) { return ToPrimitive(c, Type::Kind::kString); }
Result<Value> ToNumberFn(const Call& c) { return ToPrimitive(c, Type::Kind::kNumber); }
Result<Value> ToBoolFn(const Call& c) { return ToPrimitive(c, Type::Kind::kBool); }

// The simple case mapping of the Latin, Greek, Cyrillic and Armenian alphabets and fullwidth
// Latin (what Go's unicode.ToUpper/ToLower do for them); other scripts pass through unchanged.
char32_t ChangeCase(char32_t c, bool upper) {
  // Ranges where upper and lower case letters alternate, upper first at an even or odd code
  // point.
  struct Alternating {
    char32_t first, last;
    bool upper_even;
  };
  static constexpr Alternating kAlternating[] = {
      {0x100, 0x137, true},  {0x139, 0x148, false}, {0x14A, 0x177, true},
      {0x179, 0x17E, false}, {0x460, 0x481, true},  {0x48A, 0x4BF, true},
  };
  // Ranges of upper case letters whose lower case is `offset` above.
  struct Shifted {
    char32_t first, last, offset;
  };
  static constexpr Shifted kShifted[] = {
      {'A', 'Z', 0x20},     {0xC0, 0xD6, 0x20},   {0xD8, 0xDE, 0x20},
      {0x391, 0x3A1, 0x20}, {0x3A3, 0x3AB, 0x20}, {0x400, 0x40F, 0x50},
      {0x410, 0x42F, 0x20}, {0x531, 0x556, 0x30}, {0xFF21, 0xFF3A, 0x20},
  };
  for (const Shifted& r : kShifted) {
    if (upper && c >= r.first + r.offset && c <= r.last + r.offset) return c - r.offset;
    if (!upper && c >= r.first && c <= r.last) return c + r.offset;
  }
  for (const Alternating& r : kAlternating) {
    if (c < r.first || c > r.last) continue;
    bool is_upper = (c % 2 == 0) == r.upper_even;
    if (upper && !is_upper) return c - 1;
    if (!upper && is_upper) return c + 1;
    return c;
  }
  if (upper && c == 0xFF) return 0x178;
  if (!upper && c == 0x178) return 0xFF;
  return c;
}

std::string ChangeCase(std::string_view s, bool upper) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    DecodedRune r = DecodeUtf8(s, i);
    if (!r.valid) {
      out.push_back(s[i]);
      ++i;
      continue;
    }
    AppendUtf8(ChangeCase(r.code_point, upper), &out);
    i += r.length;
  }
  return out;
}

Result<Value> Lower(const Call& c) {
  RETURN_IF_ERROR(c.Arity(1, 1));
  ASSIGN_OR_RETURN(std::string s, c.String(0));
  if (auto why = c.Grow(0, s.size())) return Value::Unknown(*why);
  return Value::String(ChangeCase(s, false));
}

Result<Value> Upper(const Call& c) {
  RETURN_IF_ERROR(c.Arity(1, 1));
  ASSIGN_OR_RETURN(std::string s, c.String(0));
  if (auto why = c.Grow(0, s.size())) return Value::Unknown(*why);
  return Value::String(ChangeCase(s, true));
}

// One format() directive: %[flags][width][.precision]verb, or %[n]verb for argument n.
struct Directive {
  bool minus = false, plus = false, space = false, sharp = false, zero = false;
  std::optional<size_t> width, precision;
  char verb = 0;
};

// `body` (without its sign) padded to the directive's width as Go's fmt does.
std::string Pad(const Directive& d, std::string_view sign, std::string_view body) {
  size_t len = CountCodePoints(sign) + CountCodePoints(body);
  size_t width = d.width.value_or(0);
  if (len >= width) return fmt::format("{}{}", sign, body);
  std::string fill(width - len, d.zero && !d.minus ? '0' : ' ');
  if (d.minus) return fmt::format("{}{}{}", sign, body, fill);
  if (d.zero) return fmt::format("{}{}{}", sign, fill, body);
  return fmt::format("{}{}{}", fill, sign, body);
}

// Go's %g with the shortest precision: scientific when the exponent is < -4 or >= 6.
std::string ShortestG(double x, bool upper) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::scientific);
  std::string sci(buf, end);
  size_t e = sci.find('e');
  int exp = std::stoi(sci.substr(e + 1));
  if (exp < -4 || exp >= 6) {
    std::string mantissa = sci.substr(0, e);
    std::string out =
        fmt::format("{}{}{}{:02}", mantissa, upper ? 'E' : 'e', exp < 0 ? '-' : '+', std::abs(exp));
    return out;
  }
  return FormatDouble(x).value_or("0");
}

Result<std::string> FormatOne(const Call& c, const Directive& d, const Value& v) {
  switch (d.verb) {
    case 'v':
    case 's':
    case 'q': {
      if (d.verb == 'v' && (d.sharp || v.kind() == Value::Kind::kTuple ||
                            v.kind() == Value::Kind::kObject || v.is_null())) {
        ASSIGN_OR_RETURN(std::string json, EncodeJson(v));
        return Pad(d, "", json);
      }
      if (v.is_null()) return c.Fail(fmt::format("%{} argument must not be null", d.verb));
      if (v.kind() == Value::Kind::kTuple || v.kind() == Value::Kind::kObject) {
        return c.Fail(fmt::format("%{} requires a string", d.verb));
      }
      ASSIGN_OR_RETURN(std::string s, ValueToString(v, c.at, "format() argument"));
      if (d.verb == 'q') {
        std::string quoted;
        AppendJsonString(s, &quoted);
        return Pad(d, "", quoted);
      }
      if (d.precision) {
        size_t cut = 0, runes = 0;
        while (cut < s.size() && runes < *d.precision) {
          cut += DecodeUtf8(s, cut).length;
          ++runes;
        }
        s.resize(cut);
      }
      return Pad(d, "", s);
    }
    case 't':
      if (v.kind() != Value::Kind::kBool) return c.Fail("%t requires a bool");
      return Pad(d, "", v.bool_value() ? "true" : "false");
    default:
      break;
  }
  std::string text;
  if (v.kind() == Value::Kind::kNumber) {
    text = v.number_decimal();
  } else if (v.kind() == Value::Kind::kString && NormalizeDecimal(v.string_value())) {
    text = *NormalizeDecimal(v.string_value());
  } else {
    return c.Fail(fmt::format("%{} requires a number", d.verb));
  }
  bool negative = text[0] == '-';
  if (negative) text.erase(0, 1);
  std::string sign = negative ? "-" : d.plus ? "+" : d.space ? " " : "";
  std::string body;
  if (d.verb == 'd' || d.verb == 'b' || d.verb == 'o' || d.verb == 'x' || d.verb == 'X') {
    if (text.find('.') != std::string::npos) {
      return c.Fail(fmt::format("%{} requires a whole number", d.verb));
    }
    if (d.verb == 'd') {
      body = text;
    } else {
      if (text.size() > 19) return c.Fail("the number is too large to be evaluated statically");
      uint64_t n = std::stoull(text);
      int base = d.verb == 'b' ? 2 : d.verb == 'o' ? 8 : 16;
      do {
        int digit = static_cast<int>(n % base);
        body.insert(body.begin(), "0123456789abcdef"[digit]);
        n /= base;
      } while (n != 0);
      if (d.verb == 'X') {
        for (char& ch : body) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      }
      if (d.sharp && d.verb == 'o') body.insert(0, "0");
      if (d.sharp && d.verb == 'x') body.insert(0, "0x");
      if (d.sharp && d.verb == 'X') body.insert(0, "0X");
    }
    if (d.precision && body.size() < *d.precision) {
      body.insert(0, *d.precision - body.size(), '0');
    }
    return Pad(d, sign, body);
  }
  double x = std::fabs(ParseDouble(text).value_or(0));
  char spec[16];
  if ((d.verb == 'g' || d.verb == 'G') && !d.precision) {
    body = ShortestG(x, d.verb == 'G');
  } else if (d.verb == 'e' || d.verb == 'E' || d.verb == 'f' || d.verb == 'g' || d.verb == 'G') {
    std::snprintf(spec, sizeof spec, "%%%s.%zu%c", d.sharp ? "#" : "", d.precision.value_or(6),
                  d.verb);
    char buf[512];
    int n = std::snprintf(buf, sizeof buf, spec, x);
    if (n < 0 || static_cast<size_t>(n) >= sizeof buf) {
      return c.Fail("the number is too large to be formatted statically");
    }
    body.assign(buf, static_cast<size_t>(n));
  } else {
    return c.Fail(fmt::format("unsupported format verb %{}", d.verb));
  }
  return Pad(d, sign, body);
}

Result<Value> Format(const Call& c) {
  if (c.args.empty()) return c.Fail("expects at least 1 argument");
  ASSIGN_OR_RETURN(std::string spec, c.String(0));
  if (const Value* u = Value::Tuple(c.args).FirstUnknown()) return *u;
  std::string out;
  size_t next_arg = 1;
  std::vector<bool> used(c.args.size(), false);  // %[n] takes arguments in any order
  for (size_t i = 0; i < spec.size(); ++i) {
    if (spec[i] != '%') {
      out.push_back(spec[i]);
      continue;
    }
    if (++i >= spec.size()) return c.Fail("format string ends with a lone %");
    if (spec[i] == '%') {
      out.push_back('%');
      continue;
    }
    Directive d;
    for (; i < spec.size(); ++i) {
      char f = spec[i];
      if (f == '-') {
        d.minus = true;
      } else if (f == '+') {
        d.plus = true;
      } else if (f == ' ') {
        d.space = true;
      } else if (f == '#') {
        d.sharp = true;
      } else if (f == '0') {
        d.zero = true;
      } else {
        break;
      }
    }
    // Widths and precisions beyond kMaxWidth are refused rather than padded.
    constexpr size_t kMaxWidth = 10'000'000;
    auto number = [&]() -> std::optional<size_t> {
      size_t start = i;
      size_t n = 0;
      while (i < spec.size() && std::isdigit(static_cast<unsigned char>(spec[i]))) {
        n = std::min(n * 10 + static_cast<size_t>(spec[i++] - '0'), kMaxWidth + 1);
      }
      if (i == start) return std::nullopt;
      return n;
    };
    if (i < spec.size() && spec[i] == '[') {
      ++i;
      std::optional<size_t> index = number();
      if (!index || *index == 0 || i >= spec.size() || spec[i] != ']') {
        return c.Fail("invalid argument index in the format string");
      }
      ++i;
      next_arg = *index;
    }
    d.width = number();
    if (i < spec.size() && spec[i] == '.') {
      ++i;
      d.precision = number().value_or(0);
    }
    if (i >= spec.size()) return c.Fail("format string ends in a directive");
    if (d.width.value_or(0) > kMaxWidth || d.precision.value_or(0) > kMaxWidth) {
      return c.Fail("the width or precision of a format directive is too large");
    }
    d.verb = spec[i];
    if (std::string_view("vstqdboxXeEfgG").find(d.verb) == std::string_view::npos) {
      return c.Fail(fmt::format("unsupported format verb %{}", d.verb));
    }
    if (next_arg >= c.args.size()) return c.Fail("not enough arguments for the format string");
    used[next_arg] = true;
    ASSIGN_OR_RETURN(std::string piece, FormatOne(c, d, c.args[next_arg++]));
    if (auto why = c.Grow(out.size(), piece.size())) return Value::Unknown(*why);
    out += piece;
  }
  for (size_t i = 1; i < c.args.size(); ++i) {
    if (!used[i]) return c.Fail(fmt::format("too many arguments; argument {} is not used", i + 1));
  }
  return Value::String(std::move(out));
}

Result<Value> Join(const Call& c) {
  if (c.args.size() < 2) return c.Fail("expects a separator and at least one list");
  ASSIGN_OR_RETURN(std::string sep, c.String(0));
  size_t total = 0;
  for (size_t i = 1; i < c.args.size(); ++i) {
    for (const Value& e : c.args[i].elements()) total += e.size() + sep.size();
  }
  if (auto why = c.Grow(0, total)) return Value::Unknown(*why);
  std::string out;
  bool first = true;
  for (size_t i = 1; i < c.args.size(); ++i) {
    const Value& list = c.args[i];
    if (list.kind() != Value::Kind::kTuple) return c.Fail("lists must be lists of strings");
    for (const Value& e : list.elements()) {
      if (e.is_unknown()) return e;
      if (e.is_null()) return c.Fail("element of the list must not be null");
      ASSIGN_OR_RETURN(std::string s, ValueToString(e, c.at, "join() element"));
      if (!first) out += sep;
      first = false;
      out += s;
    }
  }
  return Value::String(std::move(out));
}

Result<Value> TrimSpace(const Call& c) {
  RETURN_IF_ERROR(c.Arity(1, 1));
  ASSIGN_OR_RETURN(std::string s, c.String(0));
  s.erase(0, LeadingSpaceBytes(s));
  s.resize(s.size() - TrailingSpaceBytes(s));
  return Value::String(std::move(s));
}

Result<Value> Lookup(const Call& c) {
  RETURN_IF_ERROR(c.Arity(2, 3));
  const Value& map = c.args[0];
  if (map.kind() != Value::Kind::kObject) return c.Fail("the first argument must be a map");
  ASSIGN_OR_RETURN(std::string key, c.String(1));
  if (const Value* v = map.Find(key)) return *v;
  if (c.args.size() == 3) return c.args[2];
  return c.Fail(fmt::format("the given key \"{}\" does not exist in the map", key));
}

Result<Value> Coalesce(const Call& c) {
  for (const Value& v : c.args) {
    if (v.is_unknown()) return v;
    if (v.is_null()) continue;
    if (v.kind() == Value::Kind::kString && v.string_value().empty()) continue;
    return v;
  }
  return c.Fail("no non-null, non-empty-string arguments");
}

// sensitive(), nonsensitive(): this evaluator keeps no sensitivity marks, so both are the
// identity (and issensitive() cannot be answered).
Result<Value> Identity(const Call& c) {
  RETURN_IF_ERROR(c.Arity(1, 1));
  return c.args[0];
}

Result<Value> IsSensitive(const Call& c) {
  RETURN_IF_ERROR(c.Arity(1, 1));
  return Value::Unknown("issensitive() is not known: sensitivity is not tracked statically");
}

Result<Value> FileExists(const Call& c) {
  RETURN_IF_ERROR(c.Arity(1, 1));
  ASSIGN_OR_RETURN(std::string path, c.String(0));
  if (c.context.files == nullptr) {
    return Value::Unknown(
        fmt::format("fileexists(\"{}\") is not known: no file reader given", path));
  }
  Result<bool> exists = c.context.files->Exists(path);
  if (exists.ok()) return Value::Bool(*exists);
  if (exists.error().code() == ErrorCode::kUnsupported) {
    return Value::Unknown(exists.error().message());
  }
  return c.Fail(exists.error().message());
}

// One segment of a fileset() pattern against one path segment: * ? [class] and \ escapes, as
// Go's path.Match.
bool MatchSegment(std::string_view pattern, std::string_view name) {
  size_t p = 0, n = 0, star_p = std::string_view::npos, star_n = 0;
  auto match_one = [&](size_t* pp, char ch) -> std::optional<bool> {
    char pc = pattern[*pp];
    if (pc == '?') {
      ++*pp;
      return true;
    }
    if (pc == '\\' && *pp + 1 < pattern.size()) {
      *pp += 2;
      return pattern[*pp - 1] == ch;
    }
    if (pc == '[') {
      size_t i = *pp + 1;
      bool negate = i < pattern.size() && pattern[i] == '^';
      if (negate) ++i;
      bool hit = false;
      bool first = true;
      while (i < pattern.size() && (first || pattern[i] != ']')) {
        first = false;
        char lo = pattern[i];
        if (lo == '\\' && i + 1 < pattern.size()) lo = pattern[++i];
        char hi = lo;
        if (i + 2 < pattern.size() && pattern[i + 1] == '-' && pattern[i + 2] != ']') {
          hi = pattern[i + 2];
          if (hi == '\\' && i + 3 < pattern.size()) hi = pattern[++i + 2];
          i += 2;
        }
        if (ch >= lo && ch <= hi) hit = true;
        ++i;
      }
      if (i >= pattern.size()) return std::nullopt;  // unterminated class
      *pp = i + 1;
      return hit != negate;
    }
    ++*pp;
    return pc == ch;
  };
  while (n < name.size() || p < pattern.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star_p = p++;
      star_n = n;
      continue;
    }
    if (p < pattern.size() && n < name.size()) {
      size_t next = p;
      std::optional<bool> ok = match_one(&next, name[n]);
      if (!ok) return false;
      if (*ok) {
        p = next;
        ++n;
        continue;
      }
    }
    if (star_p != std::string_view::npos && star_n < name.size()) {
      p = star_p + 1;
      n = ++star_n;
      continue;
    }
    return false;
  }
  return true;
}

// A fileset() pattern (segments separated by /, ** any number of folders) against a relative
// file path.
bool MatchPath(std::span<const std::string_view> pattern, std::span<const std::string_view> path) {
  if (pattern.empty()) return path.empty();
  if (pattern[0] == "**") {
    for (size_t skip = 0; skip <= path.size(); ++skip) {
      if (MatchPath(pattern.subspan(1), path.subspan(skip))) return true;
    }
    return false;
  }
  if (path.empty() || !MatchSegment(pattern[0], path[0])) return false;
  return MatchPath(pattern.subspan(1), path.subspan(1));
}

// The patterns a {a,b} alternation stands for, nested ones included; at most `limit`.
bool ExpandBraces(const std::string& pattern, size_t limit, std::vector<std::string>* out) {
  size_t open = pattern.find('{');
  if (open == std::string::npos) {
    out->push_back(pattern);
    return out->size() <= limit;
  }
  size_t depth = 0, close = open;
  std::vector<size_t> commas;
  for (size_t i = open; i < pattern.size(); ++i) {
    if (pattern[i] == '{') ++depth;
    if (pattern[i] == ',' && depth == 1) commas.push_back(i);
    if (pattern[i] == '}' && --depth == 0) {
      close = i;
      break;
    }
  }
  if (close == open) {  // unbalanced: the brace is literal
    out->push_back(pattern);
    return out->size() <= limit;
  }
  size_t from = open + 1;
  commas.push_back(close);
  for (size_t comma : commas) {
    std::string alternative =
        pattern.substr(0, open) + pattern.substr(from, comma - from) + pattern.substr(close + 1);
    if (!ExpandBraces(alternative, limit, out)) return false;
    from = comma + 1;
  }
  return true;
}

Result<Value> FileSet(const Call& c) {
  RETURN_IF_ERROR(c.Arity(2, 2));
  ASSIGN_OR_RETURN(std::string dir, c.String(0));
  ASSIGN_OR_RETURN(std::string pattern, c.String(1));
  if (c.context.files == nullptr) {
    return Value::Unknown(fmt::format("fileset(\"{}\") is not listed: no file reader given", dir));
  }
  Result<std::vector<std::string>> files = c.context.files->List(dir);
  if (!files.ok()) {
    if (files.error().code() == ErrorCode::kUnsupported) {
      return Value::Unknown(files.error().message());
    }
    if (files.error().code() == ErrorCode::kNotFound) return Value::Tuple({});
    return c.Fail(files.error().message());
  }
  std::vector<std::string> patterns;
  if (!ExpandBraces(pattern, 1024, &patterns)) return c.Fail("too many {,} alternatives");
  std::vector<std::vector<std::string_view>> split;
  for (const std::string& p : patterns) {
    split.push_back(Split(p, '/'));
    std::erase_if(split.back(), [](std::string_view s) { return s.empty() || s == "."; });
    // a/**/**/b is a/**/b; repeated ** would make matching exponential.
    auto& parts = split.back();
    parts.erase(
        std::unique(parts.begin(), parts.end(),
                    [](std::string_view a, std::string_view b) { return a == "**" && b == "**"; }),
        parts.end());
  }
  std::vector<Value> out;
  for (const std::string& f : *files) {
    if (auto why = c.Build(split.size(), f.size())) return Value::Unknown(*why);
    std::vector<std::string_view> segments = Split(f, '/');
    for (const auto& parts : split) {
      if (MatchPath(parts, segments)) {
        out.push_back(Value::String(f));
        break;
      }
    }
  }
  return MakeSet(c, std::move(out));
}

Result<Value> FileBase64(const Call& c) {
  ASSIGN_OR_RETURN(Value contents, File(c));
  if (contents.is_unknown()) return contents;
  std::vector<Value> args{contents};
  return CallFunction("base64encode", std::move(args), c.at, c.context);
}

// filemd5(path) and the like: the hash function of the file's contents.
Result<Value> FileHash(const Call& c, std::string_view hash) {
  ASSIGN_OR_RETURN(Value contents, File(c));
  if (contents.is_unknown()) return contents;
  std::vector<Value> args{contents};
  return CallFunction(hash, std::move(args), c.at, c.context);
}
Result<Value> FileMd5(const Call& c) { return FileHash(c, "md5"); }
Result<Value> FileSha1(const Call& c) { return FileHash(c, "sha1"); }
Result<Value> FileSha256(const Call& c) { return FileHash(c, "sha256"); }
Result<Value> FileSha512(const Call& c) { return FileHash(c, "sha512"); }
Result<Value> FileBase64Sha256(const Call& c) { return FileHash(c, "base64sha256"); }
Result<Value> FileBase64Sha512(const Call& c) { return FileHash(c, "base64sha512"); }

// basename() and dirname() follow Go's filepath.Base and filepath.Dir on Linux.
Result<Value> BaseName(const Call& c) {
  RETURN_IF_ERROR(c.Arity(1, 1));
  ASSIGN_OR_RETURN(std::string p, c.String(0));
  if (p.empty()) return Value::String(".");
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  if (p == "/") return Value::String("/");
  size_t slash = p.rfind('/');
  return Value::String(slash == std::string::npos ? p : p.substr(slash + 1));
}

Result<Value> DirName(const Call& c) {
  RETURN_IF_ERROR(c.Arity(1, 1));
  ASSIGN_OR_RETURN(std::string p, c.String(0));
  size_t slash = p.rfind('/');
  std::string dir = slash == std::string::npos ? "" : p.substr(0, slash + 1);
  std::string clean = std::filesystem::path(dir.empty() ? "." : dir).lexically_normal().string();
  while (clean.size() > 1 && clean.back() == '/') clean.pop_back();
  return Value::String(clean.empty() ? "." : clean);
}

Result<Value> PathExpand(const Call& c) {
  RETURN_IF_ERROR(c.Arity(1, 1));
  ASSIGN_OR_RETURN(std::string p, c.String(0));
  if (!p.starts_with("~")) return Value::String(p);
  return Value::Unknown(fmt::format(
      "pathexpand(\"{}\") depends on the home folder of the machine running Terraform", p));
}

Result<Value> AbsPath(const Call& c) {
  RETURN_IF_ERROR(c.Arity(1, 1));
  ASSIGN_OR_RETURN(std::string p, c.String(0));
  return Value::Unknown(fmt::format("abspath(\"{}\") depends on where Terraform runs", p));
}

// Functions whose result differs at every run, or that need a secret.
Result<Value> Impure(const Call& c) {
  return Value::Unknown(fmt::format("{}() is only known when Terraform runs", c.name));
}

constexpr Entry kBuiltins[] = {
    {"abspath", AbsPath},
    {"basename", BaseName},
    {"bcrypt", Impure},
    {"coalesce", Coalesce, true},
    {"concat", Concat, true},
    {"dirname", DirName},
    {"file", File},
    {"filebase64", FileBase64},
    {"filebase64sha256", FileBase64Sha256},
    {"filebase64sha512", FileBase64Sha512},
    {"fileexists", FileExists},
    {"filemd5", FileMd5},
    {"fileset", FileSet},
    {"filesha1", FileSha1},
    {"filesha256", FileSha256},
    {"filesha512", FileSha512},
    {"format", Format, true},
    {"issensitive", IsSensitive},
    {"join", Join, true},
    {"jsondecode", JsonDecode},
    {"jsonencode", JsonEncode, true},
    {"lookup", Lookup, true},
    {"lower", Lower},
    {"merge", Merge, true},
    {"nonsensitive", Identity, true},
    {"pathexpand", PathExpand},
    {"plantimestamp", Impure},
    {"rsadecrypt", Impure},
    {"sensitive", Identity, true},
    {"templatefile", TemplateFile, true},
    {"timestamp", Impure},
    {"tobool", ToBoolFn},
    {"tonumber", ToNumberFn},
    {"tostring", ToStringFn},
    {"trimspace", TrimSpace},
    {"upper", Upper},
    {"uuid", Impure},
};

}  // namespace

Result<std::string> ValueToString(const Value& v, const SourceLocation& at, std::string_view what) {
  switch (v.kind()) {
    case Value::Kind::kString:
      return v.string_value();
    case Value::Kind::kNumber:
      return v.number_decimal();
    case Value::Kind::kBool:
      return std::string(v.bool_value() ? "true" : "false");
    case Value::Kind::kNull:
      return Error(ErrorCode::kValidation, fmt::format("Invalid {} value: the value is null", what),
                   at);
    default:
      return Error(ErrorCode::kValidation,
                   fmt::format("Invalid {} value: a string is required, not {}", what,
                               Value::KindName(v.kind())),
                   at);
  }
}

Result<Value> CallFunction(std::string_view name, std::vector<Value> args, const SourceLocation& at,
                           const EvalContext& context) {
  // Terraform's core:: namespace names the same built-ins.
  if (name.substr(0, 6) == "core::") name.remove_prefix(6);
  for (std::span<const Entry> table :
       {std::span<const Entry>(kBuiltins), StringBuiltins(), CollectionBuiltins(),
        EncodingBuiltins(), NetworkTimeBuiltins()}) {
    for (const Entry& entry : table) {
      if (entry.name != name) continue;
      // A directly unknown argument makes any result unknown; unknowns nested in collections
      // are left to the functions that pass them through (merge and concat keep them,
      // jsonencode reports them).
      for (const Value& a : args) {
        if (a.is_unknown()) return a;
      }
      if (!entry.nested_unknowns) {
        for (const Value& a : args) {
          if (const Value* u = a.FirstUnknown()) return *u;
        }
      }
      return entry.fn(Call{name, args, at, context});
    }
  }
  return Value::Unknown(fmt::format("function {}() is not evaluated statically", name));
}

std::vector<std::string_view> BuiltinNames() {
  std::vector<std::string_view> out;
  for (std::span<const Entry> table :
       {std::span<const Entry>(kBuiltins), StringBuiltins(), CollectionBuiltins(),
        EncodingBuiltins(), NetworkTimeBuiltins()}) {
    for (const Entry& e : table) out.push_back(e.name);
  }
  out.push_back("can");  // evaluated by the evaluator itself, lazily
  out.push_back("try");
  return out;
}

Result<void> Call::Arity(size_t min, size_t max) const {
  if (args.size() >= min && args.size() <= max) return Ok{};
  if (min == max) return Fail(fmt::format("expects {} arguments, got {}", min, args.size()));
  return Fail(fmt::format("expects {} to {} arguments, got {}", min, max, args.size()));
}

Result<std::string> Call::String(size_t i) const {
  const Value& v = args[i];
  if (v.is_null()) return Fail(fmt::format("argument {} must not be null", i + 1));
  return ValueToString(v, at, fmt::format("{}() argument {}", name, i + 1));
}

Result<double> Call::Number(size_t i) const {
  const Value& v = args[i];
  if (v.kind() == Value::Kind::kNumber) return v.number_double();
  if (v.kind() == Value::Kind::kString) {
    if (std::optional<double> d = ParseDouble(v.string_value())) return *d;
  }
  if (v.is_null()) return Fail(fmt::format("argument {} must not be null", i + 1));
  return Fail(
      fmt::format("argument {}: a number is required, not {}", i + 1, Value::KindName(v.kind())));
}

Result<int64_t> Call::Integer(size_t i) const {
  ASSIGN_OR_RETURN(double d, Number(i));
  if (d != std::floor(d) || std::fabs(d) > 9.2e18) {
    return Fail(fmt::format("argument {} must be a whole number", i + 1));
  }
  return static_cast<int64_t>(d);
}

Result<bool> Call::Bool(size_t i) const {
  const Value& v = args[i];
  if (v.kind() == Value::Kind::kBool) return v.bool_value();
  if (v.kind() == Value::Kind::kString) {
    if (v.string_value() == "true") return true;
    if (v.string_value() == "false") return false;
  }
  if (v.is_null()) return Fail(fmt::format("argument {} must not be null", i + 1));
  return Fail(
      fmt::format("argument {}: a bool is required, not {}", i + 1, Value::KindName(v.kind())));
}

Result<const std::vector<Value>*> Call::List(size_t i) const {
  const Value& v = args[i];
  if (v.kind() == Value::Kind::kTuple) return &v.elements();
  if (v.is_null()) return Fail(fmt::format("argument {} must not be null", i + 1));
  return Fail(fmt::format("argument {}: a list, set or tuple is required, not {}", i + 1,
                          Value::KindName(v.kind())));
}

Result<const std::vector<Value::Attribute>*> Call::Map(size_t i) const {
  const Value& v = args[i];
  if (v.kind() == Value::Kind::kObject) return &v.attributes();
  if (v.is_null()) return Fail(fmt::format("argument {} must not be null", i + 1));
  return Fail(fmt::format("argument {}: a map or object is required, not {}", i + 1,
                          Value::KindName(v.kind())));
}

Result<Value> NumberResult(const Call& c, double d) {
  std::optional<std::string> text = FormatDouble(d);
  if (!text) return c.Fail("the result is not a finite number");
  return Value::Number(std::move(*text));
}

Result<std::vector<Value>> UnifyElements(const Call& c, std::vector<Value> elements) {
  bool strings = false, numbers = false, bools = false, tuples = false, objects = false;
  for (const Value& e : elements) {
    strings |= e.kind() == Value::Kind::kString;
    numbers |= e.kind() == Value::Kind::kNumber;
    bools |= e.kind() == Value::Kind::kBool;
    tuples |= e.kind() == Value::Kind::kTuple;
    objects |= e.kind() == Value::Kind::kObject;
  }
  if (int(strings || numbers || bools) + int(tuples) + int(objects) > 1) {
    return c.Fail("all elements must be of the same type");
  }
  if (int(strings) + int(numbers) + int(bools) < 2) return elements;
  if (!strings) return c.Fail("all elements must be of the same type");
  for (Value& e : elements) {
    if (e.kind() == Value::Kind::kNumber || e.kind() == Value::Kind::kBool) {
      ASSIGN_OR_RETURN(std::string s, ValueToString(e, c.at, "element"));
      e = Value::String(std::move(s));
    }
  }
  return elements;
}

Result<Value> MakeSet(const Call& c, std::vector<Value> elements) {
  if (auto why = c.Build(elements.size(), Value::Tuple(elements).size())) {
    return Value::Unknown(*why);
  }
  ASSIGN_OR_RETURN(elements, UnifyElements(c, std::move(elements)));
  std::vector<std::pair<std::string, Value>> keyed;
  keyed.reserve(elements.size());
  bool all_numbers = true;
  for (Value& e : elements) {
    if (e.is_null()) return c.Fail("a set cannot contain null");
    all_numbers &= e.kind() == Value::Kind::kNumber;
    std::string key;
    if (e.kind() == Value::Kind::kString) {
      key = e.string_value();
    } else {
      Result<std::string> json = EncodeJson(e);
      key = json.ok() ? *json : std::string();
    }
    keyed.emplace_back(std::move(key), std::move(e));
  }
  auto less = [&](const auto& a, const auto& b) {
    if (all_numbers) return a.second.number_double() < b.second.number_double();
    return a.first < b.first;
  };
  std::stable_sort(keyed.begin(), keyed.end(), less);
  std::vector<Value> out;
  for (auto& [key, e] : keyed) {
    if (!out.empty() && out.back() == e) continue;
    out.push_back(std::move(e));
  }
  return Value::Tuple(std::move(out));
}

}  // namespace ecsguard::ingest::hcl
