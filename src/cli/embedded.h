#pragma once

#include <string_view>
#include <vector>

namespace ecsguard::cli {

// The bundled control catalog, compiled into the binary so it runs from anywhere (the bundled
// schema is graph::BuiltinSchemaText).
struct EmbeddedFile {
  std::string_view path;  // repository-relative, e.g. "controls/aws-ecs-1-strict.yaml"
  std::string_view text;
};

const std::vector<EmbeddedFile>& EmbeddedControls();
// The bundled frameworks (frameworks/*.yaml).
const std::vector<EmbeddedFile>& EmbeddedFrameworks();

}  // namespace ecsguard::cli
