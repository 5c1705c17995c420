// CollectRegion against FakeAws: every paginator walked to its end, every batch limit kept, one
// DescribeTaskDefinition per distinct in-use revision (none for cached ones), and failures turned
// into coverage states, gaps and warnings. The documents are checked by feeding them to the
// snapshot adapter, as the live scan does.

#include "ingest/aws/collect.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <set>

#include "fake_aws.h"
#include "ingest/snapshot/snapshot.h"

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
constexpr char kAccount[] = "123456789012";
constexpr char kRegion[] = "us-east-1";

std::string EcsArn(const std::string& resource) {
  return fmt::format("arn:aws:ecs:{}:{}:{}", kRegion, kAccount, resource);
}
std::string ElbArn(const std::string& resource) {
  return fmt::format("arn:aws:elasticloadbalancing:{}:{}:{}", kRegion, kAccount, resource);
}

// One page of `all` as a JSON-protocol list call answers it: at most min(maxResults,
// `server_page`) items, and a nextToken (the next index) while there are more.
json Page(const std::vector<std::string>& all, const FakeCall& c, const std::string& key,
          size_t server_page) {
  size_t start =
      c.json.contains("nextToken") ? std::stoul(c.json["nextToken"].get<std::string>()) : 0;
  size_t size = std::min<size_t>(server_page, c.json.value("maxResults", 100));
  json out = {{key, json::array()}};
  for (size_t i = start; i < std::min(all.size(), start + size); ++i) out[key].push_back(all[i]);
  if (start + size < all.size()) out["nextToken"] = std::to_string(start + size);
  return out;
}

// The largest batch a call was sent, by operation.
class BatchSizes {
 public:
  void Note(const std::string& operation, size_t n) {
    std::lock_guard lock(mu_);
    max_[operation] = std::max(max_[operation], n);
  }
  size_t Max(const std::string& operation) {
    std::lock_guard lock(mu_);
    return max_[operation];
  }

 private:
  std::mutex mu_;
  std::map<std::string, size_t> max_;
};

json TaskDefinition(const std::string& family, int revision, const std::string& status,
                    const std::string& mode, json container) {
  return {{"taskDefinition",
           {{"taskDefinitionArn", EcsArn(fmt::format("task-definition/{}:{}", family, revision))},
            {"family", family},
            {"revision", revision},
            {"status", status},
            {"networkMode", mode},
            {"containerDefinitions", json::array({container})}}},
          {"tags", json::array()}};
}

// The ECS, EC2 and ELBv2 of one region. Cluster "big" runs 250 tasks on 150 container instances
// for 23 services (one target group each, behind 3 load balancers), using 3 revisions, one of
// them deregistered; cluster "small" has one task that stopped but is still desired RUNNING;
// cluster "empty" has none. Every list answers in pages smaller than asked for.
class FakeRegion {
 public:
  explicit FakeRegion(FakeAws* aws) : aws_(aws) {
    for (const char* c : {"big", "small", "empty"})
      clusters_.push_back(EcsArn(fmt::format("cluster/{}", c)));
    revisions_[EcsArn("task-definition/web:1")] =
        TaskDefinition("web", 1, "ACTIVE", "host", {{"name", "web"}, {"privileged", true}});
    revisions_[EcsArn("task-definition/web:2")] =
        TaskDefinition("web", 2, "ACTIVE", "host", {{"name", "web"}, {"user", "1000"}});
    revisions_[EcsArn("task-definition/batch:7")] =
        TaskDefinition("batch", 7, "INACTIVE", "host", {{"name", "batch"}, {"user", "root"}});
    revisions_[EcsArn("task-definition/old:1")] =
        TaskDefinition("old", 1, "ACTIVE", "host", {{"name", "old"}, {"privileged", true}});
    const std::string in_use[] = {EcsArn("task-definition/web:1"), EcsArn("task-definition/web:2"),
                                  EcsArn("task-definition/batch:7")};
    for (int i = 0; i < 250; ++i) {
      std::string arn = EcsArn(fmt::format("task/big/t{:03}", i));
      tasks_[clusters_[0]].push_back(arn);
      task_[arn] = {
          {"taskArn", arn},
          {"clusterArn", clusters_[0]},
          {"taskDefinitionArn", in_use[i % 3]},
          {"desiredStatus", "RUNNING"},
          {"lastStatus", "RUNNING"},
          {"group", fmt::format("service:svc-{:02}", i % 23)},
          {"containerInstanceArn", EcsArn(fmt::format("container-instance/big/ci{:03}", i % 150))}};
    }
    std::string stopped = EcsArn("task/small/s1");
    tasks_[clusters_[1]].push_back(stopped);
    task_[stopped] = {{"taskArn", stopped},
                      {"clusterArn", clusters_[1]},
                      {"taskDefinitionArn", EcsArn("task-definition/old:1")},
                      {"desiredStatus", "RUNNING"},
                      {"lastStatus", "STOPPED"},
                      {"group", "family:old"}};
    Install();
  }

