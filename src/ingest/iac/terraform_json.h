#pragma once

// Terraform's JSON syntax (`*.tf.json`, e.g. CDKTF's cdk.tf.json) read into the syntax tree a
// `.tf` file parses into, so that both kinds of file mix in one module with one meaning
// (https://developer.hashicorp.com/terraform/language/syntax/json): top-level properties are
// block types, nested by as many objects as the type has labels (`resource` two, `module` one,
// `locals` none), a block body may be an array of bodies (repeated blocks), and `"//"`
// properties of a body are comments. Inside an argument, strings are templates
// ("${var.mode}"), except where Terraform reads a literal (a variable's `default`, a module's
// `source`) or an expression (a variable's `type`). Nested blocks are known by name for the
// blocks ecsguard reads (`lifecycle`, `dynamic`, the task definition's `volume`, ...).

#include <string>

#include "ingest/iac/hcl/parser.h"

namespace ecsguard::ingest::iac {

// Errors (kParse, line and column, no file) are invalid JSON, which leaves the body empty, and
// invalid templates or a root that is not an object.
hcl::File ParseTerraformJson(std::string text, std::string filename);

}  // namespace ecsguard::ingest::iac
