// Rejections: each asserts the error code, the message and the line:column it points at.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "query_test_util.h"

namespace ecsguard::query {
namespace {

struct ErrorCase {
  const char* name;
  const char* query;
  ErrorCode code;
  const char* at;       // the text the error location must point at ("" when none)
  const char* message;  // a substring of the message
};

// 1-based line and column of the first occurrence of `needle` in `text`.
std::pair<uint32_t, uint32_t> LineColumnOf(std::string_view text, std::string_view needle) {
  size_t offset = text.find(needle);
  uint32_t line = 1, column = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

const ErrorCase kCases[] = {
    {"UnknownField", "{ ecsTaskDefinitions(where: {\n  foo: 1\n}) { id } }", ErrorCode::kValidation,
     "foo", "Field \"foo\" is not defined by type \"ECSTaskDefinitionWhere\"."},
    {"UnknownNestedField", "{ ecsTaskDefinitions(where: {containerSpecs_SOME: {bar: 1}}) { id } }",
     ErrorCode::kValidation, "bar",
     "Field \"bar\" is not defined by type \"ECSTaskContainerSpecWhere\"."},
    {"OperatorNotGeneratedForInt", "{ ecsTaskDefinitions(where: { revision_CONTAINS: 1 }) { id } }",
     ErrorCode::kValidation, "revision_CONTAINS",
     "Field \"revision_CONTAINS\" is not defined by type \"ECSTaskDefinitionWhere\". The operator "
     "_CONTAINS is not generated for \"revision\" (Int)."},
    {"NestedOperatorNotGeneratedForInt",
     "{ ecsTaskDefinitions(where: { revision: { contains: 1 } }) { id } }", ErrorCode::kValidation,
     "contains", "Field \"contains\" is not defined by type \"IntScalarFilters\"."},
    {"QuantifierOnOneToOne", "{ ecsTaskDefinitions(where: { task_SOME: {} }) { id } }",
     ErrorCode::kValidation, "task_SOME", "(1:1 relationship)"},
    {"StringGivenToBoolean",
     "{ ecsTaskDefinitions(where: { containerSpecs_SOME: { privileged: \"true\" } }) { id } }",
     ErrorCode::kValidation, "privileged",
     "Expected value of type \"Boolean\" for \"privileged\": Boolean cannot represent a non "
     "boolean value: \"true\"."},
    {"FloatGivenToInt", "{ ecsTaskDefinitions(where: { revision: 1.5 }) { id } }",
     ErrorCode::kValidation, "revision", "Int cannot represent non-integer value: 1.5"},
    {"StringGivenToInt", "{ ecsTaskDefinitions(where: { revision_GT: \"1\" }) { id } }",
     ErrorCode::kValidation, "revision_GT", "Int cannot represent non-integer value: \"1\""},
    {"EnumGivenToString", "{ ecsTaskDefinitions(where: { networkMode: HOST }) { id } }",
     ErrorCode::kValidation, "networkMode", "String cannot represent a non string value: HOST"},
    {"ListGivenToIncludes", "{ ecsTaskDefinitions(where: { tags_INCLUDES: [\"a\"] }) { id } }",
     ErrorCode::kValidation, "tags_INCLUDES", "a list is not accepted here"},
    {"NullInsideIn", "{ ecsTaskDefinitions(where: { family_IN: [\"a\", null] }) { id } }",
     ErrorCode::kValidation, "family_IN", "Expected value of type \"String!\""},
    {"NullInsideOr", "{ ecsTaskDefinitions(where: { OR: [{family: \"a\"}, null] }) { id } }",
     ErrorCode::kValidation, "OR", "Expected value of type \"ECSTaskDefinitionWhere!\""},
    {"NotWithAList", "{ ecsTaskDefinitions(where: { NOT: [{family: \"a\"}] }) { id } }",
     ErrorCode::kValidation, "NOT", "NOT takes one object, not a list."},
    {"AllNull", "{ ecsTaskDefinitions(where: { containerSpecs_ALL: null }) { id } }",
     ErrorCode::kValidation, "containerSpecs_ALL", "is rejected: library versions disagree"},
    {"NoneNull", "{ ecsTaskDefinitions(where: { containerSpecs_NONE: null }) { id } }",
     ErrorCode::kValidation, "containerSpecs_NONE", "is rejected"},
    {"V7SingleNull", "{ ecsTaskDefinitions(where: { containerSpecs: { single: null } }) { id } }",
     ErrorCode::kValidation, "single", "is rejected"},
    {"QuantifierGivenAScalar", "{ ecsTaskDefinitions(where: { containerSpecs_SOME: 5 }) { id } }",
     ErrorCode::kValidation, "containerSpecs_SOME",
     "Expected value of type \"ECSTaskContainerSpecWhere\""},
    {"DuplicateKey", "{ ecsTaskDefinitions(where: { family: \"a\", family: \"b\" }) { id } }",
     ErrorCode::kValidation, "family: \"b\"", "There can be only one input field named \"family\""},
    {"InvalidRegex", "{ ecsTaskDefinitions(where: { family_MATCHES: \"(\" }) { id } }",
     ErrorCode::kValidation, "family_MATCHES", "Invalid regular expression for \"family_MATCHES\""},
    {"UnknownRootField", "{\n  ecsTaskDefinitionz { id }\n}", ErrorCode::kValidation,
     "ecsTaskDefinitionz", "Cannot query field \"ecsTaskDefinitionz\" on type \"Query\"."},
    {"UnknownSelectedField", "{ ecsTaskDefinitions { id nope } }", ErrorCode::kValidation, "nope",
     "Cannot query field \"nope\" on type \"ECSTaskDefinition\"."},
    {"UnknownArgument", "{ ecsTaskDefinitions(first: 1) { id } }", ErrorCode::kValidation, "first",
     "Unknown argument \"first\" on field \"Query.ecsTaskDefinitions\"."},
    {"ArgumentOnScalar", "{ ecsTaskDefinitions { family(x: 1) } }", ErrorCode::kValidation,
     "x:", "Unknown argument \"x\" on field \"ECSTaskDefinition.family\"."},
    {"SelectionOnScalar", "{ ecsTaskDefinitions { family { x } } }", ErrorCode::kValidation,
     "family", "must not have a selection"},
    {"MissingSelection", "{ ecsTaskDefinitions }", ErrorCode::kValidation, "ecsTaskDefinitions",
     "must have a selection of subfields"},
    {"NegativeLimit", "{ ecsTaskDefinitions(limit: -1) { id } }", ErrorCode::kValidation, "limit",
     "must not be negative"},
    {"UnknownFragment", "{ ecsTaskDefinitions { ...Nope } }", ErrorCode::kValidation, "...Nope",
     "Unknown fragment \"Nope\"."},
    {"UnusedFragment", "{ ecsTaskDefinitions { id } }\nfragment F on ECSTaskDefinition { id }",
     ErrorCode::kValidation, "fragment F", "Fragment \"F\" is never used."},
    {"FragmentCycle",
     "{ ecsTaskDefinitions { ...A } }\nfragment A on ECSTaskDefinition { ...B }\n"
     "fragment B on ECSTaskDefinition { ...A id }",
     ErrorCode::kValidation, "...A id", "Cannot spread fragment \"A\" within itself."},
    {"FragmentOnWrongType", "{ ecsTaskDefinitions { ...F } }\nfragment F on ECSTask { id }",
     ErrorCode::kValidation, "...F", "can never be of type \"ECSTask\""},
    {"FragmentOnUnknownType", "{ ecsTaskDefinitions { ...F } }\nfragment F on Nope { id }",
     ErrorCode::kValidation, "fragment F", "Unknown type \"Nope\"."},
    {"ConflictingAliases", "{ ecsTaskDefinitions { x: id x: family } }", ErrorCode::kValidation,
     "x: family", "Fields \"x\" conflict because \"id\" and \"family\" are different fields."},
    {"UndefinedVariable", "{ ecsTaskDefinitions(where: {id_IN: $ids}) { id } }",
     ErrorCode::kValidation, "$ids", "Variable \"$ids\" is not defined."},
    {"UnusedVariable", "query($ids: [ID!]) { ecsTaskDefinitions { id } }", ErrorCode::kValidation,
     "$ids", "Variable \"$ids\" is never used."},
    {"VariableInWrongPosition", "query($n: Int) { ecsTaskDefinitions(where: {family: $n}) { id } }",
     ErrorCode::kValidation, "$n}",
     "Variable \"$n\" of type \"Int\" used in position expecting type \"String\"."},
    {"SingleVariableWhereAListIsExpected",
     "query($id: ID) { ecsTaskDefinitions(where: {id_IN: $id}) { id } }", ErrorCode::kValidation,
     "$id}", "used in position expecting type \"[ID!]\""},
    {"RequiredVariableMissing",
     "query($ids: [ID!]!) { ecsTaskDefinitions(where: {id_IN: $ids}) "
     "{ id } }",
     ErrorCode::kValidation,
     "$ids:", "Variable \"$ids\" of required type \"[ID!]!\" was not provided."},
    {"UnknownVariableType", "query($w: Nope) { ecsTaskDefinitions(where: $w) { id } }",
     ErrorCode::kValidation, "$w:", "Unknown type \"Nope\"."},
    {"UnknownDirective", "{ ecsTaskDefinitions { id @nope } }", ErrorCode::kValidation, "@nope",
     "Unknown directive \"@nope\"."},
    {"SyntaxError", "{ ecsTaskDefinitions(where: {networkMode: }) { id } }", ErrorCode::kParse,
     "}) {", "Syntax Error: Unexpected \"}\"."},
    {"BareSelectionSyntaxError", "ecsTaskDefinitions(where: {networkMode: }) { id }",
     ErrorCode::kParse, "}) {", "Syntax Error: Unexpected \"}\"."},
    {"LexerError", "{ ecsTaskDefinitions(where: {networkMode: \"host}) { id } }", ErrorCode::kParse,
     "", "unterminated string"},
    {"OnlyAComment", "# manual check", ErrorCode::kParse, "", "Unexpected <EOF>"},
    {"Mutation", "mutation { ecsTaskDefinitions { id } }", ErrorCode::kUnsupported, "mutation",
     "only queries are supported"},
    {"TypeDefinition", "type A { id: ID }", ErrorCode::kUnsupported, "type",
     "is not an executable definition"},
    {"TwoOperations", "{ ecsTasks { id } }\nquery Q { ecsTasks { id } }", ErrorCode::kValidation,
     "query Q", "exactly one operation"},
};

class ErrorTest : public EcsFixtureTest, public ::testing::WithParamInterface<ErrorCase> {};

TEST_P(ErrorTest, RejectsWithCodeMessageAndPosition) {
  const ErrorCase& c = GetParam();
  auto q = Compile(c.query);
  ASSERT_FALSE(q.ok()) << c.query;
  const Error& e = q.error();
  EXPECT_EQ(e.code(), c.code) << e.ToString();
  EXPECT_NE(e.message().find(c.message), std::string::npos) << e.message();
  if (*c.at) {
    auto [line, column] = LineColumnOf(c.query, c.at);
    EXPECT_EQ(e.location().line, line) << e.ToString();
    EXPECT_EQ(e.location().column, column) << e.ToString();
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, ErrorTest, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST_F(EcsFixtureTest, VariablesMustBeAnObject) {
  auto q = Compile("{ ecsTasks { id } }", nlohmann::json::array());
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(q.error().code(), ErrorCode::kInvalidArgument);
}

TEST_F(EcsFixtureTest, VariableValuesAreCoercedToTheirDeclaredType) {
  auto bad = Compile("query($ids: [ID!]) { ecsTasks(where: {id_IN: $ids}) { id } }",
                     {{"ids", {"t1", nullptr}}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), ErrorCode::kValidation);
  EXPECT_NE(bad.error().message().find("of non-null type \"[ID!]\" must not be null"),
            std::string::npos)
      << bad.error().message();
  EXPECT_EQ(bad.error().location().column, 7u);
  auto wrong = Compile(
      "query($b: Boolean) { ecsTaskContainerSpecs(where: {privileged: $b}) "
      "{ id } }",
      {{"b", "true"}});
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.error().message().find("Boolean cannot represent a non boolean value"),
            std::string::npos);
}

TEST_F(EcsFixtureTest, DeepNestingIsRejectedNotRecursedInto) {
  std::string braces = "{ ecsTasks";
  for (int i = 0; i < 100'000; ++i) braces += " { id";
  auto q = Compile(braces);
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(q.error().code(), ErrorCode::kParse);
  EXPECT_NE(q.error().message().find("nests deeper than 512 levels"), std::string::npos)
      << q.error().message();

  std::string where;
  for (int i = 0; i < 600; ++i) where += "{NOT: ";
  where += "{}";
  for (int i = 0; i < 600; ++i) where += "}";
  auto deep = Compile("{ ecsTasks(where: " + where + ") { id } }");
  ASSERT_FALSE(deep.ok());
  EXPECT_EQ(deep.error().code(), ErrorCode::kParse);

  std::string lists(100'000, '[');
  auto list_query = Compile("{ ecsTasks(where: {id_IN: " + lists + "}) { id } }");
  ASSERT_FALSE(list_query.ok());
  EXPECT_EQ(list_query.error().code(), ErrorCode::kParse);
}

TEST_F(EcsFixtureTest, NestingWithinTheLimitIsAccepted) {
  std::string where;
  for (int i = 0; i < 200; ++i) where += "{NOT: ";
  where += R"({lastStatus: "RUNNING"})";
  for (int i = 0; i < 200; ++i) where += "}";
  EXPECT_EQ(Match("{ ecsTasks(where: " + where + ") { id } }"), Ids({"t1", "t3", "t4"}));
}

TEST_F(EcsFixtureTest, DeepVariableValuesAreRejected) {
  nlohmann::json w = nlohmann::json::object();
  for (int i = 0; i < 600; ++i) w = {{"NOT", w}};
  auto q = Compile("query($w: ECSTaskWhere) { ecsTasks(where: $w) { id } }", {{"w", w}});
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(q.error().code(), ErrorCode::kValidation);
  EXPECT_NE(q.error().message().find("nests deeper"), std::string::npos);
}

TEST_F(EcsFixtureTest, LongFragmentChainsAreBounded) {
  std::string text = "{ ecsTasks { ...F0 } }\n";
  for (int i = 0; i < 1000; ++i) {
    text +=
        "fragment F" + std::to_string(i) + " on ECSTask { id ...F" + std::to_string(i + 1) + " }\n";
  }
  text += "fragment F1000 on ECSTask { id }\n";
  auto q = Compile(text);
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(q.error().code(), ErrorCode::kValidation);
  EXPECT_NE(q.error().message().find("fragment spreads nest deeper"), std::string::npos)
      << q.error().message();
}

TEST_F(EcsFixtureTest, SelectionsChainedThroughFragmentsAreBounded) {
  // Each fragment nests 300 relationship hops, within the parser's limit; together they exceed it.
  auto body = [](const char* spread) {
    std::string open, close;
    for (int i = 0; i < 150; ++i) {
      open += "containerSpecs { taskDefinition { ";
      close += "} } ";
    }
    return open + spread + " " + close;
  };
  std::string text = "{ ecsTaskDefinitions { ...F0 } }\n";
  text += "fragment F0 on ECSTaskDefinition { " + body("...F1") + "}\n";
  text += "fragment F1 on ECSTaskDefinition { " + body("id") + "}\n";
  auto q = Compile(text);
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(q.error().code(), ErrorCode::kValidation);
  EXPECT_NE(q.error().message().find("the selection nests deeper than 512 levels"),
            std::string::npos)
      << q.error().message();
}

TEST_F(EcsFixtureTest, ExponentialFragmentExpansionIsBounded) {
  // Each fragment selects the next one twice through two relationship hops: 2^40 fields.
  std::string text = "{ ecsTaskDefinitions { ...F0 } }\n";
  for (int i = 0; i < 40; ++i) {
    const char* type = i % 2 == 0 ? "ECSTaskDefinition" : "ECSTaskContainerSpec";
    const char* rel = i % 2 == 0 ? "containerSpecs" : "taskDefinition";
    text += fmt::format("fragment F{} on {} {{ a: {} {{ ...F{} }} b: {} {{ ...F{} }} }}\n", i, type,
                        rel, i + 1, rel, i + 1);
  }
  text += "fragment F40 on ECSTaskDefinition { id }\n";
  auto q = Compile(text);
  ASSERT_FALSE(q.ok());
  EXPECT_NE(q.error().message().find("the selection expands to more than"), std::string::npos)
      << q.error().message();
}

}  // namespace
}  // namespace ecsguard::query
