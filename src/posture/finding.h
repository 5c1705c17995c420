#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "controls/catalog.h"

namespace ecsguard::posture {

enum class Status : uint8_t { kFail, kPass, kExcepted, kNotEvaluated };
std::string_view StatusName(Status s);  // "FAIL", "PASS", "EXCEPTED", "NOT_EVALUATED"
// The inverses of the names: nothing for a name ecsguard never writes, which a reader of saved
// findings (a JSON report, the history) treats as an error, never as a default.
std::optional<Status> ParseStatus(std::string_view name);

// What a finding is about. For live and snapshot assets `arn` is set; for IaC assets `id` is
// "<path>#<logical id>" and `location` points into the file.
struct Resource {
  std::string type;  // "ECSTaskDefinition"
  std::string id;
  std::string arn;
  std::string account_id;
  std::string region;
  std::string family;
  int64_t revision = 0;
  std::string name;
  std::string status;  // ACTIVE / INACTIVE
  SourceLocation location;
};

// One reason a check matched: a related node (e.g. a container) and the values of the fields
// the check read on it. Values are JSON literals ("true", "\"root\""); sensitive values are
// never stored here.
struct Evidence {
  std::string path;     // relationship path from the asset, e.g. "containerSpecs"
  std::string subject;  // e.g. the container name
  std::vector<std::pair<std::string, std::string>> fields;
  SourceLocation location;       // IaC: where the offending property is written
  std::string Describe() const;  // "container nginx: privileged=true, user=\"root\""
};

enum class Exposure : uint8_t { kUnknown, kInternal, kInternet };
std::string_view ExposureName(Exposure e);  // "unknown", "internal", "internet"
std::optional<Exposure> ParseExposure(std::string_view name);
enum class Priority : uint8_t { kP1 = 1, kP2, kP3, kP4 };
std::string_view PriorityName(Priority p);  // "P1" .. "P4"
std::optional<Priority> ParsePriority(std::string_view name);

struct Context {
  std::vector<std::string> tasks;     // running tasks that use the revision
  std::vector<std::string> services;  // services whose deployments use it
  std::vector<std::string> clusters;
  Exposure exposure = Exposure::kUnknown;
  std::vector<std::string> exposure_reasons;
  std::string environment;         // "production", "staging", ... or "" when unknown
  std::string environment_source;  // e.g. "tag env=prod on service web"
  Priority priority = Priority::kP4;
  // "" when every call the context is made of answered; else "incomplete: <what failed>": the
  // priority may be too low (MarkIncompleteContext).
  std::string priority_context;
};

struct AppliedException {
  std::string id;
  std::string reason;
  std::string owner;
  std::string expires;  // YYYY-MM-DD
  std::string ticket;
};

struct Finding {
  std::string id;  // stable across scans: hash of control, account, region, family, revision
  std::string control_id;
  std::string control_title;
  controls::Severity severity = controls::Severity::kMedium;
  Status status = Status::kPass;
  Resource resource;
  std::vector<Evidence> evidence;
  std::string reason;  // NOT_EVALUATED: why; FAIL: a one-line explanation
  Context context;
  std::optional<AppliedException> exception;
};

// Stable finding id (20 hex digits of a SHA-256): never a line number or a position.
std::string FindingId(std::string_view control_id, const Resource& resource);

struct Summary {
  std::map<Status, size_t> by_status;
  size_t total = 0;
};
Summary Summarise(const std::vector<Finding>& findings);

}  // namespace ecsguard::posture
