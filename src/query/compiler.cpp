#include "query/compiler.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <functional>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "graph/graphql_lexer.h"
#include "query/coercion.h"
#include "query/document.h"

namespace ecsguard::query {
namespace {

using graph::FieldDef;
using graph::ScalarType;
using graph::TypeDef;
using graph::Value;

// The selection of a query expands fragments; this bounds what a hostile document can make
// Execute produce.
constexpr size_t kMaxOutputFields = 1 << 16;
// An IN list longer than this over strings is matched through a hash set.
constexpr size_t kSetThreshold = 8;

constexpr std::string_view kAssetFragment = "AssetFragment";
constexpr std::string_view kAssetFragmentFields[] = {"__typename",     "id",     "identifier",
                                                     "idFromProvider", "name",   "cloudProvider",
                                                     "accountId",      "region", "assetCategory"};

SourceLocation At(Pos p) { return SourceLocation{"", p.line, p.column}; }

// Where-object keys: `field_SUFFIX` operators, longest first (QUERY-LANGUAGE §3.3).
enum class RelOp : uint8_t { kBare, kSome, kNone, kAll, kSingle, kNot };
struct Suffix {
  std::string_view text;
  bool scalar;  // a scalar operator; otherwise (or also, for NOT) a relationship operator
  bool relationship;
  CmpOp op;
  bool negated;
  RelOp rel;
};
constexpr Suffix kSuffixes[] = {
    {"NOT_STARTS_WITH", true, false, CmpOp::kStartsWith, true, RelOp::kBare},
    {"NOT_ENDS_WITH", true, false, CmpOp::kEndsWith, true, RelOp::kBare},
    {"NOT_CONTAINS", true, false, CmpOp::kContains, true, RelOp::kBare},
    {"NOT_INCLUDES", true, false, CmpOp::kIncludes, true, RelOp::kBare},
    {"STARTS_WITH", true, false, CmpOp::kStartsWith, false, RelOp::kBare},
    {"ENDS_WITH", true, false, CmpOp::kEndsWith, false, RelOp::kBare},
    {"CONTAINS", true, false, CmpOp::kContains, false, RelOp::kBare},
    {"INCLUDES", true, false, CmpOp::kIncludes, false, RelOp::kBare},
    {"MATCHES", true, false, CmpOp::kMatches, false, RelOp::kBare},
    {"NOT_IN", true, false, CmpOp::kIn, true, RelOp::kBare},
    {"SINGLE", false, true, CmpOp::kEq, false, RelOp::kSingle},
    {"SOME", false, true, CmpOp::kEq, false, RelOp::kSome},
    {"NONE", false, true, CmpOp::kEq, false, RelOp::kNone},
    {"LTE", true, false, CmpOp::kLte, false, RelOp::kBare},
    {"GTE", true, false, CmpOp::kGte, false, RelOp::kBare},
    {"NOT", true, true, CmpOp::kEq, true, RelOp::kNot},
    {"ALL", false, true, CmpOp::kEq, false, RelOp::kAll},
    {"EQ", true, false, CmpOp::kEq, false, RelOp::kBare},
    {"IN", true, false, CmpOp::kIn, false, RelOp::kBare},
    {"LT", true, false, CmpOp::kLt, false, RelOp::kBare},
    {"GT", true, false, CmpOp::kGt, false, RelOp::kBare},
};

// v7 nested operators: `field: {eq: .., in: .., ...}`.
struct NestedOp {
  std::string_view name;
  CmpOp op;
};
constexpr NestedOp kNestedOps[] = {
    {"eq", CmpOp::kEq},
    {"in", CmpOp::kIn},
    {"contains", CmpOp::kContains},
    {"startsWith", CmpOp::kStartsWith},
    {"endsWith", CmpOp::kEndsWith},
    {"lt", CmpOp::kLt},
    {"lte", CmpOp::kLte},
    {"gt", CmpOp::kGt},
    {"gte", CmpOp::kGte},
    {"matches", CmpOp::kMatches},
    {"includes", CmpOp::kIncludes},
};

std::optional<Quantifier> NestedQuantifier(std::string_view name) {
  if (name == "some") return Quantifier::kSome;
  if (name == "none") return Quantifier::kNone;
  if (name == "all") return Quantifier::kAll;
  if (name == "single") return Quantifier::kSingle;
  return std::nullopt;
}

// Operators the library generates per field type (QUERY-LANGUAGE §4; MATCHES and string
// ordering are always enabled, §7.6).
bool OpAllowed(const FieldDef& f, CmpOp op) {
  if (f.is_list) return op == CmpOp::kEq || op == CmpOp::kIncludes;
  switch (f.scalar) {
    case ScalarType::kBoolean:
      return op == CmpOp::kEq;
    case ScalarType::kID:
    case ScalarType::kString:
      return op != CmpOp::kIncludes;
    case ScalarType::kEnum:
      return op == CmpOp::kEq || op == CmpOp::kIn;
    case ScalarType::kInt:
    case ScalarType::kFloat:
    case ScalarType::kBigInt:
    case ScalarType::kDateTime:
      return op == CmpOp::kEq || op == CmpOp::kIn || op == CmpOp::kLt || op == CmpOp::kLte ||
             op == CmpOp::kGt || op == CmpOp::kGte;
  }
  return false;
}

template <typename F>
void ForEachSelection(const SelectionSet& set, const F& visit) {
  for (const Selection& sel : set.selections) {
    visit(sel);
    if (sel.selection_set) ForEachSelection(*sel.selection_set, visit);
  }
}

template <typename F>
void ForEachVariable(const Input& v, const F& visit) {
  if (v.kind == Input::Kind::kVariable) visit(v);
  for (const Input& item : v.items) ForEachVariable(item, visit);
  for (const Input::Field& f : v.fields) ForEachVariable(f.value, visit);
}

std::string ArgumentsKey(const Selection& sel) {
  std::vector<std::string> parts;
  for (const Argument& a : sel.arguments) parts.push_back(a.name + ":" + PrintInput(a.value));
  std::sort(parts.begin(), parts.end());
  std::string key;
  for (const std::string& p : parts) key += p + ",";
  return key;
}

// Where-compilation context: the relationship path from the root type (for Explain) and the
// scalar fields read at this level.
struct WhereScope {
  std::string path;
  std::vector<std::string>* reads = nullptr;
};

struct FieldArgs {
  uint32_t where = kNone;
  Paging paging;
  std::vector<std::string> reads;
};

class Compiler {
 public:
  Compiler(const graph::Schema& schema, const nlohmann::json& variables,
           const CompileOptions& options)
      : schema_(schema),
        json_variables_(variables),
        options_(options),
        program_(std::make_shared<Program>()) {}

  Result<std::shared_ptr<Program>> Run(std::string_view text) {
    if (!json_variables_.is_object() && !json_variables_.is_null()) {
      return Error(ErrorCode::kInvalidArgument, "query variables must be a JSON object");
    }
    ASSIGN_OR_RETURN(doc_, ParseStoredCheck(text));
    AddBuiltinFragment();
    RETURN_IF_ERROR(CheckDefinitions());
    RETURN_IF_ERROR(CheckVariables());
    const Operation& op = doc_.operations.front();
    RETURN_IF_ERROR(ValidateDirectives(op.directives, nullptr, "QUERY"));
    RETURN_IF_ERROR(ValidateSelectionSet(op.selection_set, nullptr));
    for (const Fragment& f : doc_.fragments) {
      if (f.builtin) continue;
      RETURN_IF_ERROR(ValidateDirectives(f.directives, nullptr, "FRAGMENT_DEFINITION"));
      RETURN_IF_ERROR(ValidateSelectionSet(f.selection_set, FragmentScope(f)));
    }
    RETURN_IF_ERROR(BuildRoots(op));
    return program_;
  }

 private:
  // Document-level rules: one query operation, fragments, the bare-selection retry.

