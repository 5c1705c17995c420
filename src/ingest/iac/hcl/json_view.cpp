#include "ingest/iac/hcl/json_view.h"

#include <fmt/format.h>

#include <map>
#include <memory>

#include "ingest/iac/hcl/json.h"
#include "ingest/iac/hcl/number.h"

namespace ecsguard::ingest::hcl {
namespace {

// A mutable JSON tree: blocks are merged into it label by label.
struct Node {
  enum class Kind : uint8_t { kObject, kArray, kLeaf };
  Kind kind = Kind::kObject;
  std::map<std::string, std::unique_ptr<Node>> object;
  std::vector<std::unique_ptr<Node>> array;
  Value leaf;

  static std::unique_ptr<Node> Leaf(Value v) {
    auto n = std::make_unique<Node>();
    n->kind = Kind::kLeaf;
    n->leaf = std::move(v);
    return n;
  }

  Value ToValue() && {
    switch (kind) {
      case Kind::kLeaf:
        return std::move(leaf);
      case Kind::kArray: {
        std::vector<Value> out;
        out.reserve(array.size());
        for (auto& n : array) out.push_back(std::move(*n).ToValue());
        return Value::Tuple(std::move(out));
      }
      case Kind::kObject: {
        std::vector<Value::Attribute> out;
        out.reserve(object.size());
        for (auto& [k, n] : object) out.emplace_back(k, std::move(*n).ToValue());
        return Value::Object(std::move(out));
      }
    }
    return Value();
  }
};

Error ConvertError(std::string message) {
  return Error(ErrorCode::kUnsupported, "hcl2json: " + std::move(message));
}

// hcl2json writes literal template text so that it reads back as the same template.
std::string Reescape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if ((s[i] == '$' || s[i] == '%') && i + 1 < s.size() && s[i + 1] == '{') out.push_back(s[i]);
    out.push_back(s[i]);
  }
  return out;
}

class Converter {
 public:
  explicit Converter(const File& file) : source_(file.source) {}

  Result<std::unique_ptr<Node>> Body(const hcl::Body& body) {
    auto out = std::make_unique<Node>();
    for (const Block& block : body.blocks) RETURN_IF_ERROR(AddBlock(block, out.get()));
    for (const Attribute& attr : body.attributes) {
      ASSIGN_OR_RETURN(Value v, Expr(*attr.expr));
      out->object[attr.name] = Node::Leaf(std::move(v));
    }
    return out;
  }

 private:
  Result<void> AddBlock(const Block& block, Node* out) {
    std::string key = block.type;
    for (const BlockLabel& label : block.labels) {
      auto it = out->object.find(key);
      if (it == out->object.end()) {
        it = out->object.emplace(key, std::make_unique<Node>()).first;
      } else if (it->second->kind != Node::Kind::kObject) {
        std::string path = block.type;
        for (const BlockLabel& l : block.labels) path += "." + l.value;
        return ConvertError("Unable to convert Block to JSON: " + path);
      }
      out = it->second.get();
      key = label.value;
    }
    ASSIGN_OR_RETURN(std::unique_ptr<Node> body, Body(block.body));
    auto it = out->object.find(key);
    if (it == out->object.end()) {
      auto array = std::make_unique<Node>();
      array->kind = Node::Kind::kArray;
      it = out->object.emplace(key, std::move(array)).first;
    } else if (it->second->kind != Node::Kind::kArray) {
      return ConvertError(fmt::format(
          "invalid HCL detected for \"{}\" block, cannot have blocks with and without labels",
          key));
    }
    it->second->array.push_back(std::move(body));
    return Ok{};
  }

  // The converter's "source of this range", which (as a workaround for old HCL ranges) also
  // takes a closing parenthesis that immediately follows.
  std::string_view Source(const Range& r) const {
    size_t end = r.end.offset;
    if (end < source_.size() && source_[end] == ')') ++end;
    return std::string_view(source_).substr(r.start.offset, end - r.start.offset);
  }
  std::string Wrap(const Expression& e) const { return fmt::format("${{{}}}", Source(e.range)); }

  Result<Value> Number(const std::string& text) const {
    std::optional<std::string> plain = NormalizeDecimal(text);
    if (!plain) return ConvertError("number literal " + text.substr(0, 32) + " is out of range");
    return Value::Number(*plain);
  }

