#pragma once

// Static evaluation: computes what an expression is without running Terraform. References are
// resolved through a caller-supplied Scope and files through a FileReader; whatever cannot be
// known (a variable without a default, a resource attribute, an unsupported function) becomes
// Value::Unknown with the reason, and containers keep their known parts. Errors are for
// expressions that could never evaluate (a type mismatch, invalid JSON in jsondecode, a missing
// file): kValidation / kNotFound / kIo with the file, line and column of the expression.
//
// Supported functions: jsonencode jsondecode file templatefile merge concat tostring tonumber
// tobool lower upper format (%s %d %v %t %q %%) join replace (plain substrings) trimspace lookup
// coalesce. Any other call is Unknown. Thread-safety: Evaluate is reentrant; Scope and
// FileReader implementations must allow concurrent const calls if shared across threads.

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "ingest/iac/hcl/ast.h"
#include "ingest/iac/hcl/value.h"

namespace ecsguard::ingest::hcl {

class Scope {
 public:
  virtual ~Scope() = default;
  // The value of a root name (`var`, `local`, `path`, `aws_iam_role`...), or nothing when the
  // name is not known statically; the reference then evaluates to Unknown.
  virtual std::optional<Value> Lookup(std::string_view name) const = 0;
};

class MapScope final : public Scope {
 public:
  MapScope() = default;
  void Set(std::string name, Value value) { roots_[std::move(name)] = std::move(value); }
  std::optional<Value> Lookup(std::string_view name) const override;

 private:
  std::map<std::string, Value, std::less<>> roots_;
};

class FileReader {
 public:
  virtual ~FileReader() = default;
  // Contents of `path` as written in the configuration (relative paths are the reader's
  // business); kNotFound or kIo when it cannot be read.
  virtual Result<std::string> Read(std::string_view path) const = 0;
};

// Reads from disk; relative paths resolve against `base_dir`.
class DiskFileReader final : public FileReader {
 public:
  explicit DiskFileReader(std::string base_dir) : base_dir_(std::move(base_dir)) {}
  Result<std::string> Read(std::string_view path) const override;

 private:
  std::string base_dir_;
};

// An in-memory file system for tests.
class MemoryFileReader final : public FileReader {
 public:
  void Add(std::string path, std::string contents) {
    files_[std::move(path)] = std::move(contents);
  }
  Result<std::string> Read(std::string_view path) const override;

 private:
  std::map<std::string, std::string, std::less<>> files_;
};

struct EvalContext {
  const Scope* scope = nullptr;       // null: every reference is Unknown
  const FileReader* files = nullptr;  // null: file() and templatefile() are Unknown
  std::string filename;               // named in error locations
  size_t max_depth = 256;             // templatefile() nesting and value depth guard
};

Result<Value> Evaluate(const Expression& expr, const EvalContext& context);

}  // namespace ecsguard::ingest::hcl
