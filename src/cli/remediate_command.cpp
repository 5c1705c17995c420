#include "cli/remediate_command.h"

#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <iostream>
#include <map>
#include <memory>

#include "base/arn.h"
#include "base/clock.h"
#include "base/file.h"
#include "base/strings.h"
#include "cli/commands.h"
#include "controls/controls.h"
#include "ingest/aws/aws.h"
#include "ingest/ingest.h"
#include "posture/posture.h"
#include "remediate/remediate.h"
#include "report/report.h"
#include "scan/scan.h"

namespace ecsguard::cli {
namespace {

namespace aws = ingest::aws;
namespace fs = std::filesystem;
using remediate::Plan;

// ECS clients from one Session: one per region, and with --role one per account too.
class SessionClients final : public remediate::EcsClients {
 public:
  SessionClients(std::unique_ptr<aws::Session> session, std::string role)
      : session_(std::move(session)), role_(std::move(role)) {}

  Result<aws::Client*> For(std::string_view account_id, std::string_view region) override {
    std::string key =
        role_.empty() ? std::string(region) : fmt::format("{}/{}", account_id, region);
    auto it = clients_.find(key);
    if (it != clients_.end()) return it->second.get();
    aws::CredentialSource* credentials = nullptr;
    if (!role_.empty()) {
      auto c = credentials_.find(std::string(account_id));
      if (c == credentials_.end()) {
        std::string_view partition = PartitionOfRegion(region);
        ASSIGN_OR_RETURN(std::unique_ptr<aws::CredentialSource> assumed,
                         session_->AssumeRole(
                             {fmt::format("arn:{}:iam::{}:role/{}", partition, account_id, role_),
                              "ecsguard-remediate",
                              "",
                              {}}));
        c = credentials_.emplace(std::string(account_id), std::move(assumed)).first;
      }
      credentials = c->second.get();
    }
    ASSIGN_OR_RETURN(std::unique_ptr<aws::Client> client,
                     session_->NewClient(aws::kEcs, region, credentials));
    return (clients_[key] = std::move(client)).get();
  }

