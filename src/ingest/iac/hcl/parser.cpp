#include "ingest/iac/hcl/parser.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <unordered_set>
#include <utility>

#include "ingest/iac/hcl/lexer.h"
#include "ingest/iac/hcl/number.h"
#include "ingest/iac/hcl/unicode.h"

namespace ecsguard::ingest::hcl {
namespace {

Range Between(const Range& a, const Range& b) { return Range{a.start, b.end}; }

std::string_view InvalidMessage(InvalidReason why) {
  switch (why) {
    case InvalidReason::kBadUtf8:
      return "Invalid character encoding: all input files must be UTF-8 encoded";
    case InvalidReason::kBitwiseOperator:
      return "Unsupported operator: bitwise operators are not supported (use && || ! for logic)";
    case InvalidReason::kSemicolon:
      return "Invalid character: \";\" is not valid; use newlines to separate arguments and "
             "blocks, and commas to separate items in collection values";
    case InvalidReason::kApostrophe:
      return "Invalid character: single quotes are not valid; use double quotes (\") to enclose "
             "strings";
    case InvalidReason::kBacktick:
      return "Invalid character: \"`\" is not valid; to create a multi-line string, use the "
             "heredoc syntax, like \"<<EOT\"";
    case InvalidReason::kQuotedNewline:
      return "Invalid multi-line string: quoted strings may not be split over multiple lines; "
             "use the \\n escape or a heredoc";
    case InvalidReason::kUnterminatedComment:
      return "Unterminated comment: no closing \"*/\" before the end of the file";
    case InvalidReason::kCharacter:
    case InvalidReason::kNone:
      break;
  }
  return "Invalid character: this character is not used within the language";
}

// One item of a template before it is shaped into a tree (hclsyntax's "template tokens").
struct TemplatePart {
  enum class Kind : uint8_t { kLiteral, kInterp, kIf, kElse, kEndIf, kFor, kEndFor };
  Kind kind = Kind::kLiteral;
  Range range;
  std::string value;  // kLiteral
  ExprPtr expr;       // kInterp; the condition of kIf; the collection of kFor
  std::string key_var;
  std::string value_var;
};

class Parser {
 public:
  Parser(const std::string& source, const std::string& filename, const ParseOptions& options,
         LexMode mode)
      : source_(source), filename_(filename), options_(options) {
    tokens_ = Tokenize(source_, mode, Position{options.first_line, options.first_column, 0});
    newlines_.push_back(true);
    ReportInvalidTokens();
  }

  Body ParseFileBody() {
    Body body = ParseBody(TokenType::kEOF, nullptr);
    body.range = Range{Position{}, tokens_.back().range.end};
    return body;
  }

  ExprPtr ParseWholeExpression() {
    NewlineScope scope(this, false);
    ExprPtr expr = ParseExpr();
    if (!failed_ && Peek().type != TokenType::kEOF) {
      Fail(Peek(),
           "Extra characters after expression: an expression was successfully parsed, "
           "but extra characters were found after it");
    }
    return expr;
  }

  ExprPtr ParseWholeTemplate() { return ParseTemplateBody(TokenType::kEOF, Peek(), false, false); }

  std::vector<Error> TakeErrors() {
    std::stable_sort(errors_.begin(), errors_.end(), [](const Error& a, const Error& b) {
      if (a.location().line != b.location().line) return a.location().line < b.location().line;
      return a.location().column < b.location().column;
    });
    if (dropped_errors_ > 0) {
      errors_.push_back(Error(ErrorCode::kParse,
                              fmt::format("{} more errors not shown", dropped_errors_),
                              SourceLocation{filename_, 0, 0}));
    }
    return std::move(errors_);
  }

 private:
  // Pushes "are newlines significant here" for the lifetime of the scope.
  struct NewlineScope {
    NewlineScope(Parser* p, bool include) : parser(p) { p->newlines_.push_back(include); }
    ~NewlineScope() { parser->newlines_.pop_back(); }
    Parser* parser;
  };

  // Counts one nesting level; restores the depth on exit, including levels a loop added.
  struct DepthScope {
    explicit DepthScope(Parser* p) : parser(p), saved(p->depth_) { ++p->depth_; }
    ~DepthScope() { parser->depth_ = saved; }
    Parser* parser;
    size_t saved;
  };

  // ---- tokens ----

  size_t NextIndex() const {
    size_t i = pos_;
    if (!newlines_.back()) {
      while (tokens_[i].type == TokenType::kNewline) ++i;
    }
    return i;
  }
  const Token& Peek() const { return tokens_[NextIndex()]; }
  const Token& Read() {
    size_t i = NextIndex();
    if (tokens_[i].type != TokenType::kEOF) pos_ = i + 1;
    return tokens_[i];
  }
  const Token& Prev() const { return tokens_[pos_ == 0 ? 0 : pos_ - 1]; }

  std::string_view Text(const Token& t) const {
    return std::string_view(source_).substr(t.range.start.offset, t.size());
  }
  std::string_view Text(const Range& r) const {
    return std::string_view(source_).substr(r.start.offset, r.end.offset - r.start.offset);
  }
  bool IsKeyword(const Token& t, std::string_view word) const {
    return t.type == TokenType::kIdent && Text(t) == word;
  }

  // ---- errors ----

  void AddError(const Position& at, std::string message) {
    if (errors_.size() >= options_.max_errors) {
      ++dropped_errors_;
      return;
    }
    errors_.push_back(Error(ErrorCode::kParse, std::move(message),
                            SourceLocation{filename_, at.line, at.column}));
  }

  // A syntax error: the rest of the current top-level item is abandoned. Errors on invalid
  // tokens were already reported when the parse started.
  void Fail(const Token& at, std::string message) {
    if (failed_) return;
    failed_ = true;
    if (at.type == TokenType::kInvalid) return;
    AddError(at.range.start, std::move(message));
  }

  void ReportInvalidTokens() {
    for (const Token& t : tokens_) {
      if (t.type == TokenType::kInvalid)
        AddError(t.range.start, std::string(InvalidMessage(t.invalid)));
    }
  }

  bool TooDeep(const Token& at) { return TooDeep(at.range.start); }
  bool TooDeep(const Position& at) {
    if (depth_ <= options_.max_nesting) return false;
    FailAt(at, fmt::format("Nesting too deep: more than {} levels of nested blocks, brackets, "
                           "templates or operators",
                           options_.max_nesting));
    return true;
  }

  // After an error in a top-level item: skip to the next identifier that starts a line in
  // column 1 outside any template, the conventional start of the next top-level block.
  void RecoverToTopLevel(size_t item_start) {
    size_t i = std::max(pos_, item_start + 1);
    for (; i < tokens_.size(); ++i) {
      const Token& t = tokens_[i];
      if (t.type == TokenType::kEOF) break;
      if (t.type == TokenType::kIdent && t.template_depth == 0 && t.range.start.column == 1 &&
          tokens_[i - 1].type == TokenType::kNewline) {
        break;
      }
    }
    pos_ = std::min(i, tokens_.size() - 1);
    failed_ = false;
  }

