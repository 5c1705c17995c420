#include "graph/redact.h"

#include <algorithm>
#include <cassert>
#include <nlohmann/json.hpp>

#include "base/strings.h"

namespace ecsguard::graph {
namespace {

const TypeDef* TypeByLabel(const Schema& schema, std::string_view label) {
  for (const TypeDef& t : schema.types()) {
    if (t.label == label) return &t;
  }
  return nullptr;
}

std::string_view AwsKey(const FieldDef& f) { return f.aws_field.empty() ? f.name : f.aws_field; }

// Applies `on_value` to each value the rules name, anywhere in `j`.
template <typename Json, typename F>
void Walk(const std::vector<Redactor::Rule>& rules, Json& j, const F& on_value) {
  if (j.is_array()) {
    for (Json& item : j) Walk(rules, item, on_value);
    return;
  }
  if (!j.is_object()) return;
  for (auto& [key, value] : j.items()) {
    for (const Redactor::Rule& rule : rules) {
      if (!EqualsIgnoreCase(key, rule.container_key)) continue;
      auto redact_entry = [&](Json& entry) {
        if (!entry.is_object()) return;
        for (auto& [entry_key, entry_value] : entry.items()) {
          for (const std::string& sensitive : rule.sensitive_keys) {
            if (EqualsIgnoreCase(entry_key, sensitive)) on_value(entry_value);
          }
        }
      };
      if (value.is_array()) {
        for (Json& entry : value) redact_entry(entry);
      } else {
        redact_entry(value);
      }
    }
    Walk(rules, value, on_value);
  }
}

template <typename Json>
void RedactAll(const std::vector<Redactor::Rule>& rules, Json* document) {
  Walk(rules, *document, [](Json& value) { value = std::string(kRedacted); });
}

}  // namespace

bool IsSensitive(const Schema& schema, std::string_view label, std::string_view path,
                 std::string_view field) {
  const TypeDef* type = TypeByLabel(schema, label);
  if (!path.empty()) {
    for (std::string_view step : Split(path, '.')) {
      const FieldDef* rel = type ? type->Field(step) : nullptr;
      if (!rel || rel->kind != FieldDef::Kind::kRelationship) return false;
      type = schema.Type(rel->type_name);
    }
  }
  const FieldDef* def = type ? type->Field(field) : nullptr;
  return def && def->sensitive;
}

Redactor::Redactor(const Schema& schema) {
  for (const TypeDef& t : schema.types()) {
    for (const FieldDef& f : t.fields) {
      if (f.kind != FieldDef::Kind::kRelationship) continue;
      const TypeDef* target = schema.Type(f.type_name);
      if (!target) continue;
      Rule rule{std::string(AwsKey(f)), {}};
      for (const FieldDef& g : target->fields) {
        if (g.sensitive) rule.sensitive_keys.emplace_back(AwsKey(g));
      }
      bool known = std::any_of(rules_.begin(), rules_.end(), [&](const Rule& r) {
        return r.container_key == rule.container_key && r.sensitive_keys == rule.sensitive_keys;
      });
      if (!rule.sensitive_keys.empty() && !known) rules_.push_back(std::move(rule));
    }
  }
}

void Redactor::Redact(nlohmann::json* document) const { RedactAll(rules_, document); }
void Redactor::Redact(nlohmann::ordered_json* document) const { RedactAll(rules_, document); }

Result<std::string> Redactor::RedactJsonText(std::string_view json_text) const {
  nlohmann::json j = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Error(ErrorCode::kInvalidArgument, "the body is not JSON");
  Redact(&j);
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string Redactor::ScrubText(std::string_view text,
                                const nlohmann::ordered_json& document) const {
  std::vector<std::string> values;
  nlohmann::ordered_json copy = document;
  Walk(rules_, copy, [&](nlohmann::ordered_json& value) {
    std::string raw = value.is_string() ? value.get<std::string>() : value.dump();
    if (raw.empty()) return;
    // An error message may quote the document as JSON, escaping the value.
    std::string escaped = nlohmann::ordered_json(raw).dump(
        -1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    escaped = escaped.substr(1, escaped.size() - 2);
    values.push_back(raw);
    if (escaped != raw) values.push_back(std::move(escaped));
  });
  if (values.empty()) return std::string(text);
  // Mark every byte any occurrence covers, then write each covered run as one placeholder.
  std::vector<bool> covered(text.size(), false);
  for (const std::string& v : values) {
    for (size_t at = text.find(v); at != std::string_view::npos; at = text.find(v, at + 1)) {
      std::fill(covered.begin() + static_cast<std::ptrdiff_t>(at),
                covered.begin() + static_cast<std::ptrdiff_t>(at + v.size()), true);
    }
  }
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (!covered[i]) {
      out += text[i];
    } else if (i == 0 || !covered[i - 1]) {
      out += kRedacted;
    }
  }
  return out;
}

const Schema& BuiltinSchema() {
  static const Schema schema = [] {
    Result<Schema> parsed = Schema::Parse(BuiltinSchemaText(), "schemas/aws.graphql");
    // The bundled schema is parsed by the unit tests; failing here is a build defect.
    assert(parsed.ok());
    return std::move(parsed).value();
  }();
  return schema;
}

const Redactor& BuiltinRedactor() {
  static const Redactor redactor(BuiltinSchema());
  return redactor;
}

}  // namespace ecsguard::graph
