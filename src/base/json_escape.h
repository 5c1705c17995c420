#pragma once

// The character a JSON (and GraphQL) short escape stands for: `\n` is '\n'. Readers of JSON-like
// strings share it; \u escapes they decode themselves, because their rules for a lone surrogate
// differ (GraphQL refuses it, YAML and JSON documents replace it).

#include <optional>

namespace ecsguard {

// For the letter after a backslash: the character it stands for, or nothing when it is not one
// of " \ / b f n r t (u included: the caller decodes \uXXXX).
inline std::optional<char> ShortEscape(char letter) {
  switch (letter) {
    case '"':
      return '"';
    case '\\':
      return '\\';
    case '/':
      return '/';
    case 'b':
      return '\b';
    case 'f':
      return '\f';
    case 'n':
      return '\n';
    case 'r':
      return '\r';
    case 't':
      return '\t';
    default:
      return std::nullopt;
  }
}

}  // namespace ecsguard