  // QUERY-LANGUAGE §1.4: the stored checks spread AssetFragment without defining it.
  void AddBuiltinFragment() {
    if (doc_.FindFragment(kAssetFragment)) return;
    bool spread = false;
    auto visit = [&](const Selection& sel) {
      if (sel.kind == Selection::Kind::kFragmentSpread && sel.name == kAssetFragment) {
        spread = true;
      }
    };
    for (const Operation& op : doc_.operations) ForEachSelection(op.selection_set, visit);
    for (const Fragment& f : doc_.fragments) ForEachSelection(f.selection_set, visit);
    if (!spread) return;
    Fragment f;
    f.name = kAssetFragment;
    f.builtin = true;
    for (std::string_view name : kAssetFragmentFields) {
      Selection sel;
      sel.name = name;
      f.selection_set.selections.push_back(std::move(sel));
    }
    doc_.fragments.push_back(std::move(f));
  }

  Result<void> CheckDefinitions() {
    if (doc_.operations.empty()) {
      return Error(ErrorCode::kValidation, "the document defines no query operation");
    }
    if (doc_.operations.size() > 1) {
      return Invalid(doc_.operations[1].pos,
                     "a stored check must define exactly one operation; this document "
                     "defines " +
                         std::to_string(doc_.operations.size()));
    }
    const Operation& op = doc_.operations.front();
    if (op.kind != "query") {
      return Error(ErrorCode::kUnsupported,
                   fmt::format("only queries are supported, not a {}", op.kind), At(op.pos));
    }
    std::set<std::string_view> names;
    for (const Fragment& f : doc_.fragments) {
      if (!names.insert(f.name).second) {
        return Invalid(f.pos, fmt::format("There can be only one fragment named \"{}\".", f.name));
      }
      if (f.builtin || f.type_condition == "Query") continue;
      const TypeDef* type = schema_.Type(f.type_condition);
      if (!type) return Invalid(f.pos, fmt::format("Unknown type \"{}\".", f.type_condition));
    }
    // Spreads per fragment, for unknown names, cycles and unused fragments.
    std::map<std::string_view, std::vector<const Selection*>> spreads;
    auto collect = [](const SelectionSet& set, std::vector<const Selection*>* out) {
      ForEachSelection(set, [&](const Selection& sel) {
        if (sel.kind == Selection::Kind::kFragmentSpread) out->push_back(&sel);
      });
    };
    std::vector<const Selection*> from_operation;
    collect(op.selection_set, &from_operation);
    for (const Fragment& f : doc_.fragments) collect(f.selection_set, &spreads[f.name]);
    for (const Selection* s : from_operation) {
      if (!doc_.FindFragment(s->name)) {
        return Invalid(s->pos, fmt::format("Unknown fragment \"{}\".", s->name));
      }
    }
    for (const auto& [name, list] : spreads) {
      for (const Selection* s : list) {
        if (!doc_.FindFragment(s->name)) {
          return Invalid(s->pos, fmt::format("Unknown fragment \"{}\".", s->name));
        }
      }
    }
    // Cycles: depth-first over spreads, bounded so that a chain of fragments cannot exhaust
    // the stack.
    std::map<std::string_view, int> state;  // 1 visiting, 2 done
    std::function<Result<void>(std::string_view, int)> visit = [&](std::string_view name,
                                                                   int depth) -> Result<void> {
      if (depth > kMaxNestingDepth) {
        return Error(ErrorCode::kValidation,
                     fmt::format("fragment spreads nest deeper than {} levels", kMaxNestingDepth));
      }
      state[name] = 1;
      for (const Selection* s : spreads[name]) {
        int st = state[s->name];
        if (st == 1) {
          return Invalid(s->pos,
                         fmt::format("Cannot spread fragment \"{}\" within itself.", s->name));
        }
        if (st == 0) RETURN_IF_ERROR(visit(s->name, depth + 1));
      }
      state[name] = 2;
      return Ok{};
    };
    for (const Fragment& f : doc_.fragments) {
      if (state[f.name] == 0) RETURN_IF_ERROR(visit(f.name, 0));
    }
    // Unused fragments (GraphQL NoUnusedFragments): reachable from the operation only.
    std::set<std::string_view> reached;
    std::vector<std::string_view> todo;
    for (const Selection* s : from_operation) todo.push_back(s->name);
    while (!todo.empty()) {
      std::string_view name = todo.back();
      todo.pop_back();
      if (!reached.insert(name).second) continue;
      for (const Selection* s : spreads[name]) todo.push_back(s->name);
    }
    for (const Fragment& f : doc_.fragments) {
      if (!reached.count(f.name)) {
        return Invalid(f.pos, fmt::format("Fragment \"{}\" is never used.", f.name));
      }
    }
    return Ok{};
  }

  const TypeDef* FragmentScope(const Fragment& f) const {
    return f.type_condition == "Query" ? nullptr : schema_.Type(f.type_condition);
  }

  // Variables: declared types, supplied values, allowed positions.

  struct NamedInput {
    enum class Kind : uint8_t { kUnknown, kOutput, kScalar, kWhere, kOptions, kSort, kDirection };
    Kind kind = Kind::kUnknown;
    ScalarType scalar = ScalarType::kString;
  };

  NamedInput LookupInputType(std::string_view name) const {
    using K = NamedInput::Kind;
    if (auto s = BuiltinScalar(name)) return {K::kScalar, *s};
    if (name == "SortDirection") return {K::kDirection, ScalarType::kEnum};
    for (const TypeDef& t : schema_.types()) {
      if (t.name == name) return {K::kOutput, ScalarType::kString};
      if (!name.starts_with(t.name)) continue;
      std::string_view rest = name.substr(t.name.size());
      if (rest == "Where") return {K::kWhere, ScalarType::kString};
      if (rest == "Options") return {K::kOptions, ScalarType::kString};
      if (rest == "Sort") return {K::kSort, ScalarType::kString};
    }
    for (const TypeDef& t : schema_.types()) {
      for (const FieldDef& f : t.fields) {
        if (f.kind == FieldDef::Kind::kScalar && f.type_name == name) return {K::kScalar, f.scalar};
      }
    }
    return {};
  }

  Result<void> CheckVariableValue(const TypeRef& type, const Input& v,
                                  const VariableDefinition& def, std::string_view what) const {
    if (type.non_null) {
      if (v.kind == Input::Kind::kNull) {
        return Invalid(def.pos, fmt::format("Variable \"${}\" of non-null type \"{}\" must not be "
                                            "null{}.",
                                            def.name, def.type.ToString(), what));
      }
      return CheckVariableValue(*type.of, v, def, what);
    }
    if (v.kind == Input::Kind::kNull) return Ok{};
    if (type.is_list()) {
      if (v.kind != Input::Kind::kList) return CheckVariableValue(*type.of, v, def, what);
      for (const Input& item : v.items)
        RETURN_IF_ERROR(CheckVariableValue(*type.of, item, def, what));
      return Ok{};
    }
    NamedInput named = LookupInputType(type.name);
    std::optional<std::string> problem;
    switch (named.kind) {
      case NamedInput::Kind::kScalar:
        problem = CheckScalar(v, named.scalar, type.name);
        break;
      case NamedInput::Kind::kDirection:
        if (!IsDirection(v)) problem = fmt::format("expected ASC or DESC, found {}", Shown(v));
        break;
      case NamedInput::Kind::kWhere:
      case NamedInput::Kind::kOptions:
      case NamedInput::Kind::kSort:
        if (v.kind != Input::Kind::kObject) {
          problem =
              fmt::format("Expected type \"{}\" to be an object, found {}", type.name, Shown(v));
        }
        break;
      default:
        problem = "unknown type";
    }
    if (problem) {
      return Invalid(def.pos, fmt::format("Variable \"${}\" got invalid value{}; {}.", def.name,
                                          what, *problem));
    }
    return Ok{};
  }

  static bool IsDirection(const Input& v) {
    bool named = v.from_variable ? v.kind == Input::Kind::kString : v.kind == Input::Kind::kEnum;
    return named && (v.text == "ASC" || v.text == "DESC");
  }

