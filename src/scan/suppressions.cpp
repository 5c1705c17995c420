#include <fmt/format.h>

#include <string_view>

#include "base/time.h"
#include "scan/scan.h"

namespace ecsguard::scan {

std::vector<std::string> ApplySuppressions(const std::vector<ingest::Suppression>& suppressions,
                                           const controls::Catalog& catalog, const Clock& clock,
                                           std::vector<posture::Finding>* findings) {
  std::vector<std::string> warnings;
  for (const ingest::Suppression& s : suppressions) {
    std::string where = s.location.ToString();
    // string_view, not string: GCC 12 warns falsely on a short literal pushed as a std::string
    // (-Wstringop-overflow, bug 105329).
    std::vector<std::string_view> missing;
    if (s.reason.empty()) missing.push_back("reason");
    if (s.owner.empty()) missing.push_back("owner");
    if (s.expires.empty()) missing.push_back("expires");
    if (!missing.empty()) {
      warnings.push_back(fmt::format("{}: suppression of {} for {} ignored: missing {}", where,
                                     s.control_id, s.resource_id, fmt::join(missing, ", ")));
      continue;
    }
    auto date = ParseIsoDate(s.expires);
    if (!date) {
      warnings.push_back(fmt::format(
          "{}: suppression ignored: expires \"{}\" is not a YYYY-MM-DD date", where, s.expires));
      continue;
    }
    // The same expiry rule as the exceptions file: the `expires` day is the last one it applies.
    posture::Exception as_exception;
    as_exception.expires = *date;
    if (as_exception.Expired(clock)) {
      warnings.push_back(
          fmt::format("{}: suppression of {} for {} expired on {} and no longer applies", where,
                      s.control_id, s.resource_id, s.expires));
      continue;
    }
    const controls::Control* control = catalog.Find(s.control_id);
    if (!control) {
      warnings.push_back(
          fmt::format("{}: suppression names unknown control {}", where, s.control_id));
      continue;
    }
    size_t matched = 0;
    for (posture::Finding& f : *findings) {
      if (f.status != posture::Status::kFail || f.control_id != control->id ||
          f.resource.id != s.resource_id) {
        continue;
      }
      f.status = posture::Status::kExcepted;
      f.exception = posture::AppliedException{fmt::format("inline:{}", where), s.reason, s.owner,
                                              s.expires, ""};
      ++matched;
    }
    if (matched == 0) {
      warnings.push_back(fmt::format("{}: suppression of {} for {} matched no failure", where,
                                     control->id, s.resource_id));
    }
  }
  return warnings;
}

}  // namespace ecsguard::scan
