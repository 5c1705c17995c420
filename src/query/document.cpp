#include "query/document.h"

#include <fmt/format.h>

#include <charconv>

#include "graph/graphql_lexer.h"

namespace ecsguard::query {
namespace {

using graph::Token;
using graph::TokenKind;

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : toks_(std::move(tokens)) {}

  Result<Document> Run() {
    Document doc;
    if (Peek().kind == TokenKind::kEnd) return Fail("Unexpected <EOF>.");
    while (Peek().kind != TokenKind::kEnd) {
      const Token& t = Peek();
      if (t.Is("{")) {
        Operation op;
        op.kind = "query";
        op.pos = PosOf(t);
        RETURN_IF_ERROR(ParseSelectionSet(&op.selection_set));
        doc.operations.push_back(std::move(op));
      } else if (t.IsName("query") || t.IsName("mutation") || t.IsName("subscription")) {
        Operation op;
        RETURN_IF_ERROR(ParseOperation(&op));
        doc.operations.push_back(std::move(op));
      } else if (t.IsName("fragment")) {
        Fragment f;
        RETURN_IF_ERROR(ParseFragment(&f));
        doc.fragments.push_back(std::move(f));
      } else if (IsTypeSystemKeyword(t)) {
        return Error(ErrorCode::kUnsupported,
                     fmt::format("{} is not an executable definition; a stored check is a query",
                                 Describe(t)),
                     Loc(t));
      } else {
        return Fail(fmt::format("Unexpected {}.", Describe(t)));
      }
    }
    return doc;
  }

 private:
  const Token& Peek() const { return toks_[pos_]; }
  const Token& Next() { return toks_[pos_ + 1 < toks_.size() ? pos_++ : pos_]; }
  static bool IsTypeSystemKeyword(const Token& t) {
    for (std::string_view kw : {"type", "interface", "schema", "scalar", "enum", "input", "union",
                                "directive", "extend"}) {
      if (t.IsName(kw)) return true;
    }
    return false;
  }
  static Pos PosOf(const Token& t) { return Pos{t.line, t.column}; }
  static SourceLocation Loc(const Token& t) { return SourceLocation{"", t.line, t.column}; }

  static std::string Describe(const Token& t) {
    switch (t.kind) {
      case TokenKind::kEnd:
        return "<EOF>";
      case TokenKind::kString:
        return fmt::format("string \"{}\"", t.text);
      case TokenKind::kName:
        return fmt::format("Name \"{}\"", t.text);
      case TokenKind::kInt:
        return fmt::format("Int \"{}\"", t.text);
      case TokenKind::kFloat:
        return fmt::format("Float \"{}\"", t.text);
      case TokenKind::kPunct:
        return fmt::format("\"{}\"", t.text);
    }
    return "token";
  }

  Error Fail(std::string message) const {
    return Error(ErrorCode::kParse, "Syntax Error: " + std::move(message), Loc(Peek()));
  }

  Result<void> Expect(std::string_view punct) {
    if (!Peek().Is(punct)) {
      return Fail(fmt::format("Expected \"{}\", found {}.", punct, Describe(Peek())));
    }
    Next();
    return Ok{};
  }

  Result<std::string> ExpectName() {
    if (Peek().kind != TokenKind::kName) {
      return Fail(fmt::format("Expected Name, found {}.", Describe(Peek())));
    }
    return Next().text;
  }

  // Counts one level of nesting for the duration of a scope.
  class DepthGuard {
   public:
    explicit DepthGuard(int* depth) : depth_(depth) { ++*depth_; }
    ~DepthGuard() { --*depth_; }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;

   private:
    int* depth_;
  };
  Result<void> CheckDepth() const {
    if (depth_ > kMaxNestingDepth) {
      return Error(
          ErrorCode::kParse,
          fmt::format("Syntax Error: the document nests deeper than {} levels", kMaxNestingDepth),
          Loc(Peek()));
    }
    return Ok{};
  }

