#include "ingest/iac/hcl/types.h"

#include <fmt/format.h>

#include <algorithm>

#include "ingest/iac/hcl/eval.h"
#include "ingest/iac/hcl/number.h"

namespace ecsguard::ingest::hcl {
namespace {

Error Invalid(const Expression& e, const std::string& filename, std::string message) {
  return Error(ErrorCode::kValidation, std::move(message),
               SourceLocation{filename, e.range.start.line, e.range.start.column});
}

// `path` names where in the value an error is: "" for the value itself, then ".a", "[0]".
Error Refused(const std::string& path, std::string message) {
  return Error(ErrorCode::kValidation,
               path.empty() ? std::move(message) : fmt::format("{}: {}", path.substr(1), message));
}

Result<Value> ConvertPrimitive(const Value& v, Type::Kind kind, const std::string& path) {
  switch (kind) {
    case Type::Kind::kString:
      if (v.kind() == Value::Kind::kString) return v;
      if (v.kind() == Value::Kind::kBool) return Value::String(v.bool_value() ? "true" : "false");
      if (v.kind() == Value::Kind::kNumber) return Value::String(v.number_decimal());
      return Refused(path, "string required");
    case Type::Kind::kNumber:
      if (v.kind() == Value::Kind::kNumber) return v;
      if (v.kind() == Value::Kind::kString && NormalizeDecimal(v.string_value())) {
        return Value::Number(v.string_value());
      }
      return Refused(path, v.kind() == Value::Kind::kString
                               ? fmt::format("cannot convert \"{}\" to number", v.string_value())
                               : "number required");
    default:  // kBool
      if (v.kind() == Value::Kind::kBool) return v;
      if (v.kind() == Value::Kind::kString) {
        const std::string& s = v.string_value();
        if (s == "true" || s == "1") return Value::Bool(true);
        if (s == "false" || s == "0") return Value::Bool(false);
        return Refused(path, fmt::format("cannot convert \"{}\" to bool", s));
      }
      return Refused(path, "bool required");
  }
}

// A set holds each value once (unknowns, never equal, stay), strings in lexical and numbers in
// numeric order as Terraform lists them; other sets keep their first-seen order.
void SetElements(std::vector<Value>* elements) {
  std::vector<Value> unique;
  for (Value& e : *elements) {
    if (std::find(unique.begin(), unique.end(), e) == unique.end()) unique.push_back(std::move(e));
  }
  auto all = [&](Value::Kind kind) {
    return std::all_of(unique.begin(), unique.end(),
                       [&](const Value& v) { return v.kind() == kind; });
  };
  if (all(Value::Kind::kString)) {
    std::sort(unique.begin(), unique.end(),
              [](const Value& a, const Value& b) { return a.string_value() < b.string_value(); });
  } else if (all(Value::Kind::kNumber)) {
    std::sort(unique.begin(), unique.end(),
              [](const Value& a, const Value& b) { return a.number_double() < b.number_double(); });
  }
  *elements = std::move(unique);
}

Result<Value> ConvertAt(const Value& v, const Type& type, const std::string& path, int depth) {
  if (v.is_unknown() || v.is_null() || type.kind == Type::Kind::kAny) return v;
  if (depth > 256) return Refused(path, "value nested too deeply");
  if (type.is_primitive()) return ConvertPrimitive(v, type.kind, path);
  switch (type.kind) {
    case Type::Kind::kList:
    case Type::Kind::kSet: {
      if (v.kind() != Value::Kind::kTuple) {
        return Refused(path, type.kind == Type::Kind::kList ? "list required" : "set required");
      }
      std::vector<Value> out;
      for (size_t i = 0; i < v.elements().size(); ++i) {
        ASSIGN_OR_RETURN(Value e, ConvertAt(v.elements()[i], type.elements[0],
                                            fmt::format("{}[{}]", path, i), depth + 1));
        out.push_back(std::move(e));
      }
      if (type.kind == Type::Kind::kSet) SetElements(&out);
      return Value::Tuple(std::move(out));
    }
    case Type::Kind::kTuple: {
      if (v.kind() != Value::Kind::kTuple || v.elements().size() != type.elements.size()) {
        return Refused(path, fmt::format("tuple of {} elements required", type.elements.size()));
      }
      std::vector<Value> out;
      for (size_t i = 0; i < v.elements().size(); ++i) {
        ASSIGN_OR_RETURN(Value e, ConvertAt(v.elements()[i], type.elements[i],
                                            fmt::format("{}[{}]", path, i), depth + 1));
        out.push_back(std::move(e));
      }
      return Value::Tuple(std::move(out));
    }
    case Type::Kind::kMap: {
      if (v.kind() != Value::Kind::kObject) return Refused(path, "map required");
      std::vector<Value::Attribute> out;
      for (const auto& [k, e] : v.attributes()) {
        ASSIGN_OR_RETURN(
            Value c, ConvertAt(e, type.elements[0], fmt::format("{}[\"{}\"]", path, k), depth + 1));
        out.emplace_back(k, std::move(c));
      }
      return Value::Object(std::move(out));
    }
    default: {  // kObject: attributes the type does not name are dropped, as Terraform does
      if (v.kind() != Value::Kind::kObject) return Refused(path, "object required");
      std::vector<Value::Attribute> out;
      for (size_t i = 0; i < type.attribute_names.size(); ++i) {
        const std::string& name = type.attribute_names[i];
        std::string at = path + "." + name;
        const Value* given = v.Find(name);
        Value value;
        if (given && !given->is_null()) {
          value = *given;
        } else if (type.optional[i]) {
          if (type.defaults[i]) value = *type.defaults[i];
        } else if (!given) {
          return Refused(path, fmt::format("attribute \"{}\" is required", name));
        }
        ASSIGN_OR_RETURN(Value c, ConvertAt(value, type.elements[i], at, depth + 1));
        out.emplace_back(name, std::move(c));
      }
      return Value::Object(std::move(out));
    }
  }
}

Result<Type> Parse(const Expression& e, const std::string& filename, bool in_object, int depth) {
  if (depth > 64) return Invalid(e, filename, "type constraint nested too deeply");
  if (e.kind == ExprKind::kParentheses) {
    return Parse(*e.As<ParenthesesExpr>().inner, filename, in_object, depth + 1);
  }
  if (e.kind == ExprKind::kScopeTraversal && e.As<ScopeTraversalExpr>().steps.empty()) {
    const std::string& name = e.As<ScopeTraversalExpr>().root;
    Type t;
    if (name == "any") return t;
    if (name == "string") t.kind = Type::Kind::kString;
    if (name == "number") t.kind = Type::Kind::kNumber;
    if (name == "bool") t.kind = Type::Kind::kBool;
    if (t.kind != Type::Kind::kAny) return t;
    return Invalid(e, filename, fmt::format("the keyword \"{}\" is not a type", name));
  }
  if (e.kind != ExprKind::kFunctionCall) {
    return Invalid(e, filename, "a type constraint is a type keyword or constructor");
  }
  const auto& call = e.As<FunctionCallExpr>();
  auto one_arg = [&]() -> Result<Type> {
    if (call.args.size() != 1) {
      return Invalid(e, filename, fmt::format("{}() takes one type", call.name));
    }
    return Parse(*call.args[0], filename, false, depth + 1);
  };
  Type t;
  if (call.name == "list" || call.name == "set" || call.name == "map") {
    t.kind = call.name == "list"  ? Type::Kind::kList
             : call.name == "set" ? Type::Kind::kSet
                                  : Type::Kind::kMap;
    ASSIGN_OR_RETURN(Type element, one_arg());
    t.elements.push_back(std::move(element));
    return t;
  }
  if (call.name == "tuple" && call.args.size() == 1 && call.args[0]->kind == ExprKind::kTuple) {
    t.kind = Type::Kind::kTuple;
    for (const ExprPtr& element : call.args[0]->As<TupleExpr>().elements) {
      ASSIGN_OR_RETURN(Type et, Parse(*element, filename, false, depth + 1));
      t.elements.push_back(std::move(et));
    }
    return t;
  }
  if (call.name == "object" && call.args.size() == 1 && call.args[0]->kind == ExprKind::kObject) {
    t.kind = Type::Kind::kObject;
    for (const ObjectItem& item : call.args[0]->As<ObjectExpr>().items) {
      std::optional<std::string> name = LiteralKey(item);
      if (!name) return Invalid(*item.key, filename, "object type attribute names are literal");
      const Expression& te = *item.value;
      bool optional = false;
      std::optional<Value> default_value;
      const Expression* inner = &te;
      if (te.kind == ExprKind::kFunctionCall && te.As<FunctionCallExpr>().name == "optional") {
        const auto& opt = te.As<FunctionCallExpr>();
        if (opt.args.empty() || opt.args.size() > 2) {
          return Invalid(te, filename, "optional() takes a type and an optional default");
        }
        optional = true;
        inner = opt.args[0].get();
        if (opt.args.size() == 2) {
          EvalContext plain;
          plain.filename = filename;
          ASSIGN_OR_RETURN(Value d, Evaluate(*opt.args[1], plain));
          default_value = std::move(d);
        }
      }
      ASSIGN_OR_RETURN(Type at, Parse(*inner, filename, true, depth + 1));
      if (default_value) {
        // The default is itself converted, with its own optional defaults.
        Result<Value> converted = Convert(*default_value, at);
        if (!converted.ok()) {
          return Invalid(te, filename,
                         fmt::format("invalid default for optional attribute \"{}\": {}", *name,
                                     converted.error().message()));
        }
        default_value = std::move(*converted);
      }
      t.attribute_names.push_back(*name);
      t.elements.push_back(std::move(at));
      t.optional.push_back(optional);
      t.defaults.push_back(std::move(default_value));
    }
    return t;
  }
  if (call.name == "optional") {
    return Invalid(e, filename,
                   in_object ? "optional() wraps an object attribute's whole type"
                             : "optional() is only allowed in object attributes");
  }
  return Invalid(e, filename, fmt::format("\"{}\" is not a type constructor", call.name));
}

}  // namespace

std::optional<std::string> LiteralKey(const ObjectItem& item) {
  if (item.key_parenthesized || !item.key) return std::nullopt;
  if (item.key->kind == ExprKind::kScopeTraversal) {
    const auto& t = item.key->As<ScopeTraversalExpr>();
    if (t.steps.empty()) return t.root;
  }
  if (item.key->kind == ExprKind::kTemplate) {
    const auto& t = item.key->As<TemplateExpr>();
    if (t.parts.size() == 1 && t.parts[0]->kind == ExprKind::kLiteral) {
      return t.parts[0]->As<LiteralExpr>().value.text;
    }
  }
  if (item.key->kind == ExprKind::kLiteral) return item.key->As<LiteralExpr>().value.text;
  return std::nullopt;
}

Result<Type> ParseType(const Expression& expr, const std::string& filename) {
  return Parse(expr, filename, false, 0);
}

Result<Value> Convert(const Value& value, const Type& type) {
  return ConvertAt(value, type, "", 0);
}

}  // namespace ecsguard::ingest::hcl
