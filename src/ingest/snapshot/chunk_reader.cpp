#include "ingest/snapshot/chunk_reader.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace ecsguard::ingest::snapshot_internal {

ptrdiff_t FdSource::Read(char* out, size_t n) {
  for (;;) {
    ssize_t got = ::read(fd_, out, n);
    if (got >= 0) return got;
    if (errno == EINTR) continue;
    error_ = std::strerror(errno);
    return -1;
  }
}

ptrdiff_t MemorySource::Read(char* out, size_t n) {
  size_t k = std::min(n, text_.size());
  std::memcpy(out, text_.data(), k);
  text_.remove_prefix(k);
  return static_cast<ptrdiff_t>(k);
}

ChunkReader::ChunkReader(ByteSource* source, size_t chunk_bytes)
    : source_(source), chunk_(std::max<size_t>(chunk_bytes, 64)) {}

bool ChunkReader::ReadMore(size_t max_window) {
  if (eof_ || failed_) return false;
  size_t live = end_ - begin_;
  if (capacity_ - end_ < chunk_ && begin_ > 0) {
    std::memmove(buf_.get(), buf_.get() + begin_, live);
    begin_ = 0;
    end_ = live;
  }
  if (capacity_ - end_ < chunk_) {
    if (live >= max_window) return false;
    size_t capacity = std::max(capacity_ * 2, live + chunk_);
    auto bigger = std::make_unique_for_overwrite<char[]>(capacity + kPadding);
    if (live) std::memcpy(bigger.get(), buf_.get() + begin_, live);
    buf_ = std::move(bigger);
    capacity_ = capacity;
    begin_ = 0;
    end_ = live;
  }
  ptrdiff_t got = source_->Read(buf_.get() + end_, std::min(chunk_, capacity_ - end_));
  if (got < 0) {
    failed_ = true;
    return false;
  }
  if (got == 0) {
    eof_ = true;
    return false;
  }
  end_ += static_cast<size_t>(got);
  std::memset(buf_.get() + end_, 0, kPadding);
  return true;
}

void ChunkReader::Restart(std::string_view pending, uint64_t offset, bool eof) {
  if (pending.size() > capacity_) {
    buf_ = std::make_unique_for_overwrite<char[]>(pending.size() + kPadding);
    capacity_ = pending.size();
  }
  if (!pending.empty()) std::memcpy(buf_.get(), pending.data(), pending.size());
  if (buf_) std::memset(buf_.get() + pending.size(), 0, kPadding);
  begin_ = 0;
  end_ = pending.size();
  offset_ = offset;
  eof_ = eof;
  failed_ = false;
}

}  // namespace ecsguard::ingest::snapshot_internal