  template <typename T>
  std::unique_ptr<T> Node(const Range& range) {
    auto node = std::make_unique<T>();
    node->range = range;
    return node;
  }

  // Stands in for an expression that failed to parse.
  ExprPtr Placeholder(const Token& at) { return Node<LiteralExpr>(at.range); }

  // ---- structure ----

  // Parses attributes and blocks up to `end` (EOF at the top level, `}` for a block body, whose
  // opening brace is `open`).
  Body ParseBody(TokenType end, const Token* open) {
    Body body;
    std::unordered_set<std::string_view> names;
    bool top_level = open == nullptr;
    while (true) {
      const Token& next = Peek();
      if (next.type == end) {
        Read();
        break;
      }
      size_t item_start = NextIndex();
      if (next.type == TokenType::kNewline) {
        Read();
        continue;
      }
      if (next.type == TokenType::kIdent) {
        ParseBodyItem(&body, &names);
      } else if (next.type == TokenType::kEOF) {
        Fail(*open,
             "Unclosed configuration block: there is no closing brace for this block "
             "before the end of the file");
      } else if (next.type == TokenType::kOQuote) {
        Fail(next, "Invalid argument name: argument names must not be quoted");
      } else {
        Fail(next,
             "Argument or block definition required: an argument or block definition is "
             "required here");
      }
      if (failed_) {
        if (!top_level) return body;
        RecoverToTopLevel(item_start);
      }
    }
    return body;
  }

  void ParseBodyItem(Body* body, std::unordered_set<std::string_view>* names) {
    const Token& ident = Read();
    const Token& next = Peek();
    switch (next.type) {
      case TokenType::kEqual: {
        Attribute attr = ParseAttribute(ident, false);
        if (failed_) return;
        std::string_view name = Text(ident);
        if (!names->insert(name).second) {
          const Attribute* first = nullptr;
          for (const Attribute& a : body->attributes) {
            if (a.name == name) first = &a;
          }
          AddError(ident.range.start,
                   fmt::format("Attribute redefined: the argument \"{}\" was already set at {}:{}; "
                               "each argument may be set only once",
                               name, first ? first->name_range.start.line : 0,
                               first ? first->name_range.start.column : 0));
          return;
        }
        body->attributes.push_back(std::move(attr));
        return;
      }
      case TokenType::kOQuote:
      case TokenType::kOBrace:
      case TokenType::kIdent: {
        Block block = ParseBlock(ident);
        if (!failed_) body->blocks.push_back(std::move(block));
        return;
      }
      default:
        Fail(ident,
             "Argument or block definition required: to set an argument, use the equals "
             "sign \"=\" to introduce the argument value");
    }
  }

  Attribute ParseAttribute(const Token& ident, bool single_line) {
    Read();  // =
    Attribute attr;
    attr.name = std::string(Text(ident));
    attr.name_range = ident.range;
    attr.expr = ParseExpr();
    if (failed_) return attr;
    attr.range = Between(ident.range, attr.expr->range);
    if (single_line) return attr;
    const Token& end = Peek();
    if (end.type == TokenType::kNewline || end.type == TokenType::kEOF) {
      Read();
    } else if (end.type == TokenType::kComma) {
      Fail(end,
           "Unexpected comma after argument: argument definitions must be separated by "
           "newlines, not commas");
    } else {
      Fail(end, "Missing newline after argument: an argument definition must end with a newline");
    }
    return attr;
  }

  Block ParseBlock(const Token& ident) {
    DepthScope depth(this);
    Block block;
    block.type = std::string(Text(ident));
    block.type_range = ident.range;
    if (TooDeep(ident)) return block;
    while (true) {
      const Token& tok = Peek();
      if (tok.type == TokenType::kOBrace) break;
      if (tok.type == TokenType::kOQuote) {
        BlockLabel label;
        label.range = tok.range;
        label.value = ParseQuotedStringLiteral(&label.range);
        if (failed_) return block;
        block.labels.push_back(std::move(label));
      } else if (tok.type == TokenType::kIdent) {
        Read();
        block.labels.push_back(BlockLabel{std::string(Text(tok)), tok.range, false});
      } else if (tok.type == TokenType::kEqual) {
        Fail(tok,
             "Invalid block definition: the equals sign \"=\" indicates an argument "
             "definition, and must not be used when defining a block");
        return block;
      } else if (tok.type == TokenType::kNewline) {
        Fail(tok,
             "Invalid block definition: a block definition must have block content "
             "delimited by \"{\" and \"}\", starting on the same line as the block header");
        return block;
      } else {
        Fail(tok,
             "Invalid block definition: either a quoted string block label or an opening "
             "brace (\"{\") is expected here");
        return block;
      }
    }
    const Token& open = Read();
    block.open_brace_range = open.range;
    const Token& first = Peek();
    if (first.type == TokenType::kNewline || first.type == TokenType::kEOF ||
        first.type == TokenType::kCBrace) {
      block.body = ParseBody(TokenType::kCBrace, &open);
      if (failed_) return block;
    } else {
      // One-line block: `name { attr = value }`.
      const Token& attr_name = Read();
      if (attr_name.type != TokenType::kIdent) {
        Fail(attr_name,
             "Argument or block definition required: an argument or block "
             "definition is required here");
        return block;
      }
      if (Peek().type != TokenType::kEqual) {
        Fail(attr_name,
             "Argument definition required: a single-line block definition can "
             "contain only a single argument; place a nested block on a line of its "
             "own within its parent block");
        return block;
      }
      Attribute attr = ParseAttribute(attr_name, true);
      if (failed_) return block;
      block.body.attributes.push_back(std::move(attr));
      const Token& close = Peek();
      if (close.type == TokenType::kCBrace) {
        Read();
      } else if (close.type == TokenType::kComma || close.type == TokenType::kNewline) {
        Fail(close,
             "Invalid single-argument block definition: single-line block syntax can "
             "include only one argument definition, closed on the same line");
        return block;
      } else if (close.type == TokenType::kEOF) {
        Fail(open,
             "Unclosed configuration block: there is no closing brace for this block "
             "before the end of the file");
        return block;
      } else {
        Fail(close,
             "Invalid single-argument block definition: a single-line block definition "
             "must end with a closing brace immediately after its single argument");
        return block;
      }
    }
    const Token& close = Prev();
    block.close_brace_range = close.range;
    block.range = Between(ident.range, close.range);
    block.body.range = Between(open.range, close.range);
    const Token& eol = Peek();
    if (eol.type == TokenType::kNewline || eol.type == TokenType::kEOF) {
      Read();
    } else {
      Fail(eol,
           "Missing newline after block definition: a block definition must end with a "
           "newline");
    }
    return block;
  }

