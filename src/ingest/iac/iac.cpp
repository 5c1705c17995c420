#include "ingest/iac/iac.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <system_error>

#include "base/strings.h"
#include "ingest/iac/cloudformation.h"
#include "ingest/iac/document.h"
#include "ingest/iac/terraform.h"
#include "ingest/iac/terraform_plan.h"

namespace ecsguard::ingest {
namespace {

namespace fs = std::filesystem;
using iac::Node;

bool HasExtension(std::string_view name, std::initializer_list<std::string_view> exts) {
  std::string lower = ToLower(name);
  for (std::string_view e : exts) {
    if (lower.ends_with(e)) return true;
  }
  return false;
}

bool IsCandidate(std::string_view name) {
  return HasExtension(name, {".yaml", ".yml", ".json", ".template", ".tf"});
}

bool LooksJson(std::string_view name, std::string_view text) {
  if (HasExtension(name, {".json"})) return true;
  size_t first = text.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  return first != std::string_view::npos && text[first] == '{';
}

// Whether a file that did not parse was probably meant as one of ours (then it is a problem;
// otherwise it is some other YAML or JSON file and is skipped quietly). The whole text is looked
// at: padding before the first resource must not hide a broken template.
bool LooksLikeOurs(std::string_view text) {
  return text.find("AWSTemplateFormatVersion") != std::string_view::npos ||
         text.find("AWS::") != std::string_view::npos ||
         (text.find("\"format_version\"") != std::string_view::npos &&
          (text.find("\"planned_values\"") != std::string_view::npos ||
           text.find("\"resource_changes\"") != std::string_view::npos));
}

// LooksLikeOurs for a file too large to read whole: chunk by chunk, the chunks overlapping so
// that no marker is cut in two.
bool FileLooksLikeOurs(const fs::path& path) {
  constexpr size_t kChunk = 1 << 20, kOverlap = 64;
  std::ifstream in(path, std::ios::binary);
  std::string chunk;
  while (in) {
    size_t keep = std::min(chunk.size(), kOverlap);
    chunk.erase(0, chunk.size() - keep);
    chunk.resize(keep + kChunk);
    in.read(chunk.data() + keep, static_cast<std::streamsize>(kChunk));
    chunk.resize(keep + static_cast<size_t>(in.gcount()));
    if (LooksLikeOurs(chunk)) return true;
  }
  return false;
}

// Reads one CloudFormation or plan file. `named`: the user named this file (not found by walking).
void ReadDocumentFile(std::string_view text, const std::string& rel, bool named,
                      const IacOptions& options, graph::Graph* graph, IacResult* result) {
  bool json = LooksJson(rel, text);
  std::vector<Error> duplicates;
  Result<Node> doc = json ? iac::ParseJson(text, &duplicates) : iac::ParseYaml(text, &duplicates);
  // Only a template can say which resources a repeated key spoils; anything else with one is as
  // unreadable as malformed text.
  if (doc.ok() && !duplicates.empty() && !iac::IsCloudFormation(*doc)) doc = duplicates[0];
  if (!doc.ok()) {
    if (named || LooksLikeOurs(text)) {
      ++result->files;
      result->problems.push_back(doc.error().InFile(rel));
    }
    return;
  }
  if (iac::IsCloudFormation(*doc)) {
    ++result->files;
    iac::ReadCloudFormation(*doc, text, !json, rel, duplicates, options, graph, result);
  } else if (iac::IsTerraformPlan(*doc)) {
    ++result->files;
    iac::ReadTerraformPlan(*doc, rel, graph, result);
  } else if (named) {
    result->problems.emplace_back(
        ErrorCode::kUnsupported,
        "not a CloudFormation template, Terraform file or `terraform show -json` output",
        SourceLocation{rel});
  }
}

void SortResult(IacResult* r) {
  std::stable_sort(r->gaps.begin(), r->gaps.end(),
                   [](const Gap& a, const Gap& b) { return a.id < b.id; });
  std::stable_sort(r->suppressions.begin(), r->suppressions.end(),
                   [](const Suppression& a, const Suppression& b) {
                     if (a.resource_id != b.resource_id) return a.resource_id < b.resource_id;
                     return a.location.line < b.location.line;
                   });
}

class Loader {
 public:
  explicit Loader(const IacOptions& options) : options_(options) {
    std::error_code ec;
    root_ = fs::weakly_canonical(
        options.root.empty() ? fs::current_path(ec) : fs::path(options.root), ec);
  }

