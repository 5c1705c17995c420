// The JSON and YAML front end: YAML 1.2 core-schema typing, CloudFormation short tags, positions
// and the limits that keep hostile input bounded.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "ingest/iac/document.h"

namespace ecsguard::ingest::iac {
namespace {

Node MustYaml(std::string_view text) {
  auto r = ParseYaml(text);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().ToString());
  return r.ok() ? *r : Node{};
}

TEST(Yaml, CoreSchemaScalars) {
  Node doc = MustYaml(
      "a: 1000:0\nb: 0\nc: \"true\"\nd: true\ne: yes\nf: ~\ng: 0o17\nh: 1.5e3\ni: '0'\n"
      "j: 0:0\nk: host\nl: .inf\nm: 2030-01-31\nn: !!str 12\n");
  struct Case {
    const char* key;
    Node::Kind kind;
    const char* text;
  } cases[] = {
      {"a", Node::Kind::kString, "1000:0"},     {"b", Node::Kind::kInt, "0"},
      {"c", Node::Kind::kString, "true"},       {"d", Node::Kind::kBool, "true"},
      {"e", Node::Kind::kString, "yes"},        {"f", Node::Kind::kNull, ""},
      {"g", Node::Kind::kInt, "0o17"},          {"h", Node::Kind::kFloat, "1.5e3"},
      {"i", Node::Kind::kString, "0"},          {"j", Node::Kind::kString, "0:0"},
      {"k", Node::Kind::kString, "host"},       {"l", Node::Kind::kFloat, ".inf"},
      {"m", Node::Kind::kString, "2030-01-31"}, {"n", Node::Kind::kString, "12"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.key);
    const Node* v = doc.Find(c.key);
    ASSERT_NE(v, nullptr);
    EXPECT_EQ(v->kind, c.kind);
    EXPECT_EQ(v->text, c.text);
  }
  EXPECT_TRUE(doc.Find("d")->boolean);
}

TEST(Yaml, ShortTagsBecomeLongForms) {
  Node doc = MustYaml(
      "a: !Ref P\nb: !GetAtt Res.Outputs.X\nc: !Sub '${A}-b'\nd: !If [C, x, y]\n"
      "e: !Equals [!Ref E, prod]\nf: !Condition C\n");
  EXPECT_EQ(Render(*doc.Find("a")), "!Ref P");
  const Node* getatt = doc.Find("b")->Find("Fn::GetAtt");
  ASSERT_NE(getatt, nullptr);
  ASSERT_EQ(getatt->items.size(), 2u);
  EXPECT_EQ(getatt->items[0].text, "Res");
  EXPECT_EQ(getatt->items[1].text, "Outputs.X");
  EXPECT_EQ(doc.Find("c")->Find("Fn::Sub")->text, "${A}-b");
  EXPECT_EQ(doc.Find("d")->Find("Fn::If")->items.size(), 3u);
  EXPECT_EQ(Render(*doc.Find("e")), "!Equals [!Ref E, prod]");
  EXPECT_EQ(doc.Find("f")->Find("Condition")->text, "C");
}

TEST(Yaml, PositionsOfKeysAndValues) {
  Node doc = MustYaml("top:\n  - name: a\n    user: root\n");
  const Node* list = doc.Find("top");
  ASSERT_TRUE(list && list->is_list());
  const Node& item = list->items[0];
  EXPECT_EQ(item.pos.line, 2u);
  EXPECT_EQ(item.pos.column, 5u);
  EXPECT_EQ(item.key_pos[1].line, 3u);
  EXPECT_EQ(item.key_pos[1].column, 5u);
  EXPECT_EQ(item.items[1].pos.column, 11u);
}

TEST(Yaml, AliasesExpandWithinABudget) {
  Node doc = MustYaml("base: &b {user: root}\nother: *b\n");
  EXPECT_EQ(doc.Find("other")->Find("user")->text, "root");
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char c = 'b'; c <= 'j'; ++c) {
    bomb += fmt::format("{0}: &{0} [*{1}, *{1}, *{1}, *{1}, *{1}, *{1}, *{1}, *{1}, *{1}, *{1}]\n",
                        c, static_cast<char>(c - 1));
  }
  auto r = ParseYaml(bomb);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kParse);
}

