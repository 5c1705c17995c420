#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "posture/posture.h"
#include "support.h"

namespace ecsguard::posture {
namespace {

constexpr char kGraph[] = R"({
  "nodes": [
    {"id": "td", "label": "ECSTaskDefinition", "props": {"accountId": "111122223333"}},
    {"id": "spec", "label": "ECSTaskContainerSpec", "props": {"name": "web", "hostPorts": [8080]}},
    {"id": "task", "label": "ECSTask", "props": {"tags": ["team=a"]}},
    {"id": "svc", "label": "ECSService", "props": {"name": "web", "tags": ["Environment=Production"]}},
    {"id": "cluster", "label": "ECSCluster", "props": {"tags": ["env=staging"]}},
    {"id": "ci", "label": "ECSContainerInstance"},
    {"id": "ec2", "label": "EC2Instance", "props": {"instanceId": "i-1", "publicIpAddress": "203.0.113.7"}},
    {"id": "sg", "label": "SecurityGroup", "props": {"groupId": "sg-1", "ingressRules": ["tcp:22-22:10.0.0.0/8", "tcp:8000-8100:0.0.0.0/0"]}},
    {"id": "tg", "label": "TargetGroup"},
    {"id": "lb", "label": "LoadBalancer", "props": {"name": "internal-alb", "scheme": "internal"}}
  ],
  "relationships": [
    {"type": "HAS_CONTAINER_DEFINITION", "from": "td", "to": "spec"},
    {"type": "HAS_TASK_DEFINITION", "from": "task", "to": "td"},
    {"type": "HAS_TASK", "from": "svc", "to": "task"},
    {"type": "HAS_TASK", "from": "cluster", "to": "task"},
    {"type": "HAS_TASK", "from": "ci", "to": "task"},
    {"type": "IS_INSTANCE", "from": "ci", "to": "ec2"},
    {"type": "MEMBER_OF_SECURITY_GROUP", "from": "ec2", "to": "sg"},
    {"type": "HAS_TARGET_GROUP", "from": "svc", "to": "tg"},
    {"type": "HAS_TARGET_GROUP", "from": "lb", "to": "tg"}
  ]
})";

TEST(ContextTest, PublicInstanceWithOpenHostPortInProductionIsP1) {
  auto g = graph::LoadGraphJson(kGraph);
  ASSERT_TRUE(g.ok()) << g.error().ToString();
  Context ctx = ContextOf(*g, *g->FindNode("td"));
  EXPECT_EQ(ctx.exposure, Exposure::kInternet);
  ASSERT_EQ(ctx.exposure_reasons.size(), 1u);
  EXPECT_NE(ctx.exposure_reasons[0].find("opens host port 8080 to 0.0.0.0/0"), std::string::npos);
  // The service's tag wins over the cluster's: task, service, cluster, instance, account.
  EXPECT_EQ(ctx.environment, "production");
  EXPECT_NE(ctx.environment_source.find("Environment=Production on service"), std::string::npos);
  EXPECT_EQ(ctx.priority, Priority::kP1);
  EXPECT_EQ(ctx.tasks, std::vector<std::string>{"task"});
  EXPECT_EQ(ctx.services, std::vector<std::string>{"svc"});
}

TEST(ContextTest, InternalOnlyIsNotExposed) {
  std::string text = kGraph;
  text.replace(text.find("203.0.113.7"), 11, "");  // no public IP
  auto g = graph::LoadGraphJson(text);
  ASSERT_TRUE(g.ok());
  Context ctx = ContextOf(*g, *g->FindNode("td"));
  EXPECT_EQ(ctx.exposure, Exposure::kInternal);
  EXPECT_EQ(ctx.priority, Priority::kP3);
}

TEST(ContextTest, InternetFacingLoadBalancer) {
  std::string text = kGraph;
  text.replace(text.find("\"internal\""), 10, "\"internet-facing\"");
  text.replace(text.find("Environment=Production"), 22, "Environment=dev");
  auto g = graph::LoadGraphJson(text);
  ASSERT_TRUE(g.ok());
  Context ctx = ContextOf(*g, *g->FindNode("td"));
  EXPECT_EQ(ctx.exposure, Exposure::kInternet);
  EXPECT_EQ(ctx.environment, "dev");
  EXPECT_EQ(ctx.priority, Priority::kP2);
}

// Issue 12: a graph projected to what posture says it reads (plus unrelated noise taken out)
// gives the same context: GraphNamesRead covers everything ContextOf reads.
TEST(ContextTest, GraphNamesReadAreWhatContextOfReads) {
  std::vector<std::string> names = GraphNamesRead();
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  for (bool facing : {false, true}) {
    std::string text = kGraph;
    if (facing) text.replace(text.find("\"internal\""), 10, "\"internet-facing\"");
    nlohmann::json fixture = nlohmann::json::parse(text);
    fixture["nodes"][0]["props"]["cpu"] = "256";  // read by no one: projected away
    auto whole = graph::LoadGraphJson(fixture.dump());
    auto projected =
        graph::LoadGraphJson(::ecsguard::testing::ProjectGraphJson(fixture, names).dump());
    ASSERT_TRUE(whole.ok() && projected.ok());
    ASSERT_TRUE(projected->FindNode("td").has_value());
    EXPECT_TRUE(projected->GetProp(*projected->FindNode("td"), "cpu").is_null());
    Context a = ContextOf(*whole, *whole->FindNode("td"));
    Context b = ContextOf(*projected, *projected->FindNode("td"));
    EXPECT_EQ(a.tasks, b.tasks);
    EXPECT_EQ(a.services, b.services);
    EXPECT_EQ(a.clusters, b.clusters);
    EXPECT_EQ(a.exposure, b.exposure);
    EXPECT_EQ(a.exposure_reasons, b.exposure_reasons);
    EXPECT_EQ(a.environment, b.environment);
    EXPECT_EQ(a.environment_source, b.environment_source);
    EXPECT_EQ(a.priority, b.priority);
    EXPECT_EQ(b.exposure, Exposure::kInternet);
    EXPECT_FALSE(b.exposure_reasons.empty());
  }
}

}  // namespace
}  // namespace ecsguard::posture
