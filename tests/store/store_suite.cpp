#include "store_suite.h"

#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <set>
#include <thread>

#include "posture/diff.h"

namespace ecsguard::store::testing {

void StoreTest::SetUp() {
  std::string why = TheBackend().Unavailable();
  if (!why.empty()) GTEST_SKIP() << why;
  url_ = TheBackend().FreshDatabase();
  ASSERT_FALSE(url_.empty());
}

std::unique_ptr<Store> StoreTest::OpenStore(bool migrate) {
  auto store = Store::Open(url_);
  EXPECT_TRUE(store.ok()) << store.error().ToString();
  if (!store.ok()) return nullptr;
  if (migrate) {
    auto applied = (*store)->Migrate();
    EXPECT_TRUE(applied.ok()) << applied.error().ToString();
  }
  return std::move(store).value();
}

namespace {

using posture::Coverage;
using posture::Finding;
using posture::ScanResult;
using posture::Status;

constexpr char kControl[] = "aws-ecs-1-privileged-network-mode";
constexpr char kProd[] = "111122223333";

Finding Live(std::string region, std::string family, int64_t revision, Status status) {
  Finding f;
  f.control_id = kControl;
  f.control_title = "ECS task definitions in host network mode run unprivileged, non-root";
  f.severity = controls::Severity::kHigh;
  f.status = status;
  posture::Resource& r = f.resource;
  r.type = "ECSTaskDefinition";
  r.account_id = kProd;
  r.region = std::move(region);
  r.family = std::move(family);
  r.revision = revision;
  r.arn =
      fmt::format("arn:aws:ecs:{}:{}:task-definition/{}:{}", r.region, kProd, r.family, revision);
  r.id = r.arn;
  r.name = fmt::format("{}:{}", r.family, revision);
  r.status = "ACTIVE";
  f.id = posture::FindingId(kControl, r);
  if (status == Status::kExcepted) {
    f.exception = posture::AppliedException{"exc-" + r.family, "accepted", "team@example.com",
                                            "2027-01-31", "SEC-1"};
  }
  return f;
}

ScanResult Scan(std::vector<std::string> evaluated_regions, std::vector<Finding> findings,
                std::string started_at = "2026-11-28T10:00:00Z") {
  ScanResult scan;
  scan.info.tool_version = "0.1.0";
  scan.info.kind = "aws";
  scan.info.started_at = started_at;
  scan.info.finished_at = started_at;
  scan.info.controls = {kControl};
  for (std::string& region : evaluated_regions) {
    scan.info.inputs.push_back(fmt::format("{}/{}", kProd, region));
    scan.coverage.push_back(Coverage{kProd, std::move(region)});
  }
  scan.findings = std::move(findings);
  return scan;
}

// Every field of a scan, one per line: two scans are equal when their dumps are.
std::string Dump(const ScanResult& s) {
  std::string out = fmt::format("info {}|{}|{}|{}|{}|{}\n", s.info.tool_version, s.info.kind,
                                fmt::join(s.info.inputs, ","), s.info.started_at,
                                s.info.finished_at, fmt::join(s.info.controls, ","));
  for (const Coverage& c : s.coverage) {
    out += fmt::format("cell {}|{}|{}|{}\n", c.account_id, c.region,
                       posture::CoverageStateName(c.state), c.detail);
  }
  for (const Error& e : s.problems)
    out += fmt::format("problem {}|{}\n", ErrorCodeName(e.code()), e.ToString());
  for (const std::string& w : s.warnings) out += fmt::format("warning {}\n", w);
  for (const Finding& f : s.findings) {
    const posture::Resource& r = f.resource;
    out += fmt::format("finding {}|{}|{}|{}|{}|{}\n", f.id, f.control_id, f.control_title,
                       controls::SeverityName(f.severity), posture::StatusName(f.status), f.reason);
    out +=
        fmt::format("  resource {}|{}|{}|{}|{}|{}|{}|{}|{}|{}\n", r.type, r.id, r.arn, r.account_id,
                    r.region, r.family, r.revision, r.name, r.status, r.location.ToString());
    for (const posture::Evidence& e : f.evidence) {
      out += fmt::format("  evidence {}|{}|{}\n", e.Describe(), e.path, e.location.ToString());
    }
    const posture::Context& c = f.context;
    out += fmt::format("  context {}|{}|{}|{}|{}|{}|{}|P{}|{}\n", fmt::join(c.tasks, ","),
                       fmt::join(c.services, ","), fmt::join(c.clusters, ","),
                       posture::ExposureName(c.exposure), fmt::join(c.exposure_reasons, ","),
                       c.environment, c.environment_source, static_cast<int>(c.priority),
                       c.priority_context);
    if (f.exception) {
      out += fmt::format("  exception {}|{}|{}|{}|{}\n", f.exception->id, f.exception->reason,
                         f.exception->owner, f.exception->expires, f.exception->ticket);
    }
  }
  return out;
}

ScanResult RichScan() {
  ScanResult scan = Scan({"eu-west-1"}, {});
  scan.info.inputs = {"examples/estate", "snapshot with spaces/ü.json"};
  scan.info.finished_at = "2026-11-28T10:00:07Z";
  scan.coverage.push_back(Coverage{kProd, "us-east-1", Coverage::State::kDenied,
                                   "AccessDeniedException on ecs:ListClusters"});
  scan.coverage.push_back(
      Coverage{"444455556666", "eu-west-1", Coverage::State::kFailed, "throttled"});
  scan.problems.emplace_back(ErrorCode::kParse, "unexpected token '}'",
                             SourceLocation{"estate/bad.json", 3, 7});
  scan.problems.emplace_back(ErrorCode::kIo, "cannot read", SourceLocation{});
  scan.warnings = {"exception \"old\" matched no failing finding"};

  Finding fail = Live("eu-west-1", "web", 11, Status::kFail);
  fail.reason = "host network mode with a root container";
  fail.evidence = {
      posture::Evidence{"containerSpecs", "web", {{"privileged", "true"}, {"user", "\"root\""}}},
      posture::Evidence{"containerSpecs",
                        "log-router",
                        {{"user", "\"0\""}},
                        SourceLocation{"estate/td.json", 12, 9}},
  };
  fail.context.tasks = {"arn:aws:ecs:eu-west-1:111122223333:task/prod-web/abc"};
  fail.context.services = {"web"};
  fail.context.clusters = {"prod-web"};
  fail.context.exposure = posture::Exposure::kInternet;
  fail.context.exposure_reasons = {"internet-facing ALB web-alb", "0.0.0.0/0 on 443"};
  fail.context.environment = "production";
  fail.context.environment_source = "tag env=prod on service web";
  fail.context.priority = posture::Priority::kP1;
  fail.context.priority_context = "internet-exposed production service";

  Finding not_evaluated = Live("eu-west-1", "api", 7, Status::kNotEvaluated);
  not_evaluated.reason = "revision could not be described: AccessDenied";
  Finding iac;
  iac.id = "iacid";
  iac.control_id = kControl;
  iac.status = Status::kFail;
  iac.resource.type = "ECSTaskDefinition";
  iac.resource.id = "infra/web.json#WebTask";
  iac.resource.location = SourceLocation{"infra/web.json", 4, 5};
  scan.findings = {fail, Live("eu-west-1", "db-migrate", 3, Status::kExcepted),
                   Live("eu-west-1", "web", 12, Status::kPass), not_evaluated, iac};
  return scan;
}

TEST_P(StoreTest, MigrationsAreIdempotent) {
  auto store = OpenStore(/*migrate=*/false);
  ASSERT_TRUE(store);
  auto before = store->SchemaVersion();
  ASSERT_TRUE(before.ok()) << before.error().ToString();
  EXPECT_EQ(*before, 0);
  auto first = store->Migrate();
  ASSERT_TRUE(first.ok()) << first.error().ToString();
  EXPECT_EQ(*first, 2);
  auto again = store->Migrate();
  ASSERT_TRUE(again.ok()) << again.error().ToString();
  EXPECT_EQ(*again, 0);
  EXPECT_EQ(*store->SchemaVersion(), 2);

  auto other = OpenStore(/*migrate=*/false);
  ASSERT_TRUE(other);
  auto third = other->Migrate();
  ASSERT_TRUE(third.ok()) << third.error().ToString();
  EXPECT_EQ(*third, 0);
}

TEST_P(StoreTest, ConcurrentMigrationsApplyOnce) {
  std::vector<std::unique_ptr<Store>> stores;
  for (int i = 0; i < 4; ++i) stores.push_back(OpenStore(/*migrate=*/false));
  std::vector<int> applied(stores.size(), -1);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < stores.size(); ++i) {
    threads.emplace_back([&, i] {
      auto r = stores[i]->Migrate();
      applied[i] = r.ok() ? *r : -100;
    });
  }
  for (auto& t : threads) t.join();
  std::sort(applied.begin(), applied.end());
  EXPECT_EQ(applied, (std::vector<int>{0, 0, 0, 2}));
}

TEST_P(StoreTest, UnmigratedOrNewerDatabaseIsAClearError) {
  auto store = OpenStore(/*migrate=*/false);
  ASSERT_TRUE(store);
  auto r = store->RecordScan(Scan({"eu-west-1"}, {}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kConfiguration);
  EXPECT_NE(r.error().message().find("run Migrate()"), std::string::npos) << r.error().message();

  ASSERT_TRUE(store->Migrate().ok());
  TheBackend().Execute(url_,
                       "INSERT INTO schema_migrations (version, name, applied_at) VALUES "
                       "(99, 'from the future', '2030-01-01T00:00:00Z')");
  auto newer = OpenStore(/*migrate=*/false);
  auto m = newer->Migrate();
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code(), ErrorCode::kConfiguration);
  EXPECT_NE(m.error().message().find("version 99, newer than this ecsguard"), std::string::npos)
      << m.error().message();
  auto list = newer->ListScans(10);
  ASSERT_FALSE(list.ok());
  EXPECT_EQ(list.error().code(), ErrorCode::kConfiguration);
}

TEST_P(StoreTest, ScanRoundTrip) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  ScanResult scan = RichScan();
  auto id = store->RecordScan(scan);
  ASSERT_TRUE(id.ok()) << id.error().ToString();
  EXPECT_GT(*id, 0);

