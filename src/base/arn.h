#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ecsguard {

// arn:partition:service:region:account-id:resource
struct Arn {
  std::string partition;
  std::string service;
  std::string region;
  std::string account_id;
  std::string resource;  // e.g. "task-definition/web:3"
};

// Returns nothing when `text` is not an ARN.
std::optional<Arn> ParseArn(std::string_view text);

// "task-definition/web:3" -> family "web", revision 3. Accepts a full ARN or "family:rev".
struct FamilyRevision {
  std::string family;
  int64_t revision = 0;
};
std::optional<FamilyRevision> ParseTaskDefinitionRef(std::string_view arn_or_name);

}  // namespace ecsguard
