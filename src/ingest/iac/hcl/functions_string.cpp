// String built-ins: Terraform's string functions, regular expressions in RE2 syntax (which is
// Terraform's: Go's regexp is RE2). Strings are measured in Unicode code points where Terraform
// counts grapheme clusters; they differ only for combining sequences.

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <memory>
#include <string>
#include <utility>

#include "ingest/iac/hcl/builtins.h"
#include "ingest/iac/hcl/functions.h"
#include "ingest/iac/hcl/parser.h"
#include "ingest/iac/hcl/unicode.h"

namespace ecsguard::ingest::hcl {
namespace {

// The code points of `s` as byte ranges (an invalid byte is one).
std::vector<std::string_view> Runes(std::string_view s) {
  std::vector<std::string_view> out;
  for (size_t i = 0; i < s.size();) {
    DecodedRune r = DecodeUtf8(s, i);
    out.push_back(s.substr(i, r.length));
    i += r.length;
  }
  return out;
}

size_t RuneWidth(std::string_view s, size_t at) {
  return at < s.size() ? DecodeUtf8(s, at).length : 0;
}

Result<std::unique_ptr<RE2>> Compile(const Call& c, const std::string& pattern) {
  RE2::Options options;
  options.set_log_errors(false);
  auto re = std::make_unique<RE2>(pattern, options);
  if (!re->ok()) return c.Fail(fmt::format("invalid regular expression: {}", re->error()));
  return re;
}

// The matches of `re` in `s` as Go's FindAll* gives them: successive non-overlapping matches,
// an empty match right after a previous match ignored. Each match is its groups' byte ranges
// (nullopt for a group that did not take part).
using Match = std::vector<std::optional<std::pair<size_t, size_t>>>;

Match ToMatch(const std::vector<re2::StringPiece>& sub, std::string_view s) {
  Match m;
  for (const re2::StringPiece& g : sub) {
    if (g.data() == nullptr) {
      m.emplace_back();
    } else {
      size_t b = g.data() - s.data();
      m.emplace_back(std::make_pair(b, b + g.size()));
    }
  }
  return m;
}

std::vector<Match> FindAll(const RE2& re, std::string_view s, size_t limit) {
  int groups = re.NumberOfCapturingGroups() + 1;
  std::vector<re2::StringPiece> sub(groups);
  std::vector<Match> out;
  re2::StringPiece text(s.data(), s.size());
  size_t pos = 0;
  std::optional<size_t> prev_end;
  while (pos <= s.size() && out.size() < limit) {
    if (!re.Match(text, pos, s.size(), RE2::UNANCHORED, sub.data(), groups)) break;
    size_t start = sub[0].data() - s.data(), end = start + sub[0].size();
    bool accept = true;
    if (end == pos) {
      if (prev_end && start == *prev_end) accept = false;
      size_t w = RuneWidth(s, pos);
      pos += w == 0 ? 1 : w;
    } else {
      pos = end;
    }
    prev_end = end;
    if (!accept) continue;
    out.push_back(ToMatch(sub, s));
  }
  return out;
}

// What regex() gives for one match: the match, a tuple of its groups, or an object of its
// named groups.
Result<Value> MatchValue(const Call& c, const RE2& re, std::string_view s, const Match& m) {
  auto group = [&](size_t g) {
    if (!m[g]) return Value::Null();
    return Value::String(std::string(s.substr(m[g]->first, m[g]->second - m[g]->first)));
  };
  if (m.size() == 1) return group(0);
  const std::map<int, std::string>& names = re.CapturingGroupNames();
  if (names.empty()) {
    std::vector<Value> out;
    for (size_t g = 1; g < m.size(); ++g) out.push_back(group(g));
    return Value::Tuple(std::move(out));
  }
  if (names.size() != m.size() - 1) {
    return c.Fail("a regular expression cannot mix named and unnamed capture groups");
  }
  std::vector<Value::Attribute> out;
  for (const auto& [g, name] : names) out.emplace_back(name, group(g));
  return Value::Object(std::move(out));
}

Result<Value> Regex(const Call& c) {
  RETURN_IF_ERROR(c.Arity(2, 2));
  ASSIGN_OR_RETURN(std::string pattern, c.String(0));
  ASSIGN_OR_RETURN(std::string s, c.String(1));
  ASSIGN_OR_RETURN(std::unique_ptr<RE2> re, Compile(c, pattern));
  std::vector<Match> found = FindAll(*re, s, 1);
  if (found.empty()) return c.Fail("pattern did not match any part of the given string");
  return MatchValue(c, *re, s, found[0]);
}

Result<Value> RegexAll(const Call& c) {
  RETURN_IF_ERROR(c.Arity(2, 2));
  ASSIGN_OR_RETURN(std::string pattern, c.String(0));
  ASSIGN_OR_RETURN(std::string s, c.String(1));
  ASSIGN_OR_RETURN(std::unique_ptr<RE2> re, Compile(c, pattern));
  if (auto why = c.Build(s.size(), Value::kElementSize * (s.size() + 1) + s.size())) {
    return Value::Unknown(*why);
  }
  std::vector<Value> out;
  for (const Match& m : FindAll(*re, s, SIZE_MAX)) {
    ASSIGN_OR_RETURN(Value v, MatchValue(c, *re, s, m));
    out.push_back(std::move(v));
  }
  return Value::Tuple(std::move(out));
}

// Go's Regexp.Expand: $1, ${1}, $name, ${name}; $$ is a dollar.
void Expand(const RE2& re, std::string_view tmpl, std::string_view s, const Match& m,
            std::string* out) {
  const std::map<std::string, int>& named = re.NamedCapturingGroups();
  auto is_name = [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_'; };
  for (size_t i = 0; i < tmpl.size(); ++i) {
    if (tmpl[i] != '$' || i + 1 >= tmpl.size()) {
      out->push_back(tmpl[i]);
      continue;
    }
    if (tmpl[i + 1] == '$') {
      out->push_back('$');
      ++i;
      continue;
    }
    std::string_view name;
    size_t next;
    if (tmpl[i + 1] == '{') {
      size_t close = tmpl.find('}', i + 2);
      name =
          close == std::string_view::npos ? std::string_view() : tmpl.substr(i + 2, close - i - 2);
      if (name.empty() || !std::all_of(name.begin(), name.end(), is_name)) {
        out->push_back('$');
        continue;
      }
      next = close + 1;
    } else {
      size_t end = i + 1;
      while (end < tmpl.size() && is_name(tmpl[end])) ++end;
      if (end == i + 1) {
        out->push_back('$');
        continue;
      }
      name = tmpl.substr(i + 1, end - i - 1);
      next = end;
    }
    std::optional<size_t> group;
    if (std::all_of(name.begin(), name.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) {
      if (name.size() < 10) group = std::stoul(std::string(name));
    } else if (auto it = named.find(std::string(name)); it != named.end()) {
      group = it->second;
    }
    if (group && *group < m.size() && m[*group]) {
      out->append(s.substr(m[*group]->first, m[*group]->second - m[*group]->first));
    }
    i = next - 1;
  }
}

// replace() with a /regular expression/: Go's ReplaceAllString.
Result<Value> ReplaceRegex(const Call& c, const std::string& s, const std::string& pattern,
                           const std::string& to) {
  ASSIGN_OR_RETURN(std::unique_ptr<RE2> re, Compile(c, pattern));
  int groups = re->NumberOfCapturingGroups() + 1;
  std::vector<re2::StringPiece> sub(groups);
  re2::StringPiece text(s.data(), s.size());
  std::string out;
  size_t search = 0, last_end = 0;
  while (search <= s.size()) {
    if (!re->Match(text, search, s.size(), RE2::UNANCHORED, sub.data(), groups)) break;
    size_t start = sub[0].data() - s.data(), end = start + sub[0].size();
    out.append(s, last_end, start - last_end);
    if (end > last_end || start == 0) {
      Expand(*re, to, s, ToMatch(sub, s), &out);
    }
    last_end = end;
    size_t w = RuneWidth(s, search);
    if (search + w > end) {
      search += w;
    } else if (search + 1 > end) {
      ++search;
    } else {
      search = end;
    }
    if (auto why = c.Grow(0, out.size())) return Value::Unknown(*why);
  }
  out.append(s, last_end, std::string::npos);
  return Value::String(std::move(out));
}

Result<Value> Replace(const Call& c) {
  RETURN_IF_ERROR(c.Arity(3, 3));
  ASSIGN_OR_RETURN(std::string s, c.String(0));
  ASSIGN_OR_RETURN(std::string from, c.String(1));
  ASSIGN_OR_RETURN(std::string to, c.String(2));
  if (from.size() >= 2 && from.front() == '/' && from.back() == '/') {
    return ReplaceRegex(c, s, from.substr(1, from.size() - 2), to);
  }
  if (from.empty()) {
    // Go's strings.Replace inserts `to` around every code point.
    std::vector<std::string_view> runes = Runes(s);
    if (auto why = c.Grow(0, s.size() + (runes.size() + 1) * to.size())) {
      return Value::Unknown(*why);
    }
    std::string out = to;
    for (std::string_view r : runes) out.append(r).append(to);
    return Value::String(std::move(out));
  }
  size_t hits = 0;
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + from.size())) {
    ++hits;
  }
  if (auto why = c.Grow(0, s.size() - hits * from.size() + hits * to.size())) {
    return Value::Unknown(*why);
  }
  std::string out;
  size_t pos = 0;
  while (true) {
    size_t hit = s.find(from, pos);
    if (hit == std::string::npos) break;
    out.append(s, pos, hit - pos);
    out += to;
    pos = hit + from.size();
  }
  out.append(s, pos, std::string::npos);
  return Value::String(std::move(out));
}

Result<Value> Chomp(const Call& c) {
  RETURN_IF_ERROR(c.Arity(1, 1));
  ASSIGN_OR_RETURN(std::string s, c.String(0));
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return Value::String(std::move(s));
}

Result<Value> StartsWith(const Call& c) {
  RETURN_IF_ERROR(c.Arity(2, 2));
  ASSIGN_OR_RETURN(std::string s, c.String(0));
  ASSIGN_OR_RETURN(std::string prefix, c.String(1));
  return Value::Bool(s.starts_with(prefix));
}

Result<Value> EndsWith(const Call& c) {
  RETURN_IF_ERROR(c.Arity(2, 2));
  ASSIGN_OR_RETURN(std::string s, c.String(0));
  ASSIGN_OR_RETURN(std::string suffix, c.String(1));
  return Value::Bool(s.ends_with(suffix));
}

Result<Value> StrContains(const Call& c) {
  RETURN_IF_ERROR(c.Arity(2, 2));
  ASSIGN_OR_RETURN(std::string s, c.String(0));
  ASSIGN_OR_RETURN(std::string part, c.String(1));
  return Value::Bool(s.find(part) != std::string::npos);
}

Result<Value> Indent(const Call& c) {
  RETURN_IF_ERROR(c.Arity(2, 2));
  ASSIGN_OR_RETURN(int64_t n, c.Integer(0));
  ASSIGN_OR_RETURN(std::string s, c.String(1));
  size_t pad = n < 0 ? 0 : static_cast<size_t>(n);
  size_t lines = std::count(s.begin(), s.end(), '\n');
  if (pad > (size_t{1} << 40) || (lines > 0 && pad > (SIZE_MAX - s.size()) / lines)) {
    return Value::Unknown("evaluation budget exceeded (indent() result too large)");
  }
  if (auto why = c.Grow(0, s.size() + lines * pad)) return Value::Unknown(*why);
  std::string out;
  for (char ch : s) {
    out.push_back(ch);
    if (ch == '\n') out.append(pad, ' ');
  }
  return Value::String(std::move(out));
}

Result<Value> Split(const Call& c) {
  RETURN_IF_ERROR(c.Arity(2, 2));
  ASSIGN_OR_RETURN(std::string sep, c.String(0));
  ASSIGN_OR_RETURN(std::string s, c.String(1));
  std::vector<std::string_view> parts;
  if (sep.empty()) {
    parts = Runes(s);
  } else {
    size_t pos = 0;
    while (true) {
      size_t hit = s.find(sep, pos);
      parts.push_back(std::string_view(s).substr(pos, hit == std::string::npos ? hit : hit - pos));
      if (hit == std::string::npos) break;
      pos = hit + sep.size();
    }
  }
  if (auto why = c.Build(parts.size(), s.size() + parts.size() * Value::kElementSize)) {
    return Value::Unknown(*why);
  }
  std::vector<Value> out;
  for (std::string_view p : parts) out.push_back(Value::String(std::string(p)));
  return Value::Tuple(std::move(out));
}

Result<Value> StrRev(const Call& c) {
  RETURN_IF_ERROR(c.Arity(1, 1));
  ASSIGN_OR_RETURN(std::string s, c.String(0));
  if (auto why = c.Grow(0, s.size())) return Value::Unknown(*why);
  std::vector<std::string_view> runes = Runes(s);
  std::string out;
  out.reserve(s.size());
  for (auto it = runes.rbegin(); it != runes.rend(); ++it) out.append(*it);
  return Value::String(std::move(out));
}

Result<Value> Substr(const Call& c) {
  RETURN_IF_ERROR(c.Arity(3, 3));
  ASSIGN_OR_RETURN(std::string s, c.String(0));
  ASSIGN_OR_RETURN(int64_t offset, c.Integer(1));
  ASSIGN_OR_RETURN(int64_t length, c.Integer(2));
  std::vector<std::string_view> runes = Runes(s);
  int64_t total = static_cast<int64_t>(runes.size());
  if (offset < 0) {
    offset += total;
    if (offset < 0) offset = 0;
  }
  if (offset > total) return Value::String("");
  if (length < 0 || length > total - offset) length = total - offset;
  std::string out;
  for (int64_t i = offset; i < offset + length; ++i) out.append(runes[i]);
  return Value::String(std::move(out));
}

// Go's strings.Title: the first letter of each word upper-cased.
Result<Value> Title(const Call& c) {
  RETURN_IF_ERROR(c.Arity(1, 1));
  ASSIGN_OR_RETURN(std::string s, c.String(0));
  std::string out;
  bool word_start = true;
  for (size_t i = 0; i < s.size();) {
    DecodedRune r = DecodeUtf8(s, i);
    std::string_view piece = std::string_view(s).substr(i, r.length);
    char32_t cp = r.code_point;
    bool letter_or_digit =
        r.valid &&
        (cp == '_' || (cp < 0x80 ? std::isalnum(static_cast<int>(cp)) != 0 : !IsUnicodeSpace(cp)));
    if (word_start && letter_or_digit) {
      std::vector<Value> one{Value::String(std::string(piece))};
      Result<Value> up = CallFunction("upper", std::move(one), c.at, c.context);
      out +=
          up.ok() && up->kind() == Value::Kind::kString ? up->string_value() : std::string(piece);
    } else {
      out.append(piece);
    }
    word_start = !letter_or_digit;
    i += r.length;
  }
  return Value::String(std::move(out));
}

Result<Value> Trim(const Call& c) {
  RETURN_IF_ERROR(c.Arity(2, 2));
  ASSIGN_OR_RETURN(std::string s, c.String(0));
  ASSIGN_OR_RETURN(std::string cutset, c.String(1));
  std::vector<std::string_view> cut = Runes(cutset);
  std::vector<std::string_view> runes = Runes(s);
  auto in_cut = [&](std::string_view r) {
    return std::find(cut.begin(), cut.end(), r) != cut.end();
  };
  size_t b = 0, e = runes.size();
  while (b < e && in_cut(runes[b])) ++b;
  while (e > b && in_cut(runes[e - 1])) --e;
  std::string out;
  for (size_t i = b; i < e; ++i) out.append(runes[i]);
  return Value::String(std::move(out));
}

Result<Value> TrimPrefix(const Call& c) {
  RETURN_IF_ERROR(c.Arity(2, 2));
  ASSIGN_OR_RETURN(std::string s, c.String(0));
  ASSIGN_OR_RETURN(std::string prefix, c.String(1));
  if (s.starts_with(prefix)) s.erase(0, prefix.size());
  return Value::String(std::move(s));
}

Result<Value> TrimSuffix(const Call& c) {
  RETURN_IF_ERROR(c.Arity(2, 2));
  ASSIGN_OR_RETURN(std::string s, c.String(0));
  ASSIGN_OR_RETURN(std::string suffix, c.String(1));
  if (s.ends_with(suffix)) s.resize(s.size() - suffix.size());
  return Value::String(std::move(s));
}

// formatlist(spec, values...): format() once per element; list arguments must have the same
// length, other arguments repeat.
Result<Value> FormatList(const Call& c) {
  if (c.args.empty()) return c.Fail("expects at least 1 argument");
  std::optional<size_t> n;
  for (size_t i = 0; i < c.args.size(); ++i) {
    const Value& v = c.args[i];
    if (v.kind() != Value::Kind::kTuple) continue;
    if (n && *n != v.elements().size()) {
      return c.Fail(
          fmt::format("argument {} has length {}, which does not match the length {} "
                      "of the earlier lists",
                      i + 1, v.elements().size(), *n));
    }
    n = v.elements().size();
  }
  size_t count = n.value_or(1);
  if (auto why = c.Build(count * c.args.size(), count * Value::Tuple(c.args).size())) {
    return Value::Unknown(*why);
  }
  std::vector<Value> out;
  for (size_t i = 0; i < count; ++i) {
    std::vector<Value> args;
    for (const Value& v : c.args) {
      args.push_back(v.kind() == Value::Kind::kTuple ? v.elements()[i] : v);
    }
    ASSIGN_OR_RETURN(Value s, CallFunction("format", std::move(args), c.at, c.context));
    if (s.is_unknown()) return s;
    out.push_back(std::move(s));
  }
  return Value::Tuple(std::move(out));
}

// templatestring(template, vars): the string rendered as a template with only `vars` in scope.
Result<Value> TemplateString(const Call& c) {
  RETURN_IF_ERROR(c.Arity(2, 2));
  ASSIGN_OR_RETURN(std::string text, c.String(0));
  const Value& vars = c.args[1];
  if (vars.kind() != Value::Kind::kObject) return c.Fail("vars must be an object");
  if (c.context.max_depth == 0) return c.Fail("templates nested too deeply");
  ParsedExpression tmpl = ParseTemplate(text, c.context.filename);
  if (!tmpl.ok()) {
    return tmpl.errors.empty() ? c.Fail("cannot parse the template") : tmpl.errors.front();
  }
  MapScope scope;
  for (const auto& [name, value] : vars.attributes()) scope.Set(name, value);
  EvalContext inner = c.context;
  inner.scope = &scope;
  inner.max_depth = c.context.max_depth - 1;
  return Evaluate(*tmpl.expr, inner);
}

constexpr Entry kStringBuiltins[] = {
    {"chomp", Chomp},
    {"endswith", EndsWith},
    {"formatlist", FormatList, true},
    {"indent", Indent},
    {"regex", Regex},
    {"regexall", RegexAll},
    {"replace", Replace},
    {"split", Split},
    {"startswith", StartsWith},
    {"strcontains", StrContains},
    {"strrev", StrRev},
    {"substr", Substr},
    {"templatestring", TemplateString},
    {"title", Title},
    {"trim", Trim},
    {"trimprefix", TrimPrefix},
    {"trimsuffix", TrimSuffix},
};

}  // namespace

std::span<const Entry> StringBuiltins() { return kStringBuiltins; }

}  // namespace ecsguard::ingest::hcl
