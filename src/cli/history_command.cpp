#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "base/strings.h"
#include "cli/commands.h"
#include "cli/history_commands.h"

namespace ecsguard::cli {
namespace {

using nlohmann::json;
using posture::DiffEntry;
using store::StoredScan;

Result<store::ScanId> ParseScanId(const std::string& text) {
  store::ScanId id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || id <= 0) {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("\"{}\" is not a scan id (see `ecsguard history list`)", text));
  }
  return id;
}

// The two scans a diff compares, per RunHistoryDiff's rules.
Result<std::pair<StoredScan, StoredScan>> ScansToCompare(store::Store& db,
                                                         const std::vector<std::string>& args) {
  if (args.size() > 2) {
    return Error(ErrorCode::kInvalidArgument, "history diff takes at most two scan ids");
  }
  if (args.size() == 2) {
    ASSIGN_OR_RETURN(store::ScanId a, ParseScanId(args[0]));
    ASSIGN_OR_RETURN(store::ScanId b, ParseScanId(args[1]));
    ASSIGN_OR_RETURN(StoredScan before, db.LoadScan(a));
    ASSIGN_OR_RETURN(StoredScan after, db.LoadScan(b));
    return std::make_pair(std::move(before), std::move(after));
  }
  ASSIGN_OR_RETURN(std::vector<StoredScan> latest, db.LatestScans(1));
  if (latest.empty()) {
    return Error(ErrorCode::kNotFound,
                 fmt::format("no scans recorded in {} yet", db.display_url()));
  }
  StoredScan after = std::move(latest[0]);
  if (args.size() == 1) {
    ASSIGN_OR_RETURN(store::ScanId a, ParseScanId(args[0]));
    if (a == after.summary.id) {
      return Error(ErrorCode::kInvalidArgument,
                   fmt::format("scan {} is the latest scan; give a second scan id to compare "
                               "it with",
                               a));
    }
    ASSIGN_OR_RETURN(StoredScan before, db.LoadScan(a));
    return std::make_pair(std::move(before), std::move(after));
  }
  ASSIGN_OR_RETURN(std::vector<StoredScan> same_kind, db.LatestScans(2, after.summary.kind));
  if (same_kind.size() < 2 || same_kind[0].summary.id != after.summary.id) {
    return Error(ErrorCode::kNotFound,
                 fmt::format("scan {} is the only {} scan recorded; nothing to compare it with",
                             after.summary.id, after.summary.kind));
  }
  return std::make_pair(std::move(same_kind[1]), std::move(after));
}

const store::FindingSeen* SeenOf(const DiffEntry& e, const StoredScan& before,
                                 const StoredScan& after) {
  for (const StoredScan* s : {&after, &before}) {
    auto it = s->seen.find(e.id);
    if (it != s->seen.end()) return &it->second;
  }
  return nullptr;
}

std::string ResourceName(const posture::Finding& f) {
  if (!f.resource.arn.empty()) return f.resource.arn;
  if (!f.resource.location.file.empty()) return f.resource.location.ToString();
  return f.resource.id;
}

json EntryJson(const DiffEntry& e, const StoredScan& before, const StoredScan& after) {
  const posture::Finding& f = e.latest();
  json resource = {{"id", f.resource.id}};
  if (!f.resource.arn.empty()) resource["arn"] = f.resource.arn;
  if (!f.resource.account_id.empty()) resource["accountId"] = f.resource.account_id;
  if (!f.resource.region.empty()) resource["region"] = f.resource.region;
  if (!f.resource.name.empty()) resource["name"] = f.resource.name;
  if (!f.resource.location.file.empty()) resource["file"] = f.resource.location.file;
  json j = {{"id", e.id},
            {"controlId", f.control_id},
            {"severity", controls::SeverityName(f.severity)},
            {"resource", resource},
            {"statusBefore", e.before ? json(posture::StatusName(e.before->status)) : json()},
            {"statusAfter", e.after ? json(posture::StatusName(e.after->status)) : json()}};
  const posture::Finding* with_exception =
      e.after && e.after->exception ? &*e.after
                                    : (e.before && e.before->exception ? &*e.before : nullptr);
  if (with_exception) {
    const posture::AppliedException& x = *with_exception->exception;
    j["exception"] = {{"id", x.id},
                      {"reason", x.reason},
                      {"owner", x.owner},
                      {"expires", x.expires},
                      {"ticket", x.ticket}};
  }
  if (const store::FindingSeen* seen = SeenOf(e, before, after)) {
    j["firstSeen"] = seen->first_seen;
    j["firstSeenScan"] = seen->first_scan;
    j["lastSeen"] = seen->last_seen;
    j["lastSeenScan"] = seen->last_scan;
  }
  if (!e.note.empty()) j["note"] = e.note;
  return j;
}

