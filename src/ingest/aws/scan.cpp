#include "ingest/aws/scan.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <tuple>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>
#include <nlohmann/json.hpp>

#include "base/arn.h"
#include "base/strings.h"
#include "base/yaml.h"
#include "ingest/aws/awscli_json.h"
#include "ingest/aws/credential_providers.h"

namespace ecsguard::ingest::aws {
namespace {

using nlohmann::json;

bool IsAccountId(std::string_view id) {
  return id.size() == 12 &&
         std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Error AtNode(const YAML::Node& node, std::string_view file, std::string message) {
  return Error(ErrorCode::kConfiguration, std::move(message), YamlLocation(file, node));
}

Result<std::string> Scalar(const YAML::Node& node, std::string_view file, std::string_view key) {
  if (!node.IsScalar()) return AtNode(node, file, fmt::format("{}: expected a string", key));
  return node.as<std::string>();
}

Result<AccountSpec> ParseAccount(const YAML::Node& node, std::string_view file) {
  if (!node.IsMap()) return AtNode(node, file, "an account must be a mapping with an id");
  AccountSpec a;
  for (const auto& item : node) {
    std::string key = item.first.as<std::string>();
    const YAML::Node& value = item.second;
    if (key == "id" || key == "account_id") {
      ASSIGN_OR_RETURN(a.id, Scalar(value, file, key));
    } else if (key == "name") {
      ASSIGN_OR_RETURN(a.name, Scalar(value, file, key));
    } else if (key == "role") {
      ASSIGN_OR_RETURN(a.role, Scalar(value, file, key));
    } else if (key == "external_id") {
      ASSIGN_OR_RETURN(a.external_id, Scalar(value, file, key));
    } else if (key == "regions") {
      if (value.IsScalar()) {
        a.regions.push_back(value.as<std::string>());
      } else if (value.IsSequence()) {
        for (const YAML::Node& r : value) {
          ASSIGN_OR_RETURN(std::string region, Scalar(r, file, "regions"));
          a.regions.push_back(std::move(region));
        }
      } else {
        return AtNode(value, file, "regions: expected a list of region names");
      }
    } else if (key == "tags") {
      if (!value.IsMap()) return AtNode(value, file, "tags: expected a mapping of key: value");
      for (const auto& tag : value) {
        ASSIGN_OR_RETURN(std::string v, Scalar(tag.second, file, "tags"));
        a.tags.emplace_back(tag.first.as<std::string>(), std::move(v));
      }
    } else {
      return AtNode(item.first, file,
                    fmt::format("unknown key \"{}\" (expected id, name, regions, role, "
                                "external_id, tags)",
                                key));
    }
  }
  if (!IsAccountId(a.id)) {
    return AtNode(node, file,
                  a.id.empty() ? std::string("an account needs an id")
                               : fmt::format("\"{}\" is not a 12-digit account id", a.id));
  }
  return a;
}

// Walks an Organizations paginator (NextToken) to its end, collecting the items of `key`.
Result<std::vector<json>> OrganizationsAll(Client& client, std::string_view operation, json request,
                                           std::string_view key) {
  std::vector<json> out;
  std::set<std::string> tokens;
  for (;;) {
    Result<std::string> body = client.CallJson(operation, request.dump());
    if (!body.ok()) return std::move(body).error();
    json doc = json::parse(*body, nullptr, /*allow_exceptions=*/false);
    if (!doc.is_object()) {
      return AwsError(AwsErrorKind::kInvalidResponse,
                      fmt::format("{}: the answer is not a JSON object", operation));
    }
    if (auto it = doc.find(key); it != doc.end() && it->is_array()) {
      for (json& item : *it) out.push_back(std::move(item));
    }
    auto next = doc.find("NextToken");
    if (next == doc.end() || !next->is_string() || next->get<std::string>().empty()) return out;
    if (!tokens.insert(next->get<std::string>()).second) {
      return AwsError(AwsErrorKind::kInvalidResponse,
                      fmt::format("{}: the service repeated a NextToken", operation));
    }
    request["NextToken"] = *next;
  }
}

// Why a call the whole scan depends on failed. Only a rejection of the credentials (or of the
// request they signed) is a configuration error; throttling, 5xx, the network and the scan
// timeout are kUnavailable after the Client's retries, and say so, since running again may
// succeed.
Error ScanStartError(const Error& error, std::string_view configuration_message,
                     std::string_view operation) {
  std::optional<AwsErrorKind> kind = KindOf(error);
  if (kind == AwsErrorKind::kThrottling || kind == AwsErrorKind::kServerError ||
      kind == AwsErrorKind::kNetwork || kind == AwsErrorKind::kScanTimeout ||
      kind == AwsErrorKind::kInvalidResponse) {
    return Error(ErrorCode::kUnavailable,
                 fmt::format("{} failed, the scan could not start ({}): {}", operation,
                             KindName(error), error.message()));
  }
  return Error(ErrorCode::kConfiguration,
               fmt::format("{}: {}", configuration_message, error.message()));
}

// AssumeRole's error reaches us as a base Error (the credential source's), so a denial is told
// by AWS's code in the message.
CellState StateFor(const Error& error) {
  return error.code() == ErrorCode::kConfiguration &&
                 error.message().find("AccessDenied") != std::string::npos
             ? CellState::kDenied
             : CellState::kFailed;
}

class Scanner {
 public:
  Scanner(Session& session, const ScanPlan& plan, const ProgressFunction& progress)
      : session_(session), plan_(plan), progress_(progress), pool_(std::max(1, plan.concurrency)) {}

  Result<ScanOutcome> Run() {
    ASSIGN_OR_RETURN(std::unique_ptr<Client> sts, session_.NewClient(kSts));
    Result<XmlElement> identity = sts->CallQuery("GetCallerIdentity");
    if (!identity.ok()) {
      return ScanStartError(identity.error(), "the AWS credentials do not work",
                            "sts:GetCallerIdentity");
    }
    const XmlElement& who = QueryResult(*identity, "GetCallerIdentity");
    out_.caller_account = std::string(Trim(who.ChildText("Account")));
    session_.SetCallerAccount(out_.caller_account);
    if (auto arn = ParseArn(Trim(who.ChildText("Arn")))) partition_ = arn->partition;
    if (plan_.regions.empty() && session_.region().empty()) {
      return Error(ErrorCode::kConfiguration,
                   "no region: use --region (a name, or all), AWS_REGION or the profile's region");
    }
    home_region_ = session_.region().empty() ? "us-east-1" : session_.region();

    std::vector<AccountSpec> accounts;
    if (plan_.organization) {
      ASSIGN_OR_RETURN(accounts, OrganizationAccounts());
    } else if (!plan_.accounts.empty()) {
      accounts = plan_.accounts;
    } else {
      accounts.push_back(AccountSpec{out_.caller_account, "", {}, "", "", {}});
    }
    std::sort(accounts.begin(), accounts.end(),
              [](const AccountSpec& a, const AccountSpec& b) { return a.id < b.id; });
    out_.accounts = accounts;
    credentials_.resize(accounts.size());
    std::thread tag_reader;
    if (org_) tag_reader = std::thread([this] { ReadAccountTags(); });
    for (size_t i = 0; i < accounts.size(); ++i) {
      pool_.Submit([this, i] { EnterAccount(i, out_.accounts[i], &credentials_[i]); });
    }
    pool_.Wait();
    if (tag_reader.joinable()) {
      {
        std::lock_guard lock(mu_);
        tags_closed_ = true;
      }
      tags_cv_.notify_one();
      tag_reader.join();
    }
    SkippedWarnings();
    std::sort(out_.cells.begin(), out_.cells.end(),
              [](const RegionResult& a, const RegionResult& b) {
                return std::tie(a.account_id, a.region) < std::tie(b.account_id, b.region);
              });
    std::sort(out_.gaps.begin(), out_.gaps.end(), [](const Gap& a, const Gap& b) {
      return std::tie(a.id, a.reason) < std::tie(b.id, b.reason);
    });
    std::sort(out_.context_gaps.begin(), out_.context_gaps.end(),
              [](const ContextGap& a, const ContextGap& b) { return a.account_id < b.account_id; });
    return std::move(out_);
  }

 private:
  Result<std::vector<AccountSpec>> OrganizationAccounts() {
    ASSIGN_OR_RETURN(org_, session_.NewClient(kOrganizations));
    Result<std::vector<json>> listed =
        OrganizationsAll(*org_, "ListAccounts", json::object(), "Accounts");
    if (!listed.ok()) {
      return ScanStartError(listed.error(),
                            "--organization: the accounts could not be listed (run from the "
                            "management account or a delegated administrator)",
                            "organizations:ListAccounts");
    }
    std::vector<AccountSpec> accounts;
    for (const json& a : *listed) {
      // "State" replaces the deprecated "Status"; either says whether the account is usable.
      std::string state =
          StringMember(a, "State").empty() ? StringMember(a, "Status") : StringMember(a, "State");
      if (!IsAccountId(StringMember(a, "Id"))) continue;
      if (!state.empty() && state != "ACTIVE") {
        out_.skipped_accounts.emplace_back(StringMember(a, "Id"), state);
        continue;
      }
      accounts.push_back(
          AccountSpec{StringMember(a, "Id"), StringMember(a, "Name"), {}, "", "", {}});
    }
    return accounts;
  }

  // Account tags give findings an environment when nothing closer has one, so only accounts
  // with something in them need theirs: in an organization of thousands of accounts most hold
  // no cluster. Organizations is one bucket for the whole organization, so one thread reads
  // the tags one account after the other while the scan goes on, as each account's first cell
  // with something in it is done, instead of holding pool threads that wait for that bucket.
  void ReadAccountTags() {
    for (;;) {
      size_t index;
      {
        std::unique_lock lock(mu_);
        tags_cv_.wait(lock, [this] { return tags_closed_ || !tag_queue_.empty(); });
        if (tag_queue_.empty()) return;
        index = tag_queue_.front();
        tag_queue_.pop_front();
      }
      const std::string& id = out_.accounts[index].id;
      Result<std::vector<json>> tags =
          OrganizationsAll(*org_, "ListTagsForResource", {{"ResourceId", id}}, "Tags");
      std::lock_guard lock(mu_);
      if (!tags.ok()) {
        out_.context_gaps.push_back(ContextGap{id, "", "ListTagsForResource"});
        out_.warnings.push_back(
            fmt::format("tags of account {} not read: {}", id, tags.error().message()));
        continue;
      }
      for (const json& t : *tags) {
        out_.accounts[index].tags.emplace_back(StringMember(t, "Key"), StringMember(t, "Value"));
      }
    }
  }

  // Called with mu_ held, when a cell of account `index` has something in it.
  void WantTags(size_t index) {
    if (!org_ || !tags_wanted_.insert(index).second) return;
    tag_queue_.push_back(index);
    tags_cv_.notify_one();
  }

  // Every cell of an account that could not be entered, and the Account gap that says why.
  void AccountFailed(const AccountSpec& account, const std::vector<std::string>& regions,
                     CellState state, const std::string& reason) {
    std::lock_guard lock(mu_);
    out_.gaps.push_back(Gap{"Account", account.id, account.id, "", reason});
    for (const std::string& region : regions) {
      RegionResult cell;
      cell.account_id = account.id;
      cell.region = region;
      cell.state = state;
      cell.detail = reason;
      out_.cells.push_back(std::move(cell));
    }
  }

  // The regions of `account_index` that belong to this scan's shard.
  std::vector<std::string> ShardRegions(size_t account_index, std::vector<std::string> regions) {
    std::sort(regions.begin(), regions.end());
    regions.erase(std::unique(regions.begin(), regions.end()), regions.end());
    std::vector<std::string> mine;
    for (size_t r = 0; r < regions.size(); ++r) {
      if (ShardOfCell(account_index, r, plan_.shard.count) == plan_.shard.index) {
        mine.push_back(std::move(regions[r]));
      }
    }
    return mine;
  }

  void EnterAccount(size_t index, const AccountSpec& account,
                    std::unique_ptr<CredentialSource>* credentials) {
    std::vector<std::string> regions = !account.regions.empty() ? account.regions : plan_.regions;
    // Until the account's enabled regions are known, "all" stands for them (in the coverage
    // cell of an account that could not be entered).
    bool all = regions.size() == 1 && regions[0] == "all";
    if (regions.empty()) regions = {session_.region()};
    if (!all) {
      regions = ShardRegions(index, std::move(regions));
      if (regions.empty()) return;  // another shard's account
    }
    CredentialSource* source = nullptr;
    std::string role = account.role.empty() ? plan_.role : account.role;
    if (account.id != out_.caller_account || !account.role.empty()) {
      std::string role_arn = role.starts_with("arn:") ? role
                                                      : fmt::format("arn:{}:iam::{}:role/{}",
                                                                    partition_, account.id, role);
      AssumeRoleParams params{role_arn, "ecsguard",
                              account.external_id.empty() ? plan_.external_id : account.external_id,
                              std::chrono::seconds(0)};
      Result<std::unique_ptr<CredentialSource>> assumed = session_.AssumeRole(std::move(params));
      Result<Credentials> first = assumed.ok() ? (*assumed)->Get() : assumed.error();
      if (!first.ok()) {
        return AccountFailed(
            account, regions, StateFor(first.error()),
            fmt::format("role {} could not be assumed: {}", role_arn, first.error().message()));
      }
      *credentials = std::move(assumed).value();
      source = credentials->get();
    }
    if (all) {
      Result<std::vector<std::string>> enabled = EnabledRegions(account.id, source);
      if (!enabled.ok()) {
        CellState state = KindOf(enabled.error()) == AwsErrorKind::kAccessDenied
                              ? CellState::kDenied
                              : CellState::kFailed;
        return AccountFailed(account, regions, state,
                             fmt::format("the account's regions could not be listed: {}",
                                         enabled.error().message()));
      }
      regions = ShardRegions(index, std::move(enabled).value());
    }
    {
      std::lock_guard lock(mu_);
      progress_state_.cells_total += regions.size();
    }
    for (const std::string& region : regions) {
      pool_.Submit([this, index, region, source, all, id = account.id] {
        CollectOptions options{.all_revisions = plan_.all_revisions,
                               .all_services = plan_.all_services,
                               .capacity_providers = plan_.capacity_providers,
                               .cache = plan_.cache,
                               .pool = &pool_};
        RegionResult cell = CollectRegion(session_, RegionTarget{id, region, source}, options);
        // A region named in an explicit list that the account has not enabled answers with a
        // rejected token (UnrecognizedClientException) or OptInRequired: skipped and listed,
        // as with "all", not a denied cell.
        bool skipped = !all && cell.state != CellState::kEvaluated && cell.documents.empty() &&
                       NotOptedIn(id, source).contains(region);
        std::lock_guard lock(mu_);
        if (skipped) {
          out_.skipped_regions.emplace_back(id, region);
        } else {
          if (!cell.documents.empty()) WantTags(index);
          out_.cells.push_back(std::move(cell));
        }
        ++progress_state_.cells_done;
        progress_state_.last_cell = fmt::format("{} {}", id, region);
        if (progress_) {
          uint64_t calls = 0;
          for (const auto& [key, counts] : session_.stats().Snapshot()) calls += counts.calls;
          progress_state_.api_calls = calls;
          progress_(progress_state_);
        }
      });
    }
  }

  // One warning for the skipped accounts, and one per set of skipped regions naming the
  // accounts it applies to, so that an organization of opt-in-averse accounts is not 10,000
  // warnings.
  void SkippedWarnings() {
    if (!out_.skipped_accounts.empty()) {
      std::sort(out_.skipped_accounts.begin(), out_.skipped_accounts.end());
      std::vector<std::string> listed;
      for (const auto& [id, state] : out_.skipped_accounts) {
        listed.push_back(fmt::format("{} ({})", id, state));
      }
      out_.warnings.push_back(fmt::format("{} account{} not ACTIVE, skipped: {}", listed.size(),
                                          listed.size() == 1 ? "" : "s", Join(listed, ", ")));
    }
    std::sort(out_.skipped_regions.begin(), out_.skipped_regions.end());
    std::map<std::vector<std::string>, std::vector<std::string>> accounts_by_regions;
    std::map<std::string, std::vector<std::string>> regions_by_account;
    for (const auto& [account, region] : out_.skipped_regions) {
      regions_by_account[account].push_back(region);
    }
    for (auto& [account, regions] : regions_by_account) {
      accounts_by_regions[regions].push_back(account);
    }
    for (const auto& [regions, accounts] : accounts_by_regions) {
      out_.warnings.push_back(fmt::format("regions not enabled (opt-in), skipped: {} in {}",
                                          Join(regions, ", "), Join(accounts, ", ")));
    }
  }

  struct AccountRegions {
    std::vector<std::string> enabled;  // opted in, or needing no opt-in; sorted
    std::set<std::string> not_opted_in;
  };

  // The account's regions in the partition of the home region (an emulator may also list other
  // partitions' regions), from ec2:DescribeRegions.
  Result<AccountRegions> ListRegions(CredentialSource* source) {
    Result<std::unique_ptr<Client>> ec2 = session_.NewClient(kEc2, home_region_, source);
    if (!ec2.ok()) return AwsError(AwsErrorKind::kEndpoint, ec2.error().message());
    Result<XmlElement> doc = (*ec2)->CallQuery("DescribeRegions");
    if (!doc.ok()) return std::move(doc).error();
    AccountRegions out;
    if (const XmlElement* info = doc->Child("regionInfo")) {
      for (const XmlElement& item : info->children) {
        std::string name(Trim(item.ChildText("regionName")));
        if (name.empty() || PartitionOfRegion(name) != PartitionOfRegion(home_region_)) continue;
        if (Trim(item.ChildText("optInStatus")) == "not-opted-in") {
          out.not_opted_in.insert(std::move(name));
        } else {
          out.enabled.push_back(std::move(name));
        }
      }
    }
    std::sort(out.enabled.begin(), out.enabled.end());
    return out;
  }

  // The regions enabled for the account. The regions it has not opted in to are skipped, and
  // listed.
  Result<std::vector<std::string>> EnabledRegions(const std::string& account,
                                                  CredentialSource* source) {
    ASSIGN_OR_RETURN(AccountRegions regions, ListRegions(source));
    std::lock_guard lock(mu_);
    for (const std::string& name : regions.not_opted_in) {
      out_.skipped_regions.emplace_back(account, name);
    }
    return std::move(regions.enabled);
  }

  // The regions `account` has not opted in to, asked once per account and only when a cell of
  // an explicit region list could not be read at all. If they cannot be listed, none: the cell
  // stays denied or failed and says why.
  const std::set<std::string>& NotOptedIn(const std::string& account, CredentialSource* source) {
    std::shared_ptr<OptInAnswer> answer;
    {
      std::lock_guard lock(mu_);
      auto& slot = opt_in_[account];
      if (!slot) slot = std::make_shared<OptInAnswer>();
      answer = slot;
    }
    std::call_once(answer->once, [&] {
      Result<AccountRegions> regions = ListRegions(source);
      if (regions.ok()) answer->regions = std::move(regions->not_opted_in);
    });
    return answer->regions;
  }

  Session& session_;
  const ScanPlan& plan_;
  const ProgressFunction& progress_;
  WorkPool pool_;
  std::string partition_ = "aws";
  std::string home_region_;
  std::mutex mu_;
  ScanOutcome out_;
  ScanProgress progress_state_;
  std::vector<std::unique_ptr<CredentialSource>> credentials_;
  std::unique_ptr<Client> org_;  // with --organization
  struct OptInAnswer {
    std::once_flag once;
    std::set<std::string> regions;
  };
  std::map<std::string, std::shared_ptr<OptInAnswer>> opt_in_;  // by account (guarded by mu_)
  // The accounts whose tags ReadAccountTags is to read (guarded by mu_).
  std::condition_variable tags_cv_;
  std::deque<size_t> tag_queue_;
  std::set<size_t> tags_wanted_;
  bool tags_closed_ = false;
};

}  // namespace

Result<std::vector<AccountSpec>> ParseAccountsFile(std::string_view text, std::string_view name) {
  ASSIGN_OR_RETURN(YAML::Node root, LoadYaml(text, name));
  try {
    YAML::Node list = root;
    if (root.IsMap()) {
      if (!root["accounts"] || root.size() != 1) {
        return AtNode(root, name, "expected a list of accounts, or a mapping with only accounts:");
      }
      list = root["accounts"];
    }
    if (!list.IsSequence()) return AtNode(list, name, "expected a list of accounts");
    std::vector<AccountSpec> accounts;
    std::set<std::string> seen;
    for (const YAML::Node& node : list) {
      ASSIGN_OR_RETURN(AccountSpec a, ParseAccount(node, name));
      if (!seen.insert(a.id).second) {
        return AtNode(node, name, fmt::format("account {} is listed twice", a.id));
      }
      accounts.push_back(std::move(a));
    }
    if (accounts.empty())
      return Error(ErrorCode::kConfiguration, "the file lists no accounts",
                   SourceLocation{std::string(name), 0, 0});
    return accounts;
  } catch (const YAML::Exception& e) {
    return YamlError(e, name);
  }
}

Result<ScanOutcome> ScanAccounts(Session& session, const ScanPlan& plan,
                                 const ProgressFunction& progress) {
  return Scanner(session, plan, progress).Run();
}

void AddAccountNodes(const std::vector<AccountSpec>& accounts, graph::Graph* g) {
  std::vector<std::pair<std::string, graph::NodeIndex>> clusters;
  for (graph::NodeIndex c : g->NodesWithLabel("ECSCluster")) {
    graph::Value account = g->GetProp(c, "accountId");
    if (account.kind() == graph::Value::Kind::kString) {
      clusters.emplace_back(std::string(account.as_string()), c);
    }
  }
  for (const AccountSpec& a : accounts) {
    graph::NodeIndex node = g->AddNode("AWSAccount", a.id);
    graph::Value id = g->String(a.id);
    g->SetProp(node, "identifier", id);
    g->SetProp(node, "idFromProvider", id);
    g->SetProp(node, "accountId", id);
    g->SetProp(node, "cloudProvider", g->String("aws"));
    if (!a.name.empty()) g->SetProp(node, "name", g->String(a.name));
    std::vector<graph::Value> tags;
    for (const auto& [key, value] : a.tags)
      tags.push_back(g->String(fmt::format("{}={}", key, value)));
    g->SetProp(node, "tags", g->List(tags));
    for (const auto& [account, cluster] : clusters) {
      if (account == a.id) g->AddEdge("RESOURCE", node, cluster);
    }
  }
  g->Freeze();
}

}  // namespace ecsguard::ingest::aws
