#include "ingest/iac/terraform_json.h"

#include <fmt/format.h>

#include <string_view>
#include <utility>

#include "ingest/iac/document.h"

namespace ecsguard::ingest::iac {
namespace {

// How many labels a top-level block type has.
size_t LabelCount(std::string_view type) {
  if (type == "resource" || type == "data" || type == "ephemeral") return 2;
  if (type == "module" || type == "variable" || type == "output" || type == "provider" ||
      type == "check") {
    return 1;
  }
  return 0;
}

// Properties of a body that are nested blocks, not arguments (with their label count), for the
// blocks ecsguard reads; others are arguments.
std::optional<size_t> NestedBlock(std::string_view name) {
  if (name == "dynamic" || name == "provisioner") return 1;
  for (std::string_view b : {"lifecycle",
                             "connection",
                             "precondition",
                             "postcondition",
                             "validation",
                             "volume",
                             "placement_constraints",
                             "proxy_configuration",
                             "inference_accelerator",
                             "ephemeral_storage",
                             "runtime_platform",
                             "backend",
                             "required_providers",
                             "cloud",
                             "content",
                             "efs_volume_configuration",
                             "authorization_config",
                             "docker_volume_configuration",
                             "fsx_windows_file_server_volume_configuration",
                             "network_configuration",
                             "setting",
                             "auto_scaling_group_provider",
                             "managed_scaling",
                             "capacity_provider_strategy"}) {
    if (name == b) return 0;
  }
  return std::nullopt;
}

enum class Mode : uint8_t { kTemplate, kLiteral, kExpression };

hcl::Position At(const Position& p) { return {p.line, p.column, 0}; }

class Converter {
 public:
  explicit Converter(hcl::File* file) : file_(file) {}

  void Root(const Node& root) {
    if (!root.is_map()) {
      Fail(root.pos, "the root of a Terraform JSON file must be an object");
      return;
    }
    for (size_t i = 0; i < root.items.size(); ++i) {
      const std::string& type = root.keys[i];
      if (type == "//") continue;
      if (type == "locals") {
        hcl::Block block = NewBlock(type, root.key_pos[i]);
        ForEachBody(root.items[i], [&](const Node& body) {
          for (size_t j = 0; j < body.items.size(); ++j) {
            if (body.keys[j] == "//") continue;
            block.body.attributes.push_back(
                NewAttribute(body.keys[j], body.key_pos[j], body.items[j], Mode::kTemplate));
          }
        });
        file_->body.blocks.push_back(std::move(block));
        continue;
      }
      Blocks(type, root.key_pos[i], LabelCount(type), {}, root.items[i], &file_->body);
    }
  }

 private:
  void Fail(const Position& p, std::string message) {
    file_->errors.emplace_back(ErrorCode::kParse, std::move(message),
                               SourceLocation{"", p.line, p.column});
  }

  hcl::Block NewBlock(const std::string& type, const Position& p) {
    hcl::Block b;
    b.type = type;
    b.type_range = {At(p), At(p)};
    b.range = b.type_range;
    return b;
  }

  // A body given as an object, or as an array of objects (repeated blocks).
  template <typename F>
  void ForEachBody(const Node& n, F&& f) {
    if (n.is_list()) {
      for (const Node& item : n.items) ForEachBody(item, f);
    } else if (n.is_map()) {
      f(n);
    } else {
      Fail(n.pos, "a block body must be an object or an array of objects");
    }
  }

  // The blocks `n` makes once `labels` are read and `remaining` more labels are to come.
  void Blocks(const std::string& type, const Position& type_pos, size_t remaining,
              std::vector<hcl::BlockLabel> labels, const Node& n, hcl::Body* into) {
    if (remaining == 0) {
      ForEachBody(n, [&](const Node& body) {
        // A block is where its last label is written, as Terraform points at it.
        hcl::Block b = NewBlock(type, type_pos);
        if (!labels.empty()) b.range.start = labels.back().range.start;
        b.labels = labels;
        b.range.end = At(body.pos);
        Body(type, body, &b.body);
        into->blocks.push_back(std::move(b));
      });
      return;
    }
    if (n.is_list()) {
      for (const Node& item : n.items) Blocks(type, type_pos, remaining, labels, item, into);
      return;
    }
    if (!n.is_map()) {
      Fail(n.pos, fmt::format("expected an object whose keys are {} labels", type));
      return;
    }
    for (size_t i = 0; i < n.items.size(); ++i) {
      std::vector<hcl::BlockLabel> more = labels;
      more.push_back({n.keys[i], {At(n.key_pos[i]), At(n.key_pos[i])}, true});
      Blocks(type, type_pos, remaining - 1, std::move(more), n.items[i], into);
    }
  }

