#pragma once

// A live scan across accounts and regions: which accounts (the caller's own, every ACTIVE account
// of the organization, or an accounts file), how to enter each one (the caller's credentials in
// its own account, sts:AssumeRole into --role elsewhere, with --external-id), which regions (a
// list, or "all": the account's enabled regions from ec2:DescribeRegions), and then
// CollectRegion for every account x region cell on one WorkPool, so that at most `concurrency`
// requests are in flight across the whole scan, while the Session's RequestLimiter keeps each
// account's share below its per-account limits. With a ShardSpec, only the cells of that shard
// (base/shard.h) are scanned, and accounts with none of them are not entered.
//
// Accounts the organization lists as SUSPENDED (or anything but ACTIVE) and regions an account
// has not opted in to (with "all") are skipped, not failed: ScanOutcome lists them, and a
// warning names them.
//
// An account whose role cannot be assumed, or whose regions cannot be listed, does not stop the
// scan: its cells are denied or failed and an Account gap says why. Only what makes the scan
// pointless is an error: the caller's own credentials do not work or cannot be checked, no
// region is known, the organization cannot be listed.
//
//   ScanPlan plan{.regions = {"all"}, .organization = true, .role =
//   "OrganizationAccountAccessRole"}; Result<ScanOutcome> out = ScanAccounts(*session, plan,
//   [](const ScanProgress& p) { ... }); for (const RegionResult& cell : out->cells) { /* documents,
//   gaps, coverage */ }
//
// Thread-safety: ScanAccounts may be called from any thread; the progress function is called
// from pool threads, one call at a time.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"
#include "base/shard.h"
#include "graph/graph.h"
#include "ingest/aws/collect.h"
#include "ingest/aws/session.h"

namespace ecsguard::ingest::aws {

inline constexpr std::string_view kDefaultRole = "OrganizationAccountAccessRole";
// Sized for an organization: each account is held to its own request limits, so the global
// bound only decides how many accounts and regions proceed side by side.
inline constexpr int kDefaultConcurrency = 64;

struct AccountSpec {
  std::string id;  // 12 digits
  std::string name;
  std::vector<std::string> regions;  // empty: the scan's regions
  std::string role;                  // a role name or ARN; empty: the scan's
  std::string external_id;           // empty: the scan's
  std::vector<std::pair<std::string, std::string>> tags;
};

// An accounts file: YAML, either a list of accounts or {accounts: [...]}, each with `id`
// (required), `name`, `regions` (a list or one name), `role`, `external_id` and `tags` (a map).
// Errors: kParse (with the line) for malformed YAML, kValidation for a missing or malformed id,
// an unknown key or a value of the wrong type.
Result<std::vector<AccountSpec>> ParseAccountsFile(std::string_view text, std::string_view name);

struct ScanPlan {
  std::vector<std::string> regions;   // names, or {"all"}; empty: the session's region
  bool organization = false;          // every ACTIVE account of the organization
  std::vector<AccountSpec> accounts;  // from an accounts file; else only the caller's account
  std::string role = std::string(kDefaultRole);  // assumed in every account but the caller's
  std::string external_id;
  int concurrency = kDefaultConcurrency;
  bool all_revisions = false;
  bool all_services = false;        // CollectOptions::all_services
  bool capacity_providers = false;  // CollectOptions::capacity_providers
  RevisionCache* cache = nullptr;
  ShardSpec shard;  // the whole scan by default
};

struct ScanProgress {
  size_t cells_total = 0;  // known so far: grows while accounts are entered
  size_t cells_done = 0;
  uint64_t api_calls = 0;
  std::string last_cell;  // "123456789012 eu-west-1"
};
using ProgressFunction = std::function<void(const ScanProgress&)>;

struct ScanOutcome {
  std::string caller_account;
  std::vector<AccountSpec> accounts;  // as scanned: names and tags filled in where known
  std::vector<RegionResult> cells;    // by account, then region
  std::vector<Gap> gaps;              // accounts that could not be entered
  std::vector<std::string> warnings;
  std::vector<ContextGap> context_gaps;  // accounts whose tags could not be read
  // Not scanned, and why: accounts the organization lists as not ACTIVE (id, state), regions
  // not enabled for an account (account id, region).
  std::vector<std::pair<std::string, std::string>> skipped_accounts;
  std::vector<std::pair<std::string, std::string>> skipped_regions;
};

// Errors: kConfiguration when the caller's credentials are missing or rejected, when no region
// is known, or when --organization may not list the accounts; kUnavailable when
// sts:GetCallerIdentity or organizations:ListAccounts still failed after the Client's retries
// (throttling, 5xx, the network, the scan timeout), with what happened.
Result<ScanOutcome> ScanAccounts(Session& session, const ScanPlan& plan,
                                 const ProgressFunction& progress = {});

// Adds one AWSAccount node per account (id = account id, name, tags) with RESOURCE edges to the
// clusters of that account, so that findings can take their environment from the account.
// The graph is frozen again afterwards.
void AddAccountNodes(const std::vector<AccountSpec>& accounts, graph::Graph* graph);

}  // namespace ecsguard::ingest::aws
