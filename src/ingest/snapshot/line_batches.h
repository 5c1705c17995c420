#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "ingest/snapshot/document_reader.h"
#include "ingest/snapshot/graph_builder.h"

namespace ecsguard::ingest::snapshot_internal {

// Reads the lines of JSON Lines files on `jobs` threads (SnapshotOptions::jobs) while the builder
// defers task definitions (Revisions::kReferenced), so that the result is the one reading alone
// gives. The file's reader adds lines in order; they are copied into batches of about a
// megabyte, and a reader thread parses each batch with a DocumentReader of its own. A line that
// holds only task definitions and gives no problem is reduced there to what the builder keeps
// of it (DeferredRevision); every other line (tasks, services, any problem: their order and the
// per-file problem limit matter) is marked, and read again on the calling thread. Batches are
// handed to the builder strictly in order, so neither the thread count nor the scheduling
// changes the graph, the problems or the gaps. At most 2 * jobs batches are in flight.
class LineBatches {
 public:
  // `documents` and `builder` are the calling thread's, for the lines read again and for the
  // kept task definitions.
  LineBatches(unsigned jobs, SnapshotOptions::Environment environment, DocumentReader* documents,
              GraphBuilder* builder);
  ~LineBatches();
  LineBatches(const LineBatches&) = delete;
  LineBatches& operator=(const LineBatches&) = delete;

  // A line of the current file, as DocumentReader::Read takes it.
  void Add(std::string_view text, uint32_t line, uint32_t column, uint64_t offset);
  // Hands everything added to the builder, in order. Call before reading anything of the file
  // another way, and at its end.
  void Drain();
  // Lines committed from a reader thread's reading (not read again on the calling thread).
  size_t lines_kept() const { return lines_kept_; }

 private:
  struct Line {
    uint32_t begin, size, line, column;
    uint64_t offset;
  };
  struct Batch {
    std::string text;  // the lines back to back, and padding
    std::vector<Line> lines;
    // Filled by a reader thread: per line, whether to read it again, and the end of its task
    // definitions in `revisions`.
    std::vector<uint8_t> again;
    std::vector<uint32_t> revisions_end;
    std::vector<DeferredRevision> revisions;
    bool done = false;
  };

  void Submit();
  void Commit(Batch& batch);
  void Work();
  static void Parse(Batch& batch, SnapshotOptions::Environment environment);

  SnapshotOptions::Environment environment_;
  DocumentReader* documents_;
  GraphBuilder* builder_;
  size_t max_in_flight_;
  std::unique_ptr<Batch> current_;
  std::deque<std::unique_ptr<Batch>> in_flight_;  // in file order; the front is committed first
  std::deque<Batch*> queue_;                      // not yet taken by a reader thread
  std::vector<std::unique_ptr<Batch>> free_;      // committed, kept for their capacity
  std::mutex mutex_;
  std::condition_variable work_, done_;
  bool stop_ = false;
  size_t lines_kept_ = 0;
  std::vector<std::thread> threads_;
};

}  // namespace ecsguard::ingest::snapshot_internal
