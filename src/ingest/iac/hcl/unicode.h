#pragma once

// UTF-8 and Unicode helpers for the HCL lexer and template processing. Private to hcl/.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/utf8.h"

namespace ecsguard::ingest::hcl {

// UTF-8 itself is base's (base/utf8.h).
using DecodedRune = ::ecsguard::DecodedCodePoint;
using ::ecsguard::AppendUtf8;
using ::ecsguard::DecodeUtf8;

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