  void Add(const std::string& path) {
    std::error_code ec;
    fs::file_status st = fs::status(path, ec);
    if (ec || !fs::exists(st)) {
      result_.problems.emplace_back(ErrorCode::kNotFound, "no such file or directory",
                                    SourceLocation{path});
      return;
    }
    if (fs::is_directory(st)) {
      Walk(path);
    } else {
      AddFile(path, /*named=*/true);
    }
  }

  IacResult Finish() {
    iac::ReadTerraform(
        terraform_dirs_, options_, [this](const fs::path& p) { return Rel(p); }, &result_.graph,
        &result_);
    SortResult(&result_);
    result_.graph.Freeze();
    return std::move(result_);
  }

 private:
  std::string Rel(const fs::path& p) const {
    std::error_code ec;
    fs::path abs = fs::weakly_canonical(p, ec);
    if (ec) abs = fs::absolute(p, ec);
    fs::path rel = abs.lexically_relative(root_);
    if (rel.empty() || *rel.begin() == "..") return abs.generic_string();
    return rel.generic_string();
  }

  void Walk(const fs::path& dir) {
    std::error_code ec;
    std::vector<fs::directory_entry> entries;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      entries.push_back(*it);
    }
    if (ec) {
      result_.problems.emplace_back(ErrorCode::kIo, ec.message(), SourceLocation{Rel(dir)});
      return;
    }
    std::sort(entries.begin(), entries.end(),
              [](const auto& a, const auto& b) { return a.path() < b.path(); });
    for (const fs::directory_entry& e : entries) {
      std::string name = e.path().filename().string();
      if (e.is_directory(ec)) {
        if (name.starts_with(".") || name == "node_modules") continue;
        // CDK copies asset sources (Lambda code, Docker contexts) into cdk.out/asset.*.
        if (name.starts_with("asset.") && e.path().parent_path().filename() == "cdk.out") continue;
        Walk(e.path());
      } else if (e.is_regular_file(ec) && IsCandidate(name)) {
        AddFile(e.path(), /*named=*/false);
      }
    }
  }

  void AddFile(const fs::path& path, bool named) {
    std::string rel = Rel(path);
    if (iac::IsTerraformFile(rel)) {
      fs::path dir = path.parent_path().empty() ? fs::path(".") : path.parent_path();
      std::error_code ec;
      fs::path canonical = fs::weakly_canonical(dir, ec);
      terraform_dirs_.insert(ec ? dir : canonical);
      return;
    }
    if (!seen_.insert(rel).second) return;
    std::error_code ec;
    uintmax_t size = fs::file_size(path, ec);
    if (!ec && size > options_.max_file_bytes) {
      if (named || FileLooksLikeOurs(path)) {
        result_.problems.emplace_back(
            ErrorCode::kUnsupported,
            fmt::format("file is larger than {} bytes; not read", options_.max_file_bytes),
            SourceLocation{rel});
      }
      return;
    }
    std::string text;
    if (!ReadFileToString(path.string(), &text)) {
      result_.problems.emplace_back(ErrorCode::kIo, "cannot read file", SourceLocation{rel});
      return;
    }
    ReadDocumentFile(text, rel, named, options_, &result_.graph, &result_);
  }

  const IacOptions& options_;
  fs::path root_;
  IacResult result_;
  std::set<std::string> seen_;
  std::set<fs::path> terraform_dirs_;
};

}  // namespace

IacResult LoadIac(const std::vector<std::string>& paths, const IacOptions& options) {
  Loader loader(options);
  for (const std::string& p : paths) loader.Add(p);
  return loader.Finish();
}

IacResult LoadIacText(std::string_view text, std::string_view name, const IacOptions& options) {
  IacResult result;
  std::string file(name);
  if (iac::IsTerraformFile(name)) {
    iac::ReadTerraformText(text, file, options, &result.graph, &result);
  } else {
    ReadDocumentFile(text, file, /*named=*/true, options, &result.graph, &result);
  }
  SortResult(&result);
  result.graph.Freeze();
  return result;
}

}  // namespace ecsguard::ingest
