#pragma once

// query: the stored-check query engine (normative spec: QUERY-LANGUAGE.md).
//
// A stored check is a GraphQL query in the filter dialect of the Neo4j GraphQL Library: suffix
// operators (v4/v5: `name_CONTAINS`), `_EQ` (v6), nested operators (v7: `name: {contains:}`) and
// any mixture. Query::Compile parses the text once (retrying a bare selection as "{...}" and
// supplying the built-in AssetFragment), validates it against the asset schema and compiles each
// `where` into a predicate tree; Matches/Execute/Explain then evaluate it on any number of
// graphs, in Kleene three-valued logic. Invalid queries are rejected as a whole with an Error
// naming the offending key and its line:column. A Query is an immutable handle: copies share
// the compiled program, and const methods may run concurrently. The schema must outlive it.
//
//   ASSIGN_OR_RETURN(Query q, Query::Compile(schema, R"({ ecsTaskDefinitions(
//       where: {networkMode: "host", containerSpecs_SOME: {privileged: true}}) { id } })"));
//   ASSIGN_OR_RETURN(std::vector<graph::NodeIndex> matches, q.Matches(g));
//   for (graph::NodeIndex td : matches) {
//     for (const Witness& w : q.Explain(g, td)) Report(g.Id(td), w.relationship_path, w.fields);
//   }

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "graph/property_graph.h"
#include "graph/schema.h"

namespace ecsguard::query {

// Evidence for a match: a node that satisfied part of the filter. relationship_path is the
// dotted chain of relationship fields from the root type ("containerSpecs.envEntries"), or ""
// for the root node itself; fields are the scalar fields the filter reads on that node.
struct Witness {
  std::string relationship_path;
  graph::NodeIndex node = 0;
  std::vector<std::string> fields;

  bool operator==(const Witness&) const = default;
};

// Bounds on one Matches or Execute (DESIGN §7: every evaluator has a budget). A graph whose
// fan-out multiplies along a nested selection (`containerSpecs { taskDefinition {
// containerSpecs { ... } } }`) grows the result, and nested quantifiers the work, by a factor per
// level; past a bound the call returns kResourceExhausted naming the limit, in bounded memory.
struct Budget {
  // Execute: the estimated size of the response as compact JSON text.
  uint64_t max_result_bytes = uint64_t{128} << 20;
  // Filter operators evaluated, related nodes visited and objects projected.
  uint64_t max_steps = uint64_t{1} << 30;
};

// A root node whose filter is TRUE for some values of the graph's unknowns and not for others
// (graph.h: kUnknownSuffix), with why those values are unknown, e.g. "User of container 'web'
// is !Ref P, a parameter with no default".
struct Undecided {
  graph::NodeIndex node = 0;
  std::vector<std::string> reasons;
};

// Matches in three-valued verdicts: `matches` are TRUE whatever the unknowns are, `undecided`
// TRUE only for some of them; every other root node is not TRUE for any of them.
struct Decision {
  std::vector<graph::NodeIndex> matches;
  std::vector<Undecided> undecided;
};

struct CompileOptions {
  // Ad-hoc queries may test a @sensitive field only for existence (`value: null`,
  // `value_NOT: null`): any other test (equality, _STARTS_WITH, _IN, sorting, ...) rebuilds the
  // secret one probe at a time although the output redacts it. Trusted queries (the shipped
  // catalog's checks) may compare them.
  bool allow_sensitive_filters = false;
};

struct Program;

class Query {
 public:
  // Parses, validates and compiles `text`. `variables` supplies the operation's $variables
  // (a JSON object; unsupplied ones omit the input field that uses them, QUERY-LANGUAGE §3.4).
  // Errors: kParse (syntax, nesting deeper than 512 levels), kValidation (unknown field or
  // argument, wrong type, rejected null quantifier, invalid regex, a @sensitive field tested
  // without options.allow_sensitive_filters, ...), kUnsupported (mutations, type-system
  // definitions), kInvalidArgument (variables not an object).
  static Result<Query> Compile(const graph::Schema& schema, std::string_view text,
                               const nlohmann::json& variables = nlohmann::json::object(),
                               const CompileOptions& options = {});

