#pragma once

// JSON for evaluator values, with Terraform's jsonencode/jsondecode semantics.

#include <cstddef>
#include <string>
#include <string_view>

#include "base/result.h"
#include "ingest/iac/hcl/value.h"

namespace ecsguard::ingest::hcl {

// Compact JSON as Terraform's jsonencode writes it (Go's encoding/json): object keys sorted,
// numbers in plain decimal with every digit kept ("1.50" -> 1.5, 1e3 -> 1000), and <, >, &,
// U+2028, U+2029 escaped as \u003c \u003e \u0026 \u2028 \u2029. Unknown values cannot be
// encoded (kInvalidArgument naming the reason).
Result<std::string> EncodeJson(const Value& value);
void AppendJsonString(std::string_view s, std::string* out);

// Parses JSON into a value (objects, tuples; number text kept exactly as written). Errors are
// kParse with the line and column inside `text`.
Result<Value> DecodeJson(std::string_view text, size_t max_depth = 256);

}  // namespace ecsguard::ingest::hcl
