// The estate fixture: one small account's worth of awscli output, one file per command, with
// file names that do not match their content. Checks the mapping onto schemas/aws.graphql.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "graph_matchers.h"
#include "ingest/snapshot/snapshot.h"
#include "support.h"

namespace ecsguard::ingest {
namespace {

using ::testing::ElementsAre;
using namespace ::ecsguard::ingest::testing;

const std::string kAccount = "111122223333";
const std::string kWeb7 = "arn:aws:ecs:eu-west-1:111122223333:task-definition/web:7";
const std::string kWeb6 = "arn:aws:ecs:eu-west-1:111122223333:task-definition/web:6";
const std::string kWeb5 = "arn:aws:ecs:eu-west-1:111122223333:task-definition/web:5";
const std::string kCron3 = "arn:aws:ecs:eu-west-1:111122223333:task-definition/cron:3";
const std::string kTaskA = "arn:aws:ecs:eu-west-1:111122223333:task/prod/aaaa";
const std::string kTaskB = "arn:aws:ecs:eu-west-1:111122223333:task/prod/bbbb";
const std::string kTaskC = "arn:aws:ecs:eu-west-1:111122223333:task/prod/cccc";
const std::string kTaskD = "arn:aws:ecs:eu-west-1:111122223333:task/batch/dddd";
const std::string kTaskE = "arn:aws:ecs:eu-west-1:111122223333:task/batch/eeee";
const std::string kProd = "arn:aws:ecs:eu-west-1:111122223333:cluster/prod";
const std::string kBatch = "arn:aws:ecs:eu-west-1:111122223333:cluster/batch";
const std::string kService = "arn:aws:ecs:eu-west-1:111122223333:service/prod/web";
const std::string kCi = "arn:aws:ecs:eu-west-1:111122223333:container-instance/prod/0f1e2d3c4b5a";
const std::string kEc2 = "arn:aws:ec2:eu-west-1:111122223333:instance/i-0123456789abcdef0";
const std::string kSg = "arn:aws:ec2:eu-west-1:111122223333:security-group/sg-0aaa";
const std::string kLb =
    "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/web/50dc6c495c0c9188";
const std::string kTg =
    "arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/web/0123456789abcdef";

std::string Estate(const std::string& relative = "") {
  std::string root = ::ecsguard::testing::SourcePath("tests/ingest/snapshot/data/estate");
  return relative.empty() ? root : root + "/" + relative;
}

class EstateTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { result_ = new SnapshotResult(LoadSnapshot({Estate()})); }
  static void TearDownTestSuite() { delete result_; }
  const graph::Graph& g() const { return result_->graph; }
  static SnapshotResult* result_;
};
SnapshotResult* EstateTest::result_ = nullptr;

TEST_F(EstateTest, ReadsEveryFileWithoutProblems) {
  EXPECT_TRUE(g().frozen());
  EXPECT_THAT(ProblemStrings(*result_), ::testing::IsEmpty());
  const SnapshotStats& s = result_->stats;
  EXPECT_EQ(s.files, 10u);  // the hidden file and folder are skipped
  EXPECT_EQ(s.documents, 12u);
  EXPECT_EQ(s.task_definitions, 3u);
  EXPECT_EQ(s.tasks, 5u);
  EXPECT_EQ(s.tasks_in_use, 4u);
  EXPECT_EQ(s.services, 1u);
  EXPECT_EQ(s.clusters, 2u);
  EXPECT_EQ(s.container_instances, 1u);
  EXPECT_EQ(s.ec2_instances, 1u);
  EXPECT_EQ(s.load_balancers, 1u);
  EXPECT_EQ(s.target_groups, 1u);
}

TEST_F(EstateTest, GapsForFailuresAndTheUndescribedRevisionInUse) {
  ASSERT_EQ(result_->gaps.size(), 3u);
  const Gap& service = result_->gaps[0];
  EXPECT_EQ(service.asset_type, "ECSService");
  EXPECT_EQ(service.id, "arn:aws:ecs:eu-west-1:111122223333:service/prod/api");
  EXPECT_EQ(service.reason, "describe failed: MISSING (service not found)");
  const Gap& task = result_->gaps[1];
  EXPECT_EQ(task.asset_type, "ECSTask");
  EXPECT_EQ(task.id, "arn:aws:ecs:eu-west-1:111122223333:task/prod/ffff");
  EXPECT_EQ(task.reason, "describe failed: MISSING");
  // cron:3 is run by two tasks: one gap, naming the first task, and no node.
  const Gap& td = result_->gaps[2];
  EXPECT_EQ(td.asset_type, "ECSTaskDefinition");
  EXPECT_EQ(td.id, kCron3);
  EXPECT_EQ(td.account_id, kAccount);
  EXPECT_EQ(td.region, "eu-west-1");
  EXPECT_EQ(td.reason, "in use by running task " + kTaskD + " but not described in the snapshot");
  EXPECT_FALSE(HasNode(g(), kCron3));
  EXPECT_THAT(Out(g(), kTaskD, "HAS_TASK_DEFINITION"), ::testing::IsEmpty());
}

TEST_F(EstateTest, TaskDefinitionProperties) {
  EXPECT_EQ(g().LabelName(NodeOrDie(g(), kWeb7)), "ECSTaskDefinition");
  EXPECT_EQ(Str(g(), kWeb7, "identifier"), kWeb7);
  EXPECT_EQ(Str(g(), kWeb7, "idFromProvider"), kWeb7);
  EXPECT_EQ(Str(g(), kWeb7, "arn"), kWeb7);
  EXPECT_EQ(Str(g(), kWeb7, "name"), "web:7");
  EXPECT_EQ(Str(g(), kWeb7, "cloudProvider"), "aws");
  EXPECT_EQ(Str(g(), kWeb7, "accountId"), kAccount);
  EXPECT_EQ(Str(g(), kWeb7, "region"), "eu-west-1");
  EXPECT_EQ(Str(g(), kWeb7, "assetCategory"), "Containers");
  EXPECT_EQ(Str(g(), kWeb7, "family"), "web");
  EXPECT_EQ(Int(g(), kWeb7, "revision"), 7);
  EXPECT_EQ(Str(g(), kWeb7, "status"), "ACTIVE");
  EXPECT_EQ(Str(g(), kWeb7, "networkMode"), "host");
  EXPECT_EQ(Str(g(), kWeb7, "pidMode"), "host");
  EXPECT_TRUE(Absent(g(), kWeb7, "ipcMode"));
  EXPECT_EQ(Str(g(), kWeb7, "cpu"), "512");
  EXPECT_EQ(Str(g(), kWeb7, "memory"), "1024");
  EXPECT_EQ(Str(g(), kWeb7, "taskRoleArn"), "arn:aws:iam::111122223333:role/web-task");
  EXPECT_EQ(Str(g(), kWeb7, "executionRoleArn"),
            "arn:aws:iam::111122223333:role/ecsTaskExecutionRole");
  EXPECT_THAT(Strings(g(), kWeb7, "requiresCompatibilities"), ElementsAre("EC2"));
  EXPECT_EQ(Str(g(), kWeb7, "registeredAt"), "2024-05-10T12:23:11Z");  // +02:00 to UTC
  EXPECT_THAT(Strings(g(), kWeb7, "tags"), ElementsAre("env=prod", "team=edge"));
  EXPECT_EQ(Str(g(), kWeb7, "source"), Estate("ecs/web-task-definition.json"));
  EXPECT_EQ(Bool(g(), kWeb7, "isLatestRevision"), true);
  EXPECT_EQ(g().Props(NodeOrDie(g(), kWeb7)).size(), 22u);  // nothing else

  // From {"taskDefinitions": [...]}: no tags there, so none stored; epoch seconds to ISO.
  EXPECT_TRUE(Absent(g(), kWeb5, "tags"));
  EXPECT_EQ(Str(g(), kWeb5, "registeredAt"), "2024-01-01T00:00:00Z");
  EXPECT_EQ(Str(g(), kWeb5, "status"), "INACTIVE");
  EXPECT_EQ(Bool(g(), kWeb5, "isLatestRevision"), false);
  EXPECT_EQ(Bool(g(), kWeb6, "isLatestRevision"), false);  // ACTIVE but not the highest
  EXPECT_TRUE(Absent(g(), kWeb6, "registeredAt"));
}

TEST_F(EstateTest, ContainerSpecsAndEnvironment) {
  EXPECT_THAT(Out(g(), kWeb7, "HAS_CONTAINER_DEFINITION"),
              ElementsAre(kWeb7 + "#sidecar", kWeb7 + "#web"));
  const std::string web = kWeb7 + "#web";
  EXPECT_EQ(g().LabelName(NodeOrDie(g(), web)), "ECSTaskContainerSpec");
  EXPECT_EQ(Str(g(), web, "identifier"), web);
  EXPECT_EQ(Str(g(), web, "accountId"), kAccount);
  EXPECT_EQ(Str(g(), web, "name"), "web");
  EXPECT_EQ(Str(g(), web, "image"), "111122223333.dkr.ecr.eu-west-1.amazonaws.com/web:1.4.2");
  EXPECT_EQ(Bool(g(), web, "privileged"), true);
  EXPECT_EQ(Str(g(), web, "user"), "root");
  EXPECT_EQ(Bool(g(), web, "readOnlyRootFS"), false);
  EXPECT_EQ(Bool(g(), web, "essential"), true);
  EXPECT_EQ(Int(g(), web, "cpu"), 256);
  EXPECT_EQ(Int(g(), web, "memory"), 512);
  EXPECT_THAT(Ints(g(), web, "hostPorts"), ElementsAre(80, 443));
  // Two environment entries; the secret reference is not one.
  EXPECT_THAT(Out(g(), web, "HAS_ENV_ENTRY"), ElementsAre(web + "#env/0", web + "#env/1"));
  EXPECT_EQ(g().LabelName(NodeOrDie(g(), web + "#env/1")), "ECSEnvEntry");
  EXPECT_EQ(Str(g(), web + "#env/1", "key"), "DB_PASSWORD");
  EXPECT_EQ(Str(g(), web + "#env/1", "value"), "hunter2-do-not-print");
  EXPECT_EQ(g().Props(NodeOrDie(g(), web + "#env/1")).size(), 2u);

  const std::string sidecar = kWeb7 + "#sidecar";
  EXPECT_EQ(Int(g(), sidecar, "cpu"), 0);
  EXPECT_TRUE(Absent(g(), sidecar, "memory"));  // only memoryReservation
  EXPECT_TRUE(Absent(g(), sidecar, "hostPorts"));
  EXPECT_TRUE(Absent(g(), sidecar, "privileged"));
  EXPECT_TRUE(Absent(g(), sidecar, "user"));
  EXPECT_EQ(Bool(g(), sidecar, "essential"), false);
  EXPECT_THAT(Out(g(), sidecar, "HAS_ENV_ENTRY"), ::testing::IsEmpty());
}

// What of the environment the graph holds follows what the queries read (issue 12); malformed
// entries are the same problems whatever is kept.
TEST(EnvironmentProjectionTest, EntriesAndValuesOnlyWhenRead) {
  using Environment = SnapshotOptions::Environment;
  EXPECT_EQ(EnvironmentRead({"ECSTaskDefinition", "networkMode", "privileged"}),
            Environment::kNone);
  EXPECT_EQ(EnvironmentRead({"ECSEnvEntry", "HAS_ENV_ENTRY", "key"}), Environment::kNames);
  EXPECT_EQ(EnvironmentRead({"HAS_ENV_ENTRY", "key", "value"}), Environment::kNamesAndValues);

  const std::string web = kWeb7 + "#web";
  for (Environment e : {Environment::kNone, Environment::kNames, Environment::kNamesAndValues}) {
    SnapshotOptions options;
    options.environment = e;
    SnapshotResult r = LoadSnapshot({Estate()}, options);
    EXPECT_TRUE(r.problems.empty());
    EXPECT_EQ(Str(r.graph, web, "user"), "root");
    if (e == Environment::kNone) {
      EXPECT_TRUE(r.graph.NodesWithLabel("ECSEnvEntry").empty());
      continue;
    }
    EXPECT_THAT(Out(r.graph, web, "HAS_ENV_ENTRY"), ElementsAre(web + "#env/0", web + "#env/1"));
    EXPECT_EQ(Str(r.graph, web + "#env/1", "key"), "DB_PASSWORD");
    if (e == Environment::kNames) {
      EXPECT_TRUE(Absent(r.graph, web + "#env/1", "value"));
    } else {
      EXPECT_EQ(Str(r.graph, web + "#env/1", "value"), "hunter2-do-not-print");
    }
  }

  const std::string malformed = R"({"taskDefinition": {
    "taskDefinitionArn": "arn:aws:ecs:eu-west-1:111122223333:task-definition/x:1",
    "family": "x", "revision": 1, "status": "ACTIVE",
    "containerDefinitions": [{"name": "c", "environment": [{"name": "A", "value": 7}]}]}})";
  std::vector<std::string> problems;
  for (Environment e : {Environment::kNone, Environment::kNames, Environment::kNamesAndValues}) {
    SnapshotOptions options;
    options.environment = e;
    SnapshotResult r = LoadSnapshotText(malformed, "td.json", options);
    ASSERT_EQ(r.problems.size(), 1u);
    problems.push_back(r.problems[0].ToString());
  }
  EXPECT_EQ(problems[0], problems[1]);
  EXPECT_EQ(problems[0], problems[2]);
  EXPECT_NE(problems[0].find("td.json:4:"), std::string::npos) << problems[0];
}

