#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace ecsguard {

// Canonical error codes. Errors we expect (bad input, denied access, throttling) are values of
// this kind; asserts are reserved for programmer errors.
enum class ErrorCode : uint8_t {
  kInvalidArgument,    // a caller passed something malformed (usage, flags)
  kParse,              // input text is not well formed (JSON, YAML, GraphQL, HCL)
  kValidation,         // well formed but rejected against a schema (unknown field, wrong type)
  kNotFound,           // a file, control, node or key that does not exist
  kIo,                 // reading or writing a file failed
  kUnsupported,        // recognised but not handled
  kConfiguration,      // a broken configuration or catalog file
  kResourceExhausted,  // an evaluation budget or size limit ran out (the limit is named)
  kUnavailable,        // a service could not be reached after the retries; running again may work
  kInternal,           // a bug: an invariant did not hold
};

std::string_view ErrorCodeName(ErrorCode code);

// Where in an input an error was found. Lines and columns are 1-based; 0 means unknown.
struct SourceLocation {
  std::string file;
  uint32_t line = 0;
  uint32_t column = 0;

  bool empty() const { return file.empty() && line == 0; }
  // "file:line:col", "file", "line:col" or "" depending on what is known.
  std::string ToString() const;
};

// Typed facts a part attaches to its errors for its own callers, beyond the code: the AWS
// layer's error kind, AWS's code and the request id (ingest/aws/error.h). base knows only this
// interface, so it depends on no part; the part that defines a detail reads it back with
// Error::detail<T>(). A detail is immutable and shared by the copies of an Error, so it survives
// RETURN_IF_ERROR, ASSIGN_OR_RETURN, InFile() and WithMessage().
class ErrorDetail {
 public:
  virtual ~ErrorDetail() = default;
};

class Error {
 public:
  Error(ErrorCode code, std::string message, SourceLocation location = {})
      : code_(code), message_(std::move(message)), location_(std::move(location)) {}

  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  const SourceLocation& location() const { return location_; }
  // The detail when one of type T is attached, else null.
  template <typename T>
  const T* detail() const {
    return dynamic_cast<const T*>(detail_.get());
  }

  // Returns a copy that names `file` when the error did not carry a file yet.
  Error InFile(std::string_view file) const;
  // Returns a copy with another message: code, location and detail stay.
  Error WithMessage(std::string message) const;
  // Returns a copy carrying `detail` instead of any it had.
  Error WithDetail(std::shared_ptr<const ErrorDetail> detail) const;
  // "file:line:col: message" (the location part only when known).
  std::string ToString() const;

 private:
  ErrorCode code_;
  std::string message_;
  SourceLocation location_;
  std::shared_ptr<const ErrorDetail> detail_;
};

}  // namespace ecsguard
