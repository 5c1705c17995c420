#include <fmt/format.h>

#include <algorithm>

#include "base/strings.h"
#include "query/program.h"

namespace ecsguard::query {

using graph::NodeIndex;
using graph::Tri;
using graph::Value;

namespace {

Tri FromBool(bool b) { return b ? Tri::kTrue : Tri::kFalse; }

// Sets of outcomes (Evaluator::Possible).
constexpr uint8_t kF = 1, kT = 2, kN = 4, kAny = kF | kT | kN;
uint8_t Bit(Tri t) { return uint8_t(1u << static_cast<unsigned>(t)); }
bool Decided(uint8_t outcomes) { return outcomes == kF || outcomes == kT || outcomes == kN; }

// Kleene AND (QUERY-LANGUAGE §3.2) of any a in `x` and b in `y`: TRUE needs both TRUE, FALSE
// either FALSE, NULL a NULL with the other NULL or TRUE.
uint8_t And(uint8_t x, uint8_t y) {
  uint8_t out = 0;
  if ((x & kT) && (y & kT)) out |= kT;
  if ((x & kF) || (y & kF)) out |= kF;
  if (((x & kN) && (y & (kT | kN))) || ((y & kN) && (x & (kT | kN)))) out |= kN;
  return out;
}
uint8_t Negate(uint8_t x) { return uint8_t((x & kN) | (x & kT ? kF : 0) | (x & kF ? kT : 0)); }
uint8_t Or(uint8_t x, uint8_t y) { return Negate(And(Negate(x), Negate(y))); }

// Cypher `x IN list` (QUERY-LANGUAGE §4): [] is FALSE even for a null x; a match is TRUE;
// otherwise NULL if x is null or some element compared NULL; else FALSE.
Tri In(const Value& x, std::span<const Value> list) {
  if (list.empty()) return Tri::kFalse;
  if (x.is_null()) return Tri::kNull;
  bool unknown = false;
  for (const Value& item : list) {
    Tri t = graph::CypherEquals(x, item);
    if (t == Tri::kTrue) return Tri::kTrue;
    if (t == Tri::kNull) unknown = true;
  }
  return unknown ? Tri::kNull : Tri::kFalse;
}

// Cypher ordering for <, <=, >, >=: numbers numerically, strings by bytes (code points),
// Booleans false < true; anything else (null, mixed types) is not comparable.
std::optional<int> Order(const Value& a, const Value& b) {
  if (a.is_number() && b.is_number()) {
    if (a.kind() == Value::Kind::kInt && b.kind() == Value::Kind::kInt) {
      return a.as_int() < b.as_int() ? -1 : a.as_int() > b.as_int() ? 1 : 0;
    }
    double x = a.as_number(), y = b.as_number();
    if (x != x || y != y) return std::nullopt;  // NaN
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (a.kind() != b.kind()) return std::nullopt;
  if (a.kind() == Value::Kind::kString) {
    int c = a.as_string().compare(b.as_string());
    return c < 0 ? -1 : c > 0 ? 1 : 0;
  }
  if (a.kind() == Value::Kind::kBool) return int(a.as_bool()) - int(b.as_bool());
  return std::nullopt;
}

// ORDER BY: every value is ordered, lists < strings < Booleans < numbers < null, so that
// ascending puts nulls last and descending first, as Cypher does.
int SortOrder(const Value& a, const Value& b) {
  auto rank = [](const Value& v) {
    switch (v.kind()) {
      case Value::Kind::kList:
        return 0;
      case Value::Kind::kString:
        return 1;
      case Value::Kind::kBool:
        return 2;
      case Value::Kind::kInt:
      case Value::Kind::kFloat:
        return 3;
      case Value::Kind::kNull:
        return 4;
    }
    return 4;
  };
  int ra = rank(a), rb = rank(b);
  if (ra != rb) return ra < rb ? -1 : 1;
  if (a.kind() == Value::Kind::kList) {
    auto x = a.as_list(), y = b.as_list();
    for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
      if (int c = SortOrder(x[i], y[i])) return c;
    }
    return x.size() < y.size() ? -1 : x.size() > y.size() ? 1 : 0;
  }
  return Order(a, b).value_or(0);
}

// The size of `v` as compact JSON text, near enough for a budget: strings are counted without
// the escapes they may need, numbers at their longest.
uint64_t TextSize(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kNull:
    case Value::Kind::kBool:
      return 5;
    case Value::Kind::kInt:
    case Value::Kind::kFloat:
      return 24;
    case Value::Kind::kString:
      return v.as_string().size() + 2;
    case Value::Kind::kList: {
      uint64_t size = 2;
      for (const Value& item : v.as_list()) size += TextSize(item) + 1;
      return size;
    }
  }
  return 5;
}

}  // namespace

