#pragma once

// Internal to query/: from query text to a Program (parse, normalise, validate, compile).

#include <memory>
#include <nlohmann/json.hpp>
#include <string_view>

#include "base/result.h"
#include "graph/schema.h"
#include "query/program.h"

namespace ecsguard::query {

Result<std::shared_ptr<Program>> CompileProgram(const graph::Schema& schema, std::string_view text,
                                                const nlohmann::json& variables,
                                                const CompileOptions& options);

}  // namespace ecsguard::query
