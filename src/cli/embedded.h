#pragma once

#include <string_view>
#include <vector>

namespace ecsguard::cli {

// The bundled schema and control catalog, compiled into the binary so it runs from anywhere.
struct EmbeddedFile {
  std::string_view path;  // repository-relative, e.g. "controls/aws-ecs-1-strict.yaml"
  std::string_view text;
};

std::string_view EmbeddedSchema();
const std::vector<EmbeddedFile>& EmbeddedControls();

}  // namespace ecsguard::cli
