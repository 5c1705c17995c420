#include "ingest/iac/hcl/value.h"

#include <algorithm>

#include "ingest/iac/hcl/number.h"

namespace ecsguard::ingest::hcl {
namespace {

size_t AddSize(size_t a, size_t b) { return a > SIZE_MAX - b ? SIZE_MAX : a + b; }

}  // namespace

const std::string& Value::text() const {
  static const std::string kEmpty;
  return text_ ? *text_ : kEmpty;
}

Value Value::Bool(bool b) {
  Value v;
  v.kind_ = Kind::kBool;
  v.bool_ = b;
  return v;
}

Value Value::Number(std::string text) {
  Value v;
  v.kind_ = Kind::kNumber;
  v.size_ = text.size();
  v.text_ = std::make_shared<const std::string>(std::move(text));
  return v;
}

Value Value::Integer(int64_t n) { return Number(std::to_string(n)); }

Value Value::String(std::string s) {
  Value v;
  v.kind_ = Kind::kString;
  v.size_ = s.size();
  v.text_ = std::make_shared<const std::string>(std::move(s));
  return v;
}

Value Value::Tuple(std::vector<Value> elements) {
  Value v;
  v.kind_ = Kind::kTuple;
  for (const Value& e : elements) v.size_ = AddSize(v.size_, AddSize(e.size_, kElementSize));
  v.elements_ = std::make_shared<const std::vector<Value>>(std::move(elements));
  return v;
}

Value Value::Object(std::vector<Attribute> attributes) {
  Value v;
  v.kind_ = Kind::kObject;
  std::stable_sort(attributes.begin(), attributes.end(),
                   [](const Attribute& a, const Attribute& b) { return a.first < b.first; });
  // Keep the last of equal keys.
  std::vector<Attribute> unique;
  unique.reserve(attributes.size());
  for (auto& attr : attributes) {
    if (!unique.empty() && unique.back().first == attr.first) {
      unique.back().second = std::move(attr.second);
    } else {
      unique.push_back(std::move(attr));
    }
  }
  for (const auto& [k, e] : unique) {
    v.size_ = AddSize(v.size_, AddSize(AddSize(k.size(), e.size_), kElementSize));
  }
  v.attributes_ = std::make_shared<const std::vector<Attribute>>(std::move(unique));
  return v;
}

Value Value::Unknown(std::string reason) {
  Value v;
  v.kind_ = Kind::kUnknown;
  v.text_ = std::make_shared<const std::string>(std::move(reason));
  return v;
}

std::string Value::number_decimal() const {
  std::optional<std::string> plain = NormalizeDecimal(text());
  return plain ? *plain : text();
}

double Value::number_double() const { return ParseDouble(text()).value_or(0); }

const std::vector<Value>& Value::elements() const {
  static const std::vector<Value> kNone;
  return elements_ ? *elements_ : kNone;
}

const std::vector<Value::Attribute>& Value::attributes() const {
  static const std::vector<Attribute> kNone;
  return attributes_ ? *attributes_ : kNone;
}

const Value* Value::Find(std::string_view key) const {
  const std::vector<Attribute>& attrs = attributes();
  auto it = std::lower_bound(attrs.begin(), attrs.end(), key,
                             [](const Attribute& a, std::string_view k) { return a.first < k; });
  if (it == attrs.end() || it->first != key) return nullptr;
  return &it->second;
}

const Value* Value::FirstUnknown() const {
  switch (kind_) {
    case Kind::kUnknown:
      return this;
    case Kind::kTuple:
      for (const Value& e : elements()) {
        if (const Value* u = e.FirstUnknown()) return u;
      }
      return nullptr;
    case Kind::kObject:
      for (const auto& [k, e] : attributes()) {
        if (const Value* u = e.FirstUnknown()) return u;
      }
      return nullptr;
    default:
      return nullptr;
  }
}

bool Value::operator==(const Value& other) const {
  if (kind_ != other.kind_) return false;
  switch (kind_) {
    case Kind::kNull:
      return true;
    case Kind::kBool:
      return bool_ == other.bool_;
    case Kind::kNumber: {
      std::string a = number_decimal(), b = other.number_decimal();
      return a == b || ((a == "0" || a == "-0") && (b == "0" || b == "-0"));
    }
    case Kind::kString:
      return text() == other.text();
    case Kind::kTuple:
      return elements() == other.elements();
    case Kind::kObject:
      return attributes() == other.attributes();
    case Kind::kUnknown:
      return false;
  }
  return false;
}

std::string_view Value::KindName(Kind kind) {
  switch (kind) {
    case Kind::kNull:
      return "null";
    case Kind::kBool:
      return "bool";
    case Kind::kNumber:
      return "number";
    case Kind::kString:
      return "string";
    case Kind::kTuple:
      return "tuple";
    case Kind::kObject:
      return "object";
    case Kind::kUnknown:
      return "unknown";
  }
  return "?";
}

}  // namespace ecsguard::ingest::hcl
