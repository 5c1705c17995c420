#pragma once

// The one JSON form of a Finding: what a JSON report writes for each finding and what reading
// a saved report (or any other reader of saved findings) accepts. A value ecsguard never
// writes (a status BOGUS, severity extreme, priority P9, exposure far) is an error, never a
// default: it must not become FAIL or PASS.
//
//   nlohmann::json j = posture::FindingToJson(finding);
//   ASSIGN_OR_RETURN(posture::Finding back, posture::FindingFromJson(j));  // == finding

#include <nlohmann/json.hpp>

#include "base/result.h"
#include "posture/finding.h"

namespace ecsguard::posture {

nlohmann::json FindingToJson(const Finding& f);
// kValidation "<field>: invalid value \"<value>\"" for a value ecsguard never writes (the
// control id and finding id must also be safe as file names); kParse when a field has the
// wrong JSON type or a required one (id, controlId, status, resource) is missing.
Result<Finding> FindingFromJson(const nlohmann::json& j);

// The part of that form a finding's identity and status do not hold: its evidence and its
// context (priority, priorityContext, exposure, environment, tasks, services, clusters), under
// the same keys. The history store keeps it as one column beside the other fields' columns.
nlohmann::json FindingDetailToJson(const Finding& f);
// Reads what FindingDetailToJson wrote into `f`'s evidence and context; errors as above.
Result<void> FindingDetailFromJson(const nlohmann::json& j, Finding* f);

}  // namespace ecsguard::posture
