// LoginThrottle: slows down password guessing, per account (and per address
// for kiosk codes). The first few failures are free; after that each failure
// doubles the wait before the next attempt is even checked, up to 15 minutes.
// A success clears the account's record. In memory: a restart forgives, which
// is acceptable for a single city-wide server.
//
// Thread-safety: none; the network thread owns it.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>

namespace psc::server {

class LoginThrottle {
 public:
  static constexpr int kFreeFailures = 5;
  static constexpr int64_t kMaxLockMs = 15 * 60 * 1000;

  // 0 when an attempt for `key` may be checked now; otherwise ms to wait.
  int64_t retry_after_ms(const std::string& key, int64_t now_ms) const;
  void record_failure(const std::string& key, int64_t now_ms);
  void record_success(const std::string& key);

 private:
  struct Entry {
    int failures = 0;
    int64_t locked_until = 0;
  };
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace psc::server
