#pragma once

#include <string>

namespace ecsguard::testing {

// The repository root and the build directory of this test binary.
std::string SourcePath(const std::string& relative);
std::string BinaryPath(const std::string& relative);
// ../shared beside the repository (read-only material), or "" when it is absent.
std::string SharedPath(const std::string& relative);
// Reads a file or fails the current test.
std::string ReadFileOrDie(const std::string& path);

}  // namespace ecsguard::testing
