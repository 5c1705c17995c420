#include "ingest/snapshot/json_scan.h"

#include <array>

#include "base/utf8.h"

namespace ecsguard::ingest::snapshot_internal {
namespace {

bool IsScalarByte(unsigned char c) {
  return !(IsJsonSpace(static_cast<char>(c)) || c == ',' || c == ':' || c == '[' || c == ']' ||
           c == '{' || c == '}' || c == '"');
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Length of the number starting at text[i], or 0 when there is none there.
size_t NumberLength(std::string_view t, size_t i) {
  size_t start = i, n = t.size();
  if (i < n && t[i] == '-') ++i;
  if (i >= n || !IsDigit(t[i])) return 0;
  if (t[i] == '0') {
    ++i;
  } else {
    while (i < n && IsDigit(t[i])) ++i;
  }
  if (i < n && t[i] == '.') {
    ++i;
    if (i >= n || !IsDigit(t[i])) return 0;
    while (i < n && IsDigit(t[i])) ++i;
  }
  if (i < n && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < n && (t[i] == '+' || t[i] == '-')) ++i;
    if (i >= n || !IsDigit(t[i])) return 0;
    while (i < n && IsDigit(t[i])) ++i;
  }
  return i - start;
}

bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// Validates the string starting at the quote text[*i]; on success leaves *i past its end.
std::optional<SyntaxError> CheckString(std::string_view t, size_t* i) {
  size_t start = *i, k = *i + 1, n = t.size();
  while (k < n) {
    unsigned char c = t[k];
    if (c == '"') {
      *i = k + 1;
      return std::nullopt;
    }
    if (c == '\\') {
      if (k + 1 >= n) break;
      char e = t[k + 1];
      if (e == 'u') {
        for (size_t h = 2; h < 6; ++h) {
          if (k + h >= n || !IsHex(t[k + h]))
            return SyntaxError{k, "invalid \\u escape in a string"};
        }
        k += 6;
      } else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' ||
                 e == 'r' || e == 't') {
        k += 2;
      } else {
        return SyntaxError{k, "invalid escape sequence in a string"};
      }
      continue;
    }
    if (c < 0x20) return SyntaxError{k, "unescaped control character in a string"};
    DecodedCodePoint cp = DecodeUtf8(t, k);
    if (!cp.valid) return SyntaxError{k, "invalid UTF-8 in a string"};
    k += cp.length;
  }
  return SyntaxError{start, "unterminated string"};
}

}  // namespace

ValueScanner::Step ValueScanner::Feed(std::string_view piece) {
  const char* p = piece.data();
  const char* end = p + piece.size();
  auto step = [&](Status status, const char* at) {
    size_t consumed = static_cast<size_t>(at - piece.data());
    size_ += consumed;
    return Step{status, consumed};
  };
  while (p < end) {
    switch (state_) {
      case State::kStart: {
        unsigned char c = *p;
        if (c == '{' || c == '[') {
          state_ = State::kContainer;
          depth_ = 1;
        } else if (c == '"') {
          state_ = State::kString;
          top_string_ = true;
        } else if (c == '-' || IsDigit(c) || c == 't' || c == 'f' || c == 'n') {
          state_ = State::kScalar;
        } else {
          error_ = "expected a JSON value";
          return step(Status::kError, p);
        }
        ++p;
        break;
      }
      case State::kContainer: {
        while (p < end) {
          char c = *p++;
          if (c == '"') {
            state_ = State::kString;
            break;
          }
          if (c == '{' || c == '[') {
            if (++depth_ > kMaxDepth) {
              error_ = "nesting deeper than 1024 levels";
              return step(Status::kError, p - 1);
            }
          } else if (c == '}' || c == ']') {
            if (--depth_ == 0) {
              state_ = State::kDone;
              return step(Status::kDone, p);
            }
          }
        }
        break;
      }
      case State::kString: {
        while (p < end && *p != '"' && *p != '\\') ++p;
        if (p == end) break;
        if (*p++ == '\\') {
          state_ = State::kEscape;
        } else if (top_string_) {
          state_ = State::kDone;
          return step(Status::kDone, p);
        } else {
          state_ = State::kContainer;
        }
        break;
      }
      case State::kEscape:
        ++p;
        state_ = State::kString;
        break;
      case State::kScalar:
        while (p < end && IsScalarByte(static_cast<unsigned char>(*p))) ++p;
        if (p < end) {
          state_ = State::kDone;
          return step(Status::kDone, p);
        }
        break;
      case State::kDone:
        return step(Status::kDone, p);
    }
  }
  return step(state_ == State::kDone ? Status::kDone : Status::kNeedMore, p);
}

