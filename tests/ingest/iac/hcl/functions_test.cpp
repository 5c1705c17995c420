// Terraform's built-in functions, table-driven: functions/cases.json holds, for each case, an
// expression and what Terraform makes of it — its value as JSON (what jsonencode() writes), an
// error, or (for what Terraform only knows when it runs, and for files outside the scanned root)
// an Unknown with its reason. The values are Terraform's documented examples and edge cases,
// checked against `terraform console` by functions_oracle_test.cpp.

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "functions_cases.h"
#include "ingest/iac/hcl/hcl.h"
#include "support.h"

namespace ecsguard::ingest::hcl {
namespace {

using nlohmann::json;
using testing::Case;
using testing::EvaluateCase;
using testing::LoadCases;

class FunctionCase : public ::testing::TestWithParam<Case> {};

TEST_P(FunctionCase, EvaluatesAsTerraform) {
  const Case& c = GetParam();
  Result<Value> v = EvaluateCase(c.expr);
  if (c.error) {
    ASSERT_FALSE(v.ok()) << c.expr << " gave " << (v->is_unknown() ? v->unknown_reason() : "");
    EXPECT_TRUE(v.error().code() == ErrorCode::kValidation ||
                v.error().code() == ErrorCode::kNotFound)
        << v.error().ToString();
    EXPECT_EQ(v.error().location().file, "case.tf");
    EXPECT_EQ(v.error().location().line, 1u) << v.error().ToString();
    EXPECT_GE(v.error().location().column, 1u);
    return;
  }
  ASSERT_TRUE(v.ok()) << c.expr << ": " << v.error().ToString();
  if (c.unknown) {
    ASSERT_TRUE(v->is_unknown()) << c.expr;
    EXPECT_NE(v->unknown_reason().find(*c.unknown), std::string::npos) << v->unknown_reason();
    return;
  }
  const Value* u = v->FirstUnknown();
  ASSERT_EQ(u, nullptr) << c.expr << ": " << u->unknown_reason();
  Result<std::string> encoded = EncodeJson(*v);
  ASSERT_TRUE(encoded.ok());
  EXPECT_EQ(json::parse(*encoded), c.value) << c.expr;
}

INSTANTIATE_TEST_SUITE_P(Cases, FunctionCase, ::testing::ValuesIn(LoadCases()),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           return testing::CaseName(info.index, info.param);
                         });

// Every function the evaluator knows has cases.
TEST(FunctionCases, CoverEveryBuiltin) {
  std::set<std::string> called;
  for (const Case& c : LoadCases()) {
    for (std::string_view name : BuiltinNames()) {
      if (c.expr.find(std::string(name) + "(") != std::string::npos) called.emplace(name);
    }
  }
  for (std::string_view name : BuiltinNames()) {
    EXPECT_TRUE(called.contains(std::string(name))) << name << "() has no case";
  }
}

// try() and can() evaluate their arguments lazily: an error in one is caught, not reported.
TEST(FunctionCases, TryCatchesErrorsInReferences) {
  ParsedExpression e = ParseExpression("try(var.obj.missing, var.obj.a)", "case.tf");
  ASSERT_TRUE(e.ok());
  MapScope scope;
  scope.Set("var", Value::Object({{"obj", Value::Object({{"a", Value::String("x")}})}}));
  EvalContext context;
  context.scope = &scope;
  context.filename = "case.tf";
  Result<Value> v = Evaluate(*e.expr, context);
  ASSERT_TRUE(v.ok()) << v.error().ToString();
  EXPECT_EQ(*v, Value::String("x"));
  // Outside try(), a missing attribute stays what it was: not known here.
  e = ParseExpression("var.obj.missing", "case.tf");
  v = Evaluate(*e.expr, context);
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->is_unknown());
}

// fileexists() and fileset() see only the scanned root: a link to a file outside it is not
// followed, a path outside it is Unknown, and a .git folder is not listed.
TEST(FunctionCases, FileFunctionsStayInsideTheRoot) {
  ecsguard::testing::TempDir tmp;
  std::string outside = tmp.Write("outside/secret.txt", "secret");
  std::string root = tmp.path() + "/root";
  tmp.Write("root/main.tf", "");
  tmp.Write("root/.git/config", "");
  std::filesystem::create_symlink(outside, root + "/link.txt");
  std::filesystem::create_directory_symlink(tmp.path() + "/outside", root + "/linkdir");
  DiskFileReader files(root, root);
  EvalContext context;
  context.files = &files;
  context.filename = "case.tf";
  auto eval = [&](const std::string& expr) {
    ParsedExpression e = ParseExpression(expr, "case.tf");
    EXPECT_TRUE(e.ok()) << expr;
    Result<Value> v = Evaluate(*e.expr, context);
    EXPECT_TRUE(v.ok()) << expr << ": " << v.error().ToString();
    return v.ok() ? *v : Value::Unknown("error");
  };
  EXPECT_EQ(eval("fileset(\".\", \"**\")"), Value::Tuple({Value::String("main.tf")}));
  EXPECT_EQ(eval("fileexists(\"main.tf\")"), Value::Bool(true));
  for (const char* expr : {"fileexists(\"link.txt\")", "fileexists(\"../outside/secret.txt\")",
                           "fileexists(\"linkdir/secret.txt\")", "fileset(\"linkdir\", \"*\")",
                           "fileset(\"..\", \"**\")", "filemd5(\"link.txt\")"}) {
    Value v = eval(expr);
    ASSERT_TRUE(v.is_unknown()) << expr;
    EXPECT_NE(v.unknown_reason().find("outside the scanned root"), std::string::npos)
        << expr << ": " << v.unknown_reason();
  }
}

// Growing functions stop at the evaluation budget instead of allocating without bound.
TEST(FunctionCases, GrowingFunctionsRespectTheBudget) {
  for (const char* expr :
       {"indent(1000000, join(\"\\n\", range(1000)))",
        "strrev(join(\"\", [for i in range(1000) : "
        "join(\"\", [for j in range(1000) : "
        "\"abcdefgh\"])]))",
        "setproduct(range(1000), range(1000), range(1000))",
        "formatlist(\"%s\", [for i in range(1000) : format(\"%1000000s\", \"x\")])"}) {
    ParsedExpression e = ParseExpression(expr, "case.tf");
    ASSERT_TRUE(e.ok()) << expr;
    EvalBudget budget;
    budget.max_bytes = size_t{4} << 20;
    budget.max_value_size = size_t{1} << 20;
    budget.max_steps = 100'000;
    EvalContext context;
    context.filename = "case.tf";
    context.budget = &budget;
    Result<Value> v = Evaluate(*e.expr, context);
    ASSERT_TRUE(v.ok()) << expr << ": " << v.error().ToString();
    ASSERT_TRUE(v->is_unknown()) << expr;
    EXPECT_NE(v->unknown_reason().find("evaluation budget exceeded"), std::string::npos)
        << expr << ": " << v->unknown_reason();
  }
}

}  // namespace
}  // namespace ecsguard::ingest::hcl
