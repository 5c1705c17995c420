#include "graph/schema.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "base/strings.h"
#include "graph/graphql_lexer.h"

namespace ecsguard::graph {
namespace {

std::optional<ScalarType> BuiltinScalar(std::string_view name) {
  if (name == "ID") return ScalarType::kID;
  if (name == "String") return ScalarType::kString;
  if (name == "Int") return ScalarType::kInt;
  if (name == "Float") return ScalarType::kFloat;
  if (name == "Boolean") return ScalarType::kBoolean;
  if (name == "BigInt") return ScalarType::kBigInt;
  if (name == "DateTime" || name == "Date" || name == "LocalDateTime" || name == "Time") {
    return ScalarType::kDateTime;
  }
  return std::nullopt;
}

// Recursive-descent reader of the SDL subset a schema needs: type, interface, enum, scalar,
// input, union, directive and schema definitions, extensions, descriptions and directives.
class SdlParser {
 public:
  SdlParser(std::vector<Token> tokens, std::string_view file)
      : toks_(std::move(tokens)), file_(file) {}

  Result<void> Run(std::vector<TypeDef>* types, std::vector<std::string>* enums,
                   std::vector<std::string>* scalars) {
    while (!Peek().kind_is_end()) {
      if (Peek().tok.kind == TokenKind::kString) Next();  // description
      const Token& t = Peek().tok;
      if (t.IsName("extend")) Next();
      const Token& kw = Peek().tok;
      if (kw.IsName("type") || kw.IsName("interface")) {
        bool is_interface = kw.IsName("interface");
        Next();
        TypeDef def;
        def.is_interface = is_interface;
        ASSIGN_OR_RETURN(def.name, ExpectName());
        def.label = def.name;
        if (Peek().tok.IsName("implements")) {
          Next();
          if (Peek().tok.Is("&")) Next();
          while (Peek().tok.kind == TokenKind::kName && !Peek().tok.IsName("implements")) {
            def.interfaces.push_back(Next().text);
            if (!Peek().tok.Is("&")) break;
            Next();
          }
        }
        RETURN_IF_ERROR(TypeDirectives(&def));
        if (Peek().tok.Is("{")) RETURN_IF_ERROR(Fields(&def));
        types->push_back(std::move(def));
      } else if (kw.IsName("enum")) {
        Next();
        ASSIGN_OR_RETURN(std::string name, ExpectName());
        enums->push_back(name);
        RETURN_IF_ERROR(SkipDirectives());
        if (Peek().tok.Is("{")) RETURN_IF_ERROR(SkipBalanced());
      } else if (kw.IsName("scalar")) {
        Next();
        ASSIGN_OR_RETURN(std::string name, ExpectName());
        scalars->push_back(name);
        RETURN_IF_ERROR(SkipDirectives());
      } else if (kw.IsName("input") || kw.IsName("schema")) {
        Next();
        if (Peek().tok.kind == TokenKind::kName) Next();
        RETURN_IF_ERROR(SkipDirectives());
        if (Peek().tok.Is("{")) RETURN_IF_ERROR(SkipBalanced());
      } else if (kw.IsName("union")) {
        Next();
        RETURN_IF_ERROR(ExpectName().ok() ? Result<void>() : Fail("expected a union name"));
        RETURN_IF_ERROR(SkipDirectives());
        if (Peek().tok.Is("=")) {
          Next();
          if (Peek().tok.Is("|")) Next();
          while (Peek().tok.kind == TokenKind::kName) {
            Next();
            if (!Peek().tok.Is("|")) break;
            Next();
          }
        }
      } else if (kw.IsName("directive")) {
        Next();
        if (!Peek().tok.Is("@")) return Fail("expected '@' after 'directive'");
        Next();
        RETURN_IF_ERROR(ExpectName().ok() ? Result<void>() : Fail("expected a directive name"));
        if (Peek().tok.Is("(")) RETURN_IF_ERROR(SkipBalanced());
        if (Peek().tok.IsName("repeatable")) Next();
        if (!Peek().tok.IsName("on")) return Fail("expected 'on' in directive definition");
        Next();
        if (Peek().tok.Is("|")) Next();
        while (Peek().tok.kind == TokenKind::kName) {
          Next();
          if (!Peek().tok.Is("|")) break;
          Next();
        }
      } else {
        return Fail(fmt::format("unexpected {} in schema definition", Describe(kw)));
      }
    }
    return Ok{};
  }

