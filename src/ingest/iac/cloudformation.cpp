#include "ingest/iac/cloudformation.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_set>

#include "base/strings.h"
#include "ingest/iac/ecs_resources.h"
#include "ingest/iac/hcl/eval.h"
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

// Fn::ToJsonString: keys in template order, numbers and Booleans as written.
nlohmann::ordered_json ToJson(const Node& n) {
  switch (n.kind) {
    case Node::Kind::kBool:
      return n.boolean;
    case Node::Kind::kInt:
    case Node::Kind::kFloat: {
      nlohmann::ordered_json number = nlohmann::ordered_json::parse(n.text, nullptr, false);
      return number.is_number() ? number : nlohmann::ordered_json(n.text);
    }
    case Node::Kind::kString:
    case Node::Kind::kUnknown:
      return n.text;
    case Node::Kind::kList: {
      nlohmann::ordered_json out = nlohmann::ordered_json::array();
      for (const Node& item : n.items) out.push_back(ToJson(item));
      return out;
    }
    case Node::Kind::kMap: {
      nlohmann::ordered_json out = nlohmann::ordered_json::object();
      for (size_t i = 0; i < n.items.size(); ++i) out[n.keys[i]] = ToJson(n.items[i]);
      return out;
    }
    case Node::Kind::kNull:
      return nullptr;
  }
  return nullptr;
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
    if (auto it = unknown_parameters_.find(name); it != unknown_parameters_.end()) {
      return Fail(expr, it->second);
    }
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
  if (name == "Fn::ToJsonString") {
    Outcome a = deep(arg);
    if (!a.ok()) return a.state == Outcome::State::kNoValue ? malformed() : Nested(std::move(a));
    if (a.value.is_scalar()) return malformed();
    std::string text = ToJson(a.value).dump();
    if (!Spend(text.size())) return OverBudget();
    return Outcome::Value(Node::String(std::move(text), n.pos));
  }
  if (name == "Fn::GetAtt") return GetAtt(n, depth);
  if (name == "Fn::ImportValue") return Fail(n, "an export of another stack");
  if (name == "Fn::GetAZs" || name == "Fn::Cidr") return Fail(n, "known only at deployment");
  return Fail(n, "an intrinsic function ecsguard does not evaluate");
}

// The attributes a template sets itself: a nested stack's outputs, an SSM parameter's value.
Outcome CfnEvaluator::GetAtt(const Node& n, int depth) {
  const Node& arg = n.items[0];
  std::string resource, attribute;
  if (arg.kind == Node::Kind::kString) {
    size_t dot = arg.text.find('.');
    if (dot == std::string::npos) return Fail(n, "a malformed Fn::GetAtt");
    resource = arg.text.substr(0, dot);
    attribute = arg.text.substr(dot + 1);
  } else if (arg.is_list() && arg.items.size() == 2 && arg.items[0].is_scalar()) {
    resource = arg.items[0].text;
    Outcome a = Eval(arg.items[1], depth + 1, true);
    if (!a.ok()) return Nested(std::move(a));
    if (!a.value.is_scalar()) return Fail(n, "a malformed Fn::GetAtt");
    attribute = a.value.text;
  } else {
    return Fail(n, "a malformed Fn::GetAtt");
  }
  const Node* resources = doc_.Find("Resources");
  const Node* res = resources ? resources->Find(resource) : nullptr;
  const Node* type = res ? res->Find("Type") : nullptr;
  const Node* props = res ? res->Find("Properties") : nullptr;
  if (type && type->text == "AWS::SSM::Parameter" && props &&
      (attribute == "Value" || attribute == "Type")) {
    // A conditional parameter may not exist; then the attribute is not known either.
    if (const Node* condition = res->Find("Condition"); condition && condition->is_scalar()) {
      Outcome c = Condition(condition->text, depth + 1);
      if (!c.ok()) return Nested(std::move(c));
    }
    if (const Node* value = props->Find(attribute)) {
      Outcome v = Eval(*value, depth + 1, true);
      return v.ok() || v.state == Outcome::State::kNoValue ? v : Nested(std::move(v));
    }
  }
  if (type && type->text == "AWS::CloudFormation::Stack" && attribute.starts_with("Outputs.") &&
      stack_output_) {
    if (std::optional<Outcome> o = stack_output_(resource, attribute.substr(8))) {
      return o->ok() ? *o : Nested(std::move(*o));
    }
  }
  return Fail(n, "an attribute known only after deployment");
}

