#include <gtest/gtest.h>

#include <string>

#include "ingest/iac/hcl/hcl.h"

namespace ecsguard::ingest::hcl {
namespace {

// "line:column: message" of every error.
std::vector<std::string> Errors(std::string text) {
  File f = Parse(std::move(text), "bad.tf");
  std::vector<std::string> out;
  for (const Error& e : f.errors) {
    EXPECT_EQ(e.code(), ErrorCode::kParse);
    EXPECT_EQ(e.location().file, "bad.tf");
    out.push_back(std::to_string(e.location().line) + ":" + std::to_string(e.location().column) +
                  ": " + e.message());
  }
  return out;
}

::testing::AssertionResult HasErrorAt(const std::vector<std::string>& errors,
                                      const std::string& prefix) {
  for (const std::string& e : errors) {
    if (e.rfind(prefix, 0) == 0) return ::testing::AssertionSuccess();
  }
  std::string all;
  for (const std::string& e : errors) all += "\n  " + e;
  return ::testing::AssertionFailure() << "no error starting with \"" << prefix << "\" in:" << all;
}

TEST(HclErrorsTest, ExactPositions) {
  EXPECT_TRUE(HasErrorAt(Errors("a = \n"), "1:5: Invalid expression"));
  EXPECT_TRUE(HasErrorAt(Errors("a = 1 2\n"), "1:7: Missing newline after argument"));
  EXPECT_TRUE(HasErrorAt(Errors("a = 1,\n"), "1:6: Unexpected comma after argument"));
  EXPECT_TRUE(HasErrorAt(Errors("\"a\" = 1\n"), "1:1: Invalid argument name"));
  EXPECT_TRUE(HasErrorAt(Errors("a\n"), "1:1: Argument or block definition required"));
  EXPECT_TRUE(HasErrorAt(Errors("b \"x\" = {}\n"), "1:7: Invalid block definition"));
  EXPECT_TRUE(HasErrorAt(Errors("b {\n  c = [1, 2\n}\n"), "3:1: Missing item separator"));
  EXPECT_TRUE(HasErrorAt(Errors("x = {a = 1 b = 2}\n"), "1:12: Missing attribute separator"));
  EXPECT_TRUE(HasErrorAt(Errors("x = f(a b)\n"), "1:9: Missing argument separator"));
  EXPECT_TRUE(HasErrorAt(Errors("x = a ? b\n"), "1:10: Missing false expression"));
  // Newlines are insignificant inside parentheses, so the parser meets the end of the file.
  EXPECT_TRUE(HasErrorAt(Errors("x = (a\n"), "2:1: Unbalanced parentheses"));
  EXPECT_TRUE(HasErrorAt(Errors("x = a.0.1\n"), "1:7: Invalid legacy index syntax"));
  EXPECT_TRUE(HasErrorAt(Errors("x = 1.2.3\n"), "1:5: Invalid number literal"));
  EXPECT_TRUE(HasErrorAt(Errors("x = [for v in l : k => v]\n"), "1:19: Invalid 'for' expression"));
  EXPECT_TRUE(HasErrorAt(Errors("x = {for v in l : v}\n"), "1:19: Invalid 'for' expression"));
}

TEST(HclErrorsTest, DuplicateAttribute) {
  std::vector<std::string> e = Errors("a = 1\n  a = 2\n");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0],
            "2:3: Attribute redefined: the argument \"a\" was already set at 1:1; each "
            "argument may be set only once");
}

TEST(HclErrorsTest, InvalidCharacters) {
  EXPECT_TRUE(HasErrorAt(Errors("a = 'x'\n"), "1:5: Invalid character: single quotes"));
  EXPECT_TRUE(HasErrorAt(Errors("a = 1;\n"), "1:6: Invalid character: \";\""));
  EXPECT_TRUE(HasErrorAt(Errors("a = b & c\n"), "1:7: Unsupported operator"));
  EXPECT_TRUE(HasErrorAt(Errors("a = \"x\xff\"\n"), "1:7: Invalid character encoding"));
  EXPECT_TRUE(HasErrorAt(Errors("a = \"\\q\"\n"), "1:6: Invalid escape sequence"));
  EXPECT_TRUE(HasErrorAt(Errors("a = \"\\u12\"\n"), "1:6: Invalid escape sequence"));
  EXPECT_TRUE(HasErrorAt(Errors("a = \"\\uD800\"\n"), "1:6: Invalid escape sequence"));
}

TEST(HclErrorsTest, UnterminatedConstructs) {
  EXPECT_TRUE(HasErrorAt(Errors("a = \"abc\nb = 1\n"), "1:9: Invalid multi-line string"));
  EXPECT_TRUE(HasErrorAt(Errors("a = <<EOT\nno end\n"),
                         "1:5: Unterminated heredoc: no line containing only the closing marker "
                         "\"EOT\""));
  EXPECT_TRUE(HasErrorAt(Errors("a = \"${b\n"), "1:6: Unclosed template interpolation"));
  EXPECT_TRUE(HasErrorAt(Errors("a = \"${b"), "1:6: Unclosed template interpolation sequence"));
  EXPECT_TRUE(HasErrorAt(Errors("a = \"x"), "1:5: Unterminated template string"));
  EXPECT_TRUE(HasErrorAt(Errors("b {\n  c = 1\n"), "1:3: Unclosed configuration block"));
  EXPECT_TRUE(HasErrorAt(Errors("a = [1, 2"), "1:5: Unterminated tuple constructor"));
  EXPECT_TRUE(HasErrorAt(Errors("/* never closed\na = 1\n"), "1:1: Unterminated comment"));
  EXPECT_TRUE(HasErrorAt(Errors("a = \"%{ if x }y\"\n"), "1:6: Unexpected end of template"));
  EXPECT_TRUE(HasErrorAt(Errors("a = \"%{ endif }\"\n"), "1:6: Unexpected endif directive"));
  EXPECT_TRUE(HasErrorAt(Errors("a = \"%{ bogus }\"\n"), "1:9: Invalid template control keyword"));
}

