#include "ingest/iac/document.h"

#include <fmt/format.h>

#include <charconv>
#include <unordered_set>

#include "base/json_escape.h"
#include "base/strings.h"
#include "base/utf8.h"

namespace ecsguard::ingest::iac {

Node Node::String(std::string s, Position p) {
  Node n;
  n.kind = Kind::kString;
  n.text = std::move(s);
  n.pos = p;
  return n;
}

Node Node::Bool(bool b, Position p) {
  Node n;
  n.kind = Kind::kBool;
  n.boolean = b;
  n.text = b ? "true" : "false";
  n.pos = p;
  return n;
}

Node Node::Unknown(std::string reason, Position p) {
  Node n;
  n.kind = Kind::kUnknown;
  n.text = std::move(reason);
  n.pos = p;
  return n;
}

const Node* Node::Find(std::string_view key) const {
  if (kind != Kind::kMap) return nullptr;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (keys[i] == key) return &items[i];
  }
  return nullptr;
}

std::optional<size_t> Node::IndexOf(std::string_view key, bool ignore_case) const {
  if (kind != Kind::kMap) return std::nullopt;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (ignore_case ? EqualsIgnoreCase(keys[i], key) : keys[i] == key) return i;
  }
  return std::nullopt;
}

void Node::Add(std::string key, Position key_position, Node value) {
  keys.push_back(std::move(key));
  key_pos.push_back(key_position);
  items.push_back(std::move(value));
}

std::optional<int64_t> Node::AsInt() const {
  if (kind != Kind::kInt && kind != Kind::kString) return std::nullopt;
  std::string_view t = Trim(text);
  if (!t.empty() && t.front() == '+') t.remove_prefix(1);
  int64_t v = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || end != t.data() + t.size() || t.empty()) return std::nullopt;
  return v;
}

namespace {

// An iterative RFC 8259 reader that records the position of every value and key.
class JsonReader {
 public:
  JsonReader(std::string_view text, std::vector<Error>* duplicates)
      : s_(text), duplicates_(duplicates) {
    if (s_.starts_with("\xEF\xBB\xBF")) i_ = 3, line_start_ = 3;
  }

  Result<Node> Read() {
    enum class State { kValue, kValueOrEnd, kKey, kKeyOrEnd, kAfter };
    State state = State::kValue;
    std::optional<Node> root;
    while (true) {
      SkipSpace();
      if (state == State::kAfter) {
        if (stack_.empty()) {
          if (i_ != s_.size()) return Fail("unexpected text after the JSON value");
          return std::move(*root);
        }
        if (i_ >= s_.size()) return Fail("unexpected end of input");
        char c = s_[i_];
        Frame& top = stack_.back();
        if (c == ',') {
          ++i_;
          state = top.node.is_list() ? State::kValue : State::kKey;
          continue;
        }
        if ((c == ']' && top.node.is_list()) || (c == '}' && top.node.is_map())) {
          ++i_;
          Node done = std::move(top.node);
          stack_.pop_back();
          Emit(std::move(done), &root);
          continue;
        }
        return Fail(top.node.is_list() ? "expected ',' or ']'" : "expected ',' or '}'");
      }
      if (i_ >= s_.size()) return Fail("unexpected end of input");
      char c = s_[i_];
      if (state == State::kKey || state == State::kKeyOrEnd) {
        if (state == State::kKeyOrEnd && c == '}') {
          state = State::kAfter;
          continue;  // the kAfter branch closes the map
        }
        if (c != '"') return Fail("expected a string key");
        Position key_pos = Here();
        auto key = ReadString();
        if (!key.ok()) return std::move(key).error();
        Frame& top = stack_.back();
        top.skip_value = false;
        if (!top.seen.insert(*key).second) {
          Error dup(ErrorCode::kParse, fmt::format("duplicate key \"{}\"", *key),
                    {"", key_pos.line, key_pos.column});
          if (!duplicates_) return dup;
          duplicates_->push_back(std::move(dup));
          top.skip_value = true;  // the first value stays
        }
        top.key = std::move(*key);
        top.key_pos = key_pos;
        SkipSpace();
        if (i_ >= s_.size() || s_[i_] != ':') return Fail("expected ':'");
        ++i_;
        state = State::kValue;
        continue;
      }
      if (state == State::kValueOrEnd && c == ']') {
        state = State::kAfter;
        continue;
      }
      Position at = Here();
      if (c == '{' || c == '[') {
        if (stack_.size() >= static_cast<size_t>(kMaxDepth)) {
          return Fail(fmt::format("nesting deeper than {} levels", kMaxDepth));
        }
        ++i_;
        Frame f;
        f.node.kind = c == '{' ? Node::Kind::kMap : Node::Kind::kList;
        f.node.pos = at;
        stack_.push_back(std::move(f));
        state = c == '{' ? State::kKeyOrEnd : State::kValueOrEnd;
        continue;
      }
      auto scalar = ReadScalar();
      if (!scalar.ok()) return std::move(scalar).error();
      scalar->pos = at;
      Emit(std::move(*scalar), &root);
      state = State::kAfter;
    }
  }