// Issue 12: with graph_names set, a property is stored only when it is read (or Finish needs it
// to link assets), secrets become nodes only when read; the problems and gaps are the same.
TEST(GraphProjectionTest, PropertiesAndNodeTypesOnlyWhenRead) {
  const std::string web = kWeb7 + "#web";
  SnapshotResult whole = LoadSnapshot({Estate()});
  SnapshotOptions options;
  options.environment = SnapshotOptions::Environment::kNone;
  options.graph_names = {{"ECSTaskDefinition", "networkMode", "privileged", "user"}};
  SnapshotResult r = LoadSnapshot({Estate()}, options);
  EXPECT_EQ(ProblemStrings(r), ProblemStrings(whole));
  EXPECT_EQ(r.gaps.size(), whole.gaps.size());
  EXPECT_EQ(Str(r.graph, kWeb7, "networkMode"), "host");
  EXPECT_EQ(Str(r.graph, web, "user"), "root");
  EXPECT_EQ(Bool(r.graph, web, "privileged"), true);
  // Not read: not stored, although the whole graph has them.
  EXPECT_EQ(Str(whole.graph, kWeb7, "taskRoleArn"), "arn:aws:iam::111122223333:role/web-task");
  EXPECT_TRUE(Absent(r.graph, kWeb7, "taskRoleArn"));
  EXPECT_TRUE(Absent(r.graph, kWeb7, "cloudProvider"));
  EXPECT_TRUE(Absent(r.graph, web, "image"));
  EXPECT_TRUE(Absent(r.graph, kWeb7, "isLatestRevision"));
  // Read by Finish to link tasks and settle the latest revision: kept.
  EXPECT_EQ(Str(r.graph, kWeb7, "family"), "web");
  EXPECT_EQ(Str(r.graph, kTaskA, "lastStatus"), Str(whole.graph, kTaskA, "lastStatus"));
  EXPECT_NE(Str(r.graph, kTaskA, "lastStatus"), "<absent>");
  EXPECT_THAT(Out(r.graph, kTaskA, "HAS_TASK_DEFINITION"), ElementsAre(kWeb7));
  EXPECT_THAT(Out(whole.graph, web, "HAS_SECRET"), ElementsAre(web + "#secret/0"));
  EXPECT_THAT(Out(r.graph, web, "HAS_SECRET"), ::testing::IsEmpty());
  EXPECT_FALSE(HasNode(r.graph, web + "#secret/0"));

  options.graph_names = {{"ECSSecretRef", "isLatestRevision", "name"}};
  SnapshotResult secrets = LoadSnapshot({Estate()}, options);
  EXPECT_THAT(Out(secrets.graph, web, "HAS_SECRET"), ElementsAre(web + "#secret/0"));
  EXPECT_EQ(Str(secrets.graph, web + "#secret/0", "name"), "API_TOKEN");
  EXPECT_TRUE(Absent(secrets.graph, web + "#secret/0", "valueFrom"));
  EXPECT_EQ(Bool(secrets.graph, kWeb7, "isLatestRevision"),
            Bool(whole.graph, kWeb7, "isLatestRevision"));
}

