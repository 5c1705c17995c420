#include "controls/framework.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <set>

#include "base/strings.h"
#include "base/yaml.h"
#include "controls/yaml_reader.h"

namespace ecsguard::controls {
namespace {

// Frameworks name controls by id, never by alias: reports match findings to requirements by
// the finding's control id, and an alias (ECS.4) may be claimed by several controls.
const Control* FindById(const Catalog& catalog, std::string_view id) {
  for (const Control& c : catalog.controls()) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

}  // namespace

std::vector<const Requirement*> Framework::RequirementsOf(std::string_view control_id) const {
  std::vector<const Requirement*> out;
  for (const Requirement& r : requirements) {
    if (std::find(r.controls.begin(), r.controls.end(), control_id) != r.controls.end()) {
      out.push_back(&r);
    }
  }
  return out;
}

Result<Framework> ParseFramework(std::string_view yaml_text, std::string_view file_name) {
  ASSIGN_OR_RETURN(YAML::Node root, LoadYaml(yaml_text, file_name));
  internal::Reader r(file_name);
  if (!root.IsMap()) return r.Fail(root, "a framework file must be a YAML mapping");
  try {
    RETURN_IF_ERROR(
        r.OnlyKnownKeys(root, {"id", "name", "version", "url", "description", "requirements"}));
    Framework f;
    f.file = std::string(file_name);
    ASSIGN_OR_RETURN(f.id, r.String(root, "id", true));
    if (!IsControlId(f.id)) {
      return r.Fail(root["id"], fmt::format("id must be lower-case letters, digits, '.', '_' and "
                                            "'-', not \"{}\"",
                                            f.id));
    }
    ASSIGN_OR_RETURN(f.name, r.String(root, "name", true));
    ASSIGN_OR_RETURN(f.version, r.String(root, "version", false));
    ASSIGN_OR_RETURN(f.url, r.String(root, "url", false));
    ASSIGN_OR_RETURN(f.description, r.String(root, "description", false));
    YAML::Node requirements = root["requirements"];
    if (!requirements || !requirements.IsSequence() || requirements.size() == 0) {
      return r.Fail(requirements ? requirements : root,
                    "\"requirements\" must be a non-empty list");
    }
    std::set<std::string> seen;
    for (const YAML::Node& node : requirements) {
      if (!node.IsMap()) return r.Fail(node, "a requirement must be a mapping with id, title, ...");
      RETURN_IF_ERROR(r.OnlyKnownKeys(node, {"id", "title", "controls"}));
      Requirement req;
      req.location = YamlLocation(file_name, node);
      ASSIGN_OR_RETURN(req.id, r.String(node, "id", true));
      if (Trim(req.id).empty()) return r.Fail(node["id"], "requirement id is empty");
      if (!seen.insert(req.id).second) {
        return r.Fail(node["id"], fmt::format("requirement \"{}\" is listed twice", req.id));
      }
      ASSIGN_OR_RETURN(req.title, r.String(node, "title", true));
      // An empty list is allowed: the requirement is shown as not covered by any control.
      if (!node["controls"]) return r.Fail(node, "missing required field \"controls\"");
      ASSIGN_OR_RETURN(req.controls, r.StringList(node, "controls"));
      for (size_t i = 0; i < req.controls.size(); ++i) {
        const YAML::Node item = node["controls"].IsSequence() ? node["controls"][i] : node;
        if (!IsControlId(req.controls[i])) {
          return r.Fail(item, fmt::format("\"{}\" is not a control id", req.controls[i]));
        }
      }
      f.requirements.push_back(std::move(req));
    }
    return f;
  } catch (const YAML::Exception& e) {
    return YamlError(e, file_name);
  }
}

Result<std::vector<Framework>> LoadFrameworkDirectory(const std::string& dir) {
  ASSIGN_OR_RETURN(std::vector<std::string> files,
                   internal::YamlFilesIn(dir, "framework directory"));
  std::vector<Framework> out;
  for (const std::string& file : files) {
    std::string text;
    if (!ReadFileToString(file, &text)) {
      return Error(ErrorCode::kIo, "cannot read framework file", SourceLocation{file, 0, 0});
    }
    ASSIGN_OR_RETURN(Framework f, ParseFramework(text, file));
    for (const Framework& other : out) {
      if (other.id == f.id) {
        return Error(ErrorCode::kConfiguration,
                     fmt::format("framework id \"{}\" is also defined in {}", f.id, other.file),
                     SourceLocation{file, 0, 0});
      }
    }
    out.push_back(std::move(f));
  }
  std::sort(out.begin(), out.end(),
            [](const Framework& a, const Framework& b) { return a.id < b.id; });
  return out;
}

std::vector<UnknownControl> UnknownControls(const Framework& framework, const Catalog& catalog) {
  std::vector<UnknownControl> out;
  for (const Requirement& r : framework.requirements) {
    for (const std::string& id : r.controls) {
      if (FindById(catalog, id) == nullptr) out.push_back({id, r.id, r.location});
    }
  }
  return out;
}

std::vector<const Control*> FrameworkControls(const Framework& framework, const Catalog& catalog) {
  std::set<const Control*> mapped;
  for (const Requirement& r : framework.requirements) {
    for (const std::string& id : r.controls) {
      if (const Control* c = FindById(catalog, id)) mapped.insert(c);
    }
  }
  std::vector<const Control*> out;
  for (const Control& c : catalog.controls()) {
    if (mapped.count(&c)) out.push_back(&c);
  }
  return out;
}

}  // namespace ecsguard::controls
