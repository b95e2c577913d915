// What every connection handler shares: options, store, pipeline, hub.
// Owned by main(); outlives every session.
#pragma once

#include <atomic>

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
  AccountStore* accounts = nullptr;  // network thread only
  LoginThrottle login_throttle;       // network thread only
  CommitPipeline* pipeline = nullptr;
  SyncHub hub;
  std::atomic<bool> shutting_down{false};
};

}  // namespace psc::server
