#pragma once

// AWS's own character rules for the names a remediation writes into commands, file names and
// API requests. Names come from snapshots and saved scans, which anyone can edit: a name AWS
// would not accept is never rendered or sent; the item that carries it is refused instead.
//
//   if (std::optional<std::string> why = CheckTaskDefinitionArn(arn)) Refuse(*why);

#include <optional>
#include <string>
#include <string_view>

namespace ecsguard::remediate {

// A family, cluster, service or container name: 1 to 255 letters, digits, hyphens and
// underscores (the rule ECS states for each of them).
bool IsValidName(std::string_view name);

// Why `arn` is not arn:PARTITION:ecs:REGION:ACCOUNT:task-definition/FAMILY:REVISION with a
// valid family and a positive revision, or nothing when it is.
std::optional<std::string> CheckTaskDefinitionArn(std::string_view arn);

// Why `arn` is not an ECS service ARN (service/CLUSTER/NAME or the old service/NAME), or nothing.
std::optional<std::string> CheckServiceArn(std::string_view arn);

// `value` with each character a tag value may not hold (AWS allows letters, digits, spaces and
// + - = . _ : / @) replaced by '_', cut to the 256 characters a tag value may have.
std::string TagValue(std::string_view value);

}  // namespace ecsguard::remediate
