#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <limits>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>
#include <tuple>

#include "base/shard.h"
#include "base/strings.h"
#include "graph/graph.h"
#include "graph/redact.h"
#include "posture/finding_json.h"
#include "store/internal/connection.h"
#include "store/store.h"

namespace ecsguard::store::internal {
namespace {

using nlohmann::json;
using posture::Finding;
using posture::Status;

constexpr int kAttempts = 5;

int64_t ToInt(const std::optional<std::string>& text) {
  int64_t n = 0;
  if (text) std::from_chars(text->data(), text->data() + text->size(), n);
  return n;
}

std::string ToText(const std::optional<std::string>& text) { return text.value_or(""); }

std::string JsonList(const std::vector<std::string>& items) {
  return json(items).dump(-1, ' ', false, json::error_handler_t::replace);
}

std::vector<std::string> ParseList(const std::optional<std::string>& text) {
  json j = json::parse(ToText(text), nullptr, /*allow_exceptions=*/false);
  std::vector<std::string> out;
  if (!j.is_array()) return out;
  for (const json& item : j) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

posture::Coverage::State CoverageStateFromName(std::string_view name) {
  using State = posture::Coverage::State;
  for (State s : {State::kEvaluated, State::kDenied, State::kFailed}) {
    if (posture::CoverageStateName(s) == name) return s;
  }
  return State::kFailed;
}

ErrorCode ErrorCodeFromName(std::string_view name) {
  for (int c = 0; c <= static_cast<int>(ErrorCode::kInternal); ++c) {
    if (ErrorCodeName(static_cast<ErrorCode>(c)) == name) return static_cast<ErrorCode>(c);
  }
  return ErrorCode::kInternal;
}

// Evidence and context: nested records kept as one JSON column, in the JSON report's form
// (posture::FindingDetailToJson). Environment values never reach findings (posture redacts
// @sensitive fields); the same rule, applied again here, keeps it so for the store whoever made
// the finding.
std::string DetailJson(const Finding& f) {
  json detail = posture::FindingDetailToJson(f);
  for (json& e : detail["evidence"]) {
    for (auto& [name, value] : e["fields"].items()) {
      if (graph::IsSensitive(graph::BuiltinSchema(), f.resource.type, e.value("path", ""), name)) {
        value = json::parse(kRedactedJson);
      }
    }
  }
  return detail.dump(-1, ' ', false, json::error_handler_t::replace);
}

// Rows written before the detail took the report's form (ecsguard 0.x up to this change) keep
// their own layout: {"evidence": [{path, subject, fields: [[name, literal]], file, line,
// column}], "context": {..., "priority": 1}}. Read as they were written; no priorityContext.
Result<void> ReadLegacyDetail(const json& j, Finding* f) {
  try {
    for (const json& e : j.value("evidence", json::array())) {
      posture::Evidence ev;
      ev.path = e.value("path", "");
      ev.subject = e.value("subject", "");
      for (const json& field : e.value("fields", json::array())) {
        ev.fields.emplace_back(field.at(0).get<std::string>(), field.at(1).get<std::string>());
      }
      ev.location = SourceLocation{e.value("file", ""), e.value("line", 0u), e.value("column", 0u)};
      f->evidence.push_back(std::move(ev));
    }
    const json c = j.value("context", json::object());
    f->context.tasks = c.value("tasks", std::vector<std::string>{});
    f->context.services = c.value("services", std::vector<std::string>{});
    f->context.clusters = c.value("clusters", std::vector<std::string>{});
    // Codes ecsguard never writes are errors, as for a JSON report (posture::FindingFromJson).
    std::string exposure = c.value("exposure", "unknown");
    std::optional<posture::Exposure> parsed_exposure = posture::ParseExposure(exposure);
    if (!parsed_exposure) {
      return Error(ErrorCode::kIo, fmt::format("finding {} has an unknown exposure \"{}\"", f->id,
                                               OneLine(exposure)));
    }
    f->context.exposure = *parsed_exposure;
    f->context.exposure_reasons = c.value("exposureReasons", std::vector<std::string>{});
    f->context.environment = c.value("environment", "");
    f->context.environment_source = c.value("environmentSource", "");
    int priority = c.value("priority", 4);
    std::optional<posture::Priority> parsed_priority =
        posture::ParsePriority(fmt::format("P{}", priority));
    if (!parsed_priority) {
      return Error(ErrorCode::kIo,
                   fmt::format("finding {} has an unknown priority {}", f->id, priority));
    }
    f->context.priority = *parsed_priority;
  } catch (const json::exception& e) {
    return Error(ErrorCode::kIo, fmt::format("finding detail is malformed: {}", e.what()));
  }
  return Ok{};
}

Result<void> ReadDetail(const std::string& text, Finding* f) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return Error(ErrorCode::kIo, "finding detail is not a JSON object");
  if (j.contains("context")) return ReadLegacyDetail(j, f);
  Result<void> read = posture::FindingDetailFromJson(j, f);
  if (!read.ok()) {
    return Error(ErrorCode::kIo, fmt::format("finding {}: {}", f->id, read.error().message()));
  }
  return Ok{};
}

constexpr char kSummaryColumns[] =
    "id, kind, tool_version, started_at, finished_at, recorded_at, inputs, complete, total, "
    "failed, passed, excepted, not_evaluated";

ScanSummary SummaryFromRow(const Row& r) {
  ScanSummary s;
  s.id = ToInt(r[0]);
  s.kind = ToText(r[1]);
  s.tool_version = ToText(r[2]);
  s.started_at = ToText(r[3]);
  s.finished_at = ToText(r[4]);
  s.recorded_at = ToText(r[5]);
  s.inputs = ParseList(r[6]);
  s.complete = ToInt(r[7]) != 0;
  s.total = ToInt(r[8]);
  s.failed = ToInt(r[9]);
  s.passed = ToInt(r[10]);
  s.excepted = ToInt(r[11]);
  s.not_evaluated = ToInt(r[12]);
  return s;
}

constexpr char kFindingColumns[] =
    "finding_id, control_id, control_title, severity, status, resource_type, resource_id, arn, "
    "account_id, region, family, revision, name, resource_status, file, line, col, reason, "
    "exception_id, exception_reason, exception_owner, exception_expires, exception_ticket, "
    "detail";

std::vector<Param> FindingParams(ScanId scan, int64_t position, const Finding& f) {
  const posture::Resource& r = f.resource;
  std::vector<Param> p = {scan,
                          position,
                          f.id,
                          f.control_id,
                          f.control_title,
                          std::string(controls::SeverityName(f.severity)),
                          std::string(posture::StatusName(f.status)),
                          r.type,
                          r.id,
                          r.arn,
                          r.account_id,
                          r.region,
                          r.family,
                          r.revision,
                          r.name,
                          r.status,
                          r.location.file,
                          static_cast<int64_t>(r.location.line),
                          static_cast<int64_t>(r.location.column),
                          f.reason};
  if (f.exception) {
    for (const std::string* s : {&f.exception->id, &f.exception->reason, &f.exception->owner,
                                 &f.exception->expires, &f.exception->ticket}) {
      p.emplace_back(*s);
    }
  } else {
    p.insert(p.end(), 5, nullptr);
  }
  p.emplace_back(DetailJson(f));
  return p;
}

Result<Finding> FindingFromRow(const Row& r) {
  Finding f;
  f.id = ToText(r[0]);
  f.control_id = ToText(r[1]);
  f.control_title = ToText(r[2]);
  std::optional<controls::Severity> severity = controls::ParseSeverity(ToText(r[3]));
  if (!severity) {
    return Error(ErrorCode::kIo, fmt::format("finding {} has an unknown severity \"{}\"", f.id,
                                             OneLine(ToText(r[3]))));
  }
  f.severity = *severity;
  std::optional<Status> status = posture::ParseStatus(ToText(r[4]));
  if (!status) {
    return Error(ErrorCode::kIo,
                 fmt::format("finding {} has an unknown status \"{}\"", f.id, ToText(r[4])));
  }
  f.status = *status;
  posture::Resource& res = f.resource;
  res.type = ToText(r[5]);
  res.id = ToText(r[6]);
  res.arn = ToText(r[7]);
  res.account_id = ToText(r[8]);
  res.region = ToText(r[9]);
  res.family = ToText(r[10]);
  res.revision = ToInt(r[11]);
  res.name = ToText(r[12]);
  res.status = ToText(r[13]);
  res.location = SourceLocation{ToText(r[14]), static_cast<uint32_t>(ToInt(r[15])),
                                static_cast<uint32_t>(ToInt(r[16]))};
  f.reason = ToText(r[17]);
  if (r[18]) {
    f.exception = posture::AppliedException{ToText(r[18]), ToText(r[19]), ToText(r[20]),
                                            ToText(r[21]), ToText(r[22])};
  }
  RETURN_IF_ERROR(ReadDetail(ToText(r[23]), &f));
  return f;
}

using Plan = std::vector<std::pair<std::string, std::vector<std::string>>>;

std::string PlanJson(const Plan& plan) {
  json out = json::array();
  for (const auto& [account, regions] : plan) out.push_back(json::array({account, regions}));
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

Plan ParsePlan(const std::string& text) {
  Plan out;
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_array()) return out;
  for (const json& item : j) {
    if (!item.is_array() || item.size() != 2 || !item[0].is_string()) continue;
    out.emplace_back(item[0].get<std::string>(), ParseList(item[1].dump()));
  }
  return out;
}

// The recorded shards of a run as one scan (StoredRun::scan), with the cells of the missing
// shards computed from the plan as base/shard.h splits it.
posture::ScanResult MergeShards(const std::vector<StoredScan>& shards, const StoredRun& run,
                                const Plan& plan) {
  posture::ScanResult out;
  std::set<std::string> warnings_seen, finding_ids;
  if (!run.missing.empty()) {
    std::vector<std::string> names;
    for (int i : run.missing) names.push_back(fmt::format("{}/{}", i, run.count));
    // No record is PASS there: the cells are in the coverage as failed, the run incomplete.
    out.warnings.push_back(fmt::format(
        "run {}: shard{} {} not recorded; {} cells are failed in the coverage, not evaluated",
        run.run_id, names.size() == 1 ? "" : "s", Join(names, ", "),
        names.size() == 1 ? "its" : "their"));
  }
  for (const StoredScan& shard : shards) {
    const posture::ScanResult& s = shard.scan;
    if (out.info.kind.empty()) {
      out.info = s.info;
    } else {
      out.info.started_at = std::min(out.info.started_at, s.info.started_at);
      out.info.finished_at = std::max(out.info.finished_at, s.info.finished_at);
    }
    out.coverage.insert(out.coverage.end(), s.coverage.begin(), s.coverage.end());
    out.problems.insert(out.problems.end(), s.problems.begin(), s.problems.end());
    for (const std::string& w : s.warnings) {
      if (warnings_seen.insert(w).second) out.warnings.push_back(w);
    }
    for (const Finding& f : s.findings) {
      if (finding_ids.insert(f.id).second) out.findings.push_back(f);
    }
  }
  std::set<int> missing(run.missing.begin(), run.missing.end());
  for (size_t a = 0; a < plan.size() && !missing.empty(); ++a) {
    const auto& [account, regions] = plan[a];
    for (size_t r = 0; r < regions.size(); ++r) {
      // With "all" the account's regions were only known to the shard that listed them.
      int owner = regions[r] == "all" ? -1 : ShardOfCell(a, r, run.count);
      if (owner >= 0 && !missing.contains(owner)) continue;
      out.coverage.push_back(posture::Coverage{
          account, regions[r], posture::Coverage::State::kFailed,
          owner >= 0
              ? fmt::format("shard {}/{} of run {} not recorded", owner, run.count, run.run_id)
              : fmt::format("shards of run {} not recorded", run.run_id)});
    }
  }
  std::sort(out.coverage.begin(), out.coverage.end(),
            [](const posture::Coverage& x, const posture::Coverage& y) {
              return std::tie(x.account_id, x.region) < std::tie(y.account_id, y.region);
            });
  std::sort(out.findings.begin(), out.findings.end(),
            [](const Finding& x, const Finding& y) { return x.id < y.id; });
  return out;
}

class SqlStore final : public Store {
 public:
  SqlStore(std::unique_ptr<Connection> connection, std::string display)
      : conn_(std::move(connection)), display_(std::move(display)) {}

