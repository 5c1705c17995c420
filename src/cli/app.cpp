#include "cli/app.h"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "base/strings.h"
#include "cli/aws_scan_command.h"
#include "cli/commands.h"
#include "cli/embedded.h"
#include "cli/guardrails_command.h"
#include "cli/history_commands.h"
#include "cli/remediate_command.h"
#include "graph/graph.h"

namespace ecsguard::cli {
void AddCommonScanOptions(CLI::App* cmd, CommonScanOptions* o) {
  cmd->add_option("--control", o->controls,
                  "Control id or alias to run (repeatable); default: the default set");
  cmd->add_option("--severity", o->severity,
                  "Only run controls at or above this severity (critical|high|medium|low)");
  cmd->add_option("--fail-on", o->fail_on,
                  "Exit 1 when a failure at or above this severity is found (default high)");
  cmd->add_option("-f,--format", o->formats,
                  "Output format, repeatable or comma-separated: table, json, sarif, junit, csv, "
                  "html, ocsf, asff, markdown")
      ->delimiter(',');
  cmd->add_option("-o,--output-dir", o->output_dir, "Write one file per format into DIR");
  cmd->add_flag("-q,--quiet", o->quiet, "Print nothing on stderr but errors");
  cmd->add_flag("--no-color", o->no_color, "Never colour the table");
  cmd->add_flag("--show-passed", o->show_passed, "List passing assets in the table too");
  cmd->add_option("--exceptions", o->exceptions_file,
                  "Exceptions file (YAML: id, control, scope, reason, owner, expires)");
  cmd->add_option("--db", o->db,
                  "History database: sqlite:PATH or postgresql://... (default: ECSGUARD_DB, "
                  "else $XDG_DATA_HOME/ecsguard/ecsguard.db)");
  cmd->add_flag("--no-history", o->no_history, "Do not record this scan in the history database");
  cmd->add_option(
      "--config", o->config_file,
      "YAML file with defaults for these options (exceptions, db, control, format, ...)");
  cmd->add_option("--framework", o->framework,
                  "Run the controls of this framework (id, e.g. fsbp, or a framework YAML file) "
                  "and group the reports by its requirements; see `ecsguard frameworks list`");
  cmd->add_option("--controls-dir", o->controls_dir,
                  "Load the control catalog from DIR instead of the bundled one");
  cmd->add_option("--schema", o->schema_file,
                  "Asset schema (GraphQL SDL) instead of the bundled one");
}

void AddFullGraphOption(CLI::App* cmd, bool* full_graph) {
  cmd->add_flag("--full-graph", *full_graph,
                "Build every part of the graph, not only what the selected controls read (the "
                "results are the same; for diagnosis)");
}

void ProgressLine::Update(std::string_view text) {
  if (!enabled_) return;
  std::lock_guard lock(mu_);
  io_.err << "\r\033[K" << text << std::flush;
  shown_ = true;
}

void ProgressLine::Clear() {
  std::lock_guard lock(mu_);
  if (shown_) io_.err << "\r\033[K" << std::flush;
  shown_ = false;
}

std::string Version() { return ECSGUARD_VERSION; }

int ExitCodeFor(const Error& error) {
  // Every code is listed, so that a new one is a decision here (-Wswitch).
  switch (error.code()) {
    case ErrorCode::kUnavailable:
      return kExitIncomplete;
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kParse:
    case ErrorCode::kValidation:
    case ErrorCode::kNotFound:
    case ErrorCode::kIo:
    case ErrorCode::kUnsupported:
    case ErrorCode::kConfiguration:
    case ErrorCode::kResourceExhausted:
    case ErrorCode::kInternal:
      return kExitUsage;
  }
  return kExitUsage;
}

int Fail(Io& io, const Error& error) {
  io.err << "ecsguard: error: " << error.ToString() << "\n";
  return ExitCodeFor(error);
}

int UsageError(Io& io, const std::string& message) {
  return Fail(io, Error(ErrorCode::kInvalidArgument, message));
}

Result<graph::Schema> LoadSchema(const std::string& schema_file) {
  if (schema_file.empty()) return graph::BuiltinSchema();
  std::string text;
  if (!ReadFileToString(schema_file, &text)) {
    return Error(ErrorCode::kNotFound, "cannot read schema file",
                 SourceLocation{schema_file, 0, 0});
  }
  return graph::Schema::Parse(text, schema_file);
}

Result<controls::Catalog> LoadCatalog(const std::string& dir, const graph::Schema& schema) {
  std::string from = dir;
  if (from.empty() && std::getenv("ECSGUARD_CONTROLS_DIR"))
    from = std::getenv("ECSGUARD_CONTROLS_DIR");
  controls::Catalog catalog;
  if (!from.empty()) {
    ASSIGN_OR_RETURN(catalog, controls::Catalog::LoadDirectory(from));
  } else {
    std::vector<controls::Control> list;
    for (const EmbeddedFile& f : EmbeddedControls()) {
      ASSIGN_OR_RETURN(controls::Control c, controls::ParseControl(f.text, f.path));
      list.push_back(std::move(c));
    }
    catalog = controls::Catalog::FromControls(std::move(list));
  }
  for (const controls::Control& c : catalog.controls()) {
    RETURN_IF_ERROR(controls::Validate(c, schema));
  }
  return catalog;
}

Result<std::vector<controls::Framework>> LoadFrameworks(const std::string& dir) {
  std::string from = dir;
  if (from.empty() && std::getenv("ECSGUARD_FRAMEWORKS_DIR"))
    from = std::getenv("ECSGUARD_FRAMEWORKS_DIR");
  if (!from.empty()) return controls::LoadFrameworkDirectory(from);
  std::vector<controls::Framework> list;
  for (const EmbeddedFile& f : EmbeddedFrameworks()) {
    ASSIGN_OR_RETURN(controls::Framework framework, controls::ParseFramework(f.text, f.path));
    list.push_back(std::move(framework));
  }
  return list;
}

Result<controls::Framework> LoadFramework(const std::string& id_or_file, const std::string& dir) {
  if (id_or_file.ends_with(".yaml") || id_or_file.ends_with(".yml")) {
    std::string text;
    if (!ReadFileToString(id_or_file, &text)) {
      return Error(ErrorCode::kNotFound, "cannot read framework file",
                   SourceLocation{id_or_file, 0, 0});
    }
    return controls::ParseFramework(text, id_or_file);
  }
  ASSIGN_OR_RETURN(std::vector<controls::Framework> frameworks, LoadFrameworks(dir));
  std::vector<std::string> ids;
  for (controls::Framework& f : frameworks) {
    if (f.id == id_or_file) return std::move(f);
    ids.push_back(f.id);
  }
  return Error(ErrorCode::kInvalidArgument,
               fmt::format("unknown framework \"{}\" (known: {})", id_or_file, Join(ids, ", ")));
}

int Run(int argc, char** argv, Io& io) {
  CLI::App app{
      "ecsguard: find, explain and fix ECS task definitions in host network mode that "
      "run privileged or root containers",
      "ecsguard"};
  app.set_version_flag("--version", "ecsguard " + Version());
  app.require_subcommand(1);

  CLI::App* scan = app.add_subcommand("scan", "Scan assets against the controls");
  scan->require_subcommand(1);
  SnapshotScanOptions snapshot;
  CLI::App* scan_snapshot = scan->add_subcommand(
      "snapshot", "Scan AWS CLI JSON output: files or folders (recursively), JSON Lines too");
  scan_snapshot->add_option("paths", snapshot.paths, "Files or folders")->required();
  AddCommonScanOptions(scan_snapshot, &snapshot.common);
  AddFullGraphOption(scan_snapshot, &snapshot.full_graph);
  scan_snapshot
      ->add_option("--jobs,-j", snapshot.jobs,
                   "Threads that parse JSON Lines files (default: one per core); the results "
                   "never depend on it. Used when every selected control judges in-use "
                   "revisions")
      ->check(CLI::Range(1u, 256u));
  AwsScanOptions aws_scan;
  CLI::App* aws_cmd = AddAwsScanCommand(scan, &aws_scan);

  IacScanOptions iac;
  CLI::App* scan_iac = scan->add_subcommand(
      "iac",
      "Scan infrastructure code: CloudFormation (JSON/YAML, SAM, CDK output), Terraform "
      ".tf and `terraform show -json` plans");
  scan_iac->add_option("paths", iac.paths, "Files or folders")->required();
  scan_iac->add_option("--parameter", iac.parameters,
                       "KEY=VALUE: a CloudFormation parameter or Terraform variable (repeatable)");
  using TfVar = ingest::TerraformVariableArgument;
  // Triggered as they are parsed, so that the list keeps the command line's order.
  scan_iac
      ->add_option_function<std::string>(
          "--var-file",
          [&iac](const std::string& f) {
            iac.terraform_variables.push_back({TfVar::Kind::kFile, f});
          },
          "FILE: Terraform variable values for every root module, as terraform -var-file "
          "(repeatable)")
      ->trigger_on_parse();
  scan_iac
      ->add_option_function<std::string>(
          "--var",
          [&iac](const std::string& kv) {
            iac.terraform_variables.push_back({TfVar::Kind::kAssignment, kv});
          },
          "NAME=VALUE: a Terraform variable for every root module, as terraform -var (repeatable)")
      ->trigger_on_parse();
  scan_iac->add_option("--root", iac.root,
                       "Paths in ids and reports are relative to DIR (default: .)");
  scan_iac->add_flag("--soft-fail", iac.soft_fail, "Exit 0 even when controls fail");
  AddCommonScanOptions(scan_iac, &iac.common);

  QueryOptions query;
  CLI::App* query_cmd = app.add_subcommand(
      "query", "Run a stored-check query (GraphQL, Neo4j GraphQL filters) over an asset graph");
  query_cmd->add_option("query", query.query, "The query text, @FILE to read it, or - for stdin")
      ->required();
  query_cmd->add_option("--snapshot", query.snapshot_paths, "Build the graph from AWS CLI output");
  query_cmd->add_option("--graph", query.graph_file,
                        "Load a property graph JSON ({nodes, relationships})");
  query_cmd->add_option("--schema", query.schema_file, "Schema SDL instead of the bundled one");
  query_cmd->add_option("--variables", query.variables, "Variables as a JSON object");

  ReportOptions report_opts;
  CLI::App* report_cmd = app.add_subcommand(
      "report", "Render a scan saved with -f json, or a sharded run in --db, in other formats");
  report_cmd->add_option("file", report_opts.file, "The saved JSON report");
  report_cmd->add_option("--db", report_opts.db, "History database holding --run-id");
  report_cmd->add_option("--run-id", report_opts.run_id,
                         "Render the shards of this run recorded in --db, merged");
  report_cmd->add_option("-f,--format", report_opts.formats, "Output format(s)")->delimiter(',');
  report_cmd->add_option("-o,--output-dir", report_opts.output_dir, "Write files into DIR");
  report_cmd->add_option("--controls-dir", report_opts.controls_dir, "Control catalog directory");
  report_cmd->add_flag("--no-color", report_opts.no_color, "Never colour the table");

  ExceptionsOptions exceptions_opts;
  CLI::App* exceptions_cmd = app.add_subcommand("exceptions", "Check and list exceptions");
  exceptions_cmd->require_subcommand(1);
  auto add_exceptions_file = [&](CLI::App* cmd) {
    cmd->add_option("file", exceptions_opts.file, "The exceptions file");
    cmd->add_option("--exceptions", exceptions_opts.file, "The exceptions file");
    cmd->add_option("--format", exceptions_opts.format, "text or json");
    cmd->add_option("--controls-dir", exceptions_opts.controls_dir, "Control catalog directory");
  };
  CLI::App* exceptions_validate =
      exceptions_cmd->add_subcommand("validate", "Check an exceptions file (exit 3 when broken)");
  add_exceptions_file(exceptions_validate);
  CLI::App* exceptions_list = exceptions_cmd->add_subcommand("list", "List exceptions");
  add_exceptions_file(exceptions_list);
  CLI::App* exceptions_expiring =
      exceptions_cmd->add_subcommand("expiring", "Exceptions that expire soon or have expired");
  add_exceptions_file(exceptions_expiring);
  exceptions_expiring->add_option("--within", exceptions_opts.within, "e.g. 14d, 2w (default 14d)");

  HistoryOptions history_opts;
  CLI::App* history_cmd = app.add_subcommand("history", "Past scans and what changed");
  history_cmd->require_subcommand(1);
  CLI::App* history_list = history_cmd->add_subcommand("list", "List recorded scans");
  history_list->add_option("--limit", history_opts.limit, "How many (0: all; default 20)");
  CLI::App* history_diff = history_cmd->add_subcommand(
      "diff", "New, resolved, still failing and newly excepted findings between two scans");
  history_diff->add_option("scans", history_opts.scans, "[SCAN_A] [SCAN_B] (default: the last two)")
      ->expected(0, 2);
  CLI::App* history_run = history_cmd->add_subcommand(
      "run", "The shards of a sharded run (scan aws --run-id): recorded, missing, merged totals");
  history_run->add_option("run_id", history_opts.run_id, "The run id")->required();
  for (CLI::App* cmd : {history_list, history_diff, history_run}) {
    cmd->add_option("--db", history_opts.db, "History database URL");
    cmd->add_option("--format", history_opts.format, "text or json");
  }

  RemediateOptions remediate_opts;
  AddRemediateCommand(&app, &remediate_opts);
  GuardrailsOptions guardrails_opts;
  AddGuardrailsCommand(&app, &guardrails_opts);
  ControlsOptions controls_opts;
  CLI::App* controls_cmd = app.add_subcommand("controls", "List and show the control catalog");
  controls_cmd->require_subcommand(1);
  controls_cmd->add_option("--controls-dir", controls_opts.controls_dir,
                           "Load the catalog from DIR instead of the bundled one");
  CLI::App* controls_list = controls_cmd->add_subcommand("list", "List the controls");
  controls_list->add_option("--format", controls_opts.format, "text or json");
  CLI::App* controls_show = controls_cmd->add_subcommand("show", "Show one control");
  controls_show->add_option("id", controls_opts.id, "Control id or alias")->required();
  controls_show->add_option("--format", controls_opts.format, "text or json");

  FrameworksOptions frameworks_opts;
  CLI::App* frameworks_cmd =
      app.add_subcommand("frameworks", "List and show compliance frameworks and their controls");
  frameworks_cmd->require_subcommand(1);
  frameworks_cmd->add_option("--frameworks-dir", frameworks_opts.frameworks_dir,
                             "Load the frameworks from DIR instead of the bundled ones");
  frameworks_cmd->add_option("--controls-dir", frameworks_opts.controls_dir,
                             "Load the catalog from DIR instead of the bundled one");
  CLI::App* frameworks_list = frameworks_cmd->add_subcommand("list", "List the frameworks");
  CLI::App* frameworks_show =
      frameworks_cmd->add_subcommand("show", "Show a framework's requirements and controls");
  frameworks_show->add_option("id", frameworks_opts.id, "Framework id or YAML file")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) {  // --help or --version, on the app or a subcommand
      std::ostringstream text;
      app.exit(e, text, text);
      io.out << text.str();
      return kExitOk;
    }
    io.err << "ecsguard: error: " << e.what() << "\n"
           << "Run 'ecsguard --help' (or 'ecsguard SUBCOMMAND --help') for usage.\n";
    return kExitUsage;
  }

  if (scan_snapshot->parsed()) return RunSnapshotScan(snapshot, io);
  if (aws_cmd->parsed()) return RunAwsScan(aws_scan, io);
  if (scan_iac->parsed()) return RunIacScan(iac, io);
  if (query_cmd->parsed()) {
    if (!query.graph_file.empty() && !query.snapshot_paths.empty()) {
      return UsageError(io, "--graph and --snapshot cannot be used together");
    }
    return RunQuery(query, io);
  }
  if (report_cmd->parsed()) return RunReport(report_opts, io);
  if (exceptions_validate->parsed()) return RunExceptionsValidate(exceptions_opts, io);
  if (exceptions_list->parsed()) return RunExceptionsList(exceptions_opts, io);
  if (exceptions_expiring->parsed()) return RunExceptionsExpiring(exceptions_opts, io);
  if (history_list->parsed()) return RunHistoryList(history_opts, io);
  if (history_diff->parsed()) return RunHistoryDiff(history_opts, io);
  if (history_run->parsed()) return RunHistoryRun(history_opts, io);
  if (app.got_subcommand("remediate")) return RunRemediate(remediate_opts, io);
  if (app.got_subcommand("guardrails")) return RunGuardrails(guardrails_opts, io);
  if (controls_list->parsed()) return RunControlsList(controls_opts, io);
  if (frameworks_list->parsed()) return RunFrameworksList(frameworks_opts, io);
  if (frameworks_show->parsed()) return RunFrameworksShow(frameworks_opts, io);
  if (controls_show->parsed()) return RunControlsShow(controls_opts, io);
  return UsageError(io, "no command given");
}

}  // namespace ecsguard::cli