  void Install() {
    aws_->On("ecs", "ListClusters",
             [this](const FakeCall& c) { return Json(Page(clusters_, c, "clusterArns", 2)); });
    aws_->On("ecs", "DescribeClusters", [this](const FakeCall& c) {
      sizes.Note("DescribeClusters", c.json["clusters"].size());
      json out = {{"clusters", json::array()}, {"failures", json::array()}};
      for (const json& arn : c.json["clusters"]) {
        std::string name = arn.get<std::string>().substr(arn.get<std::string>().rfind('/') + 1);
        out["clusters"].push_back({{"clusterArn", arn},
                                   {"clusterName", name},
                                   {"status", "ACTIVE"},
                                   {"tags", {{{"key", "environment"}, {"value", "production"}}}}});
      }
      return Json(out);
    });
    aws_->On("ecs", "ListTasks", [this](const FakeCall& c) {
      EXPECT_EQ(c.json.value("desiredStatus", ""), "RUNNING");
      return Json(Page(tasks_[c.json["cluster"].get<std::string>()], c, "taskArns", 100));
    });
    aws_->On("ecs", "DescribeTasks", [this](const FakeCall& c) {
      sizes.Note("DescribeTasks", c.json["tasks"].size());
      if (c.json["tasks"].size() > kDescribeTasksBatch) {
        return JsonError(400, "InvalidParameterException", "too many tasks");
      }
      json out = {{"tasks", json::array()}, {"failures", json::array()}};
      for (const json& arn : c.json["tasks"]) {
        auto it = task_.find(arn.get<std::string>());
        if (it != task_.end()) {
          out["tasks"].push_back(it->second);
        } else {
          out["failures"].push_back({{"arn", arn}, {"reason", "MISSING"}});
        }
      }
      return Json(out);
    });
    aws_->On("ecs", "DescribeTaskDefinition", [this](const FakeCall& c) {
      EXPECT_EQ(c.json["include"], json::array({"TAGS"}));
      auto it = revisions_.find(c.json["taskDefinition"].get<std::string>());
      if (it == revisions_.end()) return JsonError(400, "ClientException", "not found");
      return Json(it->second);
    });
    aws_->On("ecs", "ListTaskDefinitions", [this](const FakeCall& c) {
      EXPECT_EQ(c.json.value("status", ""), "ACTIVE");
      std::vector<std::string> active;
      for (const auto& [arn, td] : revisions_) {
        if (td["taskDefinition"]["status"] == "ACTIVE") active.push_back(arn);
      }
      return Json(Page(active, c, "taskDefinitionArns", 1));
    });
    aws_->On("ecs", "DescribeServices", [this](const FakeCall& c) {
      sizes.Note("DescribeServices", c.json["services"].size());
      if (c.json["services"].size() > kDescribeServicesBatch) {
        return JsonError(400, "InvalidParameterException", "too many services");
      }
      json out = {{"services", json::array()}, {"failures", json::array()}};
      for (const json& name : c.json["services"]) {
        int n = std::stoi(name.get<std::string>().substr(4));
        out["services"].push_back(
            {{"serviceArn", EcsArn(fmt::format("service/big/{}", name.get<std::string>()))},
             {"serviceName", name},
             {"clusterArn", c.json["cluster"]},
             {"status", "ACTIVE"},
             {"loadBalancers",
              {{{"targetGroupArn", ElbArn(fmt::format("targetgroup/tg-{:02}/x", n))}}}}});
      }
      return Json(out);
    });
    aws_->On("ecs", "DescribeContainerInstances", [this](const FakeCall& c) {
      sizes.Note("DescribeContainerInstances", c.json["containerInstances"].size());
      if (c.json["containerInstances"].size() > kDescribeContainerInstancesBatch) {
        return JsonError(400, "InvalidParameterException", "too many container instances");
      }
      json out = {{"containerInstances", json::array()}, {"failures", json::array()}};
      for (const json& arn : c.json["containerInstances"]) {
        std::string id = arn.get<std::string>().substr(arn.get<std::string>().rfind("ci") + 2);
        out["containerInstances"].push_back(
            {{"containerInstanceArn", arn}, {"ec2InstanceId", "i-0" + id}, {"status", "ACTIVE"}});
      }
      return Json(out);
    });
    aws_->On("ec2", "DescribeInstances", [this](const FakeCall& c) {
      EXPECT_EQ(c.form.at("Filter.1.Name"), "instance-id");
      EXPECT_FALSE(c.form.contains("InstanceId.1"));
      std::vector<std::string> ids = c.List("Filter.1.Value");
      sizes.Note("DescribeInstances", ids.size());
      // EC2 pages by 100 whatever MaxResults says.
      size_t start = c.form.contains("NextToken") ? std::stoul(c.form.at("NextToken")) : 0;
      std::string items;
      for (size_t i = start; i < std::min(ids.size(), start + 100); ++i) {
        items += fmt::format(
            "<item><instanceId>{}</instanceId><instanceState><code>16</code><name>running</name>"
            "</instanceState><placement><availabilityZone>us-east-1a</availabilityZone>"
            "</placement><vpcId>vpc-1</vpcId>{}<groupSet><item><groupId>sg-1</groupId>"
            "<groupName>web</groupName></item></groupSet><tagSet><item><key>Name</key>"
            "<value>n{}</value></item></tagSet></item>",
            ids[i], i == 0 ? "<ipAddress>203.0.113.7</ipAddress>" : "", i);
      }
      std::string next =
          start + 100 < ids.size() ? fmt::format("<nextToken>{}</nextToken>", start + 100) : "";
      return Xml(
          fmt::format("<DescribeInstancesResponse><reservationSet><item><reservationId>r-1"
                      "</reservationId><ownerId>{}</ownerId><instancesSet>{}</instancesSet>"
                      "</item></reservationSet>{}</DescribeInstancesResponse>",
                      kAccount, items, next));
    });
    aws_->On("ec2", "DescribeSecurityGroups", [this](const FakeCall& c) {
      EXPECT_EQ(c.List("Filter.1.Value"), std::vector<std::string>{"sg-1"});
      return Xml(fmt::format(
          "<DescribeSecurityGroupsResponse><securityGroupInfo><item><groupId>sg-1</groupId>"
          "<groupName>web</groupName><ownerId>{}</ownerId><vpcId>vpc-1</vpcId><ipPermissions>"
          "<item><ipProtocol>tcp</ipProtocol><fromPort>443</fromPort><toPort>443</toPort>"
          "<groups/><ipRanges><item><cidrIp>0.0.0.0/0</cidrIp></item></ipRanges></item>"
          "</ipPermissions></item></securityGroupInfo></DescribeSecurityGroupsResponse>",
          kAccount));
    });
    aws_->On("elasticloadbalancing", "DescribeTargetGroups", [this](const FakeCall& c) {
      std::vector<std::string> arns = c.List("TargetGroupArns.member");
      sizes.Note("DescribeTargetGroups", arns.size());
      if (arns.size() > kElbv2ArnBatch) return QueryError(400, "ValidationError", "too many");
      std::string members;
      for (const std::string& arn : arns) {
        int n = std::stoi(arn.substr(arn.find("tg-") + 3, 2));
        members += fmt::format(
            "<member><TargetGroupArn>{}</TargetGroupArn><TargetGroupName>tg-{:02}"
            "</TargetGroupName><Port>8080</Port><TargetType>instance</TargetType>"
            "<LoadBalancerArns><member>{}</member></LoadBalancerArns></member>",
            arn, n, ElbArn(fmt::format("loadbalancer/app/lb-{}/x", n % 3)));
      }
      return Xml(
          fmt::format("<DescribeTargetGroupsResponse><DescribeTargetGroupsResult>"
                      "<TargetGroups>{}</TargetGroups></DescribeTargetGroupsResult>"
                      "</DescribeTargetGroupsResponse>",
                      members));
    });
    aws_->On("elasticloadbalancing", "DescribeLoadBalancers", [this](const FakeCall& c) {
      std::vector<std::string> arns = c.List("LoadBalancerArns.member");
      sizes.Note("DescribeLoadBalancers", arns.size());
      std::string members;
      for (const std::string& arn : arns) {
        bool public_lb = arn.find("lb-0") != std::string::npos;
        members += fmt::format(
            "<member><LoadBalancerArn>{}</LoadBalancerArn><LoadBalancerName>{}</LoadBalancerName>"
            "<Scheme>{}</Scheme><Type>application</Type></member>",
            arn, arn.substr(arn.find("lb-"), 4), public_lb ? "internet-facing" : "internal");
      }
      return Xml(
          fmt::format("<DescribeLoadBalancersResponse><DescribeLoadBalancersResult>"
                      "<LoadBalancers>{}</LoadBalancers></DescribeLoadBalancersResult>"
                      "</DescribeLoadBalancersResponse>",
                      members));
    });
    aws_->On("elasticloadbalancing", "DescribeTags", [this](const FakeCall& c) {
      std::vector<std::string> arns = c.List("ResourceArns.member");
      sizes.Note("DescribeTags", arns.size());
      if (arns.size() > kElbv2ArnBatch) return QueryError(400, "ValidationError", "too many");
      std::string members;
      for (const std::string& arn : arns) {
        members += fmt::format(
            "<member><ResourceArn>{}</ResourceArn><Tags><member><Key>team</Key><Value>web"
            "</Value></member></Tags></member>",
            arn);
      }
      return Xml(
          fmt::format("<DescribeTagsResponse><DescribeTagsResult><TagDescriptions>{}"
                      "</TagDescriptions></DescribeTagsResult></DescribeTagsResponse>",
                      members));
    });
  }

