#include "phase_readings.hpp"

namespace psc::load {

using nlohmann::json;

PhaseReadings::PhaseReadings(LoadRun& run)
    : run_(run),
      start_(Clock::now()),
      own_cpu_(own_cpu_s()),
      server_cpu_(read_thread_cpu(run.options().server_pid)),
      sent_(run.counters().bytes_sent.load()),
      received_(run.counters().bytes_received.load()),
      reconnects_(run.counters().reconnects.load()),
      hits_(run.decoder().hits()),
      misses_(run.decoder().misses()),
      oversized_(run.decoder().oversized()) {}

void PhaseReadings::finish(json& out) const {
  const double wall = seconds_between(start_, Clock::now());
  const double cpu = own_cpu_s() - own_cpu_;
  out["phase_wall_s"] = wall;
  out["client_cpu_s"] = cpu;
  out["client_cpu_utilization"] = wall > 0 ? cpu / wall : 0.0;
  if (run_.options().server_pid > 0)
    out["server_cpu"] = cpu_between(server_cpu_, read_thread_cpu(run_.options().server_pid));
  out["bytes_sent"] = run_.counters().bytes_sent.load() - sent_;
  out["bytes_received"] = run_.counters().bytes_received.load() - received_;
  out["reconnections"] = run_.counters().reconnects.load() - reconnects_;
  out["pages_decoded_once_then_shared"] = {{"decoded", run_.decoder().misses() - misses_},
                                           {"shared", run_.decoder().hits() - hits_}};
  out["pages_over_decoder_limit"] = run_.decoder().oversized() - oversized_;
  out["largest_message_bytes"] = run_.decoder().largest_bytes();
}

}  // namespace psc::load
