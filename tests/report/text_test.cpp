#include "report/internal/text.h"

#include <gtest/gtest.h>

namespace ecsguard::report::internal {
namespace {

TEST(TextTest, ValidUtf8ReplacesBadSequences) {
  EXPECT_EQ(ValidUtf8("caf\xC3\xA9"), "caf\xC3\xA9");
  EXPECT_EQ(ValidUtf8("a\xFF"
                      "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(ValidUtf8("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");                  // overlong '/'
  EXPECT_EQ(ValidUtf8("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  EXPECT_EQ(ValidUtf8("\xE2\x82"), "\xEF\xBF\xBD\xEF\xBF\xBD");                  // truncated
}

TEST(TextTest, XmlEscapeHandlesMarkupAndForbiddenCharacters) {
  EXPECT_EQ(XmlEscape("<a href=\"x\">&'"), "&lt;a href=&quot;x&quot;&gt;&amp;&apos;");
  EXPECT_EQ(XmlEscape("a\x01"
                      "b\x1b"
                      "c"),
            "a\xEF\xBF\xBD"
            "b\xEF\xBF\xBD"
            "c");
  EXPECT_EQ(XmlEscape("\xEF\xBF\xBE"), "\xEF\xBF\xBD");  // U+FFFE
  EXPECT_EQ(XmlEscape("a\tb\nc\rd"), "a&#9;b&#10;c&#13;d");
  EXPECT_EQ(XmlEscape("a\tb\nc", /*attribute=*/false), "a\tb\nc");
  EXPECT_EQ(XmlEscape("]]>"), "]]&gt;");
}

TEST(TextTest, HtmlEscape) {
  EXPECT_EQ(HtmlEscape("</script><img src=x onerror='a'>"),
            "&lt;/script&gt;&lt;img src=x onerror=&#39;a&#39;&gt;");
  EXPECT_EQ(HtmlEscape(std::string("a\0b\xC2\x9B", 5)),
            "a\xEF\xBF\xBD"
            "b\xEF\xBF\xBD");  // NUL and the C1 CSI replaced
}

TEST(TextTest, CsvFieldQuotesAndNeutralisesFormulas) {
  EXPECT_EQ(CsvField("plain"), "plain");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(CsvField("cr\rhere"), "\"cr\rhere\"");
  EXPECT_EQ(CsvField("=1+2"), "'=1+2");
  EXPECT_EQ(CsvField("+1"), "'+1");
  EXPECT_EQ(CsvField("-1"), "'-1");
  EXPECT_EQ(CsvField("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(CsvField("\tx"), "'\tx");
  EXPECT_EQ(CsvField("\rx"), "\"'\rx\"");
  EXPECT_EQ(CsvField("=HYPERLINK(\"http://e\",\"x\")"),
            "\"'=HYPERLINK(\"\"http://e\"\",\"\"x\"\")\"");
  EXPECT_EQ(CsvField("a=b"), "a=b");
  EXPECT_EQ(CsvField(""), "");
}

TEST(TextTest, Markdown) {
  EXPECT_EQ(
      MarkdownText("a | b *c* _d_ [x](y) <b> `e` @team $x$ ~s~ #1 !"),
      "a \\| b \\*c\\* \\_d\\_ \\[x\\]\\(y\\) \\<b\\> \\`e\\` \\@team \\$x\\$ \\~s\\~ \\#1 \\!");
  EXPECT_EQ(MarkdownText("line\nbreak"), "line break");
  EXPECT_EQ(MarkdownCode("web:3"), "`web:3`");
  EXPECT_EQ(MarkdownCode("a|b"), "`a\\|b`");
  EXPECT_EQ(MarkdownCode("x`y"), "``x`y``");
  EXPECT_EQ(MarkdownCode("`x"), "`` `x ``");
  EXPECT_EQ(MarkdownCode(""), "");
}

TEST(TextTest, TruncateKeepsUtf8Whole) {
  EXPECT_EQ(Truncate("abcdef", 10), "abcdef");
  EXPECT_EQ(Truncate("abcdef", 5), "ab...");
  std::string s = "ab\xC3\xA9\xC3\xA9";  // 6 bytes
  EXPECT_EQ(Truncate(s, 5), "ab...");
  EXPECT_LE(Truncate(std::string(300, 'x'), 256).size(), 256u);
}

TEST(TextTest, UriPath) {
  EXPECT_EQ(UriPath("infra/my stack/t.yaml"), "infra/my%20stack/t.yaml");
  EXPECT_EQ(UriPath("a\\b#c?d%"), "a/b%23c%3Fd%25");
}

TEST(TextTest, HexToBase64) {
  EXPECT_EQ(HexToBase64("666f6f"), "Zm9v");
  EXPECT_EQ(HexToBase64("666f"), "Zm8=");
  EXPECT_EQ(HexToBase64("66"), "Zg==");
}

}  // namespace
}  // namespace ecsguard::report::internal
