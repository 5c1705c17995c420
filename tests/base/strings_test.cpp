#include "base/strings.h"

#include <gtest/gtest.h>

namespace ecsguard {
namespace {

TEST(StringsTest, LineColumn) {
  std::string_view text = "ab\ncd\nef";
  EXPECT_EQ(LineColumnAt(text, 0).line, 1u);
  EXPECT_EQ(LineColumnAt(text, 4).line, 2u);
  EXPECT_EQ(LineColumnAt(text, 4).column, 2u);
  EXPECT_EQ(LineColumnAt(text, 100).line, 3u);
}

TEST(StringsTest, Sha256KnownAnswer) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(StringsTest, SplitTrimLower) {
  auto parts = Split("a::b", ':');
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[1], "");
  EXPECT_EQ(Trim("  x \n"), "x");
  EXPECT_EQ(ToLower("HoSt"), "host");
  EXPECT_TRUE(EqualsIgnoreCase("PROD", "prod"));
}

TEST(StringsTest, OneLineRemovesLineBreaksAndTerminalEscapes) {
  EXPECT_EQ(OneLine("a\x1b[31mb\nc"), "a [31mb c");
  EXPECT_EQ(OneLine("x\xC2\x9By"), "x y") << "C1 CSI";
  EXPECT_EQ(OneLine("tab\there\r\x7f"), "tab here  ");
  EXPECT_EQ(OneLine("caf\xC3\xA9 \xE2\x80\xA8"), "caf\xC3\xA9  ") << "U+2028 breaks lines too";
  EXPECT_EQ(OneLine("bad\xFF"), "bad\xEF\xBF\xBD");
}

TEST(StringsTest, RedactPasswordsMasksUrlPasswordsAndPasswordParameters) {
  EXPECT_EQ(RedactPasswords("postgresql://u:p@h:5432/db"), "postgresql://u:***@h:5432/db");
  EXPECT_EQ(RedactPasswords("postgresql://u@h/db"), "postgresql://u@h/db");
  EXPECT_EQ(RedactPasswords("postgresql://u:p%40ss@h/db?sslmode=require"),
            "postgresql://u:***@h/db?sslmode=require");
  EXPECT_EQ(RedactPasswords("postgresql://h/db?user=u&password=p&sslmode=require"),
            "postgresql://h/db?user=u&password=***&sslmode=require");
  EXPECT_EQ(RedactPasswords("postgresql://h/db?sslpassword=x"),
            "postgresql://h/db?sslpassword=***");
  EXPECT_EQ(RedactPasswords("sqlite:/tmp/a.db"), "sqlite:/tmp/a.db");
  EXPECT_EQ(RedactPasswords("/tmp/a:b@c.db"), "/tmp/a:b@c.db");
  // An error message quoting an endpoint URL.
  EXPECT_EQ(RedactPasswords("POST https://u:s3cret@host:8443/: Could not resolve host: host"),
            "POST https://u:***@host:8443/: Could not resolve host: host");
  // libpq keyword/value connection strings, quoted values with escapes included.
  EXPECT_EQ(RedactPasswords("host=x password=secret dbname=d"), "host=x password=*** dbname=d");
  EXPECT_EQ(RedactPasswords("host=x PASSWORD = 'a b\\' c' port=5"), "host=x PASSWORD = *** port=5");
  EXPECT_EQ(RedactPasswords("the password is wrong"), "the password is wrong");
}

}  // namespace
}  // namespace ecsguard
