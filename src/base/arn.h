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

// The AWS partition of `region`: "aws-cn" for "cn-north-1", "aws-iso-b" for "us-isob-east-1",
// "aws" for any region it does not know (as the AWS SDKs do). Region prefixes follow botocore's
// partitions.json (aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f, aws-eusc);
// the pseudo-regions "aws-cn-global" and the like belong to their partition.
//   fmt::format("arn:{}:iam::{}:role/{}", PartitionOfRegion(region), account, role)
std::string_view PartitionOfRegion(std::string_view region);
// Whether `partition` is one of those partitions.
bool IsKnownPartition(std::string_view partition);
// The DNS suffix of regional endpoints in `partition` ("amazonaws.com.cn" for "aws-cn");
// "amazonaws.com" for a partition it does not know.
std::string_view DnsSuffixOfPartition(std::string_view partition);

}  // namespace ecsguard
