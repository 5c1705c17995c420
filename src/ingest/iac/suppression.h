#pragma once

// Inline suppressions: `ecsguard:ignore` comments and CloudFormation Metadata entries, parsed
// faithfully (validity — reason, owner, expiry — is the caller's decision).

#include <string>
#include <string_view>
#include <vector>

#include "ingest/iac/document.h"
#include "ingest/iac/iac.h"

namespace ecsguard::ingest::iac {

// The lines a resource occupies (1-based, inclusive).
struct ResourceSpan {
  std::string id;
  uint32_t first_line = 0;
  uint32_t last_line = 0;
};

enum class CommentSyntax : uint8_t { kYaml, kHcl };

// Finds `ecsguard:ignore` comments in `text` and attaches each to the resource it sits in or
// directly above (only blank or comment lines in between). A comment attached to no resource is
// a problem.
void AttachIgnoreComments(std::string_view text, CommentSyntax syntax, const std::string& file,
                          std::vector<ResourceSpan> spans, IacResult* result);

// Reads `ignore` (a list of {id, reason, owner, expires} maps, or one such map) from a
// CloudFormation resource's `Metadata.ecsguard`.
void ReadMetadataIgnores(const Node& metadata, const std::string& resource_id,
                         const std::string& file, IacResult* result);

// The largest line number in `n`'s subtree (its end, for span purposes).
uint32_t LastLine(const Node& n);

}  // namespace ecsguard::ingest::iac
