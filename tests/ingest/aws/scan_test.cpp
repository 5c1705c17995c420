// ScanAccounts against FakeAws (the organization's accounts and tags, AssumeRole with an external
// id, enabled regions, denied accounts and regions), the accounts file, and AWSAccount nodes.

#include "ingest/aws/scan.h"

#include <gtest/gtest.h>

#include "fake_aws.h"

namespace ecsguard::ingest::aws {
namespace {

using nlohmann::json;
using testing::FakeAws;
using testing::FakeCall;
using testing::Json;
using testing::JsonError;
using testing::QueryError;
using testing::Xml;

const std::chrono::system_clock::time_point kT0 =
    std::chrono::sys_days{std::chrono::year{2026} / 3 / 1};

HttpResponse CallerIdentity(const std::string& account) {
  return Xml(
      fmt::format("<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::"
                  "{0}:user/scanner</Arn><UserId>AIDA</UserId><Account>{0}</Account>"
                  "</GetCallerIdentityResult></GetCallerIdentityResponse>",
                  account));
}

HttpResponse Regions() {
  return Xml(
      "<DescribeRegionsResponse><regionInfo>"
      "<item><regionName>us-east-1</regionName><optInStatus>opt-in-not-required</optInStatus>"
      "</item><item><regionName>eu-west-1</regionName><optInStatus>opted-in</optInStatus></item>"
      "<item><regionName>ap-east-1</regionName><optInStatus>not-opted-in</optInStatus></item>"
      "<item><regionName>cn-north-1</regionName><optInStatus>opt-in-not-required</optInStatus>"
      "</item></regionInfo></DescribeRegionsResponse>");
}

// Keys of any role, without an expiration.
HttpResponse AssumedRole() {
  return Xml(
      "<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>ASIAOTHER</AccessKeyId>"
      "<SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken></Credentials>"
      "</AssumeRoleResult></AssumeRoleResponse>");
}

class ScanTest : public ::testing::Test {
 protected:
  ScanTest() : clock_(kT0) {
    session_ = testing::FakeAwsSession(&aws_, &clock_);
    aws_.On("sts", "GetCallerIdentity",
            [](const FakeCall&) { return CallerIdentity("111111111111"); });
    aws_.On("ec2", "DescribeRegions", [](const FakeCall&) { return Regions(); });
    aws_.On("ecs", "ListClusters", [](const FakeCall&) {
      return Json({{"clusterArns", json::array()}});
    });
  }

