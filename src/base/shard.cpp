#include "base/shard.h"

#include <charconv>

#include <fmt/format.h>

namespace ecsguard {
namespace {

constexpr int kMaxShards = 10000;

std::optional<int> Number(std::string_view text) {
  int n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return n;
}

}  // namespace

Result<ShardSpec> ParseShard(std::string_view text, const GetEnvFunction& getenv) {
  auto bad = [&](std::string_view why) {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("--shard {}: {} (use I/N with 0 <= I < N, or auto/N with "
                             "JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX set)",
                             text, why));
  };
  size_t slash = text.find('/');
  if (slash == std::string_view::npos) return bad("no /N");
  std::optional<int> count = Number(text.substr(slash + 1));
  if (!count || *count < 1 || *count > kMaxShards) {
    return bad(fmt::format("N must be a number from 1 to {}", kMaxShards));
  }
  std::string_view index_text = text.substr(0, slash);
  std::string from;
  std::string env_value;
  if (index_text == "auto") {
    for (std::string_view name : {"JOB_COMPLETION_INDEX", "AWS_BATCH_JOB_ARRAY_INDEX"}) {
      if (std::optional<std::string> v = getenv(name); v && !v->empty()) {
        from = std::string(name);
        env_value = *v;
        break;
      }
    }
    if (from.empty()) return bad("auto, but neither index variable is set");
    index_text = env_value;
  }
  std::optional<int> index = Number(index_text);
  if (!index || *index < 0 || *index >= *count) {
    return bad(from.empty() ? std::string("I must be a number from 0 to N-1")
                            : fmt::format("{}={} is not a number from 0 to N-1", from, env_value));
  }
  return ShardSpec{*index, *count};
}

}  // namespace ecsguard
