#pragma once

// CloudFormation (plain, SAM, CDK output): task definitions out of a parsed template, with the
// intrinsic functions that are knowable before deployment resolved.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/iac/document.h"
#include "ingest/iac/iac.h"
#include "ingest/iac/task_definition.h"

namespace ecsguard::ingest::iac {

// A top-level map with AWSTemplateFormatVersion, or a Resources map whose entries have a Type.
bool IsCloudFormation(const Node& doc);

// Evaluates intrinsics against one template: Ref (parameters with a default or an override,
// AWS::NoValue), Fn::If with resolvable conditions, Fn::Sub, Fn::Join, Fn::Select, Fn::Split,
// Fn::FindInMap, Fn::Base64, Fn::Length, and condition functions. Pseudo parameters, resource
// references, Fn::GetAtt and Fn::ImportValue are unresolved, with the reason.
//
// A template can make small expressions produce huge values (a Fn::Join whose delimiter is
// another Fn::Join, a Fn::Sub repeating a parameter of megabytes), so one evaluator spends at
// most `budget` over its whole life; past it every expression is unresolved with the reason
// "evaluation budget exceeded (...)".
struct EvalBudget {
  size_t bytes = size_t{64} << 20;  // of strings and nodes that intrinsic functions produce
  size_t steps = 4'000'000;         // expressions evaluated
};

class CfnEvaluator final : public Evaluator {
 public:
  CfnEvaluator(const Node& doc, const std::map<std::string, std::string>& overrides,
               EvalBudget budget = {});
  Outcome Shallow(const Node& n) override { return Eval(n, 0, false); }
  Outcome Deep(const Node& n) override { return Eval(n, 0, true); }
  // A named condition of the Conditions section.
  Outcome Condition(std::string_view name, int depth = 0);
  // Why the budget ran out, once it has.
  const std::optional<std::string>& exhausted() const { return exhausted_; }

 private:
  // Account for `bytes` more of produced values, or for one more step; false once over budget.
  bool Spend(size_t bytes);
  bool Step();
  Outcome OverBudget() const { return Outcome::Unresolved(*exhausted_); }
  // A part of the template as a value (a branch of Fn::If, an entry of Mappings), charged.
  Outcome Copy(const Node& n);

  Outcome Eval(const Node& n, int depth, bool deep);
  Outcome Intrinsic(const Node& n, int depth);
  Outcome Ref(const std::string& name, const Node& expr);
  Outcome Sub(const Node& expr, const Node& arg, int depth);
  Outcome ConditionExpr(const Node& n, int depth);

  const Node& doc_;
  const std::map<std::string, std::string>& overrides_;
  std::map<std::string, Outcome, std::less<>> conditions_;
  std::map<std::string, bool, std::less<>> evaluating_;
  EvalBudget budget_;
  size_t bytes_ = 0;
  size_t steps_ = 0;
  std::optional<std::string> exhausted_;
};

// Adds the template's task definitions to `graph` (or `result->gaps`), its suppressions to
// `result`. `text` is the file's text (for comment suppressions in YAML). `duplicates` are the
// repeated keys the parser found: CloudFormation rejects such a template, so they are problems
// and none of its task definitions is evaluated.
void ReadCloudFormation(const Node& doc, std::string_view text, bool yaml, const std::string& file,
                        const std::vector<Error>& duplicates, const IacOptions& options,
                        graph::Graph* graph, IacResult* result);

}  // namespace ecsguard::ingest::iac
