#pragma once

// Internal to query/: the syntax tree of a GraphQL executable document (October 2021 spec, §2)
// and its parser. The tokens come from graph::Tokenize, shared with the schema reader.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace ecsguard::query {

// Deeper nesting of selection sets, argument values or list types is rejected while parsing,
// so that no later recursive pass (validation, compilation, evaluation, destruction) can
// exhaust the stack on hostile input such as 100k opening braces.
inline constexpr int kMaxNestingDepth = 512;

struct Pos {
  uint32_t line = 0;
  uint32_t column = 0;
};

// A GraphQL input value: a literal of the document, a variable reference, or (kind != kVariable
// and from_variable) a value converted from the JSON variables.
struct Input {
  enum class Kind : uint8_t {
    kNull,
    kInt,
    kFloat,
    kString,
    kBool,
    kEnum,
    kList,
    kObject,
    kVariable
  };
  struct Field;

  Kind kind = Kind::kNull;
  bool from_variable = false;
  bool boolean = false;
  int64_t integer = 0;
  double number = 0;
  std::string text;  // string value, enum name, variable name, or the literal text of a number
  std::vector<Input> items;
  std::vector<Field> fields;
  Pos pos;
};

struct Input::Field {
  std::string name;
  Pos pos;
  Input value;
};

// A type reference in a variable definition: Name, [T] or T!.
struct TypeRef {
  std::string name;             // empty for a list
  std::unique_ptr<TypeRef> of;  // the item type of a list, or the nullable type of T!
  bool non_null = false;

  bool is_list() const { return name.empty() && !non_null; }
  const std::string& NamedType() const { return of ? of->NamedType() : name; }
  std::string ToString() const;
  TypeRef Clone() const;
  static TypeRef Named(std::string name);
  static TypeRef ListOf(TypeRef item);
  static TypeRef NonNull(TypeRef inner);
};

struct Argument {
  std::string name;
  Pos pos;
  Input value;
};

struct Directive {
  std::string name;
  Pos pos;
  std::vector<Argument> arguments;
};

struct Selection;

struct SelectionSet {
  Pos pos;
  std::vector<Selection> selections;
};

struct Selection {
  enum class Kind : uint8_t { kField, kFragmentSpread, kInlineFragment };
  Kind kind = Kind::kField;
  Pos pos;
  std::string alias;           // kField: empty when none
  std::string name;            // kField: field name; kFragmentSpread: fragment name
  std::string type_condition;  // kInlineFragment: empty when none
  std::vector<Argument> arguments;
  std::vector<Directive> directives;
  std::unique_ptr<SelectionSet> selection_set;  // kField: may be null

  const std::string& response_key() const { return alias.empty() ? name : alias; }
};

struct VariableDefinition {
  std::string name;
  Pos pos;
  TypeRef type;
  std::optional<Input> default_value;
};

struct Operation {
  std::string kind;  // query, mutation, subscription
  std::string name;
  Pos pos;
  std::vector<VariableDefinition> variables;
  std::vector<Directive> directives;
  SelectionSet selection_set;
};

struct Fragment {
  std::string name;
  Pos pos;
  std::string type_condition;
  std::vector<Directive> directives;
  SelectionSet selection_set;
  // The built-in AssetFragment: applies to any type and selects those of its fields the type
  // has (QUERY-LANGUAGE.md §1.4).
  bool builtin = false;
};

struct Document {
  std::vector<Operation> operations;
  std::vector<Fragment> fragments;

  const Fragment* FindFragment(std::string_view name) const;
};

// Parses an executable document. Errors are kParse with the line and column of the offending
// token; type-system definitions are kUnsupported. Columns on line 1 are reported
// `first_line_shift` to the left (for text that got a prefix before parsing).
Result<Document> ParseDocument(std::string_view text, uint32_t first_line_shift = 0);

// ParseDocument, retrying a bare selection (a stored check without its outer braces,
// QUERY-LANGUAGE §1.5) as "{...}"; the first error is reported when that fails too.
Result<Document> ParseStoredCheck(std::string_view text);

// GraphQL-style rendering of a value for messages: "HOST", "\"x\"", "[1, 2]", "{a: 1}".
std::string PrintInput(const Input& value);

}  // namespace ecsguard::query