  BatchSizes sizes;
  std::vector<std::string> clusters_;
  std::map<std::string, std::vector<std::string>> tasks_;
  std::map<std::string, json> task_;
  std::map<std::string, json> revisions_;

 private:
  FakeAws* aws_;
};

class MapCache final : public RevisionCache {
 public:
  Result<std::map<std::string, std::string>> Get(const std::vector<std::string>& arns) override {
    std::lock_guard lock(mu_);
    ++gets;
    std::map<std::string, std::string> out;
    for (const std::string& arn : arns) {
      if (auto it = bodies.find(arn); it != bodies.end()) out.insert(*it);
    }
    return out;
  }
  Result<void> Put(const std::vector<Entry>& entries) override {
    std::lock_guard lock(mu_);
    for (const Entry& e : entries) {
      EXPECT_EQ(e.account_id, kAccount);
      EXPECT_EQ(e.region, kRegion);
      bodies[e.arn] = e.body;
    }
    return {};
  }
  std::mutex mu_;
  std::map<std::string, std::string> bodies;
  int gets = 0;
};

class CollectTest : public ::testing::Test {
 protected:
  CollectTest() : clock_(kT0), region_(&aws_), pool_(4) {
    session_ = testing::FakeAwsSession(&aws_, &clock_);
  }

