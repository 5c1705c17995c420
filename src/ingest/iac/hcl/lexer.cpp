#include "ingest/iac/hcl/lexer.h"

#include <string>

#include "ingest/iac/hcl/unicode.h"

namespace ecsguard::ingest::hcl {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

std::string_view TrimAsciiSpace(std::string_view s) {
  while (!s.empty() && IsAsciiSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsAsciiSpace(s.back())) s.remove_suffix(1);
  return s;
}

enum class Mode : uint8_t { kMain, kQuoted, kHeredoc, kBare };

struct ModeFrame {
  Mode mode;
  std::string_view marker;  // heredoc closing marker
  bool start_of_line = true;
};

class Lexer {
 public:
  Lexer(std::string_view src, LexMode mode, Position start) : src_(src) {
    cursor_.line = start.line;
    cursor_.column = start.column;
    if (src_.substr(0, 3) == "\xEF\xBB\xBF") {
      pos_ = 3;
      cursor_.offset = 3;
    }
    modes_.push_back({mode == LexMode::kConfig ? Mode::kMain : Mode::kBare, {}, true});
    tokens_.reserve(src.size() / 4 + 8);
  }

  std::vector<Token> Run() {
    while (pos_ < src_.size()) {
      switch (modes_.back().mode) {
        case Mode::kMain:
          StepMain();
          break;
        case Mode::kQuoted:
          StepQuoted();
          break;
        case Mode::kHeredoc:
          StepHeredoc();
          break;
        case Mode::kBare:
          StepBare();
          break;
      }
    }
    Emit(TokenType::kEOF, src_.size(), src_.size());
    return std::move(tokens_);
  }

 private:
  char At(size_t i) const { return i < src_.size() ? src_[i] : '\0'; }

  // Moves the position cursor to `offset`, counting lines and code-point columns.
  Position AdvanceTo(size_t offset) {
    for (size_t i = cursor_.offset; i < offset; ++i) {
      unsigned char c = static_cast<unsigned char>(src_[i]);
      if (c == '\n') {
        ++cursor_.line;
        cursor_.column = 1;
      } else if ((c & 0xC0) != 0x80 && !(c == '\r' && At(i + 1) == '\n')) {
        ++cursor_.column;
      }
    }
    cursor_.offset = static_cast<uint32_t>(offset);
    return cursor_;
  }

  void Emit(TokenType type, size_t begin, size_t end, InvalidReason why = InvalidReason::kNone) {
    Token t;
    t.type = type;
    t.invalid = why;
    t.template_depth = static_cast<uint16_t>(std::min<size_t>(template_depth_, 0xFFFF));
    t.range.start = AdvanceTo(begin);
    t.range.end = AdvanceTo(end);
    tokens_.push_back(t);
    pos_ = end;
  }

  void Push(Mode mode, std::string_view marker = {}) {
    modes_.push_back({mode, marker, true});
    if (mode != Mode::kMain) ++template_depth_;
  }
  void Pop() {
    if (modes_.size() <= 1) return;
    if (modes_.back().mode != Mode::kMain) --template_depth_;
    modes_.pop_back();
  }

  // ${ / %{ (optionally followed by ~) at pos_: opens a sequence lexed in expression mode.
  bool TryOpenSequence() {
    char c = At(pos_);
    if ((c != '$' && c != '%') || At(pos_ + 1) != '{') return false;
    size_t len = At(pos_ + 2) == '~' ? 3 : 2;
    Emit(c == '$' ? TokenType::kTemplateInterp : TokenType::kTemplateControl, pos_, pos_ + len);
    ++braces_;
    ret_braces_.push_back(braces_);
    if (modes_.back().mode == Mode::kHeredoc) modes_.back().start_of_line = false;
    Push(Mode::kMain);
    return true;
  }

  // Length of a `$` or `%` literal at pos_: "$${" (an escaped sequence, optionally with ~) or
  // the lone character.
  size_t EscapeOrLoneLength() const {
    char c = At(pos_);
    if (At(pos_ + 1) == c && At(pos_ + 2) == '{') return At(pos_ + 3) == '~' ? 4 : 3;
    return 1;
  }