  Result<void> ParseOperation(Operation* op) {
    op->pos = PosOf(Peek());
    op->kind = Next().text;
    if (Peek().kind == TokenKind::kName) op->name = Next().text;
    if (Peek().Is("(")) {
      Next();
      if (Peek().Is(")")) return Fail("Expected \"$\", found \")\".");
      while (!Peek().Is(")")) {
        VariableDefinition def;
        def.pos = PosOf(Peek());
        RETURN_IF_ERROR(Expect("$"));
        ASSIGN_OR_RETURN(def.name, ExpectName());
        RETURN_IF_ERROR(Expect(":"));
        ASSIGN_OR_RETURN(def.type, ParseType());
        if (Peek().Is("=")) {
          Next();
          ASSIGN_OR_RETURN(Input value, ParseValue(/*is_const=*/true));
          def.default_value = std::move(value);
        }
        std::vector<Directive> ignored;
        RETURN_IF_ERROR(ParseDirectives(&ignored));
        op->variables.push_back(std::move(def));
      }
      Next();
    }
    RETURN_IF_ERROR(ParseDirectives(&op->directives));
    if (!Peek().Is("{")) return Fail(fmt::format("Expected \"{{\", found {}.", Describe(Peek())));
    return ParseSelectionSet(&op->selection_set);
  }

  Result<void> ParseFragment(Fragment* f) {
    f->pos = PosOf(Peek());
    Next();  // fragment
    if (Peek().IsName("on")) return Fail("Unexpected Name \"on\".");
    ASSIGN_OR_RETURN(f->name, ExpectName());
    if (!Peek().IsName("on"))
      return Fail(fmt::format("Expected \"on\", found {}.", Describe(Peek())));
    Next();
    ASSIGN_OR_RETURN(f->type_condition, ExpectName());
    RETURN_IF_ERROR(ParseDirectives(&f->directives));
    if (!Peek().Is("{")) return Fail(fmt::format("Expected \"{{\", found {}.", Describe(Peek())));
    return ParseSelectionSet(&f->selection_set);
  }

  Result<TypeRef> ParseType() {
    DepthGuard guard(&depth_);
    RETURN_IF_ERROR(CheckDepth());
    TypeRef type;
    if (Peek().Is("[")) {
      Next();
      ASSIGN_OR_RETURN(TypeRef item, ParseType());
      RETURN_IF_ERROR(Expect("]"));
      type = TypeRef::ListOf(std::move(item));
    } else {
      ASSIGN_OR_RETURN(std::string name, ExpectName());
      type = TypeRef::Named(std::move(name));
    }
    if (Peek().Is("!")) {
      Next();
      type = TypeRef::NonNull(std::move(type));
    }
    return type;
  }

  Result<void> ParseSelectionSet(SelectionSet* set) {
    DepthGuard guard(&depth_);
    RETURN_IF_ERROR(CheckDepth());
    set->pos = PosOf(Peek());
    RETURN_IF_ERROR(Expect("{"));
    if (Peek().Is("}")) return Fail("Expected Name, found \"}\".");
    while (!Peek().Is("}")) {
      Selection sel;
      sel.pos = PosOf(Peek());
      if (Peek().Is("...")) {
        Next();
        if (Peek().kind == TokenKind::kName && !Peek().IsName("on")) {
          sel.kind = Selection::Kind::kFragmentSpread;
          sel.name = Next().text;
          RETURN_IF_ERROR(ParseDirectives(&sel.directives));
        } else {
          sel.kind = Selection::Kind::kInlineFragment;
          if (Peek().IsName("on")) {
            Next();
            ASSIGN_OR_RETURN(sel.type_condition, ExpectName());
          }
          RETURN_IF_ERROR(ParseDirectives(&sel.directives));
          if (!Peek().Is("{")) {
            return Fail(fmt::format("Expected \"{{\", found {}.", Describe(Peek())));
          }
          sel.selection_set = std::make_unique<SelectionSet>();
          RETURN_IF_ERROR(ParseSelectionSet(sel.selection_set.get()));
        }
      } else {
        sel.kind = Selection::Kind::kField;
        ASSIGN_OR_RETURN(sel.name, ExpectName());
        if (Peek().Is(":")) {
          Next();
          sel.alias = std::move(sel.name);
          ASSIGN_OR_RETURN(sel.name, ExpectName());
        }
        RETURN_IF_ERROR(ParseArguments(&sel.arguments, /*is_const=*/false));
        RETURN_IF_ERROR(ParseDirectives(&sel.directives));
        if (Peek().Is("{")) {
          sel.selection_set = std::make_unique<SelectionSet>();
          RETURN_IF_ERROR(ParseSelectionSet(sel.selection_set.get()));
        }
      }
      set->selections.push_back(std::move(sel));
    }
    Next();
    return Ok{};
  }

