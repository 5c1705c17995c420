#pragma once

// UTF-8 and Unicode helpers for the HCL lexer and template processing. Private to hcl/.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace ecsguard::ingest::hcl {

struct DecodedRune {
  char32_t code_point = 0;
  uint32_t length = 1;  // bytes consumed; at least 1 even when invalid
  bool valid = false;
};

// Decodes the UTF-8 sequence starting at `text[pos]` (pos < text.size()). Overlong forms,
// surrogates and truncated sequences are invalid.
DecodedRune DecodeUtf8(std::string_view text, size_t pos);
void AppendUtf8(char32_t code_point, std::string* out);

// UAX #31 identifier classes (HCL identifiers also allow '_' to start and '-' to continue).
bool IsIdStart(char32_t c);
bool IsIdContinue(char32_t c);
// Unicode White_Space, as Go's unicode.IsSpace (used by HCL's template strip markers).
bool IsUnicodeSpace(char32_t c);

// Byte length of the leading / trailing Unicode white space of `s`.
size_t LeadingSpaceBytes(std::string_view s);
size_t TrailingSpaceBytes(std::string_view s);
// Number of code points in `s` (columns are counted in code points).
size_t CountCodePoints(std::string_view s);

}  // namespace ecsguard::ingest::hcl
