#include "ingest/iac/cloudformation.h"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_set>

#include "base/strings.h"
#include "ingest/iac/suppression.h"

namespace ecsguard::ingest::iac {
namespace {

constexpr int kMaxEvalDepth = 400;

// The name of the intrinsic function `n` is ("Ref", "Fn::Join", ...), or "".
std::string_view IntrinsicName(const Node& n) {
  if (!n.is_map() || n.keys.size() != 1) return {};
  const std::string& k = n.keys[0];
  if (k == "Ref" || k.starts_with("Fn::")) return k;
  return {};
}

Outcome Nested(Outcome o) {
  o.nested = true;
  return o;
}

Outcome Fail(const Node& expr, std::string_view why) {
  return Outcome::Unresolved(fmt::format("{}, {}", Render(expr), why));
}

std::string Base64(std::string_view in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out.push_back(kAlphabet[(v >> s) & 63]);
  }
  if (i < in.size()) {
    uint32_t v = uint8_t(in[i]) << 16;
    if (i + 1 < in.size()) v |= uint8_t(in[i + 1]) << 8;
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(i + 1 < in.size() ? kAlphabet[(v >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

bool SameValue(const Node& a, const Node& b) {
  if (a.is_scalar() && b.is_scalar()) return a.text == b.text;
  if (a.kind != b.kind || a.items.size() != b.items.size() || a.keys != b.keys) return false;
  for (size_t i = 0; i < a.items.size(); ++i) {
    if (!SameValue(a.items[i], b.items[i])) return false;
  }
  return true;
}

// What a value costs against the budget: its strings and its nodes.
size_t Cost(const Node& n) {
  size_t cost = sizeof(Node) + n.text.size();
  for (const std::string& k : n.keys) cost += k.size() + sizeof(Position);
  for (const Node& c : n.items) cost += Cost(c);
  return cost;
}

Node ListOf(const std::vector<std::string_view>& parts, Position pos) {
  Node list;
  list.kind = Node::Kind::kList;
  list.pos = pos;
  for (std::string_view p : parts) list.items.push_back(Node::String(std::string(p), pos));
  return list;
}

}  // namespace

bool IsCloudFormation(const Node& doc) {
  if (!doc.is_map()) return false;
  if (doc.Find("AWSTemplateFormatVersion")) return true;
  const Node* resources = doc.Find("Resources");
  if (!resources || !resources->is_map() || resources->items.empty()) return false;
  bool all_typed = true, any_aws = false;
  for (size_t i = 0; i < resources->items.size(); ++i) {
    if (resources->keys[i].starts_with("Fn::ForEach::")) continue;
    const Node* type = resources->items[i].Find("Type");
    bool typed = type && type->kind == Node::Kind::kString;
    all_typed = all_typed && typed;
    any_aws = any_aws || (typed && type->text.starts_with("AWS::"));
  }
  // One AWS resource is enough: an entry without a Type must not hide the template's others.
  return all_typed || any_aws;
}

CfnEvaluator::CfnEvaluator(const Node& doc, const std::map<std::string, std::string>& overrides,
                           EvalBudget budget)
    : doc_(doc), overrides_(overrides), budget_(budget) {}

bool CfnEvaluator::Spend(size_t bytes) {
  if (exhausted_) return false;
  bytes_ += bytes;
  if (bytes_ <= budget_.bytes) return true;
  exhausted_ = fmt::format(
      "evaluation budget exceeded (more than {} bytes of values in the template)", budget_.bytes);
  return false;
}

bool CfnEvaluator::Step() {
  if (exhausted_) return false;
  if (++steps_ <= budget_.steps) return true;
  exhausted_ =
      fmt::format("evaluation budget exceeded (more than {} steps in the template)", budget_.steps);
  return false;
}

Outcome CfnEvaluator::Copy(const Node& n) {
  if (!Spend(Cost(n))) return OverBudget();
  return Outcome::Value(n);
}

Outcome CfnEvaluator::Eval(const Node& n, int depth, bool deep) {
  if (!Step()) return OverBudget();
  if (depth > kMaxEvalDepth) {
    return Outcome::Unresolved(
        fmt::format("an expression nested more than {} levels deep", kMaxEvalDepth));
  }
  if (!IntrinsicName(n).empty()) {
    Outcome o = Intrinsic(n, depth + 1);
    if (!o.ok()) return o;
    // The result may itself be an expression (a branch of Fn::If, an item of Fn::Select).
    Outcome again = Eval(o.value, depth + 1, deep);
    if (!again.ok() && again.state == Outcome::State::kUnresolved) again.nested = true;
    return again;
  }
  if (!deep || n.is_scalar()) return Outcome::Value(n);
  Node out;
  out.kind = n.kind;
  out.pos = n.pos;
  for (size_t i = 0; i < n.items.size(); ++i) {
    Outcome o = Eval(n.items[i], depth + 1, true);
    if (o.state == Outcome::State::kNoValue) continue;
    if (!o.ok()) return Nested(std::move(o));
    if (n.is_map()) {
      out.Add(n.keys[i], n.key_pos[i], std::move(o.value));
    } else {
      out.items.push_back(std::move(o.value));
    }
  }
  return Outcome::Value(std::move(out));
}

Outcome CfnEvaluator::Ref(const std::string& name, const Node& expr) {
  if (name == "AWS::NoValue") return Outcome::NoValue();
  const Node* params = doc_.Find("Parameters");
  const Node* param = params ? params->Find(name) : nullptr;
  if (param) {
    const Node* type_node = param->Find("Type");
    std::string type = type_node && type_node->is_scalar() ? type_node->text : "String";
    if (type.starts_with("AWS::SSM::Parameter::Value")) {
      return Fail(expr, "a parameter read from SSM Parameter Store at deployment");
    }
    std::optional<std::string> value;
    if (auto it = overrides_.find(name); it != overrides_.end()) {
      value = it->second;
    } else if (const Node* def = param->Find("Default");
               def && def->is_scalar() && def->kind != Node::Kind::kNull) {
      value = def->text;
    } else if (def && def->is_list()) {
      std::vector<std::string> parts;
      for (const Node& item : def->items) parts.push_back(item.text);
      value = Join(parts, ",");
    }
    if (!value) return Fail(expr, "a parameter with no default");
    bool list = type.starts_with("List<") || type == "CommaDelimitedList";
    size_t nodes = list ? 1 + std::count(value->begin(), value->end(), ',') : 0;
    if (!Spend(value->size() + (nodes + 1) * sizeof(Node))) return OverBudget();
    if (list) {
      std::vector<std::string_view> parts = Split(*value, ',');
      for (auto& p : parts) p = Trim(p);
      return Outcome::Value(ListOf(parts, expr.pos));
    }
    return Outcome::Value(Node::String(*value, expr.pos));
  }
  if (name.starts_with("AWS::")) return Fail(expr, "a pseudo parameter known only at deployment");
  const Node* resources = doc_.Find("Resources");
  if (resources && resources->Find(name)) {
    return Fail(expr, "a resource's physical id, known only after deployment");
  }
  return Fail(expr, "which names no parameter or resource");
}

Outcome CfnEvaluator::Sub(const Node& expr, const Node& arg, int depth) {
  const Node* pattern = &arg;
  Node vars;
  if (arg.is_list()) {
    if (arg.items.empty() || arg.items.size() > 2) return Fail(expr, "a malformed Fn::Sub");
    pattern = &arg.items[0];
    if (arg.items.size() == 2) {
      Outcome v = Eval(arg.items[1], depth + 1, true);
      if (!v.ok()) return Nested(std::move(v));
      vars = std::move(v.value);
    }
  }
  Outcome p = Eval(*pattern, depth + 1, true);
  if (!p.ok()) return Nested(std::move(p));
  if (!p.value.is_scalar()) return Fail(expr, "a malformed Fn::Sub");
  const std::string& s = p.value.text;
  // The literal text once; each substitution is charged as it is appended.
  if (!Spend(s.size())) return OverBudget();
  std::string out;
  size_t i = 0;
  while (i < s.size()) {
    size_t open = s.find("${", i);
    if (open == std::string::npos) {
      out.append(s, i, std::string::npos);
      break;
    }
    out.append(s, i, open - i);
    size_t close = s.find('}', open);
    if (close == std::string::npos) {
      out.append(s, open, std::string::npos);
      break;
    }
    std::string name = s.substr(open + 2, close - open - 2);
    i = close + 1;
    if (name.starts_with("!")) {
      out.append("${").append(name.substr(1)).append("}");
      continue;
    }
    name = std::string(Trim(name));
    if (const Node* v = vars.Find(name)) {
      if (!v->is_scalar()) return Fail(expr, fmt::format("whose ${{{}}} is not a string", name));
      if (!Spend(v->text.size())) return OverBudget();
      out.append(v->text);
      continue;
    }
    if (name.find('.') != std::string::npos) {
      return Outcome::Unresolved(fmt::format(
          "${{{}}} in {}, an attribute known only after deployment", name, Render(expr)));
    }
    Node ref;
    ref.kind = Node::Kind::kMap;
    ref.Add("Ref", expr.pos, Node::String(name, expr.pos));
    Outcome r = Ref(name, ref);
    if (r.state == Outcome::State::kNoValue) continue;
    if (!r.ok()) return Nested(std::move(r));
    // Ref charged the value already.
    if (!r.value.is_scalar()) {
      std::vector<std::string> parts;
      for (const Node& item : r.value.items) parts.push_back(item.text);
      out.append(Join(parts, ","));
    } else {
      out.append(r.value.text);
    }
  }
  return Outcome::Value(Node::String(std::move(out), expr.pos));
}

Outcome CfnEvaluator::Condition(std::string_view name, int depth) {
  if (auto it = conditions_.find(name); it != conditions_.end()) return it->second;
  const Node* conditions = doc_.Find("Conditions");
  const Node* expr = conditions ? conditions->Find(name) : nullptr;
  if (!expr) return Outcome::Unresolved(fmt::format("condition {}, which is not defined", name));
  if (evaluating_[std::string(name)]) {
    return Outcome::Unresolved(fmt::format("condition {}, which refers to itself", name));
  }
  evaluating_[std::string(name)] = true;
  Outcome o = ConditionExpr(*expr, depth + 1);
  evaluating_[std::string(name)] = false;
  conditions_.emplace(std::string(name), o);
  return o;
}

Outcome CfnEvaluator::ConditionExpr(const Node& n, int depth) {
  if (!Step()) return OverBudget();
  if (depth > kMaxEvalDepth) {
    return Outcome::Unresolved(
        fmt::format("an expression nested more than {} levels deep", kMaxEvalDepth));
  }
  if (n.is_map() && n.keys.size() == 1 && n.keys[0] == "Condition") {
    if (!n.items[0].is_scalar()) return Fail(n, "a malformed Condition");
    Outcome o = Condition(n.items[0].text, depth + 1);
    return o.ok() ? o : Nested(std::move(o));
  }
  Outcome o = Eval(n, depth + 1, true);
  if (!o.ok()) return o.state == Outcome::State::kNoValue ? Fail(n, "not a condition") : o;
  if (o.value.kind == Node::Kind::kBool) return o;
  if (o.value.kind == Node::Kind::kString && (o.value.text == "true" || o.value.text == "false")) {
    return Outcome::Value(Node::Bool(o.value.text == "true", n.pos));
  }
  return Fail(n, "not a condition");
}

Outcome CfnEvaluator::Intrinsic(const Node& n, int depth) {
  const std::string& name = n.keys[0];
  const Node& arg = n.items[0];
  auto malformed = [&] { return Fail(n, fmt::format("a malformed {}", name)); };
  auto deep = [&](const Node& x) { return Eval(x, depth + 1, true); };

  if (name == "Ref") {
    if (!arg.is_scalar()) return malformed();
    return Ref(arg.text, n);
  }
  if (name == "Fn::If") {
    if (!arg.is_list() || arg.items.size() != 3 || !arg.items[0].is_scalar()) return malformed();
    Outcome c = Condition(arg.items[0].text, depth + 1);
    if (!c.ok()) return Nested(std::move(c));
    return Copy(arg.items[c.value.boolean ? 1 : 2]);
  }
  if (name == "Fn::Sub") return Sub(n, arg, depth);
  if (name == "Fn::Join") {
    Outcome a = deep(arg);
    if (!a.ok()) return a.state == Outcome::State::kNoValue ? malformed() : Nested(std::move(a));
    const Node& v = a.value;
    if (!v.is_list() || v.items.size() != 2 || !v.items[0].is_scalar() || !v.items[1].is_list()) {
      return malformed();
    }
    const std::string& delimiter = v.items[0].text;
    size_t size = 0;
    std::vector<std::string> parts;
    for (const Node& p : v.items[1].items) {
      if (!p.is_scalar()) return malformed();
      size += p.text.size() + delimiter.size();
    }
    if (!Spend(size)) return OverBudget();
    for (const Node& p : v.items[1].items) parts.push_back(p.text);
    return Outcome::Value(Node::String(Join(parts, delimiter), n.pos));
  }
  if (name == "Fn::Select") {
    if (!arg.is_list() || arg.items.size() != 2) return malformed();
    Outcome index = deep(arg.items[0]);
    if (!index.ok()) return Nested(std::move(index));
    Outcome list = Eval(arg.items[1], depth + 1, false);
    if (!list.ok()) return Nested(std::move(list));
    auto i = index.value.AsInt();
    if (!i || !list.value.is_list()) return malformed();
    if (*i < 0 || static_cast<size_t>(*i) >= list.value.items.size()) {
      return Fail(n, "an index out of range");
    }
    return Copy(list.value.items[static_cast<size_t>(*i)]);
  }
  if (name == "Fn::Split") {
    Outcome a = deep(arg);
    if (!a.ok()) return Nested(std::move(a));
    const Node& v = a.value;
    if (!v.is_list() || v.items.size() != 2 || !v.items[0].is_scalar() || !v.items[1].is_scalar() ||
        v.items[0].text.empty()) {
      return malformed();
    }
    std::string_view s = v.items[1].text, delim = v.items[0].text;
    size_t count = 1;
    for (size_t at = s.find(delim); at != std::string_view::npos;
         at = s.find(delim, at + delim.size())) {
      ++count;
    }
    if (!Spend(s.size() + (count + 1) * sizeof(Node))) return OverBudget();
    std::vector<std::string_view> parts;
    size_t start = 0;
    while (true) {
      size_t at = s.find(delim, start);
      parts.push_back(s.substr(start, at == std::string_view::npos ? at : at - start));
      if (at == std::string_view::npos) break;
      start = at + delim.size();
    }
    return Outcome::Value(ListOf(parts, n.pos));
  }
  if (name == "Fn::FindInMap") {
    if (!arg.is_list() || arg.items.size() < 3) return malformed();
    std::vector<std::string> keys;
    for (size_t k = 0; k < 3; ++k) {
      Outcome o = deep(arg.items[k]);
      if (!o.ok()) return Nested(std::move(o));
      if (!o.value.is_scalar()) return malformed();
      keys.push_back(o.value.text);
    }
    const Node* mappings = doc_.Find("Mappings");
    const Node* m = mappings ? mappings->Find(keys[0]) : nullptr;
    const Node* top = m ? m->Find(keys[1]) : nullptr;
    const Node* value = top ? top->Find(keys[2]) : nullptr;
    if (value) return Copy(*value);
    if (arg.items.size() == 4) {
      if (const Node* d = arg.items[3].Find("DefaultValue")) return Copy(*d);
    }
    return Fail(n, "which names no entry of Mappings");
  }
  if (name == "Fn::Base64") {
    Outcome a = deep(arg);
    if (!a.ok()) return Nested(std::move(a));
    if (!a.value.is_scalar()) return malformed();
    if (!Spend(a.value.text.size() / 3 * 4 + 4)) return OverBudget();
    return Outcome::Value(Node::String(Base64(a.value.text), n.pos));
  }
  if (name == "Fn::Length") {
    Outcome a = Eval(arg, depth + 1, false);
    if (!a.ok()) return Nested(std::move(a));
    if (!a.value.is_list()) return malformed();
    Node len;
    len.kind = Node::Kind::kInt;
    len.text = std::to_string(a.value.items.size());
    len.pos = n.pos;
    return Outcome::Value(std::move(len));
  }
  if (name == "Fn::Equals") {
    if (!arg.is_list() || arg.items.size() != 2) return malformed();
    Outcome a = deep(arg.items[0]);
    if (!a.ok()) return Nested(std::move(a));
    Outcome b = deep(arg.items[1]);
    if (!b.ok()) return Nested(std::move(b));
    return Outcome::Value(Node::Bool(SameValue(a.value, b.value), n.pos));
  }
  if (name == "Fn::And" || name == "Fn::Or") {
    if (!arg.is_list() || arg.items.empty()) return malformed();
    bool is_and = name == "Fn::And";
    std::optional<Outcome> unresolved;
    for (const Node& item : arg.items) {
      Outcome c = ConditionExpr(item, depth + 1);
      if (!c.ok()) {
        if (!unresolved) unresolved = Nested(std::move(c));
        continue;
      }
      // A false operand decides And, a true one decides Or, whatever the others are.
      if (c.value.boolean != is_and) return Outcome::Value(Node::Bool(!is_and, n.pos));
    }
    if (unresolved) return *unresolved;
    return Outcome::Value(Node::Bool(is_and, n.pos));
  }
  if (name == "Fn::Not") {
    const Node* operand = arg.is_list() && arg.items.size() == 1 ? &arg.items[0] : nullptr;
    if (!operand) return malformed();
    Outcome c = ConditionExpr(*operand, depth + 1);
    if (!c.ok()) return Nested(std::move(c));
    return Outcome::Value(Node::Bool(!c.value.boolean, n.pos));
  }
  if (name == "Fn::GetAtt") return Fail(n, "an attribute known only after deployment");
  if (name == "Fn::ImportValue") return Fail(n, "an export of another stack");
  if (name == "Fn::GetAZs" || name == "Fn::Cidr") return Fail(n, "known only at deployment");
  return Fail(n, "an intrinsic function ecsguard does not evaluate");
}

namespace {

bool ContainsTaskDefinition(const Node& n) {
  if (n.kind == Node::Kind::kString && n.text == "AWS::ECS::TaskDefinition") return true;
  for (const Node& c : n.items) {
    if (ContainsTaskDefinition(c)) return true;
  }
  return false;
}

// Maps of a task definition whose keys the author chooses, where `a` and `A` are two keys.
bool FreeFormMap(std::string_view key) {
  return key == "DockerLabels" || key == "Options" || key == "DriverOpts" || key == "Labels";
}

// The first property name in `n` that repeats an earlier one in another case (`privileged` beside
// `Privileged`). CloudFormation reads property names exactly and rejects the unknown spelling, so
// such a template never deploys, and reading one spelling would report on something it is not.
std::optional<std::pair<std::string, Position>> CaseVariantKey(const Node& n) {
  std::unordered_set<std::string> seen;
  for (size_t i = 0; i < n.items.size(); ++i) {
    if (n.is_map()) {
      if (!seen.insert(ToLower(n.keys[i])).second) return std::make_pair(n.keys[i], n.key_pos[i]);
      // The variables of Fn::Sub are named by the author too.
      if (FreeFormMap(n.keys[i]) || n.keys[i] == "Fn::Sub") continue;
    }
    if (auto found = CaseVariantKey(n.items[i])) return found;
  }
  return std::nullopt;
}

}  // namespace

void ReadCloudFormation(const Node& doc, std::string_view text, bool yaml, const std::string& file,
                        const std::vector<Error>& duplicates, const IacOptions& options,
                        graph::Graph* graph, IacResult* result) {
  for (const Error& e : duplicates) result->problems.push_back(e.InFile(file));
  const Node* resources = doc.Find("Resources");
  if (!resources || !resources->is_map()) return;
  std::vector<Error> invalid = duplicates;
  for (size_t i = 0; i < resources->keys.size(); ++i) {
    const Node* type = resources->items[i].Find("Type");
    if (resources->keys[i].starts_with("Fn::ForEach::") ||
        (type && type->kind == Node::Kind::kString)) {
      continue;
    }
    Position at = resources->key_pos[i];
    invalid.emplace_back(ErrorCode::kValidation,
                         fmt::format("resource \"{}\" without a Type string", resources->keys[i]),
                         SourceLocation{file, at.line, at.column});
    result->problems.push_back(invalid.back());
  }
  // CloudFormation rejects the whole template, so none of its task definitions is evaluated.
  std::string rejected;
  if (!invalid.empty()) {
    const SourceLocation& at = invalid[0].location();
    rejected =
        fmt::format("the template has a {} at line {}, column {}, which CloudFormation rejects",
                    invalid[0].message(), at.line, at.column);
  }
  CfnEvaluator eval(doc, options.parameters);
  std::vector<ResourceSpan> spans;
  for (size_t i = 0; i < resources->keys.size(); ++i) {
    const std::string& logical_id = resources->keys[i];
    const Node& res = resources->items[i];
    Position pos = resources->key_pos[i];
    std::string id = file + "#" + logical_id;
    spans.push_back({id, pos.line, std::max(pos.line, LastLine(res))});
    if (logical_id.starts_with("Fn::ForEach::")) {
      if (ContainsTaskDefinition(res)) {
        result->gaps.push_back({"ECSTaskDefinition", id, "", "",
                                "task definitions generated by Fn::ForEach are not expanded",
                                SourceLocation{file, pos.line, pos.column}});
      }
      continue;
    }
    const Node* type = res.Find("Type");
    if (!type || type->text != "AWS::ECS::TaskDefinition") continue;
    if (const Node* metadata = res.Find("Metadata"); metadata && metadata->is_map()) {
      ReadMetadataIgnores(*metadata, id, file, result);
    }
    if (const Node* condition = res.Find("Condition"); condition && condition->is_scalar()) {
      Outcome c = eval.Condition(condition->text);
      if (c.ok() && !c.value.boolean) continue;  // never created
    }
    TaskDefinition td;
    td.id = id;
    td.name = logical_id;
    td.source = "cloudformation";
    td.location = {file, pos.line, pos.column};
    if (!rejected.empty()) {
      td.blockers.push_back(rejected);
      Commit(std::move(td), graph, result);
      continue;
    }
    const Node* props_expr = res.Find("Properties");
    if (auto variant = props_expr ? CaseVariantKey(*props_expr) : std::nullopt) {
      auto [key, at] = *variant;
      std::string why = fmt::format(
          "property \"{}\" repeats another in a different case, which CloudFormation rejects", key);
      result->problems.emplace_back(ErrorCode::kValidation, why,
                                    SourceLocation{file, at.line, at.column});
      td.blockers.push_back(fmt::format("{} (line {}, column {})", why, at.line, at.column));
      Commit(std::move(td), graph, result);
      continue;
    }
    if (props_expr) {
      Outcome props = eval.Shallow(*props_expr);
      if (!props.ok() && props.state == Outcome::State::kUnresolved) {
        td.blockers.push_back(Describe("Properties", props));
      } else if (props.ok() && props.value.is_map()) {
        MapTaskFields(props.value, kCloudFormationNames, &eval, &td);
        if (auto c = props.value.IndexOf("ContainerDefinitions")) {
          MapContainers(props.value.items[*c], kCloudFormationNames, &eval, &td);
        }
      } else if (props.ok() && props.value.kind != Node::Kind::kNull) {
        td.blockers.push_back("Properties is not a map");
      }
    }
    // Once the budget is spent nothing after it is known, whichever field ran out.
    if (eval.exhausted() && td.blockers.empty()) td.blockers.push_back(*eval.exhausted());
    Commit(std::move(td), graph, result);
  }
  if (yaml) AttachIgnoreComments(text, CommentSyntax::kYaml, file, std::move(spans), result);
}

}  // namespace ecsguard::ingest::iac
