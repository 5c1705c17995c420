// ParseShard (I/N, auto/N from the Kubernetes or AWS Batch index) and the cell split.

#include "base/shard.h"

#include <gtest/gtest.h>

#include <map>

namespace ecsguard {
namespace {

GetEnvFunction Env(std::map<std::string, std::string> vars) {
  return [vars](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
}

TEST(ShardTest, ExplicitAndAutomaticIndexes) {
  auto one = ParseShard("2/4", Env({}));
  ASSERT_TRUE(one.ok()) << one.error().ToString();
  EXPECT_EQ(one->index, 2);
  EXPECT_EQ(one->count, 4);
  auto k8s = ParseShard("auto/4",
                        Env({{"JOB_COMPLETION_INDEX", "3"}, {"AWS_BATCH_JOB_ARRAY_INDEX", "1"}}));
  ASSERT_TRUE(k8s.ok()) << k8s.error().ToString();
  EXPECT_EQ(k8s->index, 3);  // Kubernetes first
  auto batch = ParseShard("auto/8", Env({{"AWS_BATCH_JOB_ARRAY_INDEX", "5"}}));
  ASSERT_TRUE(batch.ok()) << batch.error().ToString();
  EXPECT_EQ(batch->index, 5);
  EXPECT_EQ(batch->count, 8);
}

TEST(ShardTest, RejectsWhatItCannotUse) {
  for (const char* bad : {"", "3", "4/4", "-1/4", "1/0", "a/4", "1/x", "1/10001", "auto/4"}) {
    auto r = ParseShard(bad, Env({}));
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
  }
  auto out_of_range = ParseShard("auto/4", Env({{"JOB_COMPLETION_INDEX", "4"}}));
  ASSERT_FALSE(out_of_range.ok());
  EXPECT_NE(out_of_range.error().message().find("JOB_COMPLETION_INDEX=4 is not a number"),
            std::string::npos)
      << out_of_range.error().message();
}

TEST(ShardTest, CellsSpreadEvenlyOverShards) {
  std::vector<int> per_shard(4);
  for (size_t a = 0; a < 100; ++a) {
    for (size_t r = 0; r < 17; ++r) ++per_shard[ShardOfCell(a, r, 4)];
  }
  EXPECT_EQ(per_shard, (std::vector<int>{425, 425, 425, 425}));
  EXPECT_EQ(ShardOfCell(7, 3, 1), 0);
}

}  // namespace
}  // namespace ecsguard
