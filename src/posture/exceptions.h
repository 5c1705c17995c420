#pragma once

// Exceptions: accepted risks, each with an owner and an expiry date, read from one YAML file
// (schema: docs/exceptions.md). A FAIL finding that an active exception's scope matches becomes
// EXCEPTED and carries the exception; PASS and NOT_EVALUATED findings are never touched. An
// exception applies up to and including its `expires` day (UTC); from the next day it no longer
// applies, its findings stay FAIL, and the report says so.
//
//   ASSIGN_OR_RETURN(ExceptionSet set, ExceptionSet::Load("exceptions.yaml"));
//   RETURN_IF_ERROR(set.ResolveControls(catalog));  // aliases such as ECS.1 -> catalog ids
//   ExceptionReport report = set.Apply(&scan.findings, clock);
//   for (std::string& w : report.Warnings()) scan.warnings.push_back(std::move(w));
//
// Thread-compatible: const methods may run concurrently; nothing prints, exits or throws.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/result.h"
#include "controls/catalog.h"
#include "posture/finding.h"

namespace ecsguard::posture {

// Which findings an exception covers. Every field that is set must match (AND); at least one is
// set. Empty means "not constrained".
struct ExceptionScope {
  std::string arn;          // exact task-definition ARN
  std::string arn_pattern;  // glob over the ARN: `*` any run of characters, `?` one character
  std::string account;      // 12-digit account id
  std::string region;
  std::string family;  // task-definition family, any revision
  std::string path;    // IaC file glob: `*` and `?` stop at `/`, `**` crosses directories

  bool Matches(const Finding& finding) const;
  // False when the scope names nothing narrower than an account: no arn, no family, and any
  // arnPattern or path is wildcards (`arn:*`, `**`, `*.tf`). Such a scope needs `broad: true`.
  bool NarrowerThanAccount() const;
  // "family=web, region=eu-west-1" in the order of the fields above.
  std::string Describe() const;
};

struct Exception {
  std::string id;
  std::string control;  // a control id (ResolveControls also accepts an alias)
  ExceptionScope scope;
  std::string reason;
  std::string owner;
  std::chrono::year_month_day expires;  // the last day (UTC) on which it applies
  std::string ticket;                   // optional
  // Stated by the author: this exception may scope a whole account or more, or match more than
  // kBroadMatchLimit findings. Without it such an exception is not applied.
  bool broad = false;
  SourceLocation location;  // of the entry in its file

  // Why this exception may not be applied by itself, before matching anything ("" if it may).
  std::string BroadScopeProblem() const;

  std::string ExpiresText() const;  // "2026-11-28"
  // Days from today (UTC) to the expiry day: 0 on the last day, negative once expired.
  int DaysLeft(const Clock& clock) const;
  bool Expired(const Clock& clock) const { return DaysLeft(clock) < 0; }
  AppliedException ToApplied() const;
};

// An exception not marked `broad: true` that matches more failing findings than this is not
// applied: a typo in a glob must not mute a whole estate.
inline constexpr size_t kBroadMatchLimit = 25;

enum class ExceptionState : uint8_t { kActive, kExpiring, kExpired };
std::string_view ExceptionStateName(ExceptionState s);  // "active", "expiring", "expired"

// How one exception fared in Apply.
struct ExceptionOutcome {
  std::string id;
  std::string owner;
  std::string expires;  // "2026-11-28"
  SourceLocation location;
  ExceptionState state = ExceptionState::kActive;
  int days_left = 0;
  // Active: FAIL findings it matched (and turned EXCEPTED unless an earlier exception in the
  // file already had). Expired: FAIL findings it would have matched, which stay FAIL.
  size_t matched = 0;
  bool broad = false;   // marked `broad: true`
  std::string refused;  // why an unexpired exception was not applied ("" when it was)
};

struct ExceptionReport {
  std::vector<ExceptionOutcome> outcomes;  // one per exception, in file order
  std::vector<std::string> unmatched;      // ids of unexpired exceptions that matched no FAIL
  std::vector<std::string> expired;        // ids of expired exceptions (they no longer apply)
  std::vector<std::string> expiring;       // ids of exceptions expiring within the window
  std::vector<std::string> refused;        // ids of exceptions too broad to apply unmarked
  std::vector<std::string> broad;          // ids of applied exceptions marked broad

  // One human-readable line per unmatched, expired, expiring, refused and broad exception, for
  // ScanResult::warnings.
  std::vector<std::string> Warnings() const;
};

class ExceptionSet {
 public:
  // Strict: unknown or duplicate keys, a missing or empty required field, an impossible date
  // (2026-02-30), a scope with no field and duplicate ids are kConfiguration errors at
  // file:line:col. An empty document is an error too; `exceptions: []` is an empty set.
  static Result<ExceptionSet> Parse(std::string_view yaml_text, std::string_view file);
  // A missing or unreadable file is an error (kNotFound / kIo), never an empty set.
  static Result<ExceptionSet> Load(const std::string& path);
  static ExceptionSet FromExceptions(std::vector<Exception> exceptions);

  const std::vector<Exception>& exceptions() const { return exceptions_; }
  bool empty() const { return exceptions_.empty(); }

  // Rewrites each `control` to its catalog id (an alias such as "ECS.1" is accepted); an
  // unknown control is a kConfiguration error at the entry's location.
  Result<void> ResolveControls(const controls::Catalog& catalog);

  // Turns FAIL findings matched by an unexpired exception into EXCEPTED with the exception
  // attached (the first matching exception in file order wins). An exception without
  // `broad: true` whose scope is not narrower than an account, or that matches more than
  // kBroadMatchLimit failing findings, is not applied at all and is reported as refused. Exceptions
  // expiring within `expiring_within_days` (today counts as 0) are reported as expiring.
  ExceptionReport Apply(std::vector<Finding>* findings, const Clock& clock,
                        int expiring_within_days = 14) const;

  // Unexpired exceptions whose expiry is within `days` days (today counts as 0), plus the
  // already expired ones when `include_expired`; sorted by expiry date, then id.
  std::vector<const Exception*> ExpiringWithin(int days, const Clock& clock,
                                               bool include_expired) const;

 private:
  std::vector<Exception> exceptions_;
};

// Glob matching without regular expressions. GlobMatch: `*` any run (also `/` and `:`), `?` one
// character. PathGlobMatch: `*` and `?` never match `/`, `**` matches across directories; a
// relative pattern also matches at any directory depth ("infra/*.tf" matches "/r/infra/a.tf").
bool GlobMatch(std::string_view pattern, std::string_view text);
bool PathGlobMatch(std::string_view pattern, std::string_view path);

// The IaC file a finding is about: its resource location, else the part of its id before '#'.
std::string FindingFile(const Finding& finding);

}  // namespace ecsguard::posture
