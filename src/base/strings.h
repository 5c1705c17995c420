#pragma once

#include <cstdint>
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

// `text` (a URL, a connection string, an error message quoting them) with the passwords it
// carries masked as ***: the password of user:PASSWORD@ in every scheme://authority, and the
// value of every key=value whose key contains "password" (?password=x, &sslpassword=x, libpq's
// password=x and password='a b'). A user name alone is kept.
std::string RedactPasswords(std::string_view text);

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

// What every output writes instead of a secret value (environment values, credentials). A
// document holding it is a redacted copy, not the original.
inline constexpr std::string_view kRedacted = "<redacted>";
// The same as a JSON string literal, for evidence fields that hold JSON text.
inline constexpr std::string_view kRedactedJson = "\"<redacted>\"";

// Text from input data made safe for one line of a terminal, a comment or a table cell: line
// breaks and other control characters (C0, DEL, C1: no terminal escape survives) become
// spaces; invalid UTF-8 becomes U+FFFD.
std::string OneLine(std::string_view s);

}  // namespace ecsguard
