#pragma once

#include <string_view>

#include "base/result.h"
#include "graph/property_graph.h"
#include "graph/schema.h"

namespace ecsguard::graph {

// Loads a property graph in the fixture format of the query conformance cases:
//   {"nodes": [{"id", "label", "props": {...}}], "relationships": [{"type", "from", "to"}]}
// Property values are strings, numbers, Booleans or lists of those; null means absent.
// With a `schema`, the file must also follow it: every label is a type's, every property a
// scalar field of that type with a value of the field's type, every relationship type one of
// the from-node's (OUT) or to-node's (IN) relationship fields; otherwise kValidation naming the
// element ("nodes[3] (id \"td1\").props.privileged"), so a value is never silently compared
// against a type it cannot have. The returned graph is frozen.
Result<Graph> LoadGraphJson(std::string_view json_text, std::string_view file_name = "",
                            const Schema* schema = nullptr);

}  // namespace ecsguard::graph
