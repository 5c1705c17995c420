// libFuzzer target: arbitrary bytes as a stored-check query against the bundled asset schema
// and a small graph with cycles (task definition <-> container spec, task, service, cluster).
// Every stage must reject or answer without crashing: Compile, Matches, Explain, Execute.

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "base/strings.h"
#include "graph/graph.h"
#include "query/query.h"

namespace {

using ecsguard::graph::Graph;
using ecsguard::graph::NodeIndex;
using ecsguard::graph::Value;

const ecsguard::graph::Schema& Schema() {
  static const ecsguard::graph::Schema* schema = [] {
    std::string sdl;
    if (!ecsguard::ReadFileToString(ECSGUARD_SCHEMA_PATH, &sdl)) __builtin_trap();
    auto parsed = ecsguard::graph::Schema::Parse(sdl, ECSGUARD_SCHEMA_PATH);
    if (!parsed.ok()) __builtin_trap();
    return new ecsguard::graph::Schema(std::move(parsed).value());
  }();
  return *schema;
}

const Graph& SmallGraph() {
  static const Graph* graph = [] {
    auto* g = new Graph();
    NodeIndex cluster = g->AddNode("ECSCluster", "cluster");
    g->SetProp(cluster, "name", g->String("prod"));
    for (int i = 0; i < 3; ++i) {
      std::string id = "td" + std::to_string(i);
      NodeIndex td = g->AddNode("ECSTaskDefinition", id);
      g->SetProp(td, "networkMode", g->String(i == 1 ? "awsvpc" : "host"));
      g->SetProp(td, "revision", Value::Int(i + 1));
      Value tags[] = {g->String("prod"), g->String("web")};
      g->SetProp(td, "tags", g->List(std::span<const Value>(tags, i)));
      for (int s = 0; s < 2; ++s) {
        NodeIndex spec = g->AddNode("ECSTaskContainerSpec", id + "#c" + std::to_string(s));
        g->SetProp(spec, "privileged", Value::Bool(s == 0));
        if (s) g->SetProp(spec, "user", g->String("root"));
        g->SetProp(spec, "memory", Value::Int(512 * (s + 1)));
        g->AddEdge("HAS_CONTAINER_DEFINITION", td, spec);
        NodeIndex env = g->AddNode("ECSEnvEntry", id + "#c" + std::to_string(s) + "#e");
        g->SetProp(env, "key", g->String("AWS_SECRET_ACCESS_KEY"));
        g->SetProp(env, "value", g->String("secret"));
        g->AddEdge("HAS_ENV_ENTRY", spec, env);
      }
      if (i != 1) {
        NodeIndex task = g->AddNode("ECSTask", id + "#task");
        g->SetProp(task, "lastStatus", g->String("RUNNING"));
        g->AddEdge("HAS_TASK_DEFINITION", task, td);
        g->AddEdge("HAS_TASK", cluster, task);
      }
      NodeIndex service = g->AddNode("ECSService", id + "#svc");
      g->AddEdge("HAS_TASK_DEFINITION", service, td);
      g->AddEdge("HAS_SERVICE", cluster, service);
    }
    g->Freeze();
    return g;
  }();
  return *graph;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const nlohmann::json variables = {
      {"ids", {"td0", "td2"}},
      {"mode", "host"},
      {"b", true},
      {"n", 2},
      {"w", {{"containerSpecs_SOME", {{"privileged", true}}}}}};
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto q = ecsguard::query::Query::Compile(Schema(), text, variables);
  if (!q.ok()) return 0;
  const Graph& g = SmallGraph();
  auto matches = q->Matches(g);
  if (!matches.ok()) return 0;
  for (NodeIndex n : *matches) (void)q->Explain(g, n);
  auto executed = q->Execute(g);
  if (!executed.ok()) return 0;
  const nlohmann::json& out = *executed;
  (void)out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  (void)ecsguard::query::FollowReturnPath(out["data"][q->root_key()], "containerSpecs.envEntries");
  return 0;
}