  FakeAws aws_;
  FixedClock clock_;
  std::unique_ptr<Session> session_;
};

TEST_F(ScanTest, TheCallersAccountInTheGivenRegions) {
  ScanPlan plan;
  plan.regions = {"eu-west-1", "us-east-1"};
  std::vector<ScanProgress> seen;
  std::mutex mu;
  Result<ScanOutcome> out = ScanAccounts(*session_, plan, [&](const ScanProgress& p) {
    std::lock_guard lock(mu);
    seen.push_back(p);
  });
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  EXPECT_EQ(out->caller_account, "111111111111");
  ASSERT_EQ(out->accounts.size(), 1u);
  ASSERT_EQ(out->cells.size(), 2u);
  EXPECT_EQ(out->cells[0].region, "eu-west-1");
  EXPECT_EQ(out->cells[1].region, "us-east-1");
  EXPECT_EQ(out->cells[1].state, CellState::kEvaluated);
  EXPECT_EQ(aws_.Count("sts", "AssumeRole"), 0u);
  EXPECT_EQ(aws_.Count("ec2", "DescribeRegions"), 0u);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen.back().cells_done, 2u);
  EXPECT_EQ(seen.back().cells_total, 2u);
  EXPECT_EQ(seen.back().api_calls, 3u);  // GetCallerIdentity and two ListClusters
}

// A region named explicitly that the account has not enabled answers as AWS does (the token is
// not valid there): it is skipped and listed as with "all", while a region that denies the
// scanner stays a denied cell. DescribeRegions is asked only because a cell failed.
TEST_F(ScanTest, AnExplicitRegionTheAccountHasNotEnabledIsSkipped) {
  aws_.On("ecs", "ListClusters", [](const FakeCall& c) {
    if (c.region == "ap-east-1") {
      return JsonError(400, "UnrecognizedClientException",
                       "The security token included in the request is invalid");
    }
    if (c.region == "eu-west-1") return JsonError(400, "AccessDeniedException", "denied by an SCP");
    return Json({{"clusterArns", json::array()}});
  });
  Result<ScanOutcome> out =
      ScanAccounts(*session_, ScanPlan{.regions = {"ap-east-1", "eu-west-1", "us-east-1"}});
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  ASSERT_EQ(out->cells.size(), 2u);
  EXPECT_EQ(out->cells[0].region, "eu-west-1");
  EXPECT_EQ(out->cells[0].state, CellState::kDenied);
  EXPECT_EQ(out->cells[1].region, "us-east-1");
  EXPECT_EQ(out->cells[1].state, CellState::kEvaluated);
  EXPECT_EQ(out->skipped_regions,
            (std::vector<std::pair<std::string, std::string>>{{"111111111111", "ap-east-1"}}));
  EXPECT_EQ(out->warnings,
            (std::vector<std::string>{
                "regions not enabled (opt-in), skipped: ap-east-1 in 111111111111"}));
  EXPECT_EQ(aws_.Count("ec2", "DescribeRegions"), 1u);
}

TEST_F(ScanTest, TheOrganizationWithRolesTagsAndEnabledRegions) {
  aws_.On("organizations", "ListAccounts", [](const FakeCall& c) {
    if (!c.json.contains("NextToken")) {
      return Json({{"Accounts",
                    {{{"Id", "111111111111"}, {"Name", "management"}, {"Status", "ACTIVE"}},
                     {{"Id", "444444444444"}, {"Name", "locked"}, {"Status", "ACTIVE"}}}},
                   {"NextToken", "p2"}});
    }
    return Json({{"Accounts",
                  {{{"Id", "222222222222"}, {"Name", "staging"}, {"State", "ACTIVE"}},
                   {{"Id", "333333333333"},
                    {"Name", "gone"},
                    {"State", "SUSPENDED"},
                    {"Status", "ACTIVE"}}}}});
  });
  aws_.On("organizations", "ListTagsForResource", [](const FakeCall& c) {
    std::string id = c.json["ResourceId"];
    return Json(
        {{"Tags",
          {{{"Key", "environment"}, {"Value", id == "111111111111" ? "production" : "staging"}}}}});
  });
  aws_.On("sts", "AssumeRole", [](const FakeCall& c) {
    if (c.form.at("RoleArn") == "arn:aws:iam::444444444444:role/Scanner") {
      return QueryError(403, "AccessDenied", "not authorized to perform sts:AssumeRole");
    }
    EXPECT_EQ(c.form.at("RoleArn"), "arn:aws:iam::222222222222:role/Scanner");
    EXPECT_EQ(c.form.at("ExternalId"), "xyz");
    return Xml(
        "<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>ASIASTAGING"
        "</AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken>"
        "<Expiration>2026-03-01T01:00:00Z</Expiration></Credentials></AssumeRoleResult>"
        "</AssumeRoleResponse>");
  });
  aws_.On("ecs", "ListClusters", [](const FakeCall& c) {
    if (c.access_key == "ASIASTAGING" && c.region == "eu-west-1") {
      return JsonError(400, "AccessDeniedException", "denied by an SCP");
    }
    if (c.access_key == "AKIDFAKE" && c.region == "us-east-1") {
      return Json({{"clusterArns", {"arn:aws:ecs:us-east-1:111111111111:cluster/prod"}}});
    }
    return Json({{"clusterArns", json::array()}});
  });
  aws_.On("ecs", "DescribeClusters", [](const FakeCall&) {
    return Json({{"clusters", json::array()}, {"failures", json::array()}});
  });
  aws_.On("ecs", "ListTasks", [](const FakeCall&) { return Json({{"taskArns", json::array()}}); });

  ScanPlan plan;
  plan.regions = {"all"};
  plan.organization = true;
  plan.role = "Scanner";
  plan.external_id = "xyz";
  Result<ScanOutcome> out = ScanAccounts(*session_, plan);
  ASSERT_TRUE(out.ok()) << out.error().ToString();

  ASSERT_EQ(out->accounts.size(), 3u);  // the SUSPENDED one is left out
  EXPECT_EQ(out->accounts[0].id, "111111111111");
  EXPECT_EQ(out->accounts[0].name, "management");
  EXPECT_EQ(out->accounts[0].tags,
            (std::vector<std::pair<std::string, std::string>>{{"environment", "production"}}));
  EXPECT_EQ(out->accounts[1].id, "222222222222");
  EXPECT_EQ(out->accounts[2].id, "444444444444");
  // Tags are read only for accounts with something in them: 111111111111's cluster.
  EXPECT_EQ(aws_.Count("organizations", "ListTagsForResource"), 1u);
  EXPECT_TRUE(out->accounts[1].tags.empty());

  // The caller's account with its own credentials, the others through the role.
  EXPECT_EQ(aws_.Count("sts", "AssumeRole"), 2u);
  for (const FakeCall& c : aws_.Calls("ecs", "ListClusters")) {
    EXPECT_TRUE(c.access_key == "AKIDFAKE" || c.access_key == "ASIASTAGING") << c.access_key;
  }
  // Enabled regions of this partition only, per account entered.
  EXPECT_EQ(aws_.Count("ec2", "DescribeRegions"), 2u);
  ASSERT_EQ(out->cells.size(), 5u);
  auto cell = [&](size_t i) {
    return fmt::format("{} {} {}", out->cells[i].account_id, out->cells[i].region,
                       static_cast<int>(out->cells[i].state));
  };
  EXPECT_EQ(cell(0), "111111111111 eu-west-1 0");
  EXPECT_EQ(cell(1), "111111111111 us-east-1 0");
  EXPECT_EQ(cell(2), "222222222222 eu-west-1 1");  // denied
  EXPECT_EQ(cell(3), "222222222222 us-east-1 0");
  EXPECT_EQ(cell(4), "444444444444 all 1");  // its regions are unknown
  EXPECT_NE(out->cells[4].detail.find("role arn:aws:iam::444444444444:role/Scanner could not be "
                                      "assumed"),
            std::string::npos)
      << out->cells[4].detail;
  ASSERT_EQ(out->gaps.size(), 1u);
  EXPECT_EQ(out->gaps[0].asset_type, "Account");
  EXPECT_EQ(out->gaps[0].id, "444444444444");
  EXPECT_EQ(out->cells[2].gaps.size(), 1u);

  // Skipped, not failed, and listed: the SUSPENDED account, and the region each entered
  // account has not opted in to.
  EXPECT_EQ(out->skipped_accounts,
            (std::vector<std::pair<std::string, std::string>>{{"333333333333", "SUSPENDED"}}));
  EXPECT_EQ(out->skipped_regions,
            (std::vector<std::pair<std::string, std::string>>{{"111111111111", "ap-east-1"},
                                                              {"222222222222", "ap-east-1"}}));
  EXPECT_EQ(out->warnings,
            (std::vector<std::string>{"1 account not ACTIVE, skipped: 333333333333 (SUSPENDED)",
                                      "regions not enabled (opt-in), skipped: ap-east-1 in "
                                      "111111111111, 222222222222"}));
}

// Shard 1 of 2 takes the cells whose account index plus region index is odd, and enters no
// account without such a cell.
TEST_F(ScanTest, AShardScansOnlyItsCells) {
  aws_.On("sts", "AssumeRole", [](const FakeCall&) { return AssumedRole(); });
  ScanPlan plan;
  plan.regions = {"us-east-1", "eu-west-1"};  // sorted: eu-west-1 (0), us-east-1 (1)
  for (std::string id : {"111111111111", "222222222222", "333333333333"}) {
    plan.accounts.push_back(AccountSpec{id, "", {}, "", "", {}});
  }
  plan.accounts[2].regions = {"eu-west-1"};  // its only cell is (2, 0): shard 0
  plan.shard = ShardSpec{1, 2};
  Result<ScanOutcome> out = ScanAccounts(*session_, plan);
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  std::vector<std::string> cells;
  for (const RegionResult& c : out->cells) cells.push_back(c.account_id + " " + c.region);
  EXPECT_EQ(cells, (std::vector<std::string>{"111111111111 us-east-1", "222222222222 eu-west-1"}));
  EXPECT_EQ(aws_.Count("sts", "AssumeRole"), 1u);  // 222222222222 only
  EXPECT_EQ(out->accounts.size(), 3u);
}

// Requests are held to the limits of the account their credentials belong to: the caller's
// own for its credentials, the role's account for an assumed role.
TEST_F(ScanTest, EachAccountDrawsOnItsOwnRequestLimits) {
  aws_.On("sts", "AssumeRole", [](const FakeCall&) { return AssumedRole(); });
  ScanPlan plan;
  plan.regions = {"eu-west-1"};
  for (std::string id : {"111111111111", "222222222222"}) {
    plan.accounts.push_back(AccountSpec{id, "", {}, "", "", {}});
  }
  ASSERT_TRUE(ScanAccounts(*session_, plan).ok());
  // The clock stands still, so each bucket's next free slot says how many requests it granted:
  // one ListClusters per account (10/s: the next slot 100 ms on).
  auto next = [&](const std::string& account) {
    return session_->limiter().Reserve({account, "eu-west-1", "ecs:cluster-read"}, kT0);
  };
  EXPECT_EQ(next("111111111111"), std::chrono::milliseconds(100));
  EXPECT_EQ(next("222222222222"), std::chrono::milliseconds(100));
  EXPECT_EQ(next("333333333333"), std::chrono::milliseconds(0));
}

TEST_F(ScanTest, AccountsFromAFileKeepTheirOwnRegionsAndRoles) {
  aws_.On("sts", "AssumeRole", [](const FakeCall& c) {
    EXPECT_EQ(c.form.at("RoleArn"), "arn:aws:iam::222222222222:role/custom/Reader");
    EXPECT_FALSE(c.form.contains("ExternalId"));
    return Xml(
        "<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>ASIAFILE</AccessKeyId>"
        "<SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken></Credentials>"
        "</AssumeRoleResult></AssumeRoleResponse>");
  });
  Result<std::vector<AccountSpec>> accounts = ParseAccountsFile(R"(
accounts:
  - id: "111111111111"
    name: management
  - id: 222222222222
    regions: eu-west-1
    role: arn:aws:iam::222222222222:role/custom/Reader
    tags: {environment: staging}
)",
                                                                "accounts.yaml");
  ASSERT_TRUE(accounts.ok()) << accounts.error().ToString();
  ScanPlan plan;
  plan.regions = {"us-east-1"};
  plan.accounts = *accounts;
  Result<ScanOutcome> out = ScanAccounts(*session_, plan);
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  ASSERT_EQ(out->cells.size(), 2u);
  EXPECT_EQ(out->cells[0].account_id, "111111111111");
  EXPECT_EQ(out->cells[0].region, "us-east-1");
  EXPECT_EQ(out->cells[1].account_id, "222222222222");
  EXPECT_EQ(out->cells[1].region, "eu-west-1");
  EXPECT_EQ(out->accounts[1].tags[0].second, "staging");
}

