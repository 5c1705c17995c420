#pragma once

// UTF-8: the one decoder and encoder. Valid means what RFC 3629 says: no overlong forms, no
// surrogates, nothing above U+10FFFF, no truncated sequences. Readers of input text (JSON, HCL,
// GraphQL, reports) decode with it, and writers of \u escapes encode with it.
//
//   DecodedCodePoint d = DecodeUtf8("\xC3\xA9t\xC3\xA9", 0);  // {0xE9, 2, true}
//   std::string out;
//   AppendUtf8(0x1F600, &out);                                // "\xF0\x9F\x98\x80"
//   ForEachCodePoint(text, [&](uint32_t cp, std::string_view bytes) { ... });

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace ecsguard {

inline constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";  // U+FFFD
inline constexpr uint32_t kInvalidCodePoint = 0xFFFFFFFF;

struct DecodedCodePoint {
  char32_t code_point = 0xFFFD;  // U+FFFD when invalid
  uint32_t length = 1;           // bytes it covers; 1 when invalid, so a reader can step over
  bool valid = false;
};
// The code point whose UTF-8 sequence starts at text[pos] (pos < text.size()).
DecodedCodePoint DecodeUtf8(std::string_view text, size_t pos);

// Appends the UTF-8 form of `code_point`, a Unicode scalar value; a surrogate or a value above
// U+10FFFF is written as U+FFFD.
void AppendUtf8(char32_t code_point, std::string* out);

// Calls f(code_point, bytes) for each code point of UTF-8 `s`; an invalid sequence is reported
// as kInvalidCodePoint covering one byte.
template <typename F>
void ForEachCodePoint(std::string_view s, F f) {
  for (size_t i = 0; i < s.size();) {
    DecodedCodePoint d = DecodeUtf8(s, i);
    f(d.valid ? static_cast<uint32_t>(d.code_point) : kInvalidCodePoint, s.substr(i, d.length));
    i += d.length;
  }
}

}  // namespace ecsguard
