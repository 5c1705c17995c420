#include "query/query.h"

#include <fmt/format.h>

#include <algorithm>

#include "query/compiler.h"
#include "query/document.h"
#include "query/program.h"

namespace ecsguard::query {

Result<Query> Query::Compile(const graph::Schema& schema, std::string_view text,
                             const nlohmann::json& variables, const CompileOptions& options) {
  ASSIGN_OR_RETURN(std::shared_ptr<Program> program,
                   CompileProgram(schema, text, variables, options));
  return Query(std::move(program));
}

const std::string& Query::root_field() const { return program_->roots[program_->first_root].field; }

const graph::TypeDef& Query::root_type() const {
  return *program_->roots[program_->first_root].type;
}

Result<std::vector<graph::NodeIndex>> Query::Matches(const graph::Graph& g,
                                                     const Budget& budget) const {
  Evaluator ev(*program_, g, budget);
  std::vector<graph::NodeIndex> out = ev.Select(program_->roots[program_->first_root]);
  if (ev.exhausted()) return *ev.exhausted();
  return out;
}

Result<Decision> Query::Decide(const graph::Graph& g, const Budget& budget) const {
  Evaluator ev(*program_, g, budget);
  Decision out = ev.Decide(program_->roots[program_->first_root]);
  if (ev.exhausted()) return *ev.exhausted();
  return out;
}

Result<nlohmann::json> Query::Execute(const graph::Graph& g, const Budget& budget) const {
  Evaluator ev(*program_, g, budget);
  nlohmann::json out = ev.Execute();
  if (ev.exhausted()) return *ev.exhausted();
  return out;
}

std::vector<Witness> Query::Explain(const graph::Graph& g, graph::NodeIndex node) const {
  const RootField& root = program_->roots[program_->first_root];
  std::vector<Witness> out;
  Evaluator ev(*program_, g);
  auto label = g.Lookup(root.type->label);
  if (node >= g.node_count() || !label || g.Label(node) != *label || !ev.Passes(root.where, node)) {
    return out;
  }
  if (!root.reads.empty()) out.push_back(Witness{"", node, root.reads});
  if (root.where != kNone) ev.Explain(root.where, node, /*want=*/true, &out);
  return out;
}

const std::string& Query::root_key() const { return program_->roots[program_->first_root].key; }

const std::vector<std::string>& Query::warnings() const { return program_->warnings; }

std::vector<std::string> Query::GraphNames() const {
  std::vector<std::string> names = program_->names;
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

nlohmann::json FollowReturnPath(const nlohmann::json& root_list, std::string_view path) {
  nlohmann::json current = nlohmann::json::array();
  auto add = [&](const nlohmann::json& v) {
    if (v.is_object()) current.push_back(v);
  };
  if (root_list.is_array()) {
    for (const auto& v : root_list) add(v);
  } else {
    add(root_list);
  }
  size_t start = 0;
  while (!path.empty() && start <= path.size()) {
    size_t dot = path.find('.', start);
    std::string key(path.substr(start, dot == std::string_view::npos ? path.npos : dot - start));
    nlohmann::json next = nlohmann::json::array();
    for (const auto& element : current) {
      auto it = element.find(key);
      if (it == element.end()) continue;
      if (it->is_array()) {
        for (const auto& item : *it) {
          if (item.is_object()) next.push_back(item);
        }
      } else if (it->is_object()) {
        next.push_back(*it);
      }
    }
    current = std::move(next);
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return current;
}

namespace {

Result<nlohmann::ordered_json> InputJson(const Input& v) {
  switch (v.kind) {
    case Input::Kind::kNull:
      return nlohmann::ordered_json(nullptr);
    case Input::Kind::kInt:
      return nlohmann::ordered_json(v.integer);
    case Input::Kind::kFloat:
      return nlohmann::ordered_json(v.number);
    case Input::Kind::kString:
    case Input::Kind::kEnum:
      return nlohmann::ordered_json(v.text);
    case Input::Kind::kBool:
      return nlohmann::ordered_json(v.boolean);
    case Input::Kind::kList: {
      nlohmann::ordered_json out = nlohmann::ordered_json::array();
      for (const Input& item : v.items) {
        ASSIGN_OR_RETURN(nlohmann::ordered_json j, InputJson(item));
        out.push_back(std::move(j));
      }
      return out;
    }
    case Input::Kind::kObject: {
      nlohmann::ordered_json out = nlohmann::ordered_json::object();
      for (const Input::Field& f : v.fields) {
        ASSIGN_OR_RETURN(nlohmann::ordered_json j, InputJson(f.value));
        out[f.name] = std::move(j);
      }
      return out;
    }
    case Input::Kind::kVariable:
      break;
  }
  return Error(ErrorCode::kUnsupported,
               fmt::format("{}:{}: ${} is a variable; only literal filters can be restated",
                           v.pos.line, v.pos.column, v.text));
}

}  // namespace

Result<RootFilter> ParseRootFilter(std::string_view text) {
  ASSIGN_OR_RETURN(Document doc, ParseStoredCheck(text));
  for (const Operation& op : doc.operations) {
    for (const Selection& sel : op.selection_set.selections) {
      if (sel.kind != Selection::Kind::kField) continue;
      RootFilter out;
      out.field = sel.name;
      for (const Argument& arg : sel.arguments) {
        if (arg.name != "where") continue;
        ASSIGN_OR_RETURN(out.where, InputJson(arg.value));
      }
      return out;
    }
  }
  return Error(ErrorCode::kParse, "the query selects no root field");
}

}  // namespace ecsguard::query
