#pragma once

// Static evaluation: computes what an expression is without running Terraform. References are
// resolved through a caller-supplied Scope and files through a FileReader; whatever cannot be
// known (a variable without a default, a resource attribute, an unsupported function) becomes
// Value::Unknown with the reason, and containers keep their known parts. Errors are for
// expressions that could never evaluate (a type mismatch, invalid JSON in jsondecode, a missing
// file): kValidation / kNotFound / kIo with the file, line and column of the expression.
// Every evaluation runs within an EvalBudget (steps, string bytes produced, the size of one
// value): hostile input such as locals that double a string forty times ends in an Unknown
// "evaluation budget exceeded (...)" in bounded memory, never in an allocation failure.
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
  // The value of `name.attribute`, when the scope can give it without building all of `name`
  // (a module's locals); nothing means "ask Lookup(name)".
  virtual std::optional<Value> LookupAttribute(std::string_view name,
                                               std::string_view attribute) const {
    (void)name;
    (void)attribute;
    return std::nullopt;
  }
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

// Reads from disk; relative paths resolve against `base_dir`. Only regular files inside
// `confine_to` (symbolic links resolved, no `.git` folder) are read: a configuration under review
// must not quote the host's files (`file("~/.aws/credentials")`) into a report. Anything else is
// kUnsupported, which file() and templatefile() turn into an Unknown with that reason.
// Thread-compatible: Read counts what it read.
class DiskFileReader final : public FileReader {
 public:
  DiskFileReader(std::string base_dir, std::string confine_to);
  Result<std::string> Read(std::string_view path) const override;
  // How many files Read has returned; values evaluated after a read may quote a file.
  size_t reads() const { return reads_; }

 private:
  std::string base_dir_;
  std::string root_;  // canonical
  mutable size_t reads_ = 0;
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

// What evaluations sharing it may spend. Exceeding any limit makes the value being computed, and
// every later one, Unknown("evaluation budget exceeded (...)"). Not thread-safe.
struct EvalBudget {
  size_t max_steps = 4'000'000;              // expressions evaluated, iterations, elements built
  size_t max_bytes = size_t{256} << 20;      // string bytes produced, in total
  size_t max_value_size = size_t{64} << 20;  // Value::size() of any one value
  EvalBudget* parent = nullptr;              // charged as well (a scan-wide budget)

  // Charges `steps` and `bytes`; the reason when a limit is (or was already) exceeded.
  std::optional<std::string> Charge(size_t steps, size_t bytes);
  // Charges a string growing from `current` by `added` bytes, and checks its size.
  std::optional<std::string> Grow(size_t current, size_t added);
  // Checks that a value of `size` may be made.
  std::optional<std::string> Allow(size_t size) const;

  size_t steps = 0, bytes = 0;
};

struct EvalContext {
  const Scope* scope = nullptr;       // null: every reference is Unknown
  const FileReader* files = nullptr;  // null: file() and templatefile() are Unknown
  std::string filename;               // named in error locations
  size_t max_depth = 256;             // templatefile() nesting and value depth guard
  EvalBudget* budget = nullptr;       // null: each Evaluate call has a default budget of its own
};

Result<Value> Evaluate(const Expression& expr, const EvalContext& context);

}  // namespace ecsguard::ingest::hcl
