#pragma once

// Escaping and small text helpers shared by the writers. Every writer passes every value from a
// ScanResult through one of these before it reaches its output, so a hostile title, ARN or file
// name cannot change the structure of a document.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/strings.h"

namespace ecsguard::report::internal {

// Replaces invalid UTF-8 sequences with U+FFFD.
std::string ValidUtf8(std::string_view s);

// XML 1.0 text or attribute value: escapes & < > " ' and replaces the characters XML 1.0
// forbids (C0 controls other than tab, LF and CR; U+FFFE, U+FFFF) with U+FFFD. CR, and in
// attributes tab and LF too, become character references so parsers keep them.
std::string XmlEscape(std::string_view s, bool attribute = true);

// HTML text or quoted attribute value: escapes & < > " ' and replaces C0/C1 controls other than
// tab and LF with U+FFFD.
std::string HtmlEscape(std::string_view s);

// One RFC 4180 field. A value starting with = + - @ tab or CR gets a leading single quote
// (OWASP CSV injection advice); a field holding a comma, quote, CR or LF is quoted, with quotes
// doubled.
std::string CsvField(std::string_view s);

// Markdown prose inside a table cell or a line: backslash-escapes the characters with a meaning
// in GitHub-flavoured Markdown, turns line breaks into spaces.
std::string MarkdownText(std::string_view s);
// An inline code span (for identifiers: no emphasis, links or @mentions inside). Pipes are
// escaped so the span can sit in a table cell.
std::string MarkdownCode(std::string_view s);

// Line breaks and other control characters become spaces (base/strings.h: the remediation
// outputs use it too).
using ::ecsguard::OneLine;

// At most `max_bytes` bytes, cut at a UTF-8 boundary and ending in "..." when cut.
std::string Truncate(std::string_view s, size_t max_bytes);

// Percent-encodes a relative path for a URI (keeps unreserved characters and '/').
std::string UriPath(std::string_view path);

// Standard base64 of raw bytes given as lower-case hex (for CSP hashes of Sha256Hex output).
std::string HexToBase64(std::string_view hex);

}  // namespace ecsguard::report::internal
