#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "ingest/iac/hcl/hcl.h"
#include "support.h"

namespace ecsguard::ingest::hcl {
namespace {

Value Str(std::string s) { return Value::String(std::move(s)); }
Value Num(std::string s) { return Value::Number(std::move(s)); }

class HclEvalTest : public ::testing::Test {
 protected:
  HclEvalTest() {
    scope_.Set("var", Value::Object({
                          {"environment", Str("prod")},
                          {"image", Value::Unknown("var.image has no default")},
                          {"ports", Value::Tuple({Num("80"), Num("443")})},
                          {"tags", Value::Object({{"Team", Str("core")}, {"Tier", Str("web")}})},
                          {"flag", Value::Bool(true)},
                          {"nothing", Value::Null()},
                      }));
    scope_.Set("local", Value::Object({{"name", Str("api")}}));
    scope_.Set("path", Value::Object({{"module", Str(".")}}));
    files_.Add("./containers.json", "[{\"name\": \"x\", \"cpu\": 1.50}]");
    files_.Add("./cd.tpl",
               "[%{ for i, p in ports ~}\n"
               "{\"name\": \"${name}-${i}\", \"port\": ${p}}%{ if i < length }, %{ endif }\n"
               "%{~ endfor ~}]");
    context_.scope = &scope_;
    context_.files = &files_;
    context_.filename = "main.tf";
  }

  Result<Value> Eval(const std::string& expr) {
    parsed_ = ParseExpression(expr, "main.tf");
    for (const Error& e : parsed_.errors) ADD_FAILURE() << e.ToString();
    if (!parsed_.expr) return Error(ErrorCode::kParse, "no expression");
    return Evaluate(*parsed_.expr, context_);
  }

  Value Known(const std::string& expr) {
    Result<Value> v = Eval(expr);
    if (!v.ok()) {
      ADD_FAILURE() << expr << ": " << v.error().ToString();
      return Value();
    }
    return *v;
  }

  std::string Json(const std::string& expr) {
    Result<std::string> json = EncodeJson(Known(expr));
    return json.ok() ? *json : "<" + json.error().message() + ">";
  }

