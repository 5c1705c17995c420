// End-to-end: hostile inputs to `ecsguard query` and `ecsguard scan snapshot`, run as a user
// would run them: the binary, its exit code, its stdout and stderr.
#include <gtest/gtest.h>

#include <sys/resource.h>
#include <cstdlib>

#include <nlohmann/json.hpp>
#include <string>

#include "cli_runner.h"

namespace ecsguard::testing {
namespace {

using nlohmann::json;

// Runs the binary under `ulimit -v` (the child inherits the limit; this process keeps its own).
// Not under the asan preset (ECSGUARD_SANITIZED): ASan reserves terabytes of address space, so
// there the budget alone must bound the run.
CliResult RunCliWithAddressSpace(const std::vector<std::string>& args, rlim_t bytes) {
  if (std::getenv("ECSGUARD_SANITIZED") != nullptr) return RunCli(args);
  rlimit saved;
  getrlimit(RLIMIT_AS, &saved);
  rlimit capped = saved;
  capped.rlim_cur = bytes;
  setrlimit(RLIMIT_AS, &capped);
  CliResult r = RunCli(args);
  setrlimit(RLIMIT_AS, &saved);
  return r;
}

// 100 revisions of 1000 containers each, about 17 MB: every containerSpecs -> taskDefinition
// -> containerSpecs level of a query multiplies its result by 1000.
std::string FanOutGraph() {
  std::string nodes, rels;
  for (int td = 0; td < 100; ++td) {
    std::string id = "td-" + std::to_string(td);
    nodes += R"({"id": ")" + id +
             R"(", "label": "ECSTaskDefinition", "props": {"networkMode": "host"}},)";
    for (int c = 0; c < 1000; ++c) {
      std::string spec = id + "/c-" + std::to_string(c);
      nodes +=
          R"({"id": ")" + spec +
          R"(", "label": "ECSTaskContainerSpec", "props": {"name": "c", "privileged": false}},)";
      rels += R"({"type": "HAS_CONTAINER_DEFINITION", "from": ")" + id + R"(", "to": ")" + spec +
              R"("},)";
    }
  }
  nodes.pop_back();
  rels.pop_back();
  return R"({"nodes": [)" + nodes + R"(], "relationships": [)" + rels + "]}";
}

TEST(QueryE2eTest, ResultOverTheBudgetIsAGraphqlErrorInBoundedMemory) {
  TempDir dir;
  std::string graph = dir.Write("graph.json", FanOutGraph());
  CliResult r = RunCliWithAddressSpace(
      {"query", "--graph", graph,
       "{ ecsTaskDefinitions { containerSpecs { taskDefinition { containerSpecs { taskDefinition "
       "{ containerSpecs { name privileged } } } } } } }"},
      rlim_t{4000000} * 1024);
  ASSERT_EQ(r.exit_code, 3) << r.err;
  json out = json::parse(r.out);
  EXPECT_EQ(out["errors"][0]["message"],
            "query evaluation budget exceeded: result larger than 134217728 bytes");
  EXPECT_EQ(out["errors"][0]["extensions"]["code"], "resource_exhausted");
  EXPECT_FALSE(out.contains("data"));
}

TEST(QueryE2eTest, QueryFileThatCannotBeReadSaysWhy) {
  TempDir dir;
  CliResult r = RunCli({"query", "@" + dir.path()});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("query file " + dir.path() + ": cannot read: Is a directory"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("EOF"), std::string::npos) << r.err;
  CliResult missing = RunCli({"query", "@" + dir.path() + "/nope.graphql"});
  EXPECT_EQ(missing.exit_code, 3);
  EXPECT_NE(missing.err.find("nope.graphql: cannot read: No such file or directory"),
            std::string::npos)
      << missing.err;
}

