// psc-load: simulated PSC Sync devices against a real psc-server (issue 6,
// "meeting night at city scale"). See load_options.cpp --help for the
// workloads, tests/bench/run.sh for how the benchmarks drive it, and
// tests/load/smoke.sh for the tiny run ctest keeps green.
#include <chrono>
#include <ctime>
#include <iostream>
#include <memory>
#include <random>

#include "city.hpp"
#include "ledger.hpp"
#include "load_options.hpp"
#include "load_run.hpp"
#include "process_stats.hpp"
#include "server_process.hpp"
#include "workloads.hpp"

using namespace psc::load;
using nlohmann::json;

namespace {
json options_json(const LoadOptions& o) {
  return {{"port", o.port},
          {"server_pid", o.server_pid},
          {"tokens", !o.tokens_file.empty()},
          {"actor", o.actor},
          {"workloads", o.workloads},
          {"neighborhoods", o.neighborhoods},
          {"devices_per_neighborhood", o.devices_per_neighborhood},
          {"shared_priorities", o.shared_priorities},
          {"priorities_per_device", o.priorities_per_device},
          {"edits_per_device", o.edits_per_device},
          {"title_chars", o.title_chars},
          {"description_chars", o.description_chars},
          {"pushes_in_flight", o.pushes_in_flight},
          {"max_batch", o.max_batch},
          {"apply_all", o.apply_all},
          {"verify", o.verify},
          {"live_edits", o.live_edits},
          {"live_interval_ms", o.live_interval_ms},
          {"extra_devices", o.extra_devices},
          {"idle_connections", o.idle_connections},
          {"idle_hold_ms", o.idle_hold_ms},
          {"threads", o.threads},
          {"connect_concurrency", o.connect_concurrency},
          {"max_reconnects", o.max_reconnects},
          {"timeout_s", o.timeout_s},
          {"seed", o.seed},
          {"kills", o.kills},
          {"crash_seed", o.crash_seed},
          {"kill_delay_max_ms", o.kill_delay_max_ms},
          {"down_max_ms", o.down_max_ms},
          {"server_args", o.server_args}};
}
}  // namespace

int main(int argc, char** argv) {
  int exit_code = 0;
  auto parsed = parse_load_options(argc, argv, exit_code);
  if (!parsed) return exit_code;
  LoadOptions options = *parsed;
  if (options.print_devices) {
    for (const auto& id : device_ids(options)) std::cout << id << "\n";
    return 0;
  }
  const bool crash = options.workloads == std::vector<std::string>{"crash"};

  // Every connection is a descriptor: raise the soft limit to the hard one and
  // refuse up front a run that cannot fit.
  const int64_t descriptor_limit = raise_descriptor_limit();
  int64_t needed = 64 + 2;  // the seeding device, the checker, and files
  for (const auto& w : options.workloads) {
    if (w == "reconnect" || w == "live" || w == "crash")
      needed += options.neighborhoods * options.devices_per_neighborhood;
    if (w == "live") needed += options.extra_devices;
    if (w == "idle") needed += options.idle_connections;
  }
  if (needed > descriptor_limit) {
    std::cerr << "psc-load: these workloads need about " << needed << " descriptors; the limit is "
              << descriptor_limit << " (raise the hard limit: ulimit -Hn)\n";
    return 2;
  }

  // crash: psc-load runs the server itself, and kills and restarts it.
  std::unique_ptr<ServerProcess> server;
  Ledger ledger;
  if (crash) {
    if (options.crash_seed == 0) {
      std::random_device entropy;
      while (options.crash_seed == 0) options.crash_seed = (uint64_t{entropy()} << 32) | entropy();
    }
    std::cerr << "psc-load: crash seed " << options.crash_seed << std::endl;
    server = std::make_unique<ServerProcess>(options.server_binary, options.server_data, options.server_log,
                                             options.server_args);
    if (auto s = server->start(options.timeout_s); !s) {
      std::cerr << "psc-load: " << s.message() << "\n";
      return 1;
    }
    options.port = server->port();
    options.server_pid = server->pid();
    std::cerr << "psc-load: psc-server pid " << server->pid() << " on port " << server->port() << " (log "
              << options.server_log << ")" << std::endl;
  }

  LoadRun run(options);
  if (crash) run.set_ledger(&ledger);
  if (auto s = run.load_tokens(); !s) {
    std::cerr << "psc-load: " << s.message() << "\n";
    return 2;
  }
  run.start();

  json report = {
      {"tool", "psc-load"}, {"options", options_json(options)}, {"descriptor_limit", descriptor_limit}};
  if (const auto memory = read_memory(options.server_pid))
    report["server_rss_at_start_kib"] = memory->rss_kib;
  City city;
  bool diverged = false;
  if (prepare_city(run, city)) {
    for (const auto& w : options.workloads) {
      std::cerr << "psc-load: workload " << w << std::endl;
      if (w == "reconnect") report["reconnect"] = run_reconnect(run, city, diverged);
      if (w == "live") report["live"] = run_live(run, city, diverged);
      if (w == "idle") report["idle"] = run_idle(run, city);
      if (w == "crash") report["crash"] = run_crash(run, city, *server, ledger, diverged);
      if (run.error_count() > 0) break;
    }
  }
  report["setup"] = city.setup;
  report["totals"] = {{"bytes_sent", run.counters().bytes_sent.load()},
                      {"bytes_received", run.counters().bytes_received.load()},
                      {"messages_sent", run.counters().messages_sent.load()},
                      {"messages_received", run.counters().messages_received.load()},
                      {"changes_applied", run.counters().changes_applied.load()},
                      {"reconnections", run.counters().reconnects.load()},
                      {"server_errors", run.counters().server_errors.load()},
                      {"rejected_changes", run.counters().rejected.load()}};
  report["errors"] = run.errors();
  report["error_count"] = run.error_count();
  report["ok"] = run.error_count() == 0;
  if (server && server->running()) (void)server->stop(10);  // a run that failed half-way
  std::cout << report.dump(2) << std::endl;
  std::cout.flush();
  // Connections still open (idle) are dropped with the process; skip the
  // teardown of thousands of sessions.
  std::_Exit(diverged ? 3 : (run.error_count() == 0 ? 0 : 1));
}