 private:
  struct Peeked {
    const Token& tok;
    bool kind_is_end() const { return tok.kind == TokenKind::kEnd; }
  };
  Peeked Peek() const { return {toks_[pos_]}; }
  const Token& Next() { return toks_[pos_ < toks_.size() - 1 ? pos_++ : pos_]; }

  static std::string Describe(const Token& t) {
    if (t.kind == TokenKind::kEnd) return "end of input";
    if (t.kind == TokenKind::kString) return "string";
    return fmt::format("'{}'", t.text);
  }

  Error Fail(std::string message) const {
    const Token& t = toks_[pos_];
    return Error(ErrorCode::kParse, std::move(message),
                 SourceLocation{std::string(file_), t.line, t.column});
  }

  Result<std::string> ExpectName() {
    if (Peek().tok.kind != TokenKind::kName) {
      return Fail(fmt::format("expected a name, found {}", Describe(Peek().tok)));
    }
    return Next().text;
  }

  Result<void> Expect(std::string_view punct) {
    if (!Peek().tok.Is(punct)) {
      return Fail(fmt::format("expected '{}', found {}", punct, Describe(Peek().tok)));
    }
    Next();
    return Ok{};
  }

  Result<void> SkipBalanced() {
    const std::string open = Peek().tok.text;
    const std::string close = open == "{" ? "}" : open == "(" ? ")" : "]";
    int depth = 0;
    do {
      if (Peek().kind_is_end()) return Fail(fmt::format("expected '{}'", close));
      const Token& t = Next();
      if (t.Is(open))
        ++depth;
      else if (t.Is(close))
        --depth;
    } while (depth > 0);
    return Ok{};
  }

  // Reads one directive's arguments into name -> raw token (string/name) or list of strings.
  Result<std::map<std::string, std::vector<std::string>>> DirectiveArgs() {
    std::map<std::string, std::vector<std::string>> args;
    if (!Peek().tok.Is("(")) return args;
    Next();
    while (!Peek().tok.Is(")")) {
      ASSIGN_OR_RETURN(std::string name, ExpectName());
      RETURN_IF_ERROR(Expect(":"));
      std::vector<std::string>& values = args[name];
      if (Peek().tok.Is("[")) {
        Next();
        while (!Peek().tok.Is("]")) {
          if (Peek().kind_is_end()) return Fail("expected ']'");
          values.push_back(Next().text);
        }
        Next();
      } else if (Peek().tok.Is("{")) {
        RETURN_IF_ERROR(SkipBalanced());
      } else if (Peek().kind_is_end()) {
        return Fail("expected ')'");
      } else {
        values.push_back(Next().text);
      }
    }
    Next();
    return args;
  }

  Result<void> SkipDirectives() {
    while (Peek().tok.Is("@")) {
      Next();
      RETURN_IF_ERROR(ExpectName().ok() ? Result<void>() : Fail("expected a directive name"));
      auto args = DirectiveArgs();
      if (!args.ok()) return std::move(args).error();
    }
    return Ok{};
  }

  Result<void> TypeDirectives(TypeDef* def) {
    while (Peek().tok.Is("@")) {
      Next();
      ASSIGN_OR_RETURN(std::string name, ExpectName());
      ASSIGN_OR_RETURN(auto args, DirectiveArgs());
      if (name == "node" && args.count("labels") && !args["labels"].empty()) {
        def->label = args["labels"].front();
      }
    }
    return Ok{};
  }

