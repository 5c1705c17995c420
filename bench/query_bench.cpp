// Query engine cost per asset: the seed control's query over synthetic estates of 1k, 10k and
// 100k ECS task definitions (3 container specs each, every other one running). Compiling happens
// once outside the timed loop; the reported complexity should come out as O(N). The Decide variant
// runs on the same estate with one container user in ten unknown (as IaC leaves a parameter
// without a default), through the three-valued path.

#include <benchmark/benchmark.h>

#include <map>
#include <memory>
#include <string>

#include "graph/graph.h"
#include "query/query.h"

namespace {

using ecsguard::graph::Graph;
using ecsguard::graph::NodeIndex;

constexpr std::string_view kSchema = R"(
type ECSTaskDefinition @node {
  id: ID! family: String networkMode: String pidMode: String
  containerSpecs: [ECSTaskContainerSpec!]! @relationship(type: "HAS_CONTAINER_DEFINITION", direction: OUT)
  task: ECSTask @relationship(type: "HAS_TASK_DEFINITION", direction: IN)
}
type ECSTaskContainerSpec @node {
  id: ID! name: String privileged: Boolean user: String readOnlyRootFS: Boolean
  envEntries: [ECSEnvEntry!]! @relationship(type: "HAS_ENV_ENTRY", direction: OUT)
}
type ECSEnvEntry @node { id: ID! key: String value: String }
type ECSTask @node {
  id: ID! lastStatus: String
  taskDefinition: ECSTaskDefinition @relationship(type: "HAS_TASK_DEFINITION", direction: OUT)
}
)";

constexpr std::string_view kSeedQuery = R"(
ecsTaskDefinitions(where: {
  networkMode: "host", task_NOT: null,
  OR: [{containerSpecs_SOME: {privileged: true}}, {containerSpecs_SOME: {user_CONTAINS: "root"}}]
}) {...AssetFragment})";

constexpr std::string_view kSecretsQuery = R"(
{ ecsTaskDefinitions(where: {containerSpecs_SOME: {envEntries_SOME: {
    key_IN: ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "ECS_ENGINE_AUTH_DATA"]}}}) { id } })";

const Graph& Estate(int64_t task_definitions, bool unknowns = false) {
  static std::map<std::pair<int64_t, bool>, std::unique_ptr<Graph>> cache;
  auto& g = cache[{task_definitions, unknowns}];
  if (g) return *g;
  g = std::make_unique<Graph>();
  const char* modes[] = {"host", "awsvpc", "bridge"};
  const char* users[] = {"root", "app", "1000:1000", ""};
  for (int64_t i = 0; i < task_definitions; ++i) {
    std::string arn =
        "arn:aws:ecs:eu-west-1:111122223333:task-definition/app" + std::to_string(i) + ":1";
    NodeIndex td = g->AddNode("ECSTaskDefinition", arn);
    g->SetProp(td, "family", g->String("app" + std::to_string(i % 1000)));
    g->SetProp(td, "networkMode", g->String(modes[i % 3]));
    for (int s = 0; s < 3; ++s) {
      NodeIndex spec = g->AddNode("ECSTaskContainerSpec", arn + "#c" + std::to_string(s));
      g->SetProp(spec, "privileged", ecsguard::graph::Value::Bool((i + s) % 7 == 0));
      if (unknowns && (i * 3 + s) % 10 == 0) {
        g->SetProp(spec, "user@unknown", g->String("User is !Ref P, a parameter with no default"));
      } else {
        g->SetProp(spec, "user", g->String(users[(i + s) % 4]));
      }
      g->AddEdge("HAS_CONTAINER_DEFINITION", td, spec);
      NodeIndex env = g->AddNode("ECSEnvEntry", arn + "#c" + std::to_string(s) + "#e");
      g->SetProp(env, "key", g->String(s == 2 && i % 11 == 0 ? "AWS_SECRET_ACCESS_KEY" : "PATH"));
      g->AddEdge("HAS_ENV_ENTRY", spec, env);
    }
    if (i % 2 == 0) {
      NodeIndex task = g->AddNode("ECSTask", arn + "#task");
      g->SetProp(task, "lastStatus", g->String("RUNNING"));
      g->AddEdge("HAS_TASK_DEFINITION", task, td);
    }
  }
  g->Freeze();
  return *g;
}

const ecsguard::graph::Schema& Schema() {
  static const ecsguard::graph::Schema schema =
      std::move(ecsguard::graph::Schema::Parse(kSchema)).value();
  return schema;
}

void RunMatches(benchmark::State& state, std::string_view text) {
  const Graph& g = Estate(state.range(0));
  auto q = ecsguard::query::Query::Compile(Schema(), text);
  if (!q.ok()) {
    state.SkipWithError(q.error().ToString().c_str());
    return;
  }
  size_t matched = 0;
  for (auto _ : state) {
    auto nodes = *q->Matches(g);
    matched = nodes.size();
    benchmark::DoNotOptimize(nodes.data());
  }
  state.counters["matched"] = static_cast<double>(matched);
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.SetComplexityN(state.range(0));
}

void BM_SeedQueryMatches(benchmark::State& state) { RunMatches(state, kSeedQuery); }

void BM_SeedQueryDecideUnknowns(benchmark::State& state) {
  const Graph& g = Estate(state.range(0), /*unknowns=*/true);
  auto q = ecsguard::query::Query::Compile(Schema(), kSeedQuery);
  if (!q.ok()) {
    state.SkipWithError(q.error().ToString().c_str());
    return;
  }
  size_t matched = 0, undecided = 0;
  for (auto _ : state) {
    auto d = *q->Decide(g);
    matched = d.matches.size();
    undecided = d.undecided.size();
    benchmark::DoNotOptimize(d.matches.data());
  }
  state.counters["matched"] = static_cast<double>(matched);
  state.counters["undecided"] = static_cast<double>(undecided);
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.SetComplexityN(state.range(0));
}
void BM_NestedSomeMatches(benchmark::State& state) { RunMatches(state, kSecretsQuery); }

void BM_SeedQueryCompile(benchmark::State& state) {
  for (auto _ : state) {
    auto q = ecsguard::query::Query::Compile(Schema(), kSeedQuery);
    benchmark::DoNotOptimize(q.ok());
  }
}

BENCHMARK(BM_SeedQueryMatches)
    ->Arg(1'000)
    ->Arg(10'000)
    ->Arg(100'000)
    ->Complexity(benchmark::oN)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_SeedQueryDecideUnknowns)
    ->Arg(1'000)
    ->Arg(10'000)
    ->Arg(100'000)
    ->Complexity(benchmark::oN)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_NestedSomeMatches)
    ->Arg(1'000)
    ->Arg(10'000)
    ->Arg(100'000)
    ->Complexity(benchmark::oN)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_SeedQueryCompile)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