  const std::string& display_url() const override { return display_; }

  Result<int> Migrate() override {
    std::lock_guard lock(mu_);
    const Dialect& d = conn_->dialect();
    return InTransaction([&]() -> Result<int> {
      if (!d.migration_lock.empty()) RETURN_IF_ERROR(conn_->Query(d.migration_lock));
      RETURN_IF_ERROR(
          conn_->Query("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, "
                       "name TEXT NOT NULL, applied_at TEXT NOT NULL)"));
      ASSIGN_OR_RETURN(int current, AppliedVersion());
      RETURN_IF_ERROR(CheckNotNewer(current));
      int applied = 0;
      for (const Migration& m : Migrations()) {
        if (m.version <= current) continue;
        for (std::string_view statement : m.statements) {
          RETURN_IF_ERROR(conn_->Query(statement));
        }
        RETURN_IF_ERROR(
            conn_->Query("INSERT INTO schema_migrations (version, name, applied_at) "
                         "VALUES (?, ?, {now})",
                         {int64_t{m.version}, std::string(m.name)}));
        ++applied;
      }
      return applied;
    });
  }

  Result<int> SchemaVersion() override {
    std::lock_guard lock(mu_);
    ASSIGN_OR_RETURN(auto exists, conn_->Query(conn_->dialect().table_exists,
                                               {std::string("schema_migrations")}));
    if (exists.empty()) return 0;
    return AppliedVersion();
  }

