#include "cli/aws_scan_command.h"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>

#include "base/clock.h"
#include "base/file.h"
#include "base/shard.h"
#include "base/strings.h"
#include "cli/config.h"
#include "cli/history_commands.h"
#include "cli/remediate_command.h"
#include "graph/graph.h"
#include "ingest/aws/aws.h"
#include "ingest/aws/scan.h"
#include "ingest/ingest.h"
#include "posture/posture.h"
#include "store/store.h"

namespace ecsguard::cli {
namespace {

namespace aws = ingest::aws;

// The revision cache kept in the history database (store::Store's revisions table).
class StoreRevisionCache final : public aws::RevisionCache {
 public:
  explicit StoreRevisionCache(std::unique_ptr<store::Store> store) : store_(std::move(store)) {}

  Result<std::map<std::string, std::string>> Get(const std::vector<std::string>& arns) override {
    std::map<std::string, std::string> out;
    for (const std::string& arn : arns) {
      ASSIGN_OR_RETURN(std::optional<store::CachedRevision> hit, store_->GetRevision(arn));
      if (hit) out.emplace(arn, std::move(hit->body));
    }
    return out;
  }

  Result<void> Put(const std::vector<Entry>& entries) override {
    std::string now = FormatIso8601(SystemClock().Now());
    std::vector<store::CachedRevision> rows;
    for (const Entry& e : entries) {
      rows.push_back(store::CachedRevision{e.arn, e.account_id, e.region, now, e.body});
    }
    return store_->PutRevisions(rows);
  }

 private:
  std::unique_ptr<store::Store> store_;
};

posture::Coverage::State CoverageStateOf(aws::CellState state) {
  switch (state) {
    case aws::CellState::kEvaluated:
      return posture::Coverage::State::kEvaluated;
    case aws::CellState::kDenied:
      return posture::Coverage::State::kDenied;
    case aws::CellState::kFailed:
      return posture::Coverage::State::kFailed;
  }
  return posture::Coverage::State::kFailed;
}

// A control that judges the latest revision of each family needs every ACTIVE revision read,
// not only the ones in use.
bool NeedsAllRevisions(const std::vector<const controls::Control*>& selected) {
  return std::any_of(selected.begin(), selected.end(), [](const controls::Control* c) {
    return c->scope == controls::RevisionScope::kLatestActive;
  });
}

// Whether a selected control judges assets of `type`, which the live scan then reads in full.
bool Judges(const std::vector<const controls::Control*>& selected, std::string_view type) {
  return std::any_of(selected.begin(), selected.end(), [&](const controls::Control* c) {
    return std::find(c->subjects.begin(), c->subjects.end(), type) != c->subjects.end();
  });
}

// DIR/<account>/<region>/<command>.jsonl, one document per line, environment values redacted:
// the files `scan snapshot` reads.
Result<size_t> SaveSnapshot(const std::string& dir, const aws::ScanOutcome& outcome) {
  namespace fs = std::filesystem;
  size_t files = 0;
  for (const aws::RegionResult& cell : outcome.cells) {
    std::map<std::string, std::string> by_command;
    for (const aws::Document& d : cell.documents) {
      ASSIGN_OR_RETURN(std::string redacted, graph::BuiltinRedactor().RedactJsonText(d.json));
      std::string name = d.command;
      std::replace(name.begin(), name.end(), ' ', '-');
      by_command[name] += redacted + "\n";
    }
    if (by_command.empty()) continue;
    // The collector listed every cluster's running tasks (a listing that failed is a gap of its
    // own): a cell without describe-tasks output runs no task, which `scan snapshot` must read
    // as "nothing in use", not as "in-use state unknown".
    if (cell.state == aws::CellState::kEvaluated && !by_command.contains("ecs-describe-tasks")) {
      by_command["ecs-describe-tasks"] = "{\"tasks\": [], \"failures\": []}\n";
    }
    fs::path folder = fs::path(dir) / cell.account_id / cell.region;
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec) {
      return Error(ErrorCode::kIo,
                   fmt::format("cannot create {}: {}", folder.string(), ec.message()));
    }
    for (const auto& [name, text] : by_command) {
      fs::path path = folder / (name + ".jsonl");
      // Private: a snapshot holds the estate's tags and names, and whatever a future collector
      // adds; environment values are already redacted above.
      RETURN_IF_ERROR(WriteFileAtomically(path.string(), text, FileMode::kPrivate));
      ++files;
    }
  }
  return files;
}

// One ContextGap per account and region, naming every call that failed there:
// "DescribeServices, DescribeInstances failed in 123456789012/us-east-1".
std::vector<posture::ContextGap> ContextGapsOf(const aws::ScanOutcome& outcome) {
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> failed;
  for (const aws::RegionResult& cell : outcome.cells) {
    for (const aws::ContextGap& g : cell.context_gaps) {
      failed[{g.account_id, g.region}].push_back(g.operation);
    }
  }
  for (const aws::ContextGap& g : outcome.context_gaps) {
    failed[{g.account_id, g.region}].push_back(g.operation);
  }
  std::vector<posture::ContextGap> out;
  for (const auto& [where, operations] : failed) {
    const auto& [account, region] = where;
    out.push_back(posture::ContextGap{
        account, region,
        region.empty()
            ? fmt::format("{} failed for account {}", Join(operations, ", "), account)
            : fmt::format("{} failed in {}/{}", Join(operations, ", "), account, region)});
  }
  return out;
}

std::string CallSummary(const std::map<std::string, int64_t>& calls) {
  std::vector<std::string> parts;
  int64_t total = 0;
  for (const auto& [op, n] : calls) {
    parts.push_back(fmt::format("{} {}", op, n));
    total += n;
  }
  return fmt::format("{} ({})", total, Join(parts, ", "));
}

}  // namespace