  std::string ParseQuotedStringLiteral(Range* range) {
    const Token& open = Read();
    std::string out;
    while (true) {
      const Token& tok = Read();
      switch (tok.type) {
        case TokenType::kCQuote:
          *range = Between(open.range, tok.range);
          return out;
        case TokenType::kQuotedLit:
          DecodeLiteral(tok, true, &out);
          break;
        case TokenType::kTemplateInterp:
        case TokenType::kTemplateControl: {
          char which = Text(tok)[0];
          Fail(tok, fmt::format("Invalid string literal: template sequences are not allowed in "
                                "this string; to include a literal \"{0}\", double it (as "
                                "\"{0}{0}\") to escape it",
                                which));
          return out;
        }
        case TokenType::kEOF:
          Fail(open,
               "Unterminated string literal: unable to find the closing quote mark before "
               "the end of the file");
          return out;
        default:
          Fail(tok, "Invalid string literal: this item is not valid in a string literal");
          return out;
      }
    }
  }

  // Resolves the escapes of one literal token, appending to `out`. Backslash escapes exist only
  // in quoted templates; $${ and %%{ everywhere.
  void DecodeLiteral(const Token& tok, bool quoted, std::string* out) {
    std::string_view text = Text(tok);
    if (text.size() >= 3 && (text[0] == '$' || text[0] == '%') && text[1] == text[0] &&
        text[2] == '{') {
      out->push_back(text[0]);
      out->append(text.substr(2));
      return;
    }
    if (!quoted || text.find('\\') == std::string_view::npos) {
      out->append(text);
      return;
    }
    size_t i = 0;
    while (i < text.size()) {
      size_t bs = text.find('\\', i);
      if (bs == std::string_view::npos) {
        out->append(text.substr(i));
        break;
      }
      out->append(text.substr(i, bs - i));
      i = bs + 1;
      char sel = i < text.size() ? text[i] : '\0';
      auto escape_error = [&](std::string message) {
        Position at = tok.range.start;
        at.column += static_cast<uint32_t>(CountCodePoints(text.substr(0, bs)));
        at.offset += static_cast<uint32_t>(bs);
        AddError(at, "Invalid escape sequence: " + std::move(message));
      };
      switch (sel) {
        case 'n':
          out->push_back('\n');
          ++i;
          break;
        case 'r':
          out->push_back('\r');
          ++i;
          break;
        case 't':
          out->push_back('\t');
          ++i;
          break;
        case '"':
          out->push_back('"');
          ++i;
          break;
        case '\\':
          out->push_back('\\');
          ++i;
          break;
        case 'u':
        case 'U': {
          size_t want = sel == 'u' ? 4 : 8;
          size_t j = i + 1;
          char32_t cp = 0;
          while (j < text.size() && j - (i + 1) < want &&
                 std::isxdigit(static_cast<unsigned char>(text[j]))) {
            char h = text[j];
            cp = cp * 16 + static_cast<char32_t>(h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10);
            ++j;
          }
          if (j - (i + 1) != want) {
            escape_error(
                fmt::format("the \\{} escape sequence must be followed by {} hexadecimal "
                            "digits",
                            sel, sel == 'u' ? "four" : "eight"));
          } else if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            escape_error(fmt::format("cannot encode character U+{:04x} in UTF-8",
                                     static_cast<uint32_t>(cp)));
          } else {
            AppendUtf8(cp, out);
          }
          i = j;
          break;
        }
        default: {
          DecodedRune r = DecodeUtf8(text, i);
          escape_error(fmt::format("the symbol \"{}\" is not a valid escape sequence selector",
                                   text.substr(i, r.length)));
          out->append(text.substr(i, r.length));
          i += r.length;
        }
      }
    }
  }

  // ---- expressions ----

  ExprPtr ParseExpr() {
    DepthScope depth(this);
    const Token& start = Peek();
    if (TooDeep(start)) return Placeholder(start);
    ExprPtr cond = ParseBinary(1);
    if (failed_ || Peek().type != TokenType::kQuestion) return cond;
    Read();
    ExprPtr t = ParseExpr();
    if (failed_) return cond;
    const Token& colon = Peek();
    if (colon.type != TokenType::kColon) {
      Fail(colon,
           "Missing false expression in conditional: the conditional operator "
           "(...?...:...) requires a false expression, delimited by a colon");
      return cond;
    }
    Read();
    ExprPtr f = ParseExpr();
    if (failed_) return cond;
    auto node = Node<ConditionalExpr>(Between(start.range, f->range));
    node->condition = std::move(cond);
    node->true_result = std::move(t);
    node->false_result = std::move(f);
    return node;
  }

  static int Precedence(TokenType t, BinaryOp* op) {
    switch (t) {
      case TokenType::kOr:
        *op = BinaryOp::kOr;
        return 1;
      case TokenType::kAnd:
        *op = BinaryOp::kAnd;
        return 2;
      case TokenType::kEqualOp:
        *op = BinaryOp::kEqual;
        return 3;
      case TokenType::kNotEqual:
        *op = BinaryOp::kNotEqual;
        return 3;
      case TokenType::kGreaterThan:
        *op = BinaryOp::kGreater;
        return 4;
      case TokenType::kGreaterThanEq:
        *op = BinaryOp::kGreaterEqual;
        return 4;
      case TokenType::kLessThan:
        *op = BinaryOp::kLess;
        return 4;
      case TokenType::kLessThanEq:
        *op = BinaryOp::kLessEqual;
        return 4;
      case TokenType::kPlus:
        *op = BinaryOp::kAdd;
        return 5;
      case TokenType::kMinus:
        *op = BinaryOp::kSubtract;
        return 5;
      case TokenType::kStar:
        *op = BinaryOp::kMultiply;
        return 6;
      case TokenType::kSlash:
        *op = BinaryOp::kDivide;
        return 6;
      case TokenType::kPercent:
        *op = BinaryOp::kModulo;
        return 6;
      default:
        return 0;
    }
  }

  // Operators of `level` and tighter, left-associative within a level.
  ExprPtr ParseBinary(int level) {
    if (level > 6) return ParseTermWithTraversals();
    ExprPtr lhs = ParseBinary(level + 1);
    // Each operator in a chain nests the tree one level deeper (a+b+c is (a+b)+c).
    DepthScope chain(this);
    while (!failed_) {
      BinaryOp op = BinaryOp::kOr;  // set by Precedence whenever it matches `level`
      const Token& op_token = Peek();
      if (Precedence(op_token.type, &op) != level) break;
      Read();
      ++depth_;
      if (TooDeep(op_token)) break;
      ExprPtr rhs = ParseBinary(level + 1);
      if (failed_) break;
      auto node = Node<BinaryExpr>(Between(lhs->range, rhs->range));
      node->op = op;
      node->lhs = std::move(lhs);
      node->rhs = std::move(rhs);
      lhs = std::move(node);
    }
    return lhs;
  }

