// Command-line options of psc-load. Every number of every workload is a flag;
// the defaults are issue 6's meeting night (17 neighborhoods x 6 devices).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace psc::load {

struct LoadOptions {
  // The server: always 127.0.0.1 (the tool never connects anywhere else).
  uint16_t port = 0;
  int server_pid = 0;          // for RSS and CPU readings from /proc; 0 = none
  std::string tokens_file;     // "DEVICE TOKEN" lines; devices not listed send token ""
  std::string actor = "load";  // actor of changes until a welcome names the account
  std::string device_prefix = "load";
  std::vector<std::string> workloads = {"reconnect"};  // reconnect, live, idle, in order; or crash alone

  // reconnect (and the set-up live shares with it)
  int neighborhoods = 17;
  int devices_per_neighborhood = 6;
  int shared_priorities = 50;       // per neighborhood, created by the seeding device
  int priorities_per_device = 200;  // created offline, 6 field changes each
  int edits_per_device = 100;       // offline edits of shared priorities' fields
  int title_chars = 40;
  int description_chars = 200;
  int pushes_in_flight = 1;     // per device, like the web client
  int max_batch = 0;            // 0: welcome.max_batch
  bool apply_all = false;       // devices apply every change, not only their neighborhood's
  bool verify = true;           // final fresh catch-up client and digest comparison
  bool apply_in_phase = false;  // reconnect: devices apply pages inside the timed phase (default: after it)

  // live
  int live_edits = 200;        // per editing device (one per neighborhood)
  int live_interval_ms = 100;  // an editor's sends at least this far apart; 0: each on the last's ack
  int extra_devices = 0;       // extra connected listeners; extra i belongs to neighborhood i % neighborhoods

  // idle
  int idle_connections = 5000;
  int idle_hold_ms = 2000;

  // crash: psc-load starts the server itself, kills it and restarts it
  std::string server_binary;             // psc-server
  std::string server_data;               // its --data folder, kept across restarts
  std::string server_log;                // every life's output; default <server_data>.log
  std::vector<std::string> server_args;  // more psc-server flags
  int kills = 5;                         // SIGKILLs during the ingest
  uint64_t crash_seed = 0;               // kill schedule; 0: drawn at random (and printed)
  int kill_delay_max_ms = 25;            // after a kill point is reached, wait 0..this
  int down_max_ms = 300;                 // the server stays down 0..this before its restart
  std::string ledger_file;               // write the ledger (JSON lines) here

  // everything
  int threads = 1;                            // threads running the one io_context
  int source_addresses = 64;                  // devices connect from 127.0.0.1 .. 127.0.0.N, round robin
  int connect_concurrency = 200;              // handshakes in flight when connecting many
  int max_reconnects = 20;                    // per device, in a row without a welcome
  int timeout_s = 300;                        // per phase
  std::size_t decode_cache_changes = 400000;  // decoded changes kept for identical pages
  uint64_t seed = 1;                          // content of the authored changes
  bool print_devices = false;                 // print the device ids these flags use, then exit
  bool trace = false;                         // timestamped push/ack/page/connection events on stderr
};

// Parses argv. Returns nullopt after printing help or an error; `exit_code`
// then says how to exit (0 for --help).
std::optional<LoadOptions> parse_load_options(int argc, char** argv, int& exit_code);

}  // namespace psc::load
