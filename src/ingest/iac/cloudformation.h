#pragma once

// CloudFormation (plain, SAM, CDK output): task definitions out of a parsed template, with the
// intrinsic functions that are knowable before deployment resolved.

#include <functional>
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

inline constexpr int kMaxStackDepth = 8;

// Evaluates intrinsics against one template: Ref (parameters with a default or an override,
// AWS::NoValue), Fn::If with resolvable conditions, Fn::Sub, Fn::Join, Fn::Select, Fn::Split,
// Fn::FindInMap, Fn::Base64, Fn::Length, Fn::ToJsonString, condition functions, and Fn::GetAtt
// of what the template itself sets (an AWS::SSM::Parameter's Value and Type, a nested stack's
// Outputs through `stack_output`). Pseudo parameters, resource references, other attributes and
// Fn::ImportValue are unresolved, with the reason.
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
  // Parameters whose value is passed in but unknown (a nested stack's parameter that its parent
  // cannot resolve): Ref gives this reason, whatever the parameter's Default.
  void SetUnknownParameters(std::map<std::string, std::string> reasons) {
    unknown_parameters_ = std::move(reasons);
  }
  // Fn::GetAtt [Stack, Outputs.Name] of a nested stack resource, when the caller can read it.
  using StackOutput =
      std::function<std::optional<Outcome>(const std::string& stack, const std::string& output)>;
  void SetStackOutput(StackOutput f) { stack_output_ = std::move(f); }
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
  Outcome GetAtt(const Node& n, int depth);

  const Node& doc_;
  const std::map<std::string, std::string>& overrides_;
  std::map<std::string, Outcome, std::less<>> conditions_;
  std::map<std::string, bool, std::less<>> evaluating_;
  std::map<std::string, std::string> unknown_parameters_;
  StackOutput stack_output_;
  EvalBudget budget_;
  size_t bytes_ = 0;
  size_t steps_ = 0;
  std::optional<std::string> exhausted_;
};

// Adds the template's task definitions to `graph` (or `result->gaps`), its suppressions to
// `result`. With the AWS::LanguageExtensions transform, Fn::ForEach is expanded first (resources
// and properties, `${Id}`/`&{Id}` in keys and Fn::Sub, `Ref Id`), as CloudFormation does. Nested
// stacks (AWS::CloudFormation::Stack) whose TemplateURL is a local path inside `options.root`
// are read with the Parameters their parent passes, up to kMaxStackDepth levels and never in a
// cycle; their task definitions have ids naming the stack resources on the way:
// `parent.yaml#Child/TaskDef`. `text` is the file's text (for comment suppressions in YAML).
// `duplicates` are the repeated keys the parser found: CloudFormation rejects such a template, so
// they are problems and none of its task definitions is evaluated.
void ReadCloudFormation(const Node& doc, std::string_view text, bool yaml, const std::string& file,
                        const std::vector<Error>& duplicates, const IacOptions& options,
                        graph::Graph* graph, IacResult* result);

}  // namespace ecsguard::ingest::iac