  ExprPtr ParseTermWithTraversals() {
    ExprPtr term = ParseTerm();
    if (failed_) return term;
    return ParseTraversals(std::move(term));
  }

  static void AppendStep(ExprPtr* ret, TraversalStep step) {
    Range range = step.range;
    switch ((*ret)->kind) {
      case ExprKind::kScopeTraversal: {
        auto& t = static_cast<ScopeTraversalExpr&>(**ret);
        t.steps.push_back(std::move(step));
        t.range.end = range.end;
        return;
      }
      case ExprKind::kRelativeTraversal: {
        auto& t = static_cast<RelativeTraversalExpr&>(**ret);
        t.steps.push_back(std::move(step));
        t.range.end = range.end;
        return;
      }
      default: {
        auto node = std::make_unique<RelativeTraversalExpr>();
        node->range = Range{(*ret)->range.start, range.end};
        node->source = std::move(*ret);
        node->steps.push_back(std::move(step));
        *ret = std::move(node);
      }
    }
  }

  // The legacy `.0` index. `0.1` lexes as one number, so chained legacy indexes are an error.
  bool LegacyIndexStep(const Token& dot, const Token& num, TraversalStep* step) {
    std::string_view text = Text(num);
    if (text.find('.') != std::string_view::npos) {
      Fail(num, fmt::format("Invalid legacy index syntax: chaining two indexes together is not "
                            "permitted; use the proper index syntax instead, like [{}][{}]",
                            text.substr(0, text.find('.')), text.substr(text.find('.') + 1)));
      return false;
    }
    step->kind = TraversalStep::Kind::kIndex;
    step->key.kind = LiteralKind::kNumber;
    step->key.text = std::string(text);
    step->range = Between(dot.range, num.range);
    CheckNumber(num);
    return true;
  }

  ExprPtr ParseTraversals(ExprPtr from) {
    ExprPtr ret = std::move(from);
    Position from_start = ret->range.start;
    // Index and splat steps wrap what came before, so a long chain is a deep tree.
    DepthScope chain(this);
    while (!failed_) {
      const Token& next = Peek();
      if (next.type == TokenType::kOBrack) {
        ++depth_;
        if (TooDeep(next)) break;
      }
      if (next.type == TokenType::kDot) {
        const Token& dot = Read();
        const Token& attr = Peek();
        if (attr.type == TokenType::kIdent) {
          Read();
          TraversalStep step;
          step.name = std::string(Text(attr));
          step.range = Between(dot.range, attr.range);
          AppendStep(&ret, std::move(step));
        } else if (attr.type == TokenType::kNumberLit) {
          Read();
          TraversalStep step;
          if (!LegacyIndexStep(dot, attr, &step)) break;
          AppendStep(&ret, std::move(step));
        } else if (attr.type == TokenType::kStar) {
          ++depth_;
          if (TooDeep(attr)) break;
          const Token& marker = Read();
          ret = ParseAttrSplat(std::move(ret), from_start, dot, marker);
        } else {
          Fail(attr, "Invalid attribute name: an attribute name is required after a dot");
        }
      } else if (next.type == TokenType::kOBrack) {
        const Token& open = Read();
        if (Peek().type == TokenType::kStar) {
          Read();
          const Token& close = Read();
          if (close.type != TokenType::kCBrack) {
            Fail(close,
                 "Missing close bracket on splat index: the star for a full splat "
                 "operator must be immediately followed by a closing bracket (\"]\")");
            break;
          }
          DepthScope depth(this);
          if (TooDeep(close)) break;
          auto item = Node<AnonSymbolExpr>(Between(open.range, close.range));
          ExprPtr each = ParseTraversals(std::move(item));
          if (failed_) break;
          auto splat = Node<SplatExpr>(Range{from_start, each->range.end});
          splat->marker_range = Between(open.range, close.range);
          splat->source = std::move(ret);
          splat->each = std::move(each);
          ret = std::move(splat);
        } else {
          ExprPtr key;
          {
            NewlineScope scope(this, false);
            key = ParseExpr();
            if (failed_) break;
            const Token& close = Read();
            if (close.type != TokenType::kCBrack) {
              Fail(close,
                   "Missing close bracket on index: the index operator must end with a "
                   "closing bracket (\"]\")");
              break;
            }
          }
          const Token& close = Prev();
          Range bracket = Between(open.range, close.range);
          const Literal* lit = nullptr;
          if (key->kind == ExprKind::kLiteral) {
            lit = &key->As<LiteralExpr>().value;
          } else if (key->kind == ExprKind::kTemplate) {
            const auto& tmpl = key->As<TemplateExpr>();
            if (tmpl.parts.size() == 1 && tmpl.parts[0]->kind == ExprKind::kLiteral) {
              lit = &tmpl.parts[0]->As<LiteralExpr>().value;
            }
          }
          if (lit != nullptr) {
            TraversalStep step;
            step.kind = TraversalStep::Kind::kIndex;
            step.key = *lit;
            step.range = bracket;
            AppendStep(&ret, std::move(step));
          } else {
            auto index = Node<IndexExpr>(Range{from_start, bracket.end});
            index->collection = std::move(ret);
            index->key = std::move(key);
            ret = std::move(index);
          }
        }
      } else {
        break;
      }
    }
    return ret;
  }

  // `source.*` followed by attribute (and legacy index) steps only.
  ExprPtr ParseAttrSplat(ExprPtr source, Position from_start, const Token& dot,
                         const Token& marker) {
    auto item = Node<AnonSymbolExpr>(Between(dot.range, marker.range));
    ExprPtr each;
    Range last = marker.range;
    std::vector<TraversalStep> steps;
    Position first_step_start = Peek().range.start;
    while (Peek().type == TokenType::kDot) {
      const Token& step_dot = Read();
      const Token& name = Peek();
      TraversalStep step;
      if (name.type == TokenType::kNumberLit) {
        Read();
        if (!LegacyIndexStep(step_dot, name, &step)) return source;
      } else if (name.type == TokenType::kIdent) {
        Read();
        step.name = std::string(Text(name));
        step.range = Between(step_dot.range, name.range);
      } else if (name.type == TokenType::kStar) {
        Fail(name,
             "Nested splat expression not allowed: a splat expression (*) cannot be used "
             "inside another attribute-only splat expression");
        return source;
      } else {
        Fail(name, "Invalid attribute name: an attribute name is required after a dot");
        return source;
      }
      last = name.range;
      steps.push_back(std::move(step));
    }
    Range item_range = item->range;
    if (steps.empty()) {
      each = std::move(item);
    } else {
      auto rel = Node<RelativeTraversalExpr>(Range{first_step_start, last.end});
      rel->source = std::move(item);
      rel->steps = std::move(steps);
      each = std::move(rel);
    }
    auto splat = Node<SplatExpr>(Range{from_start, last.end});
    splat->attr_only = true;
    splat->marker_range = item_range;
    splat->source = std::move(source);
    splat->each = std::move(each);
    return splat;
  }

