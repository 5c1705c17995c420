#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

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

// A property graph in LoadGraphJson's format ({nodes, relationships}) with only the labels,
// relationship types and properties in `names` (sorted): what a graph projected to those names
// holds (issue 12).
nlohmann::json ProjectGraphJson(const nlohmann::json& fixture,
                                const std::vector<std::string>& names);

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
