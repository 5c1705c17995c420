#include "ingest/aws/rate_limit.h"

#include <charconv>
#include <cmath>

#include <fmt/format.h>

namespace ecsguard::ingest::aws {
namespace {

struct Category {
  std::string_view operation;
  std::string_view category;
};

// The ECS read actions a scan makes, by the throttling bucket AWS applies to them ("Request
// throttling for the Amazon ECS API": each account and region has one bucket per group of
// actions; the read groups below are documented at a sustained 20 requests per second).
constexpr Category kEcsCategories[] = {
    {"ListClusters", "ecs:cluster-read"},
    {"DescribeClusters", "ecs:cluster-read"},
    {"ListTasks", "ecs:task-read"},
    {"DescribeTasks", "ecs:task-read"},
    {"ListServices", "ecs:service-read"},
    {"DescribeServices", "ecs:service-read"},
    {"ListTaskDefinitions", "ecs:task-definition-read"},
    {"ListTaskDefinitionFamilies", "ecs:task-definition-read"},
    {"DescribeTaskDefinition", "ecs:task-definition-read"},
    {"ListContainerInstances", "ecs:container-instance-read"},
    {"DescribeContainerInstances", "ecs:container-instance-read"},
};

std::string_view ServiceOf(std::string_view category) {
  return category.substr(0, category.find(':'));
}

}  // namespace

std::string ApiCategory(std::string_view service, std::string_view operation) {
  if (service == "ecs") {
    for (const Category& c : kEcsCategories) {
      if (c.operation == operation) return std::string(c.category);
    }
  }
  return std::string(service);
}

RateLimits RateLimits::Defaults() {
  RateLimits out;
  // Half of what AWS documents as sustained, so that the scan leaves the other half of each
  // bucket to the account's own workloads:
  //   ECS read actions (each group above, and any other ECS action): 20/s sustained -> 10/s
  //   EC2 non-mutating Describe* actions: 20/s refill (bucket of 100) -> 10/s
  //   ELBv2 Describe* actions: 10/s -> 5/s
  //   STS AssumeRole and GetCallerIdentity: 600/s per account and region -> 100/s, far below
  //     half, since every account's session is assumed from the one caller account
  //   Organizations: 10/s per account (the management account) -> 5/s
  out.rates_ = {{"ecs", 10}, {"ec2", 10}, {"elbv2", 5}, {"sts", 100}, {"organizations", 5}};
  return out;
}

Result<void> RateLimits::Apply(std::string_view spec) {
  auto bad = [&](std::string_view why) {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("--max-rate {}: {} (use CATEGORY=RATE/s, e.g. ecs=5/s or "
                             "ecs:task-definition-read=2/s; categories: ecs, ecs:cluster-read, "
                             "ecs:task-read, ecs:service-read, ecs:task-definition-read, "
                             "ecs:container-instance-read, ec2, elbv2, sts, organizations)",
                             spec, why));
  };
  size_t eq = spec.find('=');
  if (eq == std::string_view::npos || eq == 0) return bad("no CATEGORY=");
  std::string category(spec.substr(0, eq));
  std::string_view value = spec.substr(eq + 1);
  double per = 1;
  if (value.ends_with("/s")) {
    value.remove_suffix(2);
  } else if (value.ends_with("/m")) {
    value.remove_suffix(2);
    per = 60;
  } else {
    return bad("the rate needs a unit, /s or /m");
  }
  double rate = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), rate);
  if (ec != std::errc() || end != value.data() + value.size() || !std::isfinite(rate) ||
      rate <= 0) {
    return bad("the rate must be a positive number");
  }
  bool known = false;
  for (std::string_view service : {"ecs", "ec2", "elbv2", "sts", "organizations"}) {
    known = known || category == service;
  }
  for (const Category& c : kEcsCategories) known = known || category == c.category;
  if (!known) return bad(fmt::format("unknown category \"{}\"", category));
  // A service-wide limit replaces the limits of its categories set before it.
  if (category.find(':') == std::string::npos) {
    std::erase_if(rates_, [&](const auto& item) {
      return item.first.find(':') != std::string::npos && ServiceOf(item.first) == category;
    });
  }
  rates_[category] = rate / per;
  return Ok{};
}

double RateLimits::For(std::string_view category) const {
  if (auto it = rates_.find(category); it != rates_.end()) return it->second;
  if (auto it = rates_.find(ServiceOf(category)); it != rates_.end()) return it->second;
  return 0;
}

std::string RateLimits::ToString() const {
  std::string out;
  for (const auto& [category, rate] : rates_) {
    if (!out.empty()) out += ", ";
    out += fmt::format("{}={:g}/s", category, rate);
  }
  return out;
}

std::chrono::microseconds RequestLimiter::Reserve(const Key& key, TimePoint now) {
  std::lock_guard lock(mu_);
  auto it = buckets_.find(key);
  if (it == buckets_.end()) {
    it = buckets_.emplace(key, Bucket{limits_.For(key.category), now}).first;
  }
  Bucket& b = it->second;
  if (b.rate <= 0) return std::chrono::microseconds(0);
  TimePoint slot = std::max(b.next, now);
  // Rounded up, so that `rate` spacings never fit in less than a second.
  b.next =
      slot + std::chrono::ceil<TimePoint::duration>(std::chrono::duration<double>(1.0 / b.rate));
  return std::chrono::duration_cast<std::chrono::microseconds>(slot - now);
}

}  // namespace ecsguard::ingest::aws
