#pragma once

// Built-in functions of the static evaluator, private to hcl/.

#include <string_view>
#include <vector>

#include "base/result.h"
#include "ingest/iac/hcl/eval.h"
#include "ingest/iac/hcl/value.h"

namespace ecsguard::ingest::hcl {

// Calls function `name` on evaluated arguments. `at` locates errors; `context` gives file
// access and the template nesting budget (templatefile).
Result<Value> CallFunction(std::string_view name, std::vector<Value> args, const SourceLocation& at,
                           const EvalContext& context);

// How a value is written inside a string template: strings as is, numbers in plain decimal,
// bools as true/false. Null and collections are errors (`what` names the context).
Result<std::string> ValueToString(const Value& v, const SourceLocation& at, std::string_view what);

}  // namespace ecsguard::ingest::hcl
