#include "ingest/snapshot/timestamps.h"

#include <chrono>
#include <cmath>

#include "base/time.h"

namespace ecsguard::ingest::snapshot_internal {

namespace chrono = std::chrono;

bool NormalizeIso8601(std::string_view text, std::string* out) {
  auto t = ParseIsoTimestamp(text);
  if (!t) return false;
  return EpochToIso8601(
      static_cast<double>(chrono::floor<chrono::seconds>(*t).time_since_epoch().count()), out);
}

bool EpochToIso8601(double seconds, std::string* out) {
  // Four-digit years from 1000 to 9999, in seconds since 1970.
  if (!std::isfinite(seconds) || seconds < -30610224000.0 || seconds > 253402300799.0) {
    return false;
  }
  *out = FormatIso8601(
      chrono::sys_seconds{chrono::seconds{static_cast<int64_t>(std::floor(seconds))}});
  return true;
}

}  // namespace ecsguard::ingest::snapshot_internal