Evaluator::Evaluator(const Program& program, const graph::Graph& g, const Budget& budget)
    : p_(program), g_(g), syms_(program.names.size(), kMissing), budget_(budget) {
  std::string marker;
  for (size_t i = 0; i < program.names.size(); ++i) {
    if (auto sym = g.Lookup(program.names[i])) syms_[i] = *sym;
    marker.assign(program.names[i]).append(graph::kUnknownSuffix);
    if (auto sym = g.Lookup(marker)) {
      if (unknown_syms_.empty()) unknown_syms_.assign(program.names.size(), kMissing);
      unknown_syms_[i] = *sym;
    }
  }
}

bool Evaluator::Spend(uint64_t steps) const {
  if (exhausted_) return false;
  steps_ += steps;
  if (steps_ <= budget_.max_steps) return true;
  exhausted_ = Error(ErrorCode::kResourceExhausted,
                     fmt::format("query evaluation budget exceeded: more than {} steps (filter "
                                 "operators, related nodes and result objects)",
                                 budget_.max_steps));
  return false;
}

bool Evaluator::SpendBytes(uint64_t bytes) const {
  if (exhausted_) return false;
  bytes_ += bytes;
  if (bytes_ <= budget_.max_result_bytes) return true;
  exhausted_ = Error(ErrorCode::kResourceExhausted,
                     fmt::format("query evaluation budget exceeded: result larger than {} bytes",
                                 budget_.max_result_bytes));
  return false;
}

Value Evaluator::Get(uint32_t name, NodeIndex node) const {
  if (name == kNodeId) return Value::StringView(g_.Id(node));
  graph::Sym sym = syms_[name];
  return sym == kMissing ? Value() : g_.GetProp(node, sym);
}

std::optional<std::string_view> Evaluator::UnknownReason(uint32_t name, NodeIndex node) const {
  if (name >= unknown_syms_.size() || unknown_syms_[name] == kMissing) return std::nullopt;
  Value why = g_.GetProp(node, unknown_syms_[name]);
  if (why.kind() != Value::Kind::kString) return std::nullopt;
  return why.as_string();
}

bool Evaluator::LabelOk(const Relation& rel, NodeIndex node) const {
  graph::Sym label = g_.Label(node);
  for (uint32_t name : rel.labels) {
    if (syms_[name] == label) return true;
  }
  return false;
}

Tri Evaluator::Eval(uint32_t index, NodeIndex node) const {
  if (!Spend(1)) return Tri::kNull;
  const Pred& p = p_.preds[index];
  switch (p.kind) {
    case PredKind::kAnd: {
      Tri result = Tri::kTrue;
      for (uint32_t i = p.a; i < p.a + p.b; ++i) {
        Tri t = Eval(p_.children[i], node);
        if (t == Tri::kFalse) return Tri::kFalse;
        if (t == Tri::kNull) result = Tri::kNull;
      }
      return result;
    }
    case PredKind::kOr: {
      Tri result = Tri::kFalse;
      for (uint32_t i = p.a; i < p.a + p.b; ++i) {
        Tri t = Eval(p_.children[i], node);
        if (t == Tri::kTrue) return Tri::kTrue;
        if (t == Tri::kNull) result = Tri::kNull;
      }
      return result;
    }
    case PredKind::kNot: {
      Tri t = Eval(p.a, node);
      return t == Tri::kNull ? Tri::kNull : FromBool(t == Tri::kFalse);
    }
    case PredKind::kIsNull:
      return FromBool(Get(p.a, node).is_null());
    case PredKind::kIsNotNull:
      return FromBool(!Get(p.a, node).is_null());
    case PredKind::kCompare:
      return Compare(p, node);
    case PredKind::kQuantifier:
      return Quantify(p_.quantifiers[p.a], node);
  }
  return Tri::kNull;
}