  Result<ScanId> RecordScan(const posture::ScanResult& scan) override {
    return Record(scan, nullptr);
  }

  Result<ScanId> RecordShard(const posture::ScanResult& scan, const RunShard& shard) override {
    if (shard.run_id.empty() || shard.count < 1 || shard.index < 0 || shard.index >= shard.count) {
      return Error(ErrorCode::kInvalidArgument,
                   fmt::format("shard {}/{} of run \"{}\" is not a shard", shard.index, shard.count,
                               shard.run_id));
    }
    return Record(scan, &shard);
  }

  Result<StoredRun> LoadRun(std::string_view run_id) override {
    std::lock_guard lock(mu_);
    RETURN_IF_ERROR(Ready());
    ASSIGN_OR_RETURN(auto rows, conn_->Query("SELECT id, shard_index, shard_count, run_plan FROM "
                                             "scans WHERE run_id = ? ORDER BY id",
                                             {std::string(run_id)}));
    if (rows.empty()) {
      return Error(ErrorCode::kNotFound,
                   fmt::format("no shard of run \"{}\" in {}", run_id, display_));
    }
    // The newest recording of each shard wins: a retried job replaces its earlier attempt.
    StoredRun run;
    run.run_id = std::string(run_id);
    std::map<int, ScanId> newest;
    std::string plan_text;
    for (const Row& r : rows) {
      int index = static_cast<int>(ToInt(r[1]));
      newest[index] = ToInt(r[0]);
      run.count = std::max(run.count, static_cast<int>(ToInt(r[2])));
      plan_text = ToText(r[3]);
    }
    std::vector<StoredScan> shards;
    run.shard_scans.assign(run.count, 0);
    for (const auto& [index, id] : newest) {
      if (index < 0 || index >= run.count) continue;
      run.shard_scans[index] = id;
      ASSIGN_OR_RETURN(StoredScan one, LoadLocked(id));
      shards.push_back(std::move(one));
    }
    for (int i = 0; i < run.count; ++i) {
      if (run.shard_scans[i] == 0) run.missing.push_back(i);
    }
    run.scan = MergeShards(shards, run, ParsePlan(plan_text));
    return run;
  }

