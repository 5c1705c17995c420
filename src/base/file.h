#pragma once

// The one way ecsguard writes a file.
//
// WriteFileAtomically() never leaves a partial file under the final name and never writes
// through a symbolic link: the contents go to a new temporary file in the same folder (created
// with O_CREAT|O_EXCL|O_NOFOLLOW, so no existing file or link is opened), are flushed with
// fsync, and the temporary file is renamed over the final name. A reader sees the previous
// complete file or the new complete file, never a mix; a scan killed mid-write leaves at most a
// hidden `.NAME.tmp-XXXXXX` beside it. A symbolic link at the final name is refused rather than
// replaced or followed (someone put it there; the user should know). A failed write (full disk,
// read-only folder) is an Error of code kIo naming the file and the system's reason, and the
// temporary file is removed.
//
// FileMode::kPrivate (0600) is for anything that can hold secrets (remediation inputs with
// environment values, snapshots); kPrivateExecutable (0700) for a generated script; kShared
// (0644) for reports and templates.
//
//   RETURN_IF_ERROR(WriteFileAtomically("out/ecsguard.json", text, FileMode::kShared));
//
// Thread-safe: concurrent calls use distinct temporary names; the last rename wins.

#include <string>
#include <string_view>

#include "base/result.h"

namespace ecsguard {

enum class FileMode {
  kShared,             // 0644: reports, templates, scripts without secrets
  kPrivate,            // 0600: may contain secrets
  kPrivateExecutable,  // 0700: a script that may contain secrets
};

Result<void> WriteFileAtomically(const std::string& path, std::string_view contents, FileMode mode);

}  // namespace ecsguard
