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
  // Why a check could not decide it: its evaluation budget ran out, or the asset fails for some
  // values of unknowns in the graph and not for others (IaC: a parameter without a default), and
  // then this names those unknowns. Empty when every check decided. A failed asset failed
  // whatever the other checks would have said.
  std::string not_evaluated;
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
// list with "true"/"false"); bad assets are data, not errors. A check that runs out of its
// query::Budget makes the control's subject assets NOT_EVALUATED (AssetVerdict::not_evaluated).
// On a graph with unknown values (IaC) each asset's verdict is three-valued (query::Decide):
// FAIL when the check holds whatever the unknowns are, PASS when it holds for none of their
// values, NOT_EVALUATED naming the unknowns otherwise.
Result<ControlEvaluation> Evaluate(const Control& control, const graph::Schema& schema,
                                   const graph::Graph& graph, Mode mode = Mode::kDeployed,
                                   const query::Budget& budget = {});

// Compiles every check of the control, so a broken catalog is reported at start.
Result<void> Validate(const Control& control, const graph::Schema& schema);

// The graph names (labels, relationship types, property keys) that the control's checks for
// `mode` can read, applicable-assets queries included, sorted and unique (query::GraphNames):
// an ingest that builds at least these gives the same verdicts and evidence as the whole graph.
Result<std::vector<std::string>> GraphNamesRead(const Control& control, const graph::Schema& schema,
                                                Mode mode);

}  // namespace ecsguard::controls
