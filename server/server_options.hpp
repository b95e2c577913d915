// Options of psc-server: from the command line, then PSC_* environment
// variables (PSC_MAX_BATCH=500 for --max-batch), then a configuration file
// (--config FILE: `max-batch = 500` lines); the first that sets one wins.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace psc::server {

struct ServerOptions {
  std::string host = "127.0.0.1";  // loopback unless told otherwise
  uint16_t port = 8080;
  std::string data_dir = "var";
  // Where the changes are kept: empty for <data_dir>/psc.sqlite (the
  // embedded default), or a PostgreSQL connection URI
  // (postgresql://user@host:5432/psc; libpq's keywords and PG* variables
  // apply). Accounts and tokens stay in the data folder.
  std::string store;
  std::string web_root = PSC_DEFAULT_WEB_ROOT;
  // Both set: serve HTTPS and WSS only (PEM files). Neither: plain HTTP.
  std::string tls_cert;
  std::string tls_key;
  std::size_t max_message_bytes = 1024 * 1024;
  std::size_t max_batch = 1000;
  std::size_t page_size = 500;
  int64_t max_clock_skew_ms = 60 * 60 * 1000;
  // Pushes committed together in one transaction (group commit); 0: as many
  // as are queued (up to 20,000 changes). 1 is one transaction (and one
  // fsync) per push: for measuring what grouping buys (tests/bench).
  std::size_t max_group_pushes = 0;
  // PostgreSQL store: a validation snapshot every this many changes (commit_pipeline.hpp).
  int64_t snapshot_every = 50000;
  // Pages are pulled one at a time, so a session's unsent output is its acks
  // and errors; past this (a device that pushes but never reads) it is dropped.
  std::size_t max_queued_bytes = 16 * 1024 * 1024;
  // A device that has not taken a single message for this long is dropped
  // (it reconnects and catches up from its cursor). 0: never.
  int64_t write_timeout_ms = 120 * 1000;
  // Recently committed changes kept in memory, encoded, for live pages and
  // recent catch-ups; a device further behind reads from the database.
  std::size_t live_window_bytes = 64 * 1024 * 1024;
  // Flood limits: messages a device may send per second (a burst of twice
  // that is allowed), and sync connections open at once from one address.
  double max_messages_per_second = 200;
  std::size_t max_connections_per_address = 1000;
  // A sync connection that has not said hello within this is closed
  // (`hello_timeout`). 0: never.
  int64_t hello_timeout_ms = 10 * 1000;
  // How often the server looks for tokens revoked by another process (an
  // admin command) to close their open sessions; pushes and live changes are
  // checked at commit whatever this is (revocation_watch.hpp).
  // permessage-deflate for sync connections, when the client offers it
  // (browsers do): 0 off, 1 (fast, the default) to 9 (smallest).
  int compression_level = 1;
  int64_t revocation_poll_ms = 250;
  // Reverse proxies whose X-Forwarded-For is believed (exact addresses): a
  // request from one of them counts as from the address it forwarded for,
  // so per-address limits see the devices, not the proxy.
  std::vector<std::string> trusted_proxies;
  // Every node's public sync address when several servers share one
  // PostgreSQL without one load-balanced name: told to the web app
  // (GET /servers), which moves to another when its node is gone.
  std::vector<std::string> sync_urls;
  // "text" (the default) or "json": one JSON object per log line.
  std::string log_format = "text";
  // One log line per answered HTTP request (address, method, path without
  // the query, status, bytes, time); off by default.
  bool access_log = false;
};

// "psc-server <version> (sync protocol <n>)".
std::string server_version();

// Parses argv. Returns nullopt after printing help or an error; `exit_code`
// then says how to exit (0 for --help).
std::optional<ServerOptions> parse_server_options(int argc, char** argv, int& exit_code);

}  // namespace psc::server
