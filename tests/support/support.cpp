#include "support.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "base/strings.h"

namespace ecsguard::testing {

std::string SourcePath(const std::string& relative) {
  std::string path = ECSGUARD_SOURCE_DIR;
  path += '/';
  path += relative;
  return path;
}

std::string BinaryPath(const std::string& relative) {
  return std::string(ECSGUARD_BINARY_DIR) + "/" + relative;
}

std::string SharedPath(const std::string& relative) {
  std::string base = std::getenv("ECSGUARD_SHARED_DIR") ? std::getenv("ECSGUARD_SHARED_DIR")
                                                        : SourcePath("../shared");
  std::string path = base + "/" + relative;
  return std::filesystem::exists(path) ? path : "";
}

std::string FixturePath(const std::string& relative) {
  return SourcePath("tests/data/" + relative);
}

std::string ReadFileOrDie(const std::string& path) {
  std::string out;
  if (!ReadFileToString(path, &out)) throw std::runtime_error("cannot read " + path);
  return out;
}

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "ecsguard-test-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string TempDir::Write(const std::string& name, const std::string& content) const {
  std::filesystem::path file = std::filesystem::path(path_) / name;
  std::filesystem::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << content;
  return file.string();
}

}  // namespace ecsguard::testing
