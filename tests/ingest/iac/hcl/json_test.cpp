#include <gtest/gtest.h>

#include "ingest/iac/hcl/hcl.h"

namespace ecsguard::ingest::hcl {
namespace {

TEST(HclJsonTest, EncodesLikeTerraformJsonencode) {
  Value v = Value::Object({
      {"z", Value::Number("1.50")},
      {"a", Value::String("<b> & \"q\" \\ \n\t\x01 \xE2\x80\xA8 é")},
      {"m", Value::Tuple({Value::Null(), Value::Bool(false), Value::Number("1e3")})},
      {"big", Value::Number("12345678901234567890.000")},
  });
  Result<std::string> json = EncodeJson(v);
  ASSERT_TRUE(json.ok());
  EXPECT_EQ(*json,
            "{\"a\":\"\\u003cb\\u003e \\u0026 \\\"q\\\" \\\\ \\n\\t\\u0001 \\u2028 é\","
            "\"big\":12345678901234567890,\"m\":[null,false,1000],\"z\":1.5}");
}

TEST(HclJsonTest, InvalidUtf8IsReplaced) {
  EXPECT_EQ(*EncodeJson(Value::String("a\xFF")), "\"a\\ufffd\"");
}

TEST(HclJsonTest, UnknownCannotBeEncoded) {
  Result<std::string> json = EncodeJson(Value::Tuple({Value::Unknown("var.x has no default")}));
  ASSERT_FALSE(json.ok());
  EXPECT_EQ(json.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(json.error().message().find("var.x has no default"), std::string::npos);
}

TEST(HclJsonTest, DecodeKeepsNumberText) {
  Result<Value> v =
      DecodeJson("{\"b\": [1, 2.50, -3e2, 18446744073709551615], \"a\": \"\\u00e9\"}");
  ASSERT_TRUE(v.ok());
  const Value& b = *v->Find("b");
  EXPECT_EQ(b.elements()[1].number_text(), "2.50");
  EXPECT_EQ(b.elements()[2].number_text(), "-3e2");
  EXPECT_EQ(b.elements()[3].number_text(), "18446744073709551615");
  EXPECT_EQ(v->Find("a")->string_value(), "\xC3\xA9");
  EXPECT_EQ(*EncodeJson(*v), "{\"a\":\"é\",\"b\":[1,2.5,-300,18446744073709551615]}");
}

TEST(HclJsonTest, DecodeErrorsHavePositions) {
  Result<Value> v = DecodeJson("{\n  \"a\": tru\n}");
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().code(), ErrorCode::kParse);
  EXPECT_EQ(v.error().location().line, 2u);
  EXPECT_FALSE(DecodeJson("[1] trailing").ok());
  EXPECT_FALSE(DecodeJson("").ok());
}

TEST(HclJsonTest, DecodeDepthIsBounded) {
  std::string deep(100000, '[');
  Result<Value> v = DecodeJson(deep + std::string(100000, ']'));
  ASSERT_FALSE(v.ok());
  EXPECT_NE(v.error().message().find("deeper than 256"), std::string::npos);
}

TEST(HclJsonTest, DuplicateKeysKeepTheLast) {
  EXPECT_EQ(*EncodeJson(*DecodeJson("{\"a\": 1, \"a\": 2}")), "{\"a\":2}");
}

}  // namespace
}  // namespace ecsguard::ingest::hcl
