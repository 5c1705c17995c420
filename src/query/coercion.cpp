#include "query/coercion.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

namespace ecsguard::query {

using graph::ScalarType;

Error Invalid(Pos p, std::string message) {
  return Error(ErrorCode::kValidation, std::move(message), SourceLocation{"", p.line, p.column});
}

std::string Shown(const Input& v) {
  std::string s = PrintInput(v);
  if (s.size() > 80) s = s.substr(0, 77) + "...";
  return s;
}

std::optional<ScalarType> BuiltinScalar(std::string_view name) {
  if (name == "ID") return ScalarType::kID;
  if (name == "String") return ScalarType::kString;
  if (name == "Int") return ScalarType::kInt;
  if (name == "Float") return ScalarType::kFloat;
  if (name == "Boolean") return ScalarType::kBoolean;
  if (name == "BigInt") return ScalarType::kBigInt;
  if (name == "DateTime" || name == "Date" || name == "LocalDateTime" || name == "Time" ||
      name == "LocalTime") {
    return ScalarType::kDateTime;
  }
  return std::nullopt;
}

std::optional<std::string> CheckScalar(const Input& v, ScalarType t, std::string_view type_name) {
  using K = Input::Kind;
  auto parses_int64 = [](const std::string& text) {
    int64_t out = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && end == text.data() + text.size();
  };
  switch (t) {
    case ScalarType::kID:
      if (v.kind == K::kString || v.kind == K::kInt) return std::nullopt;
      return fmt::format("ID cannot represent value: {}", Shown(v));
    case ScalarType::kString:
    case ScalarType::kDateTime:
      if (v.kind == K::kString) return std::nullopt;
      return fmt::format("{} cannot represent a non string value: {}", type_name, Shown(v));
    case ScalarType::kEnum:
      if (v.from_variable ? v.kind == K::kString : v.kind == K::kEnum) return std::nullopt;
      return fmt::format("Enum \"{}\" cannot represent non-enum value: {}", type_name, Shown(v));
    case ScalarType::kBigInt:
      if (v.kind == K::kString && parses_int64(v.text)) return std::nullopt;
      [[fallthrough]];
    case ScalarType::kInt:
      if (v.kind == K::kInt) {
        if (v.from_variable || parses_int64(v.text)) return std::nullopt;
        return fmt::format("{} cannot represent non 64-bit signed integer value: {}", type_name,
                           v.text);
      }
      if (v.kind == K::kFloat && v.from_variable && std::floor(v.number) == v.number &&
          std::fabs(v.number) < 9.2e18) {
        return std::nullopt;
      }
      return fmt::format("{} cannot represent non-integer value: {}", type_name, Shown(v));
    case ScalarType::kFloat:
      if (v.kind == K::kInt || v.kind == K::kFloat) return std::nullopt;
      return fmt::format("Float cannot represent non numeric value: {}", Shown(v));
    case ScalarType::kBoolean:
      if (v.kind == K::kBool) return std::nullopt;
      return fmt::format("Boolean cannot represent a non boolean value: {}", Shown(v));
  }
  return "unknown scalar type";
}

namespace {

// GraphQL spec §5.8.5.
bool IsSubType(const TypeRef& var, const TypeRef& loc) {
  if (loc.non_null) return var.non_null && IsSubType(*var.of, *loc.of);
  if (var.non_null) return IsSubType(*var.of, loc);
  if (loc.is_list()) return var.is_list() && IsSubType(*var.of, *loc.of);
  if (var.is_list()) return false;
  return var.name == loc.name;
}

}  // namespace

bool IsAllowedPosition(const TypeRef& var, bool var_has_default, const TypeRef& loc) {
  if (loc.non_null && !var.non_null) return var_has_default && IsSubType(var, *loc.of);
  return IsSubType(var, loc);
}

TypeRef Named(std::string name) { return TypeRef::Named(std::move(name)); }
TypeRef ListOfNonNull(std::string name) {
  return TypeRef::ListOf(TypeRef::NonNull(TypeRef::Named(std::move(name))));
}

Result<Input> FromJson(const nlohmann::json& j, Pos pos, int depth) {
  if (depth > kMaxNestingDepth) {
    return Invalid(pos,
                   fmt::format("a variable value nests deeper than {} levels", kMaxNestingDepth));
  }
  Input v;
  v.pos = pos;
  v.from_variable = true;
  using J = nlohmann::json::value_t;
  switch (j.type()) {
    case J::null:
      v.kind = Input::Kind::kNull;
      break;
    case J::boolean:
      v.kind = Input::Kind::kBool;
      v.boolean = j.get<bool>();
      break;
    case J::number_integer:
      v.kind = Input::Kind::kInt;
      v.integer = j.get<int64_t>();
      v.number = static_cast<double>(v.integer);
      break;
    case J::number_unsigned: {
      uint64_t u = j.get<uint64_t>();
      if (u <= static_cast<uint64_t>(INT64_MAX)) {
        v.kind = Input::Kind::kInt;
        v.integer = static_cast<int64_t>(u);
      } else {
        v.kind = Input::Kind::kFloat;
      }
      v.number = static_cast<double>(u);
      break;
    }
    case J::number_float:
      v.kind = Input::Kind::kFloat;
      v.number = j.get<double>();
      break;
    case J::string:
      v.kind = Input::Kind::kString;
      v.text = j.get_ref<const std::string&>();
      break;
    case J::array:
      v.kind = Input::Kind::kList;
      for (const auto& item : j) {
        ASSIGN_OR_RETURN(Input converted, FromJson(item, pos, depth + 1));
        v.items.push_back(std::move(converted));
      }
      break;
    case J::object:
      v.kind = Input::Kind::kObject;
      for (const auto& [key, item] : j.items()) {
        Input::Field field;
        field.name = key;
        field.pos = pos;
        ASSIGN_OR_RETURN(field.value, FromJson(item, pos, depth + 1));
        v.fields.push_back(std::move(field));
      }
      break;
    default:
      return Invalid(pos,
                     "a variable value must be JSON null, bool, number, string, "
                     "list or object");
  }
  return v;
}

}  // namespace ecsguard::query