Tri Evaluator::Compare(const Pred& p, NodeIndex node) const {
  const Value v = Get(p.a, node);
  const Constant& c = p_.constants[p.b];
  switch (p.op) {
    case CmpOp::kEq:
      return graph::CypherEquals(v, c.value);
    case CmpOp::kIn:
      if (c.set) {
        // Every element is a non-null string: a string either is in the set or not, anything
        // else equals none of them.
        if (v.is_null()) return Tri::kNull;
        if (v.kind() != Value::Kind::kString) return Tri::kFalse;
        return FromBool(c.set->count(v.as_string()) > 0);
      }
      return In(v, c.value.as_list());
    case CmpOp::kIncludes:
      if (v.kind() != Value::Kind::kList) return Tri::kNull;
      return In(c.value, v.as_list());
    case CmpOp::kContains:
    case CmpOp::kStartsWith:
    case CmpOp::kEndsWith: {
      if (v.kind() != Value::Kind::kString || c.value.kind() != Value::Kind::kString) {
        return Tri::kNull;
      }
      std::string_view s = v.as_string(), needle = c.value.as_string();
      if (p.op == CmpOp::kContains) return FromBool(s.find(needle) != std::string_view::npos);
      if (p.op == CmpOp::kStartsWith) return FromBool(s.starts_with(needle));
      return FromBool(s.ends_with(needle));
    }
    case CmpOp::kLt:
    case CmpOp::kLte:
    case CmpOp::kGt:
    case CmpOp::kGte: {
      std::optional<int> order = Order(v, c.value);
      if (!order) return Tri::kNull;
      switch (p.op) {
        case CmpOp::kLt:
          return FromBool(*order < 0);
        case CmpOp::kLte:
          return FromBool(*order <= 0);
        case CmpOp::kGt:
          return FromBool(*order > 0);
        default:
          return FromBool(*order >= 0);
      }
    }
    case CmpOp::kMatches:
      if (v.kind() != Value::Kind::kString) return Tri::kNull;
      return FromBool(RE2::FullMatch(v.as_string(), *c.regex));
  }
  return Tri::kNull;
}

// QUERY-LANGUAGE §5.1: quantifiers count only TRUE (and, for ALL, FALSE) results and never
// return NULL; they stop as soon as the answer is known.
Tri Evaluator::Quantify(const QuantifierInfo& q, NodeIndex node) const {
  const Relation& rel = p_.relations[q.relation];
  graph::Sym edge = syms_[rel.edge];
  std::span<const NodeIndex> related;
  if (edge != kMissing) related = g_.Neighbors(node, edge, rel.direction);
  bool any_true = false;
  int trues = 0;
  for (NodeIndex x : related) {
    if (!Spend(1)) return Tri::kNull;
    if (!LabelOk(rel, x)) continue;
    Tri t = q.sub == kNone ? Tri::kTrue : Eval(q.sub, x);
    switch (q.quantifier) {
      case Quantifier::kSome:
        if (t == Tri::kTrue) return Tri::kTrue;
        break;
      case Quantifier::kNone:
        if (t == Tri::kTrue) return Tri::kFalse;
        break;
      case Quantifier::kAll:
        if (t == Tri::kFalse) return Tri::kFalse;
        any_true |= t == Tri::kTrue;
        break;
      case Quantifier::kSingle:
        if (t == Tri::kTrue && ++trues > 1) return Tri::kFalse;
        break;
    }
  }
  switch (q.quantifier) {
    case Quantifier::kSome:
      return Tri::kFalse;
    case Quantifier::kNone:
      return Tri::kTrue;
    case Quantifier::kAll:
      return FromBool(any_true);
    case Quantifier::kSingle:
      return FromBool(trues == 1);
  }
  return Tri::kFalse;
}

