#pragma once

// Sharding a scan across machines: the unit of work is one (account, region) cell, and shard
// I of N takes the cells whose ShardOfCell is I. The assignment depends only on the cell's
// place in the sorted account list and in its account's sorted region list, so every shard
// (and the report that merges them) computes the same split without talking to the others,
// and consecutive regions of an account and consecutive accounts land on different shards.
//
//   ASSIGN_OR_RETURN(ShardSpec spec, ParseShard("auto/4", getenv));  // JOB_COMPLETION_INDEX
//   if (ShardOfCell(account_index, region_index, spec.count) == spec.index) Scan(cell);

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"

namespace ecsguard {

struct ShardSpec {
  int index = 0;  // 0-based
  int count = 1;
};

// Reads an environment variable; nothing when it is unset.
using GetEnvFunction = std::function<std::optional<std::string>(std::string_view)>;

// "I/N" (0 <= I < N, N <= 10000), or "auto/N" taking I from JOB_COMPLETION_INDEX (Kubernetes
// Indexed Jobs), else AWS_BATCH_JOB_ARRAY_INDEX (AWS Batch array jobs). Errors:
// kInvalidArgument naming the syntax, or that auto found neither variable.
Result<ShardSpec> ParseShard(std::string_view text, const GetEnvFunction& getenv);

inline int ShardOfCell(size_t account_index, size_t region_index, int count) {
  return count <= 1 ? 0 : static_cast<int>((account_index + region_index) % count);
}

}  // namespace ecsguard