  Result<std::vector<ScanSummary>> ListScans(size_t limit) override {
    std::lock_guard lock(mu_);
    RETURN_IF_ERROR(Ready());
    ASSIGN_OR_RETURN(
        auto rows,
        conn_->Query(fmt::format("SELECT {} FROM scans ORDER BY id DESC LIMIT ?", kSummaryColumns),
                     {Limit(limit)}));
    std::vector<ScanSummary> out;
    for (const Row& r : rows) out.push_back(SummaryFromRow(r));
    return out;
  }

  Result<StoredScan> LoadScan(ScanId id) override {
    std::lock_guard lock(mu_);
    RETURN_IF_ERROR(Ready());
    return LoadLocked(id);
  }

  Result<std::vector<StoredScan>> LatestScans(size_t n, std::string_view kind) override {
    std::lock_guard lock(mu_);
    RETURN_IF_ERROR(Ready());
    ASSIGN_OR_RETURN(
        auto rows,
        kind.empty() ? conn_->Query("SELECT id FROM scans ORDER BY id DESC LIMIT ?", {Limit(n)})
                     : conn_->Query("SELECT id FROM scans WHERE kind = ? ORDER BY id DESC LIMIT ?",
                                    {std::string(kind), Limit(n)}));
    std::vector<StoredScan> out;
    for (const Row& r : rows) {
      ASSIGN_OR_RETURN(StoredScan s, LoadLocked(ToInt(r[0])));
      out.push_back(std::move(s));
    }
    return out;
  }

