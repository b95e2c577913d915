// LoginThrottle: slows down password and kiosk-code guessing. Keys are
// chosen by the caller: sign-ins are counted per remote address and per
// (account, address), never per account alone, so a stranger's wrong
// passwords from one address cannot lock the real user out from another.
// The first few failures of a key are free; after that each failure doubles
// the wait before the next attempt is even checked, up to 15 minutes. A
// success clears its key's record. In memory on a single server (a restart
// forgives, which is acceptable there); servers that share a PostgreSQL
// database keep the counts in its `sign_in_failures` table (share_through),
// so a guesser moving between nodes behind a load balancer meets the same
// limits. A shared key is forgotten 15 minutes after its last failure.
//
// Thread-safety: every public method may be called from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "sql_database.hpp"

namespace psc::server {

class LoginThrottle {
 public:
  // Failures of one account from one address (or kiosk codes from one address).
  static constexpr int kFreeFailures = 5;
  // Failures from one address, whatever the accounts tried: a household or
  // an office behind one NAT address makes honest mistakes too.
  static constexpr int kFreeFailuresPerAddress = 20;
  static constexpr int64_t kMaxLockMs = 15 * 60 * 1000;

  // 0 when an attempt for `key` may be checked now; otherwise ms to wait.
  int64_t retry_after_ms(const std::string& key, int64_t now_ms) const;
  void record_failure(const std::string& key, int64_t now_ms, int free_failures = kFreeFailures);
  void record_success(const std::string& key);
  // From now on the counts live in `db` (REQUIRES: before any other call).
  void share_through(std::unique_ptr<SqlDatabase> db);

 private:
  // The wait after `failures` failures of a key allowed `free_failures`.
  static int64_t lock_ms(int failures, int free_failures);
  struct Entry {
    int failures = 0;
    int64_t locked_until = 0;
  };
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;  // GUARDED_BY(mutex_); unshared only
  std::unique_ptr<SqlDatabase> shared_;             // GUARDED_BY(mutex_)
};

}  // namespace psc::server
