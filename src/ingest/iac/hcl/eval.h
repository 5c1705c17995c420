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
// Functions: every pure built-in of Terraform 1.11 (BuiltinNames lists them), as Terraform's
// documentation and `terraform console` define them (tests/ingest/iac/hcl/functions/cases.json):
//   strings      chomp endswith format formatlist indent join lower regex regexall replace split
//                startswith strcontains strrev substr templatestring title trim trimprefix
//                trimspace trimsuffix upper (regular expressions are RE2's, as Go's are)
//   numbers      abs ceil floor log max min parseint pow signum
//   collections  alltrue anytrue chunklist coalesce coalescelist compact concat contains
//                distinct element flatten index keys length lookup matchkeys merge one range
//                reverse setintersection setproduct setsubtract setunion slice sort sum transpose
//                values zipmap
//   encoding     base64decode base64encode csvdecode jsondecode jsonencode textdecodebase64
//                textencodebase64 (UTF-8) urlencode yamldecode yamlencode
//   hashes       md5 sha1 sha256 sha512 base64sha256 base64sha512 uuidv5
//   types        can try tobool tolist tomap tonumber toset tostring sensitive nonsensitive
//                (the identity: no sensitivity is tracked, so issensitive is Unknown)
//   network      cidrhost cidrnetmask cidrsubnet cidrsubnets
//   time         formatdate timeadd timecmp
//   files        file filebase64 fileexists fileset filemd5 filesha1 filesha256 filesha512
//                filebase64sha256 filebase64sha512 templatefile basename dirname pathexpand
//                (read through the FileReader only)
// try() and can() evaluate their arguments lazily, catching errors as Terraform does (inside
// them a missing attribute of a known object is Terraform's error, not an Unknown); an argument
// that is not wholly known makes them Unknown. Unknown with the reason: timestamp plantimestamp
// uuid bcrypt rsadecrypt abspath issensitive, pathexpand of ~, base64gzip (its bytes are Go's
// compressor's), yamlencode where Go's emitter would fold a long string over lines, text
// encodings other than UTF-8, and any function not listed. A set is a sorted tuple without
// duplicates, a map an object; strings are measured in code points where Terraform counts grapheme
// clusters. Thread-safety: Evaluate is reentrant; Scope and FileReader implementations must allow
// concurrent const calls if shared across threads.

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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
  // Whether `path` is a regular file (fileexists()); an error for a folder or anything else
  // that is not a regular file. kUnsupported when the reader cannot tell (then the result is
  // Unknown with the reason).
  virtual Result<bool> Exists(std::string_view path) const {
    (void)path;
    return Error(ErrorCode::kUnsupported, "this file reader cannot tell whether a file exists");
  }
  // The regular files under folder `dir`, recursively, as relative paths with '/' (fileset()),
  // sorted. kNotFound when `dir` does not exist; kUnsupported as for Exists.
  virtual Result<std::vector<std::string>> List(std::string_view dir) const {
    (void)dir;
    return Error(ErrorCode::kUnsupported, "this file reader cannot list files");
  }
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
  Result<bool> Exists(std::string_view path) const override;
  // Files that are links to outside the root, or inside a .git folder, are left out.
  Result<std::vector<std::string>> List(std::string_view dir) const override;
  // How many files Read has returned; values evaluated after a read may quote a file.
  size_t reads() const { return reads_; }

 private:
  // `path` resolved (links followed) when it is inside the root; kUnsupported why not, or
  // kNotFound when nothing exists there.
  Result<std::filesystem::path> Resolve(std::string_view path) const;

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
  Result<bool> Exists(std::string_view path) const override;
  Result<std::vector<std::string>> List(std::string_view dir) const override;

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

// The names of every built-in function Evaluate knows (some always Unknown: timestamp(),
// uuid()...), without the core:: prefix they may also be called with.
std::vector<std::string_view> BuiltinNames();

}  // namespace ecsguard::ingest::hcl
