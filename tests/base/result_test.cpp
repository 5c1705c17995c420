#include "base/result.h"

#include <gtest/gtest.h>

namespace ecsguard {
namespace {

Result<int> Half(int x) {
  if (x % 2) return Error(ErrorCode::kInvalidArgument, "odd", SourceLocation{"f.json", 3, 7});
  return x / 2;
}

Result<int> Quarter(int x) {
  ASSIGN_OR_RETURN(int h, Half(x));
  return Half(h);
}

Result<void> CheckEven(int x) {
  RETURN_IF_ERROR(Half(x));
  return Ok{};
}

TEST(ResultTest, ValueAndError) {
  auto ok = Half(8);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, 4);
  auto bad = Half(3);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad.error().ToString(), "f.json:3:7: odd");
}

TEST(ResultTest, MacrosPropagate) {
  EXPECT_EQ(*Quarter(8), 2);
  EXPECT_EQ(Quarter(6).error().message(), "odd");
  EXPECT_TRUE(CheckEven(2).ok());
  EXPECT_EQ(CheckEven(1).error().code(), ErrorCode::kInvalidArgument);
}

TEST(ResultTest, InFileKeepsExistingFile) {
  Error e(ErrorCode::kParse, "bad", SourceLocation{"", 1, 2});
  EXPECT_EQ(e.InFile("x.json").ToString(), "x.json:1:2: bad");
  EXPECT_EQ(e.InFile("x.json").InFile("y.json").location().file, "x.json");
}

}  // namespace
}  // namespace ecsguard
