#include "ingest/aws/collect.h"

#include <algorithm>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <string_view>
#include <tuple>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/strings.h"
#include "ingest/aws/awscli_json.h"

namespace ecsguard::ingest::aws {
namespace {

using nlohmann::json;

constexpr int kListPageSize = 100;  // the maximum of every ECS list call
constexpr std::string_view kEc2PageSize = "1000";

template <typename T>
std::vector<std::vector<T>> Batches(const std::vector<T>& items, size_t size) {
  std::vector<std::vector<T>> out;
  for (size_t i = 0; i < items.size(); i += size) {
    out.emplace_back(items.begin() + i, items.begin() + std::min(items.size(), i + size));
  }
  return out;
}

Result<json> ParseBody(const std::string& body, std::string_view operation) {
  json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_object()) return doc;
  return AwsError(AwsErrorKind::kInvalidResponse,
                  fmt::format("{}: the answer is not a JSON object", operation));
}

std::vector<std::string> Strings(const json& doc, std::string_view key) {
  std::vector<std::string> out;
  auto it = doc.find(key);
  if (it == doc.end() || !it->is_array()) return out;
  for (const json& v : *it) {
    if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}

bool InUse(const json& task) {
  std::string last = StringMember(task, "lastStatus");
  return StringMember(task, "desiredStatus") == "RUNNING" &&
         (last == "PROVISIONING" || last == "PENDING" || last == "ACTIVATING" || last == "RUNNING");
}

// A JSON-protocol call whose answer must be a JSON object.
Result<json> CallObject(Client& client, std::string_view operation, const json& request) {
  Result<std::string> body = client.CallJson(operation, CompactJson(request));
  if (!body.ok()) return std::move(body).error();
  return ParseBody(*body, operation);
}

// Walks a JSON-protocol paginator (nextToken) to its end, collecting the strings of `key`.
Result<std::vector<std::string>> ListAll(Client& client, std::string_view operation, json request,
                                         std::string_view key) {
  std::vector<std::string> out;
  std::set<std::string> tokens;
  request["maxResults"] = kListPageSize;
  for (;;) {
    Result<json> doc = CallObject(client, operation, request);
    if (!doc.ok()) return std::move(doc).error();
    std::vector<std::string> page = Strings(*doc, key);
    out.insert(out.end(), page.begin(), page.end());
    std::string token = StringMember(*doc, "nextToken");
    if (token.empty()) return out;
    // A token seen before would loop for ever.
    if (!tokens.insert(token).second) {
      return AwsError(AwsErrorKind::kInvalidResponse,
                      fmt::format("{}: the service repeated a nextToken", operation));
    }
    request["nextToken"] = token;
  }
}

// Walks an EC2 paginator (NextToken in the request, <nextToken> in the answer).
Result<std::vector<XmlElement>> Ec2All(Client& client, std::string_view operation,
                                       const QueryParams& params) {
  std::vector<XmlElement> pages;
  std::set<std::string> tokens;
  std::string token;
  for (;;) {
    QueryParams page_params = params;
    page_params.Add("MaxResults", std::string(kEc2PageSize));
    if (!token.empty()) page_params.Add("NextToken", token);
    Result<XmlElement> doc = client.CallQuery(operation, page_params);
    if (!doc.ok()) return std::move(doc).error();
    token = std::string(Trim(doc->ChildText("nextToken")));
    pages.push_back(std::move(doc).value());
    if (token.empty()) return pages;
    if (!tokens.insert(token).second) {
      return AwsError(AwsErrorKind::kInvalidResponse,
                      fmt::format("{}: the service repeated a NextToken", operation));
    }
  }
}

// Walks an ELBv2 paginator (Marker / NextMarker).
Result<std::vector<XmlElement>> ElbAll(Client& client, std::string_view operation,
                                       const QueryParams& params) {
  std::vector<XmlElement> pages;
  std::set<std::string> markers;
  std::string marker;
  for (;;) {
    QueryParams page_params = params;
    if (!marker.empty()) page_params.Add("Marker", marker);
    Result<XmlElement> doc = client.CallQuery(operation, page_params);
    if (!doc.ok()) return std::move(doc).error();
    marker = std::string(Trim(QueryResult(*doc, operation).ChildText("NextMarker")));
    pages.push_back(std::move(doc).value());
    if (marker.empty()) return pages;
    if (!markers.insert(marker).second) {
      return AwsError(AwsErrorKind::kInvalidResponse,
                      fmt::format("{}: the service repeated a NextMarker", operation));
    }
  }
}

// The texts at `path` below `at`: element names, with "*" for every child of a list
// ({"reservationSet", "*", "instancesSet", "*", "instanceId"}).
void CollectTexts(const XmlElement& at, std::span<const std::string_view> path,
                  std::vector<std::string>* out) {
  if (path.empty()) {
    out->push_back(std::string(Trim(at.text)));
  } else if (path.front() == "*") {
    for (const XmlElement& item : at.children) CollectTexts(item, path.subspan(1), out);
  } else if (const XmlElement* child = at.Child(path.front())) {
    CollectTexts(*child, path.subspan(1), out);
  }
}

std::vector<std::string> Texts(const XmlElement& at, std::initializer_list<std::string_view> path) {
  std::vector<std::string> out;
  CollectTexts(at, std::span<const std::string_view>(path.begin(), path.size()), &out);
  return out;
}

std::vector<std::string> Sorted(std::set<std::string> items) {
  return {items.begin(), items.end()};
}

class RegionCollector {
 public:
  RegionCollector(const RegionTarget& target, const CollectOptions& options,
                  std::unique_ptr<Client> ecs, std::unique_ptr<Client> ec2,
                  std::unique_ptr<Client> elbv2)
      : options_(options), ecs_(std::move(ecs)), ec2_(std::move(ec2)), elbv2_(std::move(elbv2)) {
    result_.account_id = target.account_id;
    result_.region = target.region;
  }

  RegionResult Run() {
    Result<std::vector<std::string>> clusters =
        ListAll(*ecs_, "ListClusters", json::object(), "clusterArns");
    if (!clusters.ok()) {
      Hidden(clusters.error(), "the region's clusters could not be listed");
      return Finish();
    }
    // Per cluster: the tasks that should be running, described.
    std::vector<ClusterTasks> tasks(clusters->size());
    std::vector<std::string> active_revisions;
    std::vector<std::vector<std::string>> listed_services(clusters->size());
    Parallel({[&] { DescribeClusters(*clusters); },
              [&] {
                ParallelFor(options_.pool, clusters->size(),
                            [&](size_t i) { tasks[i] = ListTasks((*clusters)[i]); });
              },
              [&] {
                if (options_.all_revisions) active_revisions = ListActiveRevisions();
              },
              [&] {
                if (!options_.all_services) return;
                ParallelFor(options_.pool, clusters->size(),
                            [&](size_t i) { listed_services[i] = ListServices((*clusters)[i]); });
              },
              [&] {
                if (options_.capacity_providers) DescribeCapacityProviders();
              }});
    std::vector<std::pair<const ClusterTasks*, std::vector<std::string>>> batches;
    for (const ClusterTasks& c : tasks) {
      for (auto& batch : Batches(c.task_arns, kDescribeTasksBatch)) batches.emplace_back(&c, batch);
    }
    std::vector<json> described(batches.size());
    ParallelFor(options_.pool, batches.size(), [&](size_t i) {
      described[i] = DescribeTasks(batches[i].first->cluster, batches[i].second);
    });

    // What the in-use tasks name: revisions, services, container instances.
    std::set<std::string> revisions(active_revisions.begin(), active_revisions.end());
    std::map<std::string, std::set<std::string>> services, instances;  // by cluster
    for (size_t i = 0; i < clusters->size(); ++i) {
      // By name, as tasks name them ("service:NAME"): a service is described once.
      for (const std::string& arn : listed_services[i]) {
        services[(*clusters)[i]].insert(arn.substr(arn.rfind('/') + 1));
      }
    }
    for (size_t i = 0; i < batches.size(); ++i) {
      const std::string& cluster = batches[i].first->cluster;
      for (const json& task : described[i]) {
        if (!InUse(task)) continue;
        if (std::string td = StringMember(task, "taskDefinitionArn"); !td.empty())
          revisions.insert(td);
        std::string group = StringMember(task, "group");
        if (group.starts_with("service:")) services[cluster].insert(group.substr(8));
        if (std::string ci = StringMember(task, "containerInstanceArn"); !ci.empty()) {
          instances[cluster].insert(ci);
        }
      }
    }
    Parallel({[&] { DescribeRevisions(Sorted(std::move(revisions))); },
              [&] { DescribeLoadBalancing(DescribeServices(services)); },
              [&] { DescribeNetwork(DescribeContainerInstances(instances)); }});
    return Finish();
  }

 private:
  struct ClusterTasks {
    std::string cluster;
    std::vector<std::string> task_arns;
  };

  void Parallel(std::initializer_list<std::function<void()>> branches) {
    std::vector<std::function<void()>> list(branches);
    ParallelFor(options_.pool, list.size(), [&](size_t i) { list[i](); });
  }

  void Add(std::string command, std::string json_text) {
    std::lock_guard lock(mu_);
    result_.documents.push_back(Document{std::move(command), std::move(json_text)});
  }

  // Context that `operation` could not read: the checks are whole, the priorities are not.
  void ContextMissing(const Error& error, std::string_view operation, std::string_view what) {
    std::lock_guard lock(mu_);
    result_.warnings.push_back(
        fmt::format("{} {}: {} could not be read ({}); priorities may miss context",
                    result_.account_id, result_.region, what, error.message()));
    context_operations_.insert(std::string(operation));
  }

  // A failure that hides in-use revisions: the cell is incomplete.
  void Incomplete(const Error& error, std::string reason) {
    std::lock_guard lock(mu_);
    if (KindOf(error) != AwsErrorKind::kAccessDenied &&
        KindOf(error) != AwsErrorKind::kOptInRequired) {
      all_denied_ = false;
    }
    reasons_.push_back(std::move(reason));
  }

  // A failure that hides the tasks of the region or of a cluster: a Region gap says why.
  void Hidden(const Error& error, std::string_view what) {
    Incomplete(error, fmt::format("{}: {}", what, error.message()));
    std::lock_guard lock(mu_);
    region_gap_ = true;
  }

  // ECS `failures` entries for ARNs a describe call could not answer for: the snapshot adapter
  // turns them into NOT_EVALUATED gaps, in the live scan and in a saved snapshot alike.
  void Failures(std::string_view command, std::string_view operation,
                const std::vector<std::string>& arns, const Error& error) {
    json failures = json::array();
    for (const std::string& arn : arns) {
      failures.push_back({{"arn", arn},
                          {"reason", fmt::format("{} {}", operation, KindName(error))},
                          {"detail", error.message()}});
    }
    Add(std::string(command), CompactJson(json{{"failures", failures}}));
    Incomplete(error, fmt::format("{} failed for {} ARN{}: {}", operation, arns.size(),
                                  arns.size() == 1 ? "" : "s", error.message()));
  }

  void DescribeClusters(const std::vector<std::string>& clusters) {
    auto batches = Batches(clusters, kDescribeClustersBatch);
    ParallelFor(options_.pool, batches.size(), [&](size_t i) {
      Result<json> doc = CallObject(*ecs_, "DescribeClusters",
                                    {{"clusters", batches[i]}, {"include", {"TAGS", "SETTINGS"}}});
      if (!doc.ok()) return ContextMissing(doc.error(), "DescribeClusters", "clusters");
      Add("ecs describe-clusters", CompactJson(*doc));
    });
  }

  ClusterTasks ListTasks(const std::string& cluster) {
    ClusterTasks out{cluster, {}};
    Result<std::vector<std::string>> arns = ListAll(
        *ecs_, "ListTasks", {{"cluster", cluster}, {"desiredStatus", "RUNNING"}}, "taskArns");
    if (!arns.ok()) {
      Hidden(arns.error(), fmt::format("the tasks of cluster {} could not be listed", cluster));
      return out;
    }
    out.task_arns = std::move(arns).value();
    return out;
  }

  std::vector<std::string> ListServices(const std::string& cluster) {
    Result<std::vector<std::string>> arns =
        ListAll(*ecs_, "ListServices", {{"cluster", cluster}}, "serviceArns");
    if (!arns.ok()) {
      // The services are what the service controls judge: not knowing them hides assets.
      Hidden(arns.error(), fmt::format("the services of cluster {} could not be listed", cluster));
      return {};
    }
    return std::move(arns).value();
  }

  // Every page, each kept as the CLI prints it; a page that fails hides the rest.
  void DescribeCapacityProviders() {
    json request = {{"include", {"TAGS"}}};
    std::set<std::string> tokens;
    for (;;) {
      Result<json> doc = CallObject(*ecs_, "DescribeCapacityProviders", request);
      if (!doc.ok()) {
        return Hidden(doc.error(), "the region's capacity providers could not be described");
      }
      std::string token = StringMember(*doc, "nextToken");
      doc->erase("nextToken");
      Add("ecs describe-capacity-providers", CompactJson(*doc));
      if (token.empty()) return;
      if (!tokens.insert(token).second) {
        return Hidden(AwsError(AwsErrorKind::kInvalidResponse,
                               "DescribeCapacityProviders: the service repeated a nextToken"),
                      "the region's capacity providers could not be described");
      }
      request["nextToken"] = token;
    }
  }

  std::vector<std::string> ListActiveRevisions() {
    Result<std::vector<std::string>> arns =
        ListAll(*ecs_, "ListTaskDefinitions", {{"status", "ACTIVE"}}, "taskDefinitionArns");
    if (!arns.ok()) {
      Hidden(arns.error(), "the ACTIVE revisions could not be listed (--all-revisions)");
      return {};
    }
    return std::move(arns).value();
  }

  // The tasks of one DescribeTasks answer; tasks that stopped and vanished between listing and
  // describing (MISSING) are dropped, since they run nothing.
  std::vector<json> DescribeTasks(const std::string& cluster,
                                  const std::vector<std::string>& arns) {
    Result<json> doc = CallObject(*ecs_, "DescribeTasks",
                                  {{"cluster", cluster}, {"tasks", arns}, {"include", {"TAGS"}}});
    if (!doc.ok()) {
      Failures("ecs describe-tasks", "DescribeTasks", arns, doc.error());
      return {};
    }
    if (auto it = doc->find("failures"); it != doc->end() && it->is_array()) {
      size_t before = it->size();
      json kept = json::array();
      for (json& f : *it) {
        if (StringMember(f, "reason") != "MISSING") kept.push_back(std::move(f));
      }
      *it = std::move(kept);
      if (it->size() != before) {
        std::lock_guard lock(mu_);
        result_.warnings.push_back(fmt::format(
            "{} {}: {} task{} stopped between ListTasks and DescribeTasks", result_.account_id,
            result_.region, before - it->size(), before - it->size() == 1 ? "" : "s"));
      }
    }
    Add("ecs describe-tasks", CompactJson(*doc));
    std::vector<json> tasks;
    if (auto it = doc->find("tasks"); it != doc->end() && it->is_array()) {
      for (const json& t : *it) {
        if (t.is_object()) tasks.push_back(t);
      }
    }
    return tasks;
  }

  void DescribeRevisions(const std::vector<std::string>& arns) {
    std::map<std::string, std::string> cached;
    if (options_.cache && !arns.empty()) {
      Result<std::map<std::string, std::string>> hits = options_.cache->Get(arns);
      if (hits.ok()) {
        cached = std::move(hits).value();
      } else {
        std::lock_guard lock(mu_);
        result_.warnings.push_back(
            fmt::format("revision cache not read: {}", hits.error().message()));
      }
    }
    std::vector<std::string> misses;
    for (const std::string& arn : arns) {
      auto hit = cached.find(arn);
      if (hit == cached.end()) {
        misses.push_back(arn);
        continue;
      }
      Add("ecs describe-task-definition", std::move(hit->second));
    }
    std::vector<std::optional<RevisionCache::Entry>> fetched(misses.size());
    ParallelFor(options_.pool, misses.size(), [&](size_t i) {
      Result<json> doc = CallObject(*ecs_, "DescribeTaskDefinition",
                                    {{"taskDefinition", misses[i]}, {"include", {"TAGS"}}});
      if (!doc.ok())
        return Failures("ecs describe-task-definition", "DescribeTaskDefinition", {misses[i]},
                        doc.error());
      std::string text = CompactJson(*doc);
      fetched[i] = RevisionCache::Entry{misses[i], result_.account_id, result_.region, text};
      Add("ecs describe-task-definition", std::move(text));
    });
    std::vector<RevisionCache::Entry> entries;
    for (auto& e : fetched) {
      if (e) entries.push_back(std::move(*e));
    }
    std::lock_guard lock(mu_);
    result_.cache_hits = static_cast<int64_t>(arns.size() - misses.size());
    result_.revisions_described = static_cast<int64_t>(entries.size());
    if (options_.cache && !entries.empty()) {
      if (Result<void> put = options_.cache->Put(entries); !put.ok()) {
        result_.warnings.push_back(
            fmt::format("revision cache not written: {}", put.error().message()));
      }
    }
  }

  // Describes the names or ARNs of each cluster in batches of `batch` (`operation` with the
  // list under `key`, tags included), keeps each answer as `command`, and returns the union of
  // what `pick` takes from the answers.
  using Pick = std::function<void(const json& answer, std::vector<std::string>* out)>;
  std::vector<std::string> DescribePerCluster(
      std::string_view operation, std::string_view key, size_t batch,
      const std::map<std::string, std::set<std::string>>& by_cluster, std::string_view command,
      std::string_view what, const Pick& pick) {
    std::vector<std::pair<std::string, std::vector<std::string>>> calls;
    for (const auto& [cluster, items] : by_cluster) {
      for (auto& b : Batches(Sorted(items), batch)) calls.emplace_back(cluster, std::move(b));
    }
    std::vector<std::vector<std::string>> found(calls.size());
    ParallelFor(options_.pool, calls.size(), [&](size_t i) {
      Result<json> doc = CallObject(*ecs_, operation,
                                    {{"cluster", calls[i].first},
                                     {std::string(key), calls[i].second},
                                     {"include", {"TAGS"}}});
      if (!doc.ok()) return ContextMissing(doc.error(), operation, what);
      pick(*doc, &found[i]);
      Add(std::string(command), CompactJson(*doc));
    });
    std::set<std::string> all;
    for (auto& list : found) all.insert(list.begin(), list.end());
    return Sorted(std::move(all));
  }

  // Returns the target groups the services are registered with.
  std::vector<std::string> DescribeServices(
      const std::map<std::string, std::set<std::string>>& by_cluster) {
    return DescribePerCluster(
        "DescribeServices", "services", kDescribeServicesBatch, by_cluster, "ecs describe-services",
        "services", [](const json& answer, std::vector<std::string>* out) {
          for (const json& s : answer.value("services", json::array())) {
            for (const json& lb :
                 s.is_object() ? s.value("loadBalancers", json::array()) : json::array()) {
              if (std::string tg = StringMember(lb, "targetGroupArn"); !tg.empty())
                out->push_back(tg);
            }
          }
        });
  }

  // ELBv2 batch calls fail as a whole when one ARN no longer exists; then each ARN is asked on
  // its own, and the ones that are gone are left out.
  std::vector<XmlElement> ElbBatch(std::string_view operation, std::string_view list_name,
                                   const std::vector<std::string>& arns, std::string_view what) {
    std::vector<XmlElement> pages;
    std::mutex pages_mu;
    auto batches = Batches(arns, kElbv2ArnBatch);
    ParallelFor(options_.pool, batches.size(), [&](size_t i) {
      QueryParams params;
      params.AddList(fmt::format("{}.member", list_name), batches[i]);
      Result<std::vector<XmlElement>> got = ElbAll(*elbv2_, operation, params);
      if (got.ok()) {
        std::lock_guard lock(pages_mu);
        for (XmlElement& p : *got) pages.push_back(std::move(p));
        return;
      }
      if (KindOf(got.error()) != AwsErrorKind::kNotFound || batches[i].size() == 1) {
        if (KindOf(got.error()) != AwsErrorKind::kNotFound) {
          ContextMissing(got.error(), operation, what);
        }
        return;
      }
      for (const std::string& arn : batches[i]) {
        QueryParams one;
        one.AddList(fmt::format("{}.member", list_name), {arn});
        Result<std::vector<XmlElement>> single = ElbAll(*elbv2_, operation, one);
        if (!single.ok()) {
          if (KindOf(single.error()) != AwsErrorKind::kNotFound) {
            ContextMissing(single.error(), operation, what);
          }
          continue;
        }
        std::lock_guard lock(pages_mu);
        for (XmlElement& p : *single) pages.push_back(std::move(p));
      }
    });
    return pages;
  }

  void DescribeLoadBalancing(const std::vector<std::string>& target_groups) {
    if (target_groups.empty()) return;
    std::set<std::string> load_balancers;
    std::vector<std::string> tagged;  // what exists: the target groups and load balancers found
    for (const XmlElement& page :
         ElbBatch("DescribeTargetGroups", "TargetGroupArns", target_groups, "target groups")) {
      Add("elbv2 describe-target-groups", Elbv2TargetGroupsJson(page));
      const XmlElement& result = QueryResult(page, "DescribeTargetGroups");
      for (std::string& lb : Texts(result, {"TargetGroups", "*", "LoadBalancerArns", "*"})) {
        load_balancers.insert(std::move(lb));
      }
      for (std::string& tg : Texts(result, {"TargetGroups", "*", "TargetGroupArn"})) {
        tagged.push_back(std::move(tg));
      }
    }
    std::vector<std::string> lbs = Sorted(std::move(load_balancers));
    for (const XmlElement& page :
         ElbBatch("DescribeLoadBalancers", "LoadBalancerArns", lbs, "load balancers")) {
      Add("elbv2 describe-load-balancers", Elbv2LoadBalancersJson(page));
      for (std::string& lb : Texts(QueryResult(page, "DescribeLoadBalancers"),
                                   {"LoadBalancers", "*", "LoadBalancerArn"})) {
        tagged.push_back(std::move(lb));
      }
    }
    for (const XmlElement& page : ElbBatch("DescribeTags", "ResourceArns", tagged, "tags")) {
      Add("elbv2 describe-tags", Elbv2TagsJson(page));
    }
  }

  // Returns the EC2 instance ids of the container instances.
  std::vector<std::string> DescribeContainerInstances(
      const std::map<std::string, std::set<std::string>>& by_cluster) {
    return DescribePerCluster(
        "DescribeContainerInstances", "containerInstances", kDescribeContainerInstancesBatch,
        by_cluster, "ecs describe-container-instances", "container instances",
        [](const json& answer, std::vector<std::string>* out) {
          for (const json& ci : answer.value("containerInstances", json::array())) {
            if (std::string id = StringMember(ci, "ec2InstanceId"); !id.empty()) out->push_back(id);
          }
        });
  }

  // Filters rather than id lists: an id list fails as a whole when one instance is gone.
  std::vector<XmlElement> Ec2Filtered(std::string_view operation, std::string_view filter,
                                      const std::vector<std::string>& ids, std::string_view what) {
    std::vector<XmlElement> pages;
    std::mutex pages_mu;
    auto batches = Batches(ids, kEc2FilterValues);
    ParallelFor(options_.pool, batches.size(), [&](size_t i) {
      QueryParams params;
      params.AddFilter(filter, batches[i]);
      Result<std::vector<XmlElement>> got = Ec2All(*ec2_, operation, params);
      if (!got.ok()) return ContextMissing(got.error(), operation, what);
      std::lock_guard lock(pages_mu);
      for (XmlElement& p : *got) pages.push_back(std::move(p));
    });
    return pages;
  }

  void DescribeNetwork(const std::vector<std::string>& instance_ids) {
    if (instance_ids.empty()) return;
    std::set<std::string> groups;
    for (const XmlElement& page :
         Ec2Filtered("DescribeInstances", "instance-id", instance_ids, "EC2 instances")) {
      Add("ec2 describe-instances", Ec2InstancesJson(page));
      for (std::string& g :
           Texts(page, {"reservationSet", "*", "instancesSet", "*", "groupSet", "*", "groupId"})) {
        groups.insert(std::move(g));
      }
    }
    if (groups.empty()) return;
    for (const XmlElement& page : Ec2Filtered("DescribeSecurityGroups", "group-id",
                                              Sorted(std::move(groups)), "security groups")) {
      Add("ec2 describe-security-groups", Ec2SecurityGroupsJson(page));
    }
  }

  RegionResult Finish() {
    std::lock_guard lock(mu_);
    if (!reasons_.empty()) {
      result_.state = all_denied_ ? CellState::kDenied : CellState::kFailed;
      std::vector<std::string> shown(reasons_.begin(),
                                     reasons_.begin() + std::min<size_t>(3, reasons_.size()));
      result_.detail = Join(shown, "; ");
      if (reasons_.size() > shown.size()) {
        result_.detail += fmt::format("; and {} more", reasons_.size() - shown.size());
      }
    }
    if (region_gap_) {
      result_.gaps.push_back(Gap{"Region", fmt::format("{}/{}", result_.account_id, result_.region),
                                 result_.account_id, result_.region, result_.detail});
    }
    for (const std::string& operation : context_operations_) {
      result_.context_gaps.push_back(ContextGap{result_.account_id, result_.region, operation});
    }
    // Documents in a stable order: by command, then content, whatever the threads did.
    std::sort(result_.documents.begin(), result_.documents.end(),
              [](const Document& a, const Document& b) {
                return std::tie(a.command, a.json) < std::tie(b.command, b.json);
              });
    return std::move(result_);
  }

  const CollectOptions& options_;
  std::unique_ptr<Client> ecs_, ec2_, elbv2_;
  std::mutex mu_;
  RegionResult result_;
  std::vector<std::string> reasons_;
  std::set<std::string> context_operations_;
  bool all_denied_ = true;
  bool region_gap_ = false;
};

}  // namespace

RegionResult CollectRegion(Session& session, const RegionTarget& target,
                           const CollectOptions& options) {
  std::unique_ptr<Client> clients[3];
  const ServiceInfo* services[3] = {&kEcs, &kEc2, &kElbv2};
  for (int i = 0; i < 3; ++i) {
    Result<std::unique_ptr<Client>> c =
        session.NewClient(*services[i], target.region, target.credentials);
    if (!c.ok()) {
      RegionResult failed;
      failed.account_id = target.account_id;
      failed.region = target.region;
      failed.state = CellState::kFailed;
      failed.detail = c.error().message();
      failed.gaps.push_back(Gap{"Region", fmt::format("{}/{}", target.account_id, target.region),
                                target.account_id, target.region, failed.detail});
      return failed;
    }
    clients[i] = std::move(c).value();
  }
  return RegionCollector(target, options, std::move(clients[0]), std::move(clients[1]),
                         std::move(clients[2]))
      .Run();
}

}  // namespace ecsguard::ingest::aws
