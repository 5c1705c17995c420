#include "graph/graphql_lexer.h"

#include <fmt/format.h>

#include "base/json_escape.h"
#include "base/utf8.h"

namespace ecsguard::graph {
namespace {

class Lexer {
 public:
  explicit Lexer(std::string_view src) : src_(src) {}

  Result<std::vector<Token>> Run(size_t max_tokens) {
    std::vector<Token> tokens;
    while (true) {
      SkipIgnored();
      Token tok;
      tok.line = line_;
      tok.column = column_;
      tok.offset = static_cast<uint32_t>(pos_);
      if (pos_ >= src_.size()) {
        tok.kind = TokenKind::kEnd;
        tokens.push_back(std::move(tok));
        return tokens;
      }
      if (tokens.size() >= max_tokens) return Fail("document has too many tokens");
      char c = src_[pos_];
      if (c == '.') {
        if (src_.substr(pos_, 3) != "...") return Fail("unexpected '.'; did you mean '...'?");
        tok.kind = TokenKind::kPunct;
        tok.text = "...";
        Advance(3);
      } else if (std::string_view("!$&():=@[]{}|").find(c) != std::string_view::npos) {
        tok.kind = TokenKind::kPunct;
        tok.text = std::string(1, c);
        Advance(1);
      } else if (IsNameStart(c)) {
        size_t start = pos_;
        while (pos_ < src_.size() && IsNameContinue(src_[pos_])) Advance(1);
        tok.kind = TokenKind::kName;
        tok.text = std::string(src_.substr(start, pos_ - start));
      } else if (c == '-' || IsDigit(c)) {
        RETURN_IF_ERROR(Number(&tok));
      } else if (c == '"') {
        if (src_.substr(pos_, 3) == "\"\"\"") {
          RETURN_IF_ERROR(BlockString(&tok));
        } else {
          RETURN_IF_ERROR(String(&tok));
        }
      } else {
        unsigned char uc = static_cast<unsigned char>(c);
        return Fail(uc >= 0x20 && uc < 0x7f ? fmt::format("unexpected character '{}'", c)
                                            : fmt::format("unexpected character 0x{:02X}", uc));
      }
      tokens.push_back(std::move(tok));
    }
  }

 private:
  static bool IsDigit(char c) { return c >= '0' && c <= '9'; }
  static bool IsNameStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }
  static bool IsNameContinue(char c) { return IsNameStart(c) || IsDigit(c); }

  Error Fail(std::string message) const {
    return Error(ErrorCode::kParse, "Syntax Error: " + std::move(message),
                 SourceLocation{"", line_, column_});
  }

  void Advance(size_t n) {
    for (size_t i = 0; i < n && pos_ < src_.size(); ++i) {
      char c = src_[pos_++];
      if (c == '\n') {
        ++line_;
        column_ = 1;
      } else if (c == '\r') {
        if (pos_ < src_.size() && src_[pos_] == '\n') {
          ++pos_;
        }
        ++line_;
        column_ = 1;
      } else {
        ++column_;
      }
    }
  }

  void SkipIgnored() {
    while (pos_ < src_.size()) {
      char c = src_[pos_];
      if (c == ' ' || c == '\t' || c == ',' || c == '\n' || c == '\r') {
        Advance(1);
      } else if (c == '#') {
        while (pos_ < src_.size() && src_[pos_] != '\n' && src_[pos_] != '\r') Advance(1);
      } else if (src_.substr(pos_, 3) == "\xEF\xBB\xBF") {  // byte order mark
        pos_ += 3;
      } else {
        return;
      }
    }
  }

  Result<void> Number(Token* tok) {
    size_t start = pos_;
    bool is_float = false;
    if (src_[pos_] == '-') Advance(1);
    if (pos_ >= src_.size() || !IsDigit(src_[pos_])) return Fail("invalid number, expected digit");
    if (src_[pos_] == '0' && pos_ + 1 < src_.size() && IsDigit(src_[pos_ + 1])) {
      return Fail("invalid number, unexpected digit after 0");
    }
    while (pos_ < src_.size() && IsDigit(src_[pos_])) Advance(1);
    if (pos_ < src_.size() && src_[pos_] == '.') {
      is_float = true;
      Advance(1);
      if (pos_ >= src_.size() || !IsDigit(src_[pos_]))
        return Fail("invalid number, expected digit");
      while (pos_ < src_.size() && IsDigit(src_[pos_])) Advance(1);
    }
    if (pos_ < src_.size() && (src_[pos_] == 'e' || src_[pos_] == 'E')) {
      is_float = true;
      Advance(1);
      if (pos_ < src_.size() && (src_[pos_] == '+' || src_[pos_] == '-')) Advance(1);
      if (pos_ >= src_.size() || !IsDigit(src_[pos_]))
        return Fail("invalid number, expected digit");
      while (pos_ < src_.size() && IsDigit(src_[pos_])) Advance(1);
    }
    if (pos_ < src_.size() && (IsNameStart(src_[pos_]) || src_[pos_] == '.')) {
      return Fail(fmt::format("invalid number, unexpected '{}'", src_[pos_]));
    }
    tok->kind = is_float ? TokenKind::kFloat : TokenKind::kInt;
    tok->text = std::string(src_.substr(start, pos_ - start));
    return Ok{};
  }

