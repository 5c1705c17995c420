#include "graph/property_graph.h"

#include <algorithm>
#include <cassert>
#include <cstring>

namespace ecsguard::graph {

// Bump allocator: blocks are never moved, so string_views and spans into them stay valid.
struct Graph::Arena {
  static constexpr size_t kBlock = 1 << 20;
  std::vector<std::unique_ptr<char[]>> blocks;
  char* cur = nullptr;
  size_t left = 0;

  void* Allocate(size_t n, size_t align) {
    size_t pad = cur ? (align - reinterpret_cast<uintptr_t>(cur) % align) % align : 0;
    if (!cur || n + pad > left) {
      size_t size = std::max(kBlock, n + align);
      blocks.push_back(std::make_unique<char[]>(size));
      cur = blocks.back().get();
      left = size;
      pad = (align - reinterpret_cast<uintptr_t>(cur) % align) % align;
    }
    char* p = cur + pad;
    cur += pad + n;
    left -= pad + n;
    return p;
  }
};

Graph::Graph() : arena_(std::make_unique<Arena>()) {}
Graph::Graph(Graph&&) noexcept = default;
Graph& Graph::operator=(Graph&&) noexcept = default;
Graph::~Graph() = default;

Sym Graph::Intern(std::string_view s) {
  auto it = symbols_.find(s);
  if (it != symbols_.end()) return it->second;
  char* p = static_cast<char*>(arena_->Allocate(s.size() + 1, 1));
  if (!s.empty()) std::memcpy(p, s.data(), s.size());
  p[s.size()] = '\0';
  std::string_view stored(p, s.size());
  Sym sym = static_cast<Sym>(names_.size());
  names_.push_back(stored);
  symbols_.emplace(stored, sym);
  return sym;
}

std::optional<Sym> Graph::Lookup(std::string_view s) const {
  auto it = symbols_.find(s);
  if (it == symbols_.end()) return std::nullopt;
  return it->second;
}

std::string_view Graph::Name(Sym sym) const { return names_[sym]; }

Value Graph::String(std::string_view s) { return Value::StringView(Name(Intern(s))); }

Value Graph::List(std::span<const Value> items) {
  Value* p = static_cast<Value*>(arena_->Allocate(sizeof(Value) * std::max<size_t>(1, items.size()),
                                                  alignof(Value)));
  std::copy(items.begin(), items.end(), p);
  return Value::ListView({p, items.size()});
}

NodeIndex Graph::AddNode(std::string_view label, std::string_view id) {
  Sym id_sym = Intern(id);
  auto it = by_id_.find(id_sym);
  if (it != by_id_.end()) return it->second;
  NodeIndex index = static_cast<NodeIndex>(nodes_.size());
  nodes_.push_back(Node{Intern(label), id_sym, static_cast<uint32_t>(props_.size()), 0});
  by_id_.emplace(id_sym, index);
  frozen_ = false;
  return index;
}

std::optional<NodeIndex> Graph::FindNode(std::string_view id) const {
  auto sym = Lookup(id);
  if (!sym) return std::nullopt;
  auto it = by_id_.find(*sym);
  if (it == by_id_.end()) return std::nullopt;
  return it->second;
}

void Graph::SetProp(NodeIndex node, std::string_view key, Value value) {
  SetProp(node, Intern(key), value);
}

void Graph::SetProp(NodeIndex node, Sym key, Value value) {
  Node& n = nodes_[node];
  for (uint32_t i = 0; i < n.prop_count; ++i) {
    Prop& p = props_[n.prop_begin + i];
    if (p.key != key) continue;
    if (value.is_null()) {
      // Absent means null: remove by moving the last property of this node into the hole.
      p = props_[n.prop_begin + n.prop_count - 1];
      --n.prop_count;
    } else {
      p.value = value;
    }
    return;
  }
  if (value.is_null()) return;
  // Properties of a node are contiguous; when they are not at the end of the pool, move them.
  if (n.prop_begin + n.prop_count != props_.size()) {
    uint32_t begin = static_cast<uint32_t>(props_.size());
    for (uint32_t i = 0; i < n.prop_count; ++i) props_.push_back(props_[n.prop_begin + i]);
    n.prop_begin = begin;
  }
  props_.push_back(Prop{key, value});
  ++n.prop_count;
}

Value Graph::GetProp(NodeIndex node, Sym key) const {
  const Node& n = nodes_[node];
  for (uint32_t i = 0; i < n.prop_count; ++i) {
    if (props_[n.prop_begin + i].key == key) return props_[n.prop_begin + i].value;
  }
  return Value();
}

Value Graph::GetProp(NodeIndex node, std::string_view key) const {
  auto sym = Lookup(key);
  return sym ? GetProp(node, *sym) : Value();
}

std::span<const Graph::Prop> Graph::Props(NodeIndex node) const {
  const Node& n = nodes_[node];
  return {props_.data() + n.prop_begin, n.prop_count};
}

void Graph::AddEdge(std::string_view type, NodeIndex from, NodeIndex to) {
  edges_.push_back(Edge{from, to, Intern(type)});
  frozen_ = false;
}

void Graph::BuildAdjacency(Direction dir, Adjacency* adj) const {
  struct Half {
    NodeIndex node;
    Sym type;
    NodeIndex other;
    auto operator<=>(const Half&) const = default;
  };
  std::vector<Half> halves;
  halves.reserve(edges_.size());
  for (const Edge& e : edges_) {
    if (dir == Direction::kOut) halves.push_back({e.from, e.type, e.to});
    else halves.push_back({e.to, e.type, e.from});
  }
  std::sort(halves.begin(), halves.end());
  halves.erase(std::unique(halves.begin(), halves.end()), halves.end());
  adj->offsets.assign(nodes_.size() + 1, 0);
  adj->types.clear();
  adj->targets.clear();
  adj->types.reserve(halves.size());
  adj->targets.reserve(halves.size());
  for (const Half& h : halves) {
    ++adj->offsets[h.node + 1];
    adj->types.push_back(h.type);
    adj->targets.push_back(h.other);
  }
  for (size_t i = 1; i < adj->offsets.size(); ++i) adj->offsets[i] += adj->offsets[i - 1];
}

void Graph::Freeze() {
  BuildAdjacency(Direction::kOut, &out_);
  BuildAdjacency(Direction::kIn, &in_);
  by_label_.clear();
  for (NodeIndex i = 0; i < nodes_.size(); ++i) by_label_[nodes_[i].label].push_back(i);
  frozen_ = true;
}

std::span<const NodeIndex> Graph::NodesWithLabel(Sym label) const {
  assert(frozen_);
  auto it = by_label_.find(label);
  if (it == by_label_.end()) return {};
  return it->second;
}

std::span<const NodeIndex> Graph::NodesWithLabel(std::string_view label) const {
  auto sym = Lookup(label);
  return sym ? NodesWithLabel(*sym) : std::span<const NodeIndex>{};
}

std::span<const NodeIndex> Graph::Range(const Adjacency& adj, NodeIndex node, Sym type) const {
  uint32_t begin = adj.offsets[node], end = adj.offsets[node + 1];
  auto first = std::lower_bound(adj.types.begin() + begin, adj.types.begin() + end, type);
  auto last = std::upper_bound(first, adj.types.begin() + end, type);
  size_t b = first - adj.types.begin(), e = last - adj.types.begin();
  return {adj.targets.data() + b, e - b};
}

std::span<const NodeIndex> Graph::Neighbors(NodeIndex node, Sym type, Direction dir) const {
  assert(frozen_);
  return Range(dir == Direction::kOut ? out_ : in_, node, type);
}

}  // namespace ecsguard::graph