  Result<void> ParseArguments(std::vector<Argument>* args, bool is_const) {
    if (!Peek().Is("(")) return Ok{};
    Next();
    if (Peek().Is(")")) return Fail("Expected Name, found \")\".");
    while (!Peek().Is(")")) {
      Argument arg;
      arg.pos = PosOf(Peek());
      ASSIGN_OR_RETURN(arg.name, ExpectName());
      RETURN_IF_ERROR(Expect(":"));
      ASSIGN_OR_RETURN(arg.value, ParseValue(is_const));
      args->push_back(std::move(arg));
    }
    Next();
    return Ok{};
  }

  Result<void> ParseDirectives(std::vector<Directive>* out) {
    while (Peek().Is("@")) {
      Directive d;
      d.pos = PosOf(Peek());
      Next();
      ASSIGN_OR_RETURN(d.name, ExpectName());
      RETURN_IF_ERROR(ParseArguments(&d.arguments, /*is_const=*/false));
      out->push_back(std::move(d));
    }
    return Ok{};
  }

  Result<Input> ParseValue(bool is_const) {
    DepthGuard guard(&depth_);
    RETURN_IF_ERROR(CheckDepth());
    const Token& t = Peek();
    Input v;
    v.pos = PosOf(t);
    switch (t.kind) {
      case TokenKind::kInt: {
        v.kind = Input::Kind::kInt;
        v.text = t.text;
        auto [end, ec] = std::from_chars(t.text.data(), t.text.data() + t.text.size(), v.integer);
        if (ec != std::errc()) {
          // Beyond 64 bits: kept as its text; coercion to Int rejects it, ID and Float accept it.
          v.integer = 0;
          v.number = 0;
        }
        std::from_chars(t.text.data(), t.text.data() + t.text.size(), v.number);
        Next();
        return v;
      }
      case TokenKind::kFloat: {
        v.kind = Input::Kind::kFloat;
        v.text = t.text;
        std::from_chars(t.text.data(), t.text.data() + t.text.size(), v.number);
        Next();
        return v;
      }
      case TokenKind::kString:
        v.kind = Input::Kind::kString;
        v.text = t.text;
        Next();
        return v;
      case TokenKind::kName:
        if (t.text == "true" || t.text == "false") {
          v.kind = Input::Kind::kBool;
          v.boolean = t.text == "true";
        } else if (t.text == "null") {
          v.kind = Input::Kind::kNull;
        } else {
          v.kind = Input::Kind::kEnum;
          v.text = t.text;
        }
        Next();
        return v;
      case TokenKind::kPunct:
        if (t.Is("$")) {
          if (is_const) return Fail("Unexpected variable in a constant value.");
          Next();
          v.kind = Input::Kind::kVariable;
          ASSIGN_OR_RETURN(v.text, ExpectName());
          return v;
        }
        if (t.Is("[")) {
          v.kind = Input::Kind::kList;
          Next();
          while (!Peek().Is("]")) {
            ASSIGN_OR_RETURN(Input item, ParseValue(is_const));
            v.items.push_back(std::move(item));
          }
          Next();
          return v;
        }
        if (t.Is("{")) {
          v.kind = Input::Kind::kObject;
          Next();
          while (!Peek().Is("}")) {
            Input::Field field;
            field.pos = PosOf(Peek());
            ASSIGN_OR_RETURN(field.name, ExpectName());
            RETURN_IF_ERROR(Expect(":"));
            ASSIGN_OR_RETURN(field.value, ParseValue(is_const));
            v.fields.push_back(std::move(field));
          }
          Next();
          return v;
        }
        break;
      case TokenKind::kEnd:
        break;
    }
    return Fail(fmt::format("Unexpected {}.", Describe(t)));
  }

