#include "base/error.h"

#include <fmt/format.h>

namespace ecsguard {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return "invalid_argument";
    case ErrorCode::kParse:
      return "parse_error";
    case ErrorCode::kValidation:
      return "validation_error";
    case ErrorCode::kNotFound:
      return "not_found";
    case ErrorCode::kIo:
      return "io_error";
    case ErrorCode::kUnsupported:
      return "unsupported";
    case ErrorCode::kConfiguration:
      return "configuration_error";
    case ErrorCode::kResourceExhausted:
      return "resource_exhausted";
    case ErrorCode::kUnavailable:
      return "unavailable";
    case ErrorCode::kInternal:
      return "internal_error";
  }
  return "unknown";
}

std::string SourceLocation::ToString() const {
  if (line == 0) return file;
  std::string pos = column ? fmt::format("{}:{}", line, column) : fmt::format("{}", line);
  return file.empty() ? pos : fmt::format("{}:{}", file, pos);
}

Error Error::InFile(std::string_view file) const {
  Error copy = *this;
  if (copy.location_.file.empty()) copy.location_.file = std::string(file);
  return copy;
}

Error Error::WithMessage(std::string message) const {
  Error copy = *this;
  copy.message_ = std::move(message);
  return copy;
}

Error Error::WithDetail(std::shared_ptr<const ErrorDetail> detail) const {
  Error copy = *this;
  copy.detail_ = std::move(detail);
  return copy;
}

std::string Error::ToString() const {
  std::string where = location_.ToString();
  return where.empty() ? message_ : fmt::format("{}: {}", where, message_);
}

}  // namespace ecsguard
