#include "posture/exceptions.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "support.h"

namespace ecsguard::posture {
namespace {

using namespace std::chrono_literals;
using std::chrono::sys_days;

constexpr char kControl[] = "aws-ecs-1-privileged-network-mode";

std::chrono::system_clock::time_point At(std::chrono::year_month_day day,
                                         std::chrono::seconds time_of_day = 0s) {
  return sys_days(day) + time_of_day;
}

Finding Live(std::string account, std::string region, std::string family, int64_t revision,
             Status status = Status::kFail) {
  Finding f;
  f.control_id = kControl;
  f.status = status;
  f.resource.type = "ECSTaskDefinition";
  f.resource.account_id = std::move(account);
  f.resource.region = std::move(region);
  f.resource.family = std::move(family);
  f.resource.revision = revision;
  f.resource.arn = fmt::format("arn:aws:ecs:{}:{}:task-definition/{}:{}", f.resource.region,
                               f.resource.account_id, f.resource.family, revision);
  f.resource.id = f.resource.arn;
  f.id = FindingId(kControl, f.resource);
  return f;
}

Finding Iac(std::string path, std::string logical_id) {
  Finding f;
  f.control_id = kControl;
  f.status = Status::kFail;
  f.resource.type = "ECSTaskDefinition";
  f.resource.id = path + "#" + logical_id;
  f.resource.location = SourceLocation{path, 3, 5};
  f.id = FindingId(kControl, f.resource);
  return f;
}

ExceptionSet ParseOrDie(const std::string& yaml) {
  auto set = ExceptionSet::Parse(yaml, "exceptions.yaml");
  EXPECT_TRUE(set.ok()) << set.error().ToString();
  return set.ok() ? std::move(set).value() : ExceptionSet();
}

// One exception with the given scope lines (each "key: value").
std::string One(const std::string& scope, const std::string& expires = "2026-11-28") {
  return fmt::format(R"(exceptions:
  - id: exc-1
    control: {}
    scope: {{{}}}
    reason: accepted risk
    owner: platform@example.com
    expires: {}
)",
                     kControl, scope, expires);
}

TEST(ExceptionsTest, ParsesEveryField) {
  ExceptionSet set = ParseOrDie(R"(version: 1
exceptions:
  - id: web-legacy
    control: aws-ecs-1-privileged-network-mode
    scope:
      arn: arn:aws:ecs:eu-west-1:111122223333:task-definition/web:11
      arnPattern: "arn:aws:ecs:eu-west-1:111122223333:task-definition/web:*"
      account: "111122223333"
      region: eu-west-1
      family: web
      path: infra/**/*.json
    reason: Needs host networking until the sidecar ships.
    owner: web-team@example.com
    expires: 2026-11-28
    ticket: SEC-1234
  - id: second
    control: c
    scope: {region: us-east-1}
    reason: r
    owner: o
    expires: "2027-01-31"
)");
  ASSERT_EQ(set.exceptions().size(), 2u);
  const Exception& e = set.exceptions()[0];
  EXPECT_EQ(e.id, "web-legacy");
  EXPECT_EQ(e.control, kControl);
  EXPECT_EQ(e.scope.arn, "arn:aws:ecs:eu-west-1:111122223333:task-definition/web:11");
  EXPECT_EQ(e.scope.arn_pattern, "arn:aws:ecs:eu-west-1:111122223333:task-definition/web:*");
  EXPECT_EQ(e.scope.account, "111122223333");
  EXPECT_EQ(e.scope.region, "eu-west-1");
  EXPECT_EQ(e.scope.family, "web");
  EXPECT_EQ(e.scope.path, "infra/**/*.json");
  EXPECT_EQ(e.reason, "Needs host networking until the sidecar ships.");
  EXPECT_EQ(e.owner, "web-team@example.com");
  EXPECT_EQ(e.ExpiresText(), "2026-11-28");
  EXPECT_EQ(e.ticket, "SEC-1234");
  EXPECT_EQ(e.location.line, 3u);
  EXPECT_EQ(e.location.column, 5u);
  EXPECT_EQ(set.exceptions()[1].ExpiresText(), "2027-01-31");
  EXPECT_TRUE(set.exceptions()[1].ticket.empty());
}

TEST(ExceptionsTest, EmptyListIsAnEmptySet) { EXPECT_TRUE(ParseOrDie("exceptions: []\n").empty()); }

TEST(ExceptionsTest, BrokenFilesAreErrorsAtLineAndColumn) {
  const std::string head = "exceptions:\n  - id: a\n    control: c\n";
  const std::string tail = "    reason: r\n    owner: o\n    expires: 2026-11-28\n";
  struct Case {
    std::string yaml;
    std::string message_part;
    uint32_t line;
    uint32_t column;
  };
  std::vector<Case> cases = {
      {head + "    scope: {family: web}\n" + tail + "    expiry: 2026-11-28\n",
       "unknown field \"expiry\"", 8, 5},
      {head + "    scope: {family: web}\n    reason: r\n    expires: 2026-11-28\n",
       "missing required field \"owner\"", 2, 5},
      {"exceptions:\n  - control: c\n    scope: {family: web}\n" + tail,
       "missing required field \"id\"", 2, 5},
      {head + "    reason: r\n    owner: o\n    expires: 2026-11-28\n",
       "missing required field \"scope\"", 2, 5},
      {head + "    scope: {family: web}\n    reason: r\n    owner: o\n",
       "missing required field \"expires\"", 2, 5},
      {"exceptions:\n  - id: a\n    scope: {family: web}\n" + tail,
       "missing required field \"control\"", 2, 5},
      {head + "    scope: {family: web}\n    reason: r\n    owner: o\n    expires: 2026-02-30\n",
       "\"expires\" must be a calendar date YYYY-MM-DD, not \"2026-02-30\"", 7, 14},
      {head + "    scope: {family: web}\n    reason: r\n    owner: o\n    expires: 28/11/2026\n",
       "must be a calendar date", 7, 14},
      {head + "    scope: {family: web}\n    reason: r\n    owner: o\n    expires: "
              "2026-11-28T10:00:00Z\n",
       "must be a calendar date", 7, 14},
      {head +
           "    scope: {family: web}\n    reason: \"  \"\n    owner: o\n    expires: 2026-11-28\n",
       "\"reason\" must not be empty", 5, 13},
      {head + "    scope: {family: web}\n    reason: r\n    owner: \"\"\n    expires: 2026-11-28\n",
       "\"owner\" must not be empty", 6, 12},
      {head + "    scope: {}\n" + tail, "\"scope\" needs at least one of", 4, 12},
      {head + "    scope: {famly: web}\n" + tail, "unknown field \"famly\"", 4, 13},
      {head + "    scope: web\n" + tail, "\"scope\" must be a mapping", 4, 12},
      {head + "    scope: {account: 1234}\n" + tail, "12-digit AWS account id", 4, 22},
      {head + "    scope: {arn: \"web:3\"}\n" + tail, "\"arn\" is not an ARN", 4, 18},
      {head + "    scope: {arnPattern: \"*web*\"}\n" + tail, "must start with \"arn:\"", 4, 25},
      {head + "    scope: {family: web}\n" + tail +
           "  - id: a\n    control: c\n"
           "    scope: {family: api}\n" +
           tail,
       "duplicate exception id \"a\" (first defined on line 2)", 8, 9},
      {head + "    scope: {family: web}\n    owner: x\n" + tail, "duplicate key \"owner\"", 7, 5},
      {"exceptions:\n  - id: [unclosed\n", "", 3, 1},
      {"- id: a\n", "must be a YAML mapping with an \"exceptions:\" list", 1, 1},
      {"exceptions: {id: a}\n", "\"exceptions\" must be a list", 1, 13},
      {"exceptions:\n  - just a string\n", "an exception must be a mapping", 2, 5},
      {"version: 2\nexceptions: []\n", "unsupported \"version\"", 1, 10},
      {"excepts: []\n", "unknown field \"excepts\"", 1, 1},
  };
  for (const Case& c : cases) {
    auto r = ExceptionSet::Parse(c.yaml, "exceptions.yaml");
    ASSERT_FALSE(r.ok()) << c.yaml;
    EXPECT_EQ(r.error().code(), ErrorCode::kConfiguration) << c.yaml;
    EXPECT_EQ(r.error().location().file, "exceptions.yaml");
    EXPECT_NE(r.error().message().find(c.message_part), std::string::npos)
        << r.error().message() << "\n"
        << c.yaml;
    EXPECT_EQ(r.error().location().line, c.line) << r.error().ToString() << "\n" << c.yaml;
    EXPECT_EQ(r.error().location().column, c.column) << r.error().ToString() << "\n" << c.yaml;
  }
}

TEST(ExceptionsTest, EmptyOrMissingFileIsAnErrorNeverAnEmptySet) {
  for (std::string text : {"", "\n", "# only a comment\n", "~\n"}) {
    auto r = ExceptionSet::Parse(text, "e.yaml");
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.error().code(), ErrorCode::kConfiguration);
    EXPECT_NE(r.error().message().find("empty"), std::string::npos) << r.error().message();
  }
  auto missing = ExceptionSet::Load("/nonexistent/exceptions.yaml");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(missing.error().location().file, "/nonexistent/exceptions.yaml");

