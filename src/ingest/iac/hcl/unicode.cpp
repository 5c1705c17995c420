#include "ingest/iac/hcl/unicode.h"

#include <algorithm>

namespace ecsguard::ingest::hcl {
namespace {

struct CodePointRange {
  char32_t first;
  char32_t last;
};

#include "ingest/iac/hcl/unicode_tables.inc"

template <size_t N>
bool InTable(const CodePointRange (&table)[N], char32_t c) {
  const CodePointRange* end = table + N;
  const CodePointRange* it = std::upper_bound(
      table, end, c, [](char32_t v, const CodePointRange& r) { return v < r.first; });
  return it != table && c <= (it - 1)->last;
}

bool IsAsciiLetter(char32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

}  // namespace

bool IsIdStart(char32_t c) {
  if (c < 0x80) return IsAsciiLetter(c);
  return InTable(kIdStart, c);
}

bool IsIdContinue(char32_t c) {
  if (c < 0x80) return IsAsciiLetter(c) || (c >= '0' && c <= '9') || c == '_';
  return InTable(kIdContinue, c);
}

bool IsUnicodeSpace(char32_t c) {
  switch (c) {
    case '\t':
    case '\n':
    case '\v':
    case '\f':
    case '\r':
    case ' ':
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
      return true;
    default:
      return c >= 0x2000 && c <= 0x200A;
  }
}

size_t LeadingSpaceBytes(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    DecodedRune r = DecodeUtf8(s, i);
    if (!r.valid || !IsUnicodeSpace(r.code_point)) break;
    i += r.length;
  }
  return i;
}

size_t TrailingSpaceBytes(std::string_view s) {
  size_t end = s.size();
  while (end > 0) {
    size_t start = end - 1;
    // Step back over continuation bytes to the start of the last code point.
    while (start > 0 && end - start < 4 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) {
      --start;
    }
    DecodedRune r = DecodeUtf8(s, start);
    if (!r.valid || start + r.length != end || !IsUnicodeSpace(r.code_point)) break;
    end = start;
  }
  return s.size() - end;
}

size_t CountCodePoints(std::string_view s) {
  size_t n = 0;
  for (char ch : s) n += (static_cast<unsigned char>(ch) & 0xC0) != 0x80;
  return n;
}

}  // namespace ecsguard::ingest::hcl