  void StepMain() {
    size_t p = pos_;
    char c = src_[p];
    char n = At(p + 1);
    switch (c) {
      case ' ':
      case '\t': {
        size_t e = p;
        while (e < src_.size() && (src_[e] == ' ' || src_[e] == '\t')) ++e;
        pos_ = e;
        return;
      }
      case '\n':
        return Emit(TokenType::kNewline, p, p + 1);
      case '\r':
        if (n == '\n') return Emit(TokenType::kNewline, p, p + 2);
        return Emit(TokenType::kInvalid, p, p + 1, InvalidReason::kCharacter);
      case '#':
        return LineComment(p);
      case '/':
        if (n == '/') return LineComment(p);
        if (n == '*') {
          size_t close = src_.find("*/", p + 2);
          if (close == std::string_view::npos) {
            return Emit(TokenType::kInvalid, p, src_.size(), InvalidReason::kUnterminatedComment);
          }
          AdvanceTo(close + 2);
          pos_ = close + 2;
          return;
        }
        return Emit(TokenType::kSlash, p, p + 1);
      case '"':
        Emit(TokenType::kOQuote, p, p + 1);
        Push(Mode::kQuoted);
        return;
      case '{':
        ++braces_;
        return Emit(TokenType::kOBrace, p, p + 1);
      case '}':
        return CloseBrace(p, 1, false);
      case '~':
        if (n == '}') return CloseBrace(p, 2, true);
        return Emit(TokenType::kInvalid, p, p + 1, InvalidReason::kBitwiseOperator);
      case '<':
        if (n == '<' && TryHeredoc(p)) return;
        if (n == '=') return Emit(TokenType::kLessThanEq, p, p + 2);
        return Emit(TokenType::kLessThan, p, p + 1);
      case '>':
        if (n == '=') return Emit(TokenType::kGreaterThanEq, p, p + 2);
        return Emit(TokenType::kGreaterThan, p, p + 1);
      case '=':
        if (n == '=') return Emit(TokenType::kEqualOp, p, p + 2);
        if (n == '>') return Emit(TokenType::kFatArrow, p, p + 2);
        return Emit(TokenType::kEqual, p, p + 1);
      case '!':
        if (n == '=') return Emit(TokenType::kNotEqual, p, p + 2);
        return Emit(TokenType::kBang, p, p + 1);
      case '&':
        if (n == '&') return Emit(TokenType::kAnd, p, p + 2);
        return Emit(TokenType::kInvalid, p, p + 1, InvalidReason::kBitwiseOperator);
      case '|':
        if (n == '|') return Emit(TokenType::kOr, p, p + 2);
        return Emit(TokenType::kInvalid, p, p + 1, InvalidReason::kBitwiseOperator);
      case '^':
        return Emit(TokenType::kInvalid, p, p + 1, InvalidReason::kBitwiseOperator);
      case ':':
        if (n == ':') return Emit(TokenType::kDoubleColon, p, p + 2);
        return Emit(TokenType::kColon, p, p + 1);
      case '.':
        if (n == '.' && At(p + 2) == '.') return Emit(TokenType::kEllipsis, p, p + 3);
        return Emit(TokenType::kDot, p, p + 1);
      case '[':
        return Emit(TokenType::kOBrack, p, p + 1);
      case ']':
        return Emit(TokenType::kCBrack, p, p + 1);
      case '(':
        return Emit(TokenType::kOParen, p, p + 1);
      case ')':
        return Emit(TokenType::kCParen, p, p + 1);
      case ',':
        return Emit(TokenType::kComma, p, p + 1);
      case '*':
        return Emit(TokenType::kStar, p, p + 1);
      case '%':
        return Emit(TokenType::kPercent, p, p + 1);
      case '+':
        return Emit(TokenType::kPlus, p, p + 1);
      case '-':
        return Emit(TokenType::kMinus, p, p + 1);
      case '?':
        return Emit(TokenType::kQuestion, p, p + 1);
      case ';':
        return Emit(TokenType::kInvalid, p, p + 1, InvalidReason::kSemicolon);
      case '\'':
        return Emit(TokenType::kInvalid, p, p + 1, InvalidReason::kApostrophe);
      case '`':
        return Emit(TokenType::kInvalid, p, p + 1, InvalidReason::kBacktick);
      default:
        break;
    }
    if (IsDigit(c)) return Number(p);
    size_t ident_end = IdentEnd(p);
    if (ident_end > p) return Emit(TokenType::kIdent, p, ident_end);
    DecodedRune r = DecodeUtf8(src_, p);
    Emit(TokenType::kInvalid, p, p + r.length,
         r.valid ? InvalidReason::kCharacter : InvalidReason::kBadUtf8);
  }