  Result<void> CheckVariables() {
    const Operation& op = doc_.operations.front();
    // Every reference defined, every definition referenced (GraphQL §5.8.3, §5.8.4).
    std::vector<const Input*> refs;
    auto collect_args = [&](const std::vector<Argument>& args) {
      for (const Argument& a : args) {
        ForEachVariable(a.value, [&](const Input& v) { refs.push_back(&v); });
      }
    };
    auto collect_directives = [&](const std::vector<Directive>& ds) {
      for (const Directive& d : ds) collect_args(d.arguments);
    };
    auto collect_set = [&](const SelectionSet& set) {
      ForEachSelection(set, [&](const Selection& sel) {
        collect_args(sel.arguments);
        collect_directives(sel.directives);
      });
    };
    collect_directives(op.directives);
    collect_set(op.selection_set);
    for (const Fragment& f : doc_.fragments) {
      collect_directives(f.directives);
      collect_set(f.selection_set);
    }
    std::set<std::string_view> used;
    for (const Input* ref : refs) {
      bool defined = std::any_of(op.variables.begin(), op.variables.end(),
                                 [&](const VariableDefinition& d) { return d.name == ref->text; });
      if (!defined) {
        return Invalid(ref->pos, fmt::format("Variable \"${}\" is not defined.", ref->text));
      }
      used.insert(ref->text);
    }
    for (const VariableDefinition& def : op.variables) {
      if (variables_.count(def.name)) {
        return Invalid(def.pos,
                       fmt::format("There can be only one variable named \"${}\".", def.name));
      }
      if (!used.count(def.name)) {
        return Invalid(def.pos, fmt::format("Variable \"${}\" is never used.", def.name));
      }
      NamedInput named = LookupInputType(def.type.NamedType());
      if (named.kind == NamedInput::Kind::kUnknown) {
        return Invalid(def.pos, fmt::format("Unknown type \"{}\".", def.type.NamedType()));
      }
      if (named.kind == NamedInput::Kind::kOutput) {
        return Invalid(def.pos, fmt::format("Variable \"${}\" cannot be non-input type \"{}\".",
                                            def.name, def.type.ToString()));
      }
      VariableState& state = variables_[def.name];
      state.def = &def;
      if (def.default_value) {
        RETURN_IF_ERROR(CheckVariableValue(def.type, *def.default_value, def, " (default)"));
      }
      if (json_variables_.is_object() && json_variables_.contains(def.name)) {
        ASSIGN_OR_RETURN(Input value, FromJson(json_variables_[def.name], def.pos, 0));
        RETURN_IF_ERROR(CheckVariableValue(def.type, value, def, ""));
        state.value = std::move(value);
      } else if (def.default_value) {
        state.value = *def.default_value;
      } else if (def.type.non_null) {
        return Invalid(def.pos, fmt::format("Variable \"${}\" of required type \"{}\" was not "
                                            "provided.",
                                            def.name, def.type.ToString()));
      }
    }
    return Ok{};
  }

  // The value at a position whose type is `loc`: `v` itself, or the value of the variable `v`
  // names; null when that variable was not supplied (the input field is then omitted).
  Result<const Input*> Resolve(const Input& v, const TypeRef& loc) const {
    if (v.kind != Input::Kind::kVariable) return &v;
    auto it = variables_.find(v.text);
    if (it == variables_.end()) {
      return Invalid(v.pos, fmt::format("Variable \"${}\" is not defined.", v.text));
    }
    const VariableState& state = it->second;
    if (!IsAllowedPosition(state.def->type, state.def->default_value.has_value(), loc)) {
      return Invalid(v.pos, fmt::format("Variable \"${}\" of type \"{}\" used in position "
                                        "expecting type \"{}\".",
                                        v.text, state.def->type.ToString(), loc.ToString()));
    }
    return state.value ? &*state.value : nullptr;
  }

  bool IsUnset(const Input& v) const {
    if (v.kind != Input::Kind::kVariable) return false;
    auto it = variables_.find(v.text);
    return it != variables_.end() && !it->second.value;
  }

  // Selection sets, validated per scope type; field arguments are compiled on the way.

  bool Overlaps(const TypeDef* scope, std::string_view condition, Pos pos,
                Result<void>* error) const {
    if (condition == "Query") return !scope;
    const TypeDef* t = schema_.Type(condition);
    if (!t) {
      *error = Invalid(pos, fmt::format("Unknown type \"{}\".", condition));
      return false;
    }
    if (!scope) return false;
    if (t->name == scope->name) return true;
    if (!scope->is_interface && !t->is_interface) return false;
    if (!scope->is_interface) return scope->Implements(t->name);
    if (!t->is_interface) return t->Implements(scope->name);
    for (const TypeDef& o : schema_.types()) {
      if (!o.is_interface && o.Implements(t->name) && o.Implements(scope->name)) return true;
    }
    return false;
  }

  Result<void> ValidateSelectionSet(const SelectionSet& set, const TypeDef* scope) {
    for (const Selection& sel : set.selections) {
      const char* location = sel.kind == Selection::Kind::kField            ? "FIELD"
                             : sel.kind == Selection::Kind::kFragmentSpread ? "FRAGMENT_SPREAD"
                                                                            : "INLINE_FRAGMENT";
      RETURN_IF_ERROR(ValidateDirectives(sel.directives, &sel, location));
      std::string_view scope_name = scope ? std::string_view(scope->name) : "Query";
      switch (sel.kind) {
        case Selection::Kind::kField:
          RETURN_IF_ERROR(ValidateField(sel, scope));
          break;
        case Selection::Kind::kFragmentSpread: {
          const Fragment* f = doc_.FindFragment(sel.name);
          if (!f) return Invalid(sel.pos, fmt::format("Unknown fragment \"{}\".", sel.name));
          if (f->builtin) break;
          Result<void> error;
          if (!Overlaps(scope, f->type_condition, sel.pos, &error)) {
            RETURN_IF_ERROR(error);
            return Invalid(sel.pos, fmt::format("Fragment \"{}\" cannot be spread here as objects "
                                                "of type \"{}\" can never be of type \"{}\".",
                                                sel.name, scope_name, f->type_condition));
          }
          break;
        }
        case Selection::Kind::kInlineFragment: {
          const TypeDef* inner = scope;
          if (!sel.type_condition.empty()) {
            Result<void> error;
            if (!Overlaps(scope, sel.type_condition, sel.pos, &error)) {
              RETURN_IF_ERROR(error);
              return Invalid(sel.pos, fmt::format("Fragment cannot be spread here as objects of "
                                                  "type \"{}\" can never be of type \"{}\".",
                                                  scope_name, sel.type_condition));
            }
            inner = sel.type_condition == "Query" ? nullptr : schema_.Type(sel.type_condition);
          }
          RETURN_IF_ERROR(ValidateSelectionSet(*sel.selection_set, inner));
          break;
        }
      }
    }
    return Ok{};
  }

