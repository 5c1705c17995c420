#pragma once

// The built-in function cases (functions/cases.json) and how ecsguard evaluates one, shared by
// the table test and the terraform console oracle.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "ingest/iac/hcl/hcl.h"
#include "support.h"

namespace ecsguard::ingest::hcl::testing {

struct Case {
  std::string expr;
  nlohmann::json value;                // what jsonencode() of the result gives, parsed
  bool error = false;                  // Terraform refuses the expression
  std::optional<std::string> unknown;  // ecsguard cannot know it: a part of the reason
  bool oracle = true;                  // terraform console can check it (no var.* in it)
};

inline std::string FunctionsPath(const std::string& relative) {
  return ecsguard::testing::SourcePath("tests/ingest/iac/hcl/functions/" + relative);
}

inline std::vector<Case> LoadCases() {
  std::vector<Case> out;
  for (const nlohmann::json& j :
       nlohmann::json::parse(ecsguard::testing::ReadFileOrDie(FunctionsPath("cases.json")))) {
    Case c;
    c.expr = j.at("expr").get<std::string>();
    c.value = j.value("value", nlohmann::json());
    c.error = j.value("error", false);
    if (j.contains("unknown")) c.unknown = j.at("unknown").get<std::string>();
    c.oracle = j.value("oracle", true) && !c.unknown;
    out.push_back(std::move(c));
  }
  return out;
}

// "c042_cidrsubnet": the case's index and first function, for test names.
inline std::string CaseName(size_t index, const Case& c) {
  std::string name;
  for (char ch : c.expr) {
    if (!std::isalnum(static_cast<unsigned char>(ch))) break;
    name.push_back(ch);
  }
  char prefix[16];
  std::snprintf(prefix, sizeof prefix, "c%03zu_", index);
  return prefix + name;
}

// `expr` evaluated in file case.tf with files read from functions/files (and nothing outside
// it), var.unknown unknown and local.greeting a template.
inline Result<Value> EvaluateCase(const std::string& expr) {
  ParsedExpression e = ParseExpression(expr, "case.tf");
  if (!e.ok()) return e.errors.empty() ? Error(ErrorCode::kParse, "no expression") : e.errors[0];
  MapScope scope;
  scope.Set("var", Value::Object({{"unknown", Value::Unknown("var.unknown has no default")}}));
  scope.Set("local", Value::Object({{"greeting", Value::String("Hello, ${name}!")}}));
  DiskFileReader files(FunctionsPath("files"), FunctionsPath("files"));
  EvalContext context;
  context.scope = &scope;
  context.files = &files;
  context.filename = "case.tf";
  return Evaluate(*e.expr, context);
}

}  // namespace ecsguard::ingest::hcl::testing