  Result<std::optional<FindingSeen>> Seen(std::string_view finding_id) override {
    std::lock_guard lock(mu_);
    RETURN_IF_ERROR(Ready());
    ASSIGN_OR_RETURN(auto rows,
                     conn_->Query("SELECT first_seen_scan, first_seen_at, last_seen_scan, "
                                  "last_seen_at FROM findings WHERE finding_id = ?",
                                  {std::string(finding_id)}));
    if (rows.empty()) return std::optional<FindingSeen>();
    const Row& r = rows[0];
    return std::optional<FindingSeen>(
        FindingSeen{ToInt(r[0]), ToText(r[1]), ToInt(r[2]), ToText(r[3])});
  }

  Result<std::optional<CachedRevision>> GetRevision(std::string_view arn) override {
    std::lock_guard lock(mu_);
    RETURN_IF_ERROR(Ready());
    ASSIGN_OR_RETURN(auto rows, conn_->Query("SELECT arn, account_id, region, fetched_at, body "
                                             "FROM revisions WHERE arn = ?",
                                             {std::string(arn)}));
    if (rows.empty()) return std::optional<CachedRevision>();
    const Row& r = rows[0];
    return std::optional<CachedRevision>(
        CachedRevision{ToText(r[0]), ToText(r[1]), ToText(r[2]), ToText(r[3]), ToText(r[4])});
  }

