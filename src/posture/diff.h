#pragma once

// Scan-to-scan drift: what changed between two scans, keyed by stable finding id.
//
// Only what both scans looked at is compared. A finding with an account or a region is
// comparable when its (account, region) cell is in both scans' coverage with state "evaluated".
// A finding without either (IaC) is comparable when its file (FindingFile) was an input of both
// scans (the path itself, or a directory holding it, is in ScanInfo::inputs) and neither scan
// has a problem reported for that file. So a region that was not scanned (or denied access) the
// second time has its failures reported as not comparable — never as resolved. A scan with no
// coverage table at all counts as having evaluated the cells its findings name, except a cell
// holding a NOT_EVALUATED record.
//
// Transitions of a comparable finding (absent = no record in that scan):
//   FAIL -> FAIL                              still_failing
//   FAIL -> EXCEPTED; absent/PASS/NOT_EVALUATED -> EXCEPTED   newly_excepted
//   EXCEPTED -> FAIL                          no_longer_excepted
//   FAIL or EXCEPTED -> absent or PASS        resolved
//   absent/PASS/NOT_EVALUATED -> FAIL         new_failures
//   FAIL or EXCEPTED -> NOT_EVALUATED         not_comparable (we could not look: not resolved)
// A FAIL or EXCEPTED finding outside the common coverage is not_comparable. EXCEPTED -> EXCEPTED
// and anything involving only PASS or NOT_EVALUATED are not listed.
//
//   ScanDiff d = Diff(previous, latest);
//   for (const DiffEntry& e : d.new_failures) Alert(e.after->id, e.after->resource.arn);
//
// Pure function over immutable inputs; thread-safe.

#include <optional>
#include <string>
#include <vector>

#include "posture/finding.h"
#include "posture/scan.h"

namespace ecsguard::posture {

struct DiffEntry {
  std::string id;
  std::optional<Finding> before;  // absent when the earlier scan had no record
  std::optional<Finding> after;
  std::string note;  // not_comparable: why

  // The most recent record of the finding (after, else before).
  const Finding& latest() const { return after ? *after : *before; }
};

struct ScanDiff {
  std::vector<DiffEntry> new_failures;
  std::vector<DiffEntry> resolved;
  std::vector<DiffEntry> still_failing;
  std::vector<DiffEntry> newly_excepted;
  std::vector<DiffEntry> no_longer_excepted;
  std::vector<DiffEntry> not_comparable;
};

// Each list is ordered by control, then resource (ARN, else id), then finding id.
ScanDiff Diff(const ScanResult& before, const ScanResult& after);

}  // namespace ecsguard::posture
