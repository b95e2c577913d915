// What every connection handler shares: options, store, pipeline, hub.
// Owned by main(); outlives every session.
#pragma once

#include <atomic>
#include <string>
#include <unordered_map>

#include "account_store.hpp"
#include "change_store.hpp"
#include "commit_pipeline.hpp"
#include "login_throttle.hpp"
#include "server_options.hpp"
#include "sync_hub.hpp"

namespace psc::server {

struct ServerContext {
  ServerOptions options;
  ChangeStore* store = nullptr;
  // The store's epoch (meta "epoch"), set at start: a restore gives the store
  // a new one, and a device whose cursor belongs to another epoch starts over.
  std::string epoch;
  // Network thread, except the hand-off's custody update from the pipeline
  // thread (its SQLite connection is opened FULLMUTEX, so that is safe).
  AccountStore* accounts = nullptr;
  LoginThrottle login_throttle;       // network thread only
  // Open sync connections per remote address (network thread only).
  std::unordered_map<std::string, std::size_t> connections_by_address;
  CommitPipeline* pipeline = nullptr;
  SyncHub hub;
  std::atomic<bool> shutting_down{false};
};

}  // namespace psc::server