  Result<void> PutRevisions(const std::vector<CachedRevision>& revisions) override {
    std::vector<CachedRevision> redacted;
    redacted.reserve(revisions.size());
    for (const CachedRevision& r : revisions) {
      if (r.arn.empty())
        return Error(ErrorCode::kInvalidArgument, "a cached revision needs an ARN");
      auto body = graph::BuiltinRedactor().RedactJsonText(r.body);
      if (!body.ok()) {
        return Error(ErrorCode::kInvalidArgument,
                     fmt::format("revision {}: {}", r.arn, body.error().message()));
      }
      redacted.push_back(CachedRevision{r.arn, r.account_id, r.region, r.fetched_at, *body});
    }
    std::sort(redacted.begin(), redacted.end(),
              [](const CachedRevision& a, const CachedRevision& b) { return a.arn < b.arn; });
    std::lock_guard lock(mu_);
    RETURN_IF_ERROR(Ready());
    return InTransaction([&]() -> Result<void> {
      for (const CachedRevision& r : redacted) {
        RETURN_IF_ERROR(
            conn_->Query("INSERT INTO revisions (arn, account_id, region, fetched_at, body) "
                         "VALUES (?, ?, ?, ?, ?) ON CONFLICT (arn) DO UPDATE SET "
                         "account_id = excluded.account_id, region = excluded.region, "
                         "fetched_at = excluded.fetched_at, body = excluded.body",
                         {r.arn, r.account_id, r.region, r.fetched_at, r.body}));
      }
      return Ok{};
    });
  }

 private:
  // RecordScan; with a shard, RecordShard: the run's columns set in the same transaction.
  Result<ScanId> Record(const posture::ScanResult& scan, const RunShard* shard) {
    std::lock_guard lock(mu_);
    RETURN_IF_ERROR(Ready());
    posture::Summary summary = posture::Summarise(scan.findings);
    auto count = [&](Status s) { return static_cast<int64_t>(summary.by_status[s]); };
    std::vector<Param> scan_row = {scan.info.kind,
                                   scan.info.tool_version,
                                   scan.info.started_at,
                                   scan.info.finished_at,
                                   JsonList(scan.info.inputs),
                                   JsonList(scan.info.controls),
                                   JsonList(scan.warnings),
                                   int64_t{scan.complete() ? 1 : 0},
                                   static_cast<int64_t>(summary.total),
                                   count(Status::kFail),
                                   count(Status::kPass),
                                   count(Status::kExcepted),
                                   count(Status::kNotEvaluated)};
    // Identities are upserted in id order so concurrent writers lock rows in the same order.
    std::map<std::string, const Finding*> identities;
    for (const Finding& f : scan.findings) {
      if (f.status != Status::kNotEvaluated) identities.emplace(f.id, &f);
    }
    const std::string seen_at =
        !scan.info.started_at.empty() ? scan.info.started_at : scan.info.finished_at;

    return InTransaction([&]() -> Result<ScanId> {
      ASSIGN_OR_RETURN(
          auto rows,
          conn_->Query("INSERT INTO scans (kind, tool_version, started_at, finished_at, "
                       "recorded_at, inputs, controls, warnings, complete, total, failed, passed, "
                       "excepted, not_evaluated) "
                       "VALUES (?, ?, ?, ?, {now}, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                       scan_row));
      if (rows.empty() || rows[0].empty()) {
        return Error(ErrorCode::kInternal, fmt::format("{}: no scan id returned", display_));
      }
      const ScanId id = ToInt(rows[0][0]);
      int64_t position = 0;
      for (const posture::Coverage& c : scan.coverage) {
        RETURN_IF_ERROR(conn_->Query(
            "INSERT INTO scan_coverage (scan_id, position, account_id, region, state, detail) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            {id, position++, c.account_id, c.region,
             std::string(posture::CoverageStateName(c.state)), c.detail}));
      }
      position = 0;
      for (const Error& e : scan.problems) {
        RETURN_IF_ERROR(conn_->Query(
            "INSERT INTO scan_problems (scan_id, position, code, message, file, line, col) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            {id, position++, std::string(ErrorCodeName(e.code())), e.message(), e.location().file,
             static_cast<int64_t>(e.location().line), static_cast<int64_t>(e.location().column)}));
      }
      static const std::string insert_finding =
          fmt::format("INSERT INTO scan_findings (scan_id, position, {}) VALUES (?, ?{})",
                      kFindingColumns, Repeat(24));
      position = 0;
      for (const Finding& f : scan.findings) {
        RETURN_IF_ERROR(conn_->Query(insert_finding, FindingParams(id, position++, f)));
      }
      for (const auto& [finding_id, f] : identities) {
        RETURN_IF_ERROR(conn_->Query(
            "INSERT INTO findings (finding_id, control_id, resource, first_seen_scan, "
            "first_seen_at, last_seen_scan, last_seen_at) "
            "VALUES (?, ?, ?, ?, COALESCE(NULLIF(?, ''), {now}), ?, COALESCE(NULLIF(?, ''), "
            "{now})) "
            "ON CONFLICT (finding_id) DO UPDATE SET "
            "first_seen_at = CASE WHEN excluded.first_seen_scan < findings.first_seen_scan "
            "THEN excluded.first_seen_at ELSE findings.first_seen_at END, "
            "first_seen_scan = CASE WHEN excluded.first_seen_scan < findings.first_seen_scan "
            "THEN excluded.first_seen_scan ELSE findings.first_seen_scan END, "
            "last_seen_at = CASE WHEN excluded.last_seen_scan > findings.last_seen_scan "
            "THEN excluded.last_seen_at ELSE findings.last_seen_at END, "
            "last_seen_scan = CASE WHEN excluded.last_seen_scan > findings.last_seen_scan "
            "THEN excluded.last_seen_scan ELSE findings.last_seen_scan END",
            {finding_id, f->control_id, f->resource.arn.empty() ? f->resource.id : f->resource.arn,
             id, seen_at, id, seen_at}));
      }
      if (shard) {
        RETURN_IF_ERROR(conn_->Query(
            "UPDATE scans SET run_id = ?, shard_index = ?, shard_count = ?, run_plan = ? "
            "WHERE id = ?",
            {shard->run_id, int64_t{shard->index}, int64_t{shard->count}, PlanJson(shard->plan),
             id}));
      }
      return id;
    });
  }