ValueScanner::Status ValueScanner::Finish() const {
  return state_ == State::kDone || state_ == State::kScalar ? Status::kDone : Status::kError;
}

bool IsJsonNumber(std::string_view token) {
  return !token.empty() && NumberLength(token, 0) == token.size();
}

std::optional<SyntaxError> FindSyntaxError(std::string_view t) {
  const size_t n = t.size();
  std::array<char, kMaxDepth> stack;
  uint32_t depth = 0;
  size_t i = 0;
  auto skip_space = [&] {
    while (i < n && IsJsonSpace(t[i])) ++i;
  };
  auto unclosed = [&]() -> const char* {
    return stack[depth - 1] == '{' ? "unexpected end of input: unclosed object"
                                   : "unexpected end of input: unclosed array";
  };
  skip_space();
  if (i == n) return SyntaxError{i, "no JSON value"};
  for (;;) {
    // Expecting a value.
    skip_space();
    if (i == n) return SyntaxError{i, depth ? unclosed() : "no JSON value"};
    char c = t[i];
    bool closed_empty = false;
    if (c == '{' || c == '[') {
      if (depth == kMaxDepth) return SyntaxError{i, "nesting deeper than 1024 levels"};
      stack[depth++] = c;
      ++i;
      skip_space();
      if (i < n && t[i] == (c == '{' ? '}' : ']')) {
        ++i;
        --depth;
        closed_empty = true;
      } else if (c == '[') {
        continue;
      }
    } else if (c == '"') {
      if (auto e = CheckString(t, &i)) return e;
    } else if (c == '-' || IsDigit(c)) {
      size_t len = NumberLength(t, i);
      if (len == 0 || (i + len < n && IsScalarByte(static_cast<unsigned char>(t[i + len])))) {
        return SyntaxError{i, "invalid number"};
      }
      i += len;
    } else if (c == 't' || c == 'f' || c == 'n') {
      std::string_view word = c == 't' ? "true" : c == 'f' ? "false" : "null";
      if (t.substr(i, word.size()) != word ||
          (i + word.size() < n && IsScalarByte(static_cast<unsigned char>(t[i + word.size()])))) {
        return SyntaxError{i, "invalid literal (expected true, false or null)"};
      }
      i += word.size();
    } else {
      return SyntaxError{i, "unexpected character: expected a JSON value"};
    }
    // After an opening brace (object) expect a key; after a value, a separator or a closer.
    bool need_key = (c == '{' && !closed_empty);
    while (!need_key) {
      skip_space();
      if (depth == 0) {
        if (i != n) return SyntaxError{i, "unexpected content after the JSON value"};
        return std::nullopt;
      }
      if (i == n) return SyntaxError{i, unclosed()};
      char open = stack[depth - 1];
      char d = t[i];
      if (d == ',') {
        ++i;
        need_key = open == '{';
        if (!need_key) break;  // next array element
      } else if (d == (open == '{' ? '}' : ']')) {
        ++i;
        --depth;
      } else {
        return SyntaxError{i, open == '{' ? "expected ',' or '}' after an object member"
                                          : "expected ',' or ']' after an array element"};
      }
    }
    if (need_key) {
      skip_space();
      if (i == n) return SyntaxError{i, unclosed()};
      if (t[i] != '"') return SyntaxError{i, "expected a member name in double quotes"};
      if (auto e = CheckString(t, &i)) return e;
      skip_space();
      if (i == n) return SyntaxError{i, unclosed()};
      if (t[i] != ':') return SyntaxError{i, "expected ':' after a member name"};
      ++i;
    }
  }
}

}  // namespace ecsguard::ingest::snapshot_internal
