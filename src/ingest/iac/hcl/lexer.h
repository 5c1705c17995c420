#pragma once

// Tokenizer for HCL native syntax, private to hcl/. It follows the token rules of HashiCorp's
// scanner (hclsyntax/scan_tokens.rl): a stack of modes (expressions, quoted templates, heredocs,
// bare templates), brace counting to find the `}` that closes an interpolation, and literal
// chunks split where the parser's strip markers and heredoc indentation rules expect them.
// Comments are resolved here: a line comment that ends in a newline becomes a newline token,
// others are dropped. Never fails: bad input becomes kInvalid tokens the parser reports.

#include <cstdint>
#include <string_view>
#include <vector>

#include "ingest/iac/hcl/ast.h"

namespace ecsguard::ingest::hcl {

enum class TokenType : uint8_t {
  kOBrace,
  kCBrace,
  kOBrack,
  kCBrack,
  kOParen,
  kCParen,
  kOQuote,
  kCQuote,
  kOHeredoc,
  kCHeredoc,
  kStar,
  kSlash,
  kPlus,
  kMinus,
  kPercent,
  kEqual,
  kEqualOp,
  kNotEqual,
  kLessThan,
  kLessThanEq,
  kGreaterThan,
  kGreaterThanEq,
  kAnd,
  kOr,
  kBang,
  kDot,
  kComma,
  kEllipsis,
  kFatArrow,
  kQuestion,
  kColon,
  kDoubleColon,
  kTemplateInterp,   // ${ or ${~
  kTemplateControl,  // %{ or %{~
  kTemplateSeqEnd,   // } or ~} closing a template sequence
  kQuotedLit,        // literal chunk of a quoted template (may contain backslash escapes)
  kStringLit,        // literal chunk of a heredoc or bare template
  kNumberLit,
  kIdent,
  kNewline,
  kInvalid,  // see InvalidReason
  kEOF,
};

enum class InvalidReason : uint8_t {
  kNone,
  kCharacter,  // a character the language does not use
  kBadUtf8,
  kBitwiseOperator,  // & | ^ ~
  kSemicolon,
  kApostrophe,
  kBacktick,
  kQuotedNewline,  // a line break inside "..."
  kUnterminatedComment,
};

struct Token {
  TokenType type = TokenType::kEOF;
  InvalidReason invalid = InvalidReason::kNone;
  uint16_t template_depth = 0;  // how many templates enclose this token (0: plain structure)
  Range range;

  uint32_t size() const { return range.end.offset - range.start.offset; }
};

enum class LexMode : uint8_t { kConfig, kTemplate };

// Tokenizes `source`; the last token is always kEOF. A UTF-8 byte order mark is skipped.
// `start` is the line and column where `source` begins (offsets always count from 0).
std::vector<Token> Tokenize(std::string_view source, LexMode mode, Position start = {});

}  // namespace ecsguard::ingest::hcl