  auto loaded = store->LoadScan(*id);
  ASSERT_TRUE(loaded.ok()) << loaded.error().ToString();
  EXPECT_EQ(Dump(loaded->scan), Dump(scan));
  EXPECT_EQ(loaded->scan.problems[0].location().line, 3u);
  const ScanSummary& s = loaded->summary;
  EXPECT_EQ(s.id, *id);
  EXPECT_EQ(s.kind, "aws");
  EXPECT_FALSE(s.complete);
  EXPECT_EQ(s.total, 5);
  EXPECT_EQ(s.failed, 2);
  EXPECT_EQ(s.excepted, 1);
  EXPECT_EQ(s.passed, 1);
  EXPECT_EQ(s.not_evaluated, 1);
  EXPECT_EQ(s.recorded_at.size(), 20u) << s.recorded_at;  // 2026-11-28T10:00:00Z
  // Every evaluated finding has a first/last seen; the NOT_EVALUATED one does not.
  EXPECT_EQ(loaded->seen.size(), 4u);
  EXPECT_EQ(loaded->seen.at(scan.findings[0].id).first_seen, "2026-11-28T10:00:00Z");
  EXPECT_EQ(loaded->seen.count(scan.findings[3].id), 0u);

  auto missing = store->LoadScan(*id + 1000);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), ErrorCode::kNotFound);
}

