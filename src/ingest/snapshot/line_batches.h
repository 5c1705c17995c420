#pragma once

#include <condition_variable>
#include <cstdint>
#include <cstring>
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
//
// Two ways to hand lines over. Add() takes one framed line at a time (copied into the batch).
// In block mode (BeginBlocks) the caller reads the file straight into the current batch's
// buffer, Block(), and hands over whole lines with SubmitBlock(); the reader thread frames them
// there as the caller would have (blank lines, leading white space, a "\r" before "\n"), and
// their line numbers are settled when the batch is committed, in order.
class LineBatches {
 public:
  // A batch's bytes: grown without zero-filling, since a block is read straight into it.
  class Buffer {
   public:
    std::string_view view() const { return {data_.get(), size_}; }
    size_t size() const { return size_; }
    // `n` more bytes at the end, not initialised; their address. There is always room for
    // simdjson's padding after the end (Pad).
    char* Grow(size_t n);
    // Fills the padding after the end (not part of size()).
    void Pad();
    void Resize(size_t n) { size_ = n; }  // only to shrink
    void Append(std::string_view s) { std::memcpy(Grow(s.size()), s.data(), s.size()); }
    void Clear() { size_ = 0; }

   private:
    std::unique_ptr<char[]> data_;
    size_t size_ = 0, capacity_ = 0;
  };

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
  // Lines framed on a reader thread (block mode), read again or not.
  size_t lines_framed() const { return lines_framed_; }

  // Block mode, from the start of line `first_line` at file offset `offset`; each line framed
  // there adds one to `*document_count`. Block() is the buffer to read into.
  void BeginBlocks(uint32_t first_line, uint64_t offset, size_t* document_count);
  Buffer& Block() { return current_->text; }
  // Hands over the first `size` bytes of Block(): whole lines, each ended by "\n" but the file's
  // last. The bytes after them become the start of the next block.
  void SubmitBlock(size_t size);
  // File offset of Block()'s first byte; the line it starts, once every block is committed
  // (after Drain()).
  uint64_t block_offset() const { return block_offset_; }
  uint32_t next_line() const { return block_line_; }
  // Back to Add(); Block() is dropped. Call after Drain().
  void EndBlocks();

 private:
  struct Line {
    uint32_t begin, size, line, column;
    uint64_t offset;
  };
  struct Batch {
    Buffer text;  // the lines back to back, and padding
    std::vector<Line> lines;
    // A block (SubmitBlock): `lines` are framed by the reader thread, with line numbers from 0
    // and `offset` the file offset of text's first byte; `newlines` counts its "\n"s.
    bool block = false;
    uint64_t offset = 0;
    uint32_t newlines = 0;
    uint32_t documents = 0;
    bool failed = false;  // the reader thread gave up (out of memory): all read again
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
  std::unique_ptr<Batch> NewBatch();
  static void Frame(Batch& batch);
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
  size_t lines_framed_ = 0;
  bool blocks_ = false;  // block mode
  uint64_t block_offset_ = 0;
  uint32_t block_line_ = 0;  // of the first line of the oldest block not yet committed
  size_t* document_count_ = nullptr;
  std::vector<std::thread> threads_;
};

}  // namespace ecsguard::ingest::snapshot_internal