  Result<void> Fields(TypeDef* def) {
    RETURN_IF_ERROR(Expect("{"));
    while (!Peek().tok.Is("}")) {
      if (Peek().kind_is_end())
        return Fail(fmt::format("expected '}}' to close type {}", def->name));
      if (Peek().tok.kind == TokenKind::kString) Next();  // description
      FieldDef field;
      const Token& name_tok = Peek().tok;
      field.location = SourceLocation{std::string(file_), name_tok.line, name_tok.column};
      ASSIGN_OR_RETURN(field.name, ExpectName());
      if (Peek().tok.Is("(")) RETURN_IF_ERROR(SkipBalanced());
      RETURN_IF_ERROR(Expect(":"));
      if (Peek().tok.Is("[")) {
        Next();
        field.is_list = true;
        ASSIGN_OR_RETURN(field.type_name, ExpectName());
        if (Peek().tok.Is("!")) Next();
        RETURN_IF_ERROR(Expect("]"));
      } else {
        ASSIGN_OR_RETURN(field.type_name, ExpectName());
      }
      if (Peek().tok.Is("!")) {
        Next();
        field.non_null = true;
      }
      while (Peek().tok.Is("@")) {
        Next();
        ASSIGN_OR_RETURN(std::string directive, ExpectName());
        ASSIGN_OR_RETURN(auto args, DirectiveArgs());
        if (directive == "sensitive") field.sensitive = true;
        if (directive == "aws" && args.count("field") && !args["field"].empty()) {
          field.aws_field = args["field"].front();
        }
        if (directive == "relationship") {
          if (!args.count("type") || args["type"].empty() || !args.count("direction") ||
              args["direction"].empty()) {
            return Error(ErrorCode::kValidation,
                         fmt::format("@relationship on {}.{} needs type: and direction:", def->name,
                                     field.name),
                         field.location);
          }
          field.kind = FieldDef::Kind::kRelationship;
          field.rel_type = args["type"].front();
          const std::string& dir = args["direction"].front();
          if (dir == "OUT")
            field.direction = Direction::kOut;
          else if (dir == "IN")
            field.direction = Direction::kIn;
          else {
            return Error(ErrorCode::kValidation,
                         fmt::format("@relationship direction must be IN or OUT, not {}", dir),
                         field.location);
          }
        }
      }
      if (def->Field(field.name)) {
        return Error(ErrorCode::kValidation,
                     fmt::format("field {}.{} is defined twice", def->name, field.name),
                     field.location);
      }
      def->fields.push_back(std::move(field));
    }
    Next();
    return Ok{};
  }

