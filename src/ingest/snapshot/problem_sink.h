#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace ecsguard::ingest::snapshot_internal {

// Collects problems for the file being read, at most `per_file_limit` of them: a file of a
// million bad lines gives a readable report, and one closing line says how many were left out.
class ProblemSink {
 public:
  ProblemSink(std::vector<Error>* out, size_t per_file_limit) : out_(out), limit_(per_file_limit) {}

  void BeginFile(std::string_view file) {
    file_ = std::string(file);
    listed_ = dropped_ = 0;
  }
  void EndFile();
  // True when further problems of this file would only be counted.
  bool full() const { return listed_ >= limit_; }
  // Records a problem of the current file; returns it (also when it was only counted).
  Error Report(ErrorCode code, uint32_t line, uint32_t column, std::string message);
  const std::string& file() const { return file_; }

 private:
  std::vector<Error>* out_;
  size_t limit_;
  std::string file_;
  size_t listed_ = 0, dropped_ = 0;
};

}  // namespace ecsguard::ingest::snapshot_internal
