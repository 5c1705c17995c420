#include <gtest/gtest.h>

#include <sstream>
#include <utility>
#include <vector>

#include "base/error.h"
#include "cli/app.h"
#include "cli/commands.h"

namespace ecsguard::cli {
namespace {

// DESIGN.md §6: an Error is a usage, configuration or credential error (3), except AWS that
// could not be reached after the retries, which leaves the scan incomplete (2).
TEST(ExitCodeTest, EveryErrorCodeHasItsExitCode) {
  const std::vector<std::pair<ErrorCode, int>> expected = {
      {ErrorCode::kInvalidArgument, 3},
      {ErrorCode::kParse, 3},
      {ErrorCode::kValidation, 3},
      {ErrorCode::kNotFound, 3},
      {ErrorCode::kIo, 3},
      {ErrorCode::kUnsupported, 3},
      {ErrorCode::kConfiguration, 3},
      {ErrorCode::kResourceExhausted, 3},
      {ErrorCode::kUnavailable, 2},
      {ErrorCode::kInternal, 3},
  };
  ASSERT_EQ(expected.size(), static_cast<size_t>(ErrorCode::kInternal) + 1);
  for (const auto& [code, exit_code] : expected) {
    EXPECT_EQ(ExitCodeFor(Error(code, "x")), exit_code) << ErrorCodeName(code);
  }
  EXPECT_EQ(kExitIncomplete, 2);
  EXPECT_EQ(kExitUsage, 3);
}

TEST(ExitCodeTest, FailPrintsTheErrorWithItsLocation) {
  std::ostringstream out, err;
  Io io{out, err};
  EXPECT_EQ(Fail(io, Error(ErrorCode::kParse, "unexpected '}'", SourceLocation{"a.yaml", 3, 7})),
            3);
  EXPECT_EQ(err.str(), "ecsguard: error: a.yaml:3:7: unexpected '}'\n");
  EXPECT_EQ(out.str(), "");

  err.str("");
  EXPECT_EQ(Fail(io, Error(ErrorCode::kUnavailable, "sts:GetCallerIdentity failed")), 2);
  EXPECT_EQ(err.str(), "ecsguard: error: sts:GetCallerIdentity failed\n");
}

TEST(ExitCodeTest, UsageErrorIsAnInvalidArgument) {
  std::ostringstream out, err;
  Io io{out, err};
  EXPECT_EQ(UsageError(io, "--format must be text or json"), 3);
  EXPECT_EQ(err.str(), "ecsguard: error: --format must be text or json\n");
}

}  // namespace
}  // namespace ecsguard::cli