  std::vector<Token> toks_;
  size_t pos_ = 0;
  int depth_ = 0;
};

}  // namespace

std::string TypeRef::ToString() const {
  if (non_null) return of->ToString() + "!";
  if (name.empty()) return "[" + of->ToString() + "]";
  return name;
}

TypeRef TypeRef::Clone() const {
  TypeRef copy;
  copy.name = name;
  copy.non_null = non_null;
  if (of) copy.of = std::make_unique<TypeRef>(of->Clone());
  return copy;
}

TypeRef TypeRef::Named(std::string name) {
  TypeRef t;
  t.name = std::move(name);
  return t;
}

TypeRef TypeRef::ListOf(TypeRef item) {
  TypeRef t;
  t.of = std::make_unique<TypeRef>(std::move(item));
  return t;
}

TypeRef TypeRef::NonNull(TypeRef inner) {
  TypeRef t;
  t.non_null = true;
  t.of = std::make_unique<TypeRef>(std::move(inner));
  return t;
}

const Fragment* Document::FindFragment(std::string_view name) const {
  for (const Fragment& f : fragments) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

Result<Document> ParseDocument(std::string_view text, uint32_t first_line_shift) {
  // Positions on line 1 move left by `first_line_shift` so that they refer to the text before
  // a prefix was added (the "{" of a bare selection).
  auto shift = [first_line_shift](uint32_t line, uint32_t column) {
    return line == 1 && column > first_line_shift ? column - first_line_shift : column;
  };
  auto tokens = graph::Tokenize(text);
  if (!tokens.ok()) {
    const Error& e = tokens.error();
    return Error(
        e.code(), e.message(),
        SourceLocation{"", e.location().line, shift(e.location().line, e.location().column)});
  }
  for (Token& t : *tokens) t.column = shift(t.line, t.column);
  return Parser(std::move(tokens).value()).Run();
}

std::string PrintInput(const Input& v) {
  switch (v.kind) {
    case Input::Kind::kNull:
      return "null";
    case Input::Kind::kBool:
      return v.boolean ? "true" : "false";
    case Input::Kind::kInt:
      return v.from_variable ? std::to_string(v.integer) : v.text;
    case Input::Kind::kFloat:
      return v.from_variable ? fmt::format("{}", v.number) : v.text;
    case Input::Kind::kEnum:
      return v.text;
    case Input::Kind::kVariable:
      return "$" + v.text;
    case Input::Kind::kString: {
      std::string out = "\"";
      for (char c : v.text) {
        if (c == '"' || c == '\\') out.push_back('\\');
        out.push_back(c);
      }
      return out + "\"";
    }
    case Input::Kind::kList: {
      std::string out = "[";
      for (size_t i = 0; i < v.items.size(); ++i) {
        if (i) out += ", ";
        out += PrintInput(v.items[i]);
      }
      return out + "]";
    }
    case Input::Kind::kObject: {
      std::string out = "{";
      for (size_t i = 0; i < v.fields.size(); ++i) {
        if (i) out += ", ";
        out += v.fields[i].name + ": " + PrintInput(v.fields[i].value);
      }
      return out + "}";
    }
  }
  return "";
}

// QUERY-LANGUAGE §1.5: 125 stored checks are a bare selection without the outer braces.
Result<Document> ParseStoredCheck(std::string_view text) {
  auto doc = ParseDocument(text);
  if (doc.ok() || doc.error().code() != ErrorCode::kParse) return doc;
  auto tokens = graph::Tokenize(text);
  if (!tokens.ok()) return doc;
  const graph::Token& first = tokens->front();
  if (first.kind != graph::TokenKind::kName || first.IsName("query") || first.IsName("mutation") ||
      first.IsName("subscription") || first.IsName("fragment")) {
    return doc;  // not a bare selection: the first error is the one to report
  }
  // "\n}" so that a trailing comment cannot swallow the closing brace.
  std::string wrapped = "{" + std::string(text) + "\n}";
  return ParseDocument(wrapped, /*first_line_shift=*/1);
}

}  // namespace ecsguard::query
