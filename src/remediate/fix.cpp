#include "remediate/fix.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "base/strings.h"
#include "remediate/names.h"

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

bool IsOwnTag(const ordered_json& tag) {
  return tag.is_object() && tag.contains("key") && tag["key"].is_string() &&
         tag["key"].get<std::string>().starts_with(kTagPrefix);
}

// Whether a string anywhere in `v` holds the redaction placeholder.
bool HasPlaceholder(const ordered_json& v) {
  if (v.is_string()) return v.get<std::string>().find(kRedacted) != std::string::npos;
  if (v.is_structured()) {
    return std::any_of(v.begin(), v.end(), [](const ordered_json& x) { return HasPlaceholder(x); });
  }
  return false;
}

// ECS allows 50 tags on a task definition.
constexpr size_t kMaxTags = 50;

// Fixes beyond privileged and root users, asked for by the controls whose findings are being
// fixed: the read-only root filesystem of Security Hub ECS.5, and a user where none is set for
// ECS.20 (a missing user runs as the image's, root unless the image says otherwise).
constexpr std::string_view kReadOnlyRootControl = "aws-securityhub-ecs-5";
constexpr std::string_view kUserRequiredControl = "aws-securityhub-ecs-20";

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
  auto comparable = [](const ordered_json& input) {
    ordered_json copy = input;
    auto tags = copy.find("tags");
    if (tags != copy.end() && tags->is_array()) {
      ordered_json kept = ordered_json::array();
      for (const ordered_json& tag : *tags) {
        if (!IsOwnTag(tag)) kept.push_back(tag);
      }
      *tags = std::move(kept);
    }
    json n = Normalise(copy);
    auto normalised = n.find("tags");
    if (normalised != n.end()) std::sort(normalised->begin(), normalised->end());
    return n;
  };
  return comparable(a) == comparable(b);
}

std::string FixesTagValue(std::string_view original_arn) {
  return std::string(original_arn.size() <= 256 ? original_arn
                                                : original_arn.substr(original_arn.size() - 256));
}

std::string FixesTagOf(const RevisionDocument& document) {
  if (!document.tags.is_array()) return "";
  for (const ordered_json& tag : document.tags) {
    if (tag.is_object() && tag.value("key", "") == kFixesTag && tag.contains("value") &&
        tag["value"].is_string()) {
      return tag["value"].get<std::string>();
    }
  }
  return "";
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
  bool read_only_root = false, user_required = false;
  for (const posture::Finding* f : findings) {
    read_only_root |= f->control_id == kReadOnlyRootControl;
    user_required |= f->control_id == kUserRequiredControl;
    for (const posture::Evidence& e : f->evidence) {
      if (e.path == "containerSpecs" && !e.subject.empty())
        flagged[e.subject].insert(f->control_id);
    }
  }

  if (HasPlaceholder(td) || HasPlaceholder(document.tags)) {
    return Error(ErrorCode::kValidation,
                 fmt::format("{}: the document holds redacted values (\"{}\", as in a snapshot "
                             "saved by `scan aws --save-snapshot`); a revision built from it would "
                             "replace the real values with the placeholder. Its values must be "
                             "read live: remediate without --snapshot, or with --apply",
                             fix.arn, kRedacted));
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
    } else if (user_required && (user == c.end() || user->is_null())) {
      fix.changes.push_back({name, "user", "null", ordered_json(options.user).dump()});
      c["user"] = options.user;
      user = c.find("user");
      changed = true;
    }
    if (read_only_root) {
      auto rofs = c.find("readonlyRootFilesystem");
      if (rofs == c.end() || *rofs != true) {
        fix.changes.push_back(
            {name, "readonlyRootFilesystem", rofs == c.end() ? "null" : rofs->dump(), "true"});
        c["readonlyRootFilesystem"] = true;
        changed = true;
      }
    }
    auto flags = flagged.find(name);
    if (!changed && flags != flagged.end()) {
      user = c.find("user");
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
        "new revision gets only ecsguard's own");
  }
  // The original's tags, then ecsguard's: a later run finds this fix by them.
  ordered_json tags = ordered_json::array();
  if (document.tags.is_array()) {
    for (const ordered_json& tag : document.tags) {
      if (!IsOwnTag(tag)) tags.push_back(tag);
    }
  }
  if (tags.size() + 2 > kMaxTags) {
    return Error(ErrorCode::kValidation,
                 fmt::format("{}: it has {} tags and ECS allows {}; the fix needs two more ({} "
                             "and {}): remove some tags first",
                             fix.arn, tags.size(), kMaxTags, kFixesTag, kControlTag));
  }
  std::set<std::string> controls;
  for (const posture::Finding* f : findings) controls.insert(f->control_id);
  tags.push_back({{"key", std::string(kFixesTag)}, {"value", FixesTagValue(fix.arn)}});
  tags.push_back({{"key", std::string(kControlTag)},
                  {"value", TagValue(Join({controls.begin(), controls.end()}, " "))}});
  fixed.tags = std::move(tags);
  fix.input = RegisterInput(fixed);
  return fix;
}

}  // namespace ecsguard::remediate
