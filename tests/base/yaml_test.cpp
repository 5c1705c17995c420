// base/yaml.h: ecsguard's own YAML files are read strictly, every error at file:line:column.
#include "base/yaml.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>

namespace ecsguard {
namespace {

TEST(YamlTest, ReadsOneDocument) {
  Result<YAML::Node> root = LoadYaml("a: 1\nb: [x, y]\n", "f.yaml");
  ASSERT_TRUE(root.ok()) << root.error().ToString();
  EXPECT_EQ((*root)["a"].as<int>(), 1);
  EXPECT_EQ((*root)["b"].size(), 2u);
}

TEST(YamlTest, EmptyTextIsNull) {
  for (std::string text : {"", "# only a comment\n", "---\n"}) {
    Result<YAML::Node> root = LoadYaml(text, "f.yaml");
    ASSERT_TRUE(root.ok()) << text << ": " << root.error().ToString();
    EXPECT_TRUE(root->IsNull()) << text;
  }
}

struct BadCase {
  std::string text;
  std::string message;  // a part of it
  uint32_t line, column;
};

TEST(YamlTest, ErrorsAreConfigurationErrorsAtTheirPlace) {
  const BadCase cases[] = {
      // yaml-cpp keeps the first of two equal keys: a second fail_on would be ignored.
      {"fail_on: high\nfail_on: low\n", "duplicate key \"fail_on\"", 2, 1},
      {"exceptions:\n  - id: a\n    owner: x\n    owner: y\n", "duplicate key \"owner\"", 4, 5},
      {"a: 1\n---\nb: 2\n", "more than one YAML document", 3, 1},
      {"a: [1, 2\n", "", 2, 1},
      {"a: b: c\n", "", 1, 5},
  };
  for (const BadCase& c : cases) {
    Result<YAML::Node> root = LoadYaml(c.text, "f.yaml");
    ASSERT_FALSE(root.ok()) << c.text;
    EXPECT_EQ(root.error().code(), ErrorCode::kConfiguration) << c.text;
    EXPECT_NE(root.error().message().find(c.message), std::string::npos)
        << c.text << ": " << root.error().ToString();
    EXPECT_EQ(root.error().location().file, "f.yaml");
    EXPECT_EQ(root.error().location().line, c.line) << c.text << ": " << root.error().ToString();
    EXPECT_EQ(root.error().location().column, c.column)
        << c.text << ": " << root.error().ToString();
  }
}

TEST(YamlTest, AliasExpansionIsBounded) {
  // Each level doubles the tree the aliases describe: 2^30 values from a few hundred bytes.
  std::string text = "a0: &a0 [x, x]\n";
  for (int i = 1; i <= 30; ++i) {
    text += fmt::format("a{0}: &a{0} [*a{1}, *a{1}]\n", i, i - 1);
  }
  Result<YAML::Node> root = LoadYaml(text, "f.yaml");
  ASSERT_FALSE(root.ok());
  EXPECT_EQ(root.error().code(), ErrorCode::kConfiguration);
  EXPECT_NE(root.error().message().find("too large"), std::string::npos) << root.error().ToString();
}

TEST(YamlTest, ErrorsOfReadingALoadedDocumentHaveTheirPlace) {
  Result<YAML::Node> root = LoadYaml("a:\n  n: not-a-number\n", "f.yaml");
  ASSERT_TRUE(root.ok());
  try {
    (void)(*root)["a"]["n"].as<int>();
    FAIL() << "expected a conversion error";
  } catch (const YAML::Exception& e) {
    Error error = YamlError(e, "f.yaml");
    EXPECT_EQ(error.code(), ErrorCode::kConfiguration);
    EXPECT_EQ(error.location().line, 2u);
    EXPECT_EQ(error.location().column, 6u);
  }
}

}  // namespace
}  // namespace ecsguard
