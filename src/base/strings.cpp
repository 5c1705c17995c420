#include "base/strings.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>

#include "base/utf8.h"

namespace ecsguard {

std::string ToLower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string RedactPasswords(std::string_view text) {
  std::string out(text);
  // user:PASSWORD@ in the authority of each URL.
  for (size_t scheme = out.find("://"); scheme != std::string::npos;
       scheme = out.find("://", scheme + 3)) {
    size_t start = scheme + 3;
    size_t end = out.find_first_of("/?# \t\r\n\"'<>", start);
    if (end == std::string::npos) end = out.size();
    size_t at = out.rfind('@', end);
    if (at == std::string::npos || at < start) continue;
    size_t colon = out.find(':', start);
    if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
  }
  // key=value where the key names a password; a quoted value ends at its unescaped quote.
  auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  std::string lower = ToLower(out);
  for (size_t hit = lower.find("password"); hit != std::string::npos;
       hit = lower.find("password", hit + 8)) {
    size_t pos = hit + 8;
    while (pos < out.size() && word(out[pos])) ++pos;
    while (pos < out.size() && out[pos] == ' ') ++pos;
    if (pos >= out.size() || out[pos] != '=') continue;
    ++pos;
    while (pos < out.size() && out[pos] == ' ') ++pos;
    size_t value_end = pos;
    if (pos < out.size() && out[pos] == '\'') {
      for (value_end = pos + 1; value_end < out.size() && out[value_end] != '\''; ++value_end) {
        if (out[value_end] == '\\') ++value_end;
      }
      value_end = std::min(out.size(), value_end + 1);
    } else {
      value_end = out.find_first_of(" \t\r\n&;,\"", pos);
      if (value_end == std::string::npos) value_end = out.size();
    }
    if (value_end == pos) continue;
    out.replace(pos, value_end - pos, "***");
    lower = ToLower(out);
  }
  return out;
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t pos = s.find(sep, start);
    if (pos == std::string_view::npos) {
      out.push_back(s.substr(start));
      return out;
    }
    out.push_back(s.substr(start, pos - start));
    start = pos + 1;
  }
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string Join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

Result<std::string> ReadFile(const std::string& path) {
  auto fail = [&](int err) {
    return Error(err == ENOENT ? ErrorCode::kNotFound : ErrorCode::kIo,
                 fmt::format("cannot read: {}", std::strerror(err)), SourceLocation{path, 0, 0});
  };
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fail(errno);
  std::string out;
  struct stat st;
  int err = ::fstat(fd, &st) != 0 ? errno : S_ISDIR(st.st_mode) ? EISDIR : 0;
  char buffer[65536];
  while (err == 0) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) err = errno;
    if (n <= 0) break;
    out.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  if (err != 0) return fail(err);
  return out;
}

bool ReadFileToString(const std::string& path, std::string* out) {
  Result<std::string> text = ReadFile(path);
  if (!text.ok()) return false;
  *out = std::move(text).value();
  return true;
}

LineColumn LineColumnAt(std::string_view text, size_t offset) {
  LineColumn lc;
  offset = std::min(offset, text.size());
  for (size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++lc.line;
      lc.column = 1;
    } else {
      ++lc.column;
    }
  }
  return lc;
}

std::string Sha256Hex(std::string_view data) {
  // Fetched once: OpenSSL 3's one-shot SHA256() looks the algorithm up on every call, which was
  // a third of the cost of a finding's id.
  static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  unsigned char digest[SHA256_DIGEST_LENGTH];
  if (sha256 == nullptr ||
      EVP_Digest(data.data(), data.size(), digest, nullptr, sha256, nullptr) != 1) {
    SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * SHA256_DIGEST_LENGTH);
  for (unsigned char b : digest) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 15]);
  }
  return out;
}

std::string OneLine(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  ForEachCodePoint(s, [&](uint32_t cp, std::string_view bytes) {
    if (cp == kInvalidCodePoint) {
      out += kReplacementCharacter;
    } else if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029) {
      out += ' ';
    } else {
      out += bytes;
    }
  });
  return out;
}

}  // namespace ecsguard
