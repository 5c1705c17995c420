#pragma once

// ingest/iac/hcl: HCL2 native syntax (Terraform .tf files) without HashiCorp's Go library.
//
// Parse() turns text into a syntax tree (ast.h) whose every node has its line, column and byte
// offset; it never gives up on a whole file: errors (kParse, file:line:column) are collected
// and parsing resumes at the next top-level block. Evaluate() computes what is statically
// knowable of an expression (eval.h), with references resolved through a caller's Scope and
// anything else reported as Value::Unknown with a reason. ToHcl2JsonView() reproduces the JSON
// that @cdktf/hcl2json prints for a file (json_view.h); EncodeJson()/DecodeJson() give values
// Terraform's jsonencode/jsondecode semantics (json.h). Everything here is thread-compatible:
// distinct files parse and evaluate concurrently; nothing prints, exits or throws.
//
//   hcl::File file = hcl::Parse(text, "main.tf");
//   for (const Error& e : file.errors) Report(e);          // the rest of the file still parsed
//   hcl::MapScope scope;                                    // var.*, local.*, path.*
//   scope.Set("var", hcl::Value::Object({{"image", hcl::Value::Unknown("var.image has no
//   default")}})); Result<hcl::Value> v =
//   hcl::Evaluate(*file.body.blocks[0].body.attributes[0].expr, {&scope});

#include "ingest/iac/hcl/ast.h"
#include "ingest/iac/hcl/eval.h"
#include "ingest/iac/hcl/json.h"
#include "ingest/iac/hcl/json_view.h"
#include "ingest/iac/hcl/parser.h"
#include "ingest/iac/hcl/types.h"
#include "ingest/iac/hcl/value.h"