  RegionResult Collect(CollectOptions options = {}) {
    if (!options.pool) options.pool = &pool_;
    return CollectRegion(*session_, RegionTarget{kAccount, kRegion, nullptr}, options);
  }

  static SnapshotResult Load(const RegionResult& r) {
    std::string text;
    for (const Document& d : r.documents) text += d.json + "\n";
    return LoadSnapshotText(text, "live");
  }

  static size_t Documents(const RegionResult& r, const std::string& command) {
    return std::count_if(r.documents.begin(), r.documents.end(),
                         [&](const Document& d) { return d.command == command; });
  }

  FakeAws aws_;
  FixedClock clock_;
  FakeRegion region_;
  WorkPool pool_;
  std::unique_ptr<Session> session_;
};

TEST_F(CollectTest, WalksEveryPaginatorAndKeepsEveryBatchLimit) {
  RegionResult r = Collect();
  EXPECT_EQ(r.state, CellState::kEvaluated) << r.detail;
  EXPECT_TRUE(r.gaps.empty());
  EXPECT_TRUE(r.warnings.empty()) << r.warnings[0];

  // 3 clusters in pages of 2; "big" has 250 tasks in pages of 100; "small" and "empty" 1 each.
  EXPECT_EQ(aws_.Count("ecs", "ListClusters"), 2u);
  EXPECT_EQ(aws_.Count("ecs", "ListTasks"), 5u);
  for (const FakeCall& c : aws_.Calls("ecs", "ListTasks")) EXPECT_EQ(c.json["maxResults"], 100);
  EXPECT_EQ(aws_.Count("ecs", "DescribeClusters"), 1u);
  EXPECT_EQ(aws_.Count("ecs", "DescribeTasks"), 4u);  // 100 + 100 + 50, and 1
  EXPECT_EQ(region_.sizes.Max("DescribeTasks"), 100u);
  EXPECT_EQ(aws_.Count("ecs", "DescribeServices"), 3u);  // 23 services: 10 + 10 + 3
  EXPECT_EQ(region_.sizes.Max("DescribeServices"), 10u);
  EXPECT_EQ(aws_.Count("ecs", "DescribeContainerInstances"), 2u);  // 150: 100 + 50
  EXPECT_EQ(region_.sizes.Max("DescribeContainerInstances"), 100u);
  EXPECT_EQ(aws_.Count("ec2", "DescribeInstances"), 2u);  // one filter of 150 ids, 2 pages
  EXPECT_EQ(aws_.Count("ec2", "DescribeSecurityGroups"), 1u);
  EXPECT_EQ(aws_.Count("elasticloadbalancing", "DescribeTargetGroups"), 2u);  // 23: 20 + 3
  EXPECT_EQ(region_.sizes.Max("DescribeTargetGroups"), 20u);
  EXPECT_EQ(aws_.Count("elasticloadbalancing", "DescribeLoadBalancers"), 1u);
  EXPECT_EQ(aws_.Count("elasticloadbalancing", "DescribeTags"), 2u);  // 23 + 3 ARNs: 20 + 6
  EXPECT_EQ(region_.sizes.Max("DescribeTags"), 20u);
  // Once per distinct in-use revision: not old:1 (its task stopped), nothing listed.
  EXPECT_EQ(aws_.Count("ecs", "DescribeTaskDefinition"), 3u);
  EXPECT_EQ(aws_.Count("ecs", "ListTaskDefinitions"), 0u);
  EXPECT_EQ(r.revisions_described, 3);
  EXPECT_EQ(aws_.Total(), 2u + 5 + 1 + 4 + 3 + 3 + 2 + 2 + 1 + 2 + 1 + 2);
}

