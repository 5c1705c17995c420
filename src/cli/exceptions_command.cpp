#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "base/time.h"
#include "cli/commands.h"
#include "cli/history_commands.h"

namespace ecsguard::cli {
namespace {

using posture::Exception;
using posture::ExceptionSet;

const Clock& ClockOf(const ExceptionsOptions& o) {
  static const SystemClock system;
  return o.clock ? *o.clock : system;
}

Result<ExceptionSet> Load(const ExceptionsOptions& o) {
  if (o.file.empty()) {
    return Error(ErrorCode::kInvalidArgument,
                 "no exceptions file: give --exceptions FILE (or exceptions: in the config file)");
  }
  return ExceptionSet::Load(o.file);
}

std::string StateText(const Exception& e, const Clock& clock) {
  int left = e.DaysLeft(clock);
  if (left < 0) return fmt::format("EXPIRED {}d ago", -left);
  if (left == 0) return "last day";
  return fmt::format("{}d left", left);
}

nlohmann::json ExceptionJson(const Exception& e, const Clock& clock) {
  nlohmann::json scope = nlohmann::json::object();
  const posture::ExceptionScope& s = e.scope;
  if (!s.arn.empty()) scope["arn"] = s.arn;
  if (!s.arn_pattern.empty()) scope["arnPattern"] = s.arn_pattern;
  if (!s.account.empty()) scope["account"] = s.account;
  if (!s.region.empty()) scope["region"] = s.region;
  if (!s.family.empty()) scope["family"] = s.family;
  if (!s.path.empty()) scope["path"] = s.path;
  int left = e.DaysLeft(clock);
  nlohmann::json j = {
      {"id", e.id},         {"control", e.control}, {"scope", scope},
      {"reason", e.reason}, {"owner", e.owner},     {"expires", e.ExpiresText()},
      {"daysLeft", left},   {"expired", left < 0},  {"location", e.location.ToString()}};
  if (!e.ticket.empty()) j["ticket"] = e.ticket;
  if (e.broad) j["broad"] = true;
  return j;
}

// A broad exception says so wherever it is listed.
std::string ScopeText(const Exception& e) {
  return e.broad ? "BROAD " + e.scope.Describe() : e.scope.Describe();
}

void PrintTable(const std::vector<const Exception*>& list, const Clock& clock, Io& io) {
  size_t id_w = 2, control_w = 7, owner_w = 5, scope_w = 5;
  for (const Exception* e : list) {
    id_w = std::max(id_w, e->id.size());
    control_w = std::max(control_w, e->control.size());
    owner_w = std::max(owner_w, e->owner.size());
    scope_w = std::max(scope_w, ScopeText(*e).size());
  }
  auto row = [&](std::string_view id, std::string_view control, std::string_view expires,
                 std::string_view state, std::string_view owner, std::string_view scope,
                 std::string_view ticket) {
    std::string line =
        fmt::format("{:<{}}  {:<{}}  {:<10}  {:<15}  {:<{}}  {:<{}}  {}", id, id_w, control,
                    control_w, expires, state, owner, owner_w, scope, scope_w, ticket);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    io.out << line << "\n";
  };
  row("ID", "CONTROL", "EXPIRES", "STATE", "OWNER", "SCOPE", "TICKET");
  for (const Exception* e : list) {
    row(e->id, e->control, e->ExpiresText(), StateText(*e, clock), e->owner, ScopeText(*e),
        e->ticket);
  }
}

int PrintList(const std::vector<const Exception*>& list, const ExceptionsOptions& o, Io& io) {
  const Clock& clock = ClockOf(o);
  if (o.format == "json") {
    nlohmann::json out = nlohmann::json::array();
    for (const Exception* e : list) out.push_back(ExceptionJson(*e, clock));
    io.out << out.dump(2) << "\n";
    return kExitOk;
  }
  PrintTable(list, clock, io);
  return kExitOk;
}

bool FormatOk(const std::string& format) { return format == "text" || format == "json"; }

}  // namespace

int RunExceptionsValidate(const ExceptionsOptions& o, Io& io) {
  if (!FormatOk(o.format)) return UsageError(io, "--format must be text or json");
  auto set = Load(o);
  if (!set.ok()) return Fail(io, set.error());
  auto schema = LoadSchema("");
  if (!schema.ok()) return Fail(io, schema.error());
  auto catalog = LoadCatalog(o.controls_dir, *schema);
  if (!catalog.ok()) return Fail(io, catalog.error());
  auto resolved = set->ResolveControls(*catalog);
  if (!resolved.ok()) return Fail(io, resolved.error());

  const Clock& clock = ClockOf(o);
  std::vector<std::string> expired, expiring;
  for (const Exception& e : set->exceptions()) {
    int left = e.DaysLeft(clock);
    if (left < 0) {
      expired.push_back(e.id);
      io.err << fmt::format(
          "ecsguard: warning: {}: exception \"{}\" expired on {} and no longer "
          "applies (owner {})\n",
          e.location.ToString(), e.id, e.ExpiresText(), e.owner);
    } else if (left <= 14) {
      expiring.push_back(e.id);
      io.err << fmt::format("ecsguard: warning: {}: exception \"{}\" expires on {} (owner {})\n",
                            e.location.ToString(), e.id, e.ExpiresText(), e.owner);
    }
  }
  // An exception that would mute a whole account or more is the author's stated choice
  // (`broad: true`, listed here every time) or a mistake (an error: a scan would not apply it).
  std::vector<std::string> broad, too_broad;
  for (const Exception& e : set->exceptions()) {
    if (e.broad) {
      broad.push_back(e.id);
      io.err << fmt::format(
          "ecsguard: warning: {}: exception \"{}\" is marked broad (scope {}); it may except "
          "more than {} findings (owner {})\n",
          e.location.ToString(), e.id, e.scope.Describe(), posture::kBroadMatchLimit, e.owner);
    } else if (std::string problem = e.BroadScopeProblem(); !problem.empty()) {
      too_broad.push_back(e.id);
      io.err << fmt::format(
          "ecsguard: error: {}: exception \"{}\": {}; scans will not apply it unless it says "
          "\"broad: true\"\n",
          e.location.ToString(), e.id, problem);
    }
  }
  bool valid = too_broad.empty();
  if (o.format == "json") {
    io.out << nlohmann::json{{"file", o.file},
                             {"valid", valid},
                             {"broad", broad},
                             {"tooBroad", too_broad},
                             {"exceptions", set->exceptions().size()},
                             {"expired", expired},
                             {"expiringWithin14Days", expiring}}
                  .dump(2)
           << "\n";
  } else {
    io.out << fmt::format(
        "{}: {} exception{}, {} ({} expired, {} expiring within 14 days, {} "
        "broad)\n",
        o.file, set->exceptions().size(), set->exceptions().size() == 1 ? "" : "s",
        valid ? "valid" : fmt::format("{} too broad", too_broad.size()), expired.size(),
        expiring.size(), broad.size());
  }
  return valid ? kExitOk : kExitUsage;
}

int RunExceptionsList(const ExceptionsOptions& o, Io& io) {
  if (!FormatOk(o.format)) return UsageError(io, "--format must be text or json");
  auto set = Load(o);
  if (!set.ok()) return Fail(io, set.error());
  std::vector<const Exception*> all;
  for (const Exception& e : set->exceptions()) all.push_back(&e);
  return PrintList(all, o, io);
}

int RunExceptionsExpiring(const ExceptionsOptions& o, Io& io) {
  if (!FormatOk(o.format)) return UsageError(io, "--format must be text or json");
  auto days = ParseDays(o.within);
  if (!days.ok()) return UsageError(io, fmt::format("--within: {}", days.error().message()));
  auto set = Load(o);
  if (!set.ok()) return Fail(io, set.error());
  std::vector<const Exception*> list =
      set->ExpiringWithin(*days, ClockOf(o), /*include_expired=*/true);
  if (list.empty() && o.format != "json") {
    io.out << fmt::format("No exception expires within {} days.\n", *days);
    return kExitOk;
  }
  return PrintList(list, o, io);
}

Result<posture::ExceptionSet> LoadExceptions(const std::string& file,
                                             const controls::Catalog& catalog) {
  if (file.empty()) return ExceptionSet();
  ASSIGN_OR_RETURN(ExceptionSet set, ExceptionSet::Load(file));
  RETURN_IF_ERROR(set.ResolveControls(catalog));
  return set;
}

}  // namespace ecsguard::cli
