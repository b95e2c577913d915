// RevocationWatch: ends open sessions whose token no longer holds, at once.
//
// A token can stop holding in this process (POST /api/logout, an organizer's
// POST /api/kiosks/revoke) or in another one writing the same database
// (`psc-server admin revoke-device`, `disable-account`; another server
// sharing the PostgreSQL database). Every such write
// bumps the `auth_epoch` counter through triggers (account_store.cpp), so
// one tiny read tells whether anything changed. When it has, every joined
// session's token is checked again and each one that no longer holds (or
// whose account changed role or scope) is revoked: from then on it takes no
// push and is sent no change; it gets the error and is closed.
//
// The epoch is read:
//  - on the commit thread before each push is validated (the session's
//    pushes are accepted only while it is not revoked), and before each
//    committed group is published: a push sent after a revocation returned,
//    even one already queued, is never stored, and a change committed after
//    it never reaches the revoked session;
//  - right after this process revokes a token, before the HTTP answer;
//  - every --revocation-poll-ms on a worker thread, so an idle session of a
//    token revoked by an admin command is closed within that time.
// Tokens also expire (kiosk tokens, `admin issue-token --expires-in-seconds`):
// the same read asks for the earliest expiry since the last check, and when
// that moment has passed the sessions are checked again, so an expired
// token's session ends within --revocation-poll-ms and pushes nothing after.
//
// Thread-safety: every public method may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "clock.hpp"
#include "sql_database.hpp"
#include "sync_hub.hpp"

namespace psc::server {

class RevocationWatch {
 public:
  RevocationWatch(const AccountDatabaseAt& at, SyncHub& hub, Clock clock);
  ~RevocationWatch();

  // Checks the sessions again if the epoch moved or a token expired since
  // the last check. Returns once every session it ends is revoked.
  void refresh();
  // Bumped before every pass that checks sessions. A session that read it
  // before authenticating and finds it changed after joining the hub checks
  // its token again (the pass may have missed it).
  uint64_t generation() const { return generation_.load(); }
  // Whether the token with this digest is live for `device` now (hand-off).
  bool token_live(const std::string& token_digest, const std::string& device);

  // Polls every `interval` on `executor` (a worker pool) until stop().
  void start(boost::asio::io_context::executor_type executor, std::chrono::milliseconds interval);
  void stop();

 private:
  void check_sessions(int64_t now);  // REQUIRES: mutex_ held
  void arm();

  SyncHub& hub_;
  Clock clock_;
  std::mutex mutex_;
  std::unique_ptr<SqlDatabase> db_;  // GUARDED_BY(mutex_)
  int64_t epoch_ = -1;               // GUARDED_BY(mutex_)
  int64_t checked_at_ = 0;           // when the sessions were last checked; GUARDED_BY(mutex_)
  std::atomic<uint64_t> generation_{0};

  std::mutex timer_mutex_;
  std::unique_ptr<boost::asio::steady_timer> timer_;  // GUARDED_BY(timer_mutex_)
  std::chrono::milliseconds interval_{250};
  bool stopped_ = false;  // GUARDED_BY(timer_mutex_)
};

}  // namespace psc::server
