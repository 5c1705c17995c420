#pragma once

#include <string>
#include <vector>

namespace ecsguard::testing {

// Runs the built ecsguard binary with `args` (no shell), capturing stdout and stderr.
struct CliResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};
CliResult RunCli(const std::vector<std::string>& args, const std::string& stdin_text = "");

// A fresh temporary directory, removed when the object goes away.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  std::string Write(const std::string& name, const std::string& content) const;

 private:
  std::string path_;
};

}  // namespace ecsguard::testing
