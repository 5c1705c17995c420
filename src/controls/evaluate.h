#pragma once

#include <string>
#include <vector>

#include "base/result.h"
#include "controls/catalog.h"
#include "graph/graph.h"
#include "query/query.h"

namespace ecsguard::controls {

// Which variant of a control's checks to run: the stored checks on live or snapshot assets,
// or the preventive `iac` check on assets read from infrastructure code.
enum class Mode : uint8_t { kDeployed, kIac };

struct AssetVerdict {
  graph::NodeIndex node;
  bool failed = false;
  // Why it failed: the related nodes (e.g. containers) that satisfied the check's quantifiers.
  std::vector<query::Witness> witnesses;
};

struct ControlEvaluation {
  const Control* control = nullptr;
  // One verdict per applicable asset, in graph order; assets outside the applicable scope get
  // none (a scan of 100k revisions with 3k in use reports on 3k).
  std::vector<AssetVerdict> verdicts;
  std::vector<std::string> warnings;  // e.g. a `{}` quantifier that the language drops
};

// Runs a control's checks (QUERY-LANGUAGE.md §1.3): failing assets are what the check returns
// (after returnPath); applicable assets are what applicableAssetsQuery returns given the
// failing identifiers, or every asset of the control's subject types when it has none.
// Fails only when a check itself is broken (does not compile against the schema, or compares a
// list with "true"/"false"); bad assets are data, not errors.
Result<ControlEvaluation> Evaluate(const Control& control, const graph::Schema& schema,
                                   const graph::Graph& graph, Mode mode = Mode::kDeployed);

// Compiles every check of the control, so a broken catalog is reported at start.
Result<void> Validate(const Control& control, const graph::Schema& schema);

}  // namespace ecsguard::controls