TEST_F(CollectTest, DocumentsBuildTheGraphWithEdgesAndTags) {
  SnapshotResult s = Load(Collect());
  EXPECT_TRUE(s.problems.empty()) << s.problems[0].ToString();
  EXPECT_TRUE(s.gaps.empty());
  EXPECT_EQ(s.stats.task_definitions, 3u);
  EXPECT_EQ(s.stats.tasks, 251u);
  EXPECT_EQ(s.stats.tasks_in_use, 250u);
  EXPECT_EQ(s.stats.services, 23u);
  EXPECT_EQ(s.stats.container_instances, 150u);
  EXPECT_EQ(s.stats.ec2_instances, 150u);
  EXPECT_EQ(s.stats.load_balancers, 3u);
  EXPECT_EQ(s.stats.target_groups, 23u);
  // The deregistered revision is found through its tasks.
  auto batch = s.graph.FindNode(EcsArn("task-definition/batch:7"));
  ASSERT_TRUE(batch);
  EXPECT_EQ(s.graph.GetProp(*batch, "status").as_string(), "INACTIVE");
  auto instance =
      s.graph.FindNode(fmt::format("arn:aws:ec2:{}:{}:instance/i-0000", kRegion, kAccount));
  ASSERT_TRUE(instance);
  EXPECT_EQ(s.graph.GetProp(*instance, "publicIpAddress").as_string(), "203.0.113.7");
  auto sg =
      s.graph.FindNode(fmt::format("arn:aws:ec2:{}:{}:security-group/sg-1", kRegion, kAccount));
  ASSERT_TRUE(sg);
  EXPECT_TRUE(s.graph.GetProp(*sg, "openToInternet").as_bool());
  auto lb = s.graph.FindNode(ElbArn("loadbalancer/app/lb-0/x"));
  ASSERT_TRUE(lb);
  EXPECT_EQ(s.graph.GetProp(*lb, "scheme").as_string(), "internet-facing");
  EXPECT_EQ(s.graph.GetProp(*lb, "tags").as_list()[0].as_string(), "team=web");
  auto cluster = s.graph.FindNode(EcsArn("cluster/big"));
  ASSERT_TRUE(cluster);
  EXPECT_EQ(s.graph.GetProp(*cluster, "tags").as_list()[0].as_string(), "environment=production");
}