  Result<void> ValidateField(const Selection& sel, const TypeDef* scope) {
    std::string_view scope_name = scope ? std::string_view(scope->name) : "Query";
    if (sel.name == "__typename") {
      if (!sel.arguments.empty()) {
        return Invalid(sel.arguments.front().pos,
                       fmt::format("Unknown argument \"{}\" on field \"{}.__typename\".",
                                   sel.arguments.front().name, scope_name));
      }
      if (sel.selection_set) {
        return Invalid(sel.pos,
                       "Field \"__typename\" must not have a selection since type "
                       "\"String!\" has no subfields.");
      }
      return Ok{};
    }
    if (sel.name.starts_with("__")) {
      return Error(ErrorCode::kUnsupported,
                   fmt::format("introspection (\"{}\") is not supported", sel.name), At(sel.pos));
    }
    if (!scope) {
      const TypeDef* type = schema_.RootType(sel.name);
      if (!type) {
        return Invalid(sel.pos,
                       fmt::format("Cannot query field \"{}\" on type \"Query\".", sel.name));
      }
      if (!sel.selection_set) {
        return Invalid(sel.pos, fmt::format("Field \"{0}\" of type \"[{1}!]!\" must have a "
                                            "selection of subfields. Did you mean \"{0} {{ ... "
                                            "}}\"?",
                                            sel.name, type->name));
      }
      ASSIGN_OR_RETURN(args_[&sel], CompileArguments(sel, *type, "Query." + sel.name, ""));
      return ValidateSelectionSet(*sel.selection_set, type);
    }
    const FieldDef* f = scope->Field(sel.name);
    if (!f) {
      return Invalid(
          sel.pos, fmt::format("Cannot query field \"{}\" on type \"{}\".", sel.name, scope->name));
    }
    std::string owner = fmt::format("{}.{}", scope->name, f->name);
    if (f->kind == FieldDef::Kind::kRelationship) {
      const TypeDef* target = schema_.Type(f->type_name);
      if (!sel.selection_set) {
        return Invalid(sel.pos, fmt::format("Field \"{0}\" of type \"{1}\" must have a selection "
                                            "of subfields. Did you mean \"{0} {{ ... }}\"?",
                                            sel.name, f->type_name));
      }
      ASSIGN_OR_RETURN(args_[&sel], CompileArguments(sel, *target, owner, f->name));
      return ValidateSelectionSet(*sel.selection_set, target);
    }
    if (!sel.arguments.empty()) {
      return Invalid(sel.arguments.front().pos,
                     fmt::format("Unknown argument \"{}\" on field \"{}\".",
                                 sel.arguments.front().name, owner));
    }
    if (f->kind == FieldDef::Kind::kObject) {
      if (!sel.selection_set) {
        return Invalid(sel.pos, fmt::format("Field \"{0}\" of type \"{1}\" must have a selection "
                                            "of subfields. Did you mean \"{0} {{ ... }}\"?",
                                            sel.name, f->type_name));
      }
      return ValidateSelectionSet(*sel.selection_set, schema_.Type(f->type_name));
    }
    if (sel.selection_set) {
      return Invalid(sel.pos, fmt::format("Field \"{}\" must not have a selection since type "
                                          "\"{}\" has no subfields.",
                                          sel.name, f->type_name));
    }
    return Ok{};
  }

  // @skip(if:) and @include(if:), decided once at compile time.
  Result<void> ValidateDirectives(const std::vector<Directive>& directives, const Selection* sel,
                                  std::string_view location) {
    std::set<std::string_view> seen;
    for (const Directive& d : directives) {
      if (d.name != "skip" && d.name != "include") {
        return Invalid(d.pos, fmt::format("Unknown directive \"@{}\".", d.name));
      }
      if (!sel) {
        return Invalid(d.pos,
                       fmt::format("Directive \"@{}\" may not be used on {}.", d.name, location));
      }
      if (!seen.insert(d.name).second) {
        return Invalid(d.pos, fmt::format("The directive \"@{}\" can only be used once at this "
                                          "location.",
                                          d.name));
      }
      const Input* value = nullptr;
      for (const Argument& a : d.arguments) {
        if (a.name != "if" || value) {
          return Invalid(
              a.pos, fmt::format("Unknown argument \"{}\" on directive \"@{}\".", a.name, d.name));
        }
        ASSIGN_OR_RETURN(value, Resolve(a.value, TypeRef::NonNull(Named("Boolean"))));
        if (!value || value->kind != Input::Kind::kBool) {
          return Invalid(a.pos, fmt::format("Expected value of type \"Boolean!\", found {}.",
                                            value ? Shown(*value) : "nothing"));
        }
      }
      if (!value) {
        return Invalid(d.pos, fmt::format("Directive \"@{}\" argument \"if\" of type "
                                          "\"Boolean!\" is required, but it was not provided.",
                                          d.name));
      }
      bool include = d.name == "include" ? value->boolean : !value->boolean;
      if (!include) skipped_.insert(sel);
    }
    return Ok{};
  }

  // Field arguments: where, options / limit / offset / sort.

  Result<FieldArgs> CompileArguments(const Selection& sel, const TypeDef& target,
                                     const std::string& owner, const std::string& path) {
    FieldArgs out;
    std::set<std::string_view> seen;
    bool direct_paging = false, options_paging = false;
    for (const Argument& arg : sel.arguments) {
      if (!seen.insert(arg.name).second) {
        return Invalid(arg.pos,
                       fmt::format("There can be only one argument named \"{}\".", arg.name));
      }
      if (arg.name == "where") {
        ASSIGN_OR_RETURN(const Input* v, Resolve(arg.value, Named(target.name + "Where")));
        if (!v || v->kind == Input::Kind::kNull) continue;
        if (v->kind != Input::Kind::kObject) {
          return Invalid(arg.pos, fmt::format("Expected value of type \"{}Where\" for \"where\", "
                                              "found {}.",
                                              target.name, Shown(*v)));
        }
        WhereScope scope{path, &out.reads};
        ASSIGN_OR_RETURN(out.where, CompileWhere(*v, target, scope));
      } else if (arg.name == "options") {
        ASSIGN_OR_RETURN(const Input* v, Resolve(arg.value, Named(target.name + "Options")));
        if (!v || v->kind == Input::Kind::kNull) continue;
        if (v->kind != Input::Kind::kObject) {
          return Invalid(arg.pos, fmt::format("Expected value of type \"{}Options\", found {}.",
                                              target.name, Shown(*v)));
        }
        RETURN_IF_ERROR(CheckUniqueFields(*v));
        for (const Input::Field& f : v->fields) {
          if (f.name == "limit" || f.name == "offset" || f.name == "sort") {
            options_paging = true;
            RETURN_IF_ERROR(CompilePagingArg(f.name, f.value, f.pos, target, &out.paging));
          } else {
            return Invalid(f.pos, fmt::format("Field \"{}\" is not defined by type \"{}Options\".",
                                              f.name, target.name));
          }
        }
      } else if (arg.name == "limit" || arg.name == "offset" || arg.name == "sort") {
        direct_paging = true;
        RETURN_IF_ERROR(CompilePagingArg(arg.name, arg.value, arg.pos, target, &out.paging));
      } else {
        return Invalid(arg.pos,
                       fmt::format("Unknown argument \"{}\" on field \"{}\".", arg.name, owner));
      }
    }
    if (direct_paging && options_paging) {
      return Invalid(sel.pos, fmt::format("\"{}\" mixes options: {{...}} with limit/offset/sort "
                                          "arguments; use one or the other",
                                          owner));
    }
    return out;
  }