TEST_F(EstateTest, OnlyTasksInUseLinkTheirRevision) {
  EXPECT_THAT(Out(g(), kTaskA, "HAS_TASK_DEFINITION"), ElementsAre(kWeb7));
  // Deregistered (INACTIVE) and still pending: in use, and linked.
  EXPECT_THAT(Out(g(), kTaskB, "HAS_TASK_DEFINITION"), ElementsAre(kWeb5));
  // Stopped: not in use.
  EXPECT_THAT(Out(g(), kTaskC, "HAS_TASK_DEFINITION"), ::testing::IsEmpty());
  EXPECT_THAT(In(g(), kWeb6, "HAS_TASK_DEFINITION"), ElementsAre(kService));

  EXPECT_EQ(Str(g(), kTaskA, "lastStatus"), "RUNNING");
  EXPECT_EQ(Str(g(), kTaskA, "desiredStatus"), "RUNNING");
  EXPECT_EQ(Str(g(), kTaskA, "launchType"), "EC2");
  EXPECT_EQ(Str(g(), kTaskA, "group"), "service:web");
  EXPECT_EQ(Str(g(), kTaskA, "startedAt"), "2024-05-11T08:00:00Z");
  EXPECT_EQ(Str(g(), kTaskA, "taskDefinitionArn"), kWeb7);
  EXPECT_THAT(Strings(g(), kTaskA, "tags"), ElementsAre("env=prod"));
  EXPECT_EQ(Str(g(), kTaskA, "arn"), kTaskA);
  EXPECT_TRUE(Absent(g(), kTaskB, "tags"));
}