TEST(QueryE2eTest, GraphValuesAreCheckedAgainstTheSchema) {
  TempDir dir;
  std::string graph = dir.Write("graph.json", R"({"nodes": [
    {"id": "td", "label": "ECSTaskDefinition", "props": {"networkMode": "host"}},
    {"id": "c", "label": "ECSTaskContainerSpec", "props": {"privileged": "true"}}],
    "relationships": [{"type": "HAS_CONTAINER_DEFINITION", "from": "td", "to": "c"}]})");
  CliResult r = RunCli({"query", "--graph", graph,
                        "{ ecsTaskDefinitions(where: {containerSpecs_SOME: {privileged: true}}) "
                        "{ id } }"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find(graph + ": nodes[1] (id \"c\").props.privileged: expected true or false "
                               "(Boolean), found a string"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.out, "");
}

TEST(QueryE2eTest, SensitiveValuesCannotBeProbed) {
  CliResult r = RunCli({"query",
                        "{ ecsTaskDefinitions(where: {containerSpecs_SOME: {envEntries_SOME: "
                        "{value_STARTS_WITH: \"a\"}}}) { id } }"});
  EXPECT_EQ(r.exit_code, 3);
  json out = json::parse(r.out);
  EXPECT_EQ(out["errors"][0]["extensions"]["code"], "validation_error");
  EXPECT_EQ(out["errors"][0]["locations"][0]["column"], 70);
  EXPECT_NE(out["errors"][0]["message"].get<std::string>().find("@sensitive"), std::string::npos);
}

constexpr char kTask[] = R"({"tasks": [{
  "taskArn": "arn:aws:ecs:eu-west-1:123456789012:task/c/1",
  "clusterArn": "arn:aws:ecs:eu-west-1:123456789012:cluster/c",
  "taskDefinitionArn": "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:1",
  "lastStatus": "RUNNING", "desiredStatus": "RUNNING"}], "failures": []})";

std::string Definition(const std::string& container) {
  return R"({"taskDefinition": {
  "taskDefinitionArn": "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:1",
  "family": "web", "revision": 1, "status": "ACTIVE", "networkMode": "host",
  "containerDefinitions": [)" +
         container + "]}}";
}

// {control id: status} of the findings about web:1.
std::map<std::string, std::string> Statuses(const json& report) {
  std::map<std::string, std::string> out;
  for (const json& f : report["findings"]) {
    if (f["resource"]["id"].get<std::string>().ends_with("task-definition/web:1")) {
      out[f["controlId"]] = f["status"];
    }
  }
  return out;
}

TEST(QueryE2eTest, DuplicateKeyIsNotEvaluatedNeverPass) {
  TempDir dir;
  std::string td = dir.Write(
      "td.json", Definition(R"({"name": "app", "privileged": true, "privileged": false})"));
  dir.Write("tasks.json", kTask);
  CliResult r = RunCli({"scan", "snapshot", dir.path(), "-f", "json"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  json report = json::parse(r.out);
  EXPECT_EQ(Statuses(report), (std::map<std::string, std::string>{
                                  {"aws-ecs-1-privileged-network-mode", "NOT_EVALUATED"},
                                  {"aws-ecs-1-strict", "NOT_EVALUATED"}}));
  ASSERT_EQ(report["problems"].size(), 1u);
  EXPECT_EQ(report["problems"][0]["message"],
            "duplicate key \"privileged\" in taskDefinition.containerDefinitions[0]");
  EXPECT_EQ(report["problems"][0]["line"], 4);
  EXPECT_EQ(report["problems"][0]["column"], 64);
}

TEST(QueryE2eTest, SilentEmptiesAreProblems) {
  TempDir empty;
  CliResult none = RunCli({"scan", "snapshot", empty.path(), "-f", "json"});
  EXPECT_EQ(none.exit_code, 2) << none.err;
  EXPECT_NE(none.err.find(empty.path() + ": no files to read in this folder"), std::string::npos)
      << none.err;

  TempDir no_tasks;
  no_tasks.Write("td.json", Definition(R"({"name": "app", "privileged": false})"));
  CliResult r = RunCli({"scan", "snapshot", no_tasks.path(), "-f", "json"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("no describe-tasks output found: in-use state unknown"), std::string::npos)
      << r.err;
  EXPECT_EQ(
      Statuses(json::parse(r.out)),
      (std::map<std::string, std::string>{{"aws-ecs-1-privileged-network-mode", "NOT_EVALUATED"},
                                          {"aws-ecs-1-strict", "NOT_EVALUATED"}}));

  no_tasks.Write("tasks.json", R"({"tasks": [], "failures": []})");
  CliResult idle = RunCli({"scan", "snapshot", no_tasks.path(), "-f", "json"});
  EXPECT_EQ(idle.exit_code, 0) << idle.err;
}

}  // namespace
}  // namespace ecsguard::testing
