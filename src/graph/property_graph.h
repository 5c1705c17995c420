#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "graph/pod_vector.h"
#include "graph/value.h"

namespace ecsguard::graph {

using NodeIndex = uint32_t;
using Sym = uint32_t;  // an interned string: labels, property keys, edge types, ids

enum class Direction : uint8_t { kOut, kIn };

// A value that a reader knows exists but cannot determine (a CloudFormation parameter without a
// default, a Terraform value known only after apply) is stored as the property
// "<field><kUnknownSuffix>" holding why it is unknown, instead of the property "<field>". On a
// relationship field's name it says that the node may have related nodes beyond the ones in the
// graph (a container list that is not, or not entirely, known). The query evaluator reads these
// markers (query.h: Query::Decide); live and snapshot graphs never have them.
inline constexpr std::string_view kUnknownSuffix = "@unknown";

// A property graph: nodes (label, unique id, properties) and typed directed edges.
//
// Build it with AddNode / SetProp / AddEdge, then call Freeze() once; reads (Neighbors,
// NodesWithLabel) require a frozen graph. Strings are copied into an arena owned by the graph
// and interned, so a Value returned by GetProp lives as long as the graph.
// Thread-safety: a frozen graph may be read from many threads; building is single-threaded.
class Graph {
 public:
  Graph();
  Graph(const Graph&) = delete;
  Graph& operator=(const Graph&) = delete;
  Graph(Graph&&) noexcept;
  Graph& operator=(Graph&&) noexcept;
  ~Graph();

  // Interns `s`; equal strings give equal symbols.
  Sym Intern(std::string_view s);
  // The symbol of `s` if it was ever interned.
  std::optional<Sym> Lookup(std::string_view s) const;
  std::string_view Name(Sym sym) const;

  // Values that own their storage in this graph's arena.
  Value String(std::string_view s);
  // Like String, but copies `s` into the arena without interning it: for values that are
  // (nearly) unique and never looked up, such as timestamps. Equal strings may get distinct
  // storage; the returned Value compares equal all the same.
  Value StoreString(std::string_view s);
  Value List(std::span<const Value> items);  // items' strings must already live in this graph

  // Adds a node, or returns the existing one with the same id (its label is then unchanged).
  NodeIndex AddNode(std::string_view label, std::string_view id);
  NodeIndex AddNode(Sym label, std::string_view id);
  std::optional<NodeIndex> FindNode(std::string_view id) const;
  // Sets (or replaces) a property. A null value removes it: absent means null.
  void SetProp(NodeIndex node, std::string_view key, Value value);
  void SetProp(NodeIndex node, Sym key, Value value);
  // Null when absent.
  Value GetProp(NodeIndex node, Sym key) const;
  Value GetProp(NodeIndex node, std::string_view key) const;
  struct Prop {
    Sym key;
    Value value;
  };
  std::span<const Prop> Props(NodeIndex node) const;

  // Adds (from)-[:type]->(to). Duplicate edges are kept once.
  void AddEdge(std::string_view type, NodeIndex from, NodeIndex to);
  void AddEdge(Sym type, NodeIndex from, NodeIndex to);

  // Capacity hints for a graph about to be built; never required, never changes behaviour.
  void Reserve(size_t nodes, size_t props, size_t edges, size_t symbols);

  // Builds the adjacency indexes. Adding after Freeze() is allowed; call Freeze() again.
  void Freeze();
  bool frozen() const { return frozen_; }

  size_t node_count() const { return nodes_.size(); }
  size_t edge_count() const { return edges_.size(); }
  Sym Label(NodeIndex node) const { return nodes_[node].label; }
  std::string_view LabelName(NodeIndex node) const { return Name(nodes_[node].label); }
  std::string_view Id(NodeIndex node) const { return Name(nodes_[node].id); }

  // Nodes with this label, in insertion order. Requires Freeze().
  std::span<const NodeIndex> NodesWithLabel(Sym label) const;
  std::span<const NodeIndex> NodesWithLabel(std::string_view label) const;
  // Nodes reached from `node` over edges of `type` in `dir`, any label. Requires Freeze().
  std::span<const NodeIndex> Neighbors(NodeIndex node, Sym type, Direction dir) const;

 private:
  struct Node {
    Sym label;
    Sym id;
    uint32_t prop_begin;
    uint32_t prop_count;
  };
  struct Edge {
    NodeIndex from;
    NodeIndex to;
    Sym type;
  };
  struct Adjacency {
    // Per node, a range into `targets`, sorted by edge type then target.
    std::vector<uint32_t> offsets;  // size node_count + 1
    std::vector<Sym> types;
    std::vector<NodeIndex> targets;
  };
  void BuildAdjacency(Direction dir, Adjacency* adj) const;
  std::span<const NodeIndex> Range(const Adjacency& adj, NodeIndex node, Sym type) const;

  static constexpr NodeIndex kNoNode = ~NodeIndex{0};
  const char* CopyToArena(std::string_view s);
  // Open-addressing slot of `s` (linear probing): its symbol, or the empty slot to fill.
  size_t FindSlot(std::string_view s, uint32_t hash) const;
  void GrowSymbols();
  NodeIndex AddNodeWithId(Sym label, Sym id_sym);

  struct Arena;
  std::unique_ptr<Arena> arena_;
  // Symbol table: power-of-two open addressing, each slot (hash << 32 | sym + 1), 0 = empty.
  std::vector<uint64_t> symbols_;
  // Growing pools: realloc-backed, so growth does not double the peak (see pod_vector.h).
  internal::PodVector<std::string_view> names_;
  internal::PodVector<Node> nodes_;
  internal::PodVector<Prop> props_;
  internal::PodVector<NodeIndex> by_id_;  // indexed by the id's Sym; kNoNode when none has it
  internal::PodVector<Edge> edges_;
  bool frozen_ = false;
  Adjacency out_, in_;
  std::unordered_map<Sym, std::vector<NodeIndex>> by_label_;
};

}  // namespace ecsguard::graph