TEST(HclErrorsTest, RecoversAtTheNextTopLevelBlock) {
  File f = Parse(
      "resource \"a\" \"broken\" {\n"
      "  x = [1, 2\n"
      "  y = \"fine\"\n"
      "}\n"
      "resource \"a\" \"good\" {\n"
      "  x = 1\n"
      "}\n"
      "oops oops oops\n"
      "locals {\n"
      "  z = \"unterminated\n"
      "}\n"
      "variable \"v\" {\n"
      "  default = 3\n"
      "}\n",
      "multi.tf");
  ASSERT_EQ(f.errors.size(), 3u) << f.errors[0].ToString();
  EXPECT_EQ(f.errors[0].location().line, 3u);
  EXPECT_EQ(f.errors[1].location().line, 8u);
  EXPECT_EQ(f.errors[2].location().line, 10u);
  ASSERT_EQ(f.body.blocks.size(), 2u);
  EXPECT_EQ(f.body.blocks[0].labels[1].value, "good");
  EXPECT_EQ(f.body.blocks[1].type, "variable");
}

TEST(HclErrorsTest, EmptyAndWhitespaceOnlyFiles) {
  EXPECT_TRUE(Parse("", "e.tf").ok());
  EXPECT_TRUE(Parse("\n\n   \n# c\n", "e.tf").ok());
  EXPECT_TRUE(Parse("\xEF\xBB\xBF", "e.tf").ok());
}

TEST(HclErrorsTest, DeepNestingIsAnErrorNotACrash) {
  std::string deep = "a = " + std::string(100000, '[') + std::string(100000, ']') + "\n";
  std::vector<std::string> e = Errors(deep);
  ASSERT_FALSE(e.empty());
  EXPECT_TRUE(HasErrorAt(e, "1:")) << e[0];
  EXPECT_NE(e[0].find("Nesting too deep"), std::string::npos) << e[0];

  std::string parens = "a = " + std::string(50000, '(') + "1" + std::string(50000, ')') + "\n";
  EXPECT_NE(Errors(parens)[0].find("Nesting too deep"), std::string::npos);

  std::string unary = "a = " + std::string(50000, '!') + "true\n";
  EXPECT_NE(Errors(unary)[0].find("Nesting too deep"), std::string::npos);

  std::string chain = "a = 1";
  for (int i = 0; i < 20000; ++i) chain += " + 1";
  EXPECT_NE(Errors(chain + "\n")[0].find("Nesting too deep"), std::string::npos);

  std::string templates;
  for (int i = 0; i < 20000; ++i) templates += "\"${";
  EXPECT_FALSE(Errors("a = " + templates + "\n").empty());

  std::string directives = "a = \"";
  for (int i = 0; i < 20000; ++i) directives += "%{if x}";
  EXPECT_NE(Errors(directives + "\"\n")[0].find("Nesting too deep"), std::string::npos);

  std::string blocks;
  for (int i = 0; i < 20000; ++i) blocks += "b {\n";
  EXPECT_NE(Errors(blocks)[0].find("Nesting too deep"), std::string::npos);

  std::string indexes = "a = x";
  for (int i = 0; i < 20000; ++i) indexes += "[y]";
  EXPECT_NE(Errors(indexes + "\n")[0].find("Nesting too deep"), std::string::npos);
}

TEST(HclErrorsTest, NestingLimitIsConfigurable) {
  ParseOptions options;
  options.max_nesting = 4;
  EXPECT_TRUE(Parse("a = [[1]]\n", "f.tf", options).ok());
  EXPECT_FALSE(Parse("a = [[[[[1]]]]]\n", "f.tf", options).ok());
}

TEST(HclErrorsTest, BinaryGarbageIsBoundedErrors) {
  std::string garbage;
  for (int i = 0; i < 5000; ++i) garbage.push_back(static_cast<char>((i * 7919) % 256));
  File f = Parse(garbage, "bin.tf");
  EXPECT_FALSE(f.ok());
  EXPECT_LE(f.errors.size(), 101u);
  EXPECT_NE(f.errors.back().message().find("more errors not shown"), std::string::npos);
}

TEST(HclErrorsTest, NulBytesAndLoneCarriageReturns) {
  EXPECT_FALSE(Parse(std::string("a = 1\0\n", 7), "nul.tf").ok());
  EXPECT_FALSE(Parse("a = 1\rb = 2\n", "cr.tf").ok());
}

}  // namespace
}  // namespace ecsguard::ingest::hcl