TEST_F(CollectTest, CachedRevisionsAreNotDescribedAgain) {
  MapCache cache;
  RegionResult cold = Collect({.cache = &cache});
  EXPECT_EQ(cold.cache_hits, 0);
  EXPECT_EQ(cache.bodies.size(), 3u);
  EXPECT_EQ(aws_.Count("ecs", "DescribeTaskDefinition"), 3u);

  RegionResult warm = Collect({.cache = &cache});
  EXPECT_EQ(warm.cache_hits, 3);
  EXPECT_EQ(warm.revisions_described, 0);
  EXPECT_EQ(aws_.Count("ecs", "DescribeTaskDefinition"), 3u);  // none more
  EXPECT_EQ(Documents(warm, "ecs describe-task-definition"), 3u);
  SnapshotResult s = Load(warm);
  EXPECT_EQ(s.stats.task_definitions, 3u);
  EXPECT_TRUE(s.gaps.empty());
}

TEST_F(CollectTest, AllRevisionsListsAndDescribesEveryActiveRevision) {
  RegionResult r = Collect({.all_revisions = true});
  EXPECT_EQ(aws_.Count("ecs", "ListTaskDefinitions"), 3u);  // pages of 1
  // web:1, web:2 and old:1 are ACTIVE; batch:7 is in use.
  EXPECT_EQ(aws_.Count("ecs", "DescribeTaskDefinition"), 4u);
  SnapshotResult s = Load(r);
  auto old = s.graph.FindNode(EcsArn("task-definition/old:1"));
  ASSERT_TRUE(old);
  EXPECT_TRUE(s.graph.GetProp(*old, "isLatestRevision").as_bool());
}

// Issue 11: service and task-set controls judge services no task runs (ListServices per
// cluster), ECS.19 the capacity providers (DescribeCapacityProviders, every page); cluster
// settings come with DescribeClusters. Without those controls none of these calls is made (the
// first test's total).
TEST_F(CollectTest, ServiceAndCapacityProviderControlsReadWhatTheyJudge) {
  aws_.On("ecs", "ListServices", [](const FakeCall& c) {
    json arns = json::array();
    if (c.json["cluster"] == EcsArn("cluster/empty"))
      arns.push_back(EcsArn("service/empty/svc-99"));
    return Json({{"serviceArns", arns}});
  });
  aws_.On("ecs", "DescribeCapacityProviders", [](const FakeCall& c) {
    if (!c.json.contains("nextToken")) {
      return Json({{"capacityProviders",
                    {{{"capacityProviderArn", EcsArn("capacity-provider/asg")},
                      {"name", "asg"},
                      {"status", "ACTIVE"},
                      {"autoScalingGroupProvider",
                       {{"autoScalingGroupArn", "arn:aws:autoscaling:x"},
                        {"managedTerminationProtection", "DISABLED"}}}}}},
                   {"nextToken", "t1"}});
    }
    return Json({{"capacityProviders", {{{"name", "FARGATE"}, {"status", "ACTIVE"}}}}});
  });
  RegionResult r = Collect({.all_services = true, .capacity_providers = true});
  EXPECT_EQ(r.state, CellState::kEvaluated) << r.detail;
  EXPECT_EQ(aws_.Count("ecs", "ListServices"), 3u);
  EXPECT_EQ(aws_.Count("ecs", "DescribeCapacityProviders"), 2u);
  for (const FakeCall& c : aws_.Calls("ecs", "DescribeClusters")) {
    EXPECT_EQ(c.json["include"], json::array({"TAGS", "SETTINGS"}));
  }
  SnapshotResult s = Load(r);
  EXPECT_TRUE(s.problems.empty()) << s.problems[0].ToString();
  auto provider = s.graph.FindNode(EcsArn("capacity-provider/asg"));
  ASSERT_TRUE(provider);
  EXPECT_EQ(s.graph.GetProp(*provider, "managedTerminationProtection").as_string(), "DISABLED");
  EXPECT_TRUE(s.graph.FindNode(EcsArn("service/big/svc-99")));  // the fake names every one big
  EXPECT_EQ(s.stats.services, 24u);
}

