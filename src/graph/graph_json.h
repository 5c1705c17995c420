#pragma once

#include <string_view>

#include "base/result.h"
#include "graph/property_graph.h"

namespace ecsguard::graph {

// Loads a property graph in the fixture format of the query conformance cases:
//   {"nodes": [{"id", "label", "props": {...}}], "relationships": [{"type", "from", "to"}]}
// Property values are strings, numbers, Booleans or lists of those; null means absent.
// The returned graph is frozen.
Result<Graph> LoadGraphJson(std::string_view json_text, std::string_view file_name = "");

}  // namespace ecsguard::graph
