#pragma once

// report: renders a ScanResult in the formats people use.
//
// Each writer is a pure function from a ScanResult (plus, for formats that carry rule metadata,
// the controls of the scan) to text; nothing here queries the graph, reads files or prints. The
// native JSON (schemaVersion 1) is the source format: `ecsguard report FILE -f F` re-renders a
// saved scan read back with ReadJson, and every writer gives the same output for the scan and
// for its JSON round trip. Environment values never reach a ScanResult, so no writer can leak
// them; writers never copy raw input. docs/report-formats.md describes each format.
//
//   ScanResult scan = ...;
//   ASSIGN_OR_RETURN(Format f, ParseFormat("sarif"));
//   RenderOptions options{.controls = selected};  // catalog entries of the scan's controls
//   for (const OutputFile& file : RenderFiles(scan, f, options))
//     WriteTo(out_dir + "/" + file.name, file.text);   // ASFF: asff-0001.json, asff-0002.json...
//   std::cout << Render(scan, f, options);            // one document, for stdout
//
// Thread-safety: all functions are pure and may run concurrently.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "controls/catalog.h"
#include "posture/posture.h"

namespace ecsguard::report {

enum class Format : uint8_t { kTable, kJson, kSarif, kJunit, kCsv, kHtml, kOcsf, kAsff, kMarkdown };

// Accepts "table", "json", "sarif", "junit", "csv", "html", "ocsf", "asff", "markdown" (and
// "md"); kInvalidArgument naming the known formats otherwise.
Result<Format> ParseFormat(std::string_view name);
std::string_view FormatName(Format f);
// "ecsguard.txt", "ecsguard.json", "ecsguard.sarif", "ecsguard-junit.xml", "ecsguard.csv",
// "ecsguard.html", "ecsguard.ocsf.json", "ecsguard.asff.json", "ecsguard.md".
std::string_view DefaultFileName(Format f);
const std::vector<Format>& AllFormats();

struct RenderOptions {
  bool color = false;        // table: ANSI colours
  bool show_passed = false;  // table: list PASS rows too
  // Rule metadata (title, overview, remediation) of the scan's controls, for SARIF rules, the
  // HTML fix text, ASFF and OCSF remediation. When re-rendering a saved scan, look the ids of
  // ScanInfo::controls up in the catalog. A control missing here is described from what its
  // findings carry (id, title, severity).
  std::vector<const controls::Control*> controls;
  // SARIF: an absolute file path under this directory becomes relative to %SRCROOT%.
  std::string source_root;
};

// One document: what `-f F` prints on stdout.
std::string Render(const posture::ScanResult& scan, Format format, const RenderOptions& options);

// What `-o DIR` writes: one (file name, text) per output file. One file named DefaultFileName
// for every format but ASFF, which is split into batches of at most kAsffBatchSize findings
// (asff-0001.json, asff-0002.json, ...; none when there is nothing to import).
struct OutputFile {
  std::string name;
  std::string text;
};
std::vector<OutputFile> RenderFiles(const posture::ScanResult& scan, Format format,
                                    const RenderOptions& options);

std::string RenderTable(const posture::ScanResult& scan, const RenderOptions& options);
std::string RenderJson(const posture::ScanResult& scan);
std::string RenderSarif(const posture::ScanResult& scan, const RenderOptions& options);
std::string RenderJunit(const posture::ScanResult& scan);
std::string RenderCsv(const posture::ScanResult& scan);
std::string RenderHtml(const posture::ScanResult& scan, const RenderOptions& options);
std::string RenderOcsf(const posture::ScanResult& scan, const RenderOptions& options);
std::string RenderMarkdown(const posture::ScanResult& scan, const RenderOptions& options);
// All ASFF findings as one JSON array, and the same split into BatchImportFindings batches
// (each batch holds one account and region, at most kAsffBatchSize findings).
std::string RenderAsff(const posture::ScanResult& scan, const RenderOptions& options);
std::vector<std::string> RenderAsffBatches(const posture::ScanResult& scan,
                                           const RenderOptions& options);

// Reads a scan saved with RenderJson (for `ecsguard report`).
Result<posture::ScanResult> ReadJson(std::string_view text, std::string_view file_name);

inline constexpr std::string_view kSchemaVersion = "1.0";
inline constexpr size_t kAsffBatchSize = 100;  // BatchImportFindings accepts at most 100
// Stable per-control documentation page, used as SARIF helpUri and ASFF/OCSF remediation URL.
std::string ControlDocUrl(std::string_view control_id);

}  // namespace ecsguard::report
