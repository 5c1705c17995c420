#include "graph/property_graph.h"

#include <algorithm>
#include <cassert>
#include <cstring>

namespace ecsguard::graph {

namespace {

inline uint64_t Mix(uint64_t a, uint64_t b) {
  __uint128_t r = static_cast<__uint128_t>(a) * b;
  return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64);
}

inline uint64_t Load(const char* p, size_t n) {
  uint64_t v = 0;
  std::memcpy(&v, p, n);
  return v;
}

// A wyhash-style string hash: fast on the long, shared-prefix ids a snapshot produces.
uint32_t HashString(std::string_view s) {
  const char* p = s.data();
  size_t n = s.size();
  uint64_t h = 0x9E3779B97F4A7C15ull ^ n;
  while (n >= 16) {
    h = Mix(Load(p, 8) ^ 0xa0761d6478bd642full ^ h, Load(p + 8, 8) ^ 0xe7037ed1a0b428dbull);
    p += 16;
    n -= 16;
  }
  if (n >= 8) {
    h = Mix(Load(p, 8) ^ 0x8ebc6af09c88c6e3ull, h ^ 0xe7037ed1a0b428dbull);
    p += 8;
    n -= 8;
  }
  if (n > 0) h = Mix(Load(p, n) ^ 0x589965cc75374cc3ull, h ^ 0xa0761d6478bd642full);
  h = Mix(h ^ 0x1d8e4e27c47d124full, s.size() ^ 0x8ebc6af09c88c6e3ull);
  return static_cast<uint32_t>(h ^ (h >> 32));
}

}  // namespace

// Bump allocator: blocks are never moved, so string_views and spans into them stay valid.
// Blocks grow geometrically, so small graphs stay small and large ones make few allocations.
struct Graph::Arena {
  static constexpr size_t kFirstBlock = 64 << 10;
  static constexpr size_t kMaxBlock = 8 << 20;
  std::vector<std::unique_ptr<char[]>> blocks;
  char* cur = nullptr;
  size_t left = 0;
  size_t next_block = kFirstBlock;

