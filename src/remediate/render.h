#pragma once

// A plan as people and tools read it. Only InputFiles() carries environment values: every
// renderer refers to the input documents by path, and the JSON plan embeds them with each
// environment value replaced by "<redacted>".

#include <string>
#include <string_view>
#include <vector>

#include "remediate/plan.h"

namespace ecsguard::remediate {

struct RenderContext {
  // Where the input documents are (or will be) written; the commands refer to
  // file://<input_dir>/<input_file>. Empty: the current directory.
  std::string input_dir;
  // Added to every aws command when set.
  std::string profile;
  std::string endpoint_url;
};

// The register-task-definition input documents, one per revision (name = input_file, text =
// pretty JSON with environment values). Write them with 0600 permissions; never print them.
struct InputFile {
  std::string name;
  std::string text;
};
std::vector<InputFile> InputFiles(const Plan& plan);

// A POSIX shell script of AWS CLI commands (set -eu: the first failure stops it): per revision
// register, update-service to family:NEW for each service, wait services-stable, deregister the
// old revision; after each batch, describe what it touched into <input_dir>/rescan/batch-N and
// run `ecsguard scan snapshot` on it.
std::string RenderCommands(const Plan& plan, const RenderContext& context);
// The plan as JSON (schemaVersion 1.0): batches, revisions, field-level changes, steps,
// re-scan targets, skipped findings; input documents redacted.
std::string RenderPlanJson(const Plan& plan, const RenderContext& context);
// Console steps in plain words.
std::string RenderConsole(const Plan& plan);
std::string RenderMarkdown(const Plan& plan, const RenderContext& context);

// 'text' quoted for a POSIX shell when it needs quoting.
std::string ShellQuote(std::string_view text);

}  // namespace ecsguard::remediate
