#pragma once

// Values produced by the static evaluator: the HCL information model reduced to what a scanner
// needs (null, bool, number, string, tuple/list, object/map), plus Unknown: a value that cannot
// be known before `terraform apply`, carrying the reason ("var.image has no default") so callers
// report NOT_EVALUATED instead of guessing. Numbers keep their decimal text, never rounded.
// Strings and collections are shared and immutable, so copying a value is cheap whatever its
// size; size() is what the value would take if written out, which budgets check (eval.h).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ecsguard::ingest::hcl {

class Value {
 public:
  enum class Kind : uint8_t { kNull, kBool, kNumber, kString, kTuple, kObject, kUnknown };
  using Attribute = std::pair<std::string, Value>;

  Value() = default;  // null
  static Value Null() { return Value(); }
  static Value Bool(bool b);
  // `text` is decimal number text as written ("1.50", "1e3"); callers validate it.
  static Value Number(std::string text);
  static Value Integer(int64_t n);
  static Value String(std::string s);
  static Value Tuple(std::vector<Value> elements);
  // Keys are sorted; for duplicate keys the last one wins.
  static Value Object(std::vector<Attribute> attributes);
  static Value Unknown(std::string reason);

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::kNull; }
  bool is_unknown() const { return kind_ == Kind::kUnknown; }

  bool bool_value() const { return bool_; }
  const std::string& number_text() const { return text(); }  // as written
  std::string number_decimal() const;  // normalized plain decimal: "1.5", "1000"
  double number_double() const;
  const std::string& string_value() const { return text(); }
  const std::string& unknown_reason() const { return text(); }
  // String bytes (keys included) plus kElementSize per element, counting a shared part as often
  // as it appears: the cost of converting or encoding the value. Saturates at SIZE_MAX.
  size_t size() const { return size_; }
  static constexpr size_t kElementSize = 64;
  const std::vector<Value>& elements() const;
  const std::vector<Attribute>& attributes() const;

  // The attribute named `key` of an object, or null.
  const Value* Find(std::string_view key) const;
  // This value or the first unknown inside it (depth first), or null when fully known.
  const Value* FirstUnknown() const;

  // Structural equality; numbers compare by value (1.50 == 1.5), unknowns never equal.
  bool operator==(const Value& other) const;

  static std::string_view KindName(Kind kind);

 private:
  const std::string& text() const;

  Kind kind_ = Kind::kNull;
  bool bool_ = false;
  size_t size_ = 0;
  // Shared and immutable, so copying a value (scopes hand them out by value) is cheap.
  std::shared_ptr<const std::string> text_;  // number text, string, or unknown reason
  std::shared_ptr<const std::vector<Value>> elements_;
  std::shared_ptr<const std::vector<Attribute>> attributes_;
};

}  // namespace ecsguard::ingest::hcl
