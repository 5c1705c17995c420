// ParseYaml: yaml-cpp's event parser feeding an iterative tree builder, so that tags (the
// CloudFormation short forms), scalar styles (plain or quoted) and marks all survive, and so that
// aliases cannot expand without bound.

#include <yaml-cpp/anchor.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <fmt/format.h>

#include <map>
#include <sstream>

#include "ingest/iac/document.h"

namespace ecsguard::ingest::iac {
namespace {

// A document may have at most this many nodes, counting alias expansions, plus two per byte of
// text: enough for any real template, and it stops "billion laughs" alias bombs early.
constexpr size_t kBaseNodes = 100'000;

bool IsAny(std::string_view s, std::initializer_list<std::string_view> words) {
  for (std::string_view w : words) {
    if (s == w) return true;
  }
  return false;
}

bool AllOf(std::string_view s, size_t from, std::string_view chars) {
  if (from >= s.size()) return false;
  return s.find_first_not_of(chars, from) == std::string_view::npos;
}

// [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? | [-+]?\.inf | \.nan, in any listed case.
bool IsFloat(std::string_view t) {
  if (IsAny(t, {".nan", ".NaN", ".NAN"})) return true;
  if (!t.empty() && (t[0] == '-' || t[0] == '+')) t.remove_prefix(1);
  if (IsAny(t, {".inf", ".Inf", ".INF"})) return true;
  size_t i = 0, int_digits = 0, frac_digits = 0;
  auto digit = [&] { return i < t.size() && t[i] >= '0' && t[i] <= '9'; };
  while (digit()) ++i, ++int_digits;
  if (i < t.size() && t[i] == '.') {
    ++i;
    while (digit()) ++i, ++frac_digits;
  }
  if (int_digits == 0 && frac_digits == 0) return false;
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < t.size() && (t[i] == '-' || t[i] == '+')) ++i;
    if (!digit()) return false;
    while (digit()) ++i;
  }
  return i == t.size();
}

// The YAML 1.2 core schema for plain scalars.
void ResolvePlain(Node* n) {
  std::string_view t = n->text;
  if (IsAny(t, {"", "~", "null", "Null", "NULL"})) {
    n->kind = Node::Kind::kNull;
    return;
  }
  if (IsAny(t, {"true", "True", "TRUE"})) {
    n->kind = Node::Kind::kBool;
    n->boolean = true;
    return;
  }
  if (IsAny(t, {"false", "False", "FALSE"})) {
    n->kind = Node::Kind::kBool;
    return;
  }
  size_t sign = (t[0] == '-' || t[0] == '+') ? 1 : 0;
  if (AllOf(t, sign, "0123456789") || (t.starts_with("0o") && AllOf(t, 2, "01234567")) ||
      (t.starts_with("0x") && AllOf(t, 2, "0123456789abcdefABCDEF"))) {
    n->kind = Node::Kind::kInt;
    return;
  }
  if (IsFloat(t)) n->kind = Node::Kind::kFloat;
}

Position At(const YAML::Mark& m) {
  if (m.is_null()) return {};
  return {static_cast<uint32_t>(m.line + 1), static_cast<uint32_t>(m.column + 1)};
}