TEST_F(CollectTest, AccessDeniedRegionIsDeniedWithARegionGap) {
  aws_.On("ecs", "ListClusters", [](const FakeCall&) {
    return JsonError(400, "AccessDeniedException", "not authorized to perform ecs:ListClusters");
  });
  RegionResult r = Collect();
  EXPECT_EQ(r.state, CellState::kDenied);
  EXPECT_NE(r.detail.find("AccessDeniedException"), std::string::npos) << r.detail;
  EXPECT_TRUE(r.documents.empty());
  ASSERT_EQ(r.gaps.size(), 1u);
  EXPECT_EQ(r.gaps[0].asset_type, "Region");
  EXPECT_EQ(r.gaps[0].id, "123456789012/us-east-1");
  EXPECT_EQ(r.gaps[0].account_id, kAccount);
  EXPECT_EQ(r.gaps[0].region, kRegion);
  EXPECT_EQ(r.gaps[0].reason, r.detail);
  EXPECT_EQ(aws_.Total(), 1u);  // not retried, nothing else asked
}

TEST_F(CollectTest, ClusterWhoseTasksCannotBeListedFailsTheCell) {
  aws_.On("ecs", "ListTasks", [this](const FakeCall& c) {
    if (c.json["cluster"] == region_.clusters_[1]) {
      return JsonError(500, "ServerException", "internal error");
    }
    return Json(Page(region_.tasks_[c.json["cluster"].get<std::string>()], c, "taskArns", 100));
  });
  RegionResult r = Collect();
  EXPECT_EQ(r.state, CellState::kFailed);
  ASSERT_EQ(r.gaps.size(), 1u);
  EXPECT_EQ(r.gaps[0].asset_type, "Region");
  EXPECT_NE(r.gaps[0].reason.find("cluster/small could not be listed"), std::string::npos)
      << r.gaps[0].reason;
  // Retried (3 attempts), then the rest of the region is still read.
  EXPECT_EQ(aws_.Count("ecs", "ListTasks"), 3u + 3 + 1);  // big, small (3 attempts), empty
  EXPECT_EQ(aws_.Count("ecs", "DescribeTaskDefinition"), 3u);
}

TEST_F(CollectTest, UndescribableRevisionBecomesAGapWithTheReason) {
  aws_.On("ecs", "DescribeTaskDefinition", [this](const FakeCall& c) {
    std::string arn = c.json["taskDefinition"].get<std::string>();
    if (arn.ends_with("batch:7")) return JsonError(400, "AccessDeniedException", "no");
    return Json(region_.revisions_[arn]);
  });
  RegionResult r = Collect();
  EXPECT_EQ(r.state, CellState::kDenied);
  EXPECT_TRUE(r.gaps.empty());  // the documents carry it
  SnapshotResult s = Load(r);
  ASSERT_EQ(s.gaps.size(), 1u);
  EXPECT_EQ(s.gaps[0].asset_type, "ECSTaskDefinition");
  EXPECT_EQ(s.gaps[0].id, EcsArn("task-definition/batch:7"));
  EXPECT_NE(s.gaps[0].reason.find("DescribeTaskDefinition access_denied"), std::string::npos)
      << s.gaps[0].reason;
  EXPECT_NE(s.gaps[0].reason.find("in use by running task"), std::string::npos);
  EXPECT_EQ(s.stats.task_definitions, 2u);
}

TEST_F(CollectTest, TasksThatCannotBeDescribedBecomeTaskGaps) {
  aws_.On("ecs", "DescribeTasks",
          [](const FakeCall&) { return JsonError(400, "ThrottlingException", "Rate exceeded"); });
  RegionResult r = Collect();
  EXPECT_EQ(r.state, CellState::kFailed);
  // Every batch, 10 attempts each (a throttle's budget, RetryOptions::max_throttle_attempts).
  EXPECT_EQ(aws_.Count("ecs", "DescribeTasks"), 4u * 10);
  SnapshotResult s = Load(r);
  EXPECT_EQ(s.gaps.size(), 251u);
  EXPECT_EQ(s.gaps[0].asset_type, "ECSTask");
  EXPECT_NE(s.gaps[0].reason.find("after 10 attempts"), std::string::npos) << s.gaps[0].reason;
  EXPECT_EQ(aws_.Count("ecs", "DescribeTaskDefinition"), 0u);
}

