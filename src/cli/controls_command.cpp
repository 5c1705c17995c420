#include <fmt/format.h>
#include <fmt/ranges.h>

#include <nlohmann/json.hpp>

#include "cli/commands.h"

namespace ecsguard::cli {
namespace {

nlohmann::json CheckJson(const controls::Check& c) {
  nlohmann::json j = {{"name", c.name},
                      {"comparator", c.comparator == controls::Comparator::kEq ? "eq" : "neq"},
                      {"expected", c.expected},
                      {"query", c.query}};
  if (!c.return_path.empty()) j["returnPath"] = c.return_path;
  if (!c.applicable_assets_query.empty()) j["applicableAssetsQuery"] = c.applicable_assets_query;
  return j;
}

// "active", or "retired" with what supersedes it: "retired (superseded by ECS.4, ECS.17)".
std::string LifecycleText(const controls::Control& c) {
  if (c.lifecycle == controls::Lifecycle::kActive) return "active";
  if (c.superseded_by.empty()) return "retired";
  return fmt::format("retired (superseded by {})", fmt::join(c.superseded_by, ", "));
}

nlohmann::json ControlJson(const controls::Control& c) {
  nlohmann::json checks = nlohmann::json::array();
  for (const auto& check : c.checks) checks.push_back(CheckJson(check));
  nlohmann::json j = {{"id", c.id},
                      {"title", c.title},
                      {"severity", controls::SeverityName(c.severity)},
                      {"provider", c.provider},
                      {"subjects", c.subjects},
                      {"aliases", c.aliases},
                      {"default", c.enabled_by_default},
                      {"overview", c.overview},
                      {"remediation",
                       {{"console", c.remediation.console},
                        {"cli", c.remediation.cli},
                        {"serviceWide", c.remediation.service_wide},
                        {"preventive", c.remediation.preventive}}},
                      {"checks", checks}};
  if (c.iac) j["iac"] = CheckJson(*c.iac);
  j["status"] = c.lifecycle == controls::Lifecycle::kActive ? "active" : "retired";
  if (!c.superseded_by.empty()) j["supersededBy"] = c.superseded_by;
  return j;
}

std::string Indent(const std::string& text, const std::string& prefix) {
  std::string out = prefix;
  for (char ch : text) {
    out.push_back(ch);
    if (ch == '\n') out += prefix;
  }
  return out;
}

}  // namespace

int RunControlsList(const ControlsOptions& options, Io& io) {
  auto schema = LoadSchema("");
  if (!schema.ok()) return Fail(io, schema.error());
  auto catalog = LoadCatalog(options.controls_dir, *schema);
  if (!catalog.ok()) return Fail(io, catalog.error());
  if (options.format == "json") {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& c : catalog->controls()) list.push_back(ControlJson(c));
    io.out << list.dump(2) << "\n";
    return kExitOk;
  }
  if (options.format != "text") return UsageError(io, "--format must be text or json");
  size_t width = 2;
  for (const auto& c : catalog->controls()) width = std::max(width, c.id.size());
  io.out << fmt::format("{:<{}}  {:<8}  {:<7}  {:<7}  {:<30}  {}\n", "ID", width, "SEVERITY",
                        "DEFAULT", "STATUS", "ALIASES", "TITLE");
  for (const auto& c : catalog->controls()) {
    io.out << fmt::format("{:<{}}  {:<8}  {:<7}  {:<7}  {:<30}  {}\n", c.id, width,
                          controls::SeverityName(c.severity), c.enabled_by_default ? "yes" : "no",
                          c.lifecycle == controls::Lifecycle::kActive ? "active" : "retired",
                          fmt::format("{}", fmt::join(c.aliases, ", ")), c.title);
  }
  // What replaces a retired control, under the table: too long for a column.
  std::string retired;
  for (const auto& c : catalog->controls()) {
    if (!c.superseded_by.empty()) retired += fmt::format("{}: {}\n", c.id, LifecycleText(c));
  }
  if (!retired.empty()) io.out << "\n" << retired;
  return kExitOk;
}

int RunControlsShow(const ControlsOptions& options, Io& io) {
  auto schema = LoadSchema("");
  if (!schema.ok()) return Fail(io, schema.error());
  auto catalog = LoadCatalog(options.controls_dir, *schema);
  if (!catalog.ok()) return Fail(io, catalog.error());
  const controls::Control* c = catalog->Find(options.id);
  if (!c) return UsageError(io, fmt::format("unknown control \"{}\"", options.id));
  if (options.format == "json") {
    io.out << ControlJson(*c).dump(2) << "\n";
    return kExitOk;
  }
  io.out << fmt::format("{}\n{}\n\n", c->id, c->title);
  io.out << fmt::format(
      "Severity:  {}\nProvider:  {}\nSubjects:  {}\nAliases:   {}\nDefault:   {}\nStatus:    {}\n",
      controls::SeverityName(c->severity), c->provider, fmt::join(c->subjects, ", "),
      fmt::join(c->aliases, ", "), c->enabled_by_default ? "yes" : "no (run it with --control)",
      LifecycleText(*c));
  io.out << "\nOverview\n" << Indent(c->overview, "  ") << "\n";
  auto section = [&](const char* title, const std::string& text) {
    if (!text.empty()) io.out << "\n" << title << "\n" << Indent(text, "  ") << "\n";
  };
  section("Remediation (console)", c->remediation.console);
  section("Remediation (CLI)", c->remediation.cli);
  section("Service-wide", c->remediation.service_wide);
  section("Preventive", c->remediation.preventive);
  for (const auto& check : c->checks) {
    io.out << fmt::format("\nStored check: {} (expected: {} {})\n", check.name,
                          check.comparator == controls::Comparator::kEq ? "eq" : "neq",
                          check.expected);
    io.out << Indent(check.query, "  ") << "\n";
    if (!check.applicable_assets_query.empty()) {
      io.out << "Applicable assets:\n" << Indent(check.applicable_assets_query, "  ") << "\n";
    }
  }
  if (c->iac) {
    io.out << fmt::format("\nIaC check: {}\n", c->iac->name) << Indent(c->iac->query, "  ") << "\n";
  }
  return kExitOk;
}

}  // namespace ecsguard::cli