json ScanRef(const StoredScan& s) {
  return {{"id", s.summary.id},
          {"kind", s.summary.kind},
          {"startedAt", s.summary.started_at},
          {"inputs", s.summary.inputs},
          {"complete", s.summary.complete}};
}

struct Section {
  const char* title;
  const char* key;
  const std::vector<DiffEntry>* entries;
};

std::vector<Section> Sections(const posture::ScanDiff& d) {
  return {{"New failures", "newFailures", &d.new_failures},
          {"Resolved", "resolved", &d.resolved},
          {"Still failing", "stillFailing", &d.still_failing},
          {"Newly excepted", "newlyExcepted", &d.newly_excepted},
          {"No longer excepted", "noLongerExcepted", &d.no_longer_excepted},
          {"Not comparable (not evaluated in both scans)", "notComparable", &d.not_comparable}};
}

std::string EntryLine(const DiffEntry& e, const StoredScan& before, const StoredScan& after,
                      size_t control_width) {
  const posture::Finding& f = e.latest();
  std::string line = fmt::format("  {:<8}  {:<{}}  {}", controls::SeverityName(f.severity),
                                 f.control_id, control_width, ResourceName(f));
  if (e.after && e.after->exception) {
    const posture::AppliedException& x = *e.after->exception;
    line += fmt::format("  exception {} (owner {}, expires {})", x.id, x.owner, x.expires);
  } else if (e.before && e.before->exception && e.after) {
    line += fmt::format("  was exception {} (expires {})", e.before->exception->id,
                        e.before->exception->expires);
  }
  if (const store::FindingSeen* seen = SeenOf(e, before, after)) {
    line += fmt::format("  first seen {} (scan {})", seen->first_seen, seen->first_scan);
  }
  if (!e.note.empty()) line += "  — " + e.note;
  return line;
}

}  // namespace

Result<std::string> DatabaseUrl(const std::string& db_option) {
  if (!db_option.empty()) return db_option;
  // Where the command line cannot hold a secret (a Kubernetes Secret, an AWS Batch secret).
  if (const char* env = std::getenv("ECSGUARD_DB"); env && *env) return std::string(env);
  const char* xdg = std::getenv("XDG_DATA_HOME");
  const char* home = std::getenv("HOME");
  std::string url = store::DefaultDatabaseUrl(xdg ? xdg : "", home ? home : "");
  if (url.empty()) {
    return Error(ErrorCode::kConfiguration, "no history database: set --db, XDG_DATA_HOME or HOME");
  }
  return url;
}

Result<std::unique_ptr<store::Store>> OpenHistory(const std::string& db_option) {
  ASSIGN_OR_RETURN(std::string url, DatabaseUrl(db_option));
  ASSIGN_OR_RETURN(std::unique_ptr<store::Store> db, store::Store::Open(url));
  RETURN_IF_ERROR(db->Migrate());
  return db;
}

int RunHistoryList(const HistoryOptions& o, Io& io) {
  if (o.format != "text" && o.format != "json") {
    return UsageError(io, "--format must be text or json");
  }
  auto db = OpenHistory(o.db);
  if (!db.ok()) return Fail(io, db.error());
  auto scans = (*db)->ListScans(o.limit);
  if (!scans.ok()) return Fail(io, scans.error());
  if (o.format == "json") {
    json out = json::array();
    for (const store::ScanSummary& s : *scans) {
      out.push_back({{"id", s.id},
                     {"kind", s.kind},
                     {"toolVersion", s.tool_version},
                     {"startedAt", s.started_at},
                     {"finishedAt", s.finished_at},
                     {"recordedAt", s.recorded_at},
                     {"inputs", s.inputs},
                     {"complete", s.complete},
                     {"summary",
                      {{"total", s.total},
                       {"FAIL", s.failed},
                       {"PASS", s.passed},
                       {"EXCEPTED", s.excepted},
                       {"NOT_EVALUATED", s.not_evaluated}}}});
    }
    io.out << out.dump(2) << "\n";
    return kExitOk;
  }
  if (scans->empty()) {
    io.out << fmt::format("No scans recorded in {} yet.\n", (*db)->display_url());
    return kExitOk;
  }
  io.out << fmt::format("{:>5}  {:<20}  {:<8}  {:>5}  {:>8}  {:>5}  {:>8}  {:<8}  {}\n", "ID",
                        "STARTED", "KIND", "FAIL", "EXCEPTED", "PASS", "NOT_EVAL", "COMPLETE",
                        "INPUTS");
  for (const store::ScanSummary& s : *scans) {
    io.out << fmt::format("{:>5}  {:<20}  {:<8}  {:>5}  {:>8}  {:>5}  {:>8}  {:<8}  {}\n", s.id,
                          s.started_at, s.kind, s.failed, s.excepted, s.passed, s.not_evaluated,
                          s.complete ? "yes" : "no", fmt::join(s.inputs, " "));
  }
  return kExitOk;
}