  auto dir = ExceptionSet::Load(std::filesystem::temp_directory_path().string());
  ASSERT_FALSE(dir.ok());
  EXPECT_EQ(dir.error().code(), ErrorCode::kIo);
}

TEST(ExceptionsTest, LoadNamesTheFileInErrors) {
  std::string path =
      (std::filesystem::temp_directory_path() / fmt::format("ecsguard-exc-{}.yaml", ::getpid()))
          .string();
  {
    std::ofstream out(path);
    out << "exceptions:\n  - id: a\n";
  }
  auto r = ExceptionSet::Load(path);
  std::filesystem::remove(path);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().location().file, path);
  EXPECT_EQ(r.error().location().line, 2u);
}

TEST(ExceptionsTest, BundledExampleIsValid) {
  auto set = ExceptionSet::Load(testing::SourcePath("examples/exceptions.yaml"));
  ASSERT_TRUE(set.ok()) << set.error().ToString();
  EXPECT_GE(set->exceptions().size(), 3u);
}

TEST(ExceptionsTest, EachScopeFieldMatches) {
  const Finding web11 = Live("111122223333", "eu-west-1", "web", 11);
  const Finding web12 = Live("111122223333", "eu-west-1", "web", 12);
  const Finding api7 = Live("111122223333", "eu-west-1", "api", 7);
  const Finding edge = Live("111122223333", "us-east-1", "edge-proxy", 21);
  const Finding staging_web = Live("444455556666", "eu-west-1", "web", 4);
  const Finding iac = Iac("infra/ecs/web.json", "WebTask");
  const std::vector<const Finding*> all = {&web11, &web12, &api7, &edge, &staging_web, &iac};

  auto matching = [&](const ExceptionScope& scope) {
    std::vector<std::string> names;
    for (const Finding* f : all) {
      if (!scope.Matches(*f)) continue;
      names.push_back(f->resource.arn.empty()
                          ? f->resource.id
                          : f->resource.family + ":" + std::to_string(f->resource.revision) + "@" +
                                f->resource.account_id);
    }
    return names;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(matching({.arn = web11.resource.arn}), V({"web:11@111122223333"}));
  EXPECT_EQ(matching({.arn_pattern = "arn:aws:ecs:*:111122223333:task-definition/web:*"}),
            V({"web:11@111122223333", "web:12@111122223333"}));
  EXPECT_EQ(matching({.arn_pattern = "arn:aws:ecs:eu-west-1:*:task-definition/web:1?"}),
            V({"web:11@111122223333", "web:12@111122223333"}));
  EXPECT_EQ(matching({.account = "444455556666"}), V({"web:4@444455556666"}));
  EXPECT_EQ(matching({.region = "us-east-1"}), V({"edge-proxy:21@111122223333"}));
  EXPECT_EQ(matching({.family = "web"}),
            V({"web:11@111122223333", "web:12@111122223333", "web:4@444455556666"}));
  EXPECT_EQ(matching({.path = "infra/**/*.json"}), V({"infra/ecs/web.json#WebTask"}));
  EXPECT_EQ(matching({.path = "infra/*.json"}), V{});
  // Every given field must match.
  EXPECT_EQ(matching({.account = "111122223333", .family = "web"}),
            V({"web:11@111122223333", "web:12@111122223333"}));
  EXPECT_EQ(matching({.region = "us-east-1", .family = "web"}), V{});
  EXPECT_EQ(matching({.account = "111122223333", .path = "infra/**"}), V{});
}

TEST(ExceptionsTest, GlobSemantics) {
  EXPECT_TRUE(GlobMatch("arn:aws:ecs:*", "arn:aws:ecs:eu-west-1:1:task-definition/a:1"));
  EXPECT_TRUE(GlobMatch("*/web:*", "arn:aws:ecs:r:1:task-definition/web:12"));
  EXPECT_FALSE(GlobMatch("*/web:*", "arn:aws:ecs:r:1:task-definition/web-api:12"));
  EXPECT_TRUE(GlobMatch("a?c", "abc"));
  EXPECT_FALSE(GlobMatch("a?c", "ac"));
  EXPECT_TRUE(GlobMatch("**", ""));
  EXPECT_FALSE(GlobMatch("abc", "abcd"));
  EXPECT_TRUE(GlobMatch("a*b*c", "aXbYbZc"));

  EXPECT_TRUE(PathGlobMatch("infra/*.tf", "infra/main.tf"));
  EXPECT_TRUE(PathGlobMatch("infra/*.tf", "./infra/main.tf"));
  EXPECT_TRUE(PathGlobMatch("infra/*.tf", "/repo/infra/main.tf"));  // relative: any depth
  EXPECT_FALSE(PathGlobMatch("/infra/*.tf", "/repo/infra/main.tf"));
  EXPECT_FALSE(PathGlobMatch("infra/*.tf", "infra/modules/main.tf"));
  EXPECT_TRUE(PathGlobMatch("infra/**/*.tf", "infra/main.tf"));
  EXPECT_TRUE(PathGlobMatch("infra/**/*.tf", "infra/a/b/main.tf"));
  EXPECT_TRUE(PathGlobMatch("infra/**", "infra/a/b/main.tf"));
  EXPECT_FALSE(PathGlobMatch("infra/?.tf", "infra/ab.tf"));
  EXPECT_TRUE(PathGlobMatch("web.json", "cfn/web.json"));
  EXPECT_FALSE(PathGlobMatch("web.json", "cfn/web.json.bak"));
}

TEST(ExceptionsTest, ExpiryIsInclusiveOfTheWholeDayInUtc) {
  using namespace std::chrono;
  ExceptionSet set = ParseOrDie(One("family: web", "2026-11-28"));
  const auto last_second = At(2026y / November / 28, 23h + 59min + 59s);
  const auto next_day = At(2026y / November / 29);

  FixedClock clock(last_second);
  std::vector<Finding> findings = {Live("111122223333", "eu-west-1", "web", 11)};
  ExceptionReport report = set.Apply(&findings, clock);
  EXPECT_EQ(findings[0].status, Status::kExcepted);
  ASSERT_TRUE(findings[0].exception);
  EXPECT_EQ(findings[0].exception->id, "exc-1");
  EXPECT_EQ(findings[0].exception->owner, "platform@example.com");
  EXPECT_EQ(findings[0].exception->reason, "accepted risk");
  EXPECT_EQ(findings[0].exception->expires, "2026-11-28");
  EXPECT_TRUE(report.expired.empty());
  ASSERT_EQ(report.outcomes.size(), 1u);
  EXPECT_EQ(report.outcomes[0].days_left, 0);
  EXPECT_EQ(report.outcomes[0].matched, 1u);

  clock.Set(next_day);
  findings = {Live("111122223333", "eu-west-1", "web", 11)};
  report = set.Apply(&findings, clock);
  EXPECT_EQ(findings[0].status, Status::kFail);
  EXPECT_FALSE(findings[0].exception);
  EXPECT_EQ(report.expired, std::vector<std::string>{"exc-1"});
  EXPECT_TRUE(report.unmatched.empty()) << "an expired exception is reported as expired only";
  EXPECT_EQ(report.outcomes[0].state, ExceptionState::kExpired);
  EXPECT_EQ(report.outcomes[0].days_left, -1);
  EXPECT_EQ(report.outcomes[0].matched, 1u);
  std::vector<std::string> warnings = report.Warnings();
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0],
            "exception \"exc-1\" (exceptions.yaml:2:5) expired on 2026-11-28 and no longer "
            "applies: 1 finding it matches is reported as FAIL; owner platform@example.com");
}

