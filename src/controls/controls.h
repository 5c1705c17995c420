#pragma once

// controls: the catalog of controls (controls/*.yaml) and their evaluation.
//
// A Control is data: metadata, remediation text, and stored checks written in the query
// language (QUERY-LANGUAGE.md). Evaluate() runs a control's checks over an asset graph and
// returns one verdict per applicable asset, with the witnesses that explain each failure.
// Thread-safety: a loaded Catalog is immutable; Evaluate may run concurrently on one graph.
//
//   ASSIGN_OR_RETURN(Catalog catalog, Catalog::LoadDirectory("controls"));
//   ASSIGN_OR_RETURN(auto selected, catalog.Select({}));  // the default set
//   for (const Control* c : selected) {
//     ASSIGN_OR_RETURN(ControlEvaluation eval, Evaluate(*c, schema, graph));
//   }

#include "controls/catalog.h"
#include "controls/evaluate.h"
#include "controls/framework.h"
