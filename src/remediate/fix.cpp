#include "remediate/fix.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "base/strings.h"

namespace ecsguard::remediate {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

bool Contains(const std::vector<std::string>& list, std::string_view s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

// Order-insensitive form for comparison; empty values count as absent.
json Normalise(const ordered_json& v) {
  if (v.is_object()) {
    json out = json::object();
    for (auto it = v.begin(); it != v.end(); ++it) {
      const ordered_json& member = it.value();
      if (member.is_null() || (member.is_array() && member.empty()) ||
          (member.is_object() && member.empty())) {
        continue;
      }
      out[it.key()] = Normalise(member);
    }
    return out;
  }
  if (v.is_array()) {
    json out = json::array();
    for (const ordered_json& item : v) out.push_back(Normalise(item));
    return out;
  }
  return json::parse(v.dump());
}

}  // namespace

const std::vector<std::string>& ReadOnlyFields() {
  static const std::vector<std::string> kFields = {
      "taskDefinitionArn",  "revision",        "status",
      "requiresAttributes", "compatibilities", "registeredAt",
      "registeredBy",       "deregisteredAt",  "deleteRequestedAt"};
  return kFields;
}

const std::vector<std::string>& RegisterRequestMembers() {
  static const std::vector<std::string> kMembers = {"family",
                                                    "taskRoleArn",
                                                    "executionRoleArn",
                                                    "networkMode",
                                                    "containerDefinitions",
                                                    "volumes",
                                                    "placementConstraints",
                                                    "requiresCompatibilities",
                                                    "cpu",
                                                    "memory",
                                                    "tags",
                                                    "pidMode",
                                                    "ipcMode",
                                                    "proxyConfiguration",
                                                    "inferenceAccelerators",
                                                    "ephemeralStorage",
                                                    "runtimePlatform",
                                                    "enableFaultInjection"};
  return kMembers;
}

bool IsRootUser(std::string_view user) {
  std::string_view name = user.substr(0, user.find(':'));
  if (name == "root") return true;
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) { return c == '0'; });
}

ordered_json RegisterInput(const RevisionDocument& document) {
  ordered_json input = ordered_json::object();
  if (document.task_definition.is_object()) {
    for (auto it = document.task_definition.begin(); it != document.task_definition.end(); ++it) {
      if (Contains(ReadOnlyFields(), it.key())) continue;
      input[it.key()] = it.value();
    }
  }
  if (document.tags.is_array() && !document.tags.empty()) input["tags"] = document.tags;
  return input;
}

bool SameRevision(const ordered_json& a, const ordered_json& b) {
  json na = Normalise(a), nb = Normalise(b);
  for (json* n : {&na, &nb}) {
    auto tags = n->find("tags");
    if (tags != n->end() && tags->is_array()) std::sort(tags->begin(), tags->end());
  }
  return na == nb;
}

ordered_json RedactEnvironment(const ordered_json& input) {
  ordered_json out = input;
  auto containers = out.find("containerDefinitions");
  if (containers == out.end() || !containers->is_array()) return out;
  for (ordered_json& c : *containers) {
    if (!c.is_object()) continue;
    auto env = c.find("environment");
    if (env == c.end() || !env->is_array()) continue;
    for (ordered_json& entry : *env) {
      if (entry.is_object() && entry.contains("value")) entry["value"] = "<redacted>";
    }
  }
  return out;
}

std::string FieldChange::Describe() const {
  return fmt::format("container {}: {} {} -> {}", container, field, before, after);
}

Result<RevisionFix> ComputeFix(const RevisionDocument& document,
                               const std::vector<const posture::Finding*>& findings,
                               const FixOptions& options) {
  if (options.user.empty() || IsRootUser(options.user) ||
      options.user.find_first_of(" \t\r\n") != std::string::npos) {
    return Error(
        ErrorCode::kValidation,
        fmt::format("--user \"{}\" is not a non-root user (for example 1000:1000)", options.user));
  }
  const ordered_json& td = document.task_definition;
  RevisionFix fix;
  fix.arn = td.is_object() ? td.value("taskDefinitionArn", "") : "";
  if (!td.is_object() || !td.contains("containerDefinitions") ||
      !td["containerDefinitions"].is_array()) {
    return Error(ErrorCode::kValidation,
                 fmt::format("{}: the task definition has no containerDefinitions array",
                             fix.arn.empty() ? "task definition" : fix.arn));
  }

  // Which controls flagged which container.
  std::map<std::string, std::set<std::string>> flagged;
  for (const posture::Finding* f : findings) {
    for (const posture::Evidence& e : f->evidence) {
      if (e.path == "containerSpecs" && !e.subject.empty())
        flagged[e.subject].insert(f->control_id);
    }
  }

  RevisionDocument fixed = document;
  std::set<std::string> seen;
  for (ordered_json& c : fixed.task_definition["containerDefinitions"]) {
    if (!c.is_object()) continue;
    std::string name = c.value("name", "");
    seen.insert(name);
    bool changed = false;
    auto privileged = c.find("privileged");
    if (privileged != c.end() && *privileged == true) {
      *privileged = false;
      fix.changes.push_back({name, "privileged", "true", "false"});
      changed = true;
    }
    auto user = c.find("user");
    if (user != c.end() && user->is_string() && IsRootUser(user->get<std::string>())) {
      fix.changes.push_back({name, "user", user->dump(), ordered_json(options.user).dump()});
      *user = options.user;
      changed = true;
    }
    auto flags = flagged.find(name);
    if (!changed && flags != flagged.end()) {
      std::string user_text = user != c.end() ? user->dump() : "not set";
      fix.notes.push_back(fmt::format(
          "container {} is flagged by {} but is neither privileged nor root (user {}); it is "
          "left unchanged: record an exception if the finding remains",
          name, Join({flags->second.begin(), flags->second.end()}, ", "), user_text));
    }
  }
  for (const auto& [name, controls] : flagged) {
    if (!seen.count(name)) {
      fix.notes.push_back(
          fmt::format("container {} named by a finding is not in {}", name, fix.arn));
    }
  }
  for (auto it = td.begin(); it != td.end(); ++it) {
    if (!Contains(ReadOnlyFields(), it.key()) && !Contains(RegisterRequestMembers(), it.key())) {
      fix.notes.push_back(fmt::format(
          "field {} is not a register-task-definition parameter ecsguard knows; it is carried "
          "over as returned",
          it.key()));
    }
  }
  if (!document.tags_known) {
    fix.notes.push_back(
        "the revision's tags are unknown (describe-task-definition without --include TAGS); the "
        "new revision gets none");
  }
  fix.input = RegisterInput(fixed);
  return fix;
}

}  // namespace ecsguard::remediate