 private:
  std::unique_ptr<aws::Session> session_;
  std::string role_;
  std::map<std::string, std::unique_ptr<aws::CredentialSource>> credentials_;
  std::map<std::string, std::unique_ptr<aws::Client>> clients_;
};

std::string_view Extension(std::string_view format) {
  if (format == "commands") return "sh";
  if (format == "json") return "json";
  if (format == "markdown") return "md";
  return "txt";
}

struct Findings {
  std::vector<posture::Finding> findings;
  std::vector<std::string> controls;  // the controls the scan ran
};

// The findings of the saved scan, or of a fresh scan of the snapshot.
Result<Findings> LoadFindings(const RemediateOptions& o, const graph::Schema& schema,
                              const controls::Catalog& catalog) {
  Findings out;
  if (!o.from.empty()) {
    std::string text;
    if (!ReadFileToString(o.from, &text)) {
      return Error(ErrorCode::kNotFound, "cannot read the scan", SourceLocation{o.from, 0, 0});
    }
    ASSIGN_OR_RETURN(posture::ScanResult scan, report::ReadJson(text, o.from));
    out.findings = std::move(scan.findings);
    out.controls = std::move(scan.info.controls);
    return out;
  }
  ingest::SnapshotResult snapshot = ingest::LoadSnapshot(o.snapshot_paths);
  SystemClock clock;
  scan::Request request;
  ASSIGN_OR_RETURN(request.controls, catalog.Select({}));
  request.schema = &schema;
  request.graph = &snapshot.graph;
  request.gaps = std::move(snapshot.gaps);
  request.clock = &clock;
  ASSIGN_OR_RETURN(scan::Outcome scanned, scan::Run(std::move(request)));
  out.findings = std::move(scanned.scan.findings);
  out.controls = std::move(scanned.scan.info.controls);
  return out;
}

// Re-scans what a batch touched with the controls of the original scan.
remediate::RescanResult Rescan(const remediate::Batch& batch,
                               const std::vector<remediate::RevisionOutcome>& outcomes,
                               remediate::EcsClients& clients, const graph::Schema& schema,
                               const std::vector<const controls::Control*>& selected) {
  remediate::RescanResult result;
  Result<std::string> text = remediate::CollectRescanSnapshot(batch, outcomes, clients);
  if (!text.ok()) {
    result.summary = "re-scan failed: " + text.error().message();
    return result;
  }
  ingest::SnapshotResult snapshot =
      ingest::LoadSnapshotText(*text, fmt::format("rescan-batch-{}", batch.number));
  SystemClock clock;
  scan::Request request;
  request.controls = selected;
  request.schema = &schema;
  request.graph = &snapshot.graph;
  request.gaps = std::move(snapshot.gaps);
  request.clock = &clock;
  Result<scan::Outcome> scanned = scan::Run(std::move(request));
  if (!scanned.ok()) {
    result.summary = "re-scan failed: " + scanned.error().message();
    return result;
  }
  const std::vector<posture::Finding>& findings = scanned->scan.findings;
  result.ok = true;
  std::vector<std::string> parts;
  for (size_t i = 0; i < batch.revisions.size(); ++i) {
    const remediate::RevisionPlan& r = batch.revisions[i];
    std::vector<std::string> arns = {r.arn};
    if (i < outcomes.size() && !outcomes[i].new_arn.empty()) arns.push_back(outcomes[i].new_arn);
    for (const std::string& arn : arns) {
      std::map<std::string, std::string> status;  // control -> status
      for (const posture::Finding& f : findings) {
        if (f.resource.arn == arn)
          status[f.control_id] = std::string(posture::StatusName(f.status));
      }
      std::string name = arn.substr(arn.rfind('/') + 1);
      if (status.empty()) {
        parts.push_back(fmt::format("{}: not in use (no finding)", name));
        continue;
      }
      std::vector<std::string> cells;
      for (const auto& [control, s] : status) {
        cells.push_back(control + " " + s);
        if (s != "PASS") result.ok = false;
      }
      parts.push_back(fmt::format("{}: {}", name, Join(cells, ", ")));
    }
  }
  result.summary = Join(parts, "; ");
  return result;
}

std::string ApplyReportJson(const remediate::ApplyReport& report) {
  nlohmann::ordered_json doc = nlohmann::ordered_json::object();
  doc["kind"] = "ecsguard-remediation-apply";
  doc["ok"] = report.ok();
  doc["counts"] = {{"done", report.Count(remediate::StepState::kDone)},
                   {"skipped", report.Count(remediate::StepState::kSkipped)},
                   {"failed", report.Count(remediate::StepState::kFailed)},
                   {"refused", report.Count(remediate::StepState::kRefused)},
                   {"notRun", report.Count(remediate::StepState::kNotRun)}};
  nlohmann::ordered_json steps = nlohmann::ordered_json::array();
  for (const remediate::StepResult& s : report.steps) {
    nlohmann::ordered_json step = {{"batch", s.batch},
                                   {"revision", s.revision_arn},
                                   {"action", remediate::StepKindName(s.step.kind)},
                                   {"region", s.step.region}};
    if (!s.step.cluster.empty()) step["cluster"] = s.step.cluster;
    if (!s.step.service.empty()) step["service"] = s.step.service;
    step["state"] = remediate::StepStateName(s.state);
    step["detail"] = s.detail;
    if (!s.error.empty()) step["error"] = s.error;
    steps.push_back(step);
  }
  doc["steps"] = steps;
  nlohmann::ordered_json revisions = nlohmann::ordered_json::array();
  for (const remediate::RevisionOutcome& r : report.revisions) {
    revisions.push_back({{"old", r.old_arn}, {"new", r.new_arn}, {"reused", r.reused}});
  }
  doc["revisions"] = revisions;
  nlohmann::ordered_json rescans = nlohmann::ordered_json::array();
  for (const remediate::RescanResult& r : report.rescans) {
    rescans.push_back({{"batch", r.batch}, {"ok", r.ok}, {"summary", r.summary}});
  }
  doc["rescans"] = rescans;
  // ASCII only: no raw control character from an AWS answer or a scan reaches a terminal.
  return doc.dump(2, ' ', /*ensure_ascii=*/true) + "\n";
}

std::string ApplyReportText(const remediate::ApplyReport& report) {
  size_t failed = report.Count(remediate::StepState::kFailed);
  size_t refused = report.Count(remediate::StepState::kRefused);
  std::string out = fmt::format(
      "Apply {}: {} done, {} skipped, {} failed, {} refused, {} not run.\n",
      failed    ? "STOPPED"
      : refused ? "INCOMPLETE"
                : "finished",
      report.Count(remediate::StepState::kDone), report.Count(remediate::StepState::kSkipped),
      failed, refused, report.Count(remediate::StepState::kNotRun));
  for (const remediate::StepResult& s : report.steps) out += "  " + s.Describe() + "\n";
  for (const remediate::RevisionOutcome& r : report.revisions) {
    if (r.new_arn.empty()) continue;
    out += OneLine(fmt::format("  {} -> {}{}", r.old_arn, r.new_arn, r.reused ? " (reused)" : "")) +
           "\n";
  }
  for (const remediate::RescanResult& r : report.rescans) {
    out += OneLine(fmt::format("  re-scan of batch {}: {}{}", r.batch, r.summary,
                               r.ok ? "" : " (still failing or not re-scanned)")) +
           "\n";
  }
  return out;
}

}  // namespace

std::optional<std::chrono::seconds> ParseDuration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  int64_t scale = 1;
  char last = text.back();
  if (last == 's' || last == 'm' || last == 'h') {
    scale = last == 's' ? 1 : last == 'm' ? 60 : 3600;
    text.remove_suffix(1);
  }
  if (text.empty() || text.size() > 9 ||
      text.find_first_not_of("0123456789") != std::string_view::npos) {
    return std::nullopt;
  }
  return std::chrono::seconds(std::stoll(std::string(text)) * scale);
}

