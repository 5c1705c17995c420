#pragma once

// A parsed JSON or YAML document with the source position of every value and map key: the one
// tree the CloudFormation and Terraform-plan readers walk, whatever the file syntax.
//
// YAML follows the 1.2 core schema (`User: 1000:0` is a string, `yes` is a string), and the
// CloudFormation short tags are rewritten to their long forms while reading (`!Ref X` becomes
// the map {Ref: X}, `!GetAtt A.B` becomes {Fn::GetAtt: [A, B]}). Other tags, complex keys and
// several documents in one stream are errors. Both readers are iterative and cap nesting at
// kMaxDepth, so hostile input cannot exhaust the stack.
//
//   ASSIGN_OR_RETURN(iac::Node doc, iac::ParseYaml(text));
//   if (const iac::Node* r = doc.Find("Resources")) Use(r->pos.line);

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace ecsguard::ingest::iac {

// 1-based; 0 means unknown.
struct Position {
  uint32_t line = 0;
  uint32_t column = 0;
};

inline constexpr int kMaxDepth = 200;

struct Node {
  enum class Kind : uint8_t { kNull, kBool, kInt, kFloat, kString, kList, kMap, kUnknown };

  Kind kind = Kind::kNull;
  // Scalars: the string value, or the source text of a number or Boolean. kUnknown: why the
  // value is not known statically (Terraform values that depend on something unresolvable).
  std::string text;
  bool boolean = false;
  Position pos;
  // kList: the items. kMap: the values, with keys[i] / key_pos[i] naming items[i].
  std::vector<Node> items;
  std::vector<std::string> keys;
  std::vector<Position> key_pos;

  static Node String(std::string s, Position p = {});
  static Node Bool(bool b, Position p = {});
  static Node Unknown(std::string reason, Position p = {});

  bool is_map() const { return kind == Kind::kMap; }
  bool is_list() const { return kind == Kind::kList; }
  bool is_scalar() const { return kind != Kind::kList && kind != Kind::kMap; }
  // Map lookup by exact key; null when absent or not a map.
  const Node* Find(std::string_view key) const;
  // The index of `key` in keys, exact or ASCII case-insensitive.
  std::optional<size_t> IndexOf(std::string_view key, bool ignore_case = false) const;
  void Add(std::string key, Position key_position, Node value);
  // An integer value of a kInt node, or of a string of decimal digits.
  std::optional<int64_t> AsInt() const;
};

// A key repeated in one map is an error, as CloudFormation makes it, at the repeated key. With
// `duplicates`, each such error is appended there instead, the first value is kept and reading
// goes on, so that a caller can still say which resources the file declares.

// Parses JSON (RFC 8259). Errors are kParse with line and column (no file).
Result<Node> ParseJson(std::string_view text, std::vector<Error>* duplicates = nullptr);
// Parses a YAML stream of one document (a second one is an error) with YAML 1.1 merge keys
// (`<<: *a` and `<<: [*a, *b]`) expanded. Errors are kParse with line and column.
Result<Node> ParseYaml(std::string_view text, std::vector<Error>* duplicates = nullptr);

// A short, single-line rendering for messages: scalars as written, intrinsics in their short
// form (`!Ref Foo`), long values cut at about `max_chars`.
std::string Render(const Node& node, size_t max_chars = 60);

}  // namespace ecsguard::ingest::iac
