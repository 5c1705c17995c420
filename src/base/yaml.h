#pragma once

// The one way ecsguard reads its own YAML files (control definitions, the exceptions file,
// --config, the accounts file): strictly, and with every error at its file:line:column.
//
//   ASSIGN_OR_RETURN(YAML::Node root, LoadYaml(text, "exceptions.yaml"));
//   if (!root.IsMap()) return Error(ErrorCode::kConfiguration, "...", YamlLocation(file, root));
//
// Strict means what a user of a configuration file expects: one document, and no key twice in
// one mapping (yaml-cpp keeps the first silently, so a second `fail_on:` or a repeated
// exception field would be ignored). Every error is kConfiguration: these files are the user's
// configuration, whatever part reads them. CloudFormation templates are not read here: they
// need positions for every value and YAML's tags, which ingest/iac's event reader gives.
//
// A separate library (ecsguard::yaml) so that base itself does not link yaml-cpp.

#include <yaml-cpp/yaml.h>

#include <string_view>

#include "base/error.h"
#include "base/result.h"

namespace ecsguard {

// Where `mark` (or `node`) is in `file`, 1-based; line 0 when yaml-cpp does not know.
SourceLocation YamlLocation(std::string_view file, const YAML::Mark& mark);
SourceLocation YamlLocation(std::string_view file, const YAML::Node& node);

// Parses `text` as one YAML document. A syntax error, a second document or a key repeated in a
// mapping is a kConfiguration error at its place. Empty text is a null node.
Result<YAML::Node> LoadYaml(std::string_view text, std::string_view file);

// The error of a yaml-cpp exception thrown while reading a loaded document (a scalar that does
// not convert, a bad access), at the exception's place.
Error YamlError(const YAML::Exception& e, std::string_view file);

}  // namespace ecsguard