  void Body(const std::string& type, const Node& body, hcl::Body* out) {
    out->range = {At(body.pos), At(body.pos)};
    for (size_t i = 0; i < body.items.size(); ++i) {
      const std::string& name = body.keys[i];
      if (name == "//") continue;
      if (auto nested = NestedBlock(name)) {
        Blocks(name, body.key_pos[i], *nested, {}, body.items[i], out);
        continue;
      }
      Mode mode = Mode::kTemplate;
      if (type == "variable" && name == "type") mode = Mode::kExpression;
      if ((type == "variable" && name != "type") || (type == "module" && name == "source")) {
        mode = Mode::kLiteral;
      }
      out->attributes.push_back(NewAttribute(name, body.key_pos[i], body.items[i], mode));
    }
  }

  hcl::Attribute NewAttribute(const std::string& name, const Position& p, const Node& value,
                              Mode mode) {
    hcl::Attribute a;
    a.name = name;
    a.name_range = {At(p), At(p)};
    a.expr = Expr(value, mode);
    a.range = {At(p), a.expr->range.end};
    return a;
  }

  template <typename T>
  static std::unique_ptr<T> Make(const Position& p) {
    auto e = std::make_unique<T>();
    e->range = {At(p), At(p)};
    return e;
  }

  hcl::ExprPtr Literal(hcl::LiteralKind kind, std::string text, bool b, const Position& p) {
    auto e = Make<hcl::LiteralExpr>(p);
    e->value.kind = kind;
    e->value.text = std::move(text);
    e->value.bool_value = b;
    return e;
  }

  // A string in template or expression mode, parsed where it stands in the file (just past its
  // opening quote; escapes in the JSON text shift later columns).
  hcl::ExprPtr Parsed(const std::string& text, const Position& p, Mode mode) {
    hcl::ParseOptions options;
    options.first_line = p.line;
    options.first_column = p.column + 1;
    hcl::ParsedExpression parsed = mode == Mode::kExpression
                                       ? hcl::ParseExpression(text, file_->filename, options)
                                       : hcl::ParseTemplate(text, file_->filename, options);
    for (Error& e : parsed.errors) file_->errors.push_back(std::move(e));
    if (!parsed.expr) return Literal(hcl::LiteralKind::kNull, "", false, p);
    return std::move(parsed.expr);
  }

  hcl::ExprPtr Expr(const Node& n, Mode mode) {
    switch (n.kind) {
      case Node::Kind::kNull:
      case Node::Kind::kUnknown:
        return Literal(hcl::LiteralKind::kNull, "", false, n.pos);
      case Node::Kind::kBool:
        return Literal(hcl::LiteralKind::kBool, "", n.boolean, n.pos);
      case Node::Kind::kInt:
      case Node::Kind::kFloat:
        return Literal(hcl::LiteralKind::kNumber, n.text, false, n.pos);
      case Node::Kind::kString:
        if (mode == Mode::kLiteral) return Literal(hcl::LiteralKind::kString, n.text, false, n.pos);
        return Parsed(n.text, n.pos, mode);
      case Node::Kind::kList: {
        auto t = Make<hcl::TupleExpr>(n.pos);
        for (const Node& item : n.items) t->elements.push_back(Expr(item, mode));
        return t;
      }
      case Node::Kind::kMap: {
        auto o = Make<hcl::ObjectExpr>(n.pos);
        for (size_t i = 0; i < n.items.size(); ++i) {
          hcl::ObjectItem item;
          // Keys are templates too, except in literal values.
          item.key = mode == Mode::kLiteral
                         ? Literal(hcl::LiteralKind::kString, n.keys[i], false, n.key_pos[i])
                         : Parsed(n.keys[i], n.key_pos[i], Mode::kTemplate);
          item.value = Expr(n.items[i], mode);
          o->items.push_back(std::move(item));
        }
        return o;
      }
    }
    return Literal(hcl::LiteralKind::kNull, "", false, n.pos);
  }

  hcl::File* file_;
};

}  // namespace

hcl::File ParseTerraformJson(std::string text, std::string filename) {
  hcl::File file;
  file.filename = std::move(filename);
  std::vector<Error> duplicates;
  Result<Node> root = ParseJson(text, &duplicates);
  for (Error& e : duplicates) file.errors.push_back(std::move(e));
  if (!root.ok()) {
    file.errors.push_back(root.error());
    return file;
  }
  Converter(&file).Root(*root);
  return file;
}

}  // namespace ecsguard::ingest::iac
