#pragma once

#include <string>
#include <string_view>

namespace ecsguard::ingest::snapshot_internal {

// awscli prints timestamps either as ISO 8601 ("2024-05-10T14:23:11.123000+02:00") or as epoch
// seconds (1715343791.123), depending on version and `cli_timestamp_format`. Both become the
// project's one form, UTC to the second: "2024-05-10T12:23:11Z".

// False (and `out` untouched) when `text` is not an ISO 8601 date-time.
bool NormalizeIso8601(std::string_view text, std::string* out);
// False when `seconds` is not a finite time between years 1000 and 9999.
bool EpochToIso8601(double seconds, std::string* out);

}  // namespace ecsguard::ingest::snapshot_internal
