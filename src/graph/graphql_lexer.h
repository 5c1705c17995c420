#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace ecsguard::graph {

// Tokens of the GraphQL language (October 2021 spec, §2): shared by the schema (SDL) reader
// and the query parser. Commas, white space and comments are ignored tokens.
enum class TokenKind : uint8_t {
  kEnd,
  kPunct,  // ! $ & ( ) ... : = @ [ ] { | }
  kName,
  kInt,
  kFloat,
  kString,  // value is the decoded string (escapes resolved, block strings dedented)
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;  // punctuator, name, number literal, or decoded string
  uint32_t line = 1;
  uint32_t column = 1;
  uint32_t offset = 0;

  bool Is(std::string_view punct) const { return kind == TokenKind::kPunct && text == punct; }
  bool IsName(std::string_view name) const { return kind == TokenKind::kName && text == name; }
};

// Splits `source` into tokens, ending with one kEnd token. Errors carry line and column.
// Limits: at most `max_tokens` tokens (denial-of-service guard for untrusted text).
Result<std::vector<Token>> Tokenize(std::string_view source, size_t max_tokens = 1'000'000);

}  // namespace ecsguard::graph
