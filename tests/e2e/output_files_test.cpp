// End-to-end: every file ecsguard writes goes through the one atomic writer (base/file.h), so a
// symbolic link planted at an output name is refused and left alone, and a report that cannot
// be written, to a file or to stdout, fails the run with exit 3.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli_runner.h"
#include "support.h"

namespace ecsguard::testing {
namespace {

namespace fs = std::filesystem;

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(OutputFilesE2eTest, ASymlinkAtAReportNameIsRefusedAndLeftAlone) {
  TempDir out, elsewhere;
  std::string victim = elsewhere.Write("victim", "precious");
  ASSERT_EQ(::symlink(victim.c_str(), (out.path() + "/ecsguard.json").c_str()), 0);
  CliResult r = RunCli({"scan", "snapshot", SourcePath("examples/estate"), "-f", "json", "-o",
                        out.path(), "--no-history"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("symbolic link"), std::string::npos) << r.err;
  EXPECT_EQ(Read(victim), "precious");
}

TEST(OutputFilesE2eTest, ReportsAreWrittenWhole) {
  TempDir out;
  out.Write("ecsguard.json", "an older report");
  CliResult r = RunCli({"scan", "snapshot", SourcePath("examples/estate"), "-f", "json,sarif", "-o",
                        out.path(), "--no-history"});
  EXPECT_EQ(r.exit_code, 2) << r.err;  // the demo estate is incomplete by design
  EXPECT_EQ(Read(out.path() + "/ecsguard.json").front(), '{');
  struct stat st;
  ASSERT_EQ(::stat((out.path() + "/ecsguard.sarif").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);
  for (const auto& e : fs::directory_iterator(out.path())) {
    EXPECT_EQ(e.path().filename().string().find(".tmp-"), std::string::npos) << e.path();
  }
}

TEST(OutputFilesE2eTest, GuardrailTemplateRefusesASymlink) {
  TempDir out, elsewhere;
  std::string victim = elsewhere.Write("victim", "precious");
  std::string link = out.path() + "/pack.yaml";
  ASSERT_EQ(::symlink(victim.c_str(), link.c_str()), 0);
  CliResult r = RunCli({"guardrails", "conformance-pack", "-o", link});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_EQ(Read(victim), "precious");
}

// The report on stdout could not be written: the scan must not look successful.
TEST(OutputFilesE2eTest, AFailedWriteToStdoutExits3) {
  if (!fs::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
  std::string command =
      std::string("'") + ECSGUARD_BINARY + "' controls list > /dev/full 2>/dev/null";
  int status = std::system(command.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 3);
  command = std::string("XDG_DATA_HOME=$(mktemp -d) '") + ECSGUARD_BINARY + "' scan snapshot '" +
            SourcePath("examples/estate") + "' -f json --no-history > /dev/full 2>/dev/null";
  status = std::system(command.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 3);
}

}  // namespace
}  // namespace ecsguard::testing