uint8_t Evaluator::Possible(uint32_t index, NodeIndex node,
                            std::vector<std::string_view>* why) const {
  if (!Spend(1)) return kN;
  const Pred& p = p_.preds[index];
  size_t mark = why->size();
  uint8_t out = kN;
  switch (p.kind) {
    case PredKind::kAnd:
    case PredKind::kOr: {
      bool is_and = p.kind == PredKind::kAnd;
      // A FALSE-only operand decides AND, a TRUE-only one OR, whatever the others are.
      uint8_t decided = is_and ? kF : kT;
      out = is_and ? kT : kF;
      for (uint32_t i = p.a; i < p.a + p.b && out != decided; ++i) {
        uint8_t t = Possible(p_.children[i], node, why);
        out = is_and ? And(out, t) : Or(out, t);
      }
      break;
    }
    case PredKind::kNot:
      out = Negate(Possible(p.a, node, why));
      break;
    case PredKind::kIsNull:
    case PredKind::kIsNotNull:
    case PredKind::kCompare: {
      if (Get(p.a, node).is_null()) {
        if (auto reason = UnknownReason(p.a, node)) {
          why->push_back(*reason);
          if (p.kind != PredKind::kCompare) return kT | kF;
          // `f_IN: []` is FALSE whatever f is (§4); any other comparison may come out any way.
          const Value& c = p_.constants[p.b].value;
          bool empty_in = p.op == CmpOp::kIn && c.kind() == Value::Kind::kList &&
                          c.as_list().empty() && !p_.constants[p.b].set;
          return empty_in ? kF : kAny;
        }
      }
      if (p.kind == PredKind::kCompare) return Bit(Compare(p, node));
      return Bit(FromBool(Get(p.a, node).is_null() == (p.kind == PredKind::kIsNull)));
    }
    case PredKind::kQuantifier:
      out = PossibleQuantify(p_.quantifiers[p.a], node, why);
      break;
  }
  // A decided outcome depends on no unknown: only undecided ones keep their reasons.
  if (Decided(out)) why->resize(mark);
  return out;
}

// §5.1 over sets: each related node may have any outcome of its set, independently; a relationship
// marked unknown may also hold any number of further nodes with any outcome.
uint8_t Evaluator::PossibleQuantify(const QuantifierInfo& q, NodeIndex node,
                                    std::vector<std::string_view>* why) const {
  const Relation& rel = p_.relations[q.relation];
  graph::Sym edge = syms_[rel.edge];
  std::span<const NodeIndex> related;
  if (edge != kMissing) related = g_.Neighbors(node, edge, rel.direction);
  int may_true = 0, must_true = 0;
  bool all_may_not_true = true, any_may_false = false, all_may_not_false = true;
  for (NodeIndex x : related) {
    if (!Spend(1)) return kN;
    if (!LabelOk(rel, x)) continue;
    uint8_t t = q.sub == kNone ? kT : Possible(q.sub, x, why);
    may_true += (t & kT) ? 1 : 0;
    must_true += t == kT ? 1 : 0;
    all_may_not_true &= (t & (kF | kN)) != 0;
    any_may_false |= (t & kF) != 0;
    all_may_not_false &= (t & (kT | kN)) != 0;
  }
  bool more = false;
  if (auto reason = UnknownReason(q.field, node)) {
    why->push_back(*reason);
    more = true;
  }
  bool some = may_true > 0 || more;
  bool t = false, f = false;
  switch (q.quantifier) {
    case Quantifier::kSome:  // #T >= 1
      t = some;
      f = all_may_not_true;
      break;
    case Quantifier::kNone:  // #T = 0
      t = all_may_not_true;
      f = some;
      break;
    case Quantifier::kAll:  // #T >= 1 and #F = 0
      t = all_may_not_false && some;
      f = any_may_false || all_may_not_true || more;
      break;
    case Quantifier::kSingle:  // #T = 1
      t = must_true == 1 || (must_true == 0 && some);
      f = all_may_not_true || may_true >= 2 || more;
      break;
  }
  return uint8_t((t ? kT : 0) | (f ? kF : 0));
}

