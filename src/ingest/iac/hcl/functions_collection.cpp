// Collection, numeric and type conversion built-ins. There are no separate list, set and map
// values here: a list or set is a tuple (a set sorted and de-duplicated, see MakeSet), a map an
// object.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <utility>

#include "ingest/iac/hcl/builtins.h"
#include "ingest/iac/hcl/functions.h"
#include "ingest/iac/hcl/json.h"
#include "ingest/iac/hcl/number.h"
#include "ingest/iac/hcl/unicode.h"

namespace ecsguard::ingest::hcl {
namespace {

// A known value as a key that is equal for equal values (numbers in plain decimal), so that
// membership is a set lookup rather than a comparison with every element.
std::string Key(const Value& v) {
  Result<std::string> json = EncodeJson(v);
  return json.ok() ? *json : std::string();
}

// The keys of `elements`, charging a step for each.
Result<std::set<std::string>> KeySet(const Call& c, const std::vector<Value>& elements) {
  if (auto why = c.Build(elements.size(), 0)) {
    return Error(ErrorCode::kUnsupported, std::move(*why));
  }
  std::set<std::string> out;
  for (const Value& v : elements) out.insert(Key(v));
  return out;
}

Result<Value> Length(const Call& c) {
  RETURN_IF_ERROR(c.Arity(1, 1));
  const Value& v = c.args[0];
  switch (v.kind()) {
    case Value::Kind::kString:
      return Value::Integer(static_cast<int64_t>(CountCodePoints(v.string_value())));
    case Value::Kind::kTuple:
      return Value::Integer(static_cast<int64_t>(v.elements().size()));
    case Value::Kind::kObject:
      return Value::Integer(static_cast<int64_t>(v.attributes().size()));
    case Value::Kind::kNull:
      return c.Fail("argument must not be null");
    default:
      return c.Fail(
          fmt::format("argument must be a string, a collection type, or a structural "
                      "type, not {}",
                      Value::KindName(v.kind())));
  }
}

Result<Value> Keys(const Call& c) {
  RETURN_IF_ERROR(c.Arity(1, 1));
  ASSIGN_OR_RETURN(auto attrs, c.Map(0));
  std::vector<Value> out;
  for (const auto& [k, v] : *attrs) out.push_back(Value::String(k));
  return Value::Tuple(std::move(out));
}

Result<Value> Values(const Call& c) {
  RETURN_IF_ERROR(c.Arity(1, 1));
  ASSIGN_OR_RETURN(auto attrs, c.Map(0));
  std::vector<Value> out;
  for (const auto& [k, v] : *attrs) out.push_back(v);
  return Value::Tuple(std::move(out));
}

Result<Value> Element(const Call& c) {
  RETURN_IF_ERROR(c.Arity(2, 2));
  ASSIGN_OR_RETURN(auto list, c.List(0));
  ASSIGN_OR_RETURN(int64_t i, c.Integer(1));
  if (list->empty()) return c.Fail("cannot use element function with an empty list");
  // The index wraps around; Go's % keeps the sign, so only a negative remainder is refused.
  int64_t at = i % static_cast<int64_t>(list->size());
  if (at < 0) return c.Fail("cannot use element function with a negative index");
  return (*list)[static_cast<size_t>(at)];
}

Result<Value> Index(const Call& c) {
  RETURN_IF_ERROR(c.Arity(2, 2));
  ASSIGN_OR_RETURN(auto list, c.List(0));
  for (size_t i = 0; i < list->size(); ++i) {
    if ((*list)[i] == c.args[1]) return Value::Integer(static_cast<int64_t>(i));
  }
  return c.Fail("item not found");
}

Result<Value> Contains(const Call& c) {
  RETURN_IF_ERROR(c.Arity(2, 2));
  ASSIGN_OR_RETURN(auto list, c.List(0));
  return Value::Bool(std::find(list->begin(), list->end(), c.args[1]) != list->end());
}

Result<Value> Distinct(const Call& c) {
  RETURN_IF_ERROR(c.Arity(1, 1));
  ASSIGN_OR_RETURN(auto list, c.List(0));
  if (auto why = c.Build(list->size(), c.args[0].size())) return Value::Unknown(*why);
  ASSIGN_OR_RETURN(std::vector<Value> elements, UnifyElements(c, *list));
  std::set<std::string> seen;
  std::vector<Value> out;
  for (const Value& v : elements) {
    if (seen.insert(Key(v)).second) out.push_back(v);
  }
  return Value::Tuple(std::move(out));
}

Result<void> FlattenInto(const Call& c, const Value& v, size_t depth, std::vector<Value>* out) {
  if (depth > c.context.max_depth) return c.Fail("lists nested too deeply");
  for (const Value& e : v.elements()) {
    if (e.kind() == Value::Kind::kTuple) {
      RETURN_IF_ERROR(FlattenInto(c, e, depth + 1, out));
    } else {
      out->push_back(e);
    }
  }
  return Ok{};
}

Result<Value> Flatten(const Call& c) {
  RETURN_IF_ERROR(c.Arity(1, 1));
  ASSIGN_OR_RETURN(auto list, c.List(0));
  (void)list;
  std::vector<Value> out;
  RETURN_IF_ERROR(FlattenInto(c, c.args[0], 0, &out));
  return Value::Tuple(std::move(out));
}

Result<Value> ChunkList(const Call& c) {
  RETURN_IF_ERROR(c.Arity(2, 2));
  ASSIGN_OR_RETURN(auto list, c.List(0));
  ASSIGN_OR_RETURN(int64_t size, c.Integer(1));
  if (size < 0) return c.Fail("the size argument must be positive");
  if (size == 0) return Value::Tuple({c.args[0]});
  std::vector<Value> out;
  for (size_t i = 0; i < list->size(); i += static_cast<size_t>(size)) {
    size_t end = std::min(list->size(), i + static_cast<size_t>(size));
    out.push_back(Value::Tuple(std::vector<Value>(list->begin() + i, list->begin() + end)));
  }
  return Value::Tuple(std::move(out));
}

Result<Value> CoalesceList(const Call& c) {
  if (c.args.empty()) return c.Fail("expects at least 1 argument");
  for (size_t i = 0; i < c.args.size(); ++i) {
    if (c.args[i].is_null()) continue;
    ASSIGN_OR_RETURN(auto list, c.List(i));
    if (!list->empty()) return c.args[i];
  }
  return c.Fail("no non-null arguments");
}

Result<Value> Compact(const Call& c) {
  RETURN_IF_ERROR(c.Arity(1, 1));
  ASSIGN_OR_RETURN(auto list, c.List(0));
  std::vector<Value> out;
  for (const Value& v : *list) {
    if (v.is_null()) continue;
    ASSIGN_OR_RETURN(std::string s, ValueToString(v, c.at, "compact() element"));
    if (!s.empty()) out.push_back(Value::String(std::move(s)));
  }
  return Value::Tuple(std::move(out));
}

Result<Value> MatchKeys(const Call& c) {
  RETURN_IF_ERROR(c.Arity(3, 3));
  ASSIGN_OR_RETURN(auto values, c.List(0));
  ASSIGN_OR_RETURN(auto keys, c.List(1));
  ASSIGN_OR_RETURN(auto search, c.List(2));
  if (values->size() != keys->size()) {
    return c.Fail("length of keys and values should be equal");
  }
  Result<std::set<std::string>> wanted = KeySet(c, *search);
  if (!wanted.ok()) return Value::Unknown(wanted.error().message());
  if (auto why = c.Build(keys->size(), 0)) return Value::Unknown(*why);
  std::vector<Value> out;
  for (size_t i = 0; i < keys->size(); ++i) {
    if (wanted->contains(Key((*keys)[i]))) out.push_back((*values)[i]);
  }
  return Value::Tuple(std::move(out));
}

Result<Value> One(const Call& c) {
  RETURN_IF_ERROR(c.Arity(1, 1));
  ASSIGN_OR_RETURN(auto list, c.List(0));
  if (list->empty()) return Value::Null();
  if (list->size() == 1) return (*list)[0];
  return c.Fail("must be a list, set, or tuple value with either zero or one elements");
}

Result<Value> Range(const Call& c) {
  RETURN_IF_ERROR(c.Arity(1, 3));
  double start = 0, limit, step = 1;
  if (c.args.size() == 1) {
    ASSIGN_OR_RETURN(limit, c.Number(0));
  } else {
    ASSIGN_OR_RETURN(start, c.Number(0));
    ASSIGN_OR_RETURN(limit, c.Number(1));
    if (c.args.size() == 3) {
      ASSIGN_OR_RETURN(step, c.Number(2));
    } else if (limit < start) {
      step = -1;
    }
  }
  if (!std::isfinite(start) || !std::isfinite(limit) || !std::isfinite(step)) {
    return c.Fail("start, limit and step must be finite numbers");
  }
  if (step == 0) return c.Fail("step must not be zero");
  if ((step > 0 && limit < start) || (step < 0 && limit > start)) {
    return c.Fail(step > 0 ? "when step is positive, start must be less than or equal to limit"
                           : "when step is negative, start must be greater than or equal to "
                             "limit");
  }
  // Terraform refuses more than 1024 elements. Steps add exactly in decimal, as Terraform's
  // arbitrary-precision numbers do (range(0, 1, 0.1) reaches 0.3, not 0.30000000000000004).
  constexpr size_t kMaxRange = 1024;
  ASSIGN_OR_RETURN(Value first, NumberResult(c, start));
  std::string x = c.args.size() == 1 ? "0" : first.number_text();
  if (c.args.size() > 1 && c.args[0].kind() == Value::Kind::kNumber) x = c.args[0].number_text();
  std::string step_text = c.args.size() == 3 && c.args[2].kind() == Value::Kind::kNumber
                              ? c.args[2].number_text()
                              : *FormatDouble(step);
  std::vector<Value> out;
  for (double at = start; step > 0 ? at < limit : at > limit;) {
    if (out.size() == kMaxRange) {
      return c.Fail(
          fmt::format("more than {} values were generated; either decrease the "
                      "difference between start and end or use a smaller step",
                      kMaxRange));
    }
    out.push_back(Value::Number(x));
    std::optional<std::string> next = AddDecimal(x, step_text);
    if (!next) return c.Fail("the range is not a finite sequence of numbers");
    x = std::move(*next);
    at = ParseDouble(x).value_or(limit);
  }
  return Value::Tuple(std::move(out));
}

Result<Value> Reverse(const Call& c) {
  RETURN_IF_ERROR(c.Arity(1, 1));
  ASSIGN_OR_RETURN(auto list, c.List(0));
  return Value::Tuple(std::vector<Value>(list->rbegin(), list->rend()));
}

Result<Value> Slice(const Call& c) {
  RETURN_IF_ERROR(c.Arity(3, 3));
  ASSIGN_OR_RETURN(auto list, c.List(0));
  ASSIGN_OR_RETURN(int64_t start, c.Integer(1));
  ASSIGN_OR_RETURN(int64_t end, c.Integer(2));
  if (start < 0) return c.Fail("the start index must not be less than zero");
  if (end > static_cast<int64_t>(list->size())) {
    return c.Fail("the end index must not be greater than the length of the list");
  }
  if (start > end) return c.Fail("the start index must not be greater than the end index");
  return Value::Tuple(std::vector<Value>(list->begin() + start, list->begin() + end));
}

Result<Value> Sort(const Call& c) {
  RETURN_IF_ERROR(c.Arity(1, 1));
  ASSIGN_OR_RETURN(auto list, c.List(0));
  std::vector<std::string> strings;
  for (const Value& v : *list) {
    if (v.is_null()) return c.Fail("given list element must not be null");
    ASSIGN_OR_RETURN(std::string s, ValueToString(v, c.at, "sort() element"));
    strings.push_back(std::move(s));
  }
  std::sort(strings.begin(), strings.end());
  std::vector<Value> out;
  for (std::string& s : strings) out.push_back(Value::String(std::move(s)));
  return Value::Tuple(std::move(out));
}

// Added exactly in decimal, as Terraform's arbitrary-precision numbers add (0.1 + 0.2 is 0.3).
Result<Value> Sum(const Call& c) {
  RETURN_IF_ERROR(c.Arity(1, 1));
  ASSIGN_OR_RETURN(auto list, c.List(0));
  if (list->empty()) return c.Fail("cannot sum an empty list");
  std::string total = "0";
  for (const Value& v : *list) {
    std::optional<std::string> sum;
    if (v.kind() == Value::Kind::kNumber || v.kind() == Value::Kind::kString) {
      sum =
          AddDecimal(total, v.kind() == Value::Kind::kNumber ? v.number_text() : v.string_value());
    }
    if (!sum) return c.Fail("argument must be list, set, or tuple of number values");
    total = std::move(*sum);
  }
  return Value::Number(std::move(total));
}

Result<Value> Transpose(const Call& c) {
  RETURN_IF_ERROR(c.Arity(1, 1));
  ASSIGN_OR_RETURN(auto attrs, c.Map(0));
  std::map<std::string, std::vector<Value>> out;
  for (const auto& [k, list] : *attrs) {
    if (list.kind() != Value::Kind::kTuple)
      return c.Fail("input must be a map of lists of strings");
    for (const Value& v : list.elements()) {
      if (v.is_null()) return c.Fail("input must not contain null values");
      ASSIGN_OR_RETURN(std::string s, ValueToString(v, c.at, "transpose() element"));
      out[s].push_back(Value::String(k));
    }
  }
  std::vector<Value::Attribute> result;
  for (auto& [k, vs] : out) result.emplace_back(k, Value::Tuple(std::move(vs)));
  return Value::Object(std::move(result));
}

Result<Value> ZipMap(const Call& c) {
  RETURN_IF_ERROR(c.Arity(2, 2));
  ASSIGN_OR_RETURN(auto keys, c.List(0));
  ASSIGN_OR_RETURN(auto values, c.List(1));
  // Values pass through, unknown or not; the keys must be known.
  if (const Value* u = c.args[0].FirstUnknown()) return *u;
  if (keys->size() != values->size()) {
    return c.Fail(fmt::format("number of keys ({}) does not match number of values ({})",
                              keys->size(), values->size()));
  }
  std::vector<Value::Attribute> out;
  for (size_t i = 0; i < keys->size(); ++i) {
    if ((*keys)[i].is_null()) return c.Fail("keys must not be null");
    ASSIGN_OR_RETURN(std::string k, ValueToString((*keys)[i], c.at, "zipmap() key"));
    out.emplace_back(std::move(k), (*values)[i]);
  }
  return Value::Object(std::move(out));
}

Result<bool> AllTrue(const Call& c, bool any) {
  ASSIGN_OR_RETURN(auto list, c.List(0));
  for (const Value& v : *list) {
    if (v.is_null()) {
      if (any) continue;
      return false;
    }
    std::vector<Value> one{v};
    ASSIGN_OR_RETURN(bool b, (Call{c.name, one, c.at, c.context}.Bool(0)));
    if (b == any) return any;
  }
  return !any;
}

Result<Value> AllTrueFn(const Call& c) {
  RETURN_IF_ERROR(c.Arity(1, 1));
  ASSIGN_OR_RETURN(bool b, AllTrue(c, false));
  return Value::Bool(b);
}

Result<Value> AnyTrueFn(const Call& c) {
  RETURN_IF_ERROR(c.Arity(1, 1));
  ASSIGN_OR_RETURN(bool b, AllTrue(c, true));
  return Value::Bool(b);
}

// The elements of every argument, each a list or set.
Result<std::vector<std::vector<Value>>> SetArguments(const Call& c, size_t min) {
  if (c.args.size() < min) return c.Fail(fmt::format("expects at least {} arguments", min));
  std::vector<std::vector<Value>> out;
  for (size_t i = 0; i < c.args.size(); ++i) {
    ASSIGN_OR_RETURN(auto list, c.List(i));
    out.push_back(*list);
  }
  return out;
}

Result<Value> SetUnion(const Call& c) {
  ASSIGN_OR_RETURN(auto sets, SetArguments(c, 1));
  std::vector<Value> all;
  for (auto& s : sets) all.insert(all.end(), s.begin(), s.end());
  return MakeSet(c, std::move(all));
}

Result<Value> SetIntersection(const Call& c) {
  ASSIGN_OR_RETURN(auto sets, SetArguments(c, 1));
  std::vector<std::set<std::string>> others;
  for (size_t i = 1; i < sets.size(); ++i) {
    Result<std::set<std::string>> keys = KeySet(c, sets[i]);
    if (!keys.ok()) return Value::Unknown(keys.error().message());
    others.push_back(std::move(*keys));
  }
  std::vector<Value> out;
  for (const Value& v : sets[0]) {
    std::string key = Key(v);
    if (std::all_of(others.begin(), others.end(),
                    [&](const std::set<std::string>& o) { return o.contains(key); })) {
      out.push_back(v);
    }
  }
  return MakeSet(c, std::move(out));
}

Result<Value> SetSubtract(const Call& c) {
  RETURN_IF_ERROR(c.Arity(2, 2));
  ASSIGN_OR_RETURN(auto sets, SetArguments(c, 2));
  Result<std::set<std::string>> removed = KeySet(c, sets[1]);
  if (!removed.ok()) return Value::Unknown(removed.error().message());
  std::vector<Value> out;
  for (const Value& v : sets[0]) {
    if (!removed->contains(Key(v))) out.push_back(v);
  }
  return MakeSet(c, std::move(out));
}

Result<Value> SetProduct(const Call& c) {
  ASSIGN_OR_RETURN(auto sets, SetArguments(c, 1));
  // Sets (not lists or tuples) are de-duplicated first; here every argument is a tuple, which
  // is what Terraform keeps as is.
  size_t total = 1, size = 0;
  for (const auto& s : sets) {
    if (s.empty()) return Value::Tuple({});
    if (total > (size_t{1} << 32) / s.size()) {
      return Value::Unknown("evaluation budget exceeded (setproduct() too large)");
    }
    total *= s.size();
  }
  for (const auto& s : sets) size += Value::Tuple(s).size();
  if (auto why = c.Build(total * sets.size(),
                         total > SIZE_MAX / (size + 1) ? SIZE_MAX : total * (size + 1))) {
    return Value::Unknown(*why);
  }
  std::vector<Value> out;
  std::vector<size_t> at(sets.size(), 0);
  for (size_t n = 0; n < total; ++n) {
    std::vector<Value> row;
    for (size_t i = 0; i < sets.size(); ++i) row.push_back(sets[i][at[i]]);
    out.push_back(Value::Tuple(std::move(row)));
    for (size_t i = sets.size(); i-- > 0;) {
      if (++at[i] < sets[i].size()) break;
      at[i] = 0;
    }
  }
  return Value::Tuple(std::move(out));
}

Result<Value> ToList(const Call& c) {
  RETURN_IF_ERROR(c.Arity(1, 1));
  if (c.args[0].is_null()) return c.args[0];
  ASSIGN_OR_RETURN(auto list, c.List(0));
  ASSIGN_OR_RETURN(std::vector<Value> out, UnifyElements(c, *list));
  return Value::Tuple(std::move(out));
}

Result<Value> ToSet(const Call& c) {
  RETURN_IF_ERROR(c.Arity(1, 1));
  if (c.args[0].is_null()) return c.args[0];
  ASSIGN_OR_RETURN(auto list, c.List(0));
  return MakeSet(c, *list);
}

Result<Value> ToMap(const Call& c) {
  RETURN_IF_ERROR(c.Arity(1, 1));
  if (c.args[0].is_null()) return c.args[0];
  ASSIGN_OR_RETURN(auto attrs, c.Map(0));
  std::vector<Value> values;
  for (const auto& [k, v] : *attrs) values.push_back(v);
  ASSIGN_OR_RETURN(values, UnifyElements(c, std::move(values)));
  std::vector<Value::Attribute> out;
  for (size_t i = 0; i < values.size(); ++i) out.emplace_back((*attrs)[i].first, values[i]);
  return Value::Object(std::move(out));
}

// Numeric functions compute in double and print the shortest text that reads back; abs, max,
// min and signum keep their argument's exact digits.
Result<Value> Abs(const Call& c) {
  RETURN_IF_ERROR(c.Arity(1, 1));
  ASSIGN_OR_RETURN(double d, c.Number(0));
  (void)d;
  std::string text = c.args[0].kind() == Value::Kind::kNumber ? c.args[0].number_decimal()
                                                              : c.args[0].string_value();
  std::optional<std::string> plain = NormalizeDecimal(text);
  if (!plain) return c.Fail("not a number");
  if ((*plain)[0] == '-') plain->erase(0, 1);
  return Value::Number(std::move(*plain));
}

Result<Value> Ceil(const Call& c) {
  RETURN_IF_ERROR(c.Arity(1, 1));
  ASSIGN_OR_RETURN(double d, c.Number(0));
  return NumberResult(c, std::ceil(d));
}

Result<Value> Floor(const Call& c) {
  RETURN_IF_ERROR(c.Arity(1, 1));
  ASSIGN_OR_RETURN(double d, c.Number(0));
  return NumberResult(c, std::floor(d));
}

Result<Value> Log(const Call& c) {
  RETURN_IF_ERROR(c.Arity(2, 2));
  ASSIGN_OR_RETURN(double x, c.Number(0));
  ASSIGN_OR_RETURN(double base, c.Number(1));
  return NumberResult(c, std::log(x) / std::log(base));
}

Result<Value> Pow(const Call& c) {
  RETURN_IF_ERROR(c.Arity(2, 2));
  ASSIGN_OR_RETURN(double x, c.Number(0));
  ASSIGN_OR_RETURN(double y, c.Number(1));
  return NumberResult(c, std::pow(x, y));
}

Result<Value> Signum(const Call& c) {
  RETURN_IF_ERROR(c.Arity(1, 1));
  ASSIGN_OR_RETURN(double d, c.Number(0));
  return Value::Integer(d > 0 ? 1 : d < 0 ? -1 : 0);
}

Result<Value> MaxMin(const Call& c, bool max) {
  if (c.args.empty()) return c.Fail("must provide at least one number");
  size_t best = 0;
  double best_value = 0;
  for (size_t i = 0; i < c.args.size(); ++i) {
    ASSIGN_OR_RETURN(double d, c.Number(i));
    if (i == 0 || (max ? d > best_value : d < best_value)) {
      best = i;
      best_value = d;
    }
  }
  const Value& v = c.args[best];
  return v.kind() == Value::Kind::kNumber ? v : Value::Number(v.string_value());
}

Result<Value> Max(const Call& c) { return MaxMin(c, true); }
Result<Value> Min(const Call& c) { return MaxMin(c, false); }

// parseint(string, base): Go's big.Int SetString digits, base 2 to 62.
Result<Value> ParseInt(const Call& c) {
  RETURN_IF_ERROR(c.Arity(2, 2));
  if (c.args[0].kind() != Value::Kind::kString) {
    return c.Fail("first argument must be a string, not a number");
  }
  ASSIGN_OR_RETURN(std::string s, c.String(0));
  ASSIGN_OR_RETURN(int64_t base, c.Integer(1));
  if (base < 2 || base > 62) {
    return c.Fail(fmt::format("base must be a whole number between 2 and 62 inclusive"));
  }
  std::string_view digits = s;
  bool negative = false;
  if (!digits.empty() && (digits[0] == '-' || digits[0] == '+')) {
    negative = digits[0] == '-';
    digits.remove_prefix(1);
  }
  auto invalid = [&]() {
    return c.Fail(fmt::format("cannot parse \"{}\" as a base {} integer", s, base));
  };
  if (digits.empty()) return invalid();
  unsigned __int128 n = 0;
  for (char ch : digits) {
    int d;
    if (ch >= '0' && ch <= '9') {
      d = ch - '0';
    } else if (ch >= 'a' && ch <= 'z') {
      d = ch - 'a' + 10;
    } else if (ch >= 'A' && ch <= 'Z') {
      d = base <= 36 ? ch - 'A' + 10 : ch - 'A' + 36;
    } else {
      return invalid();
    }
    if (d >= base) return invalid();
    if (n > (~static_cast<unsigned __int128>(0) - d) / base) {
      return c.Fail("the number is too large to be evaluated statically");
    }
    n = n * base + d;
  }
  std::string text;
  do {
    text.insert(text.begin(), static_cast<char>('0' + static_cast<int>(n % 10)));
    n /= 10;
  } while (n != 0);
  if (negative && text != "0") text.insert(text.begin(), '-');
  return Value::Number(std::move(text));
}

constexpr Entry kCollectionBuiltins[] = {
    {"abs", Abs},
    {"alltrue", AllTrueFn},
    {"anytrue", AnyTrueFn},
    {"ceil", Ceil},
    {"chunklist", ChunkList, true},
    {"coalescelist", CoalesceList, true},
    {"compact", Compact},
    {"contains", Contains},
    {"distinct", Distinct},
    {"element", Element, true},
    {"flatten", Flatten},
    {"floor", Floor},
    {"index", Index},
    {"keys", Keys, true},
    {"length", Length, true},
    {"log", Log},
    {"matchkeys", MatchKeys},
    {"max", Max},
    {"min", Min},
    {"one", One, true},
    {"parseint", ParseInt},
    {"pow", Pow},
    {"range", Range},
    {"reverse", Reverse, true},
    {"setintersection", SetIntersection},
    {"setproduct", SetProduct},
    {"setsubtract", SetSubtract},
    {"setunion", SetUnion},
    {"signum", Signum},
    {"slice", Slice, true},
    {"sort", Sort},
    {"sum", Sum},
    {"tolist", ToList},
    {"tomap", ToMap},
    {"toset", ToSet},
    {"transpose", Transpose},
    {"values", Values, true},
    {"zipmap", ZipMap, true},
};

}  // namespace

std::span<const Entry> CollectionBuiltins() { return kCollectionBuiltins; }

}  // namespace ecsguard::ingest::hcl