CLI::App* AddAwsScanCommand(CLI::App* scan, AwsScanOptions* o) {
  CLI::App* cmd = scan->add_subcommand(
      "aws", "Scan live AWS accounts: the task-definition revisions running tasks use");
  cmd->add_option("--profile", o->profile, "AWS profile (default: AWS_PROFILE, else default)");
  cmd->add_option("--region", o->regions,
                  "Region to scan, repeatable or comma-separated, or 'all' for every enabled "
                  "region (default: the profile's region)")
      ->delimiter(',');
  cmd->add_flag("--organization", o->organization,
                "Scan every ACTIVE account of the organization (run from the management or a "
                "delegated-administrator account)");
  cmd->add_option("--accounts-file", o->accounts_file,
                  "YAML list of accounts: id, name, regions, role, external_id, tags");
  cmd->add_option("--role", o->role,
                  "Role name (or ARN) to assume in the other accounts (default: "
                  "OrganizationAccountAccessRole)");
  cmd->add_option("--external-id", o->external_id, "External id for AssumeRole");
  cmd->add_option("--endpoint-url", o->endpoint_url,
                  "Send every AWS request to this URL (an emulator such as moto_server)");
  cmd->add_option("--save-snapshot", o->save_snapshot,
                  "Also write what was read, as AWS CLI JSON (secrets redacted), into DIR");
  cmd->add_flag("--all-revisions", o->all_revisions,
                "Also list and describe every ACTIVE revision (reported as not in use)");
  AddFullGraphOption(cmd, &o->full_graph);
  cmd->add_option("--concurrency", o->concurrency,
                  fmt::format("Requests in flight at most, across all accounts (default {}); "
                              "each account is also held to --max-rate",
                              aws::kDefaultConcurrency))
      ->check(CLI::Range(1, 1024));
  cmd->add_option("--max-rate", o->common.max_rates,
                  fmt::format("Requests per second at most per account, region and API category: "
                              "CATEGORY=RATE/s or RATE/m, repeatable (e.g. --max-rate ecs=5/s "
                              "--max-rate ecs:task-definition-read=2/s); a service name sets all "
                              "its categories. Default: {}",
                              aws::RateLimits::Defaults().ToString()));
  cmd->add_option("--shard", o->shard,
                  "Scan only shard I of N of the account x region cells: I/N with I from 0 to "
                  "N-1, or auto/N to take I from JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX "
                  "(needs --run-id)");
  cmd->add_option("--run-id", o->run_id,
                  "Record this scan as a shard of run ID in --db, for `report --run-id` and "
                  "`history run` to merge");
  cmd->add_flag("--no-cache", o->no_cache,
                "Describe every revision again instead of using the revision cache in --db");
  cmd->add_option("--timeout", o->timeout,
                  "The whole scan at most (e.g. 30m, 1h, 90s; default 30m); what was not read "
                  "by then is NOT_EVALUATED (scan timeout)");
  cmd->add_option("--connect-timeout", o->connect_timeout,
                  "Connecting to an AWS endpoint at most (default 10s)");
  cmd->add_option("--read-timeout", o->read_timeout,
                  "Waiting for an answer that sends nothing at most, per attempt (default 30s)");
  AddCommonScanOptions(cmd, &o->common);
  return cmd;
}