  MapScope scope_;
  MemoryFileReader files_;
  EvalContext context_;
  ParsedExpression parsed_;
};

TEST_F(HclEvalTest, Literals) {
  EXPECT_EQ(Known("null"), Value::Null());
  EXPECT_EQ(Known("true"), Value::Bool(true));
  EXPECT_EQ(Known("1.50").number_text(), "1.50");  // kept as written
  EXPECT_EQ(Known("1.50"), Num("1.5"));
  EXPECT_EQ(Known("\"a\\tb\""), Str("a\tb"));
}

TEST_F(HclEvalTest, TemplatesOfKnownParts) {
  EXPECT_EQ(Known("\"${local.name}-${var.environment}:${1.0}${true}\""), Str("api-prod:1true"));
  EXPECT_EQ(Known("\"%{ if var.flag }on%{ else }off%{ endif }\""), Str("on"));
  EXPECT_EQ(Known("\"%{ for p in var.ports }${p},%{ endfor }\""), Str("80,443,"));
  EXPECT_EQ(Known("\"$${literal}\""), Str("${literal}"));
}

TEST_F(HclEvalTest, CollectionsAndTraversals) {
  EXPECT_EQ(Json("[1, \"a\", {b = [true, null]}]"), "[1,\"a\",{\"b\":[true,null]}]");
  EXPECT_EQ(Json("{ z = 1, a = 2, \"m n\" = 3, (local.name) = 4 }"),
            "{\"a\":2,\"api\":4,\"m n\":3,\"z\":1}");
  EXPECT_EQ(Known("var.ports[1]"), Num("443"));
  EXPECT_EQ(Known("var.tags[\"Team\"]"), Str("core"));
  EXPECT_EQ(Known("var.tags.Tier"), Str("web"));
  EXPECT_EQ(Json("[{a = 1}, {a = 2}][*].a"), "[1,2]");
  EXPECT_EQ(Json("[{a = 1}, {a = 2}].*.a"), "[1,2]");
  EXPECT_EQ(Json("var.nothing[*]"), "[]");
  EXPECT_EQ(Json("{a = 1}[*].a"), "[1]");
}

TEST_F(HclEvalTest, OperatorsConditionalsAndFor) {
  EXPECT_EQ(Known("1 + 2 * 3"), Num("7"));
  EXPECT_EQ(Known("7 / 2"), Num("3.5"));
  EXPECT_EQ(Known("7 % 3"), Num("1"));
  EXPECT_EQ(Known("-var.ports[0]"), Num("-80"));
  EXPECT_EQ(Known("0.1 + 0.2"), Num("0.30000000000000004"));
  EXPECT_EQ(Known("var.environment == \"prod\" && !false"), Value::Bool(true));
  EXPECT_EQ(Known("[1] == [1.0]"), Value::Bool(true));
  EXPECT_EQ(Known("3 >= 4 || 2 < 1"), Value::Bool(false));
  EXPECT_EQ(Known("var.flag ? \"host\" : var.image"), Str("host"));
  EXPECT_EQ(Json("[for i, p in var.ports : p + i if p > 80]"), "[444]");
  EXPECT_EQ(Json("{for k, v in var.tags : lower(k) => v}"), "{\"team\":\"core\",\"tier\":\"web\"}");
  EXPECT_EQ(Json("{for p in [1, 2, 1] : tostring(p) => p...}"), "{\"1\":[1,1],\"2\":[2]}");
}

TEST_F(HclEvalTest, UnknownsCarryTheirReason) {
  Value v = Known("var.image");
  ASSERT_TRUE(v.is_unknown());
  EXPECT_EQ(v.unknown_reason(), "var.image has no default");
  EXPECT_EQ(Known("\"${var.image}:latest\"").unknown_reason(), "var.image has no default");
  EXPECT_EQ(Known("upper(var.image)").unknown_reason(), "var.image has no default");
  EXPECT_EQ(Known("aws_iam_role.task.arn").unknown_reason(),
            "aws_iam_role.task.arn is not known statically");
  EXPECT_EQ(Known("data.aws_region.current[0].name").unknown_reason(),
            "data.aws_region.current[0].name is not known statically");
  EXPECT_EQ(Known("var.missing").unknown_reason(), "var.missing is not defined");
  EXPECT_EQ(Known("timestamp()").unknown_reason(), "timestamp() is only known when Terraform runs");
  EXPECT_EQ(Known("nosuchfunction()").unknown_reason(),
            "function nosuchfunction() is not evaluated statically");
  EXPECT_EQ(Known("var.image == \"x\" ? 1 : 2").unknown_reason(), "var.image has no default");
  // Containers keep their known parts.
  Value tuple = Known("[{name = \"web\", image = var.image, privileged = true}]");
  ASSERT_EQ(tuple.kind(), Value::Kind::kTuple);
  EXPECT_EQ(*tuple.elements()[0].Find("privileged"), Value::Bool(true));
  EXPECT_TRUE(tuple.elements()[0].Find("image")->is_unknown());
  // ...but jsonencode cannot write them.
  EXPECT_EQ(Known("jsonencode([{image = var.image}])").unknown_reason(),
            "var.image has no default");
}

TEST_F(HclEvalTest, NoScopeMeansEveryReferenceIsUnknown) {
  context_.scope = nullptr;
  EXPECT_EQ(Known("var.environment").unknown_reason(), "var.environment is not known statically");
}

TEST_F(HclEvalTest, JsonEncodeAndDecode) {
  EXPECT_EQ(Known("jsonencode({b = 1.50, a = \"<&>\", c = [true, null]})"),
            Str("{\"a\":\"\\u003c\\u0026\\u003e\",\"b\":1.5,\"c\":[true,null]}"));
  EXPECT_EQ(Known("jsonencode(1e3)"), Str("1000"));
  EXPECT_EQ(Known("jsondecode(\"{\\\"a\\\": [1, 2.50]}\").a[1]").number_text(), "2.50");
  Result<Value> bad = Eval("jsondecode(\"{nope\")");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), ErrorCode::kValidation);
  EXPECT_EQ(bad.error().location().line, 1u);
  EXPECT_EQ(bad.error().location().column, 1u);
}

