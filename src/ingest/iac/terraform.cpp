#include "ingest/iac/terraform.h"

namespace ecsguard::ingest::iac {

void ReadTerraform(const std::set<std::filesystem::path>& dirs, const IacOptions&,
                   const std::function<std::string(const std::filesystem::path&)>& rel,
                   graph::Graph*, IacResult* result) {
  for (const auto& d : dirs) {
    result->problems.emplace_back(ErrorCode::kUnsupported, "Terraform is not read yet",
                                  SourceLocation{rel(d)});
  }
}

void ReadTerraformText(std::string_view, const std::string& file, const IacOptions&,
                       graph::Graph*, IacResult* result) {
  result->problems.emplace_back(ErrorCode::kUnsupported, "Terraform is not read yet",
                                SourceLocation{file});
}

}  // namespace ecsguard::ingest::iac