TEST(Yaml, DeepNestingIsAnError) {
  auto r = ParseYaml(std::string(5000, '[') + std::string(5000, ']'));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kParse);
}

TEST(Yaml, DuplicateKeysAreAnError) {
  auto r = ParseYaml("a: 1\nb: 2\na: 3\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().location().line, 3u);
}

TEST(Yaml, DuplicateKeysCanBeCollected) {
  std::vector<Error> duplicates;
  auto r = ParseYaml("a: 1\nb: {c: 1, c: [2]}\na: 3\n", &duplicates);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  ASSERT_EQ(duplicates.size(), 2u);
  EXPECT_EQ(duplicates[0].message(), "duplicate key \"c\"");
  EXPECT_EQ(duplicates[0].location().line, 2u);
  EXPECT_EQ(duplicates[0].location().column, 11u);
  EXPECT_EQ(duplicates[1].location().line, 3u);
  EXPECT_EQ(duplicates[1].location().column, 1u);
  EXPECT_EQ(r->Find("a")->text, "1");  // the first value stays
  EXPECT_EQ(r->Find("b")->keys.size(), 1u);
}

// YAML 1.1 merge keys, as `aws cloudformation package` expands them.
TEST(Yaml, MergeKeysAreExpanded) {
  Node doc = MustYaml(
      "base: &base {p: true, u: root}\n"
      "quiet: &quiet {p: false, u: '1000', e: true}\n"
      "one:\n  <<: *base\n  n: web\n"
      "list:\n  <<: [*quiet, *base]\n"
      "before:\n  u: '1000'\n  <<: *base\n"
      "after:\n  <<: *base\n  u: '1000'\n"
      "inline:\n  <<: {p: true}\n"
      "quoted:\n  '<<': *base\n");
  const Node* one = doc.Find("one");
  EXPECT_EQ(one->Find("p")->kind, Node::Kind::kBool);
  EXPECT_TRUE(one->Find("p")->boolean);
  EXPECT_EQ(one->Find("u")->text, "root");
  EXPECT_EQ(one->Find("n")->text, "web");
  EXPECT_EQ(one->Find("<<"), nullptr);
  EXPECT_EQ(one->Find("p")->pos.line, 1u);  // where the merged value is written
  const Node* list = doc.Find("list");      // earlier mappings win
  EXPECT_FALSE(list->Find("p")->boolean);
  EXPECT_EQ(list->Find("u")->text, "1000");
  EXPECT_TRUE(list->Find("e")->boolean);
  EXPECT_EQ(doc.Find("before")->Find("u")->text, "1000");  // explicit keys win
  EXPECT_EQ(doc.Find("after")->Find("u")->text, "1000");
  EXPECT_EQ(doc.Find("after")->Find("u")->pos.line, 13u);
  EXPECT_EQ(doc.Find("after")->keys.size(), 2u);
  EXPECT_TRUE(doc.Find("inline")->Find("p")->boolean);
  EXPECT_TRUE(doc.Find("quoted")->Find("<<"));  // a quoted << is an ordinary key
}

TEST(Yaml, WhatIsNotReadIsAnError) {
  struct Case {
    const char* text;
    uint32_t line, column;
    const char* message;
  } cases[] = {
      {"a: 1\n---\nb: 2\n", 2, 1, "a second YAML document"},
      {"a: 1\n--- x\n", 2, 1, "a second YAML document"},
      {"a: !!binary aGVsbG8=\n", 1, 4, "unsupported tag !!binary"},
      {"a: !!timestamp 2001-12-14\n", 1, 4, "unsupported tag !!timestamp"},
      {"a: !!int [1]\n", 1, 4, "unsupported tag !!int"},
      {"a: !<tag:example.com,2000:x> 1\n", 1, 4, "unsupported tag tag:example.com,2000:x"},
      {"? [a, b]\n: 1\n", 1, 3, "complex mapping keys"},
      {"a: 1\n~: 2\n", 2, 1, "a null mapping key"},
      {"a:\n  <<: [1]\n", 2, 8, "a merge key (<<) needs a mapping"},
      {"a:\n  <<: !Ref X\n", 2, 7, "a merge key (<<) needs a mapping"},
      {"m: &m {x: 1}\na:\n  <<: *m\n  <<: *m\n", 4, 3, "a second merge key"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    auto r = ParseYaml(c.text);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code(), ErrorCode::kParse);
    EXPECT_NE(r.error().message().find(c.message), std::string::npos) << r.error().message();
    EXPECT_EQ(r.error().location().line, c.line);
    EXPECT_EQ(r.error().location().column, c.column);
  }
  // A document end marker with nothing after it is still one document.
  EXPECT_TRUE(ParseYaml("a: 1\n...\n").ok());
}

TEST(Yaml, AliasesOfLargeStringsExpandWithinABudget) {
  // 1000 copies of 1 MB: the nodes are few, the bytes are not.
  // (Appended, not `"..." + std::string(...)`: GCC 12 warns falsely on that, bug 105329.)
  std::string text = "a: &a ";
  text.append(1 << 20, 'x');
  text += "\nb: [";
  for (int i = 0; i < 1000; ++i) text += "*a, ";
  text += "*a]\n";
  auto r = ParseYaml(text);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("bytes of text after expanding aliases"), std::string::npos)
      << r.error().message();
  EXPECT_EQ(r.error().location().line, 2u);
}