TEST_F(EstateTest, ClustersServicesAndInstances) {
  EXPECT_THAT(Out(g(), kProd, "HAS_TASK"), ElementsAre(kTaskA, kTaskB, kTaskC));
  EXPECT_THAT(Out(g(), kProd, "HAS_SERVICE"), ElementsAre(kService));
  EXPECT_THAT(Out(g(), kProd, "HAS_CONTAINER_INSTANCE"), ElementsAre(kCi));
  EXPECT_EQ(Str(g(), kProd, "name"), "prod");
  EXPECT_EQ(Str(g(), kProd, "status"), "ACTIVE");
  EXPECT_THAT(Strings(g(), kProd, "tags"), ElementsAre("env=prod"));
  // Only referenced by tasks: a placeholder with its identity and nothing else.
  EXPECT_THAT(Out(g(), kBatch, "HAS_TASK"), ElementsAre(kTaskD, kTaskE));
  EXPECT_EQ(Str(g(), kBatch, "arn"), kBatch);
  EXPECT_EQ(Str(g(), kBatch, "region"), "eu-west-1");
  EXPECT_TRUE(Absent(g(), kBatch, "name"));
  EXPECT_TRUE(Absent(g(), kBatch, "status"));

  // The service's tasks: group "service:web" in the same cluster, running or not.
  EXPECT_THAT(Out(g(), kService, "HAS_TASK"), ElementsAre(kTaskA, kTaskC));
  EXPECT_THAT(Out(g(), kService, "HAS_TASK_DEFINITION"), ElementsAre(kWeb6, kWeb7));
  EXPECT_THAT(Out(g(), kService, "HAS_TARGET_GROUP"), ElementsAre(kTg));
  EXPECT_EQ(Str(g(), kService, "name"), "web");
  EXPECT_EQ(Str(g(), kService, "status"), "ACTIVE");
  EXPECT_EQ(Str(g(), kService, "launchType"), "EC2");
  EXPECT_EQ(Int(g(), kService, "desiredCount"), 2);
  EXPECT_EQ(Int(g(), kService, "runningCount"), 1);
  EXPECT_EQ(Str(g(), kService, "taskDefinitionArn"), kWeb7);
  EXPECT_EQ(Str(g(), kService, "assignPublicIp"), "DISABLED");
  EXPECT_THAT(Strings(g(), kService, "tags"), ::testing::IsEmpty());  // given, and empty
  EXPECT_TRUE(Absent(g(), kService, "platformVersion"));

  EXPECT_THAT(Out(g(), kCi, "HAS_TASK"), ElementsAre(kTaskA, kTaskB));
  EXPECT_THAT(Out(g(), kCi, "IS_INSTANCE"), ElementsAre(kEc2));
  EXPECT_EQ(Str(g(), kCi, "ec2InstanceId"), "i-0123456789abcdef0");
  EXPECT_EQ(Str(g(), kCi, "status"), "ACTIVE");

  EXPECT_EQ(Str(g(), kEc2, "instanceId"), "i-0123456789abcdef0");
  EXPECT_EQ(Str(g(), kEc2, "accountId"), kAccount);  // from the reservation's OwnerId
  EXPECT_EQ(Str(g(), kEc2, "region"), "eu-west-1");  // from the availability zone
  EXPECT_EQ(Str(g(), kEc2, "assetCategory"), "Compute");
  EXPECT_EQ(Str(g(), kEc2, "state"), "running");
  EXPECT_EQ(Str(g(), kEc2, "publicIpAddress"), "203.0.113.10");
  EXPECT_EQ(Str(g(), kEc2, "privateIpAddress"), "10.0.1.15");
  EXPECT_THAT(Strings(g(), kEc2, "tags"), ElementsAre("Name=ecs-prod-1"));
  EXPECT_EQ(Str(g(), kEc2, "name"), "ecs-prod-1");
  EXPECT_THAT(Out(g(), kEc2, "MEMBER_OF_SECURITY_GROUP"), ElementsAre(kSg));
}

