#pragma once

// A small, safe XML reader for AWS query-protocol responses: it returns a tree of elements with
// their text and nothing else (attributes and namespaces are dropped; names lose their prefix).
// Built on expat. Documents with a DOCTYPE are rejected outright, so no entity can be declared,
// expanded or fetched; depth and size are bounded.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace ecsguard::ingest::aws {

struct XmlElement {
  std::string name;  // local name: "DescribeInstancesResponse"
  std::string text;  // character data directly inside; trimmed when the element has children
  std::vector<XmlElement> children;

  // The first child called `name`, or nullptr.
  const XmlElement* Child(std::string_view name) const;
  // Every child called `name`, in document order.
  std::vector<const XmlElement*> Children(std::string_view name) const;
  // The text of the first child called `name`; "" when there is none.
  std::string_view ChildText(std::string_view name) const;
  // Follows child names separated by '/': Find("Errors/Error/Code"); nullptr when missing.
  const XmlElement* Find(std::string_view path) const;
};

struct XmlLimits {
  size_t max_bytes = size_t{256} << 20;
  size_t max_depth = 64;
};

// Errors: kParse with the line and column, for malformed XML, a DOCTYPE, or a limit exceeded.
Result<XmlElement> ParseXml(std::string_view text, const XmlLimits& limits = {});

}  // namespace ecsguard::ingest::aws
