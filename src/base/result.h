#pragma once

#include <cassert>
#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

#include "base/error.h"

namespace ecsguard {

// A value or an Error, in the manner of std::expected (which GCC 12 lacks in C++20 mode).
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& {
    assert(!ok());
    return std::get<1>(v_);
  }
  Error&& error() && {
    assert(!ok());
    return std::get<1>(std::move(v_));
  }

 private:
  std::variant<T, Error> v_;
};

struct Ok {};

// Result<void>: success carries nothing.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Ok) {}                                                  // NOLINT
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const& {
    assert(!ok_);
    return *error_;
  }
  Error&& error() && {
    assert(!ok_);
    return std::move(*error_);
  }

 private:
  std::optional<Error> error_;
  bool ok_ = true;
};

}  // namespace ecsguard

#define ECSGUARD_CONCAT_INNER(a, b) a##b
#define ECSGUARD_CONCAT(a, b) ECSGUARD_CONCAT_INNER(a, b)

// RETURN_IF_ERROR(expr): propagates the Error of a Result<...> expression.
#define RETURN_IF_ERROR(expr)                                               \
  do {                                                                      \
    auto ecsguard_status_ = (expr);                                         \
    if (!ecsguard_status_.ok()) return std::move(ecsguard_status_).error(); \
  } while (0)

// ASSIGN_OR_RETURN(lhs, expr): `lhs = value of expr`, or propagate its Error.
#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL(ECSGUARD_CONCAT(ecsguard_result_, __LINE__), lhs, expr)
#define ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr)   \
  auto tmp = (expr);                            \
  if (!tmp.ok()) return std::move(tmp).error(); \
  lhs = std::move(tmp).value()