 private:
  struct Frame {
    Node node;
    std::string key;
    Position key_pos;
    bool skip_value = false;  // the pending key repeats one
    // The keys so far: a map of many keys must not make the check quadratic.
    std::unordered_set<std::string> seen;
  };

  void Emit(Node n, std::optional<Node>* root) {
    if (stack_.empty()) {
      *root = std::move(n);
      return;
    }
    Frame& top = stack_.back();
    if (top.node.is_list()) {
      top.node.items.push_back(std::move(n));
    } else if (!top.skip_value) {
      top.node.Add(std::move(top.key), top.key_pos, std::move(n));
    }
  }

  Position Here() const { return {line_, static_cast<uint32_t>(i_ - line_start_ + 1)}; }
  Error Fail(std::string message) const {
    Position p = Here();
    return Error(ErrorCode::kParse, std::move(message), {"", p.line, p.column});
  }

  void SkipSpace() {
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (c == '\n') {
        ++line_;
        line_start_ = ++i_;
      } else if (c == ' ' || c == '\t' || c == '\r') {
        ++i_;
      } else {
        break;
      }
    }
  }

  Result<Node> ReadScalar() {
    char c = s_[i_];
    if (c == '"') {
      auto s = ReadString();
      if (!s.ok()) return std::move(s).error();
      return Node::String(std::move(*s));
    }
    for (std::string_view word : {"true", "false", "null"}) {
      if (s_.substr(i_).starts_with(word)) {
        i_ += word.size();
        if (word == "null") return Node{};
        return Node::Bool(word == "true");
      }
    }
    if (c == '-' || (c >= '0' && c <= '9')) return ReadNumber();
    return Fail(fmt::format("unexpected character '{}'", PrintableChar(c)));
  }

  static std::string PrintableChar(char c) {
    auto u = static_cast<unsigned char>(c);
    return u >= 0x20 && u < 0x7f ? std::string(1, c) : fmt::format("\\x{:02x}", u);
  }