  static std::string Repeat(int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += ", ?";
    return out;
  }

  static int64_t Limit(size_t n) {
    return n == 0 || n > static_cast<size_t>(std::numeric_limits<int64_t>::max())
               ? std::numeric_limits<int64_t>::max()
               : static_cast<int64_t>(n);
  }

  Result<int> AppliedVersion() {
    ASSIGN_OR_RETURN(auto rows, conn_->Query("SELECT MAX(version) FROM schema_migrations"));
    return rows.empty() ? 0 : static_cast<int>(ToInt(rows[0][0]));
  }

  Result<void> CheckNotNewer(int version) {
    int known = Migrations().back().version;
    if (version > known) {
      return Error(ErrorCode::kConfiguration,
                   fmt::format("{}: the database schema is version {}, newer than this ecsguard "
                               "understands ({}); upgrade ecsguard",
                               display_, version, known));
    }
    return Ok{};
  }

  // Reads and writes need the current schema; say so plainly instead of "no such table".
  Result<void> Ready() {
    if (ready_) return Ok{};
    ASSIGN_OR_RETURN(auto exists, conn_->Query(conn_->dialect().table_exists,
                                               {std::string("schema_migrations")}));
    int version = 0;
    if (!exists.empty()) {
      ASSIGN_OR_RETURN(version, AppliedVersion());
    }
    RETURN_IF_ERROR(CheckNotNewer(version));
    if (version < Migrations().back().version) {
      return Error(ErrorCode::kConfiguration,
                   fmt::format("{}: the database schema is at version {}, not {}; run Migrate()",
                               display_, version, Migrations().back().version));
    }
    ready_ = true;
    return Ok{};
  }

