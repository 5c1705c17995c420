#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace ecsguard::ingest::snapshot_internal {

// Where bytes come from: a file descriptor or a string in memory.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to `n` bytes into `out`; 0 at end of input; -1 on error (see error()).
  virtual ptrdiff_t Read(char* out, size_t n) = 0;
  virtual std::string error() const { return {}; }
};

class FdSource final : public ByteSource {
 public:
  explicit FdSource(int fd) : fd_(fd) {}
  ptrdiff_t Read(char* out, size_t n) override;
  std::string error() const override { return error_; }

 private:
  int fd_;
  std::string error_;
};

class MemorySource final : public ByteSource {
 public:
  explicit MemorySource(std::string_view text) : text_(text) {}
  ptrdiff_t Read(char* out, size_t n) override;

 private:
  std::string_view text_;
};

// A sliding window over a ByteSource. The window starts at the cursor and always has at least
// `kPadding` readable bytes after its end (simdjson's requirement), so a document that lies in
// the window can be parsed in place. Consumed bytes are dropped when more are read; the buffer
// grows only as far as the caller allows.
class ChunkReader {
 public:
  static constexpr size_t kPadding = 64;  // SIMDJSON_PADDING

  ChunkReader(ByteSource* source, size_t chunk_bytes);

  std::string_view window() const { return {buf_.get() + begin_, end_ - begin_}; }
  // File offset of the first byte of the window.
  uint64_t offset() const { return offset_; }
  void Consume(size_t n) {
    begin_ += n;
    offset_ += n;
  }
  // Appends at least one more byte to the window unless the input has ended; the window may
  // move in memory. Fails (returns false) at end of input, on a read error, or when the window
  // would have to exceed `max_window` bytes. Check eof() / failed() to tell which.
  bool ReadMore(size_t max_window);
  // Makes `pending` the window, at file offset `offset`, as if it had just been read (the
  // caller read it from the source itself); reading goes on from the source's position.
  // `eof`: the source has ended.
  void Restart(std::string_view pending, uint64_t offset, bool eof);
  bool eof() const { return eof_; }
  bool failed() const { return failed_; }
  const ByteSource& source() const { return *source_; }

 private:
  ByteSource* source_;
  size_t chunk_;
  std::unique_ptr<char[]> buf_;
  size_t capacity_ = 0;  // bytes of buf_, padding not included
  size_t begin_ = 0, end_ = 0;
  uint64_t offset_ = 0;
  bool eof_ = false, failed_ = false;
};

}  // namespace ecsguard::ingest::snapshot_internal
