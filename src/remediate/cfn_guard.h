#pragma once

// The task-definition controls as AWS CloudFormation Guard rules, so the policy `ecsguard scan
// iac` applies can also run where Guard runs: `cfn-guard validate` in a pipeline, or a
// CloudFormation Hook that stops a stack before it registers the task definition. Each rule is
// a translation of a control's `iac:` check (its `where` filter on ecsTaskDefinitions, read with
// query::ParseRootFilter), not a second hand-written policy: a rule fails when some task
// definition matches the filter. A control whose filter uses what this translation does not
// cover (NOT, ALL/NONE/SINGLE quantifiers, a field with no CloudFormation property) is listed
// as skipped with the reason, never approximated. docs/guardrails.md lists where Guard and
// ecsguard still differ (intrinsic functions, unquoted numbers matched by a pattern).
//
//   GuardRules rules = CfnGuardRules(catalog_controls);
//   WriteFileAtomically("ecsguard.guard", rules.text, FileMode::kShared);
//   for (const auto& s : rules.skipped) Warn(s.control_id, s.reason);

#include <string>
#include <vector>

#include "controls/catalog.h"

namespace ecsguard::remediate {

struct GuardRules {
  std::string text;  // the rule file
  struct Rule {
    std::string control_id;
    std::string name;  // the Guard rule name, e.g. AWS_SECURITYHUB_ECS_4
  };
  std::vector<Rule> rules;
  struct Skipped {
    std::string control_id;
    std::string reason;
  };
  std::vector<Skipped> skipped;  // controls with an iac check on task definitions not translated
};

// Rules for the controls whose `iac:` check selects ecsTaskDefinitions, in the order given;
// controls on other assets or without an iac check are left out silently (they have nothing
// to translate), those whose filter cannot be translated are in `skipped`.
GuardRules CfnGuardRules(const std::vector<const controls::Control*>& controls);

// The Guard rule name of a control id: upper case, '-' and '.' as '_' ("aws-securityhub-ecs-4"
// -> "AWS_SECURITYHUB_ECS_4").
std::string GuardRuleName(std::string_view control_id);

}  // namespace ecsguard::remediate