  // The first root field that selects assets, its type, and its key in Execute's "data"
  // (the alias when it has one, else the field name).
  const std::string& root_field() const;
  const graph::TypeDef& root_type() const;
  const std::string& root_key() const;

  // Nodes of the root type whose `where` is TRUE (or that have no filter), in graph order
  // unless the query sorts; `offset`/`limit` apply. The graph must be frozen. Cost: linear in
  // the root nodes, times the fan-out of each nested relationship filter (quantifiers stop at
  // the first decisive related node); nothing is allocated per node. kResourceExhausted when
  // the evaluation takes more than budget.max_steps.
  Result<std::vector<graph::NodeIndex>> Matches(const graph::Graph& g,
                                                const Budget& budget = {}) const;

  // Matches, deciding root nodes whose filter reads unknown values (IaC graphs): a node whose
  // filter is TRUE for every value of the unknowns it reads is a match, one for which it is TRUE
  // for some values only is undecided. Each unknown is taken as any value, absent included,
  // independently of the others (Kleene logic, QUERY-LANGUAGE §3.2, over sets of outcomes);
  // a relationship marked unknown may hold any further related nodes. On a graph without unknowns
  // `undecided` is empty and `matches` is Matches' result, at the same cost.
  Result<Decision> Decide(const graph::Graph& g, const Budget& budget = {}) const;

  // The GraphQL response {"data": {<response key>: [...], ...}} for every root field, with
  // the selection projected. Sensitive fields (@sensitive) read "<redacted>" when present.
  // Strings are copied from the graph as they are: dump with error_handler_t::replace if the
  // graph may hold invalid UTF-8. kResourceExhausted when the response would be larger than
  // budget.max_result_bytes or take more than budget.max_steps.
  Result<nlohmann::json> Execute(const graph::Graph& g, const Budget& budget = {}) const;

  // Why `node` matched the first root field's filter: for each relationship quantifier on a
  // path that made the filter TRUE (SOME, SINGLE, ALL, implicit SOME, 1:1, existence), the
  // related nodes whose nested filter holds, with the scalar fields that filter reads. A
  // first witness with an empty path names the root node's own fields the filter reads.
  // Empty when the node does not match.
  std::vector<Witness> Explain(const graph::Graph& g, graph::NodeIndex node) const;

  // The graph names the query can read, sorted and unique: labels, relationship (edge) types
  // and property keys (a property's unknown marker, `<key>@unknown`, goes with its key). A graph
  // without any other name gives every answer of this query, Explain included, that the whole
  // graph gives: what an ingest may leave out (SnapshotOptions::environment).
  std::vector<std::string> GraphNames() const;

  // Filters that the library drops silently (QUERY-LANGUAGE §7.4): `rel_SOME: {}`, `OR: []`,
  // `NOT: {}`, ... each with its line:column.
  const std::vector<std::string>& warnings() const;

 private:
  explicit Query(std::shared_ptr<const Program> program) : program_(std::move(program)) {}
  std::shared_ptr<const Program> program_;
};

// The first root field of a stored check and its `where` argument, as written: objects keep
// their keys in order, enum values are strings. For tools that restate a check in another
// policy language (remediate's CloudFormation Guard rules); it parses, it does not validate
// (compile the check for that). Errors: kParse; kUnsupported when the filter uses a $variable.
struct RootFilter {
  std::string field;                       // "ecsTaskDefinitions"
  nlohmann::ordered_json where = nullptr;  // null when the field has no `where`
};
Result<RootFilter> ParseRootFilter(std::string_view text);

// QUERY-LANGUAGE §1.3 step 2: follows a dotted returnPath ("containerSpecs.envEntries") over
// the root list: each key maps every element to element[key], lists are flattened and nulls
// (and non-objects) dropped. An empty path returns the list's objects.
nlohmann::json FollowReturnPath(const nlohmann::json& root_list, std::string_view path);

}  // namespace ecsguard::query
