#pragma once

// ingest/snapshot: turns files of AWS CLI JSON output into the asset graph.
//
// Input is any mix of files and folders (folders are walked recursively in sorted order, hidden
// entries skipped). Each document is recognised by its content, never by its file name: the
// outputs of `aws ecs describe-task-definition|describe-tasks|describe-services|describe-clusters|
// describe-container-instances|describe-task-sets|describe-capacity-providers`, `aws ec2
// describe-instances|describe-security-groups` and
// `aws elbv2 describe-load-balancers|describe-target-groups|describe-tags`, bare task-definition,
// task, service, cluster and container-instance objects, top-level arrays of those, and JSON
// Lines or concatenated documents of any of these. `list-*` outputs (ARNs only) are ignored.
// Output is a frozen graph following schemas/aws.graphql. Relationships are resolved after every
// file is read, so file order never matters; an asset seen twice is merged.
//
// Bad input is data, not an exception: every file is read on its own, and what could not be read
// is reported in `problems` (with file:line:column) while the rest is still ingested. Assets
// known to exist but not evaluable (a running task's revision that was not described, a
// `failures` entry, a malformed task definition) are reported in `gaps`, and never become nodes
// that could evaluate as PASS. Messages never contain environment values or other field values.
// Validation: every field the graph stores is type-checked, and an object it reads from must not
// repeat a key (which of the two values AWS uses is not documented, so the asset is a gap);
// values the adapter skips are checked only for UTF-8 and balanced brackets (simdjson On-Demand
// does not look inside them). Task definitions without any describe-tasks output (in-use state
// unknown) are gaps and a problem, and so is a folder without files.
//
// Memory stays bounded by the graph: files are streamed in chunks and each document is parsed on
// its own. A single JSON document larger than `max_document_bytes` that is an object of arrays
// (awscli's paginated output) is split into its array items and read item by item.
// Thread-safety: LoadSnapshot is reentrant; the result is owned by the caller.
//
//   ingest::SnapshotResult r = ingest::LoadSnapshot({"snapshots/prod", "tasks.jsonl"});
//   for (const Error& e : r.problems) std::cerr << e.ToString() << "\n";
//   for (const ingest::Gap& g : r.gaps) std::cerr << g.id << ": " << g.reason << "\n";
//   auto tds = r.graph.NodesWithLabel("ECSTaskDefinition");
//   fmt::print("{} revisions, {} tasks in use\n", tds.size(), r.stats.tasks_in_use);

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/error.h"
#include "graph/graph.h"
#include "ingest/gap.h"

namespace ecsguard::ingest {

// Distinct assets in the graph, plus what was read.
struct SnapshotStats {
  size_t files = 0, documents = 0, task_definitions = 0, tasks = 0, tasks_in_use = 0, services = 0,
         clusters = 0, container_instances = 0, ec2_instances = 0, load_balancers = 0,
         target_groups = 0;
  // Documents a reader thread read for the builder (SnapshotOptions::jobs), not read again here.
  size_t documents_on_threads = 0;
  // Of all documents, those whose lines a reader thread framed (read in blocks).
  size_t documents_framed_on_threads = 0;
};

struct SnapshotResult {
  graph::Graph graph;           // frozen
  std::vector<Error> problems;  // file:line:col errors; the rest of each file was still read
  std::vector<Gap> gaps;        // sorted by asset type, then id
  SnapshotStats stats;
  // Account and region of every task definition read but not built (SnapshotOptions::revisions):
  // the cells they come from are still covered.
  std::vector<std::pair<std::string, std::string>> unbuilt_cells;
};

struct SnapshotOptions {
  // Documents up to this size are parsed in one piece (memory: about twice this size).
  size_t max_document_bytes = size_t{32} << 20;
  // Files are read in chunks of this size.
  size_t read_chunk_bytes = size_t{1} << 20;
  // At most this many problems are reported per file; one more line says how many were dropped.
  size_t max_problems_per_file = 100;
  // Task definitions without any describe-tasks output are gaps (in-use state unknown). False
  // when the caller listed the tasks itself and turned what it could not list into gaps (a
  // live scan of a region without tasks has no describe-tasks output to read).
  bool require_task_list = true;
  // What of each container's `environment` becomes ECSEnvEntry nodes: every entry with its
  // value (the default), the names only, or nothing. Entries are type-checked the same either
  // way, so the problems and gaps reported do not depend on it. A scan sets it from what its
  // checks read (EnvironmentRead): the values are @sensitive and the graph need not hold them,
  // and in a large estate the entries are most of the graph's nodes.
  enum class Environment : uint8_t { kNone, kNames, kNamesAndValues };
  Environment environment = Environment::kNamesAndValues;
  // The graph names (labels, relationship types and property keys, sorted) that what reads the
  // graph reads, or unset for the whole graph. When set, a property is stored only when its key
  // (or, for an "@unknown" marker, its field) is named, and secrets, volumes and cluster settings
  // become nodes only when their label or relationship type is named: a scan projects the graph
  // to its checks and its findings (GraphNamesRead in scan.h, posture::GraphNamesRead). What is
  // not stored is still read and type-checked: the problems and gaps do not depend on it.
  std::optional<std::vector<std::string>> graph_names;
  // Which task-definition revisions become nodes. kReferenced builds only those that a task (of
  // any status) or a service refers to, or that a gap names; the others are still read and
  // checked, so the problems and gaps are the same, and they are counted in `stats` and
  // `unbuilt_cells`, but nothing in the graph shows them. That is what a scan needs whose every
  // control judges in-use revisions (`scope: in-use`), and in a large estate the unused
  // revisions are most of the graph. The referenced ones are read a second time at the end, from
  // their files (a pipe's documents are kept in memory instead). kAll applies anyway when the
  // graph names include isLatestRevision, which needs every revision, or when no task list was
  // read (every task definition is then a gap).
  enum class Revisions : uint8_t { kAll, kReferenced };
  Revisions revisions = Revisions::kAll;
  // Threads that parse the lines of JSON Lines files while the calling thread frames them and
  // builds the graph in file order. Used with Revisions::kReferenced, where most lines are task
  // definitions that are only noted; the result never depends on it. 1: the calling thread reads
  // everything.
  unsigned jobs = 1;
  // Called on the calling thread while files are read, about every 16 MiB and when a file ends:
  // the file, how far into it the reading is, and its size (0 when unknown, as for a pipe).
  std::function<void(std::string_view file, uint64_t offset, uint64_t size)> progress;
};

// What of the environment a graph must hold for queries that read `graph_names` (labels,
// relationship types and property keys, sorted, as query::Query::GraphNames lists them).
SnapshotOptions::Environment EnvironmentRead(const std::vector<std::string>& graph_names);

// Reads files or folders (recursive, sorted, hidden entries skipped). A path that does not
// exist or cannot be read is a problem. Never throws.
SnapshotResult LoadSnapshot(const std::vector<std::string>& paths,
                            const SnapshotOptions& options = {});

// Reads `text` as if it were the content of a file called `name` (tests, fuzzing, stdin).
SnapshotResult LoadSnapshotText(std::string_view text, std::string_view name,
                                const SnapshotOptions& options = {});

}  // namespace ecsguard::ingest
