#include "base/utf8.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace ecsguard {
namespace {

TEST(Utf8Test, Decodes) {
  struct Case {
    std::string_view text;
    char32_t code_point;  // U+FFFD when invalid
    uint32_t length;
    bool valid;
  };
  const Case cases[] = {
      {"a", 'a', 1, true},
      {"\x7F", 0x7F, 1, true},
      {"\xC2\x80", 0x80, 2, true},
      {"\xC3\xA9t", 0xE9, 2, true},
      {"\xDF\xBF", 0x7FF, 2, true},
      {"\xE0\xA0\x80", 0x800, 3, true},
      {"\xE2\x82\xAC", 0x20AC, 3, true},  // euro sign
      {"\xED\x9F\xBF", 0xD7FF, 3, true},
      {"\xEE\x80\x80", 0xE000, 3, true},
      {"\xEF\xBF\xBD", 0xFFFD, 3, true},
      {"\xF0\x90\x80\x80", 0x10000, 4, true},
      {"\xF0\x9F\x98\x80", 0x1F600, 4, true},
      {"\xF4\x8F\xBF\xBF", 0x10FFFF, 4, true},
      {"\x80", 0xFFFD, 1, false},              // a continuation byte alone
      {"\xC0\xAF", 0xFFFD, 1, false},          // overlong '/'
      {"\xC1\xBF", 0xFFFD, 1, false},          // overlong
      {"\xE0\x9F\xBF", 0xFFFD, 1, false},      // overlong
      {"\xF0\x8F\xBF\xBF", 0xFFFD, 1, false},  // overlong
      {"\xED\xA0\x80", 0xFFFD, 1, false},      // surrogate D800
      {"\xED\xBF\xBF", 0xFFFD, 1, false},      // surrogate DFFF
      {"\xF4\x90\x80\x80", 0xFFFD, 1, false},  // above U+10FFFF
      {"\xF5\x80\x80\x80", 0xFFFD, 1, false},
      {"\xFF", 0xFFFD, 1, false},
      {"\xC3", 0xFFFD, 1, false},          // truncated
      {"\xE2\x82", 0xFFFD, 1, false},      // truncated
      {"\xF0\x9F\x98", 0xFFFD, 1, false},  // truncated
      {"\xC3(", 0xFFFD, 1, false},         // not a continuation byte
  };
  for (const Case& c : cases) {
    DecodedCodePoint d = DecodeUtf8(c.text, 0);
    EXPECT_EQ(d.code_point, c.code_point) << testing::PrintToString(std::string(c.text));
    EXPECT_EQ(d.length, c.length) << testing::PrintToString(std::string(c.text));
    EXPECT_EQ(d.valid, c.valid) << testing::PrintToString(std::string(c.text));
  }
}

TEST(Utf8Test, EncodesAndRoundTrips) {
  struct Case {
    char32_t code_point;
    std::string_view utf8;
  };
  const Case cases[] = {
      {'a', "a"},
      {0x7F, "\x7F"},
      {0x80, "\xC2\x80"},
      {0x7FF, "\xDF\xBF"},
      {0x800, "\xE0\xA0\x80"},
      {0xFFFF, "\xEF\xBF\xBF"},
      {0x10000, "\xF0\x90\x80\x80"},
      {0x10FFFF, "\xF4\x8F\xBF\xBF"},
      {0xD800, "\xEF\xBF\xBD"},    // a surrogate is not encodable: U+FFFD
      {0x110000, "\xEF\xBF\xBD"},  // nor is anything above U+10FFFF
  };
  for (const Case& c : cases) {
    std::string out;
    AppendUtf8(c.code_point, &out);
    EXPECT_EQ(out, c.utf8) << static_cast<uint32_t>(c.code_point);
  }
  for (char32_t cp : {0x0u, 0x41u, 0xE9u, 0x20ACu, 0xD7FFu, 0xE000u, 0x1F600u, 0x10FFFFu}) {
    std::string out;
    AppendUtf8(cp, &out);
    DecodedCodePoint d = DecodeUtf8(out, 0);
    EXPECT_TRUE(d.valid);
    EXPECT_EQ(d.code_point, cp);
    EXPECT_EQ(d.length, out.size());
  }
}

TEST(Utf8Test, ForEachCodePointStepsOverInvalidBytesOneAtATime) {
  std::vector<uint32_t> seen;
  std::string bytes;
  ForEachCodePoint("a\xC3\xA9\xE2\x82z", [&](uint32_t cp, std::string_view b) {
    seen.push_back(cp);
    bytes += std::to_string(b.size());
  });
  EXPECT_EQ(seen, (std::vector<uint32_t>{'a', 0xE9, kInvalidCodePoint, kInvalidCodePoint, 'z'}));
  EXPECT_EQ(bytes, "12111");
}

}  // namespace
}  // namespace ecsguard
