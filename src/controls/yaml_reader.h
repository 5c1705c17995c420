#pragma once

// Internal to controls/: reads the fields of the catalog's YAML files (controls, frameworks)
// with every error at its file:line:column.

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "base/strings.h"
#include "base/yaml.h"
#include "controls/catalog.h"

namespace ecsguard::controls::internal {

// The *.yaml and *.yml files directly in `dir`, sorted. kNotFound names `what` ("control
// catalog directory") when `dir` is not a directory.
Result<std::vector<std::string>> YamlFilesIn(const std::string& dir, std::string_view what);

class Reader {
 public:
  explicit Reader(std::string_view file) : file_(file) {}

  Error Fail(const YAML::Node& node, std::string message) const {
    return Error(ErrorCode::kConfiguration, std::move(message), YamlLocation(file_, node));
  }

  Result<std::string> String(const YAML::Node& map, const char* key, bool required) const {
    YAML::Node node = map[key];
    if (!node) {
      if (required) return Fail(map, fmt::format("missing required field \"{}\"", key));
      return std::string();
    }
    if (!node.IsScalar()) return Fail(node, fmt::format("\"{}\" must be a string", key));
    return node.as<std::string>();
  }

  Result<std::vector<std::string>> StringList(const YAML::Node& map, const char* key) const {
    std::vector<std::string> out;
    YAML::Node node = map[key];
    if (!node) return out;
    if (node.IsScalar()) {
      out.push_back(node.as<std::string>());
      return out;
    }
    if (!node.IsSequence()) return Fail(node, fmt::format("\"{}\" must be a list", key));
    for (const auto& item : node) {
      if (!item.IsScalar()) return Fail(item, fmt::format("\"{}\" items must be strings", key));
      out.push_back(item.as<std::string>());
    }
    return out;
  }

  Result<Check> ReadCheck(const YAML::Node& node) const {
    if (!node.IsMap()) return Fail(node, "a check must be a mapping with name, query, ...");
    RETURN_IF_ERROR(OnlyKnownKeys(
        node, {"name", "query", "comparator", "expected", "returnPath", "applicableAssetsQuery"}));
    Check check;
    ASSIGN_OR_RETURN(check.name, String(node, "name", true));
    ASSIGN_OR_RETURN(check.query, String(node, "query", true));
    check.location = YamlLocation(file_, node["query"]);
    ASSIGN_OR_RETURN(std::string comparator, String(node, "comparator", false));
    if (comparator.empty() || comparator == "eq") {
      check.comparator = Comparator::kEq;
    } else if (comparator == "neq") {
      check.comparator = Comparator::kNeq;
    } else {
      return Fail(node["comparator"],
                  fmt::format("comparator must be eq or neq, not \"{}\"", comparator));
    }
    ASSIGN_OR_RETURN(std::string expected, String(node, "expected", false));
    if (!expected.empty()) check.expected = expected;
    if (check.expected != "[]" && check.expected != "true" && check.expected != "false") {
      return Fail(node["expected"], "expected must be \"[]\", \"true\" or \"false\"");
    }
    ASSIGN_OR_RETURN(check.return_path, String(node, "returnPath", false));
    ASSIGN_OR_RETURN(check.applicable_assets_query, String(node, "applicableAssetsQuery", false));
    if (Trim(check.query).empty()) return Fail(node["query"], "query is empty");
    return check;
  }

  Result<void> OnlyKnownKeys(const YAML::Node& map, std::set<std::string> known) const {
    for (const auto& kv : map) {
      std::string key = kv.first.as<std::string>();
      if (!known.count(key)) {
        return Fail(kv.first, fmt::format("unknown field \"{}\" (known: {})", key,
                                          Join({known.begin(), known.end()}, ", ")));
      }
    }
    return Ok{};
  }

 private:
  std::string_view file_;
};

}  // namespace ecsguard::controls::internal
