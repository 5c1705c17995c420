#include "remediate/render.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "base/strings.h"
#include "graph/graph.h"

namespace ecsguard::remediate {
namespace {

using nlohmann::ordered_json;

std::string InputPath(const RenderContext& c, const RevisionPlan& r) {
  if (c.input_dir.empty()) return r.input_file;
  std::string dir = c.input_dir;
  if (!dir.ends_with('/')) dir += '/';
  return dir + r.input_file;
}

std::string RescanDir(const RenderContext& c, const Batch& b) {
  std::string dir = c.input_dir.empty() ? "." : c.input_dir;
  if (!dir.ends_with('/')) dir += '/';
  return fmt::format("{}rescan/batch-{}", dir, b.number);
}

// "aws ecs OPERATION --region R" plus the profile and endpoint when set.
std::string Aws(const RenderContext& c, std::string_view service, std::string_view operation,
                const std::string& region) {
  std::string out = fmt::format("aws {} {} --region {}", service, operation, ShellQuote(region));
  if (!c.profile.empty()) out += " --profile " + ShellQuote(c.profile);
  if (!c.endpoint_url.empty()) out += " --endpoint-url " + ShellQuote(c.endpoint_url);
  return out;
}

std::string Name(const RevisionPlan& r) { return fmt::format("{}:{}", r.family, r.revision); }

// Values from a scan or a snapshot reach a terminal through every renderer but the JSON one:
// each goes through OneLine (no line breaks, no escape sequences).
std::string Safe(std::string_view s) { return OneLine(s); }
std::string SafeList(const std::vector<std::string>& list) { return OneLine(Join(list, ", ")); }

// A shell comment line: its text is sanitized, so it can neither end the comment nor carry a
// terminal escape.
std::string Comment(std::string_view text) { return "# " + OneLine(text) + "\n"; }

// Markdown: a table cell, and an inline code span, that neither break the table nor end early.
std::string Cell(std::string_view s) {
  std::string out;
  for (char c : OneLine(s)) {
    if (c == '|') out += '\\';
    out += c;
  }
  return out;
}
std::string Code(std::string_view s) {
  std::string text = Cell(s);
  std::replace(text.begin(), text.end(), '`', '\'');
  return "`" + text + "`";
}

// The clusters and services a batch touched, per region.
std::map<std::pair<std::string, std::string>, std::vector<std::string>> ServicesByCluster(
    const Batch& b) {
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> out;
  for (const RevisionPlan& r : b.revisions) {
    for (const ServiceRef& s : r.services) {
      std::vector<std::string>& list = out[{r.region, s.cluster}];
      if (std::find(list.begin(), list.end(), s.name) == list.end()) list.push_back(s.name);
    }
  }
  return out;
}

ordered_json LiteralValue(const std::string& literal) {
  ordered_json v = ordered_json::parse(literal, nullptr, false);
  return v.is_discarded() ? ordered_json(literal) : v;
}

std::string StepText(const Step& s, const RevisionPlan& r, std::chrono::seconds timeout) {
  switch (s.kind) {
    case StepKind::kRegister:
      return fmt::format("register a new revision of {} from {}", Code(r.family),
                         Code(r.input_file));
    case StepKind::kUpdateService:
      return fmt::format("update service {} in cluster {} to {}", Code(s.service), Code(s.cluster),
                         Code(r.family + ":NEW"));
    case StepKind::kWaitStable:
      return fmt::format("wait up to {}s for service {} in cluster {} to be stable",
                         timeout.count(), Code(s.service), Code(s.cluster));
    case StepKind::kDeregister:
      return fmt::format("deregister {}", Code(s.task_definition));
  }
  return "";
}

}  // namespace

std::string ShellQuote(std::string_view text) {
  bool plain = !text.empty() && text.find_first_not_of(
                                    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                    "0123456789-_./:=@,+%") == std::string_view::npos;
  if (plain) return std::string(text);
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::vector<InputFile> InputFiles(const Plan& plan) {
  std::vector<InputFile> out;
  for (const Batch& b : plan.batches) {
    for (const RevisionPlan& r : b.revisions)
      out.push_back({r.input_file, r.fix.input.dump(2) + "\n"});
  }
  return out;
}

std::string RenderCommands(const Plan& plan, const RenderContext& c) {
  std::string out = "#!/bin/sh\n";
  out += fmt::format(
      "# ecsguard remediation plan: {} revision(s) in {} batch(es), most urgent first.\n"
      "# Review it before running it. The input documents hold environment values: keep them\n"
      "# private and delete them once the plan has run.\n"
      "set -eu\n",
      plan.revision_count(), plan.batches.size());
  size_t index = 0;
  for (const Batch& b : plan.batches) {
    out += fmt::format("\n# === Batch {} of {} ===\n", b.number, plan.batches.size());
    std::vector<std::string> new_vars;
    for (const RevisionPlan& r : b.revisions) {
      ++index;
      std::string var = fmt::format("NEW_{}", index);
      new_vars.push_back(var);
      out += '\n';
      out +=
          Comment(fmt::format("{} ({}; findings {}; controls {})", r.arn, PriorityName(r.priority),
                              Join(r.finding_ids, ", "), Join(r.controls, ", ")));
      for (const FieldChange& ch : r.fix.changes) out += Comment("  " + ch.Describe());
      for (const std::string& n : r.fix.notes) out += Comment("  note: " + n);
      for (const Step& s : r.steps) {
        switch (s.kind) {
          case StepKind::kRegister:
            out += fmt::format(
                "{}=$({} --cli-input-json {} --query "
                "\"join(':', [taskDefinition.family, to_string(taskDefinition.revision)])\" "
                "--output text)\n",
                var, Aws(c, "ecs", "register-task-definition", s.region),
                ShellQuote("file://" + InputPath(c, r)));
            out += fmt::format("echo \"registered ${}\" >&2\n", var);
            break;
          case StepKind::kUpdateService:
            out +=
                fmt::format("{} --cluster {} --service {} --task-definition \"${}\" >/dev/null\n",
                            Aws(c, "ecs", "update-service", s.region), ShellQuote(s.cluster),
                            ShellQuote(s.service), var);
            break;
          case StepKind::kWaitStable:
            out += fmt::format("{} --cluster {} --services {}\n",
                               Aws(c, "ecs", "wait services-stable", s.region),
                               ShellQuote(s.cluster), ShellQuote(s.service));
            break;
          case StepKind::kDeregister:
            out += fmt::format("{} --task-definition {} >/dev/null\n",
                               Aws(c, "ecs", "deregister-task-definition", s.region),
                               ShellQuote(s.task_definition));
            break;
        }
      }
    }
    // Re-scan exactly what the batch touched: the old and new revisions, the services and their
    // tasks.
    std::string dir = RescanDir(c, b);
    out +=
        fmt::format("\n# Re-scan what batch {} touched.\nmkdir -p {}\n", b.number, ShellQuote(dir));
    int n = 0;
    for (size_t i = 0; i < b.revisions.size(); ++i) {
      const RevisionPlan& r = b.revisions[i];
      std::string describe = Aws(c, "ecs", "describe-task-definition", r.region);
      out +=
          fmt::format("{} --include TAGS --task-definition {} > {}\n", describe, ShellQuote(r.arn),
                      ShellQuote(fmt::format("{}/old-{}", dir, r.input_file)));
      out += fmt::format("{} --include TAGS --task-definition \"${}\" > {}\n", describe,
                         new_vars[i], ShellQuote(fmt::format("{}/new-{}", dir, r.input_file)));
      // Every task of the family in its clusters, whoever started it.
      for (const std::string& cluster : r.clusters) {
        ++n;
        out += fmt::format("TASKS=$({} --cluster {} --family {} --query taskArns --output text)\n",
                           Aws(c, "ecs", "list-tasks", r.region), ShellQuote(cluster),
                           ShellQuote(r.family));
        out += fmt::format(
            "[ -z \"$TASKS\" ] || [ \"$TASKS\" = None ] || {} --cluster {} --tasks $TASKS > {}\n",
            Aws(c, "ecs", "describe-tasks", r.region), ShellQuote(cluster),
            ShellQuote(fmt::format("{}/tasks-{}.json", dir, n)));
      }
    }
    for (const auto& [where, services] : ServicesByCluster(b)) {
      const auto& [region, cluster] = where;
      ++n;
      std::vector<std::string> quoted;
      for (const std::string& s : services) quoted.push_back(ShellQuote(s));
      out += fmt::format("{} --cluster {} --services {} > {}\n",
                         Aws(c, "ecs", "describe-services", region), ShellQuote(cluster),
                         Join(quoted, " "), ShellQuote(fmt::format("{}/services-{}.json", dir, n)));
    }
    out += fmt::format("ecsguard scan snapshot -f table {} || true\n", ShellQuote(dir));
  }
  if (!plan.skipped.empty()) {
    out += "\n# Not remediated by this plan:\n";
    for (const Skipped& s : plan.skipped) {
      out += Comment(fmt::format("  {} {}: {}", s.finding_id, s.arn, s.reason));
    }
  }
  return out;
}

std::string RenderPlanJson(const Plan& plan, const RenderContext& c) {
  ordered_json doc = ordered_json::object();
  doc["schemaVersion"] = "1.0";
  doc["kind"] = "ecsguard-remediation-plan";
  doc["options"] = {{"user", plan.options.fix.user},
                    {"batchSize", plan.options.batch_size},
                    {"waitTimeoutSeconds", plan.options.wait_timeout.count()}};
  doc["summary"] = {{"selectedFindings", plan.selected_findings},
                    {"revisions", plan.revision_count()},
                    {"batches", plan.batches.size()},
                    {"skipped", plan.skipped.size()},
                    {"complete", plan.complete()}};
  ordered_json batches = ordered_json::array();
  for (const Batch& b : plan.batches) {
    ordered_json batch = {{"number", b.number}};
    ordered_json revisions = ordered_json::array();
    ordered_json rescan_tds = ordered_json::array(), rescan_services = ordered_json::array();
    for (const RevisionPlan& r : b.revisions) {
      ordered_json rev = ordered_json::object();
      rev["arn"] = r.arn;
      rev["accountId"] = r.account_id;
      rev["region"] = r.region;
      rev["family"] = r.family;
      rev["revision"] = r.revision;
      rev["status"] = r.status;
      rev["priority"] = PriorityName(r.priority);
      rev["findings"] = r.finding_ids;
      rev["controls"] = r.controls;
      ordered_json changes = ordered_json::array();
      for (const FieldChange& ch : r.fix.changes) {
        changes.push_back({{"container", ch.container},
                           {"field", ch.field},
                           {"before", LiteralValue(ch.before)},
                           {"after", LiteralValue(ch.after)}});
      }
      rev["changes"] = changes;
      rev["notes"] = r.fix.notes;
      ordered_json services = ordered_json::array();
      for (const ServiceRef& s : r.services) {
        services.push_back({{"arn", s.arn}, {"cluster", s.cluster}, {"service", s.name}});
        rescan_services.push_back(
            {{"region", r.region}, {"cluster", s.cluster}, {"service", s.name}});
      }
      rev["services"] = services;
      rev["runningTasks"] = r.tasks;
      rev["inputFile"] = InputPath(c, r);
      rev["input"] = r.fix.input;
      graph::BuiltinRedactor().Redact(&rev["input"]);
      ordered_json steps = ordered_json::array();
      for (const Step& s : r.steps) {
        ordered_json step = {{"action", StepKindName(s.kind)}, {"region", s.region}};
        switch (s.kind) {
          case StepKind::kRegister:
            step["family"] = s.task_definition;
            step["inputFile"] = InputPath(c, r);
            break;
          case StepKind::kUpdateService:
            step["cluster"] = s.cluster;
            step["service"] = s.service;
            step["taskDefinition"] = s.task_definition + ":NEW";
            break;
          case StepKind::kWaitStable:
            step["cluster"] = s.cluster;
            step["service"] = s.service;
            step["timeoutSeconds"] = plan.options.wait_timeout.count();
            break;
          case StepKind::kDeregister:
            step["taskDefinition"] = s.task_definition;
            break;
        }
        steps.push_back(step);
      }
      rev["steps"] = steps;
      revisions.push_back(rev);
      rescan_tds.push_back(r.arn);
      rescan_tds.push_back(r.family + ":NEW");
    }
    batch["revisions"] = revisions;
    batch["rescan"] = {{"taskDefinitions", rescan_tds}, {"services", rescan_services}};
    batches.push_back(batch);
  }
  doc["batches"] = batches;
  ordered_json skipped = ordered_json::array();
  for (const Skipped& s : plan.skipped) {
    skipped.push_back({{"findingId", s.finding_id},
                       {"resource", s.arn},
                       {"reason", s.reason},
                       {"problem", s.problem}});
  }
  doc["skipped"] = skipped;
  // ASCII only: control characters and C1 escapes in values are written as \u escapes, so the
  // plan never carries a raw terminal escape, and parsing it gives the values back unchanged.
  return doc.dump(2, ' ', /*ensure_ascii=*/true) + "\n";
}

std::string RenderConsole(const Plan& plan) {
  std::string out =
      fmt::format("Remediation plan: {} revision(s) in {} batch(es), most urgent first.\n",
                  plan.revision_count(), plan.batches.size());
  for (const Batch& b : plan.batches) {
    out += fmt::format("\nBatch {} of {}\n", b.number, plan.batches.size());
    int n = 0;
    for (const RevisionPlan& r : b.revisions) {
      ++n;
      out += fmt::format("  {}. {} in account {}, region {} ({}; {} finding(s): {})\n", n, Name(r),
                         r.account_id, r.region, PriorityName(r.priority), r.finding_ids.size(),
                         SafeList(r.controls));
      out += fmt::format(
          "     a. In the ECS console for {}, open Task definitions, pick family {}, tick "
          "revision {} and choose \"Create new revision\".\n",
          r.region, r.family, r.revision);
      out += "     b. Make only these edits, keep everything else (tags included) as it is:\n";
      for (const FieldChange& ch : r.fix.changes) {
        if (ch.field == "privileged") {
          out +=
              fmt::format("          - container {}: clear \"Privileged\"\n", Safe(ch.container));
        } else {
          out += fmt::format("          - container {}: set \"User\" to {} (was {})\n",
                             Safe(ch.container), Safe(ch.after), Safe(ch.before));
        }
      }
      out += "        Save; the console shows the new revision number (NEW below).\n";
      char letter = 'c';
      for (const ServiceRef& s : r.services) {
        out += fmt::format(
            "     {}. Open cluster {}, service {}, choose Update, select {}:NEW and deploy; wait "
            "until the deployment reads Completed and the old tasks are gone.\n",
            letter++, s.cluster, s.name, r.family);
      }
      if (r.status != "INACTIVE") {
        out += fmt::format(
            "     {}. Back in Task definitions, select {} and deregister it, so nothing can start "
            "it again and scanners stop reporting it.\n",
            letter++, Name(r));
      }
      for (const std::string& note : r.fix.notes) out += "     Note: " + Safe(note) + "\n";
    }
    out += fmt::format(
        "  Then re-scan what batch {} touched (the revisions and services above) before starting "
        "the next batch.\n",
        b.number);
  }
  if (!plan.skipped.empty()) {
    out += "\nNot remediated by this plan:\n";
    for (const Skipped& s : plan.skipped) {
      out += fmt::format("  - {} {}: {}\n", Safe(s.finding_id), Safe(s.arn), Safe(s.reason));
    }
  }
  return out;
}

std::string RenderMarkdown(const Plan& plan, const RenderContext& c) {
  std::string out = "# ecsguard remediation plan\n\n";
  out += fmt::format(
      "{} revision(s) in {} batch(es), most urgent first; {} selected failing "
      "finding(s). Root users become {}.\n",
      plan.revision_count(), plan.batches.size(), plan.selected_findings,
      Code(plan.options.fix.user));
  for (const Batch& b : plan.batches) {
    out += fmt::format("\n## Batch {} of {}\n", b.number, plan.batches.size());
    for (const RevisionPlan& r : b.revisions) {
      out += fmt::format("\n### {} ({})\n\n", Code(r.arn), PriorityName(r.priority));
      out += fmt::format("Findings: {}. Controls: {}. Running tasks: {}.\n\n",
                         Cell(Join(r.finding_ids, ", ")), Cell(Join(r.controls, ", ")), r.tasks);
      out += "| container | field | before | after |\n|---|---|---|---|\n";
      for (const FieldChange& ch : r.fix.changes) {
        out += fmt::format("| {} | {} | {} | {} |\n", Cell(ch.container), ch.field, Code(ch.before),
                           Code(ch.after));
      }
      out += "\nSteps:\n\n";
      int n = 0;
      for (const Step& s : r.steps) {
        out += fmt::format("{}. {}\n", ++n, StepText(s, r, plan.options.wait_timeout));
      }
      out += fmt::format("\nInput document: {}\n", Code(InputPath(c, r)));
      for (const std::string& note : r.fix.notes) out += "\n> Note: " + Cell(note) + "\n";
    }
    out +=
        fmt::format("\nAfter batch {}: re-scan the revisions and services it touched.\n", b.number);
  }
  if (!plan.skipped.empty()) {
    out += "\n## Not remediated\n\n| finding | resource | reason |\n|---|---|---|\n";
    for (const Skipped& s : plan.skipped) {
      out += fmt::format("| {} | {} | {} |\n", Cell(s.finding_id), Code(s.arn), Cell(s.reason));
    }
  }
  return out;
}

}  // namespace ecsguard::remediate