  Result<StoredScan> LoadLocked(ScanId id) {
    ASSIGN_OR_RETURN(auto scans,
                     conn_->Query(fmt::format("SELECT {}, controls, warnings FROM scans "
                                              "WHERE id = ?",
                                              kSummaryColumns),
                                  {id}));
    if (scans.empty()) {
      return Error(ErrorCode::kNotFound, fmt::format("no scan {} in {}", id, display_));
    }
    StoredScan out;
    out.summary = SummaryFromRow(scans[0]);
    posture::ScanResult& scan = out.scan;
    scan.info.kind = out.summary.kind;
    scan.info.tool_version = out.summary.tool_version;
    scan.info.started_at = out.summary.started_at;
    scan.info.finished_at = out.summary.finished_at;
    scan.info.inputs = out.summary.inputs;
    scan.info.controls = ParseList(scans[0][13]);
    scan.warnings = ParseList(scans[0][14]);

    ASSIGN_OR_RETURN(auto cells, conn_->Query("SELECT account_id, region, state, detail FROM "
                                              "scan_coverage WHERE scan_id = ? ORDER BY position",
                                              {id}));
    for (const Row& r : cells) {
      scan.coverage.push_back(posture::Coverage{ToText(r[0]), ToText(r[1]),
                                                CoverageStateFromName(ToText(r[2])), ToText(r[3])});
    }
    ASSIGN_OR_RETURN(auto problems,
                     conn_->Query("SELECT code, message, file, line, col FROM scan_problems "
                                  "WHERE scan_id = ? ORDER BY position",
                                  {id}));
    for (const Row& r : problems) {
      scan.problems.emplace_back(ErrorCodeFromName(ToText(r[0])), ToText(r[1]),
                                 SourceLocation{ToText(r[2]), static_cast<uint32_t>(ToInt(r[3])),
                                                static_cast<uint32_t>(ToInt(r[4]))});
    }
    ASSIGN_OR_RETURN(auto findings,
                     conn_->Query(fmt::format("SELECT {} FROM scan_findings WHERE scan_id = ? "
                                              "ORDER BY position",
                                              kFindingColumns),
                                  {id}));
    for (const Row& r : findings) {
      auto f = FindingFromRow(r);
      if (!f.ok()) {
        return Error(ErrorCode::kIo,
                     fmt::format("{}: scan {}: {}", display_, id, f.error().message()));
      }
      scan.findings.push_back(std::move(f).value());
    }
    ASSIGN_OR_RETURN(
        auto seen,
        conn_->Query("SELECT finding_id, first_seen_scan, first_seen_at, last_seen_scan, "
                     "last_seen_at FROM findings WHERE finding_id IN "
                     "(SELECT finding_id FROM scan_findings WHERE scan_id = ?)",
                     {id}));
    for (const Row& r : seen) {
      out.seen.emplace(ToText(r[0]),
                       FindingSeen{ToInt(r[1]), ToText(r[2]), ToInt(r[3]), ToText(r[4])});
    }
    return out;
  }

  // Runs `body` inside a write transaction, retrying the whole transaction when the database
  // reports a transient conflict (busy, deadlock, serialisation failure).
  template <typename Body>
  auto InTransaction(Body&& body) -> decltype(body()) {
    for (int attempt = 1;; ++attempt) {
      auto begin = conn_->Query(conn_->dialect().begin_write);
      if (!begin.ok()) {
        if (conn_->LastErrorRetryable() && attempt < kAttempts) {
          Backoff(attempt);
          continue;
        }
        return std::move(begin).error();
      }
      auto result = body();
      bool retry = !result.ok() && conn_->LastErrorRetryable();
      if (result.ok()) {
        auto commit = conn_->Query("COMMIT");
        if (commit.ok()) return result;
        retry = conn_->LastErrorRetryable();
        (void)conn_->Query("ROLLBACK");
        if (!retry || attempt >= kAttempts) return std::move(commit).error();
      } else {
        (void)conn_->Query("ROLLBACK");
        if (!retry || attempt >= kAttempts) return result;
      }
      Backoff(attempt);
    }
  }

  static void Backoff(int attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(25 * attempt * attempt));
  }

  std::mutex mu_;
  std::unique_ptr<Connection> conn_;
  std::string display_;
  bool ready_ = false;
};

}  // namespace

std::unique_ptr<Store> MakeSqlStore(std::unique_ptr<Connection> connection, std::string display) {
  return std::make_unique<SqlStore>(std::move(connection), std::move(display));
}

}  // namespace ecsguard::store::internal
