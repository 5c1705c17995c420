#include "posture/build.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <set>
#include <unordered_map>

#include "base/arn.h"
#include "base/strings.h"

namespace ecsguard::posture {
namespace {

using graph::Direction;
using graph::Graph;
using graph::NodeIndex;
using graph::Value;

std::string Str(const Graph& g, NodeIndex n, std::string_view key) {
  Value v = g.GetProp(n, key);
  return v.kind() == Value::Kind::kString ? std::string(v.as_string()) : std::string();
}

// Values read from files (an IaC file() the node's `valuesFromFile` admits to) are quoted only
// this far: a configuration under review must not be able to copy a file into every report.
constexpr size_t kFileValueQuoteBytes = 64;

std::string RenderValue(const Value& v, size_t max_string_bytes = std::string::npos) {
  switch (v.kind()) {
    case Value::Kind::kNull:
      return "null";
    case Value::Kind::kBool:
      return v.as_bool() ? "true" : "false";
    case Value::Kind::kInt:
      return std::to_string(v.as_int());
    case Value::Kind::kFloat:
      return fmt::format("{}", v.as_float());
    case Value::Kind::kString: {
      std::string_view text = v.as_string();
      std::string_view shown = text;
      if (shown.size() > max_string_bytes) {
        shown = shown.substr(0, max_string_bytes);
        // Cut at a character boundary, not inside a UTF-8 sequence.
        while (!shown.empty() && (static_cast<unsigned char>(text[shown.size()]) & 0xC0) == 0x80) {
          shown.remove_suffix(1);
        }
      }
      std::string out = "\"";
      for (char c : shown) {
        if (c == '"' || c == '\\') out.push_back('\\');
        out.push_back(c);
      }
      if (shown.size() < text.size()) {
        return out + fmt::format("...\" (truncated: {} of {} bytes)", shown.size(), text.size());
      }
      return out + "\"";
    }
    case Value::Kind::kList: {
      std::string out = "[";
      auto items = v.as_list();
      for (size_t i = 0; i < items.size(); ++i) {
        if (i) out += ", ";
        out += RenderValue(items[i], max_string_bytes);
      }
      return out + "]";
    }
  }
  return "null";
}

// Nodes related to `n` over edge `type` in `dir` whose label is `label`.
std::vector<NodeIndex> Related(const Graph& g, NodeIndex n, std::string_view type, Direction dir,
                               std::string_view label) {
  std::vector<NodeIndex> out;
  auto type_sym = g.Lookup(type);
  if (!type_sym) return out;
  for (NodeIndex m : g.Neighbors(n, *type_sym, dir)) {
    if (g.LabelName(m) == label) out.push_back(m);
  }
  return out;
}

Resource ResourceOf(const Graph& g, NodeIndex n) {
  Resource r;
  r.type = std::string(g.LabelName(n));
  r.id = std::string(g.Id(n));
  r.arn = Str(g, n, "arn");
  r.account_id = Str(g, n, "accountId");
  r.region = Str(g, n, "region");
  r.family = Str(g, n, "family");
  Value rev = g.GetProp(n, "revision");
  if (rev.kind() == Value::Kind::kInt) r.revision = rev.as_int();
  r.name = Str(g, n, "name");
  r.status = Str(g, n, "status");
  r.location.file = Str(g, n, "sourceFile");
  Value line = g.GetProp(n, "sourceLine"), column = g.GetProp(n, "sourceColumn");
  if (line.kind() == Value::Kind::kInt) r.location.line = static_cast<uint32_t>(line.as_int());
  if (column.kind() == Value::Kind::kInt)
    r.location.column = static_cast<uint32_t>(column.as_int());
  return r;
}

Evidence EvidenceOf(const graph::Schema& schema, const Graph& g, const query::Witness& w) {
  Evidence e;
  e.path = w.relationship_path;
  // The root witness carries the asset's own fields; related nodes are named by name or id.
  if (!w.relationship_path.empty()) {
    e.subject = Str(g, w.node, "name");
    if (e.subject.empty()) e.subject = std::string(g.Id(w.node));
  }
  Value from_file = g.GetProp(w.node, "valuesFromFile");
  size_t max_string_bytes = from_file.kind() == Value::Kind::kBool && from_file.as_bool()
                                ? kFileValueQuoteBytes
                                : std::string::npos;
  for (const std::string& field : w.fields) {
    if (graph::IsSensitive(schema, g.LabelName(w.node), "", field)) {
      e.fields.emplace_back(field, std::string(kRedactedJson));
      continue;
    }
    if (field == "name") continue;  // already the subject
    e.fields.emplace_back(field, RenderValue(g.GetProp(w.node, field), max_string_bytes));
  }
  // IaC nodes carry where each property is written ("privileged@line"); point at the first
  // offending property the check read, else at the node itself.
  e.location.file = Str(g, w.node, "sourceFile");
  Value line = g.GetProp(w.node, "sourceLine"), column = g.GetProp(w.node, "sourceColumn");
  for (const std::string& field : w.fields) {
    Value l = g.GetProp(w.node, field + "@line");
    if (l.kind() != Value::Kind::kInt) continue;
    line = l;
    column = g.GetProp(w.node, field + "@column");
    break;
  }
  if (line.kind() == Value::Kind::kInt) e.location.line = static_cast<uint32_t>(line.as_int());
  if (column.kind() == Value::Kind::kInt)
    e.location.column = static_cast<uint32_t>(column.as_int());
  return e;
}

std::vector<std::string> Tags(const Graph& g, NodeIndex n) {
  std::vector<std::string> out;
  Value tags = g.GetProp(n, "tags");
  if (tags.kind() != Value::Kind::kList) return out;
  for (const Value& t : tags.as_list()) {
    if (t.kind() == Value::Kind::kString) out.emplace_back(t.as_string());
  }
  return out;
}

// "prod", "production", "prd", "live" → production. Others are kept as written (lower case).
std::string NormaliseEnvironment(std::string_view value) {
  std::string v = ToLower(Trim(value));
  for (std::string_view p : {"prod", "production", "prd", "prod-eu", "live"}) {
    if (v == p) return "production";
  }
  if (v.starts_with("prod-") || v.starts_with("prod_") || v.ends_with("-prod") ||
      v.ends_with("_prod") || v.starts_with("production")) {
    return "production";
  }
  return v;
}

// The environment tag of a node: env, environment, stage (first found, case-insensitive key).
std::optional<std::pair<std::string, std::string>> EnvironmentTag(const Graph& g, NodeIndex n) {
  std::vector<std::string> tags = Tags(g, n);
  for (std::string_view wanted : {"env", "environment", "stage"}) {
    for (const std::string& tag : tags) {
      size_t eq = tag.find('=');
      if (eq == std::string::npos) continue;
      if (EqualsIgnoreCase(std::string_view(tag).substr(0, eq), wanted)) {
        return std::make_pair(tag.substr(0, eq), tag.substr(eq + 1));
      }
    }
  }
  return std::nullopt;
}

// "tcp:80-80:0.0.0.0/0" → does it open `port` to the internet?
bool RuleOpensPort(std::string_view rule, int64_t port) {
  auto parts = Split(rule, ':');
  if (parts.size() < 3) return false;
  std::string_view cidr = rule.substr(parts[0].size() + parts[1].size() + 2);
  if (cidr != "0.0.0.0/0" && cidr != "::/0") return false;
  if (parts[0] == "-1" || parts[0] == "all") return true;
  auto range = Split(parts[1], '-');
  int64_t from = 0, to = 0;
  std::from_chars(range[0].data(), range[0].data() + range[0].size(), from);
  std::string_view hi = range.size() > 1 ? range[1] : range[0];
  std::from_chars(hi.data(), hi.data() + hi.size(), to);
  if (from == -1) return true;
  return port >= from && port <= to;
}

}  // namespace

Context ContextOf(const Graph& g, NodeIndex td) {
  Context ctx;
  std::vector<NodeIndex> tasks = Related(g, td, "HAS_TASK_DEFINITION", Direction::kIn, "ECSTask");
  std::vector<NodeIndex> services =
      Related(g, td, "HAS_TASK_DEFINITION", Direction::kIn, "ECSService");
  std::set<NodeIndex> service_set(services.begin(), services.end());
  std::set<NodeIndex> clusters, instances;
  for (NodeIndex t : tasks) {
    ctx.tasks.emplace_back(g.Id(t));
    for (NodeIndex s : Related(g, t, "HAS_TASK", Direction::kIn, "ECSService"))
      service_set.insert(s);
    for (NodeIndex c : Related(g, t, "HAS_TASK", Direction::kIn, "ECSCluster")) clusters.insert(c);
    for (NodeIndex ci : Related(g, t, "HAS_TASK", Direction::kIn, "ECSContainerInstance")) {
      for (NodeIndex ec2 : Related(g, ci, "IS_INSTANCE", Direction::kOut, "EC2Instance")) {
        instances.insert(ec2);
      }
    }
  }
  for (NodeIndex s : service_set) {
    ctx.services.emplace_back(g.Id(s));
    for (NodeIndex c : Related(g, s, "HAS_SERVICE", Direction::kIn, "ECSCluster"))
      clusters.insert(c);
  }
  for (NodeIndex c : clusters) ctx.clusters.emplace_back(g.Id(c));

  // Exposure: an internet-facing load balancer in front of a service that runs the revision,
  // or a public IP on a container instance whose security group opens a host port to anyone.
  bool internal_evidence = false;
  for (NodeIndex s : service_set) {
    for (NodeIndex tg : Related(g, s, "HAS_TARGET_GROUP", Direction::kOut, "TargetGroup")) {
      for (NodeIndex lb : Related(g, tg, "HAS_TARGET_GROUP", Direction::kIn, "LoadBalancer")) {
        internal_evidence = true;
        if (Str(g, lb, "scheme") == "internet-facing") {
          ctx.exposure_reasons.push_back(
              fmt::format("internet-facing load balancer {} routes to service {}",
                          Str(g, lb, "name").empty() ? std::string(g.Id(lb)) : Str(g, lb, "name"),
                          Str(g, s, "name").empty() ? std::string(g.Id(s)) : Str(g, s, "name")));
        }
      }
    }
  }
  std::vector<int64_t> host_ports;
  for (NodeIndex spec :
       Related(g, td, "HAS_CONTAINER_DEFINITION", Direction::kOut, "ECSTaskContainerSpec")) {
    Value ports = g.GetProp(spec, "hostPorts");
    if (ports.kind() != Value::Kind::kList) continue;
    for (const Value& p : ports.as_list()) {
      if (p.kind() == Value::Kind::kInt) host_ports.push_back(p.as_int());
    }
  }
  // In host network mode the containers share the instance's network stack, so any port the
  // instance's security groups open to the internet reaches them; otherwise only the host
  // ports the containers map do.
  bool host_mode = Str(g, td, "networkMode") == "host";
  for (NodeIndex ec2 : instances) {
    internal_evidence = true;
    std::string public_ip = Str(g, ec2, "publicIpAddress");
    if (public_ip.empty()) continue;
    for (NodeIndex sg :
         Related(g, ec2, "MEMBER_OF_SECURITY_GROUP", Direction::kOut, "SecurityGroup")) {
      Value rules = g.GetProp(sg, "ingressRules");
      if (rules.kind() != Value::Kind::kList) continue;
      for (const Value& rule : rules.as_list()) {
        if (rule.kind() != Value::Kind::kString) continue;
        std::string_view text = rule.as_string();
        std::string_view cidr = text.substr(text.rfind(':') + 1);
        std::string what;
        if (host_mode && (cidr == "0.0.0.0/0" || cidr == "::/0")) {
          auto parts = Split(text, ':');
          what = parts.size() >= 3 ? fmt::format("{} {}", parts[0], parts[1]) : std::string(text);
        } else {
          for (int64_t port : host_ports) {
            if (RuleOpensPort(text, port)) {
              what = fmt::format("host port {}", port);
              break;
            }
          }
        }
        if (what.empty()) continue;
        ctx.exposure_reasons.push_back(
            fmt::format("instance {} has public IP {} and security group {} opens {} to {}",
                        Str(g, ec2, "instanceId"), public_ip, Str(g, sg, "groupId"), what, cidr));
        break;
      }
    }
  }
  ctx.exposure = !ctx.exposure_reasons.empty() ? Exposure::kInternet
                 : internal_evidence           ? Exposure::kInternal
                                               : Exposure::kUnknown;

  // Environment: tags on task, service, cluster, instance, account — the first one found.
  auto try_nodes = [&](const std::vector<NodeIndex>& nodes, std::string_view what) {
    if (!ctx.environment.empty()) return;
    for (NodeIndex n : nodes) {
      if (auto tag = EnvironmentTag(g, n)) {
        ctx.environment = NormaliseEnvironment(tag->second);
        ctx.environment_source =
            fmt::format("tag {}={} on {} {}", tag->first, tag->second, what, g.Id(n));
        return;
      }
    }
  };
  try_nodes(tasks, "task");
  try_nodes({service_set.begin(), service_set.end()}, "service");
  try_nodes({clusters.begin(), clusters.end()}, "cluster");
  try_nodes({instances.begin(), instances.end()}, "instance");
  if (ctx.environment.empty()) {
    std::string account = Str(g, td, "accountId");
    if (auto acc = g.FindNode(account); acc && g.LabelName(*acc) == "AWSAccount") {
      try_nodes({*acc}, "account");
    }
  }
  if (ctx.environment.empty()) try_nodes({td}, "task definition");

  bool production = ctx.environment == "production";
  bool internet = ctx.exposure == Exposure::kInternet;
  ctx.priority = internet && production ? Priority::kP1
                 : internet             ? Priority::kP2
                 : production           ? Priority::kP3
                                        : Priority::kP4;
  return ctx;
}

std::vector<std::string> GraphNamesRead() {
  // Keep in step with ResourceOf, EvidenceOf, Tags and ContextOf above.
  std::vector<std::string> names = {
      // ResourceOf, EvidenceOf
      "accountId", "arn", "family", "name", "region", "revision", "sourceColumn", "sourceFile",
      "sourceLine", "status", "valuesFromFile",
      // ContextOf: the graph around a task definition, its tags and exposure
      "AWSAccount", "EC2Instance", "ECSCluster", "ECSContainerInstance", "ECSService", "ECSTask",
      "ECSTaskContainerSpec", "ECSTaskDefinition", "HAS_CONTAINER_DEFINITION", "HAS_SERVICE",
      "HAS_TARGET_GROUP", "HAS_TASK", "HAS_TASK_DEFINITION", "IS_INSTANCE", "LoadBalancer",
      "MEMBER_OF_SECURITY_GROUP", "SecurityGroup", "TargetGroup", "groupId", "hostPorts",
      "ingressRules", "instanceId", "networkMode", "publicIpAddress", "scheme", "tags"};
  std::sort(names.begin(), names.end());
  return names;
}

void MarkIncompleteContext(const std::vector<ContextGap>& gaps, std::vector<Finding>* findings) {
  for (Finding& f : *findings) {
    if (f.status == Status::kNotEvaluated || f.resource.type != "ECSTaskDefinition") continue;
    std::vector<std::string> reasons;
    for (const ContextGap& gap : gaps) {
      if (gap.account_id == f.resource.account_id &&
          (gap.region.empty() || gap.region == f.resource.region)) {
        reasons.push_back(gap.reason);
      }
    }
    if (!reasons.empty()) f.context.priority_context = "incomplete: " + Join(reasons, "; ");
  }
}

void SortFindings(std::vector<Finding>* findings) {
  auto status_rank = [](Status s) {
    switch (s) {
      case Status::kFail:
        return 0;
      case Status::kNotEvaluated:
        return 1;
      case Status::kExcepted:
        return 2;
      case Status::kPass:
        return 3;
    }
    return 4;
  };
  // Sorted by index, then moved into place once: a merge sort of the findings themselves moves
  // each (a dozen strings and vectors) log n times.
  std::vector<uint32_t> order(findings->size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  auto before = [&](const Finding& a, const Finding& b) {
    if (status_rank(a.status) != status_rank(b.status)) {
      return status_rank(a.status) < status_rank(b.status);
    }
    if (a.context.priority != b.context.priority) return a.context.priority < b.context.priority;
    if (a.severity != b.severity) return a.severity > b.severity;
    if (a.control_id != b.control_id) return a.control_id < b.control_id;
    if (a.resource.account_id != b.resource.account_id) {
      return a.resource.account_id < b.resource.account_id;
    }
    if (a.resource.region != b.resource.region) return a.resource.region < b.resource.region;
    if (a.resource.family != b.resource.family) return a.resource.family < b.resource.family;
    if (a.resource.revision != b.resource.revision)
      return a.resource.revision < b.resource.revision;
    return a.resource.id < b.resource.id;
  };
  std::stable_sort(order.begin(), order.end(),
                   [&](uint32_t a, uint32_t b) { return before((*findings)[a], (*findings)[b]); });
  std::vector<Finding> sorted;
  sorted.reserve(findings->size());
  for (uint32_t i : order) sorted.push_back(std::move((*findings)[i]));
  *findings = std::move(sorted);
}

std::vector<Finding> BuildFindings(const std::vector<controls::ControlEvaluation>& evaluations,
                                   const graph::Schema& schema, const Graph& g,
                                   const std::vector<ingest::Gap>& gaps) {
  std::vector<Finding> findings;
  size_t verdicts = 0;
  for (const controls::ControlEvaluation& eval : evaluations) verdicts += eval.verdicts.size();
  findings.reserve(verdicts);
  std::unordered_map<NodeIndex, Context> contexts;
  for (const controls::ControlEvaluation& eval : evaluations) {
    const controls::Control& control = *eval.control;
    for (const controls::AssetVerdict& v : eval.verdicts) {
      Finding f;
      f.control_id = control.id;
      f.control_title = control.title;
      f.severity = control.severity;
      f.status = v.failed                   ? Status::kFail
                 : !v.not_evaluated.empty() ? Status::kNotEvaluated
                                            : Status::kPass;
      f.resource = ResourceOf(g, v.node);
      f.id = FindingId(control.id, f.resource);
      if (f.resource.type == "ECSTaskDefinition") {
        // Every control on task definitions asks for the same revisions' context.
        auto [context, added] = contexts.try_emplace(v.node);
        if (added) context->second = ContextOf(g, v.node);
        f.context = context->second;
      }
      std::set<std::string> seen;
      for (const query::Witness& w : v.witnesses) {
        Evidence e = EvidenceOf(schema, g, w);
        if (seen.insert(e.Describe()).second) f.evidence.push_back(std::move(e));
      }
      // Most specific first: the containers that matched, then other related nodes, then the
      // asset's own fields (reports point at the first evidence with a location).
      std::stable_sort(f.evidence.begin(), f.evidence.end(),
                       [](const Evidence& a, const Evidence& b) {
                         auto rank = [](const Evidence& e) {
                           return e.path.starts_with("containerSpecs") ? 0 : e.path.empty() ? 2 : 1;
                         };
                         return rank(a) < rank(b);
                       });
      if (v.failed) {
        // The one-line reason names the containers and values that matched; the full evidence
        // (including the asset's own fields and the task that makes it in use) is in `evidence`.
        std::vector<std::string> parts;
        for (const Evidence& e : f.evidence) {
          if (e.path.starts_with("containerSpecs")) parts.push_back(e.Describe());
        }
        if (parts.empty()) {
          for (const Evidence& e : f.evidence) parts.push_back(e.Describe());
        }
        f.reason = parts.empty() ? "matched the stored check" : Join(parts, "; ");
      } else if (f.status == Status::kNotEvaluated) {
        f.reason = v.not_evaluated;
      }
      findings.push_back(std::move(f));
    }
    // A gap about an asset this control did evaluate (an unused revision's in-use state, for a
    // control that judges every revision) hides nothing from it.
    std::set<std::string_view> evaluated;
    for (const controls::AssetVerdict& v : eval.verdicts) evaluated.insert(g.Id(v.node));
    for (const ingest::Gap& gap : gaps) {
      if (evaluated.count(gap.id)) continue;
      bool relevant = false;
      for (const std::string& subject : control.subjects) {
        if (gap.asset_type == subject ||
            (subject == "ECSTaskDefinition" &&
             (gap.asset_type == "ECSTask" || gap.asset_type == "Region" ||
              gap.asset_type == "Account"))) {
          relevant = true;
        }
      }
      if (!relevant) continue;
      Finding f;
      f.control_id = control.id;
      f.control_title = control.title;
      f.severity = control.severity;
      f.status = Status::kNotEvaluated;
      f.resource.type = gap.asset_type;
      f.resource.id = gap.id;
      f.resource.arn = gap.id.starts_with("arn:") ? gap.id : "";
      f.resource.account_id = gap.account_id;
      f.resource.region = gap.region;
      if (auto ref = ParseTaskDefinitionRef(gap.id); ref && gap.asset_type == "ECSTaskDefinition") {
        f.resource.family = ref->family;
        f.resource.revision = ref->revision;
        f.resource.name = fmt::format("{}:{}", ref->family, ref->revision);
      }
      f.id = FindingId(control.id, f.resource);
      f.resource.location = gap.location;
      f.reason = gap.reason;
      findings.push_back(std::move(f));
    }
  }
  SortFindings(&findings);
  return findings;
}

}  // namespace ecsguard::posture
