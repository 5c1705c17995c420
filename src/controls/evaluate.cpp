#include "controls/evaluate.h"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "base/strings.h"

namespace ecsguard::controls {
namespace {

// The catalog is trusted: its checks may compare @sensitive values (ad-hoc queries may not).
constexpr query::CompileOptions kCatalog{.allow_sensitive_filters = true};

Error InCheck(const Control& control, const Check& check, const Error& e) {
  SourceLocation loc = check.location;
  // Query positions are relative to the query text, which starts on the line after `query: |-`.
  if (e.location().line > 0 && loc.line > 0) {
    loc.line += e.location().line;
    loc.column = e.location().column;
  }
  return Error(e.code(),
               fmt::format("control {} check \"{}\": {}", control.id, check.name, e.message()),
               loc);
}

// The failing root nodes of one check, and those that fail only for some values of the graph's
// unknowns. A returnPath maps the failing roots to the assets it reaches; an undecided root
// leaves undecided whichever assets it would reach, so then every subject asset that does not
// fail is (Evaluate: `undecided_all`).
struct Failures {
  query::Decision decision;
  std::vector<std::string> undecided_all;  // reasons, when every other asset is undecided
};

Result<Failures> Failing(const Control& control, const Check& check, const query::Query& q,
                         const graph::Graph& graph, const query::Budget& budget) {
  if (check.expected != "[]") {
    return Error(ErrorCode::kConfiguration,
                 fmt::format("control {} check \"{}\" compares a list with {}: only \"[]\" is "
                             "meaningful for a list query",
                             control.id, check.name, check.expected));
  }
  Failures out;
  ASSIGN_OR_RETURN(out.decision, q.Decide(graph, budget));
  if (check.return_path.empty()) return out;
  for (query::Undecided& u : out.decision.undecided) {
    for (std::string& r : u.reasons) {
      auto& all = out.undecided_all;
      if (std::find(all.begin(), all.end(), r) == all.end()) all.push_back(std::move(r));
    }
  }
  out.decision.undecided.clear();
  ASSIGN_OR_RETURN(nlohmann::json data, q.Execute(graph, budget));
  nlohmann::json assets = query::FollowReturnPath(data["data"][q.root_key()], check.return_path);
  std::vector<graph::NodeIndex>& failing = out.decision.matches;
  failing.clear();
  std::unordered_set<graph::NodeIndex> seen;
  for (const auto& asset : assets) {
    if (!asset.is_object() || !asset.contains("id") || !asset["id"].is_string()) {
      return Error(ErrorCode::kConfiguration,
                   fmt::format("control {} check \"{}\": returnPath objects must select id",
                               control.id, check.name));
    }
    auto node = graph.FindNode(asset["id"].get<std::string>());
    if (node && seen.insert(*node).second) failing.push_back(*node);
  }
  return out;
}

std::string IdentifierOf(const graph::Graph& graph, graph::NodeIndex node) {
  graph::Value identifier = graph.GetProp(node, "identifier");
  if (identifier.kind() == graph::Value::Kind::kString) return std::string(identifier.as_string());
  return std::string(graph.Id(node));
}

// Every asset of the control's subject types.
Result<std::vector<graph::NodeIndex>> Subjects(const Control& control, const graph::Schema& schema,
                                               const graph::Graph& graph) {
  std::vector<graph::NodeIndex> out;
  for (const std::string& subject : control.subjects) {
    const graph::TypeDef* type = schema.Type(subject);
    if (!type) {
      return Error(
          ErrorCode::kConfiguration,
          fmt::format("control {}: subject type {} is not in the schema", control.id, subject));
    }
    for (graph::NodeIndex n : graph.NodesWithLabel(type->label)) out.push_back(n);
  }
  return out;
}

bool Exhausted(const Error& e) { return e.code() == ErrorCode::kResourceExhausted; }

}  // namespace

// A check's query and, when it has one, its applicable-assets query, compiled.
Result<std::vector<query::Query>> CompileCheck(const Control& control, const Check& check,
                                               const graph::Schema& schema) {
  std::vector<query::Query> out;
  auto q = query::Query::Compile(schema, check.query, nlohmann::json::object(), kCatalog);
  if (!q.ok()) return InCheck(control, check, q.error());
  out.push_back(std::move(q).value());
  if (!check.applicable_assets_query.empty()) {
    auto a = query::Query::Compile(
        schema, check.applicable_assets_query,
        nlohmann::json{{"failedAssetsIdentifiers", nlohmann::json::array()}}, kCatalog);
    if (!a.ok()) return InCheck(control, check, a.error());
    out.push_back(std::move(a).value());
  }
  return out;
}

Result<void> Validate(const Control& control, const graph::Schema& schema) {
  for (const Check& check : control.checks) RETURN_IF_ERROR(CompileCheck(control, check, schema));
  if (control.iac) RETURN_IF_ERROR(CompileCheck(control, *control.iac, schema));
  return Ok{};
}

Result<std::vector<std::string>> GraphNamesRead(const Control& control, const graph::Schema& schema,
                                                Mode mode) {
  // Evaluate reads the subject types' nodes and their identifiers besides what the queries do.
  std::vector<std::string> names = {"identifier"};
  for (const std::string& subject : control.subjects) {
    if (const graph::TypeDef* type = schema.Type(subject)) names.push_back(type->label);
  }
  std::vector<const Check*> checks;
  if (mode == Mode::kIac) {
    if (control.iac) checks.push_back(&*control.iac);
  } else {
    for (const Check& check : control.checks) checks.push_back(&check);
  }
  for (const Check* check : checks) {
    ASSIGN_OR_RETURN(std::vector<query::Query> queries, CompileCheck(control, *check, schema));
    for (const query::Query& q : queries) {
      std::vector<std::string> read = q.GraphNames();
      names.insert(names.end(), read.begin(), read.end());
    }
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

Result<ControlEvaluation> Evaluate(const Control& control, const graph::Schema& schema,
                                   const graph::Graph& graph, Mode mode,
                                   const query::Budget& budget) {
  ControlEvaluation eval;
  eval.control = &control;
  std::vector<const Check*> checks;
  if (mode == Mode::kIac) {
    if (!control.iac) return eval;  // the control has no preventive variant: nothing applies
    checks.push_back(&*control.iac);
  } else {
    for (const Check& c : control.checks) checks.push_back(&c);
  }

  // node -> index into eval.verdicts
  std::unordered_map<graph::NodeIndex, size_t> index;
  auto verdict_for = [&](graph::NodeIndex node) -> AssetVerdict& {
    auto [it, inserted] = index.emplace(node, eval.verdicts.size());
    if (inserted) eval.verdicts.push_back(AssetVerdict{node, false, {}});
    return eval.verdicts[it->second];
  };

  // A check that runs out of its evaluation budget leaves the assets it applies to
  // NOT_EVALUATED, naming the limit (the applicable assets are then every subject asset: which
  // of them the check's scope keeps is unknown without running it).
  auto not_evaluated = [&](const Check& check, const Error& e) -> Result<void> {
    ASSIGN_OR_RETURN(std::vector<graph::NodeIndex> subjects, Subjects(control, schema, graph));
    for (graph::NodeIndex n : subjects) {
      AssetVerdict& v = verdict_for(n);
      if (v.not_evaluated.empty()) {
        v.not_evaluated = fmt::format("check \"{}\": {}", check.name, e.message());
      }
    }
    return Ok{};
  };

  for (const Check* check : checks) {
    auto compiled = query::Query::Compile(schema, check->query, nlohmann::json::object(), kCatalog);
    if (!compiled.ok()) return InCheck(control, *check, compiled.error());
    const query::Query& q = *compiled;
    for (const std::string& w : q.warnings()) {
      eval.warnings.push_back(
          fmt::format("control {} check \"{}\": {}", control.id, check->name, w));
    }
    if (check->comparator == Comparator::kNeq) {
      return Error(ErrorCode::kUnsupported,
                   fmt::format("control {} check \"{}\": comparator neq gives no per-asset "
                               "result and is not supported",
                               control.id, check->name));
    }
    Result<Failures> failing_or = Failing(control, *check, q, graph, budget);
    if (!failing_or.ok() && Exhausted(failing_or.error())) {
      RETURN_IF_ERROR(not_evaluated(*check, failing_or.error()));
      continue;
    }
    ASSIGN_OR_RETURN(Failures failures, std::move(failing_or));
    const std::vector<graph::NodeIndex>& failing = failures.decision.matches;
    // Assets that fail only for some values of unknowns, with why: NOT_EVALUATED.
    std::unordered_map<graph::NodeIndex, std::string> undecided;
    for (const query::Undecided& u : failures.decision.undecided) {
      undecided.emplace(u.node, Join(u.reasons, "; "));
    }

    std::vector<graph::NodeIndex> passing;
    if (!check->applicable_assets_query.empty()) {
      nlohmann::json ids = nlohmann::json::array();
      for (graph::NodeIndex n : failing) ids.push_back(IdentifierOf(graph, n));
      auto applicable =
          query::Query::Compile(schema, check->applicable_assets_query,
                                nlohmann::json{{"failedAssetsIdentifiers", ids}}, kCatalog);
      if (!applicable.ok()) return InCheck(control, *check, applicable.error());
      Result<query::Decision> scope = applicable->Decide(graph, budget);
      if (!scope.ok() && Exhausted(scope.error())) {
        RETURN_IF_ERROR(not_evaluated(*check, scope.error()));
      } else {
        ASSIGN_OR_RETURN(query::Decision in_scope, std::move(scope));
        passing = std::move(in_scope.matches);
        // Whether the check applies to these depends on unknowns: they are not evaluated.
        for (query::Undecided& u : in_scope.undecided) {
          undecided.emplace(u.node, Join(u.reasons, "; "));
          passing.push_back(u.node);
        }
      }
    } else {
      std::unordered_set<graph::NodeIndex> failed(failing.begin(), failing.end());
      ASSIGN_OR_RETURN(std::vector<graph::NodeIndex> subjects, Subjects(control, schema, graph));
      for (graph::NodeIndex n : subjects) {
        if (!failed.count(n)) passing.push_back(n);
      }
    }
    for (graph::NodeIndex n : failing) {
      AssetVerdict& v = verdict_for(n);
      v.failed = true;
      for (query::Witness& w : q.Explain(graph, n)) v.witnesses.push_back(std::move(w));
    }
    std::string undecided_all = Join(failures.undecided_all, "; ");
    for (graph::NodeIndex n : passing) {
      AssetVerdict& v = verdict_for(n);
      auto it = undecided.find(n);
      const std::string& why = it != undecided.end() ? it->second : undecided_all;
      if (!v.failed && v.not_evaluated.empty() && !why.empty()) v.not_evaluated = why;
    }
  }
  std::sort(eval.verdicts.begin(), eval.verdicts.end(),
            [](const AssetVerdict& a, const AssetVerdict& b) { return a.node < b.node; });
  return eval;
}

}  // namespace ecsguard::controls
