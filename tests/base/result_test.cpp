#include "base/result.h"

#include <gtest/gtest.h>

#include <memory>

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

// A part's typed detail, as ingest/aws attaches its error kind.
struct RetryDetail final : ErrorDetail {
  explicit RetryDetail(int after) : after(after) {}
  int after;
};
struct OtherDetail final : ErrorDetail {};

Result<int> Busy() {
  return Error(ErrorCode::kIo, "busy").WithDetail(std::make_shared<RetryDetail>(30));
}

Result<void> TwoLevels() {
  RETURN_IF_ERROR(([]() -> Result<int> {
    ASSIGN_OR_RETURN(int n, Busy());
    return n;
  })());
  return Ok{};
}

TEST(ErrorDetailTest, SurvivesPropagationAndCopies) {
  Result<void> r = TwoLevels();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kIo);
  ASSERT_NE(r.error().detail<RetryDetail>(), nullptr);
  EXPECT_EQ(r.error().detail<RetryDetail>()->after, 30);
  EXPECT_EQ(r.error().detail<OtherDetail>(), nullptr);

  Error renamed = r.error().InFile("a.json").WithMessage("still busy");
  EXPECT_EQ(renamed.ToString(), "a.json: still busy");
  EXPECT_EQ(renamed.code(), ErrorCode::kIo);
  ASSERT_NE(renamed.detail<RetryDetail>(), nullptr);
  EXPECT_EQ(renamed.detail<RetryDetail>()->after, 30);
}

TEST(ErrorDetailTest, NoneUnlessAttachedAndReplaced) {
  Error plain(ErrorCode::kParse, "bad");
  EXPECT_EQ(plain.detail<RetryDetail>(), nullptr);
  Error other = plain.WithDetail(std::make_shared<RetryDetail>(1))
                    .WithDetail(std::make_shared<OtherDetail>());
  EXPECT_EQ(other.detail<RetryDetail>(), nullptr);
  EXPECT_NE(other.detail<OtherDetail>(), nullptr);
}

}  // namespace
}  // namespace ecsguard