  std::vector<Token> toks_;
  size_t pos_ = 0;
  std::string_view file_;
};

}  // namespace

const FieldDef* TypeDef::Field(std::string_view field_name) const {
  for (const FieldDef& f : fields) {
    if (f.name == field_name) return &f;
  }
  return nullptr;
}

bool TypeDef::Implements(std::string_view interface_name) const {
  for (const std::string& i : interfaces) {
    if (i == interface_name) return true;
  }
  return false;
}

Result<Schema> Schema::Parse(std::string_view sdl, std::string_view file_name) {
  auto tokens = Tokenize(sdl);
  if (!tokens.ok()) return tokens.error().InFile(file_name);
  std::vector<TypeDef> defs;
  std::vector<std::string> enums, scalars;
  RETURN_IF_ERROR(SdlParser(std::move(tokens).value(), file_name).Run(&defs, &enums, &scalars));

  Schema schema;
  // `extend type X` merges fields into X.
  for (TypeDef& def : defs) {
    auto it = schema.by_name_.find(def.name);
    if (it == schema.by_name_.end()) {
      schema.by_name_.emplace(def.name, schema.types_.size());
      schema.types_.push_back(std::move(def));
      continue;
    }
    TypeDef& into = schema.types_[it->second];
    for (FieldDef& f : def.fields) {
      if (into.Field(f.name)) {
        return Error(ErrorCode::kValidation,
                     fmt::format("field {}.{} is defined twice", def.name, f.name), f.location);
      }
      into.fields.push_back(std::move(f));
    }
    for (auto& i : def.interfaces) into.interfaces.push_back(i);
  }
  auto is_enum = [&](const std::string& n) {
    return std::find(enums.begin(), enums.end(), n) != enums.end();
  };
  auto is_scalar = [&](const std::string& n) {
    return std::find(scalars.begin(), scalars.end(), n) != scalars.end();
  };
  for (TypeDef& def : schema.types_) {
    for (FieldDef& f : def.fields) {
      if (f.kind == FieldDef::Kind::kRelationship) {
        const TypeDef* target = schema.Type(f.type_name);
        if (!target) {
          return Error(ErrorCode::kValidation,
                       fmt::format("relationship {}.{} points at unknown type {}", def.name, f.name,
                                   f.type_name),
                       f.location);
        }
        continue;
      }
      if (auto s = BuiltinScalar(f.type_name)) {
        f.scalar = *s;
      } else if (is_enum(f.type_name)) {
        f.scalar = ScalarType::kEnum;
      } else if (is_scalar(f.type_name)) {
        f.scalar = ScalarType::kString;
      } else if (schema.Type(f.type_name)) {
        f.kind = FieldDef::Kind::kObject;
      } else {
        return Error(ErrorCode::kValidation,
                     fmt::format("field {}.{} has unknown type {}", def.name, f.name, f.type_name),
                     f.location);
      }
    }
    for (const std::string& i : def.interfaces) {
      const TypeDef* iface = schema.Type(i);
      if (!iface || !iface->is_interface) {
        return Error(ErrorCode::kValidation,
                     fmt::format("type {} implements {}, which is not an interface", def.name, i),
                     SourceLocation{std::string(file_name), 0, 0});
      }
    }
  }
  for (const TypeDef& def : schema.types_) {
    if (def.is_interface) continue;
    schema.roots_.emplace(RootFieldName(def.name), def.name);
  }
  return schema;
}

const TypeDef* Schema::Type(std::string_view name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : &types_[it->second];
}

const TypeDef* Schema::RootType(std::string_view root_field) const {
  auto it = roots_.find(root_field);
  return it == roots_.end() ? nullptr : Type(it->second);
}

std::string RootFieldName(std::string_view type_name) {
  // camelCase by words: "ECSTaskDefinition" is ECS|Task|Definition, "CloudSQLInstance" is
  // Cloud|SQL|Instance. The first word is lower-cased, the others title-cased.
  auto upper = [](char c) { return std::isupper(static_cast<unsigned char>(c)) != 0; };
  auto lower = [](char c) { return std::islower(static_cast<unsigned char>(c)) != 0; };
  std::vector<std::string> words;
  size_t i = 0;
  while (i < type_name.size()) {
    size_t start = i;
    if (upper(type_name[i])) {
      size_t j = i;
      while (j < type_name.size() && upper(type_name[j])) ++j;
      if (j - i > 1 && j < type_name.size() && lower(type_name[j])) {
        j -= 1;  // the last capital starts the next word
      } else {
        while (j < type_name.size() && !upper(type_name[j])) ++j;
      }
      i = j;
    } else {
      while (i < type_name.size() && !upper(type_name[i])) ++i;
    }
    words.emplace_back(type_name.substr(start, i - start));
  }
  std::string s;
  for (size_t w = 0; w < words.size(); ++w) {
    std::string word = ToLower(words[w]);
    if (w > 0 && !word.empty()) word[0] = static_cast<char>(std::toupper(word[0]));
    s += word;
  }
  auto ends = [&](std::string_view suffix) { return s.ends_with(suffix); };
  auto is_vowel = [](char c) {
    return std::string_view("aeiou").find(c) != std::string_view::npos;
  };
  if (ends("ss") || ends("x") || ends("ch") || ends("sh") || ends("z") || ends("us"))
    return s + "es";
  if (ends("s")) return s;
  if (s.size() >= 2 && s.back() == 'y' && !is_vowel(s[s.size() - 2])) {
    return s.substr(0, s.size() - 1) + "ies";
  }
  return s + "s";
}

}  // namespace ecsguard::graph