  Result<void> CompilePagingArg(const std::string& name, const Input& value, Pos pos,
                                const TypeDef& target, Paging* paging) {
    if (name == "sort") {
      std::string sort_type = target.name + "Sort";
      ASSIGN_OR_RETURN(const Input* v, Resolve(value, ListOfNonNull(sort_type)));
      if (!v || v->kind == Input::Kind::kNull) return Ok{};
      std::vector<const Input*> items;
      if (v->kind == Input::Kind::kList) {
        for (const Input& item : v->items) {
          ASSIGN_OR_RETURN(const Input* it, Resolve(item, TypeRef::NonNull(Named(sort_type))));
          if (!it || it->kind != Input::Kind::kObject) {
            return Invalid(pos, fmt::format("Expected value of type \"{}!\", found {}.", sort_type,
                                            it ? Shown(*it) : "null"));
          }
          items.push_back(it);
        }
      } else if (v->kind == Input::Kind::kObject) {
        items.push_back(v);
      } else {
        return Invalid(
            pos, fmt::format("Expected value of type \"[{}!]\", found {}.", sort_type, Shown(*v)));
      }
      for (const Input* item : items) {
        RETURN_IF_ERROR(CheckUniqueFields(*item));
        for (const Input::Field& f : item->fields) {
          const FieldDef* field = target.Field(f.name);
          if (!field || field->kind != FieldDef::Kind::kScalar || field->is_list) {
            return Invalid(f.pos, fmt::format("Field \"{}\" is not defined by type \"{}\".", f.name,
                                              sort_type));
          }
          ASSIGN_OR_RETURN(const Input* dir, Resolve(f.value, Named("SortDirection")));
          if (!dir) continue;
          if (!IsDirection(*dir)) {
            return Invalid(f.pos, fmt::format("Value {} does not exist in \"SortDirection\" enum.",
                                              Shown(*dir)));
          }
          RETURN_IF_ERROR(CheckSensitive(*field, f.name, f.pos, "sort by"));
          paging->sort.push_back(SortKey{PropName(*field), dir->text == "DESC"});
        }
      }
      return Ok{};
    }
    ASSIGN_OR_RETURN(const Input* v, Resolve(value, Named("Int")));
    if (!v || v->kind == Input::Kind::kNull) return Ok{};
    if (auto problem = CheckScalar(*v, ScalarType::kInt, "Int")) {
      return Invalid(pos,
                     fmt::format("Expected value of type \"Int\" for \"{}\": {}.", name, *problem));
    }
    Value n = MakeScalar(*v, ScalarType::kInt);
    if (n.as_int() < 0) {
      return Invalid(pos, fmt::format("\"{}\" must not be negative, found {}", name, n.as_int()));
    }
    if (name == "limit")
      paging->limit = static_cast<uint64_t>(n.as_int());
    else
      paging->offset = static_cast<uint64_t>(n.as_int());
    return Ok{};
  }

  // Where objects (QUERY-LANGUAGE §3, §4, §6).

  Result<void> CheckUniqueFields(const Input& object) const {
    std::set<std::string_view> seen;
    for (const Input::Field& f : object.fields) {
      if (!seen.insert(f.name).second) {
        return Invalid(f.pos,
                       fmt::format("There can be only one input field named \"{}\".", f.name));
      }
    }
    return Ok{};
  }

  Result<uint32_t> CompileWhere(const Input& object, const TypeDef& type, const WhereScope& scope) {
    RETURN_IF_ERROR(CheckUniqueFields(object));
    std::vector<uint32_t> parts;
    for (const Input::Field& field : object.fields) {
      ASSIGN_OR_RETURN(uint32_t part, CompileKey(field, type, scope));
      if (part != kNone) parts.push_back(part);
    }
    return Combine(PredKind::kAnd, parts);
  }

  struct KeyRef {
    const FieldDef* field = nullptr;
    bool bare = true;
    CmpOp op = CmpOp::kEq;
    bool negated = false;
    RelOp rel = RelOp::kBare;
  };

  // QUERY-LANGUAGE §3.3: a field name wins; otherwise the longest operator suffix that the
  // field's type generates.
  Result<KeyRef> ResolveKey(const TypeDef& type, const Input::Field& key) const {
    const FieldDef* f = type.Field(key.name);
    if (f && f->kind != FieldDef::Kind::kObject) return KeyRef{f};
    std::string hint;
    for (const Suffix& s : kSuffixes) {
      if (key.name.size() <= s.text.size() + 1 || !key.name.ends_with(s.text) ||
          key.name[key.name.size() - s.text.size() - 1] != '_') {
        continue;
      }
      std::string_view base =
          std::string_view(key.name).substr(0, key.name.size() - s.text.size() - 1);
      const FieldDef* field = type.Field(base);
      if (!field) continue;
      if (field->kind == FieldDef::Kind::kScalar && s.scalar && OpAllowed(*field, s.op)) {
        return KeyRef{field, false, s.op, s.negated, RelOp::kBare};
      }
      if (field->kind == FieldDef::Kind::kRelationship && s.relationship &&
          (field->is_list || s.rel == RelOp::kNot)) {
        return KeyRef{field, false, s.op, s.negated, s.rel};
      }
      if (hint.empty()) {
        std::string_view kind = field->kind == FieldDef::Kind::kRelationship
                                    ? (field->is_list ? "list relationship" : "1:1 relationship")
                                : field->is_list ? "list"
                                                 : std::string_view(field->type_name);
        hint =
            fmt::format(" The operator _{} is not generated for \"{}\" ({}).", s.text, base, kind);
      }
    }
    return Invalid(key.pos, fmt::format("Field \"{}\" is not defined by type \"{}Where\".{}",
                                        key.name, type.name, hint));
  }

  Result<uint32_t> CompileKey(const Input::Field& field, const TypeDef& type,
                              const WhereScope& scope) {
    if (field.name == "AND" || field.name == "OR") return CompileList(field, type, scope);
    if (field.name == "NOT") return CompileNot(field, type, scope);
    ASSIGN_OR_RETURN(KeyRef ref, ResolveKey(type, field));
    if (ref.field->kind == FieldDef::Kind::kRelationship) {
      return CompileRelationship(field, ref, scope);
    }
    return CompileScalarKey(field, ref, scope);
  }

  // AND / OR (QUERY-LANGUAGE §6).
  Result<uint32_t> CompileList(const Input::Field& field, const TypeDef& type,
                               const WhereScope& scope) {
    bool is_or = field.name == "OR";
    std::string where_type = type.name + "Where";
    ASSIGN_OR_RETURN(const Input* v, Resolve(field.value, ListOfNonNull(where_type)));
    if (!v || v->kind == Input::Kind::kNull) return kNone;
    std::vector<const Input*> items;
    if (v->kind == Input::Kind::kList) {
      for (const Input& item : v->items) {
        ASSIGN_OR_RETURN(const Input* it, Resolve(item, TypeRef::NonNull(Named(where_type))));
        if (!it || it->kind == Input::Kind::kNull) {
          return Invalid(field.pos, fmt::format("Expected value of type \"{}!\" in \"{}\", found "
                                                "null.",
                                                where_type, field.name));
        }
        items.push_back(it);
      }
    } else {
      items.push_back(v);  // list input coercion: OR: {...} is OR: [{...}]
    }
    std::vector<uint32_t> parts;
    for (const Input* item : items) {
      if (item->kind != Input::Kind::kObject) {
        return Invalid(field.pos, fmt::format("Expected value of type \"{}!\" in \"{}\", found "
                                              "{}.",
                                              where_type, field.name, Shown(*item)));
      }
      ASSIGN_OR_RETURN(uint32_t part, CompileWhere(*item, type, scope));
      if (part != kNone) {
        parts.push_back(part);
      } else if (is_or) {
        Warn(field.pos,
             "an empty filter inside OR is dropped, not treated as TRUE "
             "(QUERY-LANGUAGE §6)");
      }
    }
    if (parts.empty() && is_or) {
      Warn(field.pos,
           "OR without any filter applies no filter: every node matches "
           "(QUERY-LANGUAGE §6)");
    }
    return Combine(is_or ? PredKind::kOr : PredKind::kAnd, parts);
  }

  Result<uint32_t> CompileNot(const Input::Field& field, const TypeDef& type,
                              const WhereScope& scope) {
    std::string where_type = type.name + "Where";
    ASSIGN_OR_RETURN(const Input* v, Resolve(field.value, Named(where_type)));
    if (!v || v->kind == Input::Kind::kNull) return kNone;
    if (v->kind != Input::Kind::kObject) {
      return Invalid(
          field.pos,
          fmt::format("Expected value of type \"{}\" for \"NOT\", found {}{}", where_type,
                      Shown(*v),
                      v->kind == Input::Kind::kList ? "; NOT takes one object, not a list." : "."));
    }
    ASSIGN_OR_RETURN(uint32_t inner, CompileWhere(*v, type, scope));
    if (inner == kNone) {
      Warn(field.pos,
           "NOT over an empty filter applies no filter: every node matches "
           "(QUERY-LANGUAGE §6)");
      return kNone;
    }
    return AddPred(Pred{PredKind::kNot, CmpOp::kEq, inner, 0});
  }

