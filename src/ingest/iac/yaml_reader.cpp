// ParseYaml: yaml-cpp's event parser feeding an iterative tree builder, so that tags (the
// CloudFormation short forms), scalar styles (plain or quoted) and marks all survive, and so that
// aliases cannot expand without bound. The tree is what CloudFormation (after `aws cloudformation
// package`) would read: merge keys are expanded, and whatever the builder does not support (a
// second document, a complex key, a tag it does not know) is an error, never dropped.

#include <yaml-cpp/anchor.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <sstream>
#include <unordered_map>

#include "ingest/iac/document.h"

namespace ecsguard::ingest::iac {
namespace {

// A document may have at most this many nodes, counting alias expansions, plus two per byte of
// text: enough for any real template, and it stops "billion laughs" alias bombs early.
constexpr size_t kBaseNodes = 100'000;
// Likewise for the bytes of scalars: an alias of a large string repeated many times.
constexpr size_t kBaseBytes = size_t{64} << 20;

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

// The YAML 1.1 merge key, `<<` as a plain scalar or with its explicit tag.
bool IsMergeKey(const Node& key, const std::string& tag) {
  return key.text == "<<" && (tag == "?" || tag == "tag:yaml.org,2002:merge");
}

// A map that stands for an intrinsic function (`!Ref X` became {Ref: X}): not a mapping to merge.
bool IsIntrinsic(const Node& n) {
  return n.is_map() && n.keys.size() == 1 &&
         (n.keys[0] == "Ref" || n.keys[0] == "Condition" || n.keys[0].starts_with("Fn::"));
}

class Builder final : public YAML::EventHandler {
 public:
  Builder(size_t max_nodes, size_t max_bytes, std::vector<Error>* duplicates)
      : max_nodes_(max_nodes), max_bytes_(max_bytes), duplicates_(duplicates) {}

  void OnDocumentStart(const YAML::Mark& mark) override {
    // CloudFormation (and cfn-lint) reject a stream of several documents rather than read one.
    if (++documents_ > 1) {
      Fail(mark, "a second YAML document in the file; a CloudFormation template is one document");
    }
  }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    Node n;
    n.pos = At(mark);
    Finish(std::move(n), "?", anchor, Size{});
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    auto it = anchors_.find(anchor);
    if (it == anchors_.end()) {
      Fail(mark, "alias to an unknown anchor");
      return;
    }
    const Anchored& a = it->second;
    nodes_ += a.size.nodes;
    bytes_ += a.size.bytes;
    if (nodes_ > max_nodes_) {
      Fail(mark, "too many nodes after expanding aliases");
      return;
    }
    if (bytes_ > max_bytes_) {
      Fail(mark, fmt::format("more than {} bytes of text after expanding aliases", max_bytes_));
      return;
    }
    // An alias of a deep node, placed deep, would make a tree deeper than the readers allow.
    if (stack_.size() + a.size.height > static_cast<size_t>(kMaxDepth)) {
      Fail(mark, fmt::format("nesting deeper than {} levels after expanding an alias", kMaxDepth));
      return;
    }
    Finish(Node(a.node), "", YAML::NullAnchor, a.size, /*alias=*/true);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    Node n;
    n.kind = Node::Kind::kString;
    n.text = value;
    n.pos = At(mark);
    if (tag == "?") ResolvePlain(&n);
    Finish(std::move(n), tag, anchor, Size{});
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

  bool failed() const { return error_.has_value(); }

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
    size_t first_byte = 0;  // bytes_ when the frame opened
    bool have_key = false;
    std::string key;
    Position key_pos;
    bool merge = false;        // the pending key is `<<`
    bool merge_seen = false;   // the mapping has had its `<<`
    bool skip_value = false;   // the pending key repeats one: its value is dropped
    std::vector<bool> merged;  // merged[i]: keys[i] came from a merge, an explicit key overrides it
    // keys[i] -> i, so that a map of many keys, or merged many times, is not quadratic.
    std::unordered_map<std::string, size_t> index;
    size_t height = 0;  // of the highest child
  };

  // What a subtree adds to the tree.
  struct Size {
    size_t nodes = 0;
    size_t bytes = 0;   // of scalars
    size_t height = 0;  // levels of collections
  };

  struct Anchored {
    Node node;
    Size size;
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
    f.first_byte = bytes_;
    stack_.push_back(std::move(f));
  }

  void Close() {
    if (error_ || stack_.empty()) return;
    Frame f = std::move(stack_.back());
    stack_.pop_back();
    Finish(std::move(f.node), f.tag, f.anchor,
           {nodes_ - f.first_node, bytes_ - f.first_byte, f.height + 1});
  }

  void FailAt(Position p, std::string message) {
    if (!error_) error_ = Error(ErrorCode::kParse, std::move(message), {"", p.line, p.column});
  }

