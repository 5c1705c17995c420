#pragma once

// Internal to query/: the compiled form of a query, and the evaluator that runs it on a graph.
//
// A Program is immutable once compiled and names everything it reads from a graph (property
// keys, edge types, labels) by an index into `names`. An Evaluator binds those names to the
// graph's symbols once, so evaluating a node does no string lookups and no allocation.

#include <re2/re2.h>

#include <cstdint>
#include <deque>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "graph/graph.h"
#include "query/query.h"

namespace ecsguard::query {

inline constexpr uint32_t kNone = UINT32_MAX;
// A property "name" that stands for the node id rather than a stored property.
inline constexpr uint32_t kNodeId = UINT32_MAX - 1;

enum class PredKind : uint8_t { kAnd, kOr, kNot, kCompare, kIsNull, kIsNotNull, kQuantifier };
enum class CmpOp : uint8_t {
  kEq,
  kIn,
  kContains,
  kStartsWith,
  kEndsWith,
  kLt,
  kLte,
  kGt,
  kGte,
  kMatches,
  kIncludes
};
enum class Quantifier : uint8_t { kSome, kNone, kAll, kSingle };

struct Pred {
  PredKind kind = PredKind::kAnd;
  CmpOp op = CmpOp::kEq;
  // kAnd/kOr: first index into Program::children; kNot: the operand; kCompare/kIsNull/
  // kIsNotNull: the property name (or kNodeId); kQuantifier: index into Program::quantifiers.
  uint32_t a = 0;
  // kAnd/kOr: number of operands; kCompare: index into Program::constants.
  uint32_t b = 0;
};

// Related nodes of a relationship field: over edges `edge` in `direction`, keeping only nodes
// whose label is one of `labels` (QUERY-LANGUAGE.md §3.1).
struct Relation {
  uint32_t edge = 0;
  graph::Direction direction = graph::Direction::kOut;
  std::vector<uint32_t> labels;
};

struct QuantifierInfo {
  Quantifier quantifier = Quantifier::kSome;
  uint32_t relation = 0;
  // The nested filter, or kNone for a pure existence test (SOME: EXISTS, NONE: NOT EXISTS).
  uint32_t sub = kNone;
  std::string path;                // dotted relationship fields from the root type
  std::vector<std::string> reads;  // scalar fields the nested filter reads on a related node
  uint32_t field = kNone;          // the relationship field's name (for its unknown marker)
};

struct Constant {
  graph::Value value;
  std::unique_ptr<RE2> regex;                                 // kMatches
  std::unique_ptr<std::unordered_set<std::string_view>> set;  // kIn over many strings
};

struct SortKey {
  uint32_t name = 0;
  bool descending = false;
};

struct Paging {
  uint64_t offset = 0;
  std::optional<uint64_t> limit;
  std::vector<SortKey> sort;
};

struct OutField {
  enum class Kind : uint8_t { kTypename, kId, kScalar, kRelationship, kNull };
  std::string key;
  Kind kind = Kind::kNull;
  uint32_t name = 0;       // kScalar
  bool sensitive = false;  // kScalar: output "<redacted>" instead of the value
  // kRelationship:
  uint32_t relation = 0;
  bool is_list = false;
  uint32_t where = kNone;
  Paging paging;
  std::vector<std::pair<uint32_t, uint32_t>> plans;  // label name -> plan of that type
};

struct Plan {
  std::string type_name;
  std::vector<OutField> fields;
};

struct RootField {
  std::string key;
  std::string field;
  const graph::TypeDef* type = nullptr;  // null for __typename
  uint32_t label = 0;
  uint32_t where = kNone;
  Paging paging;
  uint32_t plan = 0;
  std::vector<std::string> reads;  // scalar fields the root `where` reads directly
};

struct Program {
  std::vector<std::string> names;
  std::vector<Pred> preds;
  std::vector<uint32_t> children;
  std::vector<QuantifierInfo> quantifiers;
  std::vector<Relation> relations;
  std::vector<Constant> constants;
  // Storage behind constant Values; deques never move their elements.
  std::deque<std::string> strings;
  std::deque<std::vector<graph::Value>> lists;
  std::vector<Plan> plans;
  std::vector<RootField> roots;
  size_t first_root = 0;  // index into roots of the first asset list
  std::vector<std::string> warnings;
};

// Evaluates a Program on one graph within a Budget. Once the budget runs out, evaluation winds
// down (filters read NULL, loops and projection stop) and exhausted() holds the error that the
// caller returns instead of the partial result.
class Evaluator {
 public:
  Evaluator(const Program& program, const graph::Graph& g, const Budget& budget = {});

  graph::Tri Eval(uint32_t pred, graph::NodeIndex node) const;
  bool Passes(uint32_t where, graph::NodeIndex node) const {
    return where == kNone || Eval(where, node) == graph::Tri::kTrue;
  }
  // Root nodes of `root` whose where is TRUE (whatever the graph's unknown values are), sorted
  // and paged.
  std::vector<graph::NodeIndex> Select(const RootField& root) const;
  // Select, and the root nodes whose where is TRUE for some values of the unknowns and not for
  // others, each with the reasons of the unknowns that decide it (unpaged).
  Decision Decide(const RootField& root) const;
  nlohmann::json Execute() const;
  void Explain(uint32_t pred, graph::NodeIndex node, bool want, std::vector<Witness>* out) const;
  const std::optional<Error>& exhausted() const { return exhausted_; }

 private:
  static constexpr graph::Sym kMissing = UINT32_MAX;

  // The outcomes a filter can have over every value of the unknowns it reads (graph.h:
  // kUnknownSuffix), as a set of bits (kFalse 1, kTrue 2, kNull 4), each unknown taken
  // independently. Appends the reasons of the unknowns a non-singleton result depends on to `why`.
  uint8_t Possible(uint32_t pred, graph::NodeIndex node, std::vector<std::string_view>* why) const;
  uint8_t PossibleQuantify(const QuantifierInfo& q, graph::NodeIndex node,
                           std::vector<std::string_view>* why) const;
  // Why `name` is unknown on `node`, if it is.
  std::optional<std::string_view> UnknownReason(uint32_t name, graph::NodeIndex node) const;
  graph::Value Get(uint32_t name, graph::NodeIndex node) const;
  bool LabelOk(const Relation& rel, graph::NodeIndex node) const;
  graph::Tri Compare(const Pred& p, graph::NodeIndex node) const;
  graph::Tri Quantify(const QuantifierInfo& q, graph::NodeIndex node) const;
  void ApplyPaging(const Paging& paging, std::vector<graph::NodeIndex>* nodes) const;
  nlohmann::json Project(uint32_t plan, graph::NodeIndex node) const;
  nlohmann::json ToJson(const graph::Value& v) const;
  void AddWitness(const QuantifierInfo& q, graph::NodeIndex node, std::vector<Witness>* out) const;
  // Counts `steps` of work (or `bytes` of response); false once the budget is exhausted.
  bool Spend(uint64_t steps) const;
  bool SpendBytes(uint64_t bytes) const;

  const Program& p_;
  const graph::Graph& g_;
  std::vector<graph::Sym> syms_;  // names bound to this graph, kMissing when never interned
  // The unknown markers of the names ("user@unknown"); empty when the graph has none, so that a
  // graph without unknowns is evaluated by the two-valued-input path alone.
  std::vector<graph::Sym> unknown_syms_;
  Budget budget_;
  // Const evaluation still counts its work: an Evaluator is used by one thread at a time.
  mutable uint64_t steps_ = 0, bytes_ = 0;
  mutable std::optional<Error> exhausted_;
};

}  // namespace ecsguard::query