  Result<Value> Expr(const Expression& e) {
    switch (e.kind) {
      case ExprKind::kLiteral: {
        const Literal& lit = e.As<LiteralExpr>().value;
        switch (lit.kind) {
          case LiteralKind::kNull:
            return Value::Null();
          case LiteralKind::kBool:
            return Value::Bool(lit.bool_value);
          case LiteralKind::kNumber:
            return Number(lit.text);
          case LiteralKind::kString:
            return Value::String(Reescape(lit.text));
        }
        return Value::Null();
      }
      case ExprKind::kUnary: {
        const auto& node = e.As<UnaryExpr>();
        if (node.operand->kind != ExprKind::kLiteral) return Value::String(Wrap(e));
        const Literal& lit = node.operand->As<LiteralExpr>().value;
        if (node.op == UnaryOp::kNot) {
          if (lit.kind != LiteralKind::kBool) {
            return ConvertError(
                "Invalid operand: unsuitable value for unary operand: bool required");
          }
          return Value::Bool(!lit.bool_value);
        }
        if (lit.kind != LiteralKind::kNumber) {
          return ConvertError(
              "Invalid operand: unsuitable value for unary operand: number required");
        }
        ASSIGN_OR_RETURN(Value n, Number(lit.text));
        const std::string& t = n.number_text();
        return Value::Number(t[0] == '-' ? t.substr(1) : "-" + t);
      }
      case ExprKind::kTemplate: {
        ASSIGN_OR_RETURN(std::string s, Template(e.As<TemplateExpr>()));
        return Value::String(std::move(s));
      }
      case ExprKind::kTemplateWrap:
        return Expr(*e.As<TemplateWrapExpr>().wrapped);
      case ExprKind::kTuple: {
        std::vector<Value> out;
        for (const ExprPtr& elem : e.As<TupleExpr>().elements) {
          ASSIGN_OR_RETURN(Value v, Expr(*elem));
          out.push_back(std::move(v));
        }
        return Value::Tuple(std::move(out));
      }
      case ExprKind::kObject: {
        std::vector<Value::Attribute> out;
        for (const ObjectItem& item : e.As<ObjectExpr>().items) {
          ASSIGN_OR_RETURN(std::string key, Key(*item.key));
          ASSIGN_OR_RETURN(Value v, Expr(*item.value));
          out.emplace_back(std::move(key), std::move(v));
        }
        return Value::Object(std::move(out));
      }
      default:
        return Value::String(Wrap(e));
    }
  }

  Result<std::string> Key(const Expression& key) {
    if (key.kind == ExprKind::kScopeTraversal) return std::string(Source(key.range));
    return StringPart(key);
  }

  Result<std::string> Template(const TemplateExpr& t) {
    std::string out;
    for (const ExprPtr& part : t.parts) {
      ASSIGN_OR_RETURN(std::string s, StringPart(*part));
      out += s;
    }
    return out;
  }

  // One piece of a template, written back as template text.
  Result<std::string> StringPart(const Expression& e) {
    switch (e.kind) {
      case ExprKind::kLiteral: {
        const Literal& lit = e.As<LiteralExpr>().value;
        switch (lit.kind) {
          case LiteralKind::kNull:
            return std::string("null");
          case LiteralKind::kBool:
            return std::string(lit.bool_value ? "true" : "false");
          case LiteralKind::kNumber: {
            ASSIGN_OR_RETURN(Value n, Number(lit.text));
            return n.number_text();
          }
          case LiteralKind::kString:
            return Reescape(lit.text);
        }
        return std::string();
      }
      case ExprKind::kTemplate:
        return Template(e.As<TemplateExpr>());
      case ExprKind::kTemplateWrap:
        return StringPart(*e.As<TemplateWrapExpr>().wrapped);
      case ExprKind::kConditional: {
        const auto& node = e.As<ConditionalExpr>();
        return Conditional(*node.condition, *node.true_result, node.false_result.get());
      }
      case ExprKind::kTemplateIf: {
        const auto& node = e.As<TemplateIfExpr>();
        return Conditional(*node.condition, *node.then_part, node.else_part.get());
      }
      case ExprKind::kTemplateFor: {
        const auto& node = e.As<TemplateForExpr>();
        std::string out = "%{for ";
        if (!node.key_var.empty()) out += node.key_var + ", ";
        out += node.value_var;
        out += " in ";
        out += Source(node.collection->range);
        out += "}";
        ASSIGN_OR_RETURN(std::string body, StringPart(*node.body));
        out += body;
        out += "%{endfor}";
        return out;
      }
      default:
        return Wrap(e);
    }
  }

  Result<std::string> Conditional(const Expression& cond, const Expression& then_part,
                                  const Expression* else_part) {
    std::string out = "%{if ";
    out += Source(cond.range);
    out += "}";
    ASSIGN_OR_RETURN(std::string t, StringPart(then_part));
    out += t;
    if (else_part) {
      ASSIGN_OR_RETURN(std::string f, StringPart(*else_part));
      if (!f.empty()) out += "%{else}" + f;
    }
    out += "%{endif}";
    return out;
  }

  const std::string& source_;
};

}  // namespace

Result<Value> ToHcl2JsonValue(const File& file) {
  if (!file.ok()) return file.errors.front();
  Converter converter(file);
  ASSIGN_OR_RETURN(std::unique_ptr<Node> root, converter.Body(file.body));
  return std::move(*root).ToValue();
}

Result<std::string> ToHcl2JsonView(const File& file) {
  ASSIGN_OR_RETURN(Value v, ToHcl2JsonValue(file));
  return EncodeJson(v);
}

}  // namespace ecsguard::ingest::hcl