void Evaluator::ApplyPaging(const Paging& paging, std::vector<NodeIndex>* nodes) const {
  if (!paging.sort.empty()) {
    std::stable_sort(nodes->begin(), nodes->end(), [&](NodeIndex a, NodeIndex b) {
      for (const SortKey& key : paging.sort) {
        int c = SortOrder(Get(key.name, a), Get(key.name, b));
        if (c != 0) return key.descending ? c > 0 : c < 0;
      }
      return false;
    });
  }
  if (paging.offset > 0) {
    nodes->erase(nodes->begin(), nodes->begin() + static_cast<ptrdiff_t>(std::min<uint64_t>(
                                                      paging.offset, nodes->size())));
  }
  if (paging.limit && *paging.limit < nodes->size()) nodes->resize(*paging.limit);
}

std::vector<NodeIndex> Evaluator::Select(const RootField& root) const {
  std::vector<NodeIndex> out;
  graph::Sym label = syms_[root.label];
  if (label == kMissing) return out;
  if (!unknown_syms_.empty() && root.where != kNone) return Decide(root).matches;
  for (NodeIndex n : g_.NodesWithLabel(label)) {
    if (!Spend(1)) return {};
    if (Passes(root.where, n)) out.push_back(n);
  }
  ApplyPaging(root.paging, &out);
  return out;
}

Decision Evaluator::Decide(const RootField& root) const {
  Decision out;
  graph::Sym label = syms_[root.label];
  if (label == kMissing) return out;
  if (unknown_syms_.empty() || root.where == kNone) {
    out.matches = Select(root);
    return out;
  }
  std::vector<std::string_view> why;
  for (NodeIndex n : g_.NodesWithLabel(label)) {
    if (!Spend(1)) return {};
    why.clear();
    uint8_t t = Possible(root.where, n, &why);
    if (t == kT) {
      out.matches.push_back(n);
    } else if (t & kT) {
      Undecided u{n, {}};
      for (std::string_view w : why) {
        if (std::find(u.reasons.begin(), u.reasons.end(), w) == u.reasons.end()) {
          u.reasons.emplace_back(w);
        }
      }
      out.undecided.push_back(std::move(u));
    }
  }
  ApplyPaging(root.paging, &out.matches);
  return out;
}

nlohmann::json Evaluator::ToJson(const Value& v) const {
  switch (v.kind()) {
    case Value::Kind::kNull:
      return nullptr;
    case Value::Kind::kBool:
      return v.as_bool();
    case Value::Kind::kInt:
      return v.as_int();
    case Value::Kind::kFloat:
      return v.as_float();
    case Value::Kind::kString:
      return std::string(v.as_string());
    case Value::Kind::kList: {
      nlohmann::json out = nlohmann::json::array();
      for (const Value& item : v.as_list()) out.push_back(ToJson(item));
      return out;
    }
  }
  return nullptr;
}

nlohmann::json Evaluator::Project(uint32_t plan_index, NodeIndex node) const {
  const Plan& plan = p_.plans[plan_index];
  nlohmann::json out = nlohmann::json::object();
  // The budget is checked before each field is added, so a response never grows far past it.
  if (!Spend(1) || !SpendBytes(2)) return out;
  for (const OutField& f : plan.fields) {
    if (!SpendBytes(f.key.size() + 4)) return out;
    switch (f.kind) {
      case OutField::Kind::kTypename:
        if (!SpendBytes(plan.type_name.size())) return out;
        out[f.key] = plan.type_name;
        break;
      case OutField::Kind::kId:
        if (!SpendBytes(g_.Id(node).size())) return out;
        out[f.key] = std::string(g_.Id(node));
        break;
      case OutField::Kind::kNull:
        out[f.key] = nullptr;
        break;
      case OutField::Kind::kScalar: {
        Value v = Get(f.name, node);
        if (!SpendBytes(f.sensitive ? 12 : TextSize(v))) return out;
        out[f.key] = v.is_null()   ? nlohmann::json(nullptr)
                     : f.sensitive ? nlohmann::json(kRedacted)
                                   : ToJson(v);
        break;
      }
      case OutField::Kind::kRelationship: {
        const Relation& rel = p_.relations[f.relation];
        std::vector<NodeIndex> related;
        if (syms_[rel.edge] != kMissing) {
          for (NodeIndex x : g_.Neighbors(node, syms_[rel.edge], rel.direction)) {
            if (!Spend(1)) return out;
            if (LabelOk(rel, x) && Passes(f.where, x)) related.push_back(x);
          }
        }
        ApplyPaging(f.paging, &related);
        auto plan_for = [&](NodeIndex x) {
          if (f.plans.size() == 1) return f.plans.front().second;
          for (const auto& [label, child] : f.plans) {
            if (syms_[label] == g_.Label(x)) return child;
          }
          return f.plans.front().second;
        };
        if (f.is_list) {
          nlohmann::json list = nlohmann::json::array();
          for (NodeIndex x : related) {
            if (!SpendBytes(1)) break;
            list.push_back(Project(plan_for(x), x));
          }
          out[f.key] = std::move(list);
        } else {
          out[f.key] = related.empty() ? nlohmann::json(nullptr)
                                       : Project(plan_for(related.front()), related.front());
        }
        break;
      }
    }
  }
  return out;
}