  void CheckNumber(const Token& tok) {
    if (!ParseDouble(Text(tok))) {
      AddError(tok.range.start,
               "Invalid number literal: failed to recognize the value of this "
               "number literal");
    }
  }

  ExprPtr ParseTerm() {
    const Token& start = Peek();
    switch (start.type) {
      case TokenType::kOParen: {
        const Token& open = Read();
        NewlineScope scope(this, false);
        ExprPtr inner = ParseExpr();
        if (failed_) return inner;
        const Token& close = Peek();
        if (close.type != TokenType::kCParen) {
          Fail(close,
               "Unbalanced parentheses: expected a closing parenthesis to terminate the "
               "expression");
          return inner;
        }
        Read();
        auto node = Node<ParenthesesExpr>(Between(open.range, close.range));
        node->inner = std::move(inner);
        return node;
      }
      case TokenType::kNumberLit: {
        const Token& tok = Read();
        CheckNumber(tok);
        auto lit = Node<LiteralExpr>(tok.range);
        lit->value.kind = LiteralKind::kNumber;
        lit->value.text = std::string(Text(tok));
        return lit;
      }
      case TokenType::kIdent: {
        const Token& tok = Read();
        TokenType after = Peek().type;
        if (after == TokenType::kOParen || after == TokenType::kDoubleColon) {
          return ParseFunctionCall(tok);
        }
        std::string_view name = Text(tok);
        if (name == "true" || name == "false" || name == "null") {
          auto lit = Node<LiteralExpr>(tok.range);
          lit->value.kind = name == "null" ? LiteralKind::kNull : LiteralKind::kBool;
          lit->value.bool_value = name == "true";
          return lit;
        }
        auto trav = Node<ScopeTraversalExpr>(tok.range);
        trav->root = std::string(name);
        trav->root_range = tok.range;
        return trav;
      }
      case TokenType::kOQuote:
      case TokenType::kOHeredoc: {
        const Token& open = Read();
        bool heredoc = open.type == TokenType::kOHeredoc;
        bool flush = heredoc && Text(open).substr(0, 3) == "<<-";
        return ParseTemplateBody(heredoc ? TokenType::kCHeredoc : TokenType::kCQuote, open, heredoc,
                                 flush);
      }
      case TokenType::kMinus:
      case TokenType::kBang: {
        const Token& tok = Read();
        DepthScope depth(this);
        if (TooDeep(tok)) return Placeholder(tok);
        // Binds tighter than any binary operator: -4+5 is (-4)+5.
        ExprPtr operand = ParseTermWithTraversals();
        if (failed_) return operand;
        auto node = Node<UnaryExpr>(Between(tok.range, operand->range));
        node->op = start.type == TokenType::kMinus ? UnaryOp::kNegate : UnaryOp::kNot;
        node->operand = std::move(operand);
        return node;
      }
      case TokenType::kOBrack:
        return ParseTuple();
      case TokenType::kOBrace:
        return ParseObject();
      case TokenType::kEOF:
        Fail(start,
             "Missing expression: expected the start of an expression, but found the end "
             "of the file");
        return Placeholder(start);
      default:
        Fail(start,
             "Invalid expression: expected the start of an expression, but found an "
             "invalid expression token");
        return Placeholder(start);
    }
  }

  ExprPtr ParseFunctionCall(const Token& name) {
    auto call = Node<FunctionCallExpr>(name.range);
    call->name = std::string(Text(name));
    call->name_range = name.range;
    while (Peek().type == TokenType::kDoubleColon) {
      Read();
      const Token& part = Read();
      if (part.type != TokenType::kIdent) {
        Fail(part,
             "Missing function name: function scope resolution symbol :: must be followed "
             "by a function name in this scope");
        return call;
      }
      call->name += "::";
      call->name += Text(part);
      call->name_range.end = part.range.end;
    }
    const Token& open = Read();
    if (open.type != TokenType::kOParen) {
      Fail(open,
           "Missing open parenthesis: function selector must be followed by an open "
           "parenthesis to begin the function call");
      return call;
    }
    NewlineScope scope(this, false);
    while (true) {
      if (Peek().type == TokenType::kCParen) {
        Read();
        break;
      }
      ExprPtr arg = ParseExpr();
      if (failed_) return call;
      call->args.push_back(std::move(arg));
      const Token& sep = Read();
      if (sep.type == TokenType::kCParen) break;
      if (sep.type == TokenType::kEllipsis) {
        call->expand_final = true;
        const Token& close = Read();
        if (close.type != TokenType::kCParen) {
          Fail(sep,
               "Missing closing parenthesis: an expanded function argument (with ...) must "
               "be immediately followed by closing parentheses");
          return call;
        }
        break;
      }
      if (sep.type == TokenType::kEOF) {
        Fail(name,
             "Unterminated function call: there is no closing parenthesis for this "
             "function call before the end of the file");
        return call;
      }
      if (sep.type != TokenType::kComma) {
        Fail(sep,
             "Missing argument separator: a comma is required to separate each function "
             "argument from the next");
        return call;
      }
    }
    call->range.end = Prev().range.end;
    return call;
  }

  ExprPtr ParseTuple() {
    const Token& open = Read();
    NewlineScope scope(this, false);
    if (IsKeyword(Peek(), "for")) return ParseFor(open);
    auto tuple = Node<TupleExpr>(open.range);
    while (true) {
      if (Peek().type == TokenType::kCBrack) break;
      ExprPtr elem = ParseExpr();
      if (failed_) return tuple;
      tuple->elements.push_back(std::move(elem));
      const Token& next = Peek();
      if (next.type == TokenType::kCBrack) break;
      if (next.type == TokenType::kComma) {
        Read();
        continue;
      }
      if (next.type == TokenType::kEOF) {
        Fail(open,
             "Unterminated tuple constructor expression: there is no corresponding closing "
             "bracket before the end of the file");
      } else {
        Fail(next,
             "Missing item separator: expected a comma to mark the beginning of the next "
             "item");
      }
      return tuple;
    }
    tuple->range.end = Read().range.end;
    return tuple;
  }

