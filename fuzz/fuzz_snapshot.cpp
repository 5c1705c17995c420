// libFuzzer target for the snapshot ingest adapter (src/ingest/snapshot): framing, shape
// detection, On-Demand extraction, the large-document splitter and the graph builder.
//
// Each input is read three ways. Reads in 64 KiB chunks and in 7-byte chunks must agree exactly:
// how a file happens to be split into reads must never change what is read. A third read with
// a 64-byte document limit drives every document through the item-by-item splitter. Two more
// reads, projected as a scan projects: building only the revisions something refers to
// (Revisions::kReferenced, which reads those again at the end) must report the same problems
// and gaps as building them all.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "ingest/snapshot/snapshot.h"

namespace {

using ecsguard::ingest::LoadSnapshotText;
using ecsguard::ingest::SnapshotOptions;
using ecsguard::ingest::SnapshotResult;

std::string Summary(const SnapshotResult& r) {
  std::string out = std::to_string(r.graph.node_count()) + " nodes, " +
                    std::to_string(r.graph.edge_count()) + " edges, " +
                    std::to_string(r.gaps.size()) + " gaps\n";
  for (const auto& e : r.problems) out += e.ToString() + "\n";
  return out;
}

std::string Reported(const SnapshotResult& r) {
  std::string out;
  for (const auto& g : r.gaps) out += g.asset_type + " " + g.id + ": " + g.reason + "\n";
  for (const auto& e : r.problems) out += e.ToString() + "\n";
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  SnapshotOptions whole;
  whole.max_document_bytes = 1 << 20;
  whole.read_chunk_bytes = 1 << 16;
  SnapshotOptions tiny_reads = whole;
  tiny_reads.read_chunk_bytes = 7;
  SnapshotOptions split;
  split.max_document_bytes = 64;
  split.read_chunk_bytes = 16;

  SnapshotResult a = LoadSnapshotText(text, "fuzz.json", whole);
  SnapshotResult b = LoadSnapshotText(text, "fuzz.json", tiny_reads);
  if (!a.graph.frozen() || Summary(a) != Summary(b)) __builtin_trap();
  SnapshotResult c = LoadSnapshotText(text, "fuzz.json", split);
  if (!c.graph.frozen()) __builtin_trap();

  SnapshotOptions projected = whole;
  projected.graph_names = {{"ECSTask", "ECSTaskContainerSpec", "ECSTaskDefinition",
                            "HAS_CONTAINER_DEFINITION", "HAS_TASK_DEFINITION", "networkMode",
                            "privileged", "user"}};
  SnapshotOptions referenced = projected;
  referenced.revisions = SnapshotOptions::Revisions::kReferenced;
  if (Reported(LoadSnapshotText(text, "fuzz.json", projected)) !=
      Reported(LoadSnapshotText(text, "fuzz.json", referenced))) {
    __builtin_trap();
  }
  // Reader threads (which frame JSON Lines themselves, in blocks) give what one reader gives,
  // with reads of 7 bytes and with documents of at most 64.
  for (auto [chunk, max_document] : {std::pair<size_t, size_t>{7, 1 << 20}, {16, 64}}) {
    SnapshotOptions one = referenced;
    one.read_chunk_bytes = chunk;
    one.max_document_bytes = max_document;
    SnapshotOptions two = one;
    two.jobs = 2;
    SnapshotResult r1 = LoadSnapshotText(text, "fuzz.json", one);
    SnapshotResult r2 = LoadSnapshotText(text, "fuzz.json", two);
    if (Summary(r1) != Summary(r2) || Reported(r1) != Reported(r2)) __builtin_trap();
  }
  return 0;
}