TEST_F(CollectTest, TasksThatVanishedBeforeTheDescribeAreDropped) {
  region_.tasks_[region_.clusters_[1]].push_back(EcsArn("task/small/gone"));
  RegionResult r = Collect();
  EXPECT_EQ(r.state, CellState::kEvaluated);
  SnapshotResult s = Load(r);
  EXPECT_TRUE(s.gaps.empty());
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_NE(r.warnings[0].find("1 task stopped"), std::string::npos) << r.warnings[0];
}

TEST_F(CollectTest, ContextThatCannotBeReadIsAWarningAndAContextGap) {
  aws_.On("ec2", "DescribeInstances", [](const FakeCall&) {
    return QueryError(403, "UnauthorizedOperation", "not authorized");
  });
  aws_.On("ecs", "DescribeServices", [](const FakeCall&) {
    return JsonError(400, "AccessDeniedException", "not authorized");
  });
  RegionResult r = Collect();
  EXPECT_EQ(r.state, CellState::kEvaluated);
  // A warning per failed call (DescribeServices is one call per cluster), a gap per operation.
  size_t instances = 0, services = 0;
  for (const std::string& w : r.warnings) {
    instances += w.find("EC2 instances could not be read") != std::string::npos;
    services += w.find("services could not be read") != std::string::npos;
  }
  EXPECT_EQ(instances, 1u);
  EXPECT_GE(services, 1u);
  EXPECT_EQ(instances + services, r.warnings.size());
  EXPECT_EQ(aws_.Count("ec2", "DescribeSecurityGroups"), 0u);
  ASSERT_EQ(r.context_gaps.size(), 2u);
  EXPECT_EQ(r.context_gaps[0].operation, "DescribeInstances");
  EXPECT_EQ(r.context_gaps[1].operation, "DescribeServices");
  EXPECT_EQ(r.context_gaps[1].account_id, kAccount);
  EXPECT_EQ(r.context_gaps[1].region, kRegion);
}

TEST_F(CollectTest, TargetGroupsThatAreGoneAreAskedOneByOne) {
  aws_.On("elasticloadbalancing", "DescribeTargetGroups", [](const FakeCall& c) {
    std::vector<std::string> arns = c.List("TargetGroupArns.member");
    for (const std::string& arn : arns) {
      if (arn.find("tg-03") != std::string::npos) {
        return QueryError(400, "TargetGroupNotFound", "One or more target groups not found");
      }
    }
    std::string members;
    for (const std::string& arn : arns) {
      members += fmt::format("<member><TargetGroupArn>{}</TargetGroupArn></member>", arn);
    }
    return Xml(
        fmt::format("<DescribeTargetGroupsResponse><DescribeTargetGroupsResult>"
                    "<TargetGroups>{}</TargetGroups></DescribeTargetGroupsResult>"
                    "</DescribeTargetGroupsResponse>",
                    members));
  });
  RegionResult r = Collect();
  EXPECT_TRUE(r.warnings.empty());
  EXPECT_TRUE(r.context_gaps.empty());
  // The first batch of 20 fails, then its 20 ARNs one by one; the second batch of 3 works.
  EXPECT_EQ(aws_.Count("elasticloadbalancing", "DescribeTargetGroups"), 1u + 20 + 1);
  SnapshotResult s = Load(r);
  EXPECT_EQ(s.stats.target_groups, 22u);
}

TEST(WorkPoolTest, ParallelForRunsEveryIndexOnceEvenWhenNested) {
  WorkPool pool(2);
  std::vector<std::atomic<int>> hits(100);
  ParallelFor(&pool, 10,
              [&](size_t i) { ParallelFor(&pool, 10, [&](size_t j) { ++hits[i * 10 + j]; }); });
  for (auto& h : hits) EXPECT_EQ(h.load(), 1);
  std::atomic<int> jobs{0};
  for (int i = 0; i < 20; ++i) pool.Submit([&] { ++jobs; });
  pool.Wait();
  EXPECT_EQ(jobs.load(), 20);
  int sequential = 0;
  ParallelFor(nullptr, 5, [&](size_t) { ++sequential; });
  EXPECT_EQ(sequential, 5);
}

}  // namespace
}  // namespace ecsguard::ingest::aws