TEST_F(HclEvalTest, FileAndTemplateFile) {
  EXPECT_EQ(Json("jsondecode(file(\"${path.module}/containers.json\"))"),
            "[{\"cpu\":1.5,\"name\":\"x\"}]");
  EXPECT_EQ(Known("templatefile(\"./cd.tpl\", {name = \"web\", ports = [80, 81], length = 1})"),
            Str("[{\"name\": \"web-0\", \"port\": 80}, {\"name\": \"web-1\", \"port\": 81}]"));
  Result<Value> missing = Eval("file(\"nope.json\")");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), ErrorCode::kNotFound);
  context_.files = nullptr;
  EXPECT_EQ(Known("file(\"a.json\")").unknown_reason(),
            "file(\"a.json\") is not read: no file reader given");
}

TEST_F(HclEvalTest, StringAndCollectionFunctions) {
  EXPECT_EQ(Json("merge({a = 1, b = 1}, null, {b = 2})"), "{\"a\":1,\"b\":2}");
  EXPECT_EQ(Json("concat([1], [], [\"x\"])"), "[1,\"x\"]");
  EXPECT_EQ(Known("tostring(1.50)"), Str("1.5"));
  EXPECT_EQ(Known("tonumber(\"42\")"), Num("42"));
  EXPECT_EQ(Known("tobool(\"true\")"), Value::Bool(true));
  EXPECT_EQ(Known("lower(\"ÀbC\")"), Str("àbc"));
  EXPECT_EQ(Known("upper(\"naïve\")"), Str("NAÏVE"));
  EXPECT_EQ(Known("format(\"%s-%d %% %v %t %q\", \"a\", 7, 1.5, true, \"q\")"),
            Str("a-7 % 1.5 true \"q\""));
  EXPECT_EQ(Known("join(\", \", [\"a\", 1, true])"), Str("a, 1, true"));
  EXPECT_EQ(Known("replace(\"a-b-c\", \"-\", \"_\")"), Str("a_b_c"));
  EXPECT_EQ(Known("replace(\"abc\", \"/b/\", \"x\")"), Str("axc"));
  EXPECT_EQ(Known("trimspace(\"\\t  x y \\n\")"), Str("x y"));
  EXPECT_EQ(Known("lookup(var.tags, \"Team\")"), Str("core"));
  EXPECT_EQ(Known("lookup(var.tags, \"Nope\", \"dflt\")"), Str("dflt"));
  EXPECT_EQ(Known("coalesce(null, \"\", \"x\", \"y\")"), Str("x"));
  EXPECT_EQ(Known("max(var.ports...)"), Num("443"));
  EXPECT_EQ(Json("concat([var.ports, [1]]...)"), "[80,443,1]");
}

TEST_F(HclEvalTest, ErrorsAreLocated) {
  Result<Value> v = Eval("\n  1 + \"x\"");
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().code(), ErrorCode::kValidation);
  EXPECT_EQ(v.error().location().file, "main.tf");
  EXPECT_EQ(v.error().location().line, 2u);
  EXPECT_EQ(v.error().location().column, 7u);
  EXPECT_TRUE(Known("\"${var.nothing}\"").is_null());  // a lone interpolation is unwrapped
  EXPECT_FALSE(Eval("\"x${var.nothing}\"").ok());
  EXPECT_FALSE(Eval("var.ports[5]").ok());
  EXPECT_FALSE(Eval("lookup(var.tags, \"Nope\")").ok());
  EXPECT_FALSE(Eval("{for p in [1, 1] : tostring(p) => p}").ok());
  EXPECT_FALSE(Eval("1 / 0").ok());
}

