#pragma once

// The fixed revision of one task definition: the register-task-definition input computed from
// the document AWS returned, with only the offending fields changed.

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "posture/finding.h"

namespace ecsguard::remediate {

// The full describe-task-definition answer for one revision, key order as AWS returned it.
struct RevisionDocument {
  nlohmann::ordered_json task_definition;  // the "taskDefinition" object
  // The "tags" array ([{key, value}]). Empty when the revision has none or when the source did
  // not say (a snapshot taken without --include TAGS): `tags_known` tells which.
  nlohmann::ordered_json tags = nlohmann::ordered_json::array();
  bool tags_known = false;
};

// Fields of a task definition that describe-task-definition returns and
// register-task-definition rejects.
const std::vector<std::string>& ReadOnlyFields();

// Members of RegisterTaskDefinitionRequest (the ECS API model), for warning about fields a
// newer API returns that we would carry over without knowing them.
const std::vector<std::string>& RegisterRequestMembers();

// The user runs as root: its user part (before an optional ":group") is the name `root` or the
// UID 0 written with one or more zeros. Case-sensitive, as on Linux: "ROOT", "rootless",
// "1000:root" are not root.
bool IsRootUser(std::string_view user);

// The register-task-definition input for `document` as it stands: read-only fields removed,
// tags carried over (when there are any), every other key in AWS's order.
nlohmann::ordered_json RegisterInput(const RevisionDocument& document);

// Two register inputs describe the same revision: equal once key order is ignored, empty
// arrays/objects and nulls count as absent, tags compare as a set and ecsguard's own tags
// (which say why a revision was registered, not what it runs) are left out.
bool SameRevision(const nlohmann::ordered_json& a, const nlohmann::ordered_json& b);

// The tags ecsguard puts on every revision it registers, so a later run recognises its own fix
// of an original instead of registering another one: kFixesTag holds FixesTagValue(original
// ARN), kControlTag the ids of the controls that flagged the original (space-separated).
inline constexpr std::string_view kTagPrefix = "ecsguard:";
inline constexpr std::string_view kFixesTag = "ecsguard:fixes";
inline constexpr std::string_view kControlTag = "ecsguard:control";
// The ARN itself, or its last 256 characters (the limit of a tag value) when it is longer: the
// tag is only ever compared within one family, where the tail names the revision.
std::string FixesTagValue(std::string_view original_arn);
// The value of the document's kFixesTag, or "" when it has none.
std::string FixesTagOf(const RevisionDocument& document);

// One field the fix changes. Values are JSON literals ("true", "\"0:0\"").
struct FieldChange {
  std::string container;
  std::string field;  // "privileged", "user" or "readonlyRootFilesystem"
  std::string before;
  std::string after;
  std::string Describe() const;  // "container app: privileged true -> false"
};

struct FixOptions {
  std::string user = "1000:1000";  // what a root user becomes
};

struct RevisionFix {
  std::string arn;                   // the revision that is fixed
  nlohmann::ordered_json input;      // register-task-definition input: contains environment values
  std::vector<FieldChange> changes;  // empty: nothing to change
  // Things a reader must know: a flagged container the fix leaves alone (a user the seed
  // control flags by substring that is not root), unknown tags, unknown fields.
  std::vector<std::string> notes;
};

// Computes the fix of one revision. Containers named by the findings' evidence
// (path "containerSpecs") and every other container that is privileged or root get
// `privileged: false` and `user: options.user`; nothing else changes but the tags: the
// original's are carried over and kFixesTag and kControlTag are set. A user that is absent
// stays absent, unless a finding of aws-securityhub-ecs-20 (a missing user fails) is fixed: then
// it becomes `options.user`; a finding of aws-securityhub-ecs-5 sets `readonlyRootFilesystem:
// true` on every container that lacks it. Errors: kValidation when the document has no
// containerDefinitions array, holds a redaction placeholder (kRedacted: a saved snapshot, whose
// values must be read live), would need more than the 50 tags ECS allows, or `options.user` is
// itself root or empty.
Result<RevisionFix> ComputeFix(const RevisionDocument& document,
                               const std::vector<const posture::Finding*>& findings,
                               const FixOptions& options);

}  // namespace ecsguard::remediate