TEST_F(ScanTest, RejectedCredentialsStopTheScan) {
  aws_.On("sts", "GetCallerIdentity", [](const FakeCall&) {
    return QueryError(403, "InvalidClientTokenId", "The security token included is invalid");
  });
  Result<ScanOutcome> out = ScanAccounts(*session_, ScanPlan{.regions = {"us-east-1"}});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code(), ErrorCode::kConfiguration);
  EXPECT_NE(out.error().message().find("InvalidClientTokenId"), std::string::npos);
  EXPECT_EQ(aws_.Count("ecs", "ListClusters"), 0u);
}

TEST_F(ScanTest, CallerIdentityIsRetriedAndItsFailureIsNotACredentialError) {
  int answered = 0;
  aws_.On("sts", "GetCallerIdentity", [&](const FakeCall&) {
    return ++answered < 3 ? QueryError(400, "Throttling", "Rate exceeded")
                          : CallerIdentity("111111111111");
  });
  Result<ScanOutcome> out = ScanAccounts(*session_, ScanPlan{.regions = {"us-east-1"}});
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  EXPECT_EQ(aws_.Count("sts", "GetCallerIdentity"), 3u);

  aws_.On("sts", "GetCallerIdentity", [](const FakeCall&) {
    return QueryError(503, "ServiceUnavailable", "Service unavailable");
  });
  out = ScanAccounts(*session_, ScanPlan{.regions = {"us-east-1"}});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code(), ErrorCode::kUnavailable);
  EXPECT_EQ(out.error().message().find("credentials do not work"), std::string::npos);
  EXPECT_NE(out.error().message().find(
                "sts:GetCallerIdentity failed, the scan could not start (server_error)"),
            std::string::npos)
      << out.error().message();
  EXPECT_NE(out.error().message().find("after 3 attempts"), std::string::npos);
}

