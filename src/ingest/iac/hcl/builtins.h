#pragma once

// What the built-in function files (functions*.cpp) share, private to hcl/: the call being
// evaluated with its argument readers, and each file's table of functions.

#include <fmt/format.h>

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "ingest/iac/hcl/eval.h"
#include "ingest/iac/hcl/value.h"

namespace ecsguard::ingest::hcl {

struct Call {
  std::string_view name;
  std::vector<Value>& args;
  const SourceLocation& at;
  const EvalContext& context;

  Error Fail(std::string message) const {
    return Error(ErrorCode::kValidation,
                 fmt::format("Invalid function argument: {}(): {}", name, message), at);
  }
  Result<void> Arity(size_t min, size_t max) const;
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
  // Argument i as a string (numbers and bools convert, as Terraform's string parameters do).
  Result<std::string> String(size_t i) const;
  // Argument i as a number (numeric strings convert).
  Result<double> Number(size_t i) const;
  // Argument i as a whole number.
  Result<int64_t> Integer(size_t i) const;
  Result<bool> Bool(size_t i) const;
  // Argument i as a list, set or tuple; `what` names it in the error.
  Result<const std::vector<Value>*> List(size_t i) const;
  // Argument i as a map or object.
  Result<const std::vector<Value::Attribute>*> Map(size_t i) const;
};

using Builtin = Result<Value> (*)(const Call&);

struct Entry {
  std::string_view name;
  Builtin fn;
  // Whether the function handles unknowns nested in its arguments itself (passes them through,
  // as concat and merge do); otherwise any unknown inside an argument makes the result unknown.
  bool nested_unknowns = false;
};

// A number value for `d`; an error when it is not finite.
Result<Value> NumberResult(const Call& c, double d);
// Terraform's set: elements sorted (numbers by value, strings bytewise, others by their JSON)
// and de-duplicated. Mixed primitive elements are unified to strings first, as cty does.
Result<Value> MakeSet(const Call& c, std::vector<Value> elements);
// Mixed primitive elements of a list unified as Terraform does (to string); an error when
// primitives, tuples and objects are mixed.
Result<std::vector<Value>> UnifyElements(const Call& c, std::vector<Value> elements);

std::span<const Entry> StringBuiltins();
std::span<const Entry> CollectionBuiltins();
std::span<const Entry> EncodingBuiltins();
std::span<const Entry> NetworkTimeBuiltins();

}  // namespace ecsguard::ingest::hcl
