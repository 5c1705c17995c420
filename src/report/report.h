#pragma once

// report: renders a ScanResult in the formats people use.
//
// Each writer is a pure function from a ScanResult to text; nothing here queries the graph or
// prints. The native JSON (schemaVersion 1) is the source format: `ecsguard report FILE -f F`
// re-renders a saved scan with ReadJson. Environment values never reach a ScanResult, so no
// writer can leak them.
//
//   ScanResult scan = ...;
//   ASSIGN_OR_RETURN(Format f, ParseFormat("json"));
//   std::string text = Render(scan, f, RenderOptions{.color = false});
//   WriteTo(out_dir + "/" + std::string(DefaultFileName(f)), text);

#include <string>
#include <string_view>

#include "base/result.h"
#include "posture/posture.h"

namespace ecsguard::report {

enum class Format : uint8_t { kTable, kJson };

Result<Format> ParseFormat(std::string_view name);
std::string_view FormatName(Format f);
std::string_view DefaultFileName(Format f);  // "ecsguard.json", "ecsguard.txt", ...

struct RenderOptions {
  bool color = false;
  bool show_passed = false;  // table: list PASS rows too
};

std::string Render(const posture::ScanResult& scan, Format format, const RenderOptions& options);

std::string RenderTable(const posture::ScanResult& scan, const RenderOptions& options);
std::string RenderJson(const posture::ScanResult& scan);

// Reads a scan saved with RenderJson (for `ecsguard report`).
Result<posture::ScanResult> ReadJson(std::string_view text, std::string_view file_name);

inline constexpr std::string_view kSchemaVersion = "1.0";

}  // namespace ecsguard::report