  Result<Node> ReadNumber() {
    size_t start = i_;
    bool is_float = false;
    auto digits = [&] {
      size_t from = i_;
      while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
      return i_ > from;
    };
    if (s_[i_] == '-') ++i_;
    if (i_ < s_.size() && s_[i_] == '0') {
      ++i_;
    } else if (!digits()) {
      return Fail("malformed number");
    }
    if (i_ < s_.size() && s_[i_] == '.') {
      ++i_;
      is_float = true;
      if (!digits()) return Fail("malformed number");
    }
    if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
      ++i_;
      is_float = true;
      if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
      if (!digits()) return Fail("malformed number");
    }
    Node n;
    n.kind = is_float ? Node::Kind::kFloat : Node::Kind::kInt;
    n.text = std::string(s_.substr(start, i_ - start));
    return n;
  }

  std::optional<uint32_t> Hex4() {
    if (s_.size() - i_ < 4) return std::nullopt;
    uint32_t v = 0;
    for (int k = 0; k < 4; ++k) {
      char c = s_[i_ + k];
      v <<= 4;
      if (c >= '0' && c <= '9')
        v |= c - '0';
      else if (c >= 'a' && c <= 'f')
        v |= c - 'a' + 10;
      else if (c >= 'A' && c <= 'F')
        v |= c - 'A' + 10;
      else
        return std::nullopt;
    }
    i_ += 4;
    return v;
  }

  // At the opening quote.
  Result<std::string> ReadString() {
    ++i_;
    std::string out;
    while (true) {
      if (i_ >= s_.size()) return Fail("unterminated string");
      char c = s_[i_];
      if (c == '"') {
        ++i_;
        return out;
      }
      if (static_cast<unsigned char>(c) < 0x20) return Fail("control character in string");
      if (c != '\\') {
        out.push_back(c);
        ++i_;
        continue;
      }
      if (++i_ >= s_.size()) return Fail("unterminated string");
      char e = s_[i_++];
      if (std::optional<char> escaped = ShortEscape(e)) {
        out.push_back(*escaped);
        continue;
      }
      switch (e) {
        case 'u': {
          auto cp = Hex4();
          if (!cp) return Fail("malformed \\u escape");
          if (*cp >= 0xD800 && *cp < 0xDC00) {
            if (s_.substr(i_).starts_with("\\u")) {
              i_ += 2;
              auto low = Hex4();
              if (!low || *low < 0xDC00 || *low > 0xDFFF) return Fail("malformed surrogate pair");
              *cp = 0x10000 + ((*cp - 0xD800) << 10) + (*low - 0xDC00);
            } else {
              *cp = 0xFFFD;
            }
          } else if (*cp >= 0xDC00 && *cp <= 0xDFFF) {
            *cp = 0xFFFD;
          }
          AppendUtf8(*cp, &out);
          break;
        }
        default:
          --i_;
          return Fail("unknown escape in string");
      }
    }
  }

  std::string_view s_;
  std::vector<Error>* duplicates_;
  size_t i_ = 0;
  uint32_t line_ = 1;
  size_t line_start_ = 0;
  std::vector<Frame> stack_;
};

void RenderTo(const Node& n, size_t max_chars, std::string* out) {
  if (out->size() > max_chars) return;
  switch (n.kind) {
    case Node::Kind::kNull:
      out->append("null");
      return;
    case Node::Kind::kUnknown:
      out->append("(unknown)");
      return;
    case Node::Kind::kString:
      if (n.text.empty() || n.text.find_first_of(" ,[]{}") != std::string::npos) {
        out->append("'").append(n.text).append("'");
      } else {
        out->append(n.text);
      }
      return;
    case Node::Kind::kBool:
    case Node::Kind::kInt:
    case Node::Kind::kFloat:
      out->append(n.text);
      return;
    case Node::Kind::kList:
      out->push_back('[');
      for (size_t i = 0; i < n.items.size(); ++i) {
        if (i) out->append(", ");
        RenderTo(n.items[i], max_chars, out);
        if (out->size() > max_chars) return;
      }
      out->push_back(']');
      return;
    case Node::Kind::kMap:
      if (n.keys.size() == 1 && (n.keys[0] == "Ref" || n.keys[0].starts_with("Fn::"))) {
        std::string_view name = n.keys[0];
        if (name.starts_with("Fn::")) name.remove_prefix(4);
        out->append("!").append(name).append(" ");
        if (n.keys[0] == "Fn::GetAtt" && n.items[0].is_list()) {
          std::vector<std::string> parts;
          for (const Node& p : n.items[0].items) parts.push_back(p.text);
          out->append(Join(parts, "."));
          return;
        }
        RenderTo(n.items[0], max_chars, out);
        return;
      }
      out->push_back('{');
      for (size_t i = 0; i < n.items.size(); ++i) {
        if (i) out->append(", ");
        out->append(n.keys[i]).append(": ");
        RenderTo(n.items[i], max_chars, out);
        if (out->size() > max_chars) return;
      }
      out->push_back('}');
      return;
  }
}

}  // namespace

Result<Node> ParseJson(std::string_view text, std::vector<Error>* duplicates) {
  return JsonReader(text, duplicates).Read();
}

std::string Render(const Node& node, size_t max_chars) {
  std::string out;
  RenderTo(node, max_chars, &out);
  if (out.size() > max_chars) {
    out.resize(max_chars);
    // Do not cut a UTF-8 sequence in half.
    while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) out.pop_back();
    if (!out.empty() && static_cast<unsigned char>(out.back()) >= 0xC0) out.pop_back();
    out.append("…");
  }
  return out;
}

}  // namespace ecsguard::ingest::iac