  // The GraphQL type of the input a scalar operator takes, for variable positions.
  static TypeRef OperandType(const FieldDef& f, CmpOp op) {
    if (op == CmpOp::kIn || (op == CmpOp::kEq && f.is_list)) return ListOfNonNull(f.type_name);
    return Named(f.type_name);
  }

  static std::string_view FiltersTypeSuffix(const FieldDef& f) {
    return f.is_list ? "ListFilters" : "ScalarFilters";
  }

  Result<uint32_t> CompileScalarKey(const Input::Field& field, const KeyRef& ref,
                                    const WhereScope& scope) {
    const FieldDef& f = *ref.field;
    if (scope.reads &&
        std::find(scope.reads->begin(), scope.reads->end(), f.name) == scope.reads->end()) {
      scope.reads->push_back(f.name);
    }
    ASSIGN_OR_RETURN(const Input* v, Resolve(field.value, OperandType(f, ref.op)));
    if (!v) return kNone;
    if (!ref.bare || v->kind != Input::Kind::kObject) {
      return CompileOp(f, ref.op, ref.negated, *v, field.name, field.pos);
    }
    // v7: field: {eq: .., in: .., ...}, ANDed.
    RETURN_IF_ERROR(CheckUniqueFields(*v));
    std::vector<uint32_t> parts;
    for (const Input::Field& sub : v->fields) {
      const NestedOp* nested = nullptr;
      for (const NestedOp& n : kNestedOps) {
        if (n.name == sub.name && OpAllowed(f, n.op)) nested = &n;
      }
      if (!nested) {
        return Invalid(sub.pos, fmt::format("Field \"{}\" is not defined by type \"{}{}\".",
                                            sub.name, f.type_name, FiltersTypeSuffix(f)));
      }
      ASSIGN_OR_RETURN(const Input* sv, Resolve(sub.value, OperandType(f, nested->op)));
      if (!sv) continue;
      ASSIGN_OR_RETURN(uint32_t part,
                       CompileOp(f, nested->op, false, *sv, field.name + "." + sub.name, sub.pos));
      parts.push_back(part);
    }
    return Combine(PredKind::kAnd, parts);
  }

  Result<uint32_t> CompileOp(const FieldDef& f, CmpOp op, bool negated, const Input& v,
                             const std::string& key, Pos pos) {
    uint32_t name = PropName(f);
    // QUERY-LANGUAGE §4: a null argument turns any operator into IS [NOT] NULL.
    if (v.kind == Input::Kind::kNull) {
      return AddPred(Pred{negated ? PredKind::kIsNotNull : PredKind::kIsNull, op, name, 0});
    }
    RETURN_IF_ERROR(CheckSensitive(f, key, pos, "filter on"));
    Constant c;
    if (op == CmpOp::kIn || (op == CmpOp::kEq && f.is_list)) {
      std::vector<const Input*> items;
      if (v.kind == Input::Kind::kList) {
        for (const Input& item : v.items) {
          ASSIGN_OR_RETURN(const Input* it, Resolve(item, TypeRef::NonNull(Named(f.type_name))));
          if (!it || it->kind == Input::Kind::kNull) {
            return Invalid(pos, fmt::format("Expected value of type \"{}!\" in \"{}\", found "
                                            "null.",
                                            f.type_name, key));
          }
          items.push_back(it);
        }
      } else {
        items.push_back(&v);  // list input coercion: f_IN: "x" is f_IN: ["x"]
      }
      std::vector<Value>& values = program_->lists.emplace_back();
      for (const Input* item : items) {
        if (auto problem = CheckScalar(*item, f.scalar, f.type_name)) {
          return Invalid(pos, fmt::format("Expected value of type \"[{}!]\" for \"{}\": {}.",
                                          f.type_name, key, *problem));
        }
        values.push_back(MakeScalar(*item, f.scalar));
      }
      c.value = Value::ListView(values);
      bool strings = std::all_of(values.begin(), values.end(),
                                 [](const Value& x) { return x.kind() == Value::Kind::kString; });
      if (op == CmpOp::kIn && strings && values.size() > kSetThreshold) {
        c.set = std::make_unique<std::unordered_set<std::string_view>>();
        for (const Value& x : values) c.set->insert(x.as_string());
      }
    } else {
      if (v.kind == Input::Kind::kList) {
        return Invalid(pos, fmt::format("Expected value of type \"{}\" for \"{}\", found {}; a "
                                        "list is not accepted here.",
                                        f.type_name, key, Shown(v)));
      }
      if (auto problem = CheckScalar(v, f.scalar, f.type_name)) {
        return Invalid(pos, fmt::format("Expected value of type \"{}\" for \"{}\": {}.",
                                        f.type_name, key, *problem));
      }
      c.value = MakeScalar(v, f.scalar);
      if (op == CmpOp::kMatches) {
        RE2::Options options;
        options.set_log_errors(false);  // library code never prints
        c.regex = std::make_unique<RE2>(c.value.as_string(), options);
        if (!c.regex->ok()) {
          return Invalid(
              pos, fmt::format("Invalid regular expression for \"{}\": {}", key, c.regex->error()));
        }
      }
    }
    program_->constants.push_back(std::move(c));
    uint32_t cmp = AddPred(
        Pred{PredKind::kCompare, op, name, static_cast<uint32_t>(program_->constants.size() - 1)});
    return negated ? AddPred(Pred{PredKind::kNot, CmpOp::kEq, cmp, 0}) : cmp;
  }

  // CompileOptions::allow_sensitive_filters: beyond existence, any test of a @sensitive value
  // (a comparison, a pattern, an order) answers a question about the secret.
  Result<void> CheckSensitive(const FieldDef& f, std::string_view key, Pos pos,
                              std::string_view what) const {
    if (!f.sensitive || options_.allow_sensitive_filters) return Ok{};
    return Invalid(pos, fmt::format("Cannot {} \"{}\" (at \"{}\"): the field is @sensitive, and a "
                                    "query may only test whether it is set ({}: null, {}_NOT: "
                                    "null).",
                                    what, f.name, key, f.name, f.name));
  }

  Value MakeScalar(const Input& v, ScalarType t) {
    using K = Input::Kind;
    auto parse_int = [](const std::string& text) {
      int64_t out = 0;
      std::from_chars(text.data(), text.data() + text.size(), out);
      return out;
    };
    switch (t) {
      case ScalarType::kID:
        if (v.kind == K::kInt) return Str(v.from_variable ? std::to_string(v.integer) : v.text);
        return Str(v.text);
      case ScalarType::kString:
      case ScalarType::kDateTime:
      case ScalarType::kEnum:
        return Str(v.text);
      case ScalarType::kInt:
      case ScalarType::kBigInt:
        if (v.kind == K::kString) return Value::Int(parse_int(v.text));
        if (v.kind == K::kFloat) return Value::Int(static_cast<int64_t>(v.number));
        return Value::Int(v.from_variable ? v.integer : parse_int(v.text));
      case ScalarType::kFloat:
        return Value::Float(v.kind == K::kInt && v.from_variable ? static_cast<double>(v.integer)
                                                                 : v.number);
      case ScalarType::kBoolean:
        return Value::Bool(v.boolean);
    }
    return Value();
  }

  Value Str(std::string s) {
    return Value::StringView(program_->strings.emplace_back(std::move(s)));
  }

  // Relationship filters (QUERY-LANGUAGE §5).

