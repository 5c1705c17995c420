// tests/data holds copies of shared material (see FixturePath). A copy that drifted from its
// source would test against an old spec: each must equal its source wherever ../shared exists.
#include <gtest/gtest.h>

#include <filesystem>

#include "support.h"

namespace ecsguard::testing {
namespace {

TEST(SharedFixturesTest, CopiesEqualTheirSources) {
  namespace fs = std::filesystem;
  if (SharedPath("spec").empty()) GTEST_SKIP() << "../shared is absent: nothing to compare with";
  std::string root = SourcePath("tests/data");
  int compared = 0;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (!e.is_regular_file()) continue;
    std::string rel = fs::relative(e.path(), root).string();
    std::string source = SharedPath(rel);
    ASSERT_FALSE(source.empty()) << rel << " has no source in ../shared";
    EXPECT_EQ(ReadFileOrDie(e.path().string()), ReadFileOrDie(source))
        << "tests/data/" << rel << " differs from ../shared/" << rel << ": copy it again";
    ++compared;
  }
  EXPECT_GE(compared, 3);
}

}  // namespace
}  // namespace ecsguard::testing
