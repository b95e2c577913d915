#include "login_throttle.hpp"

#include <algorithm>

namespace psc::server {

int64_t LoginThrottle::retry_after_ms(const std::string& key, int64_t now_ms) const {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return 0;
  return std::max<int64_t>(0, it->second.locked_until - now_ms);
}

void LoginThrottle::record_failure(const std::string& key, int64_t now_ms, int free_failures) {
  std::lock_guard lock(mutex_);
  if (entries_.size() > 100'000) entries_.clear();  // bound memory under a spray of usernames
  Entry& e = entries_[key];
  ++e.failures;
  if (e.failures > free_failures) {
    const int doublings = std::min(e.failures - free_failures - 1, 20);
    e.locked_until = now_ms + std::min<int64_t>(int64_t{1000} << doublings, kMaxLockMs);
  }
}

void LoginThrottle::record_success(const std::string& key) {
  std::lock_guard lock(mutex_);
  entries_.erase(key);
}

}  // namespace psc::server
