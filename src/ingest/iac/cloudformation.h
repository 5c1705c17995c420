#pragma once

// CloudFormation (plain, SAM, CDK output): task definitions out of a parsed template, with the
// intrinsic functions that are knowable before deployment resolved.

#include <map>
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
class CfnEvaluator final : public Evaluator {
 public:
  CfnEvaluator(const Node& doc, const std::map<std::string, std::string>& overrides);
  Outcome Shallow(const Node& n) override { return Eval(n, 0, false); }
  Outcome Deep(const Node& n) override { return Eval(n, 0, true); }
  // A named condition of the Conditions section.
  Outcome Condition(std::string_view name, int depth = 0);

 private:
  Outcome Eval(const Node& n, int depth, bool deep);
  Outcome Intrinsic(const Node& n, int depth);
  Outcome Ref(const std::string& name, const Node& expr);
  Outcome Sub(const Node& expr, const Node& arg, int depth);
  Outcome ConditionExpr(const Node& n, int depth);

  const Node& doc_;
  const std::map<std::string, std::string>& overrides_;
  std::map<std::string, Outcome, std::less<>> conditions_;
  std::map<std::string, bool, std::less<>> evaluating_;
};

// Adds the template's task definitions to `graph` (or `result->gaps`), its suppressions to
// `result`. `text` is the file's text (for comment suppressions in YAML). `duplicates` are the
// repeated keys the parser found: CloudFormation rejects such a template, so they are problems
// and none of its task definitions is evaluated.
void ReadCloudFormation(const Node& doc, std::string_view text, bool yaml, const std::string& file,
                        const std::vector<Error>& duplicates, const IacOptions& options,
                        graph::Graph* graph, IacResult* result);

}  // namespace ecsguard::ingest::iac
