#pragma once

// Parsing entry points. A parse never fails as a whole: it returns what it could read plus the
// list of errors, so one bad block does not hide the rest of a file.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "ingest/iac/hcl/ast.h"

namespace ecsguard::ingest::hcl {

struct ParseOptions {
  // Deepest nesting of blocks, brackets, templates and operators accepted; deeper input is an
  // error rather than a stack overflow.
  size_t max_nesting = 256;
  // Errors kept per parse; the rest are summarised in one final error.
  size_t max_errors = 100;
  // Where the text begins in its file, when it was cut out of a larger one (a string of a
  // .tf.json file): positions count from here.
  uint32_t first_line = 1;
  uint32_t first_column = 1;
};

// A parsed configuration file. After an error inside a top-level block or attribute the parser
// skips to the next line that starts a top-level item (an identifier in column 1), so `body`
// holds every item that parsed cleanly and `errors` (kParse, with file:line:column, in source
// order) says what was skipped.
struct File {
  std::string filename;
  std::string source;  // the text the ranges refer to
  Body body;
  std::vector<Error> errors;

  bool ok() const { return errors.empty(); }
};

File Parse(std::string source, std::string filename, const ParseOptions& options = {});

// A standalone expression or template (templatefile(), tests). `expr` is null only when
// nothing could be parsed at all.
struct ParsedExpression {
  std::string filename;
  std::string source;
  ExprPtr expr;
  std::vector<Error> errors;

  bool ok() const { return errors.empty() && expr != nullptr; }
};

ParsedExpression ParseExpression(std::string source, std::string filename,
                                 const ParseOptions& options = {});
// `source` is template text (what templatefile() reads): literal text with ${...} and %{...}.
ParsedExpression ParseTemplate(std::string source, std::string filename,
                               const ParseOptions& options = {});

}  // namespace ecsguard::ingest::hcl
