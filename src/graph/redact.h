#pragma once

// The one redaction rule of every output (DESIGN §7): a value is secret when the schema marks
// its field @sensitive, and an output writes kRedacted ("<redacted>") in its place. Two kinds
// of data carry such values, and this header covers both:
//
//  - graph data: IsSensitive(schema, label, path, field) (finding evidence, checked again by
//    the store; query projections read the same FieldDef::sensitive when they compile);
//  - AWS's own JSON (describe output, register-task-definition input, saved snapshots), found
//    by the @aws(field:) keys of the schema: Redact, RedactJsonText, and ScrubText for text
//    that may quote such a document (an AWS error message).
//
// The rule comes from the schema it is built from; BuiltinRedactor() reads the bundled schema
// (schemas/aws.graphql), which is what AWS documents are described by. Immutable after
// construction; safe to share between threads.
//
//   const graph::Redactor& redactor = graph::BuiltinRedactor();
//   nlohmann::ordered_json input = fix.input;
//   redactor.Redact(&input);                      // environment values read "<redacted>"
//   std::string safe = redactor.ScrubText(aws_error_message, fix.input);

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "base/result.h"
#include "graph/schema.h"

namespace ecsguard::graph {

// Whether `field` of the node reached from a node labelled `label` over the dotted
// relationship path `path` ("containerSpecs.envEntries", as finding evidence names it; "" is
// the node itself) is @sensitive. A type, path or field the schema does not know: false.
bool IsSensitive(const Schema& schema, std::string_view label, std::string_view path,
                 std::string_view field);

class Redactor {
 public:
  explicit Redactor(const Schema& schema);

  // Replaces, anywhere in an AWS JSON document, each value of a sensitive field by kRedacted:
  // under every key that a relationship to a type with @sensitive fields is read from
  // ("environment"), the sensitive keys of its entries ("value"). Keys compare ignoring ASCII
  // case (CloudFormation spells them "Environment", "Value"). References such as
  // secrets[].valueFrom are not values and stay.
  void Redact(nlohmann::json* document) const;
  void Redact(nlohmann::ordered_json* document) const;
  // Redact on JSON text, written back compactly (keys sorted, invalid UTF-8 replaced);
  // kInvalidArgument when the text is not JSON.
  Result<std::string> RedactJsonText(std::string_view json_text) const;

  // `text` with every occurrence of every sensitive value of `document` (as written, and
  // JSON-escaped) replaced by kRedacted, however short the value: overlapping occurrences merge
  // into one placeholder, so no byte of a value survives. A short value such as "1" makes the
  // text harder to read; that is the price of never echoing it.
  std::string ScrubText(std::string_view text, const nlohmann::ordered_json& document) const;

  // Under container_key (a relationship's AWS key), the AWS keys of the target's @sensitive
  // fields.
  struct Rule {
    std::string container_key;                // "environment"
    std::vector<std::string> sensitive_keys;  // "value"
  };

 private:
  std::vector<Rule> rules_;
};

// The bundled schema (schemas/aws.graphql, compiled in), its text, and its Redactor.
std::string_view BuiltinSchemaText();
const Schema& BuiltinSchema();
const Redactor& BuiltinRedactor();

}  // namespace ecsguard::graph