TEST_F(ScanTest, AnOrganizationThatCannotBeListedStopsTheScan) {
  aws_.On("organizations", "ListAccounts", [](const FakeCall&) {
    return JsonError(400, "AccessDeniedException", "You don't have permissions");
  });
  Result<ScanOutcome> out =
      ScanAccounts(*session_, ScanPlan{.regions = {"us-east-1"}, .organization = true});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code(), ErrorCode::kConfiguration);
  EXPECT_NE(out.error().message().find("management account or a delegated administrator"),
            std::string::npos);
}

TEST(SessionRetryTest, MaxAttemptsAndRetryModeComeFromTheEnvironment) {
  FakeAws aws;
  FixedClock clock(kT0);
  aws.On("ecs", "ListClusters",
         [](const FakeCall&) { return JsonError(500, "ServerException", "down"); });
  auto make = [&](std::map<std::string, std::string, std::less<>> vars) {
    vars["AWS_ACCESS_KEY_ID"] = "AKIDFAKE";
    vars["AWS_SECRET_ACCESS_KEY"] = "fake-secret";
    vars["AWS_CONFIG_FILE"] = "/nonexistent/config";
    vars["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent/credentials";
    auto env = std::make_shared<MapEnvironment>(std::move(vars));
    SessionDeps deps;
    deps.env = env.get();
    deps.transport = &aws;
    deps.clock = &clock;
    deps.sleep = [](std::chrono::milliseconds) {};
    return std::pair{env, Session::Create({.region = "us-east-1"}, deps)};
  };
  auto [env, session] = make({{"AWS_MAX_ATTEMPTS", "1"}, {"AWS_RETRY_MODE", "standard"}});
  ASSERT_TRUE(session.ok()) << session.error().ToString();
  auto ecs = (*session)->NewClient(kEcs);
  ASSERT_TRUE(ecs.ok());
  EXPECT_FALSE((*ecs)->CallJson("ListClusters").ok());
  EXPECT_EQ(aws.Count("ecs", "ListClusters"), 1u);  // not retried

  auto [env2, bad] = make({{"AWS_MAX_ATTEMPTS", "0"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message(), "max_attempts must be a number from 1 to 20, not \"0\"");
  auto [env3, mode] = make({{"AWS_RETRY_MODE", "eager"}});
  ASSERT_FALSE(mode.ok());
  EXPECT_EQ(mode.error().code(), ErrorCode::kConfiguration);
}

TEST(AccountsFileTest, RejectsWhatItCannotUse) {
  auto error = [](std::string_view text) {
    Result<std::vector<AccountSpec>> r = ParseAccountsFile(text, "a.yaml");
    return r.ok() ? std::string("ok") : r.error().ToString();
  };
  EXPECT_EQ(error("- id: '12345'\n"), "a.yaml:1:3: \"12345\" is not a 12-digit account id");
  EXPECT_EQ(error("- name: x\n"), "a.yaml:1:3: an account needs an id");
  EXPECT_EQ(error("- id: '111111111111'\n  rol: x\n"),
            "a.yaml:2:3: unknown key \"rol\" (expected id, name, regions, role, external_id, "
            "tags)");
  EXPECT_EQ(error("- id: '111111111111'\n- id: '111111111111'\n"),
            "a.yaml:2:3: account 111111111111 is listed twice");
  EXPECT_EQ(error("- id: '111111111111'\n  tags: [a]\n"),
            "a.yaml:2:9: tags: expected a mapping of key: value");
  EXPECT_EQ(error("accounts: []\n"), "a.yaml: the file lists no accounts");
  EXPECT_EQ(error("- id: [\n"), "a.yaml:2:1: end of sequence flow not found");
  Result<std::vector<AccountSpec>> ok = ParseAccountsFile(
      "- id: '012345678901'\n  regions: [eu-west-1, us-east-1]\n  external_id: abc\n", "a.yaml");
  ASSERT_TRUE(ok.ok()) << ok.error().ToString();
  EXPECT_EQ((*ok)[0].id, "012345678901");  // a leading zero survives
  EXPECT_EQ((*ok)[0].regions, (std::vector<std::string>{"eu-west-1", "us-east-1"}));
  EXPECT_EQ((*ok)[0].external_id, "abc");
}

TEST(AccountNodesTest, AccountsBecomeNodesLinkedToTheirClusters) {
  SnapshotResult s = LoadSnapshotText(
      R"({"clusters": [{"clusterArn": "arn:aws:ecs:us-east-1:111111111111:cluster/a",)"
      R"( "clusterName": "a"}]})",
      "live");
  ASSERT_TRUE(s.problems.empty());
  AddAccountNodes({AccountSpec{"111111111111", "prod", {}, "", "", {{"environment", "prod"}}},
                   AccountSpec{"222222222222", "", {}, "", "", {}}},
                  &s.graph);
  auto account = s.graph.FindNode("111111111111");
  ASSERT_TRUE(account);
  EXPECT_EQ(s.graph.LabelName(*account), "AWSAccount");
  EXPECT_EQ(s.graph.GetProp(*account, "name").as_string(), "prod");
  EXPECT_EQ(s.graph.GetProp(*account, "tags").as_list()[0].as_string(), "environment=prod");
  auto resource = s.graph.Lookup("RESOURCE");
  ASSERT_TRUE(resource);
  EXPECT_EQ(s.graph.Neighbors(*account, *resource, graph::Direction::kOut).size(), 1u);
  auto other = s.graph.FindNode("222222222222");
  ASSERT_TRUE(other);
  EXPECT_EQ(s.graph.GetProp(*other, "tags").as_list().size(), 0u);
}

}  // namespace
}  // namespace ecsguard::ingest::aws