TEST_P(StoreTest, ListScansNewestFirst) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  auto empty = store->ListScans(10);
  ASSERT_TRUE(empty.ok()) << empty.error().ToString();
  EXPECT_TRUE(empty->empty());
  std::vector<ScanId> ids;
  for (int i = 0; i < 3; ++i) {
    ScanResult scan = Scan({"eu-west-1"}, {Live("eu-west-1", "web", 11, Status::kFail)},
                           fmt::format("2026-11-2{}T00:00:00Z", i));
    if (i == 2) scan.info.kind = "iac";
    auto id = store->RecordScan(scan);
    ASSERT_TRUE(id.ok()) << id.error().ToString();
    ids.push_back(*id);
  }
  EXPECT_LT(ids[0], ids[1]);
  EXPECT_LT(ids[1], ids[2]);
  auto list = store->ListScans(0);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[0].id, ids[2]);
  EXPECT_EQ((*list)[2].id, ids[0]);
  EXPECT_EQ((*list)[2].started_at, "2026-11-20T00:00:00Z");
  EXPECT_EQ((*list)[2].inputs, std::vector<std::string>{"111122223333/eu-west-1"});
  EXPECT_TRUE((*list)[2].complete);
  EXPECT_EQ((*list)[2].failed, 1);
  EXPECT_EQ(store->ListScans(2)->size(), 2u);

  auto latest = store->LatestScans(2, "aws");
  ASSERT_TRUE(latest.ok()) << latest.error().ToString();
  ASSERT_EQ(latest->size(), 2u);
  EXPECT_EQ((*latest)[0].summary.id, ids[1]);
  EXPECT_EQ((*latest)[1].summary.id, ids[0]);
  EXPECT_EQ((*latest)[0].scan.findings.size(), 1u);
  EXPECT_EQ(store->LatestScans(5)->size(), 3u);
}