TEST_F(EstateTest, NetworkAssets) {
  // describe-security-groups has no region: the group's VPC is in eu-west-1 (from the instance).
  EXPECT_EQ(Str(g(), kSg, "groupId"), "sg-0aaa");
  EXPECT_EQ(Str(g(), kSg, "name"), "ecs-hosts");
  EXPECT_EQ(Str(g(), kSg, "region"), "eu-west-1");
  EXPECT_EQ(Str(g(), kSg, "assetCategory"), "Network");
  EXPECT_THAT(Strings(g(), kSg, "ingressRules"),
              ElementsAre("tcp:80-80:0.0.0.0/0", "all:all:sg-0bbb"));
  EXPECT_EQ(Bool(g(), kSg, "openToInternet"), true);

  EXPECT_EQ(Str(g(), kLb, "name"), "web");
  EXPECT_EQ(Str(g(), kLb, "scheme"), "internet-facing");
  EXPECT_EQ(Str(g(), kLb, "type"), "application");
  EXPECT_EQ(Str(g(), kLb, "dnsName"), "web-1234.eu-west-1.elb.amazonaws.com");
  EXPECT_THAT(Strings(g(), kLb, "tags"), ElementsAre("env=prod"));
  EXPECT_THAT(Out(g(), kLb, "HAS_TARGET_GROUP"), ElementsAre(kTg));
  EXPECT_EQ(Str(g(), kTg, "name"), "web");
  EXPECT_EQ(Str(g(), kTg, "targetType"), "instance");
  EXPECT_EQ(Int(g(), kTg, "port"), 80);
  EXPECT_THAT(In(g(), kTg, "HAS_TARGET_GROUP"), ElementsAre(kService, kLb));
}

