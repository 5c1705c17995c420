#include "ingest/iac/suppression.h"

#include <fmt/format.h>

#include <algorithm>

#include "base/strings.h"

namespace ecsguard::ingest::iac {
namespace {

constexpr std::string_view kMarker = "ecsguard:ignore";

struct Comment {
  uint32_t line = 0;
  uint32_t column = 0;    // of the marker
  std::string_view body;  // after the marker
};

// Whether a YAML scalar can start at `i`: after `key: `, `- `, `[`, `{`, `,` or at line start.
bool YamlScalarStartsAt(std::string_view line, size_t i) {
  std::string_view before = line.substr(0, i);
  size_t prev = before.find_last_not_of(" \t");
  if (prev == std::string_view::npos) return true;
  char p = before[prev];
  if (p == '[' || p == '{' || p == ',') return true;
  return (p == ':' || p == '-' || p == '?') && prev + 1 < i;  // followed by a space
}

// Where a comment starts on `line`, or npos. Quoted strings are skipped so that '#' inside one
// is not taken for a comment; in YAML a quote only opens a string where a scalar can start
// (so the apostrophe in `Description: Don't` does not).
size_t CommentStart(std::string_view line, CommentSyntax syntax) {
  char quote = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quote) {
      if (c == '\\' && quote == '"') {
        ++i;
      } else if (c == quote) {
        quote = 0;
      }
      continue;
    }
    if (c == '"' || (c == '\'' && syntax == CommentSyntax::kYaml)) {
      if (syntax == CommentSyntax::kHcl || YamlScalarStartsAt(line, i)) quote = c;
      continue;
    }
    if (c == '#' &&
        (syntax == CommentSyntax::kHcl || i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) {
      return i;
    }
    if (syntax == CommentSyntax::kHcl && c == '/' && i + 1 < line.size() &&
        (line[i + 1] == '/' || line[i + 1] == '*')) {
      return i;
    }
  }
  return std::string_view::npos;
}

bool IsBlankOrComment(std::string_view line, CommentSyntax syntax) {
  std::string_view t = Trim(line);
  return t.empty() || CommentStart(t, syntax) == 0;
}

// `<control> key="value" key=value ...`
Suppression ParseBody(std::string_view body) {
  Suppression s;
  size_t i = 0;
  auto skip_space = [&] {
    while (i < body.size() && (body[i] == ' ' || body[i] == '\t')) ++i;
  };
  skip_space();
  size_t start = i;
  while (i < body.size() && body[i] != ' ' && body[i] != '\t' && body[i] != '=') ++i;
  if (i < body.size() && body[i] == '=') {
    i = start;  // no control id: the first word is already a key
  } else {
    s.control_id = std::string(body.substr(start, i - start));
  }
  while (true) {
    skip_space();
    if (i >= body.size() || body.substr(i).starts_with("*/")) break;
    size_t key_start = i;
    while (i < body.size() && body[i] != '=' && body[i] != ' ' && body[i] != '\t') ++i;
    std::string key = ToLower(body.substr(key_start, i - key_start));
    std::string value;
    if (i < body.size() && body[i] == '=') {
      ++i;
      if (i < body.size() && (body[i] == '"' || body[i] == '\'')) {
        char q = body[i++];
        size_t end = body.find(q, i);
        if (end == std::string_view::npos) end = body.size();
        value = std::string(body.substr(i, end - i));
        i = std::min(end + 1, body.size());
      } else {
        size_t v_start = i;
        while (i < body.size() && body[i] != ' ' && body[i] != '\t') ++i;
        value = std::string(body.substr(v_start, i - v_start));
      }
    }
    if (key == "reason") s.reason = value;
    if (key == "owner") s.owner = value;
    if (key == "expires") s.expires = value;
  }
  return s;
}

}  // namespace

uint32_t LastLine(const Node& n) {
  uint32_t last = n.pos.line;
  for (const Node& child : n.items) last = std::max(last, LastLine(child));
  for (const Position& p : n.key_pos) last = std::max(last, p.line);
  return last;
}

void AttachIgnoreComments(std::string_view text, CommentSyntax syntax, const std::string& file,
                          std::vector<ResourceSpan> spans, IacResult* result) {
  if (text.find(kMarker) == std::string_view::npos) return;
  std::vector<std::string_view> lines = Split(text, '\n');
  std::sort(spans.begin(), spans.end(), [](const ResourceSpan& a, const ResourceSpan& b) {
    return a.first_line < b.first_line;
  });
  for (size_t li = 0; li < lines.size(); ++li) {
    std::string_view line = lines[li];
    size_t at = CommentStart(line, syntax);
    if (at == std::string_view::npos) continue;
    size_t marker = line.find(kMarker, at);
    if (marker == std::string_view::npos) continue;
    uint32_t line_no = static_cast<uint32_t>(li + 1);
    Suppression s = ParseBody(line.substr(marker + kMarker.size()));
    s.location = {file, line_no, static_cast<uint32_t>(marker + 1)};
    // Inside a resource, or directly above one.
    const ResourceSpan* target = nullptr;
    for (const ResourceSpan& span : spans) {
      if (line_no >= span.first_line && line_no <= span.last_line) target = &span;
    }
    if (!target) {
      for (const ResourceSpan& span : spans) {
        if (span.first_line <= line_no) continue;
        bool adjacent = true;
        for (uint32_t l = line_no + 1; l < span.first_line && adjacent; ++l) {
          adjacent = IsBlankOrComment(lines[l - 1], syntax);
        }
        if (adjacent) target = &span;
        break;
      }
    }
    if (!target) {
      result->problems.emplace_back(
          ErrorCode::kValidation,
          "ecsguard:ignore comment is not inside or directly above a resource", s.location);
      continue;
    }
    // Every instance of the block (Terraform count/for_each) shares its lines.
    for (const ResourceSpan& span : spans) {
      if (span.first_line != target->first_line || span.last_line != target->last_line) continue;
      Suppression copy = s;
      copy.resource_id = span.id;
      result->suppressions.push_back(std::move(copy));
    }
  }
}

void ReadMetadataIgnores(const Node& metadata, const std::string& resource_id,
                         const std::string& file, IacResult* result) {
  const Node* ecsguard = metadata.Find("ecsguard");
  if (!ecsguard) return;
  const Node* ignore = ecsguard->Find("ignore");
  if (!ignore) {
    result->problems.emplace_back(ErrorCode::kValidation, "Metadata.ecsguard has no `ignore` list",
                                  SourceLocation{file, ecsguard->pos.line, ecsguard->pos.column});
    return;
  }
  std::vector<const Node*> entries;
  if (ignore->is_list()) {
    for (const Node& e : ignore->items) entries.push_back(&e);
  } else {
    entries.push_back(ignore);
  }
  for (const Node* e : entries) {
    Suppression s;
    s.resource_id = resource_id;
    s.location = {file, e->pos.line, e->pos.column};
    if (e->is_scalar()) {
      s.control_id = e->text;
    } else if (e->is_map()) {
      auto text = [&](std::string_view key) {
        const Node* v = e->Find(key);
        return v && v->is_scalar() && v->kind != Node::Kind::kNull ? v->text : std::string();
      };
      s.control_id = text("id");
      s.reason = text("reason");
      s.owner = text("owner");
      s.expires = text("expires");
    } else {
      result->problems.emplace_back(ErrorCode::kValidation,
                                    "Metadata.ecsguard.ignore entry is not a map", s.location);
      continue;
    }
    result->suppressions.push_back(std::move(s));
  }
}

}  // namespace ecsguard::ingest::iac