TEST(ExceptionsTest, OnlyFailFindingsOfTheSameControlBecomeExcepted) {
  ExceptionSet set = ParseOrDie(One("family: web"));
  FixedClock clock(At(std::chrono::year(2026) / 1 / 1));
  std::vector<Finding> findings = {
      Live("111122223333", "eu-west-1", "web", 11, Status::kPass),
      Live("111122223333", "eu-west-1", "web", 12, Status::kNotEvaluated),
      Live("111122223333", "eu-west-1", "web", 13, Status::kFail),
      Live("111122223333", "eu-west-1", "api", 7, Status::kFail),
  };
  Finding other_control = Live("111122223333", "eu-west-1", "web", 14);
  other_control.control_id = "another-control";
  findings.push_back(other_control);

  ExceptionReport report = set.Apply(&findings, clock);
  EXPECT_EQ(findings[0].status, Status::kPass);
  EXPECT_EQ(findings[1].status, Status::kNotEvaluated);
  EXPECT_EQ(findings[2].status, Status::kExcepted);
  EXPECT_EQ(findings[3].status, Status::kFail);
  EXPECT_EQ(findings[4].status, Status::kFail);
  EXPECT_FALSE(findings[0].exception);
  EXPECT_FALSE(findings[1].exception);
  EXPECT_EQ(report.outcomes[0].matched, 1u);
  EXPECT_TRUE(report.unmatched.empty());
}

