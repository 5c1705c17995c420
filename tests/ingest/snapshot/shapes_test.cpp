// Shapes recognised by content, and the rules around them: what becomes a node, a problem or a
// gap. Inputs are small documents written inline so that positions can be asserted exactly.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "graph_matchers.h"
#include "ingest/snapshot/snapshot.h"

namespace ecsguard::ingest {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using namespace ::ecsguard::ingest::testing;

std::string TdArn(std::string_view family, int revision, std::string_view region = "us-east-1",
                  std::string_view account = "123456789012") {
  return fmt::format("arn:aws:ecs:{}:{}:task-definition/{}:{}", region, account, family, revision);
}

// A bare task definition object on one line.
std::string Td(std::string_view family, int revision, std::string_view status = "ACTIVE",
               std::string_view region = "us-east-1", std::string_view extra = "") {
  return fmt::format(
      R"({{"taskDefinitionArn":"{}","family":"{}","revision":{},"status":"{}",)"
      R"("networkMode":"host","containerDefinitions":[{{"name":"app","image":"app:1"{}}}]}})",
      TdArn(family, revision, region), family, revision, status, extra);
}

std::string Task(std::string_view id, std::string_view td_arn, std::string_view desired,
                 std::string_view last) {
  return fmt::format(R"({{"taskArn":"arn:aws:ecs:us-east-1:123456789012:task/c/{}",)"
                     R"("clusterArn":"arn:aws:ecs:us-east-1:123456789012:cluster/c",)"
                     R"("taskDefinitionArn":"{}","desiredStatus":"{}","lastStatus":"{}"}})",
                     id, td_arn, desired, last);
}

std::string TaskArn(std::string_view id) {
  return fmt::format("arn:aws:ecs:us-east-1:123456789012:task/c/{}", id);
}

TEST(ShapesTest, ContentDecidesNotTheFileName) {
  // A describe-task-definition output in a file named like a task list.
  SnapshotResult r =
      ReadText(fmt::format(R"({{"taskDefinition": {}, "tags": [{{"key": "k", "value": "v"}}]}})",
                           Td("web", 1)),
               "describe-tasks.json");
  EXPECT_THAT(ProblemStrings(r), IsEmpty());
  EXPECT_EQ(r.stats.task_definitions, 1u);
  EXPECT_EQ(r.stats.tasks, 0u);
  EXPECT_THAT(Strings(r.graph, TdArn("web", 1), "tags"), ElementsAre("k=v"));
  EXPECT_EQ(Str(r.graph, TdArn("web", 1), "source"), "describe-tasks.json");
}

TEST(ShapesTest, BareObjectsOnePerLine) {
  std::string text =
      Td("web", 1) + "\n" + Task("t1", TdArn("web", 1), "RUNNING", "RUNNING") + "\n" +
      R"({"serviceArn":"arn:aws:ecs:us-east-1:123456789012:service/c/web","serviceName":"web",)"
      R"("clusterArn":"arn:aws:ecs:us-east-1:123456789012:cluster/c",)"
      R"("taskDefinition":"arn:aws:ecs:us-east-1:123456789012:task-definition/web:1"})"
      "\n"
      R"({"clusterArn":"arn:aws:ecs:us-east-1:123456789012:cluster/c","clusterName":"c","status":"ACTIVE"})"
      "\n"
      R"({"containerInstanceArn":"arn:aws:ecs:us-east-1:123456789012:container-instance/c/1",)"
      R"("ec2InstanceId":"i-1","status":"DRAINING"})"
      "\n";
  SnapshotResult r = ReadText(text, "bare.jsonl");
  EXPECT_THAT(ProblemStrings(r), IsEmpty());
  EXPECT_EQ(r.stats.documents, 5u);
  EXPECT_EQ(r.stats.task_definitions, 1u);
  EXPECT_EQ(r.stats.tasks, 1u);
  EXPECT_EQ(r.stats.services, 1u);
  EXPECT_EQ(r.stats.clusters, 1u);
  EXPECT_EQ(r.stats.container_instances, 1u);
  // A service's "taskDefinition" is a string: it stays a service, linked to the revision.
  EXPECT_THAT(In(r.graph, TdArn("web", 1), "HAS_TASK_DEFINITION"),
              ElementsAre("arn:aws:ecs:us-east-1:123456789012:service/c/web", TaskArn("t1")));
  EXPECT_EQ(Str(r.graph, "arn:aws:ecs:us-east-1:123456789012:cluster/c", "name"), "c");
  EXPECT_EQ(Str(r.graph, "arn:aws:ecs:us-east-1:123456789012:container-instance/c/1", "status"),
            "DRAINING");
}

TEST(ShapesTest, TopLevelArraysAndPlaceboRecordings) {
  // `--query 'tasks'` prints a bare array; botocore placebo recordings wrap the response.
  std::string text = "[" + Task("t1", TdArn("web", 1), "RUNNING", "RUNNING") + "," +
                     Task("t2", TdArn("web", 1), "STOPPED", "STOPPED") + "]\n" +
                     R"({"status_code": 200, "data": {"taskDefinition": )" + Td("web", 1) + "}}\n";
  SnapshotResult r = ReadText(text, "mixed.json");
  EXPECT_THAT(ProblemStrings(r), IsEmpty());
  EXPECT_EQ(r.stats.tasks, 2u);
  EXPECT_EQ(r.stats.tasks_in_use, 1u);
  EXPECT_THAT(In(r.graph, TdArn("web", 1), "HAS_TASK_DEFINITION"), ElementsAre(TaskArn("t1")));
}

TEST(ShapesTest, ConcatenatedPrettyDocuments) {
  // A shell loop appending `aws ecs describe-task-definition` outputs to one file.
  std::string text =
      fmt::format("{{\n  \"taskDefinition\": {}\n}}\n{{\n  \"taskDefinition\": {}\n}}\n",
                  Td("web", 1), Td("web", 2));
  SnapshotResult r = ReadText(text, "all.json");
  EXPECT_THAT(ProblemStrings(r), IsEmpty());
  EXPECT_EQ(r.stats.documents, 2u);
  EXPECT_EQ(r.stats.task_definitions, 2u);
}

TEST(ShapesTest, ListOutputsAreIgnored) {
  SnapshotResult r = ReadText(
      R"({"taskDefinitionArns": ["arn:aws:ecs:us-east-1:123456789012:task-definition/web:1"]})"
      "\n"
      R"({"families": ["web"], "nextToken": "x"})"
      "\n"
      R"({"clusterArns": []})",
      "lists.jsonl");
  EXPECT_THAT(ProblemStrings(r), IsEmpty());
  EXPECT_EQ(r.graph.node_count(), 0u);
  EXPECT_EQ(r.stats.documents, 3u);
}

TEST(ShapesTest, UnknownShapeIsAValidationProblemAtItsPosition) {
  SnapshotResult r = ReadText("\n  {\"Buckets\": [{\"Name\": \"b\"}]}\n", "s3.json");
  ASSERT_EQ(r.problems.size(), 1u);
  const Error& e = r.problems[0];
  EXPECT_EQ(e.code(), ErrorCode::kValidation);
  EXPECT_EQ(e.location().file, "s3.json");
  EXPECT_EQ(e.location().line, 2u);
  EXPECT_EQ(e.location().column, 3u);
  EXPECT_THAT(e.message(), HasSubstr("not a recognised AWS CLI output"));
  EXPECT_THAT(e.message(), HasSubstr("describe-task-definition"));
  EXPECT_THAT(e.message(), HasSubstr("describe-instances"));
}

TEST(ShapesTest, ScalarsAndBareInstancesAreNamed) {
  SnapshotResult r = ReadText(
      "42\n"
      R"({"InstanceId": "i-1", "SecurityGroups": [{"GroupId": "sg-1"}]})",
      "odd.jsonl");
  ASSERT_EQ(r.problems.size(), 2u);
  EXPECT_EQ(r.problems[0].ToString(),
            "odd.jsonl:1:1: the document is a number, not an AWS CLI output; expected the "
            "output of aws ecs describe-task-definition, describe-tasks, describe-services, "
            "describe-clusters, describe-container-instances, describe-task-sets or "
            "describe-capacity-providers, aws ec2 describe-instances or "
            "describe-security-groups, aws elbv2 describe-load-balancers, describe-target-groups "
            "or describe-tags, or a task definition, task, service, cluster or container instance "
            "object");
  EXPECT_THAT(r.problems[1].ToString(), HasSubstr("odd.jsonl:2:1: document: a bare EC2 instance"));
  EXPECT_EQ(r.graph.node_count(), 0u);
}

TEST(ShapesTest, WrongTypeMakesTheDefinitionAGapNotANode) {
  // privileged as a string: the revision cannot be evaluated, so it must not exist as a node
  // (it would evaluate as PASS); the next revision on the same line is still read.
  std::string text = R"({"taskDefinitions": [)" +
                     Td("web", 1, "ACTIVE", "us-east-1", R"(,"privileged":"yes")") + "," +
                     Td("web", 2) + "]}";
  SnapshotResult r = ReadText(text, "tds.json");
  ASSERT_EQ(r.problems.size(), 1u);
  size_t column = text.find(R"("yes")") + 1;
  EXPECT_EQ(r.problems[0].ToString(),
            fmt::format("tds.json:1:{}: taskDefinitions[0].containerDefinitions[0].privileged: "
                        "expected true or false, found a string",
                        column));
  EXPECT_EQ(r.problems[0].code(), ErrorCode::kValidation);
  EXPECT_FALSE(HasNode(r.graph, TdArn("web", 1)));
  EXPECT_TRUE(HasNode(r.graph, TdArn("web", 2)));
  ASSERT_EQ(r.gaps.size(), 1u);
  EXPECT_EQ(r.gaps[0].asset_type, "ECSTaskDefinition");
  EXPECT_EQ(r.gaps[0].id, TdArn("web", 1));
  EXPECT_EQ(r.gaps[0].account_id, "123456789012");
  EXPECT_EQ(r.gaps[0].region, "us-east-1");
  EXPECT_EQ(r.gaps[0].reason, "not read: " + r.problems[0].ToString());
}

TEST(ShapesTest, AMalformedRevisionInUseIsOneGap) {
  std::string bad = Td("web", 1, "ACTIVE", "us-east-1", R"(,"privileged":1)");
  SnapshotResult r = ReadText(bad + "\n" + Task("t1", TdArn("web", 1), "RUNNING", "RUNNING") + "\n",
                              "in-use.jsonl");
  ASSERT_EQ(r.problems.size(), 1u);
  ASSERT_EQ(r.gaps.size(), 1u);
  EXPECT_EQ(r.gaps[0].id, TdArn("web", 1));
  EXPECT_EQ(r.gaps[0].reason,
            "not read: " + r.problems[0].ToString() + "; in use by running task " + TaskArn("t1"));
  EXPECT_FALSE(HasNode(r.graph, TdArn("web", 1)));
}

TEST(ShapesTest, AGoodCopyElsewhereSettlesTheGap) {
  std::string bad = Td("web", 1, "ACTIVE", "us-east-1", R"(,"cpu":"lots")");
  SnapshotResult r = ReadText(bad + "\n" + Td("web", 1) + "\n", "two.jsonl");
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_THAT(r.problems[0].message(),
              HasSubstr("containerDefinitions[0].cpu: expected an integer, found a string"));
  EXPECT_TRUE(HasNode(r.graph, TdArn("web", 1)));
  EXPECT_THAT(r.gaps, IsEmpty());
}

TEST(ShapesTest, RequiredIdentifiers) {
  const std::string line1 = R"({"taskDefinition": {"family": "web", "containerDefinitions": []}})";
  const std::string line2 = R"({"tasks": [{"taskArn": "not-an-arn", "lastStatus": "RUNNING"}]})";
  const std::string line3 =
      R"({"taskDefinition": {"taskDefinitionArn": "arn:aws:ecs:us-east-1:1:task-definition/a:1", )"
      R"("containerDefinitions": [{"image": "x"}]}})";
  const std::string line4 =
      R"({"taskDefinitionArn": "arn:aws:ecs:us-east-1:1:task-definition/b:1", )"
      R"("containerDefinitions": [{"name": "b"}, {"name": "c"}, {"name": "b"}]})";
  SnapshotResult r = ReadText(line1 + "\n" + line2 + "\n" + line3 + "\n" + line4, "ids.jsonl");
  ASSERT_EQ(r.problems.size(), 4u);
  EXPECT_EQ(r.problems[0].ToString(),
            "ids.jsonl:1:20: taskDefinition: task definition without taskDefinitionArn");
  EXPECT_EQ(r.problems[1].ToString(), "ids.jsonl:2:12: tasks[0]: taskArn is not a task/ ARN");
  EXPECT_EQ(r.problems[2].ToString(),
            fmt::format("ids.jsonl:3:{}: taskDefinition.containerDefinitions[0]: container "
                        "definition without a name",
                        line3.find(R"({"image")") + 1));
  EXPECT_EQ(r.problems[3].ToString(),
            "ids.jsonl:4:1: document: containerDefinitions[2] has the same name as [0]");
  EXPECT_EQ(r.graph.node_count(), 0u);
  // Both named revisions are gaps; the one without an ARN cannot be named.
  ASSERT_EQ(r.gaps.size(), 2u);
  EXPECT_EQ(r.gaps[0].id, "arn:aws:ecs:us-east-1:1:task-definition/a:1");
  EXPECT_EQ(r.gaps[1].id, "arn:aws:ecs:us-east-1:1:task-definition/b:1");
}

TEST(ShapesTest, InUseRevisionNotDescribedIsOneGapAndNoNode) {
  std::string missing = TdArn("api", 9);
  std::string text = Task("t2", missing, "RUNNING", "RUNNING") + "\n" +
                     Task("t1", missing, "RUNNING", "ACTIVATING") + "\n" +
                     Task("t3", TdArn("api", 8), "STOPPED", "RUNNING") + "\n";
  SnapshotResult r = ReadText(text, "tasks.jsonl");
  EXPECT_THAT(ProblemStrings(r), IsEmpty());
  EXPECT_FALSE(HasNode(r.graph, missing));
  EXPECT_FALSE(HasNode(r.graph, TdArn("api", 8)));  // not in use: no gap either
  ASSERT_EQ(r.gaps.size(), 1u);
  EXPECT_EQ(r.gaps[0].id, missing);
  EXPECT_EQ(r.gaps[0].reason,
            "in use by running task " + TaskArn("t1") + " but not described in the snapshot");
  EXPECT_EQ(r.stats.tasks_in_use, 2u);
}

TEST(ShapesTest, InUseMeansDesiredRunningAndNotYetStopped) {
  std::string text = Td("web", 1) + "\n";
  const char* statuses[][2] = {{"RUNNING", "PROVISIONING"}, {"RUNNING", "PENDING"},
                               {"RUNNING", "ACTIVATING"},   {"RUNNING", "RUNNING"},
                               {"RUNNING", "DEACTIVATING"}, {"RUNNING", "STOPPED"},
                               {"STOPPED", "RUNNING"},      {"PENDING", "PENDING"}};
  for (size_t i = 0; i < std::size(statuses); ++i) {
    text += Task(fmt::format("t{}", i), TdArn("web", 1), statuses[i][0], statuses[i][1]) + "\n";
  }
  SnapshotResult r = ReadText(text, "tasks.jsonl");
  EXPECT_THAT(In(r.graph, TdArn("web", 1), "HAS_TASK_DEFINITION"),
              ElementsAre(TaskArn("t0"), TaskArn("t1"), TaskArn("t2"), TaskArn("t3")));
  EXPECT_EQ(r.stats.tasks, 8u);
  EXPECT_EQ(r.stats.tasks_in_use, 4u);
}

TEST(ShapesTest, LatestRevisionPerAccountRegionAndFamily) {
  std::string text = Td("web", 1) + "\n" + Td("web", 3, "INACTIVE") + "\n" + Td("web", 2) + "\n" +
                     Td("web", 1, "ACTIVE", "eu-west-1") + "\n" + Td("api", 4, "INACTIVE") + "\n";
  SnapshotResult r = ReadText(text, "tds.jsonl");
  EXPECT_THAT(ProblemStrings(r), IsEmpty());
  EXPECT_EQ(Bool(r.graph, TdArn("web", 1), "isLatestRevision"), false);
  EXPECT_EQ(Bool(r.graph, TdArn("web", 2), "isLatestRevision"), true);  // 3 is INACTIVE
  EXPECT_EQ(Bool(r.graph, TdArn("web", 3), "isLatestRevision"), false);
  EXPECT_EQ(Bool(r.graph, TdArn("web", 1, "eu-west-1"), "isLatestRevision"), true);
  EXPECT_EQ(Bool(r.graph, TdArn("api", 4), "isLatestRevision"), false);  // no ACTIVE revision
}

TEST(ShapesTest, DescribeFailuresBecomeGaps) {
  SnapshotResult r = ReadText(
      R"({"clusters": [], "failures": [{"arn": "arn:aws:ecs:us-east-1:123456789012:cluster/gone", "reason": "MISSING"}]})"
      "\n"
      R"({"containerInstances": [], "failures": [{"arn": "ci-1234", "reason": "MISSING", "detail": "no such instance"}]})",
      "failures.jsonl");
  EXPECT_THAT(ProblemStrings(r), IsEmpty());
  ASSERT_EQ(r.gaps.size(), 2u);
  EXPECT_EQ(r.gaps[0].asset_type, "ECSCluster");
  EXPECT_EQ(r.gaps[0].region, "us-east-1");
  EXPECT_EQ(r.gaps[0].reason, "describe failed: MISSING");
  // Not an ARN: the asset type comes from the output it was in.
  EXPECT_EQ(r.gaps[1].asset_type, "ECSContainerInstance");
  EXPECT_EQ(r.gaps[1].id, "ci-1234");
  EXPECT_EQ(r.gaps[1].reason, "describe failed: MISSING (no such instance)");
}

TEST(ShapesTest, TimestampsAndNumbersAsAwsPrintsThem) {
  std::string text =
      R"({"taskDefinitionArn":"arn:aws:ecs:us-east-1:1:task-definition/a:1","cpu":256,"memory":"0.5GB",)"
      R"("registeredAt":1715343791.999,"containerDefinitions":[]})"
      "\n"
      R"({"taskDefinitionArn":"arn:aws:ecs:us-east-1:1:task-definition/b:1","registeredAt":"yesterday",)"
      R"("containerDefinitions":[]})"
      "\n"
      R"({"taskDefinitionArn":"arn:aws:ecs:us-east-1:1:task-definition/c:1","registeredAt":"2024-05-10T14:23:11-0530",)"
      R"("containerDefinitions":[]})"
      "\n";
  SnapshotResult r = ReadText(text, "t.jsonl");
  EXPECT_THAT(ProblemStrings(r), IsEmpty());
  const std::string a = "arn:aws:ecs:us-east-1:1:task-definition/a:1";
  EXPECT_EQ(Str(r.graph, a, "cpu"), "256");
  EXPECT_EQ(Str(r.graph, a, "memory"), "0.5GB");
  EXPECT_EQ(Str(r.graph, a, "registeredAt"), "2024-05-10T12:23:11Z");
  EXPECT_EQ(Str(r.graph, "arn:aws:ecs:us-east-1:1:task-definition/b:1", "registeredAt"),
            "yesterday");
  EXPECT_EQ(Str(r.graph, "arn:aws:ecs:us-east-1:1:task-definition/c:1", "registeredAt"),
            "2024-05-10T19:53:11Z");
  // Family and revision from the ARN when the object does not repeat them.
  EXPECT_EQ(Str(r.graph, a, "family"), "a");
  EXPECT_EQ(Int(r.graph, a, "revision"), 1);
  EXPECT_EQ(Str(r.graph, a, "name"), "a:1");
}

TEST(ShapesTest, NullMeansAbsent) {
  SnapshotResult r = ReadText(
      R"({"taskDefinitionArn":"arn:aws:ecs:us-east-1:1:task-definition/a:1","pidMode":null,)"
      R"("containerDefinitions":[{"name":"x","user":null,"privileged":null,"environment":null}]})",
      "n.json");
  EXPECT_THAT(ProblemStrings(r), IsEmpty());
  const std::string spec = "arn:aws:ecs:us-east-1:1:task-definition/a:1#x";
  EXPECT_TRUE(Absent(r.graph, "arn:aws:ecs:us-east-1:1:task-definition/a:1", "pidMode"));
  EXPECT_TRUE(Absent(r.graph, spec, "user"));
  EXPECT_TRUE(Absent(r.graph, spec, "privileged"));
}

TEST(ShapesTest, TaskDefinitionGivenAsFamilyRevisionResolvesInTheTasksAccount) {
  SnapshotResult r = ReadText(
      Td("web", 1) + "\n" + Task("t1", "web:1", "RUNNING", "RUNNING") + "\n", "short.jsonl");
  EXPECT_THAT(In(r.graph, TdArn("web", 1), "HAS_TASK_DEFINITION"), ElementsAre(TaskArn("t1")));
  EXPECT_EQ(Str(r.graph, TaskArn("t1"), "taskDefinitionArn"), "web:1");
}

TEST(ShapesTest, SecurityGroupRegionFromTheFileWhenNothingElseTells) {
  // No ARN, no instance in the VPC: the one region of the file's other assets.
  SnapshotResult r = ReadText(
      R"({"LoadBalancers": [{"LoadBalancerArn": "arn:aws:elasticloadbalancing:ap-south-1:1:loadbalancer/app/x/1"}]})"
      "\n"
      R"({"SecurityGroups": [{"GroupId": "sg-1", "GroupName": "g", "OwnerId": "1", "VpcId": "vpc-9", "IpPermissions": []}]})",
      "sg.jsonl");
  EXPECT_THAT(ProblemStrings(r), IsEmpty());
  const std::string sg = "arn:aws:ec2:ap-south-1:1:security-group/sg-1";
  EXPECT_EQ(Str(r.graph, sg, "region"), "ap-south-1");
  EXPECT_EQ(Bool(r.graph, sg, "openToInternet"), false);
  EXPECT_THAT(Strings(r.graph, sg, "ingressRules"), IsEmpty());

  SnapshotResult alone = ReadText(
      R"({"SecurityGroups": [{"GroupId": "sg-1", "OwnerId": "1", "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "Ipv6Ranges": [{"CidrIpv6": "::/0"}]}]}]})",
      "sg.json");
  const std::string unknown = "arn:aws:ec2::1:security-group/sg-1";
  EXPECT_TRUE(Absent(alone.graph, unknown, "region"));
  EXPECT_THAT(Strings(alone.graph, unknown, "ingressRules"), ElementsAre("tcp:22-22:::/0"));
  EXPECT_EQ(Bool(alone.graph, unknown, "openToInternet"), true);
}