  Result<uint32_t> Hex4() {
    if (pos_ + 4 > src_.size()) return Fail("invalid unicode escape");
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      char h = src_[pos_ + i];
      v <<= 4;
      if (h >= '0' && h <= '9')
        v |= h - '0';
      else if (h >= 'a' && h <= 'f')
        v |= h - 'a' + 10;
      else if (h >= 'A' && h <= 'F')
        v |= h - 'A' + 10;
      else
        return Fail("invalid unicode escape");
    }
    Advance(4);
    return v;
  }

  Result<void> String(Token* tok) {
    Advance(1);
    std::string out;
    while (true) {
      if (pos_ >= src_.size() || src_[pos_] == '\n' || src_[pos_] == '\r') {
        return Fail("unterminated string");
      }
      char c = src_[pos_];
      if (c == '"') {
        Advance(1);
        break;
      }
      if (c != '\\') {
        out.push_back(c);
        Advance(1);
        continue;
      }
      Advance(1);
      if (pos_ >= src_.size()) return Fail("unterminated string");
      char e = src_[pos_];
      Advance(1);
      if (std::optional<char> escaped = ShortEscape(e)) {
        out.push_back(*escaped);
        continue;
      }
      switch (e) {
        case 'u': {
          ASSIGN_OR_RETURN(uint32_t cp, Hex4());
          if (cp >= 0xD800 && cp <= 0xDBFF && src_.substr(pos_, 2) == "\\u") {
            Advance(2);
            ASSIGN_OR_RETURN(uint32_t lo, Hex4());
            if (lo >= 0xDC00 && lo <= 0xDFFF)
              cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            else
              return Fail("invalid unicode surrogate pair");
          } else if (cp >= 0xD800 && cp <= 0xDFFF) {
            return Fail("invalid unicode surrogate");
          }
          AppendUtf8(cp, &out);
          break;
        }
        default:
          return Fail(fmt::format("invalid escape sequence '\\{}'", e));
      }
    }
    tok->kind = TokenKind::kString;
    tok->text = std::move(out);
    return Ok{};
  }

  Result<void> BlockString(Token* tok) {
    Advance(3);
    std::string raw;
    while (true) {
      if (pos_ >= src_.size()) return Fail("unterminated block string");
      if (src_.substr(pos_, 3) == "\"\"\"") {
        Advance(3);
        break;
      }
      if (src_.substr(pos_, 4) == "\\\"\"\"") {
        raw += "\"\"\"";
        Advance(4);
        continue;
      }
      raw.push_back(src_[pos_]);
      Advance(1);
    }
    // BlockStringValue (§2.9.4): common indentation removed, blank first/last lines dropped.
    std::vector<std::string> lines;
    std::string cur;
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '\r' || raw[i] == '\n') {
        if (raw[i] == '\r' && i + 1 < raw.size() && raw[i + 1] == '\n') ++i;
        lines.push_back(std::move(cur));
        cur.clear();
      } else {
        cur.push_back(raw[i]);
      }
    }
    lines.push_back(std::move(cur));
    size_t common = std::string::npos;
    for (size_t i = 1; i < lines.size(); ++i) {
      size_t indent = lines[i].find_first_not_of(" \t");
      if (indent != std::string::npos && indent < common) common = indent;
    }
    if (common != std::string::npos) {
      for (size_t i = 1; i < lines.size(); ++i) {
        lines[i] = lines[i].size() >= common ? lines[i].substr(common) : "";
      }
    }
    auto blank = [](const std::string& s) {
      return s.find_first_not_of(" \t") == std::string::npos;
    };
    while (!lines.empty() && blank(lines.front())) lines.erase(lines.begin());
    while (!lines.empty() && blank(lines.back())) lines.pop_back();
    std::string out;
    for (size_t i = 0; i < lines.size(); ++i) {
      if (i) out.push_back('\n');
      out += lines[i];
    }
    tok->kind = TokenKind::kString;
    tok->text = std::move(out);
    return Ok{};
  }

  std::string_view src_;
  size_t pos_ = 0;
  uint32_t line_ = 1;
  uint32_t column_ = 1;
};

}  // namespace

Result<std::vector<Token>> Tokenize(std::string_view source, size_t max_tokens) {
  return Lexer(source).Run(max_tokens);
}

}  // namespace ecsguard::graph