void AddRemediateCommand(CLI::App* app, RemediateOptions* o) {
  CLI::App* cmd = app->add_subcommand(
      "remediate",
      "Plan (and with --apply carry out) the fix of failing findings: a new task-definition "
      "revision, services moved to it, the old revision deregistered");
  cmd->add_option("--from", o->from, "A scan saved with `scan ... -f json`");
  cmd->add_option("--snapshot", o->snapshot_paths,
                  "AWS CLI output to read the original task definitions from (and to scan when "
                  "--from is not given); without it, and always with --apply, they are "
                  "described live");
  cmd->add_option("--finding", o->finding_ids, "Only this finding id (repeatable)");
  cmd->add_option("--arn", o->arns, "Only this task-definition ARN (repeatable)");
  cmd->add_option("--family", o->families, "Only this family (repeatable)");
  cmd->add_option("--account", o->accounts, "Only this account id (repeatable)");
  cmd->add_option("--priority", o->priorities, "Only this priority, P1..P4 (repeatable)");
  cmd->add_option("--user", o->user, "What a root user becomes (default 1000:1000)");
  cmd->add_option("--batch-size", o->batch_size, "Revisions per batch (default 10)");
  cmd->add_option("-f,--format", o->format, "commands (default), json, console or markdown");
  cmd->add_option("-o,--output-dir", o->output_dir,
                  "Write the plan and the register-task-definition inputs (mode 0600) into DIR");
  cmd->add_flag("--apply", o->apply, "Carry the plan out through the ECS API");
  cmd->add_flag("--yes", o->yes, "Apply without asking (required when stdin is not a terminal)");
  cmd->add_flag("--deregister-old", o->deregister_old,
                "With --apply: deregister each old revision once its services are stable");
  cmd->add_flag("--force-stale", o->force_stale,
                "With --apply: register the fix of a revision that is no longer the newest ACTIVE "
                "revision of its family (the fix becomes the newest)");
  cmd->add_option("--wait-timeout", o->wait_timeout,
                  "With --apply: how long to wait for a service to be stable (default 10m)");
  cmd->add_flag("--no-rescan", o->no_rescan, "With --apply: skip the re-scan after each batch");
  cmd->add_option("--region", o->region, "Region for live calls (default: the AWS configuration)");
  cmd->add_option("--profile", o->profile, "AWS profile");
  cmd->add_option("--endpoint-url", o->endpoint_url, "ECS endpoint (emulators)");
  cmd->add_option("--role", o->role,
                  "Role NAME to assume in each finding's account (arn:aws:iam::ACCOUNT:role/NAME)");
  cmd->add_option("--controls-dir", o->controls_dir, "Control catalog directory");
  cmd->add_flag("-q,--quiet", o->quiet, "Print nothing on stderr but errors");
}