  ExprPtr ParseObject() {
    const Token& open = Read();
    bool is_for;
    {
      NewlineScope scope(this, false);
      is_for = IsKeyword(Peek(), "for");
    }
    if (is_for) {
      NewlineScope scope(this, false);
      return ParseFor(open);
    }
    NewlineScope scope(this, true);
    auto object = Node<ObjectExpr>(open.range);
    while (true) {
      const Token& next = Peek();
      if (next.type == TokenType::kNewline) {
        Read();
        continue;
      }
      if (next.type == TokenType::kCBrace) break;
      ObjectItem item;
      item.key_parenthesized = next.type == TokenType::kOParen;
      item.key = ParseExpr();
      if (failed_) return object;
      const Token& sep = Peek();
      if (sep.type != TokenType::kEqual && sep.type != TokenType::kColon) {
        switch (sep.type) {
          case TokenType::kNewline:
          case TokenType::kComma:
            Fail(sep,
                 "Missing attribute value: expected an attribute value, introduced by an "
                 "equals sign (\"=\")");
            break;
          case TokenType::kEOF:
            Fail(open,
                 "Unterminated object constructor expression: there is no corresponding "
                 "closing brace before the end of the file");
            break;
          default:
            Fail(sep,
                 "Missing key/value separator: expected an equals sign (\"=\") to mark the "
                 "beginning of the attribute value");
        }
        return object;
      }
      Read();
      item.value = ParseExpr();
      if (failed_) return object;
      object->items.push_back(std::move(item));
      const Token& after = Peek();
      if (after.type == TokenType::kCBrace) break;
      if (after.type == TokenType::kComma || after.type == TokenType::kNewline) {
        Read();
        continue;
      }
      if (after.type == TokenType::kEOF) {
        Fail(open,
             "Unterminated object constructor expression: there is no corresponding "
             "closing brace before the end of the file");
      } else {
        Fail(after,
             "Missing attribute separator: expected a newline or comma to mark the "
             "beginning of the next attribute");
      }
      return object;
    }
    object->range.end = Read().range.end;
    return object;
  }

  ExprPtr ParseFor(const Token& open) {
    bool object = open.type == TokenType::kOBrace;
    TokenType close_type = object ? TokenType::kCBrace : TokenType::kCBrack;
    auto node = Node<ForExpr>(open.range);
    node->object = object;
    Read();  // for
    const Token& first = Peek();
    if (first.type != TokenType::kIdent) {
      Fail(first, "Invalid 'for' expression: for expression requires variable name after 'for'");
      return node;
    }
    Read();
    node->value_var = std::string(Text(first));
    if (Peek().type == TokenType::kComma) {
      Read();
      const Token& second = Peek();
      if (second.type != TokenType::kIdent) {
        Fail(second,
             "Invalid 'for' expression: for expression requires value variable name "
             "after comma");
        return node;
      }
      Read();
      node->key_var = std::move(node->value_var);
      node->value_var = std::string(Text(second));
    }
    if (!IsKeyword(Peek(), "in")) {
      Fail(Peek(),
           "Invalid 'for' expression: for expression requires the 'in' keyword after "
           "its name declarations");
      return node;
    }
    Read();
    node->collection = ParseExpr();
    if (failed_) return node;
    if (Peek().type != TokenType::kColon) {
      Fail(Peek(),
           "Invalid 'for' expression: for expression requires a colon after the "
           "collection expression");
      return node;
    }
    Read();
    node->value = ParseExpr();
    if (failed_) return node;
    if (Peek().type == TokenType::kFatArrow) {
      Read();
      node->key = std::move(node->value);
      node->value = ParseExpr();
      if (failed_) return node;
    }
    const Token* ellipsis = nullptr;
    if (Peek().type == TokenType::kEllipsis) {
      ellipsis = &Read();
      node->group = true;
    }
    if (IsKeyword(Peek(), "if")) {
      Read();
      node->condition = ParseExpr();
      if (failed_) return node;
    }
    const Token& close = Peek();
    if (close.type != close_type) {
      Fail(close,
           "Invalid 'for' expression: extra characters after the end of the 'for' "
           "expression");
      return node;
    }
    Read();
    node->range.end = close.range.end;
    if (!object && node->key) {
      FailAt(node->key->range.start,
             "Invalid 'for' expression: key expression is not valid "
             "when building a tuple");
    } else if (!object && ellipsis) {
      Fail(*ellipsis,
           "Invalid 'for' expression: grouping ellipsis (...) cannot be used when "
           "building a tuple");
    } else if (object && !node->key) {
      FailAt(node->value->range.start,
             "Invalid 'for' expression: key expression is required "
             "when building an object");
    }
    return node;
  }

  // ---- templates ----

  // Reads template tokens up to `end` (the closing quote or heredoc marker, or EOF for a bare
  // template) after `open`, and shapes them into a TemplateExpr, or a TemplateWrapExpr when the
  // template is exactly one interpolation.
  ExprPtr ParseTemplateBody(TokenType end, const Token& open, bool heredoc, bool flush) {
    DepthScope depth(this);
    if (TooDeep(open)) return Placeholder(open);
    std::vector<TemplatePart> parts;
    Range close_range;
    if (!ReadTemplateParts(end, open, &parts, &close_range)) return Placeholder(open);
    if (flush) FlushHeredoc(&parts);
    MeldLiterals(&parts);
    bool bare = end == TokenType::kEOF;
    Range range =
        bare ? Range{open.range.start, close_range.start} : Between(open.range, close_range);
    if (parts.size() == 1 && parts[0].kind == TemplatePart::Kind::kInterp) {
      auto wrap = Node<TemplateWrapExpr>(range);
      wrap->wrapped = std::move(parts[0].expr);
      return wrap;
    }
    auto tmpl = Node<TemplateExpr>(range);
    tmpl->heredoc = heredoc;
    size_t i = 0;
    tmpl->parts = BuildTemplate(&parts, &i, nullptr);
    return tmpl;
  }

