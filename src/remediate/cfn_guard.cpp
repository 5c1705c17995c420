#include "remediate/cfn_guard.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "base/strings.h"
#include "query/query.h"

namespace ecsguard::remediate {
namespace {

using FilterJson = nlohmann::ordered_json;

// A Guard clause is a disjunction of atoms ("A or B"); a filter body is a conjunction of
// clauses, one per line (Guard's conjunctive normal form).
using Clause = std::vector<std::string>;
using Cnf = std::vector<Clause>;

enum class Type : uint8_t { kString, kBool, kRelationship };

struct Property {
  std::string_view field;  // in the asset schema
  std::string_view key;    // in CloudFormation
  Type type;
};

// Where the CloudFormation reader (ingest/iac) puts each property of AWS::ECS::TaskDefinition
// in the graph, and back. A field missing here has no CloudFormation property a rule could read.
constexpr Property kTaskDefinition[] = {
    {"networkMode", "NetworkMode", Type::kString},
    {"pidMode", "PidMode", Type::kString},
    {"ipcMode", "IpcMode", Type::kString},
    {"family", "Family", Type::kString},
    {"cpu", "Cpu", Type::kString},
    {"memory", "Memory", Type::kString},
    {"taskRoleArn", "TaskRoleArn", Type::kString},
    {"executionRoleArn", "ExecutionRoleArn", Type::kString},
    {"containerSpecs", "ContainerDefinitions", Type::kRelationship},
};
constexpr Property kContainer[] = {
    {"name", "Name", Type::kString},
    {"image", "Image", Type::kString},
    {"privileged", "Privileged", Type::kBool},
    {"user", "User", Type::kString},
    {"readOnlyRootFS", "ReadonlyRootFilesystem", Type::kBool},
    {"essential", "Essential", Type::kBool},
};

struct Level {
  const Property* begin;
  const Property* end;
  std::string_view prefix;  // "Properties." on the resource, "" inside a container
};

const Property* Find(const Level& level, std::string_view field) {
  for (const Property* p = level.begin; p != level.end; ++p) {
    if (p->field == field) return p;
  }
  return nullptr;
}

std::string Quote(std::string_view s) { return FilterJson(std::string(s)).dump(); }

// `s` as a Guard regex literal body: metacharacters escaped, and '/' which ends the literal.
std::string RegexLiteral(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (std::string_view("\\.^$|?*+()[]{}/").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

std::string SlashEscaped(std::string_view re) {
  std::string out;
  for (size_t i = 0; i < re.size(); ++i) {
    if (re[i] == '\\' && i + 1 < re.size()) {
      out += re.substr(i, 2);
      ++i;
    } else {
      if (re[i] == '/') out += '\\';
      out += re[i];
    }
  }
  return out;
}

bool IsInteger(std::string_view s) {
  size_t start = !s.empty() && s[0] == '-' ? 1 : 0;
  return s.size() > start && s.find_first_not_of("0123456789", start) == std::string_view::npos;
}

struct Translator {
  std::string error;

  bool Fail(std::string why) {
    if (error.empty()) error = std::move(why);
    return false;
  }

  // Atoms that hold when the property equals `value` as the reader converts it: a Boolean also
  // written as the string "true"/"false" (any case); a string that is a number also written
  // unquoted (User: 0 reads as "0").
  bool EqualAtoms(const std::string& key, Type type, const FilterJson& value, Clause* out) {
    if (type == Type::kBool) {
      if (!value.is_boolean()) return Fail(fmt::format("{} compared with {}", key, value.dump()));
      bool b = value.get<bool>();
      out->push_back(fmt::format("{} == {}", key, b ? "true" : "false"));
      out->push_back(fmt::format("{} == /^(?i)(?:{})$/", key, b ? "true" : "false"));
      return true;
    }
    if (!value.is_string()) return Fail(fmt::format("{} compared with {}", key, value.dump()));
    std::string s = value.get<std::string>();
    out->push_back(fmt::format("{} == {}", key, Quote(s)));
    if (IsInteger(s)) out->push_back(fmt::format("{} == {}", key, s));
    return true;
  }

  bool Scalar(const Property& p, std::string_view op, const FilterJson& value, const Level& level,
              Cnf* out) {
    std::string key = fmt::format("{}{}", level.prefix, p.key);
    if (op.empty() || op == "_EQ") {
      if (value.is_null()) {
        out->push_back({key + " not exists"});
        return true;
      }
      Clause clause;
      if (!EqualAtoms(key, p.type, value, &clause)) return false;
      out->push_back(std::move(clause));
      return true;
    }
    if (op == "_NOT") {
      if (value.is_null()) {
        out->push_back({key + " exists"});
        return true;
      }
      // Three-valued: an absent property is neither equal nor unequal, so it does not match.
      out->push_back({key + " exists"});
      Clause equal;
      if (!EqualAtoms(key, p.type, value, &equal)) return false;
      for (const std::string& atom : equal) {
        std::string differs = atom;
        differs.replace(differs.find(" == "), 4, " != ");
        out->push_back({differs});
      }
      return true;
    }
    if (op == "_IN") {
      if (!value.is_array() || value.empty()) return Fail(key + "_IN needs a non-empty list");
      Clause clause;
      for (const FilterJson& v : value) {
        if (!EqualAtoms(key, p.type, v, &clause)) return false;
      }
      out->push_back(std::move(clause));
      return true;
    }
    if (p.type != Type::kString || !value.is_string()) {
      return Fail(fmt::format("{}{} on a non-string", p.field, op));
    }
    std::string s = value.get<std::string>();
    std::string re;
    if (op == "_CONTAINS") {
      re = RegexLiteral(s);
    } else if (op == "_STARTS_WITH") {
      re = "^" + RegexLiteral(s);
    } else if (op == "_ENDS_WITH") {
      re = RegexLiteral(s) + "$";
    } else if (op == "_MATCHES") {
      re = fmt::format("^(?:{})$", SlashEscaped(s));  // RE2 full match
    } else {
      return Fail(fmt::format("operator {} on {}", op, p.field));
    }
    out->push_back({fmt::format("{} == /{}/", key, re)});
    return true;
  }

  bool Filter(const FilterJson& where, const Level& level, Cnf* out) {
    if (!where.is_object()) return Fail("a filter that is not an object");
    for (const auto& [name, value] : where.items()) {
      if (name == "AND") {
        if (!value.is_array() || value.empty()) return Fail("AND needs a non-empty list");
        for (const FilterJson& item : value) {
          if (!Filter(item, level, out)) return false;
        }
        continue;
      }
      if (name == "OR") {
        if (!value.is_array() || value.empty()) return Fail("OR needs a non-empty list");
        Clause clause;
        for (const FilterJson& item : value) {
          Cnf alternative;
          if (!Filter(item, level, &alternative)) return false;
          // Guard has no parentheses: an alternative must be one clause to join with "or".
          if (alternative.size() != 1) return Fail("OR of an alternative with several conditions");
          clause.insert(clause.end(), alternative[0].begin(), alternative[0].end());
        }
        out->push_back(std::move(clause));
        continue;
      }
      if (name == "NOT") return Fail("NOT");
      size_t underscore = name.find('_');
      std::string field = name.substr(0, underscore);
      std::string op = underscore == std::string::npos ? "" : name.substr(underscore);
      const Property* p = Find(level, field);
      if (p == nullptr) return Fail(fmt::format("field {} has no CloudFormation property", field));
      if (p->type == Type::kRelationship) {
        if (op != "_SOME") return Fail(fmt::format("{}{} (only _SOME is translated)", field, op));
        Cnf inner;
        if (!Filter(value, Level{std::begin(kContainer), std::end(kContainer), ""}, &inner)) {
          return false;
        }
        if (inner.empty()) return Fail(fmt::format("{}_SOME with an empty filter", field));
        std::string atom = fmt::format("{}{}[\n", level.prefix, p->key);
        for (const Clause& c : inner) atom += "      " + Join(c, " or ") + "\n";
        atom += "    ] !empty";
        out->push_back({atom});
        continue;
      }
      if (!Scalar(*p, op, value, level, out)) return false;
    }
    return true;
  }
};

}  // namespace

std::string GuardRuleName(std::string_view control_id) {
  std::string out;
  for (char c : control_id) {
    out += c == '-' || c == '.' ? '_' : static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
  }
  if (!out.empty() && out[0] >= '0' && out[0] <= '9') out = "ECSGUARD_" + out;
  return out;
}

GuardRules CfnGuardRules(const std::vector<const controls::Control*>& controls) {
  GuardRules result;
  result.text =
      "# AWS CloudFormation Guard rules written by `ecsguard guardrails cfn-guard`: each is the\n"
      "# `iac:` check of an ecsguard control, translated. A rule FAILs when a task definition\n"
      "# matches the check, PASSes when none does and SKIPs a template without one. Suppress a\n"
      "# rule for one resource with Metadata.guard.SuppressedRules. docs/guardrails.md.\n"
      "#   cfn-guard validate --rules ecsguard.guard --data template.yaml\n";
  for (const controls::Control* c : controls) {
    if (!c->iac) continue;
    Result<query::RootFilter> root = query::ParseRootFilter(c->iac->query);
    if (!root.ok()) {
      result.skipped.push_back({c->id, root.error().message()});
      continue;
    }
    if (root->field != "ecsTaskDefinitions") continue;
    std::string name = GuardRuleName(c->id);
    Translator t;
    Cnf cnf;
    if (!root->where.is_null() &&
        !t.Filter(root->where,
                  Level{std::begin(kTaskDefinition), std::end(kTaskDefinition), "Properties."},
                  &cnf)) {
      result.skipped.push_back({c->id, "cannot translate " + t.error});
      continue;
    }
    std::string targets = "ecsguard_" + ToLower(name);
    result.text += fmt::format(
        "\n# {}: {}\n"
        "let {} = Resources.*[\n"
        "  Type == \"AWS::ECS::TaskDefinition\"\n"
        "  Metadata.guard.SuppressedRules not exists or\n"
        "  Metadata.guard.SuppressedRules.* != \"{}\"\n"
        "]\n\n"
        "rule {} when %{} !empty {{\n"
        "  let violations = %{}[\n",
        c->id, OneLine(c->title), targets, name, name, targets, targets);
    for (const Clause& clause : cnf) result.text += "    " + Join(clause, " or ") + "\n";
    result.text += fmt::format(
        "  ]\n"
        "  %violations empty\n"
        "  <<\n"
        "    Violation: {}\n"
        "    Fix: see `ecsguard controls show {}`\n"
        "  >>\n"
        "}}\n",
        OneLine(c->title), c->id);
    result.rules.push_back({c->id, name});
  }
  return result;
}

}  // namespace ecsguard::remediate