TEST(ExceptionsTest, UnmatchedExceptionIsAWarning) {
  ExceptionSet set = ParseOrDie(One("family: retired-service"));
  FixedClock clock(At(std::chrono::year(2026) / 1 / 1));
  std::vector<Finding> findings = {
      Live("111122223333", "eu-west-1", "web", 11),
      Live("111122223333", "eu-west-1", "retired-service", 1, Status::kPass)};
  ExceptionReport report = set.Apply(&findings, clock);
  EXPECT_EQ(report.unmatched, std::vector<std::string>{"exc-1"});
  EXPECT_EQ(report.Warnings(),
            std::vector<std::string>{
                "exception \"exc-1\" (exceptions.yaml:2:5) matched no failing finding"});
  EXPECT_EQ(findings[0].status, Status::kFail);
}

TEST(ExceptionsTest, FirstMatchingExceptionWinsAndBothCountAsMatched) {
  ExceptionSet set = ParseOrDie(fmt::format(R"(exceptions:
  - id: narrow
    control: {0}
    scope: {{arn: "arn:aws:ecs:eu-west-1:111122223333:task-definition/web:11"}}
    reason: first
    owner: a
    expires: 2027-01-01
  - id: broad
    control: {0}
    scope: {{family: web}}
    reason: second
    owner: b
    expires: 2027-06-01
)",
                                            kControl));
  FixedClock clock(At(std::chrono::year(2026) / 1 / 1));
  std::vector<Finding> findings = {Live("111122223333", "eu-west-1", "web", 11),
                                   Live("111122223333", "eu-west-1", "web", 12)};
  ExceptionReport report = set.Apply(&findings, clock);
  EXPECT_EQ(findings[0].exception->id, "narrow");
  EXPECT_EQ(findings[1].exception->id, "broad");
  EXPECT_EQ(report.outcomes[0].matched, 1u);
  EXPECT_EQ(report.outcomes[1].matched, 2u);
  EXPECT_TRUE(report.unmatched.empty());
}

