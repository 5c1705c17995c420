#include "remediate/revision_source.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "base/arn.h"
#include "base/strings.h"

namespace ecsguard::remediate {
namespace {

using nlohmann::ordered_json;
namespace fs = std::filesystem;

bool IsTaskDefinition(const ordered_json& v) {
  return v.is_object() && v.contains("taskDefinitionArn") && v["taskDefinitionArn"].is_string() &&
         v.contains("containerDefinitions");
}

void CollectFiles(const fs::path& path, std::vector<std::string>* files,
                  std::vector<Error>* problems) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    std::vector<fs::path> entries;
    for (const fs::directory_entry& e : fs::directory_iterator(path, ec)) {
      if (e.path().filename().string().starts_with(".")) continue;
      entries.push_back(e.path());
    }
    std::sort(entries.begin(), entries.end());
    for (const fs::path& e : entries) CollectFiles(e, files, problems);
  } else if (fs::exists(path, ec)) {
    files->push_back(path.string());
  } else {
    problems->push_back(Error(ErrorCode::kNotFound, "no such file or directory",
                              SourceLocation{path.string(), 0, 0}));
  }
}

}  // namespace

SnapshotRevisionSource SnapshotRevisionSource::Load(const std::vector<std::string>& paths) {
  SnapshotRevisionSource source;
  std::vector<std::string> files;
  for (const std::string& p : paths) CollectFiles(p, &files, &source.problems_);
  for (const std::string& file : files) {
    std::string text;
    if (!ReadFileToString(file, &text)) {
      source.problems_.push_back(Error(ErrorCode::kIo, "cannot read", SourceLocation{file, 0, 0}));
      continue;
    }
    source.AddText(text, file);
  }
  return source;
}

void SnapshotRevisionSource::AddText(std::string_view text, std::string_view name) {
  // One JSON document, JSON Lines and concatenated documents alike: read values until the end.
  std::istringstream in{std::string(text)};
  while (true) {
    in >> std::ws;
    if (in.peek() == std::char_traits<char>::eof()) break;
    ordered_json value;
    try {
      in >> value;
    } catch (const nlohmann::json::exception&) {
      // No position or excerpt: the text may hold environment values.
      problems_.push_back(Error(ErrorCode::kParse,
                                "not valid JSON; task definitions after this "
                                "point of the file were not indexed",
                                SourceLocation{std::string(name), 0, 0}));
      break;
    }
    Index(value, name);
  }
}

void SnapshotRevisionSource::Index(const ordered_json& value, std::string_view name) {
  if (value.is_array()) {
    for (const ordered_json& item : value) Index(item, name);
    return;
  }
  if (!value.is_object()) return;
  RevisionDocument doc;
  if (value.contains("taskDefinition") && IsTaskDefinition(value["taskDefinition"])) {
    doc.task_definition = value["taskDefinition"];
    if (value.contains("tags") && value["tags"].is_array()) {
      doc.tags = value["tags"];
      doc.tags_known = true;
    }
  } else if (IsTaskDefinition(value)) {
    doc.task_definition = value;
  } else {
    // Paginated or wrapped outputs: {"taskDefinitions": [...]} and the like.
    for (auto it = value.begin(); it != value.end(); ++it) {
      if (it.value().is_array()) Index(it.value(), name);
    }
    return;
  }
  std::string arn = doc.task_definition["taskDefinitionArn"].get<std::string>();
  auto existing = documents_.find(arn);
  // The same revision seen twice: keep the copy that knows its tags.
  if (existing != documents_.end() && existing->second.tags_known && !doc.tags_known) return;
  documents_[arn] = std::move(doc);
}

Result<RevisionDocument> SnapshotRevisionSource::Get(std::string_view arn) {
  auto it = documents_.find(arn);
  if (it == documents_.end()) {
    return Error(ErrorCode::kNotFound,
                 fmt::format("{}: no describe-task-definition output for it in the snapshot", arn));
  }
  return it->second;
}

Result<RevisionDocument> ParseDescribeTaskDefinition(std::string_view body) {
  ordered_json value = ordered_json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded() || !value.is_object() || !value.contains("taskDefinition") ||
      !IsTaskDefinition(value["taskDefinition"])) {
    return Error(ErrorCode::kParse, "DescribeTaskDefinition: unexpected answer");
  }
  RevisionDocument doc;
  doc.task_definition = value["taskDefinition"];
  if (value.contains("tags") && value["tags"].is_array()) doc.tags = value["tags"];
  doc.tags_known = true;  // asked with include TAGS: no "tags" means none
  return doc;
}

Result<RevisionDocument> LiveRevisionSource::Get(std::string_view arn) {
  std::optional<Arn> parsed = ParseArn(arn);
  if (!parsed) return Error(ErrorCode::kInvalidArgument, fmt::format("{}: not an ARN", arn));
  ASSIGN_OR_RETURN(ingest::aws::Client * ecs, clients_->For(parsed->account_id, parsed->region));
  ordered_json request = {{"taskDefinition", std::string(arn)}, {"include", {"TAGS"}}};
  Result<std::string> body = ecs->CallJson("DescribeTaskDefinition", request.dump());
  if (!body.ok()) return std::move(body).error();
  return ParseDescribeTaskDefinition(*body);
}

}  // namespace ecsguard::remediate
