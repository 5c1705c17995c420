#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "controls/catalog.h"

namespace ecsguard::controls {

// A compliance framework as data (`frameworks/<id>.yaml`): its requirements, each mapped to
// the catalog controls that judge it. `scan ... --framework ID` runs those controls (default
// or not) and the reports group findings by requirement. A framework may name a control the
// catalog does not have (a custom catalog, or a control not written yet): that is not a load
// error, UnknownControls lists it and its requirement is reported as not covered.
//
//   ASSIGN_OR_RETURN(Framework fsbp, ParseFramework(text, "frameworks/fsbp.yaml"));
//   for (const UnknownControl& u : UnknownControls(fsbp, catalog)) warn(u.location, u.id);
//   std::vector<const Control*> run = FrameworkControls(fsbp, catalog);
struct Requirement {
  std::string id;  // as the framework writes it, e.g. "ECS.4"
  std::string title;
  std::vector<std::string> controls;  // control ids (never aliases)
  SourceLocation location;            // of the requirement in the framework file
};

struct Framework {
  std::string id;  // what --framework takes, e.g. "fsbp" (IsControlId's alphabet)
  std::string name;
  std::string version;
  std::string url;
  std::string description;
  std::vector<Requirement> requirements;  // in file order
  std::string file;

  // The requirements that name `control_id`, in file order.
  std::vector<const Requirement*> RequirementsOf(std::string_view control_id) const;
};

// Parses one framework file (YAML). Errors name the file, line and column: unknown fields, a
// missing id/name/requirements, a malformed control id, a requirement id given twice.
Result<Framework> ParseFramework(std::string_view yaml_text, std::string_view file_name);

// Every framework of a directory (`frameworks/*.yaml`), sorted by id; two files with one id
// are an error.
Result<std::vector<Framework>> LoadFrameworkDirectory(const std::string& dir);

struct UnknownControl {
  std::string id;
  std::string requirement;
  SourceLocation location;  // of the requirement naming it
};
// The control ids the framework names that the catalog does not have.
std::vector<UnknownControl> UnknownControls(const Framework& framework, const Catalog& catalog);

// The catalog controls the framework maps, in catalog (id) order, whether enabled by default
// or not; ids the catalog lacks are left out (UnknownControls names them).
std::vector<const Control*> FrameworkControls(const Framework& framework, const Catalog& catalog);

}  // namespace ecsguard::controls
