// The one redaction rule: what is secret comes from the schema's @sensitive, whether the value
// sits in graph data (IsSensitive) or in AWS's JSON (Redactor, by @aws(field:)).
#include "graph/redact.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support.h"

namespace ecsguard::graph {
namespace {

using nlohmann::ordered_json;

TEST(RedactTest, TheBundledSchemaIsTheRepositoryFile) {
  EXPECT_EQ(BuiltinSchemaText(),
            testing::ReadFileOrDie(testing::SourcePath("schemas/aws.graphql")));
  EXPECT_NE(BuiltinSchema().Type("ECSEnvEntry"), nullptr);
}

TEST(RedactTest, IsSensitiveFollowsTheSchemaAndEvidencePaths) {
  const Schema& s = BuiltinSchema();
  EXPECT_TRUE(IsSensitive(s, "ECSEnvEntry", "", "value"));
  EXPECT_FALSE(IsSensitive(s, "ECSEnvEntry", "", "key"));
  EXPECT_TRUE(IsSensitive(s, "ECSTaskDefinition", "containerSpecs.envEntries", "value"));
  EXPECT_FALSE(IsSensitive(s, "ECSTaskDefinition", "containerSpecs", "user"));
  EXPECT_FALSE(IsSensitive(s, "ECSTaskDefinition", "", "networkMode"));
  EXPECT_FALSE(IsSensitive(s, "NoSuchType", "", "value"));
  EXPECT_FALSE(IsSensitive(s, "ECSTaskDefinition", "noSuchEdge", "value"));
}

TEST(RedactTest, EnvironmentValuesAnywhereInADescribeDocument) {
  auto r = BuiltinRedactor().RedactJsonText(
      R"({"taskDefinition":{"containerDefinitions":[{"environment":[{"name":"A","value":"x"}],)"
      R"("secrets":[{"name":"S","valueFrom":"arn:aws:ssm:r:1:parameter/s"}]}]},"tags":[]})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(
      *r,
      R"({"tags":[],"taskDefinition":{"containerDefinitions":[{"environment":[{"name":"A",)"
      R"("value":"<redacted>"}],"secrets":[{"name":"S","valueFrom":"arn:aws:ssm:r:1:parameter/s"}]}]}})");
  Result<std::string> bad = BuiltinRedactor().RedactJsonText("{");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), ErrorCode::kInvalidArgument);
}

// describe-tasks carries container overrides; CloudFormation spells the keys in PascalCase.
TEST(RedactTest, OverridesAndOtherSpellingsToo) {
  ordered_json doc = ordered_json::parse(R"({
    "tasks": [{"overrides": {"containerOverrides": [
      {"name": "app", "environment": [{"name": "K", "value": "v1"}]}]}}],
    "Properties": {"ContainerDefinitions": [{"Environment": [{"Name": "K", "Value": "v2"}]}]}})");
  BuiltinRedactor().Redact(&doc);
  EXPECT_EQ(doc["tasks"][0]["overrides"]["containerOverrides"][0]["environment"][0].dump(),
            R"({"name":"K","value":"<redacted>"})");
  EXPECT_EQ(doc["Properties"]["ContainerDefinitions"][0]["Environment"][0].dump(),
            R"({"Name":"K","Value":"<redacted>"})");
}

// The rule is the schema's: another schema redacts other keys, and one without @sensitive none.
TEST(RedactTest, TheSchemaDecidesWhatIsRedacted) {
  const char* sdl = R"(
    type Box @node { id: ID! items: [Item!]! @relationship(type: "HAS", direction: OUT) @aws(field: "things") }
    type Item @node { id: ID! label: String secret: String @sensitive @aws(field: "pin") })";
  Result<Schema> schema = Schema::Parse(sdl);
  ASSERT_TRUE(schema.ok()) << schema.error().ToString();
  ordered_json doc = ordered_json::parse(
      R"({"things":[{"label":"a","pin":"1234"}],"environment":[{"name":"K","value":"v"}]})");
  Redactor(*schema).Redact(&doc);
  EXPECT_EQ(
      doc.dump(),
      R"({"things":[{"label":"a","pin":"<redacted>"}],"environment":[{"name":"K","value":"v"}]})");
  Result<Schema> plain = Schema::Parse("type Item @node { id: ID! value: String }");
  ASSERT_TRUE(plain.ok());
  ordered_json same = doc;
  Redactor(*plain).Redact(&same);
  EXPECT_EQ(same, doc);
}

ordered_json Input(std::vector<std::string> values) {
  ordered_json env = ordered_json::array();
  for (const std::string& v : values) env.push_back({{"name", "K"}, {"value", v}});
  return {{"family", "web"}, {"containerDefinitions", {{{"name", "app"}, {"environment", env}}}}};
}

// The old rule skipped values under 3 bytes; a one-character secret is scrubbed too.
TEST(RedactTest, ScrubTextHidesShortValues) {
  const Redactor& r = BuiltinRedactor();
  EXPECT_EQ(r.ScrubText("bad value q7 in request", Input({"q7"})),
            "bad value <redacted> in request");
  EXPECT_EQ(r.ScrubText("x=Z;", Input({"Z"})), "x=<redacted>;");
}

TEST(RedactTest, ScrubTextMergesOverlapsAndFindsEscapedValues) {
  const Redactor& r = BuiltinRedactor();
  // "abcd" and "cdef" overlap in "abcdef": no byte of either survives, one placeholder.
  EXPECT_EQ(r.ScrubText("[abcdef]", Input({"abcd", "cdef"})), "[<redacted>]");
  // The message quotes the document as JSON: the value's quote is escaped there.
  EXPECT_EQ(r.ScrubText(R"(got {"value":"say \"hi\""})", Input({R"(say "hi")"})),
            R"(got {"value":"<redacted>"})");
  // Empty values and documents without values leave the text alone.
  EXPECT_EQ(r.ScrubText("nothing here", Input({""})), "nothing here");
  EXPECT_EQ(r.ScrubText("nothing here", ordered_json::object()), "nothing here");
}

}  // namespace
}  // namespace ecsguard::graph
