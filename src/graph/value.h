#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace ecsguard::graph {

// A property value: null, Boolean, 64-bit integer, double, string, or a list of those.
// A Value is a 16-byte view: strings and list items live in the arena of the Graph (or other
// owner) that made them, and stay valid as long as that owner lives.
class Value {
 public:
  enum class Kind : uint8_t { kNull, kBool, kInt, kFloat, kString, kList };

  Value() : kind_(Kind::kNull), n_(0), i_(0) {}
  static Value Bool(bool b) {
    Value v;
    v.kind_ = Kind::kBool;
    v.i_ = b;
    return v;
  }
  static Value Int(int64_t i) {
    Value v;
    v.kind_ = Kind::kInt;
    v.i_ = i;
    return v;
  }
  static Value Float(double f) {
    Value v;
    v.kind_ = Kind::kFloat;
    v.f_ = f;
    return v;
  }
  // The caller guarantees that `s` outlives the Value (use Graph::String to copy).
  static Value StringView(std::string_view s) {
    Value v;
    v.kind_ = Kind::kString;
    v.n_ = static_cast<uint32_t>(s.size());
    v.s_ = s.data();
    return v;
  }
  static Value ListView(std::span<const Value> items) {
    Value v;
    v.kind_ = Kind::kList;
    v.n_ = static_cast<uint32_t>(items.size());
    v.l_ = items.data();
    return v;
  }

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::kNull; }
  bool is_number() const { return kind_ == Kind::kInt || kind_ == Kind::kFloat; }
  bool as_bool() const { return i_ != 0; }
  int64_t as_int() const { return i_; }
  double as_float() const { return f_; }
  double as_number() const { return kind_ == Kind::kInt ? static_cast<double>(i_) : f_; }
  std::string_view as_string() const { return {s_, n_}; }
  std::span<const Value> as_list() const { return {l_, n_}; }

 private:
  Kind kind_;
  uint32_t n_;
  union {
    int64_t i_;
    double f_;
    const char* s_;
    const Value* l_;
  };
};

// Cypher equality in three-valued logic, as the query language uses it (QUERY-LANGUAGE.md §4):
// null on either side is unknown; ints and floats compare numerically; different kinds are
// false; lists compare element by element.
enum class Tri : uint8_t { kFalse, kTrue, kNull };
Tri CypherEquals(const Value& a, const Value& b);

}  // namespace ecsguard::graph
