#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace ecsguard::controls {

enum class Severity : uint8_t { kLow, kMedium, kHigh, kCritical };
std::string_view SeverityName(Severity s);  // "critical", "high", ...
std::optional<Severity> ParseSeverity(std::string_view s);

// A control id: 1 to 128 characters of a-z, 0-9, '.', '_' and '-', starting with a letter or
// digit. Ids name files and appear in reports, so nothing else (no '/', no spaces) is accepted.
bool IsControlId(std::string_view s);

enum class Comparator : uint8_t { kEq, kNeq };

// One stored check (QUERY-LANGUAGE.md §1.2): a query, how to compare its result, and
// optionally where the failing assets are (returnPath) and which assets it applies to.
struct Check {
  std::string name;
  std::string query;
  Comparator comparator = Comparator::kEq;
  std::string expected = "[]";  // "[]", "true" or "false"
  std::string return_path;
  std::string applicable_assets_query;
  SourceLocation location;  // of the query text in the control file
};

struct Remediation {
  std::string console;
  std::string cli;
  std::string service_wide;
  std::string preventive;
};

// Which task-definition revisions a control judges, so a live scan knows what to read.
// kInUse: the revisions running tasks use (what a scan reads anyway). kLatestActive: the latest
// ACTIVE revision of each family, which needs every ACTIVE revision listed and described.
enum class RevisionScope : uint8_t { kInUse, kLatestActive };

// Whether the control's source still publishes it. A retired control still runs (to reconcile
// with findings made while it was published); `controls list` says it is retired and by what.
enum class Lifecycle : uint8_t { kActive, kRetired };

struct Control {
  std::string id;
  std::string title;
  Severity severity = Severity::kMedium;
  std::string provider;
  std::vector<std::string> subjects;
  std::vector<std::string> aliases;
  bool enabled_by_default = true;
  RevisionScope scope = RevisionScope::kInUse;  // `scope: in-use | latest-active`
  Lifecycle lifecycle = Lifecycle::kActive;     // `status: active | retired`
  std::vector<std::string> superseded_by;       // `superseded_by:` what replaces a retired one
  std::string overview;
  Remediation remediation;
  std::vector<Check> checks;
  std::optional<Check> iac;  // the preventive variant: the same filter without the in-use clause
  std::string file;
};

// Parses one control file (YAML). Errors name the file, line and column.
Result<Control> ParseControl(std::string_view yaml_text, std::string_view file_name);

// All controls of a catalog directory (`controls/*.yaml`), sorted by id.
class Catalog {
 public:
  static Result<Catalog> LoadDirectory(const std::string& dir);
  static Catalog FromControls(std::vector<Control> controls);

  const std::vector<Control>& controls() const { return controls_; }
  const Control* Find(std::string_view id_or_alias) const;
  // The controls a scan runs: the named ones (ids or aliases; error on unknown), or the
  // default set when `names` is empty.
  Result<std::vector<const Control*>> Select(const std::vector<std::string>& names) const;

 private:
  std::vector<Control> controls_;
};

}  // namespace ecsguard::controls
