#pragma once

// Internal to query/: GraphQL input coercion (GraphQL spec §3.5, §5.8.5; QUERY-LANGUAGE §3.4):
// scalars, variables in allowed positions, and JSON variable values as Inputs.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "graph/schema.h"
#include "query/document.h"

namespace ecsguard::query {

// The built-in scalar a type name denotes (ID, String, Int, Float, Boolean, BigInt, temporal).
std::optional<graph::ScalarType> BuiltinScalar(std::string_view name);

// Why `v` cannot be coerced to the scalar `type_name` of kind `t`, or nothing when it can.
// Literals and JSON variable values differ only for enums (a literal enum is a name, a JSON
// enum is a string).
std::optional<std::string> CheckScalar(const Input& v, graph::ScalarType t,
                                       std::string_view type_name);

// Whether a variable declared `var` (with a default or not) may be used where `loc` is expected.
bool IsAllowedPosition(const TypeRef& var, bool var_has_default, const TypeRef& loc);

TypeRef Named(std::string name);
TypeRef ListOfNonNull(std::string name);  // [name!]

// A JSON variable value as an Input (from_variable set), nesting at most kMaxNestingDepth.
Result<Input> FromJson(const nlohmann::json& j, Pos pos, int depth = 0);

// A value as shown in a message, cut short so that a 10k-element list stays readable.
std::string Shown(const Input& v);

Error Invalid(Pos p, std::string message);  // kValidation at `p`

}  // namespace ecsguard::query