TEST(Yaml, AliasesCannotNestDeeperThanTheLimit) {
  // Each anchor is 150 levels deep and holds the previous one: a short text, a deep tree.
  std::string text;
  for (int i = 0; i < 20; ++i) {
    text += fmt::format("a{}: &a{} ", i, i) + std::string(150, '[');
    if (i > 0) text += fmt::format("*a{}", i - 1);
    text += std::string(150, ']') + "\n";
  }
  auto r = ParseYaml(text);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("nesting deeper than 200 levels after expanding an alias"),
            std::string::npos)
      << r.error().message();
}

TEST(Json, ValuesAndPositions) {
  auto r = ParseJson("{\n  \"a\": [1, -2.5e3, true, null, \"x\\u00e9\\ud83d\\ude00\"]\n}");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  const Node* a = r->Find("a");
  ASSERT_TRUE(a && a->is_list());
  EXPECT_EQ(a->pos.line, 2u);
  EXPECT_EQ(a->pos.column, 8u);
  EXPECT_EQ(r->key_pos[0].column, 3u);
  EXPECT_EQ(a->items[0].kind, Node::Kind::kInt);
  EXPECT_EQ(a->items[1].kind, Node::Kind::kFloat);
  EXPECT_EQ(a->items[2].kind, Node::Kind::kBool);
  EXPECT_EQ(a->items[3].kind, Node::Kind::kNull);
  EXPECT_EQ(a->items[4].text, "x\xC3\xA9\xF0\x9F\x98\x80");
}

TEST(Json, Errors) {
  struct Case {
    const char* text;
    uint32_t line, column;
  } cases[] = {
      {"{\"a\": }", 1, 7}, {"[1,\n 2,\n x]", 3, 2}, {"{\"a\": 1} x", 1, 10},
      {"\"abc", 1, 5},     {"[01]", 1, 3},          {"{\"a\" 1}", 1, 6},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    auto r = ParseJson(c.text);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code(), ErrorCode::kParse);
    EXPECT_EQ(r.error().location().line, c.line);
    EXPECT_EQ(r.error().location().column, c.column);
  }
  auto deep = ParseJson(std::string(100000, '['));
  ASSERT_FALSE(deep.ok());
}

TEST(Json, DuplicateKeysAreAnErrorOrCollected) {
  const char* text = "{\"a\": {\"p\": true,\n \"p\": false}, \"b\": 1}";
  auto r = ParseJson(text);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), "duplicate key \"p\"");
  EXPECT_EQ(r.error().location().line, 2u);
  EXPECT_EQ(r.error().location().column, 2u);
  std::vector<Error> duplicates;
  auto collected = ParseJson(text, &duplicates);
  ASSERT_TRUE(collected.ok()) << collected.error().ToString();
  ASSERT_EQ(duplicates.size(), 1u);
  EXPECT_EQ(duplicates[0].location().line, 2u);
  EXPECT_EQ(duplicates[0].location().column, 2u);
  EXPECT_TRUE(collected->Find("a")->Find("p")->boolean);  // the first value stays
  EXPECT_EQ(collected->Find("a")->keys.size(), 1u);
  EXPECT_EQ(collected->Find("b")->text, "1");
}

}  // namespace
}  // namespace ecsguard::ingest::iac
