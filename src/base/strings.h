#pragma once

#include <string>
#include <string_view>
#include <vector>

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

// Reads a whole file; returns false (and leaves `out` untouched) when it cannot be read.
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
