#pragma once

// ingest::Gap: something known to exist that could not be evaluated. Every adapter reports
// them (a running task's revision that was never described, a region that denied access, an
// IaC resource whose network mode cannot be resolved), and posture turns each into a
// NOT_EVALUATED finding for every control it could hide an asset from. One type from the
// adapters to the findings: nothing converts it on the way.
//
//   for (const ingest::Gap& g : snapshot.gaps) Log(g.id + ": " + g.reason);

#include <string>

#include "base/error.h"

namespace ecsguard::ingest {

struct Gap {
  std::string asset_type;  // schema type name: "ECSTaskDefinition", "ECSTask", "Region", ...
  std::string id;          // the asset's id (an ARN, or "<path>#<logical id>" in IaC)
  std::string account_id;
  std::string region;
  std::string reason;
  SourceLocation location;  // IaC: where the resource is declared; empty for live assets
};

}  // namespace ecsguard::ingest