int RunRemediate(const RemediateOptions& o, Io& io) {
  if (o.from.empty() && o.snapshot_paths.empty()) {
    return UsageError(io, "remediate needs --from SCAN.json or --snapshot PATH");
  }
  if (o.format != "commands" && o.format != "json" && o.format != "console" &&
      o.format != "markdown") {
    return UsageError(io, fmt::format("-f {}: use commands, json, console or markdown", o.format));
  }
  std::optional<std::chrono::seconds> wait_timeout = ParseDuration(o.wait_timeout);
  if (!wait_timeout || wait_timeout->count() == 0) {
    return UsageError(io,
                      fmt::format("--wait-timeout {}: use e.g. 10m, 600s or 1h", o.wait_timeout));
  }
  bool terminal = o.stdin_is_terminal.value_or(::isatty(STDIN_FILENO) != 0);
  if (o.apply && !o.yes && !terminal) {
    return UsageError(io, "--apply changes AWS resources: pass --yes when stdin is not a terminal");
  }
  if (o.user.empty() || remediate::IsRootUser(o.user) ||
      o.user.find_first_of(" \t\r\n") != std::string::npos) {
    return UsageError(io,
                      fmt::format("--user \"{}\": use a non-root user such as 1000:1000", o.user));
  }
  if (o.batch_size == 0) return UsageError(io, "--batch-size must be at least 1");
  remediate::Selection selection{o.finding_ids, o.arns, o.families, o.accounts, {}};
  for (const std::string& p : o.priorities) {
    std::optional<posture::Priority> priority = remediate::ParsePriority(p);
    if (!priority) return UsageError(io, fmt::format("--priority {}: use P1, P2, P3 or P4", p));
    selection.priorities.push_back(*priority);
  }

  auto schema = LoadSchema("");
  if (!schema.ok()) return Fail(io, schema.error());
  auto catalog = LoadCatalog(o.controls_dir, *schema);
  if (!catalog.ok()) return Fail(io, catalog.error());
  Result<Findings> findings = LoadFindings(o, *schema, *catalog);
  if (!findings.ok()) return Fail(io, findings.error());

  // Live calls: documents without --snapshot, and everything --apply does.
  std::unique_ptr<SessionClients> clients;
  if (o.snapshot_paths.empty() || o.apply) {
    // Member by member: GCC 12 warns of an uninitialised member in the aggregate form.
    aws::SessionOptions session_options;
    session_options.profile = o.profile;
    session_options.region = o.region;
    session_options.endpoint_url = o.endpoint_url;
    auto session = aws::Session::Create(std::move(session_options));
    if (!session.ok()) return Fail(io, session.error());
    // No credentials is a configuration error (exit 3), not a plan with every revision missing.
    if (auto credentials = (*session)->credentials().Get(); !credentials.ok()) {
      return Fail(io, credentials.error());
    }
    clients = std::make_unique<SessionClients>(std::move(session).value(), o.role);
  }
  // --apply reads the documents live: revisions never change, but a snapshot may lack their
  // tags (taken without --include TAGS) and their current status.
  std::unique_ptr<remediate::RevisionSource> source;
  if (!o.snapshot_paths.empty() && !o.apply) {
    auto snapshot = std::make_unique<remediate::SnapshotRevisionSource>(
        remediate::SnapshotRevisionSource::Load(o.snapshot_paths));
    if (!o.quiet) {
      for (const Error& e : snapshot->problems()) {
        io.err << "ecsguard: " << OneLine(e.ToString()) << "\n";
      }
    }
    source = std::move(snapshot);
  } else {
    source = std::make_unique<remediate::LiveRevisionSource>(clients.get());
  }

  remediate::PlanOptions plan_options;
  plan_options.fix.user = o.user;
  plan_options.batch_size = o.batch_size;
  plan_options.wait_timeout = *wait_timeout;
  Result<Plan> plan = remediate::BuildPlan(findings->findings, selection, *source, plan_options);
  if (!plan.ok()) return Fail(io, plan.error());
  if (!o.quiet) {
    io.err << fmt::format(
        "ecsguard: {} failing finding(s) selected: {} revision(s) to fix in {} "
        "batch(es), {} not remediated\n",
        plan->selected_findings, plan->revision_count(), plan->batches.size(),
        plan->skipped.size());
    for (const remediate::Skipped& s : plan->skipped) {
      io.err << "ecsguard: not remediated: "
             << OneLine(fmt::format("{} {}: {}", s.finding_id, s.arn, s.reason)) << "\n";
    }
  }

  remediate::RenderContext context;
  context.profile = o.profile;
  context.endpoint_url = o.endpoint_url;
  if (!o.output_dir.empty()) {
    std::error_code ec;
    fs::create_directories(o.output_dir, ec);
    if (ec) return UsageError(io, fmt::format("cannot create {}: {}", o.output_dir, ec.message()));
    context.input_dir = fs::absolute(o.output_dir, ec).lexically_normal().string();
    for (const remediate::InputFile& f : remediate::InputFiles(*plan)) {
      // Input documents hold environment values: readable by their owner only.
      Result<void> written = WriteFileAtomically((fs::path(o.output_dir) / f.name).string(), f.text,
                                                 FileMode::kPrivate);
      if (!written.ok()) return Fail(io, written.error());
    }
  } else if (!o.apply && plan->revision_count() > 0 && !o.quiet) {
    io.err << "ecsguard: the register-task-definition inputs are written only with -o DIR; the "
              "plan refers to them in the current directory\n";
  }

  std::string rendered;
  if (o.format == "commands") rendered = remediate::RenderCommands(*plan, context);
  if (o.format == "json") rendered = remediate::RenderPlanJson(*plan, context);
  if (o.format == "console") rendered = remediate::RenderConsole(*plan);
  if (o.format == "markdown") rendered = remediate::RenderMarkdown(*plan, context);

  if (!o.apply) {
    if (o.output_dir.empty()) {
      io.out << rendered;
    } else {
      std::string path =
          (fs::path(o.output_dir) / fmt::format("remediation-plan.{}", Extension(o.format)))
              .string();
      Result<void> written = WriteFileAtomically(
          path, rendered,
          o.format == "commands" ? FileMode::kPrivateExecutable : FileMode::kPrivate);
      if (!written.ok()) return Fail(io, written.error());
      if (!o.quiet) io.err << "ecsguard: wrote " << path << " and the input documents\n";
    }
    return plan->complete() ? kExitOk : kExitIncomplete;
  }

  // --apply.
  if (plan->revision_count() == 0) {
    io.out << "Nothing to apply.\n";
    return plan->complete() ? kExitOk : kExitIncomplete;
  }
  if (!o.yes) {
    io.err << remediate::RenderConsole(*plan);
    io.err << fmt::format(
        "\nApply this plan ({} revision(s)){}? Type yes to continue: ", plan->revision_count(),
        o.deregister_old ? ", deregistering the old revisions" : "");
    io.err.flush();
    std::string answer;
    std::istream& in = o.confirm_in ? *o.confirm_in : std::cin;
    std::getline(in, answer);
    if (Trim(answer) != "yes") {
      io.err << "ecsguard: not applied\n";
      return kExitUsage;
    }
  }

  auto selected = catalog->Select(findings->controls);
  if (!selected.ok()) selected = catalog->Select({});
  SystemClock clock;
  remediate::ApplyOptions apply;
  apply.deregister_old = o.deregister_old;
  apply.force_stale = o.force_stale;
  apply.wait_timeout = *wait_timeout;
  apply.clock = &clock;
  apply.on_step = [&](const remediate::StepResult& s) {
    if (!o.quiet || s.state == remediate::StepState::kFailed) {
      io.err << "ecsguard: " << s.Describe() << "\n";
    }
  };
  if (!o.no_rescan && selected.ok()) {
    apply.rescan = [&](const remediate::Batch& batch,
                       const std::vector<remediate::RevisionOutcome>& outcomes) {
      remediate::RescanResult r = Rescan(batch, outcomes, *clients, *schema, *selected);
      if (!o.quiet) {
        io.err << OneLine(fmt::format("ecsguard: re-scan of batch {}: {}", batch.number, r.summary))
               << "\n";
      }
      return r;
    };
  }
  remediate::ApplyReport report = remediate::Apply(*plan, *clients, apply);
  io.out << (o.format == "json" ? ApplyReportJson(report) : ApplyReportText(report));
  if (!report.ok()) return kExitIncomplete;
  return plan->complete() ? kExitOk : kExitIncomplete;
}

}  // namespace ecsguard::cli
