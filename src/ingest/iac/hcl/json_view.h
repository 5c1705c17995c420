#pragma once

// The JSON view of a parsed file that @cdktf/hcl2json (HashiCorp's hcl2json converter) prints,
// reproduced exactly so tools built on that format can consume our parse:
//   - a block becomes {type: {label1: {label2: [body, ...]}}}; repeated blocks append to the
//     array; attributes are written after blocks and replace a block of the same name;
//   - literals stay JSON values (numbers in plain decimal: 1e3 -> 1000), and so do tuples and
//     objects, element by element; `-1` and `!true` are folded;
//   - any other expression becomes "${<its source text>}", comments and newlines included;
//   - a template keeps its interpolations as "${<source>}", `${c ? a : b}` and %{if} become
//     "%{if c}a%{else}b%{endif}", %{for} becomes "%{for k, v in coll}...%{endfor}", strip
//     markers and heredoc indentation are applied, and literal text is re-escaped ($${, %%{);
//   - object keys that are names or traversals are written as their source text.
// Errors: the first parse error, or the converter's own refusals (a block type used both with
// and without labels, a unary operator on a literal of the wrong type).

#include <string>

#include "base/result.h"
#include "ingest/iac/hcl/parser.h"
#include "ingest/iac/hcl/value.h"

namespace ecsguard::ingest::hcl {

Result<Value> ToHcl2JsonValue(const File& file);
// The same as compact JSON (keys sorted, Go's escaping).
Result<std::string> ToHcl2JsonView(const File& file);

}  // namespace ecsguard::ingest::hcl
