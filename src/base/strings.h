#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace ecsguard {

std::string ToLower(std::string_view s);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
std::vector<std::string_view> Split(std::string_view s, char sep);
std::string_view Trim(std::string_view s);
std::string Join(const std::vector<std::string>& parts, std::string_view sep);

// Reads a whole regular file. Errors name the file and why ("Is a directory", "Permission
// denied"): kNotFound when it does not exist, else kIo.
Result<std::string> ReadFile(const std::string& path);
// The same without the reason; returns false (and leaves `out` untouched) on failure.
bool ReadFileToString(const std::string& path, std::string* out);

// 1-based line and column of byte `offset` in `text` (columns count bytes).
struct LineColumn {
  uint32_t line = 1;
  uint32_t column = 1;
};
LineColumn LineColumnAt(std::string_view text, size_t offset);

// Lower-case hex SHA-256 of `data` (finding ids, fingerprints).
std::string Sha256Hex(std::string_view data);

}  // namespace ecsguard