  // Applies the node's tag, remembers it under its anchor, and hands it to its parent. `alias`:
  // `n` is a copy of an anchored node, already tagged.
  void Finish(Node n, const std::string& tag, YAML::anchor_t anchor, Size size,
              bool alias = false) {
    if (error_) return;
    ++nodes_;
    ++size.nodes;
    if (!alias) {
      bytes_ += n.text.size();
      size.bytes += n.text.size();
    }
    if (nodes_ > max_nodes_) {
      FailAt(n.pos, "too many nodes");
      return;
    }
    Frame* top = stack_.empty() ? nullptr : &stack_.back();
    bool merge_key = top && top->node.is_map() && !top->have_key && !alias && IsMergeKey(n, tag);
    if (!merge_key && !alias) {
      bool wrapped = tag.starts_with("!") && tag != "!";
      n = ApplyTag(std::move(n), tag);
      if (error_) return;
      if (wrapped) size.height += 2;  // {Fn::GetAtt: [A, B]} for !GetAtt A.B
    }
    if (anchor != YAML::NullAnchor) anchors_[anchor] = {n, size};
    if (!top) {
      root_ = std::move(n);
      return;
    }
    top->height = std::max(top->height, size.height);
    if (top->node.is_list()) {
      top->node.items.push_back(std::move(n));
      return;
    }
    if (!top->have_key) {
      AcceptKey(std::move(n), merge_key, top);
      return;
    }
    top->have_key = false;
    if (top->skip_value) {
      top->skip_value = false;
    } else if (top->merge) {
      top->merge = false;
      Merge(std::move(n), top);
    } else if (auto it = top->index.find(top->key); it != top->index.end()) {
      // An explicit key overrides the value a merge brought in.
      top->node.items[it->second] = std::move(n);
      top->node.key_pos[it->second] = top->key_pos;
      top->merged[it->second] = false;
    } else {
      AddEntry(std::move(top->key), top->key_pos, std::move(n), /*merged=*/false, top);
    }
  }

  static void AddEntry(std::string key, Position pos, Node value, bool merged, Frame* top) {
    top->index.emplace(key, top->node.keys.size());
    top->node.Add(std::move(key), pos, std::move(value));
    top->merged.push_back(merged);
  }

  void AcceptKey(Node key, bool merge_key, Frame* top) {
    if (!key.is_scalar()) {
      FailAt(key.pos, "complex mapping keys are not supported");
      return;
    }
    // CloudFormation's loader (and cfn-lint) reject `~: x` and `? : x` rather than name a key "".
    if (key.kind == Node::Kind::kNull) {
      FailAt(key.pos, "a null mapping key");
      return;
    }
    top->have_key = true;
    top->key_pos = key.pos;
    if (merge_key) {
      if (top->merge_seen) {
        FailAt(key.pos, "a second merge key (<<) in one mapping; use <<: [*a, *b]");
        return;
      }
      top->merge = top->merge_seen = true;
      return;
    }
    auto it = top->index.find(key.text);
    if (it != top->index.end() && !top->merged[it->second]) {
      Error dup(ErrorCode::kParse, fmt::format("duplicate key \"{}\"", key.text),
                {"", key.pos.line, key.pos.column});
      if (!duplicates_) {
        error_ = std::move(dup);
        return;
      }
      duplicates_->push_back(std::move(dup));
      top->skip_value = true;  // the first value stays
    }
    top->key = std::move(key.text);
  }

  // YAML 1.1 merge: the value of `<<` is a mapping or a list of mappings whose entries join the
  // mapping unless it has the key already (explicit keys, and earlier mappings, win).
  void Merge(Node value, Frame* top) {
    auto merge_one = [&](Node& m) {
      if (!m.is_map() || IsIntrinsic(m)) {
        FailAt(m.pos, "a merge key (<<) needs a mapping or a list of mappings");
        return;
      }
      for (size_t i = 0; i < m.keys.size(); ++i) {
        if (top->index.contains(m.keys[i])) continue;
        AddEntry(std::move(m.keys[i]), m.key_pos[i], std::move(m.items[i]), /*merged=*/true, top);
      }
    };
    if (!value.is_list()) {
      merge_one(value);
      return;
    }
    for (Node& m : value.items) merge_one(m);
  }

  Node ApplyTag(Node n, const std::string& tag) {
    if (tag.empty() || tag == "?" || tag == "!") return n;
    if (tag.starts_with("tag:yaml.org,2002:")) {
      std::string_view type = std::string_view(tag).substr(18);
      if (n.is_scalar() && type == "str") {
        n.kind = Node::Kind::kString;
      } else if (n.is_scalar() && IsAny(type, {"int", "float", "bool", "null"})) {
        ResolvePlain(&n);
      } else if (!(n.is_map() && type == "map") && !(n.is_list() && type == "seq")) {
        // !!binary, !!timestamp, !!set, ... or a type that does not fit the node.
        FailAt(n.pos, fmt::format("unsupported tag !!{}", type));
      }
      return n;
    }
    if (!tag.starts_with("!") || tag.starts_with("!!")) {
      FailAt(n.pos, fmt::format("unsupported tag {}", tag));
      return n;
    }
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
  const size_t max_bytes_;
  std::vector<Error>* duplicates_;
  std::vector<Frame> stack_;
  std::map<YAML::anchor_t, Anchored> anchors_;
  size_t nodes_ = 0;
  size_t bytes_ = 0;
  int documents_ = 0;
  Node root_;
  std::optional<Error> error_;
};

}  // namespace

Result<Node> ParseYaml(std::string_view text, std::vector<Error>* duplicates) {
  try {
    std::istringstream in{std::string(text)};
    YAML::Parser parser(in);
    Builder builder(kBaseNodes + 2 * text.size(), kBaseBytes + 2 * text.size(), duplicates);
    // The second call only looks for a second document, which is an error.
    if (parser.HandleNextDocument(builder) && !builder.failed()) parser.HandleNextDocument(builder);
    return builder.Take();
  } catch (const YAML::Exception& e) {
    Position p = At(e.mark);
    return Error(ErrorCode::kParse, e.msg, {"", p.line, p.column});
  } catch (const std::exception& e) {
    return Error(ErrorCode::kParse, e.what());
  }
}

}  // namespace ecsguard::ingest::iac