class Builder final : public YAML::EventHandler {
 public:
  explicit Builder(size_t max_nodes) : max_nodes_(max_nodes) {}

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    Node n;
    n.pos = At(mark);
    Finish(std::move(n), "?", anchor);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    auto it = anchors_.find(anchor);
    if (it == anchors_.end()) {
      Fail(mark, "alias to an unknown anchor");
      return;
    }
    nodes_ += it->second.second;
    if (nodes_ > max_nodes_) {
      Fail(mark, "too many nodes after expanding aliases");
      return;
    }
    Node copy = it->second.first;
    Finish(std::move(copy), "", YAML::NullAnchor, it->second.second);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    Node n;
    n.kind = Node::Kind::kString;
    n.text = value;
    n.pos = At(mark);
    if (tag == "?") ResolvePlain(&n);
    Finish(std::move(n), tag, anchor);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    Open(Node::Kind::kList, mark, tag, anchor);
  }
  void OnSequenceEnd() override { Close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    Open(Node::Kind::kMap, mark, tag, anchor);
  }
  void OnMapEnd() override { Close(); }

  Result<Node> Take() {
    if (error_) return *error_;
    if (!stack_.empty()) return Error(ErrorCode::kParse, "unexpected end of document");
    return std::move(root_);
  }

 private:
  struct Frame {
    Node node;
    std::string tag;
    YAML::anchor_t anchor = YAML::NullAnchor;
    size_t first_node = 0;  // nodes_ when the frame opened
    bool have_key = false;
    std::string key;
    Position key_pos;
  };

  void Fail(const YAML::Mark& mark, std::string message) {
    if (error_) return;
    Position p = At(mark);
    error_ = Error(ErrorCode::kParse, std::move(message), {"", p.line, p.column});
  }

  void Open(Node::Kind kind, const YAML::Mark& mark, const std::string& tag,
            YAML::anchor_t anchor) {
    if (error_) return;
    if (stack_.size() >= static_cast<size_t>(kMaxDepth)) {
      Fail(mark, fmt::format("nesting deeper than {} levels", kMaxDepth));
      return;
    }
    Frame f;
    f.node.kind = kind;
    f.node.pos = At(mark);
    f.tag = tag;
    f.anchor = anchor;
    f.first_node = nodes_;
    stack_.push_back(std::move(f));
  }

  void Close() {
    if (error_ || stack_.empty()) return;
    Frame f = std::move(stack_.back());
    stack_.pop_back();
    Finish(std::move(f.node), f.tag, f.anchor, nodes_ - f.first_node);
  }

  // Applies the node's tag, remembers it under its anchor, and hands it to its parent.
  void Finish(Node n, const std::string& tag, YAML::anchor_t anchor, size_t subtree_nodes = 0) {
    if (error_) return;
    ++nodes_;
    ++subtree_nodes;
    if (nodes_ > max_nodes_) {
      error_ = Error(ErrorCode::kParse, "too many nodes", {"", n.pos.line, n.pos.column});
      return;
    }
    n = ApplyTag(std::move(n), tag);
    if (anchor != YAML::NullAnchor) anchors_[anchor] = {n, subtree_nodes};
    if (stack_.empty()) {
      if (!done_) root_ = std::move(n);
      done_ = true;
      return;
    }
    Frame& top = stack_.back();
    if (top.node.is_list()) {
      top.node.items.push_back(std::move(n));
      return;
    }
    if (!top.have_key) {
      if (!n.is_scalar()) {
        error_ = Error(ErrorCode::kParse, "complex mapping keys are not supported",
                       {"", n.pos.line, n.pos.column});
        return;
      }
      if (top.node.Find(n.text)) {
        error_ = Error(ErrorCode::kParse, fmt::format("duplicate key \"{}\"", n.text),
                       {"", n.pos.line, n.pos.column});
        return;
      }
      top.have_key = true;
      top.key = std::move(n.text);
      top.key_pos = n.pos;
      return;
    }
    top.have_key = false;
    top.node.Add(std::move(top.key), top.key_pos, std::move(n));
  }

  static Node ApplyTag(Node n, const std::string& tag) {
    if (tag.empty() || tag == "?" || tag == "!") return n;
    if (tag.starts_with("tag:yaml.org,2002:")) {
      std::string_view type = std::string_view(tag).substr(18);
      if (n.is_scalar() && type == "str") {
        n.kind = Node::Kind::kString;
      } else if (n.is_scalar() && IsAny(type, {"int", "float", "bool", "null"})) {
        ResolvePlain(&n);
      }
      return n;
    }
    if (!tag.starts_with("!") || tag.starts_with("!!")) return n;
    // A CloudFormation short form: !Ref X -> {Ref: X}, !Sub s -> {Fn::Sub: s}, ...
    std::string name = tag.substr(1);
    if (n.is_scalar()) n.kind = Node::Kind::kString;
    if (name == "GetAtt" && n.kind == Node::Kind::kString) {
      // !GetAtt Resource.Attribute (the attribute may itself contain dots).
      Node list;
      list.kind = Node::Kind::kList;
      list.pos = n.pos;
      size_t dot = n.text.find('.');
      list.items.push_back(Node::String(n.text.substr(0, dot), n.pos));
      if (dot != std::string::npos)
        list.items.push_back(Node::String(n.text.substr(dot + 1), n.pos));
      n = std::move(list);
    }
    Node wrapper;
    wrapper.kind = Node::Kind::kMap;
    wrapper.pos = n.pos;
    Position p = n.pos;
    wrapper.Add(name == "Ref" || name == "Condition" ? name : "Fn::" + name, p, std::move(n));
    return wrapper;
  }

  const size_t max_nodes_;
  std::vector<Frame> stack_;
  std::map<YAML::anchor_t, std::pair<Node, size_t>> anchors_;
  size_t nodes_ = 0;
  Node root_;
  bool done_ = false;
  std::optional<Error> error_;
};

}  // namespace

Result<Node> ParseYaml(std::string_view text) {
  try {
    std::istringstream in{std::string(text)};
    YAML::Parser parser(in);
    Builder builder(kBaseNodes + 2 * text.size());
    parser.HandleNextDocument(builder);
    return builder.Take();
  } catch (const YAML::Exception& e) {
    Position p = At(e.mark);
    return Error(ErrorCode::kParse, e.msg, {"", p.line, p.column});
  } catch (const std::exception& e) {
    return Error(ErrorCode::kParse, e.what());
  }
}

}  // namespace ecsguard::ingest::iac