TEST(ExceptionsTest, ExpiringWithinFourteenDays) {
  using namespace std::chrono;
  ExceptionSet set = ParseOrDie(fmt::format(R"(exceptions:
  - {{id: gone, control: {0}, scope: {{family: a}}, reason: r, owner: o, expires: 2026-11-27}}
  - {{id: today, control: {0}, scope: {{family: b}}, reason: r, owner: o, expires: 2026-11-28}}
  - {{id: edge, control: {0}, scope: {{family: c}}, reason: r, owner: o, expires: 2026-12-12}}
  - {{id: later, control: {0}, scope: {{family: d}}, reason: r, owner: o, expires: 2026-12-13}}
)",
                                            kControl));
  FixedClock clock(At(2026y / November / 28, 12h));
  auto ids = [](const std::vector<const Exception*>& list) {
    std::vector<std::string> out;
    for (const Exception* e : list) out.push_back(e->id);
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(ids(set.ExpiringWithin(14, clock, false)), V({"today", "edge"}));
  EXPECT_EQ(ids(set.ExpiringWithin(14, clock, true)), V({"gone", "today", "edge"}));
  EXPECT_EQ(ids(set.ExpiringWithin(0, clock, false)), V({"today"}));

  std::vector<Finding> findings = {Live("1", "r", "a", 1), Live("1", "r", "b", 1),
                                   Live("1", "r", "c", 1), Live("1", "r", "d", 1)};
  ExceptionReport report = set.Apply(&findings, clock);
  EXPECT_EQ(report.expired, V({"gone"}));
  EXPECT_EQ(report.expiring, V({"today", "edge"}));
  EXPECT_TRUE(report.unmatched.empty());
  EXPECT_EQ(report.outcomes[3].state, ExceptionState::kActive);
  EXPECT_EQ(report.outcomes[2].days_left, 14);
  V warnings = report.Warnings();
  ASSERT_EQ(warnings.size(), 3u);
  EXPECT_NE(warnings[1].find("expires on 2026-11-28 (today is its last day)"), std::string::npos)
      << warnings[1];
  EXPECT_NE(warnings[2].find("expires on 2026-12-12 (in 14 days); owner o"), std::string::npos)
      << warnings[2];
  EXPECT_EQ(findings[0].status, Status::kFail);
  EXPECT_EQ(findings[1].status, Status::kExcepted);
}

