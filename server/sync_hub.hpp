// SyncHub: the set of connected sync sessions, and live fan-out to them.
//
// Broadcast copies the session list under the lock and delivers after
// releasing it (Beast's chat-multi shape); sessions are held weakly so a
// closing session is never kept alive by the hub.
#pragma once

#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "commit_pipeline.hpp"

namespace psc::server {

// What the hub needs of a connected device's session (plain or TLS).
class SyncSession {
 public:
  virtual ~SyncSession() = default;
  // Thread-safe: queues a live page for the device.
  virtual void deliver(std::shared_ptr<const struct LivePage> page) = 0;
  // Thread-safe: closes the connection politely (server shutdown).
  virtual void shutdown() = 0;
};

// One committed range, encoded once as a `changes` message shared by every
// session that sends it.
struct LivePage {
  int64_t first_seq = 0;
  int64_t last_seq = 0;
  std::shared_ptr<const std::string> text;      // every change: for city-wide readers
  std::shared_ptr<const CommittedRange> range;  // for sessions that filter by read scope
};

class SyncHub {
 public:
  void join(SyncSession* session, std::weak_ptr<SyncSession> weak);
  void leave(SyncSession* session);
  void broadcast(const std::shared_ptr<const LivePage>& page);
  // Asks every session to close (server shutdown).
  void close_all();
  std::size_t size() const;

 private:
  std::vector<std::weak_ptr<SyncSession>> snapshot() const;

  mutable std::mutex mutex_;
  std::unordered_map<SyncSession*, std::weak_ptr<SyncSession>> sessions_;  // GUARDED_BY(mutex_)
};

}  // namespace psc::server
