// Result<T>: a value or a core::Error, shaped like a subset of std::expected
// (has_value(), operator bool, value(), error(), operator->), so it can become
// an alias of std::expected once the toolchain has it. Result<void> carries
// only success or an error.
#pragma once

#include <cassert>
#include <utility>
#include <variant>

#include "core/error.h"

namespace core {

template <typename T>
class [[nodiscard]] Result {
 public:
  // Implicit on purpose, like std::expected: `return value;`, `return error;`.
  Result(T value)  // NOLINT(google-explicit-constructor)
      : data_(std::in_place_index<0>, std::move(value)) {}
  Result(Error error)  // NOLINT(google-explicit-constructor)
      : data_(std::in_place_index<1>, std::move(error)) {}

  bool has_value() const { return data_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  T& value() & {
    assert(has_value());
    return std::get<0>(data_);
  }
  const T& value() const& {
    assert(has_value());
    return std::get<0>(data_);
  }
  T&& value() && {
    assert(has_value());
    return std::get<0>(std::move(data_));
  }
  const Error& error() const {
    assert(!has_value());
    return std::get<1>(data_);
  }

  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Error> data_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  // Implicit on purpose, like std::expected: `return error;`.
  Result(Error error)  // NOLINT(google-explicit-constructor)
      : error_(std::move(error)), ok_(false) {}

  bool has_value() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const {
    assert(!ok_);
    return error_;
  }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;

}  // namespace core
