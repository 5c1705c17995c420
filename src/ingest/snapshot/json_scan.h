#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace ecsguard::ingest::snapshot_internal {

// simdjson's default nesting limit; the scanners enforce the same one.
inline constexpr uint32_t kMaxDepth = 1024;

// Finds where one JSON value ends without parsing it: tracks strings and bracket depth only.
// Feed it consecutive pieces of the input; it keeps its state between calls, so a value may
// span any number of reads. Used to frame documents that span lines and to skip values too large
// to hold. The value must start at the first byte fed (no leading white space).
class ValueScanner {
 public:
  enum class Status : uint8_t { kNeedMore, kDone, kError };
  struct Step {
    Status status;
    size_t consumed;  // bytes of this piece that belong to the value (kDone) or precede the error
  };

  Step Feed(std::string_view piece);
  // At end of input: a bare scalar ends there; anything else is truncated.
  Status Finish() const;
  // Bytes fed so far that belong to the value.
  uint64_t size() const { return size_; }
  const char* error() const { return error_; }

 private:
  enum class State : uint8_t { kStart, kContainer, kString, kEscape, kScalar, kDone };
  State state_ = State::kStart;
  bool top_string_ = false;  // the value itself is a string
  uint32_t depth_ = 0;
  uint64_t size_ = 0;
  const char* error_ = "";
};

// The first syntax error in `text` (one JSON value, optionally surrounded by white space), or
// nothing when it is valid JSON. Strict RFC 8259 plus simdjson's limits (depth, UTF-8). Messages
// never quote the input. This is for the error path: it is simple, not fast.
struct SyntaxError {
  size_t offset;
  const char* message;
};
std::optional<SyntaxError> FindSyntaxError(std::string_view text);

// True when `token` is one complete JSON number.
bool IsJsonNumber(std::string_view token);

inline bool IsJsonSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

}  // namespace ecsguard::ingest::snapshot_internal
