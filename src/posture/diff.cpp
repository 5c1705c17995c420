#include "posture/diff.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <tuple>

#include "posture/exceptions.h"

namespace ecsguard::posture {
namespace {

std::string NormalPath(std::string_view p) {
  std::string s = std::filesystem::path(p).lexically_normal().generic_string();
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

// What one scan looked at: evaluated cells, input paths, files that failed to read.
class Covered {
 public:
  explicit Covered(const ScanResult& scan) {
    std::set<std::pair<std::string, std::string>> not_evaluated;
    for (const Coverage& c : scan.coverage) {
      auto cell = std::make_pair(c.account_id, c.region);
      if (c.state == Coverage::State::kEvaluated) {
        cells_.insert(cell);
      } else {
        not_evaluated.insert(cell);
      }
    }
    if (scan.coverage.empty()) {
      // No coverage table: the cells are the ones the findings name, minus any cell with a
      // NOT_EVALUATED record (something there may be hidden).
      for (const Finding& f : scan.findings) {
        if (f.resource.account_id.empty() && f.resource.region.empty()) continue;
        auto cell = std::make_pair(f.resource.account_id, f.resource.region);
        (f.status == Status::kNotEvaluated ? not_evaluated : cells_).insert(cell);
      }
    }
    // A cell reported both ways was not fully evaluated.
    for (const auto& cell : not_evaluated) cells_.erase(cell);
    for (const std::string& input : scan.info.inputs) inputs_.push_back(NormalPath(input));
    for (const Error& e : scan.problems) {
      if (!e.location().file.empty()) broken_files_.insert(NormalPath(e.location().file));
    }
  }

  bool Cell(const std::string& account, const std::string& region) const {
    return cells_.count({account, region}) > 0;
  }

  bool File(const std::string& file) const {
    if (broken_files_.count(file)) return false;
    for (const std::string& input : inputs_) {
      if (input == file) return true;
      if (input == ".") {
        if (!file.starts_with("/")) return true;
      } else if (file.size() > input.size() && file.starts_with(input) &&
                 (input.back() == '/' || file[input.size()] == '/')) {
        return true;
      }
    }
    return false;
  }

 private:
  std::set<std::pair<std::string, std::string>> cells_;
  std::vector<std::string> inputs_;
  std::set<std::string> broken_files_;
};

const char* Which(bool in_before, bool in_after) {
  if (!in_before && !in_after) return "either scan";
  return in_before ? "the later scan" : "the earlier scan";
}

// Why a finding cannot be compared, or nothing when it can.
std::optional<std::string> NotComparable(const Finding& f, const Covered& before,
                                         const Covered& after) {
  const Resource& r = f.resource;
  if (!r.account_id.empty() || !r.region.empty()) {
    bool b = before.Cell(r.account_id, r.region);
    bool a = after.Cell(r.account_id, r.region);
    if (a && b) return std::nullopt;
    return fmt::format("account {} region {} was not evaluated in {}",
                       r.account_id.empty() ? "-" : r.account_id, r.region.empty() ? "-" : r.region,
                       Which(b, a));
  }
  std::string file = FindingFile(f);
  if (file.empty()) return "the finding names no account, region or file";
  file = NormalPath(file);
  bool b = before.File(file);
  bool a = after.File(file);
  if (a && b) return std::nullopt;
  return fmt::format("file {} was not read in {}", file, Which(b, a));
}

std::map<std::string, const Finding*> ById(const ScanResult& scan) {
  std::map<std::string, const Finding*> out;
  for (const Finding& f : scan.findings) out.emplace(f.id, &f);  // the first record wins
  return out;
}

bool Failing(const Finding* f) {
  return f && (f->status == Status::kFail || f->status == Status::kExcepted);
}

void Order(std::vector<DiffEntry>* entries) {
  std::sort(entries->begin(), entries->end(), [](const DiffEntry& a, const DiffEntry& b) {
    const Finding& fa = a.latest();
    const Finding& fb = b.latest();
    const std::string& ra = fa.resource.arn.empty() ? fa.resource.id : fa.resource.arn;
    const std::string& rb = fb.resource.arn.empty() ? fb.resource.id : fb.resource.arn;
    return std::tie(fa.control_id, ra, a.id) < std::tie(fb.control_id, rb, b.id);
  });
}

}  // namespace

ScanDiff Diff(const ScanResult& before_scan, const ScanResult& after_scan) {
  const Covered before_covered(before_scan);
  const Covered after_covered(after_scan);
  std::map<std::string, const Finding*> before = ById(before_scan);
  std::map<std::string, const Finding*> after = ById(after_scan);
  std::set<std::string> ids;
  for (const auto& [id, f] : before) ids.insert(id);
  for (const auto& [id, f] : after) ids.insert(id);

  ScanDiff d;
  for (const std::string& id : ids) {
    auto bi = before.find(id);
    auto ai = after.find(id);
    const Finding* b = bi == before.end() ? nullptr : bi->second;
    const Finding* a = ai == after.end() ? nullptr : ai->second;
    if (!Failing(b) && !Failing(a)) continue;

    DiffEntry entry{id, b ? std::optional<Finding>(*b) : std::nullopt,
                    a ? std::optional<Finding>(*a) : std::nullopt, ""};
    if (auto why = NotComparable(entry.latest(), before_covered, after_covered)) {
      entry.note = *why;
      d.not_comparable.push_back(std::move(entry));
      continue;
    }
    Status bs = b ? b->status : Status::kPass;  // absent reads as PASS: nothing was failing
    Status as = a ? a->status : Status::kPass;
    std::vector<DiffEntry>* bucket = nullptr;
    if (as == Status::kFail) {
      bucket = bs == Status::kFail       ? &d.still_failing
               : bs == Status::kExcepted ? &d.no_longer_excepted
                                         : &d.new_failures;
    } else if (as == Status::kExcepted) {
      if (bs != Status::kExcepted) bucket = &d.newly_excepted;
    } else if (as == Status::kNotEvaluated) {
      entry.note = a->reason.empty() ? "not evaluated in the later scan"
                                     : "not evaluated in the later scan: " + a->reason;
      bucket = &d.not_comparable;
    } else {
      bucket = &d.resolved;
    }
    if (bucket) bucket->push_back(std::move(entry));
  }
  for (auto* list : {&d.new_failures, &d.resolved, &d.still_failing, &d.newly_excepted,
                     &d.no_longer_excepted, &d.not_comparable}) {
    Order(list);
  }
  return d;
}

}  // namespace ecsguard::posture
