#include "support.h"

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "base/strings.h"

namespace ecsguard::testing {

std::string SourcePath(const std::string& relative) {
  return std::string(ECSGUARD_SOURCE_DIR) + "/" + relative;
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

}  // namespace ecsguard::testing