  Result<uint32_t> CompileRelationship(const Input::Field& field, const KeyRef& ref,
                                       const WhereScope& scope) {
    const FieldDef& f = *ref.field;
    const TypeDef& target = *schema_.Type(f.type_name);
    std::string where_type = target.name + "Where";
    ASSIGN_OR_RETURN(const Input* v, Resolve(field.value, Named(where_type)));
    if (!v) return kNone;
    uint32_t relation = RelationOf(f, target);
    std::string path = scope.path.empty() ? f.name : scope.path + "." + f.name;
    if (v->kind == Input::Kind::kNull) {
      switch (ref.rel) {
        case RelOp::kBare:  // rel: null, §5.3
        case RelOp::kSome:  // rel_SOME: null means NOT EXISTS in this spec, §5.6
          return AddQuantifier(Quantifier::kNone, relation, kNone, path, {});
        case RelOp::kNot:
          return AddQuantifier(Quantifier::kSome, relation, kNone, path, {});
        default:
          return Invalid(field.pos,
                         fmt::format("\"{}: null\" is rejected: library versions disagree on its "
                                     "meaning (QUERY-LANGUAGE §5.6). Write \"{}: null\" for \"no "
                                     "related node\" or \"{}_NOT: null\" for \"some related "
                                     "node\".",
                                     field.name, f.name, f.name));
      }
    }
    if (ref.rel == RelOp::kBare && f.is_list && IsNestedQuantifier(*v, target)) {
      RETURN_IF_ERROR(CheckUniqueFields(*v));
      std::vector<uint32_t> parts;
      for (const Input::Field& sub : v->fields) {
        Quantifier q = *NestedQuantifier(sub.name);
        ASSIGN_OR_RETURN(const Input* sv, Resolve(sub.value, Named(where_type)));
        if (!sv) continue;
        if (sv->kind == Input::Kind::kNull) {
          // v7 behaviour (§5.6): {some: null} EXISTS, {none: null} NOT EXISTS.
          if (q == Quantifier::kSome || q == Quantifier::kNone) {
            parts.push_back(AddQuantifier(q, relation, kNone, path, {}));
            continue;
          }
          return Invalid(sub.pos, fmt::format("\"{}: {{{}: null}}\" is rejected: it applies no "
                                              "filter in the library (QUERY-LANGUAGE §5.6).",
                                              field.name, sub.name));
        }
        ASSIGN_OR_RETURN(
            uint32_t part,
            Quantify(q, f, target, relation, *sv,
                     fmt::format("{}: {{{}: ...}}", field.name, sub.name), sub.pos, path));
        if (part != kNone) parts.push_back(part);
      }
      return Combine(PredKind::kAnd, parts);
    }
    Quantifier q = Quantifier::kSome;  // implicit SOME on a list, `rel: P` on a 1:1 (§5.2: EXISTS)
    switch (ref.rel) {
      case RelOp::kNone:
      case RelOp::kNot:
        q = Quantifier::kNone;
        break;
      case RelOp::kAll:
        q = Quantifier::kAll;
        break;
      case RelOp::kSingle:
        q = Quantifier::kSingle;
        break;
      default:
        break;
    }
    return Quantify(q, f, target, relation, *v, field.name, field.pos, path);
  }

  static bool IsNestedQuantifier(const Input& v, const TypeDef& target) {
    if (v.kind != Input::Kind::kObject || v.fields.empty()) return false;
    return std::all_of(v.fields.begin(), v.fields.end(), [&](const Input::Field& f) {
      return NestedQuantifier(f.name).has_value() && !target.Field(f.name);
    });
  }

  Result<uint32_t> Quantify(Quantifier q, const FieldDef& f, const TypeDef& target,
                            uint32_t relation, const Input& v, const std::string& key, Pos pos,
                            const std::string& path) {
    if (v.kind != Input::Kind::kObject) {
      return Invalid(pos, fmt::format("Expected value of type \"{}Where\" for \"{}\", found {}.",
                                      target.name, key, Shown(v)));
    }
    // §5.5: emptiness is judged after variable elision, before evaluating the keys.
    bool empty = std::all_of(v.fields.begin(), v.fields.end(),
                             [&](const Input::Field& x) { return IsUnset(x.value); });
    if (empty) {
      RETURN_IF_ERROR(CheckUniqueFields(v));
      Warn(pos, fmt::format("\"{}: {{}}\" applies no filter: every node matches, with or without "
                            "related {} (QUERY-LANGUAGE §5.5)",
                            key, f.name));
      return kNone;
    }
    std::vector<std::string> reads;
    ASSIGN_OR_RETURN(uint32_t sub, CompileWhere(v, target, WhereScope{path, &reads}));
    if (sub != kNone) return AddQuantifier(q, relation, sub, path, std::move(reads));
    // Keys that produce no predicate (e.g. {NOT: {}}): §5.5.
    if (q == Quantifier::kAll || q == Quantifier::kSingle) {
      Warn(pos, fmt::format("\"{}\" with a filter that produces no predicate applies no filter "
                            "(QUERY-LANGUAGE §5.5)",
                            key));
      return kNone;
    }
    Warn(pos, fmt::format("\"{}\" with a filter that produces no predicate only tests whether "
                          "a related {} exists (QUERY-LANGUAGE §5.5)",
                          key, f.name));
    return AddQuantifier(q, relation, kNone, path, {});
  }

  uint32_t RelationOf(const FieldDef& f, const TypeDef& target) {
    std::string key = fmt::format(
        "{}|{}|{}", f.rel_type, f.direction == graph::Direction::kOut ? "out" : "in", target.name);
    auto it = relation_index_.find(key);
    if (it != relation_index_.end()) return it->second;
    Relation rel;
    rel.edge = Name(f.rel_type);
    rel.direction = f.direction;
    for (const TypeDef* t : ConcreteTypes(target)) rel.labels.push_back(Name(t->label));
    program_->relations.push_back(std::move(rel));
    uint32_t index = static_cast<uint32_t>(program_->relations.size() - 1);
    relation_index_.emplace(std::move(key), index);
    return index;
  }

  // The object types whose nodes a field of type `t` holds: t, or t's implementations.
  std::vector<const TypeDef*> ConcreteTypes(const TypeDef& t) const {
    if (!t.is_interface) return {&t};
    std::vector<const TypeDef*> out;
    for (const TypeDef& o : schema_.types()) {
      if (!o.is_interface && o.Implements(t.name)) out.push_back(&o);
    }
    return out;
  }

  uint32_t AddQuantifier(Quantifier q, uint32_t relation, uint32_t sub, const std::string& path,
                         std::vector<std::string> reads) {
    // The field is the path's last hop.
    uint32_t field = Name(std::string_view(path).substr(path.rfind('.') + 1));
    program_->quantifiers.push_back(
        QuantifierInfo{q, relation, sub, path, std::move(reads), field});
    return AddPred(Pred{PredKind::kQuantifier, CmpOp::kEq,
                        static_cast<uint32_t>(program_->quantifiers.size() - 1), 0});
  }

  // Plans: the projection of each selection set per concrete type.

  using Groups = std::vector<std::pair<std::string, std::vector<const Selection*>>>;

  Result<void> CollectFields(const TypeDef* type, const SelectionSet& set, int depth,
                             std::set<std::string_view>* visited, Groups* groups) {
    if (depth > kMaxNestingDepth) {
      return Invalid(set.pos,
                     fmt::format("fragment spreads nest deeper than {} levels", kMaxNestingDepth));
    }
    for (const Selection& sel : set.selections) {
      if (skipped_.count(&sel)) continue;
      switch (sel.kind) {
        case Selection::Kind::kField: {
          auto it = std::find_if(groups->begin(), groups->end(),
                                 [&](const auto& g) { return g.first == sel.response_key(); });
          if (it == groups->end()) {
            groups->emplace_back(sel.response_key(), std::vector<const Selection*>{&sel});
          } else {
            it->second.push_back(&sel);
          }
          break;
        }
        case Selection::Kind::kFragmentSpread: {
          if (!visited->insert(sel.name).second) break;
          const Fragment& f = *doc_.FindFragment(sel.name);
          if (f.builtin) {
            if (!type) break;
            for (const Selection& field : f.selection_set.selections) {
              const FieldDef* def = type->Field(field.name);
              if (field.name != "__typename" && (!def || def->kind != FieldDef::Kind::kScalar)) {
                continue;
              }
              auto it = std::find_if(groups->begin(), groups->end(),
                                     [&](const auto& g) { return g.first == field.name; });
              if (it == groups->end()) {
                groups->emplace_back(field.name, std::vector<const Selection*>{&field});
              } else {
                it->second.push_back(&field);
              }
            }
            break;
          }
          if (!Applies(type, f.type_condition)) break;
          RETURN_IF_ERROR(CollectFields(type, f.selection_set, depth + 1, visited, groups));
          break;
        }
        case Selection::Kind::kInlineFragment:
          if (!sel.type_condition.empty() && !Applies(type, sel.type_condition)) break;
          RETURN_IF_ERROR(CollectFields(type, *sel.selection_set, depth + 1, visited, groups));
          break;
      }
    }
    return Ok{};
  }

