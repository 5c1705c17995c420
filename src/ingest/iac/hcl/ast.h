#pragma once

// The syntax tree of an HCL2 native-syntax file, shaped like HashiCorp's hclsyntax package so
// that tools written against it (and the hcl2json view) translate one to one. Every node carries
// its source range: 1-based line and column (columns count Unicode code points) and the 0-based
// byte offset into the parsed text. Nodes are immutable after parsing and own their children.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace ecsguard::ingest::hcl {

struct Position {
  uint32_t line = 1;
  uint32_t column = 1;
  uint32_t offset = 0;  // byte offset into the source text

  bool operator==(const Position&) const = default;
};

struct Range {
  Position start;
  Position end;  // one past the last byte

  bool operator==(const Range&) const = default;
};

enum class ExprKind : uint8_t {
  kLiteral,            // 1.5, true, null, and the literal chunks of a template
  kTemplate,           // "a${b}c", a heredoc, or the body of a template directive
  kTemplateWrap,       // a template that is exactly one interpolation: "${x}"
  kTemplateIf,         // %{if c}...%{else}...%{endif}
  kTemplateFor,        // %{for k, v in c}...%{endfor}
  kTuple,              // [a, b]
  kObject,             // {k = v, "k2": v2, (expr) = v3}
  kFunctionCall,       // f(a, b...)
  kScopeTraversal,     // var.x.y[0] — a name followed by constant steps
  kRelativeTraversal,  // f(x).y[0] — constant steps applied to any other expression
  kIndex,              // c[k] where k is not a literal
  kSplat,              // s.*.x or s[*].x
  kAnonSymbol,         // the per-element placeholder a splat's `each` starts from
  kUnary,              // -x, !x
  kBinary,             // a + b, a && b, a == b ...
  kConditional,        // c ? a : b
  kFor,                // [for v in c : v] and {for k, v in c : k => v...}
  kParentheses,        // (x)
};

enum class LiteralKind : uint8_t { kNull, kBool, kNumber, kString };

// A constant: numbers keep the literal text as written ("1.50", "1e3").
struct Literal {
  LiteralKind kind = LiteralKind::kNull;
  bool bool_value = false;
  std::string text;  // number literal text, or the (unescaped) string value
};

struct Expression {
  explicit Expression(ExprKind k) : kind(k) {}
  virtual ~Expression() = default;
  Expression(const Expression&) = delete;
  Expression& operator=(const Expression&) = delete;

  template <typename T>
  const T& As() const {
    return static_cast<const T&>(*this);
  }

  const ExprKind kind;
  Range range;
};
using ExprPtr = std::unique_ptr<Expression>;

struct LiteralExpr final : Expression {
  LiteralExpr() : Expression(ExprKind::kLiteral) {}
  Literal value;
};

struct TemplateExpr final : Expression {
  TemplateExpr() : Expression(ExprKind::kTemplate) {}
  std::vector<ExprPtr> parts;  // string literals, interpolated expressions, directives
  bool heredoc = false;
};

struct TemplateWrapExpr final : Expression {
  TemplateWrapExpr() : Expression(ExprKind::kTemplateWrap) {}
  ExprPtr wrapped;
};

struct TemplateIfExpr final : Expression {
  TemplateIfExpr() : Expression(ExprKind::kTemplateIf) {}
  ExprPtr condition;
  ExprPtr then_part;  // a TemplateExpr
  ExprPtr else_part;  // a TemplateExpr, or null without %{else}
};

struct TemplateForExpr final : Expression {
  TemplateForExpr() : Expression(ExprKind::kTemplateFor) {}
  std::string key_var;  // empty when only one name is given
  std::string value_var;
  ExprPtr collection;
  ExprPtr body;  // a TemplateExpr
};

struct TupleExpr final : Expression {
  TupleExpr() : Expression(ExprKind::kTuple) {}
  std::vector<ExprPtr> elements;
};

struct ObjectItem {
  ExprPtr key;  // a bare identifier key parses as a one-name ScopeTraversal
  ExprPtr value;
  bool key_parenthesized = false;  // (k) = v: the key is an expression, never a literal name
};

