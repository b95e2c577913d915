// What every connection handler shares: options, store, pipeline, hub.
// Owned by main(); outlives every session.
#pragma once

#include <atomic>
#include <mutex>
#include <string>
#include <unordered_map>

#include <boost/asio/io_context.hpp>

#include "account_store.hpp"
#include "change_store.hpp"
#include "clock.hpp"
#include "commit_pipeline.hpp"
#include "login_throttle.hpp"
#include "server_options.hpp"
#include "sync_hub.hpp"

namespace psc::server {

class RevocationWatch;
class WorkPool;

struct ServerContext {
  ServerOptions options;
  // Every handler reads the time here (never the system clock directly), so
  // unit tests can drive expiry and throttling with a fake one.
  Clock clock = now_ms;
  ChangeStore* store = nullptr;
  // The store's epoch (meta "epoch"), set at start: a restore gives the store
  // a new one, and a device whose cursor belongs to another epoch starts over.
  std::string epoch;
  // Never from the network thread (its queries would stall every
  // connection), except record_hello/record_delivered: account_store.hpp.
  AccountStore* accounts = nullptr;
  LoginThrottle login_throttle;  // any thread
  // Open sync connections per remote address.
  std::mutex connections_mutex;
  std::unordered_map<std::string, std::size_t> connections_by_address;  // GUARDED_BY(connections_mutex)
  CommitPipeline* pipeline = nullptr;
  SyncHub hub;
  // The network thread's io_context: sessions are destroyed on it.
  boost::asio::io_context* network = nullptr;
  // Blocking work, never on the network thread (work_pool.hpp): `passwords`
  // checks sign-in passwords (Argon2id, by design slow: one thread, so a
  // flood of sign-ins takes one core at most), `work` everything else off
  // the network thread (SQLite of the API, hellos' token checks, hand-off
  // files), never queued behind a password check.
  WorkPool* passwords = nullptr;
  WorkPool* work = nullptr;
  // Jobs posted to `work` and not finished; past kMaxQueuedWork the HTTP API
  // answers 503 at once instead of queueing more.
  std::atomic<int> work_queued{0};
  static constexpr int kMaxQueuedWork = 256;
  RevocationWatch* revocations = nullptr;
  std::atomic<bool> shutting_down{false};
};

}  // namespace psc::server