int RunHistoryDiff(const HistoryOptions& o, Io& io) {
  if (o.format != "text" && o.format != "json") {
    return UsageError(io, "--format must be text or json");
  }
  auto db = OpenHistory(o.db);
  if (!db.ok()) return Fail(io, db.error());
  auto pair = ScansToCompare(**db, o.scans);
  if (!pair.ok()) return Fail(io, pair.error());
  const auto& [before, after] = *pair;
  posture::ScanDiff diff = posture::Diff(before.scan, after.scan);

  if (o.format == "json") {
    json out = {{"before", ScanRef(before)}, {"after", ScanRef(after)}};
    json counts = json::object();
    for (const Section& s : Sections(diff)) {
      json list = json::array();
      for (const DiffEntry& e : *s.entries) list.push_back(EntryJson(e, before, after));
      out[s.key] = list;
      counts[s.key] = s.entries->size();
    }
    out["summary"] = counts;
    io.out << out.dump(2) << "\n";
    return kExitOk;
  }
  io.out << fmt::format("Comparing scan {} ({}, {}) with scan {} ({}, {})\n", before.summary.id,
                        before.summary.kind, before.summary.started_at, after.summary.id,
                        after.summary.kind, after.summary.started_at);
  size_t control_width = 0;
  for (const Section& s : Sections(diff)) {
    for (const DiffEntry& e : *s.entries) {
      control_width = std::max(control_width, e.latest().control_id.size());
    }
  }
  for (const Section& s : Sections(diff)) {
    if (s.entries->empty()) continue;
    io.out << fmt::format("\n{} ({})\n", s.title, s.entries->size());
    for (const DiffEntry& e : *s.entries) {
      io.out << EntryLine(e, before, after, control_width) << "\n";
    }
  }
  io.out << fmt::format(
      "\n{} new, {} resolved, {} still failing, {} newly excepted, {} no longer excepted, {} not "
      "comparable\n",
      diff.new_failures.size(), diff.resolved.size(), diff.still_failing.size(),
      diff.newly_excepted.size(), diff.no_longer_excepted.size(), diff.not_comparable.size());
  return kExitOk;
}

int RunHistoryRun(const HistoryOptions& o, Io& io) {
  if (o.format != "text" && o.format != "json") {
    return UsageError(io, "--format must be text or json");
  }
  auto db = OpenHistory(o.db);
  if (!db.ok()) return Fail(io, db.error());
  auto run = (*db)->LoadRun(o.run_id);
  if (!run.ok()) return Fail(io, run.error());
  posture::Summary summary = posture::Summarise(run->scan.findings);
  auto count = [&](posture::Status s) { return summary.by_status[s]; };
  if (o.format == "json") {
    json shards = json::array();
    for (size_t i = 0; i < run->shard_scans.size(); ++i) {
      shards.push_back(
          {{"index", i},
           {"scan", run->shard_scans[i] == 0 ? json(nullptr) : json(run->shard_scans[i])}});
    }
    io.out << json{{"runId", run->run_id},
                   {"shards", shards},
                   {"missing", run->missing},
                   {"complete", run->scan.complete()},
                   {"summary",
                    {{"total", summary.total},
                     {"FAIL", count(posture::Status::kFail)},
                     {"PASS", count(posture::Status::kPass)},
                     {"EXCEPTED", count(posture::Status::kExcepted)},
                     {"NOT_EVALUATED", count(posture::Status::kNotEvaluated)}}}}
                  .dump(2)
           << "\n";
  } else {
    std::vector<std::string> recorded;
    for (size_t i = 0; i < run->shard_scans.size(); ++i) {
      if (run->shard_scans[i] != 0) {
        recorded.push_back(
            fmt::format("{}/{} (scan {})", i, run->shard_scans.size(), run->shard_scans[i]));
      }
    }
    std::vector<std::string> missing;
    for (int i : run->missing) {
      missing.push_back(fmt::format("{}/{}", i, run->shard_scans.size()));
    }
    io.out << fmt::format("run {}: {} shard{}\n", run->run_id, run->shard_scans.size(),
                          run->shard_scans.size() == 1 ? "" : "s");
    // Shards are named as --shard names them: index/count, the index from 0.
    io.out << fmt::format("recorded shards: {}\n",
                          recorded.empty() ? "none" : Join(recorded, ", "));
    io.out << fmt::format("missing shards: {}\n", missing.empty() ? "none" : Join(missing, ", "));
    io.out << fmt::format("{} FAIL, {} PASS, {} EXCEPTED, {} NOT_EVALUATED, {} cells{}\n",
                          count(posture::Status::kFail), count(posture::Status::kPass),
                          count(posture::Status::kExcepted), count(posture::Status::kNotEvaluated),
                          run->scan.coverage.size(), run->scan.complete() ? "" : " (incomplete)");
  }
  return run->missing.empty() ? kExitOk : kExitIncomplete;
}

}  // namespace ecsguard::cli