  bool ReadTemplateParts(TokenType end, const Token& open, std::vector<TemplatePart>* parts,
                         Range* close_range) {
    Range start_range = Peek().range;
    bool ltrim_next = false;
    bool next_can_trim_prev = false;
    bool quoted = end == TokenType::kCQuote;
    while (true) {
      const Token& tok = Read();
      if (tok.type == end) {
        *close_range = tok.range;
        break;
      }
      bool ltrim = std::exchange(ltrim_next, false);
      bool can_trim_prev = std::exchange(next_can_trim_prev, false);
      switch (tok.type) {
        case TokenType::kQuotedLit:
        case TokenType::kStringLit: {
          TemplatePart part;
          part.range = tok.range;
          DecodeLiteral(tok, tok.type == TokenType::kQuotedLit, &part.value);
          if (ltrim) part.value.erase(0, LeadingSpaceBytes(part.value));
          parts->push_back(std::move(part));
          next_can_trim_prev = true;
          break;
        }
        case TokenType::kTemplateInterp:
        case TokenType::kTemplateControl: {
          std::string_view opener = Text(tok);
          if (can_trim_prev && opener.size() == 3 && !parts->empty() &&
              parts->back().kind == TemplatePart::Kind::kLiteral) {
            std::string& prev = parts->back().value;
            prev.resize(prev.size() - TrailingSpaceBytes(prev));
          }
          NewlineScope scope(this, false);
          TemplatePart part;
          if (tok.type == TokenType::kTemplateInterp) {
            part.kind = TemplatePart::Kind::kInterp;
            part.expr = ParseExpr();
            if (failed_) return false;
          } else if (!ReadDirective(&part)) {
            return false;
          }
          const Token& close = Peek();
          if (close.type != TokenType::kTemplateSeqEnd) {
            if (close.type == TokenType::kEOF || (quoted && (close.type == TokenType::kCQuote ||
                                                             close.type == TokenType::kOQuote))) {
              Fail(tok,
                   "Unclosed template interpolation sequence: there is no closing brace for "
                   "this sequence before the end of the template");
            } else if (part.kind == TemplatePart::Kind::kInterp) {
              Fail(close,
                   "Extra characters after interpolation expression: expected a closing "
                   "brace to end the interpolation expression (to include a literal "
                   "\"${\" escape it as \"$${\")");
            } else {
              Fail(close,
                   "Extra characters in template directive: expected a closing brace to "
                   "end the sequence");
            }
            return false;
          }
          Read();
          if (Text(close).size() == 2) ltrim_next = true;  // ~}
          part.range = Between(tok.range, close.range);
          parts->push_back(std::move(part));
          break;
        }
        default:
          if (end == TokenType::kCHeredoc) {
            Fail(open, fmt::format("Unterminated heredoc: no line containing only the closing "
                                   "marker \"{}\" before the end of the file",
                                   HeredocMarker(open)));
          } else {
            Fail(tok.type == TokenType::kEOF ? open : tok,
                 "Unterminated template string: no closing marker was found for the string");
          }
          return false;
      }
    }
    if (parts->empty()) {
      TemplatePart empty;
      empty.range = Range{start_range.start, start_range.start};
      if (end != TokenType::kEOF) empty.range = Range{open.range.end, open.range.end};
      parts->push_back(std::move(empty));
    }
    return true;
  }

  std::string_view HeredocMarker(const Token& open) const {
    std::string_view text = Text(open).substr(2);
    if (!text.empty() && text[0] == '-') text.remove_prefix(1);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
    return text;
  }

  // After %{ : if, else, endif, for, endfor.
  bool ReadDirective(TemplatePart* part) {
    const Token& kw = Peek();
    if (kw.type != TokenType::kIdent) {
      Fail(kw,
           "Invalid template directive: a template directive keyword (\"if\", \"for\", etc) "
           "is expected at the beginning of a %{ sequence");
      return false;
    }
    Read();
    std::string_view word = Text(kw);
    if (word == "if") {
      part->kind = TemplatePart::Kind::kIf;
      part->expr = ParseExpr();
      return !failed_;
    }
    if (word == "else") {
      part->kind = TemplatePart::Kind::kElse;
      return true;
    }
    if (word == "endif") {
      part->kind = TemplatePart::Kind::kEndIf;
      return true;
    }
    if (word == "endfor") {
      part->kind = TemplatePart::Kind::kEndFor;
      return true;
    }
    if (word == "for") {
      part->kind = TemplatePart::Kind::kFor;
      const Token& first = Peek();
      if (first.type != TokenType::kIdent) {
        Fail(first, "Invalid 'for' directive: for directive requires variable name after 'for'");
        return false;
      }
      Read();
      part->value_var = std::string(Text(first));
      if (Peek().type == TokenType::kComma) {
        Read();
        const Token& second = Peek();
        if (second.type != TokenType::kIdent) {
          Fail(second,
               "Invalid 'for' directive: for directive requires value variable name "
               "after comma");
          return false;
        }
        Read();
        part->key_var = std::move(part->value_var);
        part->value_var = std::string(Text(second));
      }
      if (!IsKeyword(Peek(), "in")) {
        Fail(Peek(), "Invalid 'for' directive: for directive requires 'in' keyword after names");
        return false;
      }
      Read();
      part->expr = ParseExpr();
      return !failed_;
    }
    Fail(kw, fmt::format("Invalid template control keyword: \"{}\" is not a valid template "
                         "control keyword (if, else, endif, for, endfor)",
                         word));
    return false;
  }

  // <<- heredocs: remove the smallest indentation found at the start of any line from every
  // line. Works on the literal chunks as the lexer split them, like hclsyntax: a line whose first
  // chunk is not literal text counts as indented by zero.
  static void FlushHeredoc(std::vector<TemplatePart>* parts) {
    constexpr size_t kNone = std::numeric_limits<size_t>::max();
    size_t min_spaces = kNone;
    bool newline = true;
    std::vector<TemplatePart*> adjust;
    for (TemplatePart& part : *parts) {
      bool literal = part.kind == TemplatePart::Kind::kLiteral;
      if (newline) {
        newline = false;
        size_t spaces = 0;
        if (literal) {
          size_t lead = LeadingSpaceBytes(part.value);
          if (lead == part.value.size() && !part.value.empty() && part.value.back() == '\n') {
            spaces = kNone;  // a blank line does not count
          } else {
            spaces = CountCodePoints(std::string_view(part.value).substr(0, lead));
            adjust.push_back(&part);
          }
        }
        min_spaces = std::min(min_spaces, spaces);
      }
      if (literal && !part.value.empty() && part.value.back() == '\n') newline = true;
    }
    if (min_spaces == kNone || min_spaces == 0) return;
    for (TemplatePart* part : adjust) {
      size_t bytes = 0;
      for (size_t n = 0; n < min_spaces && bytes < part->value.size(); ++n) {
        bytes += DecodeUtf8(part->value, bytes).length;
      }
      part->value.erase(0, bytes);
      part->range.start.column += static_cast<uint32_t>(min_spaces);
      part->range.start.offset += static_cast<uint32_t>(bytes);
    }
  }

  static void MeldLiterals(std::vector<TemplatePart>* parts) {
    std::vector<TemplatePart> out;
    out.reserve(parts->size());
    for (TemplatePart& part : *parts) {
      if (!out.empty() && part.kind == TemplatePart::Kind::kLiteral &&
          out.back().kind == TemplatePart::Kind::kLiteral) {
        out.back().value += part.value;
        out.back().range.end = part.range.end;
        continue;
      }
      out.push_back(std::move(part));
    }
    *parts = std::move(out);
  }

  ExprPtr EmptyTemplateAt(const Position& at) {
    auto tmpl = Node<TemplateExpr>(Range{at, at});
    auto lit = Node<LiteralExpr>(Range{at, at});
    lit->value.kind = LiteralKind::kString;
    tmpl->parts.push_back(std::move(lit));
    return tmpl;
  }