TEST_P(StoreTest, FirstAndLastSeenAcrossThreeScans) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  Finding always = Live("eu-west-1", "web", 11, Status::kFail);
  Finding gap = Live("eu-west-1", "api", 7, Status::kFail);  // absent from the second scan
  Finding middle = Live("eu-west-1", "cache", 6, Status::kExcepted);
  Finding late = Live("eu-west-1", "worker", 8, Status::kPass);
  Finding unknown = late;  // not evaluated in the third scan: not "seen" there
  unknown.status = Status::kNotEvaluated;

  auto a = store->RecordScan(Scan({"eu-west-1"}, {always, gap}, "2026-11-01T00:00:00Z"));
  auto b = store->RecordScan(Scan({"eu-west-1"}, {always, middle, late}, "2026-11-02T00:00:00Z"));
  auto c = store->RecordScan(Scan({"eu-west-1"}, {always, gap, unknown}, "2026-11-03T00:00:00Z"));
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());

  auto seen = [&](const Finding& f) {
    auto s = store->Seen(f.id);
    EXPECT_TRUE(s.ok()) << s.error().ToString();
    EXPECT_TRUE(s.ok() && s->has_value()) << f.resource.family;
    return s.ok() && s->has_value() ? **s : FindingSeen{};
  };
  FindingSeen s = seen(always);
  EXPECT_EQ(s.first_scan, *a);
  EXPECT_EQ(s.first_seen, "2026-11-01T00:00:00Z");
  EXPECT_EQ(s.last_scan, *c);
  EXPECT_EQ(s.last_seen, "2026-11-03T00:00:00Z");
  s = seen(gap);
  EXPECT_EQ(s.first_scan, *a);
  EXPECT_EQ(s.last_scan, *c);
  s = seen(middle);
  EXPECT_EQ(s.first_scan, *b);
  EXPECT_EQ(s.last_scan, *b);
  s = seen(late);
  EXPECT_EQ(s.last_scan, *b) << "a NOT_EVALUATED record does not count as seen";
  auto never = store->Seen("no-such-finding");
  ASSERT_TRUE(never.ok());
  EXPECT_FALSE(never->has_value());

  auto third = store->LoadScan(*c);
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->seen.at(gap.id).first_seen, "2026-11-01T00:00:00Z");
}

