// Differential test of the built-in functions against Terraform itself: every case of
// functions/cases.json that Terraform can evaluate (no var.*, nothing only known at apply) is
// written as one element of a local in a .tf file, `try(jsonencode(EXPR), "<<ERROR>>")`, and one
// `terraform console` process prints them all (base64, so no escaping is involved). ecsguard's
// jsonencode() of each value must be byte for byte Terraform's, and ecsguard must refuse exactly
// the expressions Terraform refuses. Skipped when terraform is not on the PATH.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "../iac_test_util.h"
#include "functions_cases.h"
#include "ingest/iac/hcl/hcl.h"

namespace ecsguard::ingest::hcl {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::Case;

constexpr std::string_view kError = "<<ERROR>>";  // jsonencode() never writes a bare <

TEST(FunctionsOracle, EcsguardEvaluatesWhatTerraformConsoleDoes) {
  if (!ingest::testing::TerraformAvailable()) {
    GTEST_SKIP() << "terraform is not on the PATH (the oracle for these values)";
  }
  std::vector<Case> cases;
  for (Case& c : testing::LoadCases()) {
    if (c.oracle) cases.push_back(std::move(c));
  }
  ecsguard::testing::TempDir tmp;
  fs::copy(testing::FunctionsPath("files"), tmp.path(), fs::copy_options::recursive);
  std::string tf = "locals {\n  greeting = \"Hello, $${name}!\"\n  cases = [\n";
  for (const Case& c : cases) {
    tf += "    try(jsonencode(" + c.expr + "), \"" + std::string(kError) + "\"),\n";
  }
  tf += "  ]\n}\n";
  tmp.Write("main.tf", tf);

  std::optional<std::string> out = ingest::testing::RunCommand(
      "cd '" + tmp.path() +
      "' && echo 'nonsensitive(base64encode(jsonencode(local.cases)))' | CHECKPOINT_DISABLE=1 "
      "terraform console 2>/dev/null");
  ASSERT_TRUE(out.has_value());
  // The last line is the quoted base64 text; warnings may come before it.
  std::string text = *out;
  while (!text.empty() && text.back() == '\n') text.pop_back();
  std::string last = text.substr(text.rfind('\n') + 1);
  ASSERT_GE(last.size(), 2u) << *out;
  ParsedExpression decode = ParseExpression("base64decode(" + last + ")", "console");
  ASSERT_TRUE(decode.ok()) << last;
  Result<Value> decoded = Evaluate(*decode.expr, EvalContext{});
  ASSERT_TRUE(decoded.ok() && decoded->kind() == Value::Kind::kString) << *out;
  json terraform = json::parse(decoded->string_value());
  ASSERT_EQ(terraform.size(), cases.size());

  for (size_t i = 0; i < cases.size(); ++i) {
    const Case& c = cases[i];
    std::string says = terraform[i].get<std::string>();
    Result<Value> v = testing::EvaluateCase(c.expr);
    if (says == kError) {
      EXPECT_FALSE(v.ok()) << c.expr << ": Terraform refuses it, ecsguard does not";
      EXPECT_TRUE(c.error) << c.expr << ": cases.json expects a value, Terraform refuses it";
      continue;
    }
    EXPECT_FALSE(c.error) << c.expr << ": cases.json expects an error, Terraform gives " << says;
    EXPECT_EQ(json::parse(says), c.value) << c.expr << ": cases.json differs from Terraform";
    if (!v.ok()) {
      ADD_FAILURE() << c.expr << ": Terraform gives " << says << ", ecsguard "
                    << v.error().ToString();
      continue;
    }
    Result<std::string> ours = EncodeJson(*v);
    ASSERT_TRUE(ours.ok()) << c.expr << ": " << ours.error().ToString();
    EXPECT_EQ(*ours, says) << c.expr;
  }
}

}  // namespace
}  // namespace ecsguard::ingest::hcl