// Environment values are evaluated but never output: no message may carry one, whatever goes
// wrong around it.
TEST(ShapesTest, EnvironmentValuesNeverReachAMessage) {
  const std::string secret = "s3cr3t-Zq9";
  std::vector<std::string> docs = {
      // type errors next to and inside the environment
      R"({"taskDefinitionArn":"arn:aws:ecs:us-east-1:1:task-definition/a:1","containerDefinitions":[{"name":"x","environment":[{"name":"K","value":"SECRET"},{"name":"K2","value":7}]}]})",
      R"({"taskDefinitionArn":"arn:aws:ecs:us-east-1:1:task-definition/a:2","containerDefinitions":[{"name":"x","environment":[{"name":"SECRET","value":"SECRET"}],"privileged":"SECRET"}]})",
      // syntax errors inside the value: a bad escape, a raw control character, bad UTF-8
      R"({"taskDefinitionArn":"arn:aws:ecs:us-east-1:1:task-definition/a:3","containerDefinitions":[{"name":"x","environment":[{"name":"K","value":"SECRET\q"}]}]})",
      "{\"taskDefinitionArn\":\"arn:aws:ecs:us-east-1:1:task-definition/"
      "a:4\",\"containerDefinitions\":[{\"name\":\"x\",\"environment\":[{\"name\":\"K\",\"value\":"
      "\"SECRET\x01\"}]}]}",
      "{\"taskDefinitionArn\":\"arn:aws:ecs:us-east-1:1:task-definition/"
      "a:5\",\"containerDefinitions\":[{\"name\":\"x\",\"environment\":[{\"name\":\"K\",\"value\":"
      "\"SECRET\xff\"}]}]}",
      // truncated right after the value
      R"({"taskDefinitionArn":"arn:aws:ecs:us-east-1:1:task-definition/a:6","containerDefinitions":[{"name":"x","environment":[{"name":"K","value":"SECRET")",
      // not an object at all, and a key that is the secret
      R"(["SECRET"])",
      R"({"SECRET": "SECRET"})",
  };
  std::string text;
  for (std::string& doc : docs) {
    size_t at;
    while ((at = doc.find("SECRET")) != std::string::npos) doc.replace(at, 6, secret);
    text += doc + "\n";
  }
  SnapshotResult lines = ReadText(text, "env.jsonl");
  EXPECT_EQ(lines.problems.size(), docs.size());
  std::vector<std::string> messages = ProblemStrings(lines);
  for (const Gap& gap : lines.gaps) messages.push_back(gap.reason);
  // The same documents, pretty and large enough to be read item by item.
  std::string array = "{\"taskDefinitions\": [\n";
  for (size_t i = 0; i < 5; ++i) array += (i ? ",\n" : "") + docs[i];
  SnapshotOptions small;
  small.max_document_bytes = 256;
  SnapshotResult items = ReadText(array + "\n]}\n", "env.json", small);
  EXPECT_GE(items.problems.size(), 5u);
  for (const std::string& m : ProblemStrings(items)) messages.push_back(m);
  for (const Gap& gap : items.gaps) messages.push_back(gap.reason);
  ASSERT_GE(messages.size(), docs.size() * 2);
  for (const std::string& m : messages) EXPECT_THAT(m, ::testing::Not(HasSubstr(secret)));
}

}  // namespace
}  // namespace ecsguard::ingest