nlohmann::json Evaluator::Execute() const {
  nlohmann::json data = nlohmann::json::object();
  for (const RootField& root : p_.roots) {
    if (!root.type) {
      data[root.key] = "Query";
      continue;
    }
    nlohmann::json list = nlohmann::json::array();
    for (NodeIndex n : Select(root)) {
      if (!SpendBytes(1)) break;
      list.push_back(Project(root.plan, n));
    }
    data[root.key] = std::move(list);
  }
  return nlohmann::json{{"data", std::move(data)}};
}

void Evaluator::AddWitness(const QuantifierInfo& q, NodeIndex node,
                           std::vector<Witness>* out) const {
  for (Witness& w : *out) {
    if (w.node != node || w.relationship_path != q.path) continue;
    for (const std::string& f : q.reads) {
      if (std::find(w.fields.begin(), w.fields.end(), f) == w.fields.end()) w.fields.push_back(f);
    }
    return;
  }
  out->push_back(Witness{q.path, node, q.reads});
}

// Follows the operands that decide `pred` to be `want` (TRUE or FALSE) on `node`, recording
// the related nodes that quantifiers counted towards that outcome.
void Evaluator::Explain(uint32_t pred, NodeIndex node, bool want, std::vector<Witness>* out) const {
  const Pred& p = p_.preds[pred];
  Tri wanted = FromBool(want);
  switch (p.kind) {
    case PredKind::kAnd:
    case PredKind::kOr: {
      // AND is TRUE through all operands and FALSE through its FALSE ones; OR the dual.
      bool all = (p.kind == PredKind::kAnd) == want;
      for (uint32_t i = p.a; i < p.a + p.b; ++i) {
        uint32_t child = p_.children[i];
        if (all || Eval(child, node) == wanted) Explain(child, node, want, out);
      }
      return;
    }
    case PredKind::kNot:
      Explain(p.a, node, !want, out);
      return;
    case PredKind::kQuantifier: {
      const QuantifierInfo& q = p_.quantifiers[p.a];
      // TRUE for SOME/ALL/SINGLE and FALSE for NONE are made by related nodes matching the
      // nested filter; FALSE for ALL by related nodes failing it.
      bool by_true = (want && q.quantifier != Quantifier::kNone) ||
                     (!want && q.quantifier == Quantifier::kNone);
      bool by_false = !want && q.quantifier == Quantifier::kAll;
      if (!by_true && !by_false) return;
      const Relation& rel = p_.relations[q.relation];
      if (syms_[rel.edge] == kMissing) return;
      for (NodeIndex x : g_.Neighbors(node, syms_[rel.edge], rel.direction)) {
        if (!LabelOk(rel, x)) continue;
        Tri t = q.sub == kNone ? Tri::kTrue : Eval(q.sub, x);
        if ((by_true && t == Tri::kTrue) || (by_false && t == Tri::kFalse)) {
          AddWitness(q, x, out);
          if (q.sub != kNone) Explain(q.sub, x, t == Tri::kTrue, out);
        }
      }
      return;
    }
    default:
      return;
  }
}

}  // namespace ecsguard::query
