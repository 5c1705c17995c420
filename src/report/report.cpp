#include "report/report.h"

#include <fmt/format.h>

#include "report/internal/text.h"

namespace ecsguard::report {
namespace {

struct FormatSpec {
  Format format;
  std::string_view name;
  std::string_view file_name;
};

constexpr FormatSpec kFormats[] = {
    {Format::kTable, "table", "ecsguard.txt"},      {Format::kJson, "json", "ecsguard.json"},
    {Format::kSarif, "sarif", "ecsguard.sarif"},    {Format::kJunit, "junit", "ecsguard-junit.xml"},
    {Format::kCsv, "csv", "ecsguard.csv"},          {Format::kHtml, "html", "ecsguard.html"},
    {Format::kOcsf, "ocsf", "ecsguard.ocsf.json"},  {Format::kAsff, "asff", "ecsguard.asff.json"},
    {Format::kMarkdown, "markdown", "ecsguard.md"},
};

const FormatSpec& SpecOf(Format f) {
  for (const FormatSpec& s : kFormats) {
    if (s.format == f) return s;
  }
  return kFormats[0];
}

}  // namespace

Result<Format> ParseFormat(std::string_view name) {
  if (name == "md") return Format::kMarkdown;
  std::vector<std::string_view> names;
  for (const FormatSpec& s : kFormats) {
    if (s.name == name) return s.format;
    names.push_back(s.name);
  }
  return Error(ErrorCode::kInvalidArgument,
               fmt::format("unknown format \"{}\" (known: {})", internal::OneLine(name),
                           fmt::join(names, ", ")));
}

std::string_view FormatName(Format f) { return SpecOf(f).name; }

std::string_view DefaultFileName(Format f) { return SpecOf(f).file_name; }

const std::vector<Format>& AllFormats() {
  static const std::vector<Format> kAll = [] {
    std::vector<Format> all;
    for (const FormatSpec& s : kFormats) all.push_back(s.format);
    return all;
  }();
  return kAll;
}

std::string ControlDocUrl(std::string_view control_id) {
  return fmt::format("https://github.com/ecsguard/ecsguard/blob/main/docs/controls/{}.md",
                     internal::UriPath(control_id));
}

std::string Render(const posture::ScanResult& scan, Format format, const RenderOptions& options) {
  switch (format) {
    case Format::kTable:
      return RenderTable(scan, options);
    case Format::kJson:
      return RenderJson(scan);
    case Format::kSarif:
      return RenderSarif(scan, options);
    case Format::kJunit:
      return RenderJunit(scan);
    case Format::kCsv:
      return RenderCsv(scan);
    case Format::kHtml:
      return RenderHtml(scan, options);
    case Format::kOcsf:
      return RenderOcsf(scan, options);
    case Format::kAsff:
      return RenderAsff(scan, options);
    case Format::kMarkdown:
      return RenderMarkdown(scan, options);
  }
  return {};
}

std::vector<OutputFile> RenderFiles(const posture::ScanResult& scan, Format format,
                                    const RenderOptions& options) {
  std::vector<OutputFile> files;
  if (format != Format::kAsff) {
    // Moved in, not copied from an initializer list: a large estate's report is megabytes.
    files.push_back(
        OutputFile{std::string(DefaultFileName(format)), Render(scan, format, options)});
    return files;
  }
  for (std::string& batch : RenderAsffBatches(scan, options)) {
    files.push_back({fmt::format("asff-{:04}.json", files.size() + 1), std::move(batch)});
  }
  return files;
}

}  // namespace ecsguard::report