// Relationships are resolved after every file is read: any order gives the same graph.
TEST(EstateOrderTest, FileOrderDoesNotMatter) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(Estate())) {
    std::string path = entry.path().string();
    if (entry.is_regular_file() && path.find("/.") == std::string::npos) files.push_back(path);
  }
  std::sort(files.begin(), files.end());
  ASSERT_EQ(files.size(), 10u);
  std::string forward = Dump(LoadSnapshot(files).graph);
  std::reverse(files.begin(), files.end());
  std::string backward = Dump(LoadSnapshot(files).graph);
  EXPECT_EQ(forward, backward);
  EXPECT_EQ(forward, Dump(LoadSnapshot({Estate()}).graph));
}

// Tiny reads exercise every chunk boundary; the graph must not change.
TEST(EstateOrderTest, ChunkSizeDoesNotMatter) {
  SnapshotOptions tiny;
  tiny.read_chunk_bytes = 1;
  SnapshotResult small = LoadSnapshot({Estate()}, tiny);
  EXPECT_THAT(ProblemStrings(small), ::testing::IsEmpty());
  EXPECT_EQ(Dump(small.graph), Dump(LoadSnapshot({Estate()}).graph));
}

// The same revision described in two files is one node.
TEST(EstateOrderTest, ObjectsSeenTwiceAreMerged) {
  SnapshotResult once = LoadSnapshot({Estate("ecs/web-task-definition.json")});
  SnapshotResult twice = LoadSnapshot(
      {Estate("ecs/web-task-definition.json"), Estate("ecs/web-task-definition.json")});
  EXPECT_EQ(twice.stats.files, 2u);
  EXPECT_EQ(twice.graph.node_count(), once.graph.node_count());
  EXPECT_EQ(twice.graph.edge_count() > 0, true);
  EXPECT_EQ(Dump(twice.graph), Dump(once.graph));
}

}  // namespace
}  // namespace ecsguard::ingest