int RunAwsScan(const AwsScanOptions& options, Io& io) {
  AwsScanOptions opts = options;
  CommonScanOptions& o = opts.common;
  if (!o.config_file.empty()) {
    if (auto r = ApplyConfigFile(o.config_file, &o); !r.ok()) {
      return Fail(io, r.error());
    }
  }
  if (opts.organization && !opts.accounts_file.empty()) {
    return UsageError(io, "--organization and --accounts-file cannot be used together");
  }
  for (const std::string& r : opts.regions) {
    if (r == "all" && opts.regions.size() > 1) {
      return UsageError(io, "--region all cannot be combined with region names");
    }
  }
  std::chrono::seconds durations[3];
  const std::pair<const char*, const std::string*> duration_options[3] = {
      {"--timeout", &opts.timeout},
      {"--connect-timeout", &opts.connect_timeout},
      {"--read-timeout", &opts.read_timeout}};
  for (int i = 0; i < 3; ++i) {
    std::optional<std::chrono::seconds> d = ParseDuration(*duration_options[i].second);
    if (!d || d->count() == 0) {
      return UsageError(io, fmt::format("{} {}: use e.g. 30m, 90s or 1h", duration_options[i].first,
                                        *duration_options[i].second));
    }
    durations[i] = *d;
  }
  aws::RateLimits limits = aws::RateLimits::Defaults();
  for (const std::string& spec : o.max_rates) {
    if (auto applied = limits.Apply(spec); !applied.ok()) {
      return UsageError(io, applied.error().message());
    }
  }
  ShardSpec shard;
  if (!opts.shard.empty()) {
    auto parsed = ParseShard(opts.shard, [](std::string_view name) -> std::optional<std::string> {
      const char* v = std::getenv(std::string(name).c_str());
      return v ? std::optional<std::string>(v) : std::nullopt;
    });
    if (!parsed.ok()) return UsageError(io, parsed.error().message());
    shard = *parsed;
    if (opts.run_id.empty()) {
      return UsageError(io, "--shard needs --run-id, so that the shards can be merged");
    }
  }
  if (!opts.run_id.empty() && o.no_history) {
    return UsageError(io, "--run-id records the scan in --db; it cannot go with --no-history");
  }
  auto started = std::chrono::steady_clock::now();
  posture::ScanInfo info;
  info.tool_version = Version();
  info.kind = "aws";
  info.started_at = FormatIso8601(SystemClock().Now());

  auto schema = LoadSchema(o.schema_file);
  if (!schema.ok()) return Fail(io, schema.error());
  auto catalog = LoadCatalog(o.controls_dir, *schema);
  if (!catalog.ok()) return Fail(io, catalog.error());
  auto selected = SelectControls(o, *catalog, &info, io);
  if (!selected.ok()) return Fail(io, selected.error());

  aws::ScanPlan plan;
  plan.regions = opts.regions;
  plan.organization = opts.organization;
  if (!opts.role.empty()) plan.role = opts.role;
  plan.external_id = opts.external_id;
  if (opts.concurrency > 0) plan.concurrency = opts.concurrency;
  plan.all_revisions = opts.all_revisions;
  plan.shard = shard;
  if (!plan.all_revisions && NeedsAllRevisions(*selected)) {
    plan.all_revisions = true;
    if (!o.quiet) {
      io.err << "ecsguard: a selected control judges the latest revision of each family: "
                "reading every ACTIVE revision (--all-revisions)\n";
    }
  }
  // Service and task-set controls judge every service, not only those running tasks; ECS.19 the
  // capacity providers, which nothing else reads.
  plan.all_services = Judges(*selected, "ECSService") || Judges(*selected, "ECSTaskSet");
  plan.capacity_providers = Judges(*selected, "ECSCapacityProvider");
  if (!opts.accounts_file.empty()) {
    std::string text;
    if (!ReadFileToString(opts.accounts_file, &text)) {
      return UsageError(io, fmt::format("{}: cannot read the accounts file", opts.accounts_file));
    }
    auto accounts = aws::ParseAccountsFile(text, opts.accounts_file);
    if (!accounts.ok()) return Fail(io, accounts.error());
    plan.accounts = std::move(accounts).value();
  }

  std::vector<std::string> warnings;
  std::unique_ptr<StoreRevisionCache> cache;
  if (!opts.no_cache) {
    Result<std::string> url = DatabaseUrl(o.db);
    auto opened =
        url.ok() ? store::Store::Open(*url) : Result<std::unique_ptr<store::Store>>(url.error());
    Result<int> migrated = opened.ok() ? (*opened)->Migrate() : Result<int>(opened.error());
    if (migrated.ok()) {
      cache = std::make_unique<StoreRevisionCache>(std::move(opened).value());
      plan.cache = cache.get();
    } else {
      warnings.push_back(fmt::format("revision cache unavailable, every revision is described: {}",
                                     migrated.error().ToString()));
    }
  }

  aws::SessionOptions session_options;
  session_options.profile = opts.profile;
  session_options.endpoint_url = opts.endpoint_url;
  session_options.timeout = durations[0];
  session_options.curl.connect_timeout = durations[1];
  session_options.curl.read_timeout = durations[2];
  session_options.rate_limits = limits;
  auto session = aws::Session::Create(session_options);
  if (!session.ok()) return Fail(io, session.error());

  aws::ScanOutcome outcome;
  {
    ProgressLine progress(io, io.err_is_terminal && !o.quiet);
    auto scanned = aws::ScanAccounts(**session, plan, [&](const aws::ScanProgress& p) {
      progress.Update(fmt::format("scanning: {}/{} regions, {} API calls, last {}", p.cells_done,
                                  p.cells_total, p.api_calls, p.last_cell));
    });
    if (!scanned.ok()) {
      // AWS could not be reached (after the retries): nothing was evaluated, and running again
      // may succeed; rejected credentials and the like are configuration (3).
      if (scanned.error().code() == ErrorCode::kUnavailable) {
        progress.Clear();
        io.err << "ecsguard: error: " << scanned.error().ToString() << "\n";
        return kExitIncomplete;
      }
      return Fail(io, scanned.error());
    }
    outcome = std::move(scanned).value();
  }

  std::string jsonl;
  std::vector<ingest::Gap> gaps;
  std::vector<posture::ContextGap> context_gaps = ContextGapsOf(outcome);
  std::vector<posture::Coverage> coverage;
  int64_t cache_hits = 0, described = 0;
  for (const aws::RegionResult& cell : outcome.cells) {
    for (const aws::Document& d : cell.documents) {
      jsonl += d.json;
      jsonl += '\n';
    }
    gaps.insert(gaps.end(), cell.gaps.begin(), cell.gaps.end());
    coverage.push_back(
        posture::Coverage{cell.account_id, cell.region, CoverageStateOf(cell.state), cell.detail});
    warnings.insert(warnings.end(), cell.warnings.begin(), cell.warnings.end());
    cache_hits += cell.cache_hits;
    described += cell.revisions_described;
  }
  gaps.insert(gaps.end(), outcome.gaps.begin(), outcome.gaps.end());
  warnings.insert(warnings.end(), outcome.warnings.begin(), outcome.warnings.end());

  // A scan that read no document (no cluster anywhere) is an empty estate, not an empty file.
  ingest::SnapshotResult snapshot;
  if (!jsonl.empty()) {
    ingest::SnapshotOptions read;
    read.require_task_list = false;  // the collector listed every cluster's tasks, or made a gap
    if (auto projected = ProjectFor(*selected, *schema, opts.full_graph, &read); !projected.ok()) {
      return Fail(io, projected.error());
    }
    snapshot = ingest::LoadSnapshotText(jsonl, "aws", read);
  }
  jsonl.clear();
  jsonl.shrink_to_fit();
  aws::AddAccountNodes(outcome.accounts, &snapshot.graph);
  gaps.insert(gaps.end(), snapshot.gaps.begin(), snapshot.gaps.end());

  if (!opts.save_snapshot.empty()) {
    auto saved = SaveSnapshot(opts.save_snapshot, outcome);
    if (!saved.ok()) return Fail(io, saved.error());
    if (!o.quiet) {
      io.err << fmt::format("ecsguard: wrote {} snapshot files into {}\n", *saved,
                            opts.save_snapshot);
    }
  }

  std::vector<std::string> account_ids;
  for (const aws::AccountSpec& a : outcome.accounts) account_ids.push_back(a.id);
  info.inputs = {fmt::format("accounts {}", Join(account_ids, ", ")),
                 fmt::format("regions {}", opts.regions.empty() ? (*session)->region()
                                                                : Join(opts.regions, ", "))};
  for (const auto& [key, counts] : (*session)->stats().Snapshot()) {
    info.api_calls[fmt::format("{}:{}", key.first, key.second)] =
        static_cast<int64_t>(counts.calls);
  }
  info.cache_hits = cache_hits;

  if (!o.quiet) {
    size_t evaluated = 0, denied = 0, failed = 0;
    for (const posture::Coverage& c : coverage) {
      (c.state == posture::Coverage::State::kEvaluated ? evaluated
       : c.state == posture::Coverage::State::kDenied  ? denied
                                                       : failed)++;
    }
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    uint64_t attempts = 0, throttled = 0;
    for (const auto& [key, counts] : (*session)->stats().Snapshot()) {
      attempts += counts.attempts - counts.calls;
      throttled += counts.throttled;
    }
    io.err << fmt::format(
        "ecsguard: {} account{}, {} account x region cells ({} evaluated, {} denied, {} failed) "
        "in {:.1f} s\n",
        outcome.accounts.size(), outcome.accounts.size() == 1 ? "" : "s", coverage.size(),
        evaluated, denied, failed, seconds);
    io.err << fmt::format("ecsguard: API calls: {}; {} retries, {} throttled\n",
                          CallSummary(info.api_calls), attempts, throttled);
    if (!opts.run_id.empty()) {
      io.err << fmt::format("ecsguard: shard {}/{} of run {}\n", shard.index, shard.count,
                            opts.run_id);
    }
    io.err << fmt::format("ecsguard: revision cache: {} hit{}, {} revision{} described{}\n",
                          cache_hits, cache_hits == 1 ? "" : "s", described,
                          described == 1 ? "" : "s", plan.cache ? "" : " (cache off)");
  }

  // The warnings go into the report (and with it to stderr), and each priority computed
  // without its context says so.
  scan::Request request;
  request.info = std::move(info);
  request.controls = std::move(selected).value();
  request.schema = &*schema;
  request.graph = &snapshot.graph;
  request.gaps = std::move(gaps);
  request.problems = std::move(snapshot.problems);
  request.coverage = std::move(coverage);
  request.context_gaps = std::move(context_gaps);
  request.warnings = std::move(warnings);
  if (!opts.run_id.empty()) {
    store::RunShard run{opts.run_id, shard.index, shard.count, {}};
    for (const aws::AccountSpec& a : outcome.accounts) {
      std::vector<std::string> regions = !a.regions.empty() ? a.regions : opts.regions;
      if (regions.empty()) regions = {(*session)->region()};
      std::sort(regions.begin(), regions.end());
      regions.erase(std::unique(regions.begin(), regions.end()), regions.end());
      run.plan.emplace_back(a.id, std::move(regions));
    }
    request.shard = std::move(run);
  }
  return RunAndReport(o, *catalog, std::move(request), io);
}

}  // namespace ecsguard::cli
