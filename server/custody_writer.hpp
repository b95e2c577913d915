// CustodyWriter: device custody updates (last seen, cursor, unsynced count),
// written behind the network thread.
//
// Every hello and every acknowledged push updates a device's custody row.
// Written on the network thread, each update waited for SQLite's write lock,
// which the commit thread holds through each group's transaction: on meeting
// night the network thread sat in SQLite's busy handler for up to ~0.5 s at a
// time, sending nothing to anyone. Updates are queued here instead and a
// thread of its own ("psc-custody") applies them, in order, in one
// transaction per batch on its own connection. Readers of custody (the
// devices list) call flush() first, so they never see an older state than
// the updates already made.
//
// Thread-safety: every public method may be called from any thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "sql_database.hpp"

namespace psc::server {

class CustodyWriter {
 public:
  explicit CustodyWriter(AccountDatabaseAt at);
  ~CustodyWriter();  // writes what is queued, then stops
  CustodyWriter(const CustodyWriter&) = delete;
  CustodyWriter& operator=(const CustodyWriter&) = delete;

  // What the device reported at its hello (token digest: hex SHA-256).
  void hello(std::string token_digest, int64_t cursor, int64_t unsynced, int64_t now_ms);
  // `delivered` of the changes it reported reached the server.
  void delivered(std::string token_digest, int64_t delivered, int64_t now_ms);
  // Returns once every update queued before the call is written.
  void flush();

 private:
  struct Update {
    bool is_hello = false;
    std::string token_digest;
    int64_t cursor = 0;
    int64_t count = 0;  // unsynced (hello) or delivered
    int64_t now_ms = 0;
  };
  void enqueue(Update update);
  void run();

  const AccountDatabaseAt at_;
  std::mutex mutex_;
  std::condition_variable wake_;     // the writer: updates queued, or stopping
  std::condition_variable written_;  // flush(): a batch was written
  std::vector<Update> queue_;        // GUARDED_BY(mutex_)
  uint64_t queued_ = 0;              // updates ever queued; GUARDED_BY(mutex_)
  uint64_t written_count_ = 0;       // updates ever written; GUARDED_BY(mutex_)
  bool stopping_ = false;            // GUARDED_BY(mutex_)
  std::thread thread_;
};

}  // namespace psc::server
