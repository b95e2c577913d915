#include "login_throttle.hpp"

#include <algorithm>

#include "network_thread.hpp"

namespace psc::server {

int64_t LoginThrottle::lock_ms(int failures, int free_failures) {
  if (failures <= free_failures) return 0;
  const int doublings = std::min(failures - free_failures - 1, 20);
  return std::min<int64_t>(int64_t{1000} << doublings, kMaxLockMs);
}

void LoginThrottle::share_through(std::unique_ptr<SqlDatabase> db) {
  std::lock_guard lock(mutex_);
  shared_ = std::move(db);
}

int64_t LoginThrottle::retry_after_ms(const std::string& key, int64_t now_ms) const {
  std::lock_guard lock(mutex_);
  int64_t locked_until = 0;
  if (shared_) {
    forbid_on_network_thread("a shared sign-in throttle query");
    const SqlRows r = shared_->query("SELECT locked_until FROM sign_in_failures WHERE key = $1", {key});
    if (!r.empty()) locked_until = r.integer(0, 0);
  } else if (auto it = entries_.find(key); it != entries_.end()) {
    locked_until = it->second.locked_until;
  }
  return std::max<int64_t>(0, locked_until - now_ms);
}

void LoginThrottle::record_failure(const std::string& key, int64_t now_ms, int free_failures) {
  std::lock_guard lock(mutex_);
  if (shared_) {
    forbid_on_network_thread("a shared sign-in throttle query");
    SqlTransaction tx(*shared_);
    shared_->execute("DELETE FROM sign_in_failures WHERE last_at < $1", {now_ms - kMaxLockMs});
    // One statement counts the failure, whichever server saw the others.
    const SqlRows r = shared_->query(
        "INSERT INTO sign_in_failures(key, failures, locked_until, last_at) VALUES ($1, 1, 0, $2) "
        "ON CONFLICT (key) DO UPDATE SET failures = sign_in_failures.failures + 1, last_at = $2 "
        "RETURNING failures",
        {key, now_ms});
    if (const int64_t wait = lock_ms(static_cast<int>(r.integer(0, 0)), free_failures); wait > 0)
      shared_->execute("UPDATE sign_in_failures SET locked_until = $1 WHERE key = $2", {now_ms + wait, key});
    tx.commit();
    return;
  }
  if (entries_.size() > 100'000) entries_.clear();  // bound memory under a spray of usernames
  Entry& e = entries_[key];
  ++e.failures;
  if (const int64_t wait = lock_ms(e.failures, free_failures); wait > 0) e.locked_until = now_ms + wait;
}

void LoginThrottle::record_success(const std::string& key) {
  std::lock_guard lock(mutex_);
  if (shared_) {
    forbid_on_network_thread("a shared sign-in throttle query");
    shared_->execute("DELETE FROM sign_in_failures WHERE key = $1", {key});
    return;
  }
  entries_.erase(key);
}

}  // namespace psc::server
