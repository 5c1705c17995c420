// `ecsguard frameworks list | show ID`: the frameworks (frameworks/*.yaml) and, for each
// requirement, the catalog controls that judge it; a control the catalog lacks is marked.

#include <fmt/format.h>

#include "base/strings.h"
#include "cli/commands.h"

namespace ecsguard::cli {

int RunFrameworksList(const FrameworksOptions& options, Io& io) {
  auto schema = LoadSchema("");
  if (!schema.ok()) return Fail(io, schema.error());
  auto catalog = LoadCatalog(options.controls_dir, *schema);
  if (!catalog.ok()) return Fail(io, catalog.error());
  auto frameworks = LoadFrameworks(options.frameworks_dir);
  if (!frameworks.ok()) return Fail(io, frameworks.error());
  size_t width = 2;
  for (const controls::Framework& f : *frameworks) width = std::max(width, f.id.size());
  io.out << fmt::format("{:<{}}  {:<8}  {:>12}  {:>8}  {}\n", "ID", width, "VERSION",
                        "REQUIREMENTS", "CONTROLS", "NAME");
  for (const controls::Framework& f : *frameworks) {
    size_t unknown = controls::UnknownControls(f, *catalog).size();
    std::string controls = std::to_string(controls::FrameworkControls(f, *catalog).size());
    io.out << fmt::format(
        "{:<{}}  {:<8}  {:>12}  {:>8}  {}{}\n", f.id, width, f.version, f.requirements.size(),
        controls, f.name,
        unknown == 0 ? "" : fmt::format(" ({} mapped controls not in the catalog)", unknown));
  }
  return kExitOk;
}

int RunFrameworksShow(const FrameworksOptions& options, Io& io) {
  auto schema = LoadSchema("");
  if (!schema.ok()) return Fail(io, schema.error());
  auto catalog = LoadCatalog(options.controls_dir, *schema);
  if (!catalog.ok()) return Fail(io, catalog.error());
  auto framework = LoadFramework(options.id, options.frameworks_dir);
  if (!framework.ok()) return Fail(io, framework.error());
  const controls::Framework& f = *framework;
  io.out << fmt::format("{}\n{}{}\n", f.id, f.name, f.version.empty() ? "" : " " + f.version);
  if (!f.url.empty()) io.out << f.url << "\n";
  if (!Trim(f.description).empty()) io.out << "\n" << Trim(f.description) << "\n";
  io.out << "\n";
  for (const controls::Requirement& r : f.requirements) {
    io.out << fmt::format("{}  {}\n", r.id, r.title);
    if (r.controls.empty()) io.out << "    (no ecsguard control)\n";
    for (const std::string& id : r.controls) {
      const controls::Control* c = catalog->Find(id);
      if (c == nullptr || c->id != id) {
        io.out << fmt::format("    {}  (not in the catalog)\n", id);
        continue;
      }
      io.out << fmt::format(
          "    {}  {}, scope {}{}{}\n", id, controls::SeverityName(c->severity),
          c->scope == controls::RevisionScope::kInUse ? "in-use" : "latest-active",
          c->enabled_by_default ? "" : ", off by default",
          c->lifecycle == controls::Lifecycle::kRetired ? ", retired" : "");
    }
  }
  return kExitOk;
}

}  // namespace ecsguard::cli
