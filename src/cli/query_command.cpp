#include <fmt/format.h>

#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "base/strings.h"
#include "cli/commands.h"
#include "ingest/ingest.h"
#include "query/query.h"

namespace ecsguard::cli {
namespace {

// GraphQL's error shape: {"errors": [{"message", "locations": [{"line", "column"}]}]}.
int PrintErrors(Io& io, const Error& e, int code) {
  nlohmann::json err = {{"message", e.message()},
                        {"extensions", {{"code", ErrorCodeName(e.code())}}}};
  if (e.location().line) {
    err["locations"] = {{{"line", e.location().line}, {"column", e.location().column}}};
  }
  if (!e.location().file.empty()) err["extensions"]["file"] = e.location().file;
  io.out << nlohmann::json{{"errors", {err}}}.dump(2) << "\n";
  return code;
}

}  // namespace

int RunQuery(const QueryOptions& o, Io& io) {
  std::string text = o.query;
  if (text == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else if (text.starts_with("@")) {
    if (!ReadFileToString(text.substr(1), &text)) {
      return UsageError(io, fmt::format("cannot read query file {}", o.query.substr(1)));
    }
  }
  nlohmann::json variables = nlohmann::json::object();
  if (!o.variables.empty()) {
    variables = nlohmann::json::parse(o.variables, nullptr, /*allow_exceptions=*/false);
    if (variables.is_discarded() || !variables.is_object()) {
      return UsageError(io, "--variables must be a JSON object");
    }
  }
  auto schema = LoadSchema(o.schema_file);
  if (!schema.ok()) return UsageError(io, schema.error().ToString());

  graph::Graph graph;
  std::vector<Error> problems;
  size_t gaps = 0;
  if (!o.graph_file.empty()) {
    std::string json_text;
    if (!ReadFileToString(o.graph_file, &json_text)) {
      return UsageError(io, fmt::format("cannot read graph file {}", o.graph_file));
    }
    auto loaded = graph::LoadGraphJson(json_text, o.graph_file);
    if (!loaded.ok()) return UsageError(io, loaded.error().ToString());
    graph = std::move(loaded).value();
  } else if (!o.snapshot_paths.empty()) {
    ingest::SnapshotResult snapshot = ingest::LoadSnapshot(o.snapshot_paths);
    graph = std::move(snapshot.graph);
    problems = std::move(snapshot.problems);
    gaps = snapshot.gaps.size();
  } else {
    graph.Freeze();
  }

  auto q = query::Query::Compile(*schema, text, variables);
  if (!q.ok()) return PrintErrors(io, q.error(), kExitUsage);
  for (const std::string& w : q->warnings()) io.err << "ecsguard: warning: " << w << "\n";
  io.out << q->Execute(graph).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  for (const Error& e : problems) io.err << "ecsguard: " << e.ToString() << "\n";
  if (gaps) {
    io.err << fmt::format("ecsguard: {} in-use asset(s) could not be evaluated (not described in "
                          "the snapshot); the result may be incomplete\n",
                          gaps);
  }
  return problems.empty() && gaps == 0 ? kExitOk : kExitIncomplete;
}

}  // namespace ecsguard::cli
