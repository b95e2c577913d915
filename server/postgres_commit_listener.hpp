// PostgresCommitListener: tells this server when another server sharing the
// PostgreSQL store committed changes, so its live devices get them at once.
//
// LISTEN/NOTIFY rather than logical decoding: every commit that appends
// already sends `NOTIFY psc_commits, '<last sequence>'` inside its
// transaction (postgres_change_store.cpp), which PostgreSQL delivers only if
// it commits; the listener needs one ordinary connection, no replication
// slot (a slot left behind by a dead node would keep WAL forever) and no
// extra privileges. A notification carries no change: the server reads the
// rows by sequence from the table, so a lost notification costs latency,
// never a change. After each (re)connection the listener reports once
// anyway, since notifications sent while it was away are gone.
//
// Thread-safety: one thread of its own calls `on_commit`; construct, then
// destroy to stop it.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>

namespace psc::server {

class PostgresCommitListener {
 public:
  // `on_commit(seq)`: some server committed changes up to `seq` (0: maybe,
  // after a reconnection). Called on the listener's thread.
  PostgresCommitListener(std::string conninfo, std::function<void(int64_t seq)> on_commit);
  ~PostgresCommitListener();
  PostgresCommitListener(const PostgresCommitListener&) = delete;
  PostgresCommitListener& operator=(const PostgresCommitListener&) = delete;

 private:
  void run();

  std::string conninfo_;
  std::function<void(int64_t)> on_commit_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace psc::server