TEST(ExceptionsTest, ResolveControlsAcceptsAliasesAndRejectsUnknownIds) {
  controls::Control c;
  c.id = kControl;
  c.aliases = {"ECS.1"};
  controls::Catalog catalog = controls::Catalog::FromControls({c});

  ExceptionSet alias = ParseOrDie(R"(exceptions:
  - {id: a, control: ECS.1, scope: {family: web}, reason: r, owner: o, expires: 2027-01-01}
)");
  ASSERT_TRUE(alias.ResolveControls(catalog).ok());
  EXPECT_EQ(alias.exceptions()[0].control, kControl);

  ExceptionSet unknown = ParseOrDie(R"(exceptions:
  - {id: a, control: ECS.1, scope: {family: web}, reason: r, owner: o, expires: 2027-01-01}
  - {id: b, control: nope, scope: {family: web}, reason: r, owner: o, expires: 2027-01-01}
)");
  auto r = unknown.ResolveControls(catalog);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kConfiguration);
  EXPECT_NE(r.error().message().find("unknown control \"nope\""), std::string::npos);
  EXPECT_EQ(r.error().location().line, 3u);
}

}  // namespace
}  // namespace ecsguard::posture

namespace ecsguard::posture {
namespace {

TEST(BroadExceptionsTest, ScopesNarrowerThanAnAccount) {
  auto narrow = [](ExceptionScope s) { return s.NarrowerThanAccount(); };
  EXPECT_TRUE(narrow({.arn = "arn:aws:ecs:eu-west-1:111122223333:task-definition/web:1"}));
  EXPECT_TRUE(narrow({.family = "web"}));
  EXPECT_TRUE(narrow({.arn_pattern = "arn:aws:ecs:*:111122223333:task-definition/web:*"}));
  EXPECT_TRUE(narrow({.path = "infra/*.tf"}));
  EXPECT_TRUE(narrow({.path = "**/agent.tf"}));
  EXPECT_FALSE(narrow({.arn_pattern = "arn:*"}));
  EXPECT_FALSE(narrow({.arn_pattern = "arn:aws:ecs:*:*:task-definition/*"}));
  EXPECT_FALSE(narrow({.arn_pattern = "arn:aws:ecs:eu-west-1:111122223333:*"}));
  EXPECT_FALSE(narrow({.path = "**"}));
  EXPECT_FALSE(narrow({.path = "**/*.tf"}));
  EXPECT_FALSE(narrow({.account = "111122223333"}));
  EXPECT_FALSE(narrow({.account = "111122223333", .region = "eu-west-1"}));
}

// The reproducer: arnPattern "arn:*" expiring in 2099 muted every finding, silently.
TEST(BroadExceptionsTest, AWildcardExceptionIsNotAppliedUnlessMarkedBroad) {
  FixedClock clock(At(std::chrono::year(2026) / 12 / 1));
  std::vector<Finding> findings = {Live("111122223333", "eu-west-1", "web", 11),
                                   Live("444455556666", "us-east-1", "api", 3),
                                   Iac("infra/td.json", "Agent")};
  for (const char* scope : {"arnPattern: \"arn:*\"", "path: \"**\"", "account: \"111122223333\""}) {
    std::vector<Finding> copy = findings;
    ExceptionReport report = ParseOrDie(One(scope, "2099-01-01")).Apply(&copy, clock);
    for (const Finding& f : copy) EXPECT_EQ(f.status, Status::kFail) << scope;
    EXPECT_EQ(report.refused, std::vector<std::string>{"exc-1"}) << scope;
    ASSERT_EQ(report.Warnings().size(), 1u);
    EXPECT_NE(report.Warnings()[0].find("was not applied: its scope"), std::string::npos)
        << report.Warnings()[0];
    EXPECT_NE(report.Warnings()[0].find("broad: true"), std::string::npos);
  }
  std::string marked = One("arnPattern: \"arn:*\"", "2099-01-01") + "    broad: true\n";
  ExceptionSet set = ParseOrDie(marked);
  ASSERT_EQ(set.exceptions().size(), 1u);
  EXPECT_TRUE(set.exceptions()[0].broad);
  ExceptionReport report = set.Apply(&findings, clock);
  EXPECT_EQ(findings[0].status, Status::kExcepted);
  EXPECT_EQ(findings[1].status, Status::kExcepted);
  EXPECT_EQ(findings[2].status, Status::kFail);  // IaC findings have no ARN
  EXPECT_EQ(report.broad, std::vector<std::string>{"exc-1"});
  EXPECT_EQ(report.Warnings(),
            std::vector<std::string>{"exception \"exc-1\" (exceptions.yaml:2:5) is marked broad "
                                     "and excepts 2 findings (owner platform@example.com)"});
}

TEST(BroadExceptionsTest, MatchingMoreThanTheLimitNeedsBroadToo) {
  FixedClock clock(At(std::chrono::year(2026) / 12 / 1));
  std::vector<Finding> findings;
  for (int i = 1; i <= static_cast<int>(kBroadMatchLimit) + 1; ++i) {
    findings.push_back(Live("111122223333", "eu-west-1", "web", i));
  }
  ExceptionReport report = ParseOrDie(One("family: web", "2099-01-01")).Apply(&findings, clock);
  for (const Finding& f : findings) EXPECT_EQ(f.status, Status::kFail);
  EXPECT_EQ(report.refused, std::vector<std::string>{"exc-1"});
  EXPECT_NE(report.Warnings()[0].find("it matches 26 failing findings, more than 25"),
            std::string::npos)
      << report.Warnings()[0];
  findings.pop_back();
  report = ParseOrDie(One("family: web", "2099-01-01")).Apply(&findings, clock);
  for (const Finding& f : findings) EXPECT_EQ(f.status, Status::kExcepted);
  EXPECT_TRUE(report.refused.empty());
}

TEST(BroadExceptionsTest, BroadMustBeABoolean) {
  auto r = ExceptionSet::Parse(One("family: web") + "    broad: yes\n", "exceptions.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kConfiguration);
  EXPECT_NE(r.error().message().find("\"broad\" must be true or false"), std::string::npos);
}

}  // namespace
}  // namespace ecsguard::posture
