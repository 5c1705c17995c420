#include "remediate/names.h"

#include <fmt/format.h>

#include <algorithm>

#include "base/arn.h"
#include "base/strings.h"

namespace ecsguard::remediate {
namespace {

bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlnum(char c) { return IsLower(c) || (c >= 'A' && c <= 'Z') || IsDigit(c); }

// "eu-west-1", "us-gov-west-1", "ap-southeast-3".
bool IsRegion(std::string_view r) {
  std::vector<std::string_view> parts = Split(r, '-');
  if (parts.size() < 3 || parts.front().size() != 2) return false;
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    if (parts[i].empty() || !std::all_of(parts[i].begin(), parts[i].end(), IsLower)) return false;
  }
  const std::string_view last = parts.back();
  return !last.empty() && last.size() <= 3 && std::all_of(last.begin(), last.end(), IsDigit);
}

bool IsAccount(std::string_view a) {
  return a.size() == 12 && std::all_of(a.begin(), a.end(), IsDigit);
}

// Why the partition, service, region and account of `arn` are not those of an ECS ARN.
std::optional<std::string> CheckEcsArn(const Arn& arn, std::string_view text) {
  std::string shown = OneLine(text);
  if (!IsKnownPartition(arn.partition) || arn.service != "ecs") {
    return fmt::format("\"{}\" is not an ECS ARN", shown);
  }
  if (!IsRegion(arn.region)) return fmt::format("\"{}\": not a valid region", shown);
  if (!IsAccount(arn.account_id)) return fmt::format("\"{}\": not a 12-digit account id", shown);
  return std::nullopt;
}

std::optional<std::string> CheckName(std::string_view what, std::string_view name,
                                     std::string_view arn) {
  if (IsValidName(name)) return std::nullopt;
  return fmt::format("\"{}\": the {} name is not 1 to 255 letters, digits, hyphens and underscores",
                     OneLine(arn), what);
}

}  // namespace

bool IsValidName(std::string_view name) {
  return !name.empty() && name.size() <= 255 && std::all_of(name.begin(), name.end(), [](char c) {
    return IsAlnum(c) || c == '-' || c == '_';
  });
}

std::optional<std::string> CheckTaskDefinitionArn(std::string_view text) {
  std::optional<Arn> arn = ParseArn(text);
  if (!arn || !arn->resource.starts_with("task-definition/")) {
    return fmt::format("\"{}\" is not a task-definition ARN", OneLine(text));
  }
  if (std::optional<std::string> why = CheckEcsArn(*arn, text)) return why;
  std::string_view resource = std::string_view(arn->resource).substr(16);
  size_t colon = resource.rfind(':');
  std::string_view revision = colon == resource.npos ? "" : resource.substr(colon + 1);
  if (revision.empty() || revision.size() > 9 || revision.front() == '0' ||
      !std::all_of(revision.begin(), revision.end(), IsDigit)) {
    return fmt::format("\"{}\": not a task-definition revision number", OneLine(text));
  }
  return CheckName("family", resource.substr(0, colon), text);
}

std::optional<std::string> CheckServiceArn(std::string_view text) {
  std::optional<Arn> arn = ParseArn(text);
  if (!arn || !arn->resource.starts_with("service/")) {
    return fmt::format("\"{}\" is not a service ARN", OneLine(text));
  }
  if (std::optional<std::string> why = CheckEcsArn(*arn, text)) return why;
  std::vector<std::string_view> parts = Split(std::string_view(arn->resource).substr(8), '/');
  if (parts.size() > 2) return fmt::format("\"{}\" is not a service ARN", OneLine(text));
  if (parts.size() == 2) {
    if (std::optional<std::string> why = CheckName("cluster", parts[0], text)) return why;
  }
  return CheckName("service", parts.back(), text);
}

std::string TagValue(std::string_view value) {
  std::string out;
  for (char c : value.substr(0, 256)) {
    bool allowed = IsAlnum(c) || std::string_view(" +-=._:/@").find(c) != std::string_view::npos;
    out += allowed ? c : '_';
  }
  return out;
}

}  // namespace ecsguard::remediate