  void LineComment(size_t p) {
    size_t nl = src_.find('\n', p);
    if (nl == std::string_view::npos) {
      AdvanceTo(src_.size());
      pos_ = src_.size();
      return;
    }
    // A line comment stands for the newline that ends it (hclsyntax's peeker does the same).
    Emit(TokenType::kNewline, p, nl + 1);
  }

  void CloseBrace(size_t p, size_t len, bool tilde) {
    if (!ret_braces_.empty() && ret_braces_.back() == braces_) {
      Emit(TokenType::kTemplateSeqEnd, p, p + len);
      --braces_;
      ret_braces_.pop_back();
      Pop();
      return;
    }
    // `~}` that does not close a template sequence still lexes as one, so the parser reports it.
    Emit(tilde ? TokenType::kTemplateSeqEnd : TokenType::kCBrace, p, p + len);
    --braces_;
  }

  // Returns the end of an identifier starting at p, or p when there is none.
  size_t IdentEnd(size_t p) const {
    size_t e = p;
    char c = src_[e];
    if (c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      ++e;
    } else if (static_cast<unsigned char>(c) >= 0x80) {
      DecodedRune r = DecodeUtf8(src_, e);
      if (!r.valid || !IsIdStart(r.code_point)) return p;
      e += r.length;
    } else {
      return p;
    }
    while (e < src_.size()) {
      char d = src_[e];
      if (static_cast<unsigned char>(d) < 0x80) {
        if (d == '-' || d == '_' || IsDigit(d) || (d >= 'a' && d <= 'z') ||
            (d >= 'A' && d <= 'Z')) {
          ++e;
          continue;
        }
        break;
      }
      DecodedRune r = DecodeUtf8(src_, e);
      if (!r.valid || !IsIdContinue(r.code_point)) break;
      e += r.length;
    }
    return e;
  }

  void Number(size_t p) {
    size_t e = p + 1;
    while (e < src_.size()) {
      char d = src_[e];
      if (IsDigit(d) || d == '.') {
        ++e;
      } else if (d == 'e' || d == 'E') {
        size_t q = e + 1;
        if (At(q) == '+' || At(q) == '-') ++q;
        if (!IsDigit(At(q))) break;
        e = q + 1;
      } else {
        break;
      }
    }
    while (src_[e - 1] == '.') --e;  // a number never ends with a dot: 1..2 is 1 then ..2
    Emit(TokenType::kNumberLit, p, e);
  }

  // <<EOT or <<-EOT followed by a newline.
  bool TryHeredoc(size_t p) {
    size_t q = p + 2;
    if (At(q) == '-') ++q;
    if (q >= src_.size()) return false;
    size_t ident_end = IdentEnd(q);
    if (ident_end == q) return false;
    size_t nl = ident_end;
    if (At(nl) == '\r') ++nl;
    if (At(nl) != '\n') return false;
    std::string_view marker = src_.substr(q, ident_end - q);
    Emit(TokenType::kOHeredoc, p, nl + 1);
    Push(Mode::kHeredoc, marker);
    return true;
  }

