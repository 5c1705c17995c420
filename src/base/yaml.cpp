#include "base/yaml.h"

#include <fmt/format.h>

#include <set>
#include <string>

namespace ecsguard {
namespace {

// Aliases make a small text a large tree (each *alias walks its anchor again): the walk stops
// at a budget far above any real configuration file, and so does nesting.
constexpr size_t kMaxNodesWalked = 100'000;
constexpr int kMaxDepth = 128;

class DuplicateKeyFinder {
 public:
  explicit DuplicateKeyFinder(std::string_view file) : file_(file) {}

  Result<void> Walk(const YAML::Node& node, int depth) {
    if (++walked_ > kMaxNodesWalked || depth > kMaxDepth) {
      return Error(ErrorCode::kConfiguration,
                   fmt::format("the document is too large to read (more than {} values, aliases "
                               "counted, or nested deeper than {})",
                               kMaxNodesWalked, kMaxDepth),
                   YamlLocation(file_, node));
    }
    if (node.IsSequence()) {
      for (const YAML::Node& item : node) RETURN_IF_ERROR(Walk(item, depth + 1));
    } else if (node.IsMap()) {
      std::set<std::string> keys;
      for (const auto& kv : node) {
        if (kv.first.IsScalar() && !keys.insert(kv.first.Scalar()).second) {
          return Error(ErrorCode::kConfiguration,
                       fmt::format("duplicate key \"{}\"", kv.first.Scalar()),
                       YamlLocation(file_, kv.first));
        }
        RETURN_IF_ERROR(Walk(kv.first, depth + 1));
        RETURN_IF_ERROR(Walk(kv.second, depth + 1));
      }
    }
    return Ok{};
  }

 private:
  std::string_view file_;
  size_t walked_ = 0;
};

}  // namespace

SourceLocation YamlLocation(std::string_view file, const YAML::Mark& mark) {
  if (mark.line < 0) return SourceLocation{std::string(file), 0, 0};
  return SourceLocation{std::string(file), static_cast<uint32_t>(mark.line + 1),
                        static_cast<uint32_t>(mark.column + 1)};
}

SourceLocation YamlLocation(std::string_view file, const YAML::Node& node) {
  return YamlLocation(file, node.Mark());
}

Error YamlError(const YAML::Exception& e, std::string_view file) {
  return Error(ErrorCode::kConfiguration, e.msg, YamlLocation(file, e.mark));
}

Result<YAML::Node> LoadYaml(std::string_view text, std::string_view file) {
  std::vector<YAML::Node> documents;
  try {
    documents = YAML::LoadAll(std::string(text));
  } catch (const YAML::Exception& e) {
    return YamlError(e, file);
  }
  if (documents.empty()) return YAML::Node();
  if (documents.size() > 1) {
    return Error(ErrorCode::kConfiguration,
                 "more than one YAML document (a \"---\" line starts a second one); "
                 "one document per file",
                 YamlLocation(file, documents[1]));
  }
  try {
    RETURN_IF_ERROR(DuplicateKeyFinder(file).Walk(documents.front(), 0));
  } catch (const YAML::Exception& e) {
    return YamlError(e, file);
  }
  return documents.front();
}

}  // namespace ecsguard
