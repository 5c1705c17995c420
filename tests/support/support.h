#pragma once

#include <string>

namespace ecsguard::testing {

// The repository root and the build directory of this test binary.
std::string SourcePath(const std::string& relative);
std::string BinaryPath(const std::string& relative);
// ../shared beside the repository (read-only material), or "" when it is absent.
std::string SharedPath(const std::string& relative);
// A copy in tests/data of shared material the tests need (the query conformance cases, the
// seed control, the reference evaluator), so a clone outside this workspace runs them too;
// SharedFixturesTest checks each copy still equals its source where ../shared is present.
std::string FixturePath(const std::string& relative);
// Reads a file or fails the current test.
std::string ReadFileOrDie(const std::string& path);

// A fresh temporary directory, removed with everything in it when the object goes away.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  // Writes `content` to `name` (folders created as needed); returns the file's path.
  std::string Write(const std::string& name, const std::string& content) const;

 private:
  std::string path_;
};

}  // namespace ecsguard::testing
