#include "ingest/iac/hcl/functions.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <utility>

#include "ingest/iac/hcl/json.h"
#include "ingest/iac/hcl/number.h"
#include "ingest/iac/hcl/parser.h"
#include "ingest/iac/hcl/types.h"
#include "ingest/iac/hcl/unicode.h"

namespace ecsguard::ingest::hcl {
namespace {

struct Call {
  std::string_view name;
  std::vector<Value>& args;
  const SourceLocation& at;
  const EvalContext& context;

  Error Fail(std::string message) const {
    return Error(ErrorCode::kValidation,
                 fmt::format("Invalid function argument: {}(): {}", name, message), at);
  }
  Result<void> Arity(size_t min, size_t max) const {
    if (args.size() >= min && args.size() <= max) return Ok{};
    if (min == max) return Fail(fmt::format("expects {} arguments, got {}", min, args.size()));
    return Fail(fmt::format("expects {} to {} arguments, got {}", min, max, args.size()));
  }
  // Nothing, or why the evaluation budget refuses `added` more bytes onto `current`.
  std::optional<std::string> Grow(size_t current, size_t added) const {
    return context.budget ? context.budget->Grow(current, added) : std::nullopt;
  }
  // Nothing, or why the evaluation budget refuses `steps` more steps and a value of `size`.
  std::optional<std::string> Build(size_t steps, size_t size) const {
    if (!context.budget) return std::nullopt;
    if (auto why = context.budget->Charge(steps, 0)) return why;
    return context.budget->Allow(size);
  }
  Result<std::string> String(size_t i) const {
    const Value& v = args[i];
    if (v.is_null()) return Fail(fmt::format("argument {} must not be null", i + 1));
    return ValueToString(v, at, fmt::format("{}() argument {}", name, i + 1));
  }
};

using Builtin = Result<Value> (*)(const Call&);

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

// ASCII and Latin-1 letters; other scripts pass through unchanged.
std::string ChangeCase(std::string_view s, bool upper) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    DecodedRune r = DecodeUtf8(s, i);
    char32_t c = r.code_point;
    if (!r.valid) {
      out.push_back(s[i]);
      ++i;
      continue;
    }
    if (upper) {
      if ((c >= 'a' && c <= 'z') || (c >= 0xE0 && c <= 0xFE && c != 0xF7)) c -= 0x20;
    } else {
      if ((c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7)) c += 0x20;
    }
    AppendUtf8(c, &out);
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

Result<Value> Format(const Call& c) {
  if (c.args.empty()) return c.Fail("expects at least 1 argument");
  ASSIGN_OR_RETURN(std::string spec, c.String(0));
  if (const Value* u = Value::Tuple(c.args).FirstUnknown()) return *u;
  std::string out;
  size_t next_arg = 1;
  for (size_t i = 0; i < spec.size(); ++i) {
    if (spec[i] != '%') {
      out.push_back(spec[i]);
      continue;
    }
    if (++i >= spec.size()) return c.Fail("format string ends with a lone %");
    char verb = spec[i];
    if (verb == '%') {
      out.push_back('%');
      continue;
    }
    if (verb != 's' && verb != 'd' && verb != 'v' && verb != 't' && verb != 'q') {
      return Value::Unknown(fmt::format("format() verb \"%{}\" is not evaluated statically", verb));
    }
    if (next_arg >= c.args.size()) return c.Fail("not enough arguments for the format string");
    const Value& v = c.args[next_arg++];
    std::string piece;  // what the verb writes, checked against the budget before it is added
    switch (verb) {
      case 'd': {
        if (v.kind() != Value::Kind::kNumber && v.kind() != Value::Kind::kString) {
          return c.Fail("%d requires a number");
        }
        std::string text = v.kind() == Value::Kind::kNumber ? v.number_decimal() : v.string_value();
        std::optional<std::string> plain = NormalizeDecimal(text);
        if (!plain || plain->find('.') != std::string::npos) {
          return c.Fail("%d requires a whole number");
        }
        piece = std::move(*plain);
        break;
      }
      case 't':
        if (v.kind() != Value::Kind::kBool) return c.Fail("%t requires a bool");
        piece = v.bool_value() ? "true" : "false";
        break;
      case 'q': {
        ASSIGN_OR_RETURN(std::string s, ValueToString(v, c.at, "format() %q argument"));
        AppendJsonString(s, &piece);
        break;
      }
      default:
        if (v.kind() == Value::Kind::kTuple || v.kind() == Value::Kind::kObject) {
          if (verb == 's') return c.Fail("%s requires a string");
          ASSIGN_OR_RETURN(piece, EncodeJson(v));
        } else if (v.is_null()) {
          if (verb == 's') return c.Fail("%s argument must not be null");
          piece = "null";
        } else {
          ASSIGN_OR_RETURN(piece, ValueToString(v, c.at, "format() argument"));
        }
    }
    if (auto why = c.Grow(out.size(), piece.size())) return Value::Unknown(*why);
    out += piece;
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

Result<Value> Replace(const Call& c) {
  RETURN_IF_ERROR(c.Arity(3, 3));
  ASSIGN_OR_RETURN(std::string s, c.String(0));
  ASSIGN_OR_RETURN(std::string from, c.String(1));
  ASSIGN_OR_RETURN(std::string to, c.String(2));
  if (from.size() >= 2 && from.front() == '/' && from.back() == '/') {
    return Value::Unknown("replace() with a regular expression is not evaluated statically");
  }
  if (from.empty()) return Value::String(s);
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

struct Entry {
  std::string_view name;
  Builtin fn;
};

constexpr Entry kBuiltins[] = {
    {"coalesce", Coalesce},     {"concat", Concat},       {"file", File},
    {"format", Format},         {"join", Join},           {"jsondecode", JsonDecode},
    {"jsonencode", JsonEncode}, {"lookup", Lookup},       {"lower", Lower},
    {"merge", Merge},           {"replace", Replace},     {"templatefile", TemplateFile},
    {"tobool", ToBoolFn},       {"tonumber", ToNumberFn}, {"tostring", ToStringFn},
    {"trimspace", TrimSpace},   {"upper", Upper},
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
  for (const Entry& entry : kBuiltins) {
    if (entry.name != name) continue;
    // A directly unknown argument makes any result unknown; unknowns nested in collections are
    // left to the function (merge and concat keep them, jsonencode reports them).
    for (const Value& a : args) {
      if (a.is_unknown()) return a;
    }
    return entry.fn(Call{name, args, at, context});
  }
  return Value::Unknown(fmt::format("function {}() is not evaluated statically", name));
}

}  // namespace ecsguard::ingest::hcl