  ExprPtr SequenceTemplate(std::vector<ExprPtr> seq, const Position& empty_at) {
    if (seq.empty()) return EmptyTemplateAt(empty_at);
    auto tmpl = Node<TemplateExpr>(Range{seq.front()->range.start, seq.back()->range.end});
    tmpl->parts = std::move(seq);
    return tmpl;
  }

  // Shapes parts[*i..] into expressions until a directive that `stop` accepts (left unread).
  std::vector<ExprPtr> BuildTemplate(std::vector<TemplatePart>* parts, size_t* i,
                                     const TemplatePart* opener) {
    std::vector<ExprPtr> out;
    while (*i < parts->size() && !failed_) {
      TemplatePart& part = (*parts)[*i];
      switch (part.kind) {
        case TemplatePart::Kind::kLiteral: {
          auto lit = Node<LiteralExpr>(part.range);
          lit->value.kind = LiteralKind::kString;
          lit->value.text = std::move(part.value);
          out.push_back(std::move(lit));
          ++*i;
          break;
        }
        case TemplatePart::Kind::kInterp:
          out.push_back(std::move(part.expr));
          ++*i;
          break;
        case TemplatePart::Kind::kIf: {
          DepthScope depth(this);
          if (TooDeep(part.range.start)) return out;
          ++*i;
          auto node = Node<TemplateIfExpr>(part.range);
          node->condition = std::move(part.expr);
          std::vector<ExprPtr> then_seq = BuildTemplate(parts, i, &part);
          node->then_part = SequenceTemplate(std::move(then_seq), part.range.end);
          if (failed_) return out;
          if (*i < parts->size() && (*parts)[*i].kind == TemplatePart::Kind::kElse) {
            TemplatePart& else_part = (*parts)[(*i)++];
            std::vector<ExprPtr> else_seq = BuildTemplate(parts, i, &else_part);
            if (failed_) return out;
            Position at = *i < parts->size() ? (*parts)[*i].range.start : else_part.range.end;
            node->else_part = SequenceTemplate(std::move(else_seq), at);
          }
          if (*i >= parts->size() || (*parts)[*i].kind != TemplatePart::Kind::kEndIf) {
            UnbalancedDirective(parts, *i, part, "endif");
            return out;
          }
          node->range.end = (*parts)[(*i)++].range.end;
          out.push_back(std::move(node));
          break;
        }
        case TemplatePart::Kind::kFor: {
          DepthScope depth(this);
          if (TooDeep(part.range.start)) return out;
          ++*i;
          auto node = Node<TemplateForExpr>(part.range);
          node->key_var = std::move(part.key_var);
          node->value_var = std::move(part.value_var);
          node->collection = std::move(part.expr);
          std::vector<ExprPtr> body = BuildTemplate(parts, i, &part);
          if (failed_) return out;
          node->body = SequenceTemplate(std::move(body), part.range.end);
          if (*i >= parts->size() || (*parts)[*i].kind != TemplatePart::Kind::kEndFor) {
            UnbalancedDirective(parts, *i, part, "endfor");
            return out;
          }
          node->range.end = (*parts)[(*i)++].range.end;
          out.push_back(std::move(node));
          break;
        }
        case TemplatePart::Kind::kElse:
        case TemplatePart::Kind::kEndIf:
        case TemplatePart::Kind::kEndFor: {
          bool expected = opener != nullptr && ((opener->kind == TemplatePart::Kind::kIf &&
                                                 part.kind != TemplatePart::Kind::kEndFor) ||
                                                (opener->kind == TemplatePart::Kind::kElse &&
                                                 part.kind == TemplatePart::Kind::kEndIf) ||
                                                (opener->kind == TemplatePart::Kind::kFor &&
                                                 part.kind == TemplatePart::Kind::kEndFor));
          if (expected) return out;
          UnexpectedDirective(part);
          return out;
        }
      }
    }
    return out;
  }

  static std::string_view DirectiveName(TemplatePart::Kind kind) {
    switch (kind) {
      case TemplatePart::Kind::kElse:
        return "else";
      case TemplatePart::Kind::kEndIf:
        return "endif";
      case TemplatePart::Kind::kEndFor:
        return "endfor";
      case TemplatePart::Kind::kIf:
        return "if";
      case TemplatePart::Kind::kFor:
        return "for";
      default:
        return "interpolation";
    }
  }

  void FailAt(const Position& at, std::string message) {
    if (failed_) return;
    failed_ = true;
    AddError(at, std::move(message));
  }

  void UnexpectedDirective(const TemplatePart& part) {
    FailAt(part.range.start,
           fmt::format("Unexpected {} directive: the control directives within this template are "
                       "unbalanced",
                       DirectiveName(part.kind)));
  }

  void UnbalancedDirective(std::vector<TemplatePart>* parts, size_t i, const TemplatePart& open,
                           std::string_view want) {
    if (failed_) return;
    if (i < parts->size()) {
      FailAt((*parts)[i].range.start,
             fmt::format("Unexpected {} directive: expecting an {} directive for the {} started "
                         "at {}:{}",
                         DirectiveName((*parts)[i].kind), want, DirectiveName(open.kind),
                         open.range.start.line, open.range.start.column));
    } else {
      FailAt(open.range.start,
             fmt::format("Unexpected end of template: the {} directive is missing its "
                         "corresponding {} directive",
                         DirectiveName(open.kind), want));
    }
  }

  const std::string& source_;
  const std::string& filename_;
  ParseOptions options_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  std::vector<bool> newlines_;
  std::vector<Error> errors_;
  size_t dropped_errors_ = 0;
  bool failed_ = false;
  size_t depth_ = 0;
};

}  // namespace

File Parse(std::string source, std::string filename, const ParseOptions& options) {
  File file;
  file.filename = std::move(filename);
  file.source = std::move(source);
  Parser parser(file.source, file.filename, options, LexMode::kConfig);
  file.body = parser.ParseFileBody();
  file.errors = parser.TakeErrors();
  return file;
}

ParsedExpression ParseExpression(std::string source, std::string filename,
                                 const ParseOptions& options) {
  ParsedExpression out;
  out.filename = std::move(filename);
  out.source = std::move(source);
  Parser parser(out.source, out.filename, options, LexMode::kConfig);
  out.expr = parser.ParseWholeExpression();
  out.errors = parser.TakeErrors();
  return out;
}

ParsedExpression ParseTemplate(std::string source, std::string filename,
                               const ParseOptions& options) {
  ParsedExpression out;
  out.filename = std::move(filename);
  out.source = std::move(source);
  Parser parser(out.source, out.filename, options, LexMode::kTemplate);
  out.expr = parser.ParseWholeTemplate();
  out.errors = parser.TakeErrors();
  return out;
}

}  // namespace ecsguard::ingest::hcl
