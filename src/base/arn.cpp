#include "base/arn.h"

#include <charconv>

namespace ecsguard {
namespace {

struct PartitionInfo {
  std::string_view id;
  std::string_view region_prefix;
  std::string_view dns_suffix;
};

// From botocore's data/partitions.json; "aws" last, its empty prefix matching every region.
constexpr PartitionInfo kPartitions[] = {
    {"aws-cn", "cn-", "amazonaws.com.cn"},       {"aws-us-gov", "us-gov-", "amazonaws.com"},
    {"aws-iso", "us-iso-", "c2s.ic.gov"},        {"aws-iso-b", "us-isob-", "sc2s.sgov.gov"},
    {"aws-iso-e", "eu-isoe-", "cloud.adc-e.uk"}, {"aws-iso-f", "us-isof-", "csp.hci.ic.gov"},
    {"aws-eusc", "eusc-", "amazonaws.eu"},       {"aws", "", "amazonaws.com"},
};

}  // namespace

std::optional<Arn> ParseArn(std::string_view text) {
  if (!text.starts_with("arn:")) return std::nullopt;
  std::string_view parts[5];
  std::string_view rest = text.substr(4);
  for (int i = 0; i < 4; ++i) {
    size_t colon = rest.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    parts[i] = rest.substr(0, colon);
    rest = rest.substr(colon + 1);
  }
  parts[4] = rest;
  if (parts[0].empty() || parts[1].empty() || parts[4].empty()) return std::nullopt;
  return Arn{std::string(parts[0]), std::string(parts[1]), std::string(parts[2]),
             std::string(parts[3]), std::string(parts[4])};
}

std::optional<FamilyRevision> ParseTaskDefinitionRef(std::string_view ref) {
  if (ref.starts_with("arn:")) {
    auto arn = ParseArn(ref);
    if (!arn || !arn->resource.starts_with("task-definition/")) return std::nullopt;
    ref = std::string_view(arn->resource).substr(16);
    return ParseTaskDefinitionRef(std::string(ref));
  }
  size_t colon = ref.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  int64_t revision = 0;
  std::string_view digits = ref.substr(colon + 1);
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), revision);
  if (ec != std::errc() || end != digits.data() + digits.size() || revision <= 0) {
    return std::nullopt;
  }
  return FamilyRevision{std::string(ref.substr(0, colon)), revision};
}

std::string_view PartitionOfRegion(std::string_view region) {
  for (const PartitionInfo& p : kPartitions) {
    if (region.starts_with(p.id) && region.substr(p.id.size()) == "-global") return p.id;
  }
  for (const PartitionInfo& p : kPartitions) {
    if (region.starts_with(p.region_prefix)) return p.id;
  }
  return "aws";
}

bool IsKnownPartition(std::string_view partition) {
  for (const PartitionInfo& p : kPartitions) {
    if (p.id == partition) return true;
  }
  return false;
}

std::string_view DnsSuffixOfPartition(std::string_view partition) {
  for (const PartitionInfo& p : kPartitions) {
    if (p.id == partition) return p.dns_suffix;
  }
  return "amazonaws.com";
}

}  // namespace ecsguard
