#pragma once

// Terraform type constraints — a variable's `type = object({ privileged = optional(bool, true) })`
// — and the conversion Terraform applies to a variable's value: primitives converted
// (tobool("1") is true), object attributes the type does not name dropped, `optional()`
// attributes that are absent or null given their default (or null), a required attribute that
// is absent an error. Unknown values pass through unconverted.
//
//   ASSIGN_OR_RETURN(hcl::Type type, hcl::ParseType(*variable_type_expr, "main.tf"));
//   ASSIGN_OR_RETURN(hcl::Value v, hcl::Convert(given, type));

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "ingest/iac/hcl/ast.h"
#include "ingest/iac/hcl/value.h"

namespace ecsguard::ingest::hcl {

struct Type {
  enum class Kind : uint8_t { kAny, kString, kNumber, kBool, kList, kSet, kMap, kTuple, kObject };
  Kind kind = Kind::kAny;
  // kList, kSet, kMap: the element type. kTuple: each element's. kObject: each attribute's,
  // named by attribute_names.
  std::vector<Type> elements;
  std::vector<std::string> attribute_names;
  std::vector<bool> optional;                  // kObject: optional(...) attributes
  std::vector<std::optional<Value>> defaults;  // kObject: optional(type, default)

  bool is_primitive() const {
    return kind == Kind::kString || kind == Kind::kNumber || kind == Kind::kBool;
  }
};

// The name of an object key written as `name = ...` or `"name" = ...`; nothing for an
// expression key.
std::optional<std::string> LiteralKey(const ObjectItem& item);

// Reads a type expression (string, number, bool, any, list(T), set(T), map(T), tuple([...]),
// object({...}), optional(T[, default]) inside object). kValidation with the expression's
// place for anything else.
Result<Type> ParseType(const Expression& expr, const std::string& filename);

// `value` converted to `type`, optional attribute defaults applied. kValidation naming the
// attribute path when Terraform would refuse the value.
Result<Value> Convert(const Value& value, const Type& type);

}  // namespace ecsguard::ingest::hcl
