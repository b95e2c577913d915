// Status and Result: the core's error values.
//
// The core never lets an exception cross its public boundary (STYLE.md): every
// operation that can fail returns a Status (code + human message) or a
// Result<T> holding either a value or a Status. Codes are short, stable
// snake_case strings because they travel over the wire in `error` and `ack`
// messages and tests match on them.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace psc {

class Status {
 public:
  Status() = default;  // ok
  static Status ok() { return Status(); }
  static Status error(std::string code, std::string message) {
    Status s;
    s.code_ = std::move(code);
    s.message_ = std::move(message);
    return s;
  }

  bool is_ok() const { return code_.empty(); }
  explicit operator bool() const { return is_ok(); }
  const std::string& code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  std::string code_;  // empty means ok
  std::string message_;
};

template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}  // NOLINT: implicit by design

  bool is_ok() const { return value_.has_value(); }
  explicit operator bool() const { return is_ok(); }
  // REQUIRES: is_ok()
  T& value() { return *value_; }
  const T& value() const { return *value_; }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  // The error; an ok Status when is_ok().
  const Status& status() const { return status_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace psc