TEST_P(StoreTest, RevisionCache) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  const std::string arn = "arn:aws:ecs:eu-west-1:111122223333:task-definition/web:11";
  auto missing = store->GetRevision(arn);
  ASSERT_TRUE(missing.ok()) << missing.error().ToString();
  EXPECT_FALSE(missing->has_value());

  const std::string body =
      R"({"taskDefinition":{"taskDefinitionArn":")" + arn +
      R"(","networkMode":"host","containerDefinitions":[{"name":"web","user":"root",)"
      R"("environment":[{"name":"DB_PASSWORD","value":"hunter2"},{"name":"MODE","value":"prod"}]}]}})";
  auto put = store->PutRevisions(
      {CachedRevision{arn, kProd, "eu-west-1", "2026-11-28T10:00:00Z", body},
       CachedRevision{"arn:aws:ecs:eu-west-1:111122223333:task-definition/api:7", kProd,
                      "eu-west-1", "2026-11-28T10:00:00Z", R"({"taskDefinition":{}})"}});
  ASSERT_TRUE(put.ok()) << put.error().ToString();

  auto got = store->GetRevision(arn);
  ASSERT_TRUE(got.ok() && got->has_value());
  const CachedRevision& r = **got;
  EXPECT_EQ(r.arn, arn);
  EXPECT_EQ(r.account_id, kProd);
  EXPECT_EQ(r.region, "eu-west-1");
  EXPECT_EQ(r.fetched_at, "2026-11-28T10:00:00Z");
  EXPECT_EQ(r.body.find("hunter2"), std::string::npos) << "environment values are never stored";
  EXPECT_NE(r.body.find(R"({"name":"DB_PASSWORD","value":"<redacted>"})"), std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find(R"("networkMode":"host")"), std::string::npos);

  // Put again replaces; a bad body stores nothing of its batch.
  ASSERT_TRUE(
      store->PutRevisions({CachedRevision{arn, kProd, "eu-west-1", "2026-11-29T00:00:00Z", body}})
          .ok());
  EXPECT_EQ((*store->GetRevision(arn))->fetched_at, "2026-11-29T00:00:00Z");
  const std::string other = "arn:aws:ecs:eu-west-1:111122223333:task-definition/other:1";
  auto bad = store->PutRevisions({CachedRevision{other, kProd, "eu-west-1", "t", "{}"},
                                  CachedRevision{arn, kProd, "eu-west-1", "t", "not json"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(bad.error().message().find(arn), std::string::npos);
  EXPECT_FALSE(store->GetRevision(other)->has_value());
  EXPECT_EQ((*store->GetRevision(arn))->fetched_at, "2026-11-29T00:00:00Z");
}

// A code ecsguard never writes is an error when read back, as in a JSON report
// (posture::FindingFromJson): an unknown severity no longer reads as medium, an unknown
// priority as P1/P4 (clamped), an unknown exposure as unknown.
TEST_P(StoreTest, UnknownCodesInTheHistoryAreErrors) {
  struct Case {
    std::string sql;
    std::string message;
  } cases[] = {
      {"UPDATE scan_findings SET severity = 'extreme'", "has an unknown severity \"extreme\""},
      {"UPDATE scan_findings SET status = 'BOGUS'", "has an unknown status \"BOGUS\""},
      {"UPDATE scan_findings SET detail = replace(detail, '\"priority\":\"P1\"', "
       "'\"priority\":\"P9\"')",
       "priority: invalid value \"P9\""},
      {"UPDATE scan_findings SET detail = replace(detail, '\"exposure\":\"unknown\"', "
       "'\"exposure\":\"far\"')",
       "exposure: invalid value \"far\""},
      // The layout rows had before the detail took the JSON report's form is still read, with
      // the same rule for codes ecsguard never writes.
      {"UPDATE scan_findings SET detail = '{\"evidence\":[],\"context\":{\"priority\":9}}'",
       "has an unknown priority 9"},
  };
  for (const Case& c : cases) {
    auto store = OpenStore();
    ASSERT_TRUE(store);
    Finding f = Live("eu-west-1", "web", 11, Status::kFail);
    f.context.priority = posture::Priority::kP1;
    auto id = store->RecordScan(Scan({"eu-west-1"}, {f}));
    ASSERT_TRUE(id.ok()) << id.error().ToString();
    ASSERT_TRUE(store->LoadScan(*id).ok());
    TheBackend().Execute(url_, c.sql);
    auto loaded = store->LoadScan(*id);
    ASSERT_FALSE(loaded.ok()) << c.sql;
    EXPECT_EQ(loaded.error().code(), ErrorCode::kIo);
    EXPECT_NE(loaded.error().message().find(c.message), std::string::npos)
        << loaded.error().message();
  }
}

// A history written before the detail column took the JSON report's form reads as it was
// written (it has no priorityContext).
TEST_P(StoreTest, ReadsTheDetailLayoutOfEarlierVersions) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  auto id = store->RecordScan(Scan({"eu-west-1"}, {Live("eu-west-1", "web", 11, Status::kFail)}));
  ASSERT_TRUE(id.ok()) << id.error().ToString();
  TheBackend().Execute(
      url_,
      "UPDATE scan_findings SET detail = '{\"evidence\":[{\"path\":\"containerSpecs\","
      "\"subject\":\"web\",\"fields\":[[\"privileged\",\"true\"]],\"file\":\"td.json\","
      "\"line\":3,\"column\":5}],\"context\":{\"tasks\":[\"t1\"],\"services\":[\"web\"],"
      "\"clusters\":[\"prod\"],\"exposure\":\"internet\",\"exposureReasons\":[\"alb\"],"
      "\"environment\":\"production\",\"environmentSource\":\"tag\",\"priority\":1}}'");
  auto loaded = store->LoadScan(*id);
  ASSERT_TRUE(loaded.ok()) << loaded.error().ToString();
  const Finding& f = loaded->scan.findings.at(0);
  ASSERT_EQ(f.evidence.size(), 1u);
  EXPECT_EQ(f.evidence[0].subject, "web");
  EXPECT_EQ(f.evidence[0].location.ToString(), "td.json:3:5");
  EXPECT_EQ(f.context.services, std::vector<std::string>{"web"});
  EXPECT_EQ(f.context.exposure, posture::Exposure::kInternet);
  EXPECT_EQ(f.context.priority, posture::Priority::kP1);
  EXPECT_EQ(f.context.environment, "production");
}

TEST_P(StoreTest, EnvironmentValuesInEvidenceAreNeverStored) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  Finding f = Live("eu-west-1", "web", 11, Status::kFail);
  f.evidence = {posture::Evidence{"containerSpecs.envEntries",
                                  "DB_PASSWORD",
                                  {{"key", "\"DB_PASSWORD\""}, {"value", "\"hunter2\""}}}};
  auto id = store->RecordScan(Scan({"eu-west-1"}, {f}));
  ASSERT_TRUE(id.ok()) << id.error().ToString();
  auto loaded = store->LoadScan(*id);
  ASSERT_TRUE(loaded.ok());
  const auto& fields = loaded->scan.findings[0].evidence[0].fields;
  ASSERT_EQ(fields.size(), 2u);
  EXPECT_EQ(fields[0].second, "\"DB_PASSWORD\"");
  EXPECT_EQ(fields[1].second, "\"<redacted>\"");
}

// Records `count` scans whose findings overlap with the other writer's; returns failures.
std::vector<std::string> WriteScans(Store& store, int writer, int count) {
  std::vector<std::string> failures;
  for (int i = 0; i < count; ++i) {
    ScanResult scan = Scan({"eu-west-1"},
                           {Live("eu-west-1", "shared", 1, Status::kFail),
                            Live("eu-west-1", fmt::format("writer{}", writer), i, Status::kFail),
                            Live("eu-west-1", "shared-pass", 1, Status::kPass)},
                           fmt::format("2026-11-28T10:{:02}:{:02}Z", writer, i));
    scan.info.inputs = {fmt::format("writer{}-scan{}", writer, i)};
    auto id = store.RecordScan(scan);
    if (!id.ok()) failures.push_back(id.error().ToString());
  }
  return failures;
}

void ExpectAllScansKept(Store& store, int writers, int per_writer) {
  auto list = store.ListScans(0);
  ASSERT_TRUE(list.ok()) << list.error().ToString();
  ASSERT_EQ(list->size(), static_cast<size_t>(writers * per_writer));
  std::set<std::string> inputs;
  std::set<ScanId> ids;
  ScanId lowest = list->back().id, highest = list->front().id;
  for (const ScanSummary& s : *list) {
    ids.insert(s.id);
    ASSERT_EQ(s.inputs.size(), 1u);
    inputs.insert(s.inputs[0]);
    EXPECT_EQ(s.total, 3);
    auto loaded = store.LoadScan(s.id);
    ASSERT_TRUE(loaded.ok()) << loaded.error().ToString();
    EXPECT_EQ(loaded->scan.findings.size(), 3u);
    EXPECT_EQ(loaded->seen.size(), 3u);
  }
  EXPECT_EQ(ids.size(), list->size());
  EXPECT_EQ(inputs.size(), list->size()) << "every scan of every writer is there once";
  auto shared = store.Seen(Live("eu-west-1", "shared", 1, Status::kFail).id);
  ASSERT_TRUE(shared.ok() && shared->has_value());
  EXPECT_EQ((*shared)->first_scan, lowest);
  EXPECT_EQ((*shared)->last_scan, highest);
}

TEST_P(StoreTest, TwoConcurrentWritersInThreadsLoseNothing) {
  constexpr int kScans = 20;
  auto first = OpenStore();
  auto second = OpenStore();
  ASSERT_TRUE(first && second);
  std::vector<std::string> failures[2];
  std::thread a([&] { failures[0] = WriteScans(*first, 0, kScans); });
  std::thread b([&] { failures[1] = WriteScans(*second, 1, kScans); });
  a.join();
  b.join();
  EXPECT_TRUE(failures[0].empty()) << failures[0].front();
  EXPECT_TRUE(failures[1].empty()) << failures[1].front();
  ExpectAllScansKept(*first, 2, kScans);
}

TEST_P(StoreTest, TwoConcurrentWriterProcessesLoseNothing) {
  constexpr int kScans = 20;
  OpenStore();  // migrated before the writers start, as a first `ecsguard scan` would
  std::vector<pid_t> children;
  for (int writer = 0; writer < 2; ++writer) {
    pid_t pid = fork();
    ASSERT_NE(pid, -1);
    if (pid == 0) {
      // The child opens its own connection and leaves without running any destructor that
      // could touch the parent's connections.
      auto store = Store::Open(url_);
      if (!store.ok()) _exit(10);
      if (!(*store)->Migrate().ok()) _exit(11);
      _exit(WriteScans(**store, writer, kScans).empty() ? 0 : 12);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0) << "a writer process failed (10 open, 11 migrate, 12 record)";
  }
  auto store = OpenStore();
  ExpectAllScansKept(*store, 2, kScans);
}

TEST_P(StoreTest, HistoryDiffComparesOnlyWhatBothScansCovered) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  ScanResult first = Scan({"eu-west-1", "us-east-1"},
                          {Live("eu-west-1", "web", 11, Status::kFail),
                           Live("eu-west-1", "metrics-agent", 4, Status::kFail),
                           Live("eu-west-1", "db-migrate", 3, Status::kFail),
                           Live("us-east-1", "edge-proxy", 20, Status::kFail),
                           Live("us-east-1", "log-shipper", 2, Status::kFail)},
                          "2026-11-27T00:00:00Z");
  // us-east-1 is not scanned the second time: its failures are not "resolved".
  ScanResult second = Scan({"eu-west-1"},
                           {Live("eu-west-1", "web", 11, Status::kFail),
                            Live("eu-west-1", "db-migrate", 3, Status::kExcepted),
                            Live("eu-west-1", "web", 12, Status::kFail)},
                           "2026-11-28T00:00:00Z");
  ASSERT_TRUE(store->RecordScan(first).ok());
  ASSERT_TRUE(store->RecordScan(second).ok());

  auto latest = store->LatestScans(2);
  ASSERT_TRUE(latest.ok()) << latest.error().ToString();
  ASSERT_EQ(latest->size(), 2u);
  posture::ScanDiff d = posture::Diff((*latest)[1].scan, (*latest)[0].scan);
  auto families = [](const std::vector<posture::DiffEntry>& entries) {
    std::vector<std::string> out;
    for (const auto& e : entries) {
      out.push_back(fmt::format("{}:{}", e.latest().resource.family, e.latest().resource.revision));
    }
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(families(d.still_failing), V({"web:11"}));
  EXPECT_EQ(families(d.new_failures), V({"web:12"}));
  EXPECT_EQ(families(d.resolved), V({"metrics-agent:4"}));
  EXPECT_EQ(families(d.newly_excepted), V({"db-migrate:3"}));
  EXPECT_EQ(families(d.not_comparable), V({"edge-proxy:20", "log-shipper:2"}));
  EXPECT_EQ(d.newly_excepted[0].after->exception->owner, "team@example.com");
}

// A run of 2 shards over one account and the regions eu-west-1 (index 0, shard 0) and
// us-east-1 (index 1, shard 1): the merged run, a missing shard, and a shard recorded again.
TEST_P(StoreTest, ShardsOfARunMergeAndARerunShardReplacesItsOwn) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  RunShard shard0{"run-1", 0, 2, {{kProd, {"eu-west-1", "us-east-1"}}}};
  RunShard shard1 = shard0;
  shard1.index = 1;
  Finding eu = Live("eu-west-1", "web", 11, Status::kFail);
  Finding us_first = Live("us-east-1", "api", 3, Status::kFail);
  Finding us_rerun = Live("us-east-1", "api", 4, Status::kPass);

  ASSERT_TRUE(store->RecordShard(Scan({"eu-west-1"}, {eu}), shard0).ok());
  auto partial = store->LoadRun("run-1");
  ASSERT_TRUE(partial.ok()) << partial.error().ToString();
  EXPECT_EQ(partial->count, 2);
  EXPECT_EQ(partial->missing, (std::vector<int>{1}));
  ASSERT_EQ(partial->scan.coverage.size(), 2u);
  EXPECT_EQ(partial->scan.coverage[1].region, "us-east-1");
  EXPECT_EQ(partial->scan.coverage[1].state, Coverage::State::kFailed);
  EXPECT_EQ(partial->scan.coverage[1].detail, "shard 1/2 of run run-1 not recorded");
  EXPECT_FALSE(partial->scan.complete());
  ASSERT_FALSE(partial->scan.warnings.empty());
  EXPECT_EQ(partial->scan.warnings[0],
            "run run-1: shard 1/2 not recorded; its cells are failed in the coverage, not "
            "evaluated");

  auto first = store->RecordShard(Scan({"us-east-1"}, {us_first}), shard1);
  ASSERT_TRUE(first.ok()) << first.error().ToString();
  auto rerun = store->RecordShard(Scan({"us-east-1"}, {us_rerun}), shard1);
  ASSERT_TRUE(rerun.ok()) << rerun.error().ToString();
  auto run = store->LoadRun("run-1");
  ASSERT_TRUE(run.ok()) << run.error().ToString();
  EXPECT_TRUE(run->missing.empty());
  EXPECT_EQ(run->shard_scans[1], *rerun);
  EXPECT_TRUE(run->scan.complete());
  std::vector<std::string> ids;
  for (const Finding& f : run->scan.findings) ids.push_back(f.id);
  std::vector<std::string> expected = {eu.id, us_rerun.id};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(ids, expected);
  ASSERT_EQ(run->scan.coverage.size(), 2u);
  EXPECT_EQ(run->scan.coverage[0].state, Coverage::State::kEvaluated);
  EXPECT_EQ(run->scan.coverage[1].state, Coverage::State::kEvaluated);

  auto unknown = store->LoadRun("run-2");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code(), ErrorCode::kNotFound);
  auto bad = store->RecordShard(Scan({"eu-west-1"}, {}), RunShard{"run-1", 2, 2, {}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace ecsguard::store::testing