struct ObjectExpr final : Expression {
  ObjectExpr() : Expression(ExprKind::kObject) {}
  std::vector<ObjectItem> items;
};

struct FunctionCallExpr final : Expression {
  FunctionCallExpr() : Expression(ExprKind::kFunctionCall) {}
  std::string name;  // may contain "::" namespaces (provider::aws::arn_parse)
  Range name_range;
  std::vector<ExprPtr> args;
  bool expand_final = false;  // f(a, list...)
};

struct TraversalStep {
  enum class Kind : uint8_t { kAttr, kIndex };
  Kind kind = Kind::kAttr;
  std::string name;  // kAttr
  Literal key;       // kIndex: [0], ["k"], and the legacy .0 form
  Range range;
};

struct ScopeTraversalExpr final : Expression {
  ScopeTraversalExpr() : Expression(ExprKind::kScopeTraversal) {}
  std::string root;
  Range root_range;
  std::vector<TraversalStep> steps;
};

struct RelativeTraversalExpr final : Expression {
  RelativeTraversalExpr() : Expression(ExprKind::kRelativeTraversal) {}
  ExprPtr source;
  std::vector<TraversalStep> steps;
};

struct IndexExpr final : Expression {
  IndexExpr() : Expression(ExprKind::kIndex) {}
  ExprPtr collection;
  ExprPtr key;
};

struct AnonSymbolExpr final : Expression {
  AnonSymbolExpr() : Expression(ExprKind::kAnonSymbol) {}
};

struct SplatExpr final : Expression {
  SplatExpr() : Expression(ExprKind::kSplat) {}
  ExprPtr source;
  ExprPtr each;            // evaluated per element; rooted at an AnonSymbolExpr
  bool attr_only = false;  // the legacy .* form
  Range marker_range;
};

enum class UnaryOp : uint8_t { kNegate, kNot };

struct UnaryExpr final : Expression {
  UnaryExpr() : Expression(ExprKind::kUnary) {}
  UnaryOp op = UnaryOp::kNegate;
  ExprPtr operand;
};

enum class BinaryOp : uint8_t {
  kOr,
  kAnd,
  kEqual,
  kNotEqual,
  kLess,
  kLessEqual,
  kGreater,
  kGreaterEqual,
  kAdd,
  kSubtract,
  kMultiply,
  kDivide,
  kModulo,
};

struct BinaryExpr final : Expression {
  BinaryExpr() : Expression(ExprKind::kBinary) {}
  BinaryOp op = BinaryOp::kAdd;
  ExprPtr lhs;
  ExprPtr rhs;
};

struct ConditionalExpr final : Expression {
  ConditionalExpr() : Expression(ExprKind::kConditional) {}
  ExprPtr condition;
  ExprPtr true_result;
  ExprPtr false_result;
};

struct ForExpr final : Expression {
  ForExpr() : Expression(ExprKind::kFor) {}
  bool object = false;  // {for ...} rather than [for ...]
  std::string key_var;  // empty when only one name is given
  std::string value_var;
  ExprPtr collection;
  ExprPtr key;  // object form only
  ExprPtr value;
  ExprPtr condition;   // optional `if` clause
  bool group = false;  // object form with a trailing `...`
};

struct ParenthesesExpr final : Expression {
  ParenthesesExpr() : Expression(ExprKind::kParentheses) {}
  ExprPtr inner;
};

struct Attribute {
  std::string name;
  Range name_range;
  ExprPtr expr;
  Range range;  // name through the end of the expression
};

struct BlockLabel {
  std::string value;  // unescaped
  Range range;
  bool quoted = true;
};

struct Block;

struct Body {
  std::vector<Attribute> attributes;  // in source order; names are unique
  std::vector<Block> blocks;          // in source order
  Range range;
};

struct Block {
  std::string type;
  Range type_range;
  std::vector<BlockLabel> labels;
  Body body;
  Range open_brace_range;
  Range close_brace_range;
  Range range;  // type through the closing brace
};

}  // namespace ecsguard::ingest::hcl
