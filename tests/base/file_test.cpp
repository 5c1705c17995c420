#include "base/file.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <vector>

namespace ecsguard {
namespace {

namespace fs = std::filesystem;

class FileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char name[] = "/tmp/ecsguard-file-test-XXXXXX";
    ASSERT_NE(::mkdtemp(name), nullptr);
    dir_ = name;
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Path(const std::string& name) const { return (fs::path(dir_) / name).string(); }
  static std::string Read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  // Names in the folder other than `keep`: a leftover temporary file would show up here.
  std::vector<std::string> Others(const std::set<std::string>& keep) const {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir_)) {
      if (!keep.contains(e.path().filename().string())) out.push_back(e.path().filename());
    }
    return out;
  }

  std::string dir_;
};

TEST_F(FileTest, WritesAndReplacesWithTheRequestedMode) {
  std::string path = Path("report.json");
  ASSERT_TRUE(WriteFileAtomically(path, "first", FileMode::kShared).ok());
  EXPECT_EQ(Read(path), "first");
  struct stat st;
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);

  ASSERT_TRUE(WriteFileAtomically(path, "second", FileMode::kPrivate).ok());
  EXPECT_EQ(Read(path), "second");
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  ASSERT_TRUE(WriteFileAtomically(path, "#!/bin/sh\n", FileMode::kPrivateExecutable).ok());
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  EXPECT_TRUE(Others({"report.json"}).empty());
}

TEST_F(FileTest, PrivateFilesIgnoreAPermissiveUmask) {
  mode_t old = ::umask(0);
  Result<void> r = WriteFileAtomically(Path("inputs.json"), "{}", FileMode::kPrivate);
  ::umask(old);
  ASSERT_TRUE(r.ok());
  struct stat st;
  ASSERT_EQ(::stat(Path("inputs.json").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(FileTest, NeverWritesThroughASymlink) {
  std::string victim = Path("victim");
  std::ofstream(victim) << "precious";
  std::string link = Path("ecsguard.json");
  ASSERT_EQ(::symlink(victim.c_str(), link.c_str()), 0);
  Result<void> r = WriteFileAtomically(link, "report", FileMode::kShared);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kIo);
  EXPECT_NE(r.error().message().find("symbolic link"), std::string::npos);
  EXPECT_EQ(r.error().location().file, link);
  EXPECT_EQ(Read(victim), "precious");
  EXPECT_TRUE(fs::is_symlink(link));
  EXPECT_TRUE(Others({"victim", "ecsguard.json"}).empty());
}

TEST_F(FileTest, RefusesADanglingSymlinkToo) {
  std::string link = Path("inputs.json");
  ASSERT_EQ(::symlink(Path("created-by-someone-else").c_str(), link.c_str()), 0);
  EXPECT_FALSE(WriteFileAtomically(link, "secret", FileMode::kPrivate).ok());
  EXPECT_FALSE(fs::exists(Path("created-by-someone-else")));
}

TEST_F(FileTest, RefusesSomethingThatIsNotARegularFile) {
  fs::create_directory(Path("ecsguard.html"));
  Result<void> r = WriteFileAtomically(Path("ecsguard.html"), "x", FileMode::kShared);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kIo);
}

// A full disk, simulated with RLIMIT_FSIZE: the write fails, the error says so, the previous
// complete file is still there and no temporary file is left behind.
TEST_F(FileTest, AFailedWriteKeepsThePreviousFile) {
  std::string path = Path("ecsguard.json");
  ASSERT_TRUE(WriteFileAtomically(path, "complete old report", FileMode::kShared).ok());
  struct rlimit old;
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &old), 0);
  auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  struct rlimit small = old;
  small.rlim_cur = 4;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
  Result<void> r = WriteFileAtomically(path, std::string(100000, 'x'), FileMode::kShared);
  ::setrlimit(RLIMIT_FSIZE, &old);
  std::signal(SIGXFSZ, old_handler);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kIo);
  EXPECT_NE(r.error().message().find("cannot write"), std::string::npos);
  EXPECT_EQ(Read(path), "complete old report");
  EXPECT_TRUE(Others({"ecsguard.json"}).empty());
}

TEST_F(FileTest, AMissingFolderIsAnError) {
  Result<void> r = WriteFileAtomically(Path("no/such/folder/x.json"), "x", FileMode::kShared);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kIo);
}

TEST_F(FileTest, AFileNameIsRequired) {
  EXPECT_EQ(WriteFileAtomically(dir_ + "/", "x", FileMode::kShared).error().code(),
            ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace ecsguard