  static bool Applies(const TypeDef* type, std::string_view condition) {
    if (!type) return condition == "Query";
    return condition == type->name || type->Implements(condition);
  }

  Result<void> CheckMergeable(const std::vector<const Selection*>& group) const {
    if (group.size() < 2) return Ok{};
    const Selection& first = *group.front();
    std::string args = ArgumentsKey(first);
    for (size_t i = 1; i < group.size(); ++i) {
      const Selection& other = *group[i];
      if (other.name != first.name) {
        return Invalid(other.pos, fmt::format("Fields \"{}\" conflict because \"{}\" and \"{}\" "
                                              "are different fields. Use different aliases on "
                                              "the fields to fetch both if this was intentional.",
                                              first.response_key(), first.name, other.name));
      }
      if (ArgumentsKey(other) != args) {
        return Invalid(other.pos, fmt::format("Fields \"{}\" conflict because they have differing "
                                              "arguments. Use different aliases on the fields to "
                                              "fetch both if this was intentional.",
                                              first.response_key()));
      }
    }
    return Ok{};
  }

  const FieldArgs& ArgsOf(const Selection& sel) const {
    static const FieldArgs kNoArgs;
    auto it = args_.find(&sel);
    return it == args_.end() ? kNoArgs : it->second;
  }

  // `depth` counts relationship hops: fragments can chain selections far deeper than any one
  // selection set nests, so the plan's own depth is bounded too.
  Result<uint32_t> BuildPlan(const TypeDef& type, const std::vector<const SelectionSet*>& sets,
                             int depth) {
    if (depth > kMaxNestingDepth) {
      return Invalid(sets.front()->pos,
                     fmt::format("the selection nests deeper than {} levels", kMaxNestingDepth));
    }
    Groups groups;
    std::set<std::string_view> visited;
    for (const SelectionSet* set : sets) {
      RETURN_IF_ERROR(CollectFields(&type, *set, 0, &visited, &groups));
    }
    Plan plan;
    plan.type_name = type.name;
    for (const auto& [key, group] : groups) {
      RETURN_IF_ERROR(CheckMergeable(group));
      if (++output_fields_ > kMaxOutputFields) {
        return Invalid(
            group.front()->pos,
            fmt::format("the selection expands to more than {} fields", kMaxOutputFields));
      }
      const Selection& sel = *group.front();
      OutField out;
      out.key = key;
      const FieldDef* f = type.Field(sel.name);
      if (sel.name == "__typename") {
        out.kind = OutField::Kind::kTypename;
      } else if (sel.name == "id") {
        out.kind = OutField::Kind::kId;
      } else if (!f || f->kind == FieldDef::Kind::kObject) {
        out.kind = OutField::Kind::kNull;  // no stored data behind it
      } else if (f->kind == FieldDef::Kind::kScalar) {
        out.kind = OutField::Kind::kScalar;
        out.name = Name(f->name);
        out.sensitive = f->sensitive;
      } else {
        const TypeDef& target = *schema_.Type(f->type_name);
        const FieldArgs& args = ArgsOf(sel);
        out.kind = OutField::Kind::kRelationship;
        out.relation = RelationOf(*f, target);
        out.is_list = f->is_list;
        out.where = args.where;
        out.paging = args.paging;
        std::vector<const SelectionSet*> child_sets;
        for (const Selection* s : group) child_sets.push_back(s->selection_set.get());
        for (const TypeDef* concrete : ConcreteTypes(target)) {
          ASSIGN_OR_RETURN(uint32_t child, BuildPlan(*concrete, child_sets, depth + 1));
          out.plans.emplace_back(Name(concrete->label), child);
        }
      }
      plan.fields.push_back(std::move(out));
    }
    program_->plans.push_back(std::move(plan));
    return static_cast<uint32_t>(program_->plans.size() - 1);
  }

  Result<void> BuildRoots(const Operation& op) {
    Groups groups;
    std::set<std::string_view> visited;
    RETURN_IF_ERROR(CollectFields(nullptr, op.selection_set, 0, &visited, &groups));
    bool have_first = false;
    for (const auto& [key, group] : groups) {
      RETURN_IF_ERROR(CheckMergeable(group));
      const Selection& sel = *group.front();
      RootField root;
      root.key = key;
      root.field = sel.name;
      if (sel.name != "__typename") {
        root.type = schema_.RootType(sel.name);
        root.label = Name(root.type->label);
        const FieldArgs& args = ArgsOf(sel);
        root.where = args.where;
        root.paging = args.paging;
        root.reads = args.reads;
        std::vector<const SelectionSet*> sets;
        for (const Selection* s : group) sets.push_back(s->selection_set.get());
        ASSIGN_OR_RETURN(root.plan, BuildPlan(*root.type, sets, 1));
        if (!have_first) {
          program_->first_root = program_->roots.size();
          have_first = true;
        }
      }
      program_->roots.push_back(std::move(root));
    }
    if (!have_first) {
      return Invalid(op.pos,
                     "the query selects no asset list (every root field is skipped or "
                     "__typename)");
    }
    return Ok{};
  }

  // Program building blocks.

  uint32_t Name(std::string_view s) {
    auto it = name_index_.find(std::string(s));
    if (it != name_index_.end()) return it->second;
    program_->names.emplace_back(s);
    uint32_t index = static_cast<uint32_t>(program_->names.size() - 1);
    name_index_.emplace(std::string(s), index);
    return index;
  }

  uint32_t PropName(const FieldDef& f) { return f.name == "id" ? kNodeId : Name(f.name); }

  uint32_t AddPred(Pred p) {
    program_->preds.push_back(p);
    return static_cast<uint32_t>(program_->preds.size() - 1);
  }

  // AND/OR of the parts; kNone (NOFILTER) when there are none.
  uint32_t Combine(PredKind kind, const std::vector<uint32_t>& parts) {
    if (parts.empty()) return kNone;
    if (parts.size() == 1) return parts.front();
    Pred p{kind, CmpOp::kEq, static_cast<uint32_t>(program_->children.size()),
           static_cast<uint32_t>(parts.size())};
    program_->children.insert(program_->children.end(), parts.begin(), parts.end());
    return AddPred(p);
  }

  void Warn(Pos pos, std::string message) {
    std::string text = fmt::format("{}:{}: {}", pos.line, pos.column, message);
    auto& w = program_->warnings;
    if (std::find(w.begin(), w.end(), text) == w.end()) w.push_back(std::move(text));
  }

  struct VariableState {
    const VariableDefinition* def = nullptr;
    std::optional<Input> value;  // supplied, or the default; none when unset
  };

  const graph::Schema& schema_;
  const nlohmann::json& json_variables_;
  CompileOptions options_;
  std::shared_ptr<Program> program_;
  Document doc_;
  std::map<std::string, VariableState, std::less<>> variables_;
  std::unordered_map<const Selection*, FieldArgs> args_;
  std::unordered_set<const Selection*> skipped_;
  std::unordered_map<std::string, uint32_t> name_index_;
  std::unordered_map<std::string, uint32_t> relation_index_;
  size_t output_fields_ = 0;
};

}  // namespace

Result<std::shared_ptr<Program>> CompileProgram(const graph::Schema& schema, std::string_view text,
                                                const nlohmann::json& variables,
                                                const CompileOptions& options) {
  return Compiler(schema, variables, options).Run(text);
}

}  // namespace ecsguard::query