namespace {

// Whether `n` names the CloudFormation type `type` anywhere.
bool Contains(const Node& n, std::string_view type) {
  if (n.kind == Node::Kind::kString && n.text == type) return true;
  for (const Node& c : n.items) {
    if (Contains(c, type)) return true;
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

namespace {

constexpr std::string_view kForEach = "Fn::ForEach::";
// Keys (resources, properties) all Fn::ForEach loops of one template may generate.
constexpr size_t kMaxGenerated = 100'000;

bool HasLanguageExtensions(const Node& doc) {
  const Node* t = doc.Find("Transform");
  if (!t) return false;
  if (t->kind == Node::Kind::kString) return t->text == "AWS::LanguageExtensions";
  return std::any_of(t->items.begin(), t->items.end(), [](const Node& x) {
    return x.kind == Node::Kind::kString && x.text == "AWS::LanguageExtensions";
  });
}

// The AWS::LanguageExtensions expansion of Fn::ForEach: each loop's fragment is copied once per
// collection item with the identifier bound to it. A bound identifier is replaced in map keys
// and Fn::Sub strings (`${Id}` by the item, `&{Id}` by its letters and digits) and in `Ref: Id`;
// a Fn::Sub left with no ${} becomes its string. Other strings are left as written, as the
// transform leaves them.
class ForEachExpander {
 public:
  explicit ForEachExpander(CfnEvaluator* eval) : eval_(eval) {}

  using Bindings = std::vector<std::pair<std::string, std::string>>;

  Outcome Expand(const Node& n, const Bindings& b, int depth) {
    if (depth > kMaxEvalDepth) {
      return Outcome::Unresolved(
          fmt::format("an expression nested more than {} levels deep", kMaxEvalDepth));
    }
    if (n.is_list()) {
      Node out = n;
      for (Node& item : out.items) {
        Outcome o = Expand(item, b, depth + 1);
        if (!o.ok()) return o;
        item = std::move(o.value);
      }
      return Outcome::Value(std::move(out));
    }
    if (!n.is_map()) return Outcome::Value(n);
    if (n.keys.size() == 1 && n.keys[0] == "Ref" && n.items[0].is_scalar()) {
      for (const auto& [id, value] : b) {
        if (id == n.items[0].text) return Outcome::Value(Node::String(value, n.pos));
      }
    }
    if (n.keys.size() == 1 && n.keys[0] == "Fn::Sub" && !b.empty()) {
      const Node& arg = n.items[0];
      if (arg.kind == Node::Kind::kString) {
        std::string text = Substitute(arg.text, b);
        if (text.find("${") == std::string::npos) {
          return Outcome::Value(Node::String(std::move(text), arg.pos));
        }
        Node out = n;
        out.items[0].text = std::move(text);
        return Outcome::Value(std::move(out));
      }
    }
    Node out;
    out.kind = Node::Kind::kMap;
    out.pos = n.pos;
    for (size_t i = 0; i < n.keys.size(); ++i) {
      const std::string& key = n.keys[i];
      if (!key.starts_with(kForEach)) {
        Outcome o = Expand(n.items[i], b, depth + 1);
        if (!o.ok()) return o;
        // Fn::Sub's string is substituted above; a list form's pattern here.
        if (key == "Fn::Sub" && o.value.is_list() && !o.value.items.empty() &&
            o.value.items[0].kind == Node::Kind::kString) {
          o.value.items[0].text = Substitute(o.value.items[0].text, b);
        }
        out.Add(b.empty() ? key : Substitute(key, b), n.key_pos[i], std::move(o.value));
        continue;
      }
      Outcome loop = Loop(key, n.items[i], b, depth + 1);
      if (!loop.ok()) return loop;
      for (size_t k = 0; k < loop.value.keys.size(); ++k) {
        if (out.Find(loop.value.keys[k]) || n.Find(loop.value.keys[k])) {
          return Outcome::Unresolved(
              fmt::format("{} generates \"{}\", which is already in the template (CloudFormation "
                          "rejects the template)",
                          key, loop.value.keys[k]));
        }
        out.Add(loop.value.keys[k], loop.value.key_pos[k], std::move(loop.value.items[k]));
      }
    }
    return Outcome::Value(std::move(out));
  }

 private:
  static std::string Substitute(std::string s, const Bindings& b) {
    for (const auto& [id, value] : b) {
      std::string alnum;
      for (char c : value) {
        if (std::isalnum(static_cast<unsigned char>(c))) alnum.push_back(c);
      }
      for (auto [pattern, with] : {std::pair{"${" + id + "}", value}, {"&{" + id + "}", alnum}}) {
        for (size_t at = s.find(pattern); at != std::string::npos;
             at = s.find(pattern, at + with.size())) {
          s.replace(at, pattern.size(), with);
        }
      }
    }
    return s;
  }

  // One loop: the map of every key its fragment generates, over the collection's items.
  Outcome Loop(const std::string& name, const Node& v, const Bindings& b, int depth) {
    if (!v.is_list() || v.items.size() != 3 || v.items[0].kind != Node::Kind::kString ||
        !v.items[2].is_map()) {
      return Outcome::Unresolved(fmt::format("{} is malformed", name));
    }
    const std::string& id = v.items[0].text;
    Outcome collection = Expand(v.items[1], b, depth + 1);
    if (collection.ok()) collection = eval_->Deep(collection.value);
    if (!collection.ok()) {
      return Outcome::Unresolved(
          fmt::format("the collection of {} {}", name, Describe("", collection)));
    }
    if (!collection.value.is_list()) {
      return Outcome::Unresolved(fmt::format("the collection of {} is not a list", name));
    }
    Node out;
    out.kind = Node::Kind::kMap;
    for (const Node& item : collection.value.items) {
      if (!item.is_scalar() || item.kind == Node::Kind::kNull) {
        return Outcome::Unresolved(
            fmt::format("the collection of {} has an item that is not a string", name));
      }
      Bindings inner = b;
      inner.emplace_back(id, item.text);
      Outcome fragment = Expand(v.items[2], inner, depth + 1);
      if (!fragment.ok()) return fragment;
      generated_ += fragment.value.keys.size();
      if (generated_ > kMaxGenerated) {
        return Outcome::Unresolved(
            fmt::format("Fn::ForEach generates more than {} keys", kMaxGenerated));
      }
      for (size_t k = 0; k < fragment.value.keys.size(); ++k) {
        if (out.Find(fragment.value.keys[k])) {
          return Outcome::Unresolved(
              fmt::format("{} generates \"{}\" twice (CloudFormation "
                          "rejects the template)",
                          name, fragment.value.keys[k]));
        }
        out.Add(fragment.value.keys[k], fragment.value.key_pos[k],
                std::move(fragment.value.items[k]));
      }
    }
    return Outcome::Value(std::move(out));
  }

  CfnEvaluator* eval_;
  size_t generated_ = 0;
};

// One stack: a template, with the parameters its parent passes (the top-level template: the
// scan's overrides), read into task definitions whose ids start with `id_prefix`.
class StackReader {
 public:
  struct Context {
    const IacOptions& options;
    graph::Graph* graph;
    IacResult* result;
  };

  // `file` is the template's path relative to options.root; `chain` the canonical paths of the
  // templates that nest this one, this one last.
  StackReader(const Context& ctx, const Node& doc, std::string file, std::string id_prefix,
              std::map<std::string, std::string> overrides,
              std::map<std::string, std::string> unknown_parameters, std::vector<std::string> chain)
      : ctx_(ctx),
        file_(std::move(file)),
        id_prefix_(std::move(id_prefix)),
        overrides_(std::move(overrides)),
        chain_(std::move(chain)) {
    const Node* doc_to_read = &doc;
    if (HasLanguageExtensions(doc)) {
      CfnEvaluator collections(doc, overrides_);
      collections.SetUnknownParameters(unknown_parameters);
      expanded_ = Expanded(doc, &collections);
      doc_to_read = &*expanded_;
    }
    doc_ = doc_to_read;
    eval_ = std::make_unique<CfnEvaluator>(*doc_, overrides_);
    eval_->SetUnknownParameters(std::move(unknown_parameters));
    eval_->SetStackOutput([this](const std::string& stack, const std::string& output) {
      return StackOutput(stack, output);
    });
  }

  // The resources as read (after Fn::ForEach), for suppression comment spans.
  const Node& doc() const { return *doc_; }

  void Read(const std::string& rejected, std::vector<ResourceSpan>* spans) {
    const Node* resources = doc_->Find("Resources");
    if (!resources || !resources->is_map()) return;
    for (size_t i = 0; i < resources->keys.size(); ++i) {
      const std::string& logical_id = resources->keys[i];
      const Node& res = resources->items[i];
      Position pos = resources->key_pos[i];
      std::string id = id_prefix_ + logical_id;
      spans->push_back({id, pos.line, std::max(pos.line, LastLine(res))});
      if (logical_id.starts_with(kForEach)) {
        for (const ReadType& t : kReadTypes) {
          if (!Contains(res, t.cloudformation)) continue;
          auto why = loop_errors_.find(logical_id);
          Gap(t, id, pos,
              why != loop_errors_.end()
                  ? fmt::format("{} generated by {} are not known: {}", t.plural, logical_id,
                                why->second)
                  : fmt::format("{} generated by {} are not expanded: the template does not "
                                "declare the AWS::LanguageExtensions transform, without which "
                                "CloudFormation rejects it",
                                t.plural, logical_id));
        }
        continue;
      }
      const Node* type = res.Find("Type");
      if (!type) continue;
      if (type->text == "AWS::CloudFormation::Stack") {
        ReadNestedStack(logical_id, res, pos, rejected);
        continue;
      }
      if (type->text == "AWS::ECS::TaskDefinition") {
        ReadTaskDefinition(logical_id, id, res, pos, rejected);
      } else if (auto kind = CloudFormationEcsKind(type->text)) {
        ReadEcsResource(*kind, logical_id, id, res, pos, rejected);
      }
    }
  }

 private:
  // The template with Fn::ForEach expanded; a loop that cannot be is kept as written, with why
  // in loop_errors_ (a resource whose properties' loop cannot be: in resource_errors_).
  Node Expanded(const Node& doc, CfnEvaluator* collections) {
    ForEachExpander expander(collections);
    Node out = doc;
    const Node* resources = doc.Find("Resources");
    if (!resources || !resources->is_map()) return out;
    Node expanded;
    expanded.kind = Node::Kind::kMap;
    expanded.pos = resources->pos;
    for (size_t i = 0; i < resources->keys.size(); ++i) {
      const std::string& key = resources->keys[i];
      Node one;
      one.kind = Node::Kind::kMap;
      one.Add(key, resources->key_pos[i], resources->items[i]);
      Outcome o = expander.Expand(one, {}, 0);
      if (!o.ok()) {
        (key.starts_with(kForEach) ? loop_errors_ : resource_errors_)[key] = o.reason;
        expanded.Add(key, resources->key_pos[i], resources->items[i]);
        continue;
      }
      for (size_t k = 0; k < o.value.keys.size(); ++k) {
        if (expanded.Find(o.value.keys[k])) {
          std::string why =
              fmt::format("generates \"{}\", which is already in the template", o.value.keys[k]);
          loop_errors_[key] = why;
          continue;
        }
        expanded.Add(o.value.keys[k], o.value.key_pos[k], std::move(o.value.items[k]));
      }
    }
    for (size_t i = 0; i < out.keys.size(); ++i) {
      if (out.keys[i] == "Resources") {
        out.items[i] = std::move(expanded);
        break;  // keys are unique: the document reader refuses a repeated one
      }
    }
    return out;
  }

  void Gap(const ReadType& type, const std::string& id, Position pos, std::string reason) {
    ctx_.result->gaps.push_back({std::string(type.label), id, "", "", std::move(reason),
                                 SourceLocation{file_, pos.line, pos.column}});
  }

  void ReadTaskDefinition(const std::string& logical_id, const std::string& id, const Node& res,
                          Position pos, const std::string& rejected) {
    TaskDefinition td;
    if (!ReadResource(logical_id, id, res, pos, rejected, &td, [&](const Node& props) {
          MapTaskFields(props, kCloudFormationNames, eval_.get(), &td);
          if (auto c = props.IndexOf("ContainerDefinitions")) {
            MapContainers(props.items[*c], kCloudFormationNames, eval_.get(), &td);
          }
        })) {
      return;
    }
    Commit(std::move(td), ctx_.graph, ctx_.result);
  }

  void ReadEcsResource(EcsKind kind, const std::string& logical_id, const std::string& id,
                       const Node& res, Position pos, const std::string& rejected) {
    EcsResource r(kind);
    if (!ReadResource(logical_id, id, res, pos, rejected, &r, [&](const Node& props) {
          MapEcsResource(props, Syntax::kCloudFormation, eval_.get(), &r);
        })) {
      return;
    }
    Commit(std::move(r), ctx_.graph, ctx_.result);
  }

  // Reads resource `logical_id` into `r` with `map` (given its Properties map), or says in r's
  // blockers why it cannot be read; false when its condition says it is never created. Its
  // Metadata suppressions are added to the result.
  bool ReadResource(const std::string& logical_id, const std::string& id, const Node& res,
                    Position pos, const std::string& rejected, Resource* r,
                    const std::function<void(const Node&)>& map) {
    if (const Node* metadata = res.Find("Metadata"); metadata && metadata->is_map()) {
      ReadMetadataIgnores(*metadata, id, file_, ctx_.result);
    }
    if (const Node* condition = res.Find("Condition"); condition && condition->is_scalar()) {
      Outcome c = eval_->Condition(condition->text);
      if (c.ok() && !c.value.boolean) return false;  // never created
    }
    r->id = id;
    r->name = id_prefix_.empty() ? logical_id : id.substr(id.find('#') + 1);
    r->source = "cloudformation";
    r->location = {file_, pos.line, pos.column};
    if (!rejected.empty()) {
      r->blockers.push_back(rejected);
      return true;
    }
    if (auto why = resource_errors_.find(logical_id); why != resource_errors_.end()) {
      r->blockers.push_back(fmt::format("its properties are not known: {}", why->second));
      return true;
    }
    const Node* props_expr = res.Find("Properties");
    if (auto variant = props_expr ? CaseVariantKey(*props_expr) : std::nullopt) {
      auto [key, at] = *variant;
      std::string why = fmt::format(
          "property \"{}\" repeats another in a different case, which CloudFormation rejects", key);
      ctx_.result->problems.emplace_back(ErrorCode::kValidation, why,
                                         SourceLocation{file_, at.line, at.column});
      r->blockers.push_back(fmt::format("{} (line {}, column {})", why, at.line, at.column));
      return true;
    }
    if (props_expr) {
      Outcome props = eval_->Shallow(*props_expr);
      if (!props.ok() && props.state == Outcome::State::kUnresolved) {
        r->blockers.push_back(Describe("Properties", props));
      } else if (props.ok() && props.value.is_map()) {
        map(props.value);
      } else if (props.ok() && props.value.kind != Node::Kind::kNull) {
        r->blockers.push_back("Properties is not a map");
      }
    }
    // Once the budget is spent nothing after it is known, whichever field ran out.
    if (eval_->exhausted() && r->blockers.empty()) r->blockers.push_back(*eval_->exhausted());
    return true;
  }

  // A nested stack, loaded once (for its task definitions and for Fn::GetAtt of its outputs).
  struct Nested {
    std::string error;  // why it is not read; empty when it is
    std::string text;
    std::string file;
    bool yaml = false;
    Node doc;
    std::unique_ptr<StackReader> reader;
  };

  static bool IsRemote(std::string_view url) {
    return url.starts_with("https://") || url.starts_with("http://") || url.starts_with("s3://");
  }

  // Loads the nested stack `logical_id`: nullptr when its template is not local (an S3 URL is
  // read by CloudFormation at deployment, and not by a scan).
  Nested* LoadNested(const std::string& logical_id) {
    if (auto it = nested_.find(logical_id); it != nested_.end()) return it->second.get();
    auto& slot = nested_[logical_id];
    slot = std::make_unique<Nested>();
    Nested& n = *slot;
    const Node* resources = doc_->Find("Resources");
    const Node* res = resources ? resources->Find(logical_id) : nullptr;
    const Node* props_expr = res ? res->Find("Properties") : nullptr;
    Outcome props = props_expr ? eval_->Shallow(*props_expr) : Outcome::NoValue();
    if (!props.ok() || !props.value.is_map()) {
      n.error = props.state == Outcome::State::kUnresolved ? Describe("its Properties", props)
                                                           : "it has no Properties map";
      return &n;
    }
    const Node* url_expr = props.value.Find("TemplateURL");
    Outcome url = url_expr ? eval_->Deep(*url_expr) : Outcome::NoValue();
    if (!url.ok() || !url.value.is_scalar()) {
      n.error = url.state == Outcome::State::kUnresolved ? Describe("its TemplateURL", url)
                                                         : "it has no TemplateURL string";
      return &n;
    }
    if (IsRemote(url.value.text)) {
      slot.reset();
      return nullptr;
    }
    if (chain_.size() >= static_cast<size_t>(kMaxStackDepth)) {
      n.error = fmt::format("stacks nest more than {} levels deep", kMaxStackDepth);
      return &n;
    }
    namespace fs = std::filesystem;
    const std::string& root = ctx_.options.root;
    fs::path parent_dir = (fs::path(root.empty() ? "." : root) / file_).parent_path();
    hcl::DiskFileReader disk(parent_dir.string(), root);
    Result<std::string> text = disk.Read(url.value.text);
    if (!text.ok()) {
      n.error =
          fmt::format("its template {} is not read: {}", url.value.text, text.error().message());
      return &n;
    }
    std::error_code ec;
    std::string canonical = fs::weakly_canonical(parent_dir / url.value.text, ec).string();
    if (std::find(chain_.begin(), chain_.end(), canonical) != chain_.end()) {
      n.error = fmt::format("its template {} nests itself", url.value.text);
      return &n;
    }
    n.text = std::move(*text);
    n.file = (fs::path(file_).parent_path() / url.value.text).lexically_normal().generic_string();
    n.yaml =
        !(n.file.ends_with(".json") || n.text.find_first_not_of(" \t\r\n") == n.text.find('{'));
    std::vector<Error> duplicates;
    Result<Node> doc = n.yaml ? ParseYaml(n.text, &duplicates) : ParseJson(n.text, &duplicates);
    if (!doc.ok()) {
      n.error = fmt::format("its template {} does not parse: {}", n.file, doc.error().ToString());
      return &n;
    }
    if (!duplicates.empty()) {
      n.error = fmt::format("its template {} repeats a key, which CloudFormation rejects: {}",
                            n.file, duplicates[0].ToString());
      return &n;
    }
    n.doc = std::move(*doc);
    // Parameters are strings; a list is passed joined, as CloudFormation joins it.
    std::map<std::string, std::string> values, unknown;
    if (const Node* params = props.value.Find("Parameters")) {
      Outcome p = eval_->Shallow(*params);
      for (size_t i = 0; p.ok() && p.value.is_map() && i < p.value.keys.size(); ++i) {
        Outcome v = eval_->Deep(p.value.items[i]);
        if (v.state == Outcome::State::kNoValue) continue;
        if (!v.ok()) {
          unknown[p.value.keys[i]] = fmt::format(
              "a parameter that stack {} passes as {}", logical_id,
              v.nested ? fmt::format("a value that depends on {}", v.reason) : v.reason);
        } else if (v.value.is_list()) {
          std::vector<std::string> parts;
          for (const Node& item : v.value.items) parts.push_back(item.text);
          values[p.value.keys[i]] = Join(parts, ",");
        } else if (v.value.is_scalar()) {
          values[p.value.keys[i]] = v.value.text;
        }
      }
    }
    std::vector<std::string> chain = chain_;
    chain.push_back(canonical);
    n.reader =
        std::make_unique<StackReader>(ctx_, n.doc, n.file, id_prefix_ + logical_id + "/",
                                      std::move(values), std::move(unknown), std::move(chain));
    return &n;
  }

  std::optional<Outcome> StackOutput(const std::string& stack, const std::string& output) {
    Nested* n = LoadNested(stack);
    if (!n) return std::nullopt;
    if (!n->error.empty()) {
      return Outcome::Unresolved(fmt::format("an output of stack {}, whose {}", stack, n->error));
    }
    const Node* outputs = n->reader->doc_->Find("Outputs");
    const Node* out = outputs ? outputs->Find(output) : nullptr;
    const Node* value = out ? out->Find("Value") : nullptr;
    if (!value) {
      return Outcome::Unresolved(
          fmt::format("output {} of stack {}, which its template does not declare", output, stack));
    }
    return n->reader->eval_->Deep(*value);
  }

  void ReadNestedStack(const std::string& logical_id, const Node& res, Position pos,
                       const std::string& rejected) {
    if (const Node* condition = res.Find("Condition"); condition && condition->is_scalar()) {
      Outcome c = eval_->Condition(condition->text);
      if (c.ok() && !c.value.boolean) return;  // never created
    }
    std::string id = id_prefix_ + logical_id;
    if (!rejected.empty()) return;  // the parent's task definitions already say why
    Nested* n = LoadNested(logical_id);
    if (!n) return;
    if (!n->error.empty()) {
      // Whatever ECS resources its template declares are not known.
      for (const ReadType& t : kReadTypes) {
        Gap(t, id, pos,
            fmt::format("the {} of nested stack {} are not known: {}", t.plural, logical_id,
                        n->error));
      }
      return;
    }
    std::vector<ResourceSpan> spans;
    n->reader->Read("", &spans);
    if (n->yaml) {
      AttachIgnoreComments(n->text, CommentSyntax::kYaml, n->file, std::move(spans), ctx_.result);
    }
  }

  const Context& ctx_;
  std::string file_;
  std::string id_prefix_;
  std::map<std::string, std::string> overrides_;
  std::vector<std::string> chain_;
  std::optional<Node> expanded_;
  const Node* doc_ = nullptr;
  std::unique_ptr<CfnEvaluator> eval_;
  std::map<std::string, std::string> loop_errors_, resource_errors_;
  std::map<std::string, std::unique_ptr<Nested>> nested_;
};

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
    if (resources->keys[i].starts_with(kForEach) || (type && type->kind == Node::Kind::kString)) {
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
  std::error_code ec;
  std::string self =
      std::filesystem::weakly_canonical(
          std::filesystem::path(options.root.empty() ? "." : options.root) / file, ec)
          .string();
  StackReader::Context ctx{options, graph, result};
  StackReader reader(ctx, doc, file, file + "#", options.parameters, {}, {self});
  std::vector<ResourceSpan> spans;
  reader.Read(rejected, &spans);
  if (yaml) AttachIgnoreComments(text, CommentSyntax::kYaml, file, std::move(spans), result);
}

}  // namespace ecsguard::ingest::iac