  void StepQuoted() {
    size_t p = pos_;
    if (TryOpenSequence()) return;
    char c = src_[p];
    if (c == '"') {
      Emit(TokenType::kCQuote, p, p + 1);
      Pop();
      return;
    }
    if (c == '\r' || c == '\n') {
      // HCL keeps scanning the string on the next line; ending it here keeps one missing quote
      // from swallowing the rest of the file. Either way it is an error.
      size_t e = p;
      while (e < src_.size() && (src_[e] == '\r' || src_[e] == '\n')) ++e;
      Emit(TokenType::kInvalid, p, e, InvalidReason::kQuotedNewline);
      Pop();
      return;
    }
    if (c == '$' || c == '%') return Emit(TokenType::kQuotedLit, p, p + EscapeOrLoneLength());
    size_t e = p;
    while (e < src_.size()) {
      char d = src_[e];
      if (d == '$' || d == '%' || d == '"' || d == '\r' || d == '\n') break;
      if (d == '\\') {
        char x = At(e + 1);
        if (e + 1 >= src_.size() || x == '\r' || x == '\n') break;
        DecodedRune r = DecodeUtf8(src_, e + 1);
        if (!r.valid) break;
        e += 1 + r.length;
        continue;
      }
      DecodedRune r = DecodeUtf8(src_, e);
      if (!r.valid) break;
      e += r.length;
    }
    if (e > p) return Emit(TokenType::kQuotedLit, p, e);
    if (c == '\\') return Emit(TokenType::kInvalid, p, p + 1, InvalidReason::kCharacter);
    Emit(TokenType::kInvalid, p, p + 1, InvalidReason::kBadUtf8);
  }

  // End of a run of literal characters other than $ % \r \n (and bad UTF-8).
  size_t LiteralRunEnd(size_t p, bool allow_lone_cr) const {
    size_t e = p;
    while (e < src_.size()) {
      char d = src_[e];
      if (d == '$' || d == '%' || d == '\n') break;
      if (d == '\r' && (!allow_lone_cr || At(e + 1) == '\n')) break;
      if (static_cast<unsigned char>(d) < 0x80) {
        ++e;
        continue;
      }
      DecodedRune r = DecodeUtf8(src_, e);
      if (!r.valid) break;
      e += r.length;
    }
    return e;
  }

  void StepHeredoc() {
    size_t p = pos_;
    ModeFrame& frame = modes_.back();
    if (TryOpenSequence()) return;
    char c = src_[p];
    if (c == '$' || c == '%') {
      frame.start_of_line = false;
      return Emit(TokenType::kStringLit, p, p + EscapeOrLoneLength());
    }
    size_t e = LiteralRunEnd(p, true);
    size_t nl_end = e;
    if (At(e) == '\n') {
      nl_end = e + 1;
    } else if (At(e) == '\r' && At(e + 1) == '\n') {
      nl_end = e + 2;
    }
    if (nl_end > e) {
      if (frame.start_of_line && TrimAsciiSpace(src_.substr(p, e - p)) == frame.marker) {
        Emit(TokenType::kCHeredoc, p, e);
        Emit(TokenType::kNewline, e, nl_end);
        Pop();
        return;
      }
      frame.start_of_line = true;
      return Emit(TokenType::kStringLit, p, nl_end);
    }
    if (e > p) {
      frame.start_of_line = false;
      return Emit(TokenType::kStringLit, p, e);
    }
    Emit(TokenType::kInvalid, p, p + 1, InvalidReason::kBadUtf8);
  }

  void StepBare() {
    size_t p = pos_;
    if (TryOpenSequence()) return;
    char c = src_[p];
    if (c == '$' || c == '%') return Emit(TokenType::kStringLit, p, p + EscapeOrLoneLength());
    size_t e = LiteralRunEnd(p, true);
    if (At(e) == '\n') {
      ++e;
    } else if (At(e) == '\r' && At(e + 1) == '\n') {
      e += 2;
    }
    if (e > p) return Emit(TokenType::kStringLit, p, e);
    Emit(TokenType::kInvalid, p, p + 1, InvalidReason::kBadUtf8);
  }

  std::string_view src_;
  size_t pos_ = 0;
  Position cursor_;
  std::vector<Token> tokens_;
  std::vector<ModeFrame> modes_;
  size_t template_depth_ = 0;
  int64_t braces_ = 0;
  std::vector<int64_t> ret_braces_;
};

}  // namespace

std::vector<Token> Tokenize(std::string_view source, LexMode mode, Position start) {
  return Lexer(source, mode, start).Run();
}

}  // namespace ecsguard::ingest::hcl
