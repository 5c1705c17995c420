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

// GraphQL's error shape: {"errors": [{"message", "locations": [{"line", "column"}]}]}. Returns
// the exit code for `e`.
int PrintErrors(Io& io, const Error& e) {
  nlohmann::json err = {{"message", e.message()},
                        {"extensions", {{"code", ErrorCodeName(e.code())}}}};
  if (e.location().line) {
    err["locations"] = {{{"line", e.location().line}, {"column", e.location().column}}};
  }
  if (!e.location().file.empty()) err["extensions"]["file"] = e.location().file;
  io.out << nlohmann::json{{"errors", {err}}}.dump(2) << "\n";
  return ExitCodeFor(e);
}

}  // namespace

int RunQuery(const QueryOptions& o, Io& io) {
  std::string text = o.query;
  if (text == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else if (text.starts_with("@")) {
    Result<std::string> file = ReadFile(text.substr(1));
    if (!file.ok()) {
      return Fail(
          io, Error(file.error().code(), fmt::format("query file {}", file.error().ToString())));
    }
    text = std::move(file).value();
  }
  nlohmann::json variables = nlohmann::json::object();
  if (!o.variables.empty()) {
    variables = nlohmann::json::parse(o.variables, nullptr, /*allow_exceptions=*/false);
    if (variables.is_discarded() || !variables.is_object()) {
      return UsageError(io, "--variables must be a JSON object");
    }
  }
  auto schema = LoadSchema(o.schema_file);
  if (!schema.ok()) return Fail(io, schema.error());
  // Compiled first: a snapshot's graph holds only what the query reads of the environment.
  auto q = query::Query::Compile(*schema, text, variables);
  if (!q.ok()) return PrintErrors(io, q.error());

  graph::Graph graph;
  std::vector<Error> problems;
  size_t gaps = 0;
  if (!o.graph_file.empty()) {
    Result<std::string> json_text = ReadFile(o.graph_file);
    if (!json_text.ok()) {
      return Fail(io, Error(json_text.error().code(),
                            fmt::format("graph file {}", json_text.error().ToString())));
    }
    auto loaded = graph::LoadGraphJson(*json_text, o.graph_file, &*schema);
    if (!loaded.ok()) return Fail(io, loaded.error());
    graph = std::move(loaded).value();
  } else if (!o.snapshot_paths.empty()) {
    ingest::SnapshotOptions read;
    read.graph_names = q->GraphNames();
    read.environment = ingest::EnvironmentRead(*read.graph_names);
    ingest::SnapshotResult snapshot = ingest::LoadSnapshot(o.snapshot_paths, read);
    graph = std::move(snapshot.graph);
    problems = std::move(snapshot.problems);
    gaps = snapshot.gaps.size();
  } else {
    graph.Freeze();
  }

  for (const std::string& w : q->warnings()) io.err << "ecsguard: warning: " << w << "\n";
  Result<nlohmann::json> response = q->Execute(graph);
  if (!response.ok()) return PrintErrors(io, response.error());
  io.out << response->dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  for (const Error& e : problems) io.err << "ecsguard: " << e.ToString() << "\n";
  if (gaps) {
    io.err << fmt::format(
        "ecsguard: {} asset(s) could not be evaluated (in use but not described, "
        "unreadable, or in-use state unknown); the result may be incomplete\n",
        gaps);
  }
  return problems.empty() && gaps == 0 ? kExitOk : kExitIncomplete;
}

}  // namespace ecsguard::cli