// The reason of the first unknown in what `expr` evaluates to, or "known".
std::string UnknownReason(const Result<Value>& v) {
  if (!v.ok()) return "error: " + v.error().ToString();
  const Value* u = v->FirstUnknown();
  return u ? u->unknown_reason() : "known";
}

TEST_F(HclEvalTest, EvaluationBudgetMakesValuesUnknown) {
  EvalBudget budget{.max_steps = 1000, .max_bytes = 10000, .max_value_size = 1000};
  context_.budget = &budget;
  const std::string s100 = "\"" + std::string(100, 'x') + "\"";
  const std::string s600 = "\"" + std::string(600, 'x') + "\"";
  EXPECT_EQ(Known("join(\"\", [\"0123456789\", \"0123456789\"])"), Str("01234567890123456789"));
  const std::string too_large = "evaluation budget exceeded (a value larger than 1000 bytes)";
  EXPECT_EQ(UnknownReason(Eval("join(" + s100 +
                               ", [\"a\", \"a\", \"a\", \"a\", \"a\", \"a\", "
                               "\"a\", \"a\", \"a\", \"a\", \"a\", \"a\"])")),
            too_large);
  EXPECT_EQ(UnknownReason(Eval("format(\"%s%s\", " + s600 + ", " + s600 + ")")), too_large);
  EXPECT_EQ(UnknownReason(Eval("replace(\"xxxxxxxxxxxx\", \"x\", " + s100 + ")")), too_large);
  EXPECT_EQ(UnknownReason(Eval("\"${" + s600 + "}${" + s600 + "}\"")), too_large);
  EXPECT_EQ(UnknownReason(Eval("concat([" + s600 + "], [" + s600 + "])")), too_large);
  // Spent: every later evaluation is unknown too, with the limit named.
  const std::string spent =
      "evaluation budget exceeded (more than 10000 bytes of strings produced)";
  std::string reason;
  for (int i = 0; i < 20 && reason != spent; ++i) reason = UnknownReason(Eval(s600));
  EXPECT_EQ(reason, spent);
  EXPECT_EQ(UnknownReason(Eval("1")), spent);
}

TEST_F(HclEvalTest, EvaluationBudgetCountsSteps) {
  EvalBudget budget{.max_steps = 50};
  context_.budget = &budget;
  EXPECT_EQ(UnknownReason(Eval("[for i in [1, 2, 3, 4, 5, 6, 7, 8, 9] : [i, i, i, i, i]]")),
            "evaluation budget exceeded (more than 50 steps)");
}

// With nothing known, every expression of real configurations must come out as (partly)
// Unknown, never as an error: a scanner reports NOT_EVALUATED, not a failure.
void EvaluateAll(const Body& body, const EvalContext& context, int* count) {
  for (const Attribute& attr : body.attributes) {
    ++*count;
    Result<Value> v = Evaluate(*attr.expr, context);
    EXPECT_TRUE(v.ok()) << attr.name << ": " << v.error().ToString();
  }
  for (const Block& block : body.blocks) EvaluateAll(block.body, context, count);
}

TEST(HclEvalCorpusTest, EveryAttributeEvaluatesWithNothingKnown) {
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(
           ecsguard::testing::SourcePath("tests/ingest/iac/hcl_corpus"))) {
    File file =
        Parse(ecsguard::testing::ReadFileOrDie(entry.path().string()), entry.path().string());
    ASSERT_TRUE(file.ok()) << entry.path();
    EvaluateAll(file.body, EvalContext{nullptr, nullptr, entry.path().string()}, &count);
  }
  EXPECT_GT(count, 500);
}

}  // namespace
}  // namespace ecsguard::ingest::hcl