  void* Allocate(size_t n, size_t align) {
    size_t pad = cur ? (align - reinterpret_cast<uintptr_t>(cur) % align) % align : 0;
    if (!cur || n + pad > left) {
      size_t size = std::max(next_block, n + align);
      next_block = std::min(kMaxBlock, next_block * 2);
      blocks.push_back(std::unique_ptr<char[]>(new char[size]));
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

const char* Graph::CopyToArena(std::string_view s) {
  char* p = static_cast<char*>(arena_->Allocate(s.size() + 1, 1));
  if (!s.empty()) std::memcpy(p, s.data(), s.size());
  p[s.size()] = '\0';
  return p;
}

size_t Graph::FindSlot(std::string_view s, uint32_t hash) const {
  size_t mask = symbols_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    uint64_t slot = symbols_[i];
    if (slot == 0) return i;
    if (static_cast<uint32_t>(slot >> 32) == hash) {
      std::string_view name = names_[static_cast<uint32_t>(slot) - 1];
      if (name.size() == s.size() &&
          (s.empty() || std::memcmp(name.data(), s.data(), s.size()) == 0)) {
        return i;
      }
    }
  }
}

void Graph::GrowSymbols() {
  size_t capacity = std::max<size_t>(64, symbols_.size() * 2);
  std::vector<uint64_t> grown(capacity, 0);
  size_t mask = capacity - 1;
  for (uint64_t slot : symbols_) {
    if (slot == 0) continue;
    size_t i = static_cast<uint32_t>(slot >> 32) & mask;
    while (grown[i] != 0) i = (i + 1) & mask;
    grown[i] = slot;
  }
  symbols_.swap(grown);
}

Sym Graph::Intern(std::string_view s) {
  // Load factor at most 1/2.
  if ((names_.size() + 1) * 2 > symbols_.size()) GrowSymbols();
  uint32_t hash = HashString(s);
  size_t i = FindSlot(s, hash);
  if (symbols_[i] != 0) return static_cast<uint32_t>(symbols_[i]) - 1;
  Sym sym = static_cast<Sym>(names_.size());
  names_.emplace_back(CopyToArena(s), s.size());
  symbols_[i] = (static_cast<uint64_t>(hash) << 32) | (static_cast<uint64_t>(sym) + 1);
  return sym;
}

std::optional<Sym> Graph::Lookup(std::string_view s) const {
  if (symbols_.empty()) return std::nullopt;
  size_t i = FindSlot(s, HashString(s));
  if (symbols_[i] == 0) return std::nullopt;
  return static_cast<uint32_t>(symbols_[i]) - 1;
}

std::string_view Graph::Name(Sym sym) const { return names_[sym]; }

Value Graph::String(std::string_view s) { return Value::StringView(Name(Intern(s))); }

Value Graph::StoreString(std::string_view s) {
  return Value::StringView({CopyToArena(s), s.size()});
}

void Graph::Reserve(size_t nodes, size_t props, size_t edges, size_t symbols) {
  nodes_.reserve(nodes);
  props_.reserve(props);
  edges_.reserve(edges);
  names_.reserve(symbols);
  by_id_.reserve(symbols);
  size_t capacity = 64;
  while (capacity < symbols * 2) capacity *= 2;
  if (capacity > symbols_.size()) {
    // Rehash into the larger table now rather than in steps later.
    std::vector<uint64_t> old;
    old.swap(symbols_);
    symbols_.assign(capacity, 0);
    size_t mask = capacity - 1;
    for (uint64_t slot : old) {
      if (slot == 0) continue;
      size_t i = static_cast<uint32_t>(slot >> 32) & mask;
      while (symbols_[i] != 0) i = (i + 1) & mask;
      symbols_[i] = slot;
    }
  }
}

Value Graph::List(std::span<const Value> items) {
  Value* p = static_cast<Value*>(
      arena_->Allocate(sizeof(Value) * std::max<size_t>(1, items.size()), alignof(Value)));
  std::copy(items.begin(), items.end(), p);
  return Value::ListView({p, items.size()});
}

NodeIndex Graph::AddNode(std::string_view label, std::string_view id) {
  Sym id_sym = Intern(id);
  if (id_sym < by_id_.size() && by_id_[id_sym] != kNoNode) return by_id_[id_sym];
  return AddNodeWithId(Intern(label), id_sym);
}

NodeIndex Graph::AddNode(Sym label, std::string_view id) {
  return AddNodeWithId(label, Intern(id));
}

NodeIndex Graph::AddNodeWithId(Sym label, Sym id_sym) {
  if (id_sym >= by_id_.size()) {
    by_id_.resize(std::max(names_.size(), by_id_.size() + by_id_.size() / 2), kNoNode);
  }
  if (by_id_[id_sym] != kNoNode) return by_id_[id_sym];
  NodeIndex index = static_cast<NodeIndex>(nodes_.size());
  nodes_.push_back(Node{label, id_sym, static_cast<uint32_t>(props_.size()), 0});
  by_id_[id_sym] = index;
  frozen_ = false;
  return index;
}

std::optional<NodeIndex> Graph::FindNode(std::string_view id) const {
  auto sym = Lookup(id);
  if (!sym || *sym >= by_id_.size() || by_id_[*sym] == kNoNode) return std::nullopt;
  return by_id_[*sym];
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
  AddEdge(Intern(type), from, to);
}

void Graph::AddEdge(Sym type, NodeIndex from, NodeIndex to) {
  edges_.push_back(Edge{from, to, type});
  frozen_ = false;
}

void Graph::BuildAdjacency(Direction dir, Adjacency* adj) const {
  // Counting sort by node (one pass over the edges), then sort each node's short range by
  // (type, other) and drop duplicates while compacting.
  const size_t n = nodes_.size();
  std::vector<uint32_t> start(n + 1, 0);
  for (const Edge& e : edges_) ++start[(dir == Direction::kOut ? e.from : e.to) + 1];
  for (size_t i = 1; i <= n; ++i) start[i] += start[i - 1];
  struct Half {
    Sym type;
    NodeIndex other;
    auto operator<=>(const Half&) const = default;
  };
  std::vector<Half> halves(edges_.size());
  {
    std::vector<uint32_t> fill(start.begin(), start.end() - 1);
    for (const Edge& e : edges_) {
      if (dir == Direction::kOut)
        halves[fill[e.from]++] = Half{e.type, e.to};
      else
        halves[fill[e.to]++] = Half{e.type, e.from};
    }
  }
  adj->offsets.assign(n + 1, 0);
  adj->types.resize(halves.size());
  adj->targets.resize(halves.size());
  uint32_t out = 0;
  for (size_t node = 0; node < n; ++node) {
    Half* first = halves.data() + start[node];
    Half* last = halves.data() + start[node + 1];
    if (last - first > 1) {
      std::sort(first, last);
      last = std::unique(first, last);
    }
    for (Half* h = first; h != last; ++h) {
      adj->types[out] = h->type;
      adj->targets[out] = h->other;
      ++out;
    }
    adj->offsets[node + 1] = out;
  }
  adj->types.resize(out);
  adj->targets.resize(out);
  adj->types.shrink_to_fit();
  adj->targets.shrink_to_fit();
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
