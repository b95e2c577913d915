// PhaseReadings: what every workload reports about the phase it timed — wall
// time, this tool's CPU and the server's CPU per thread, WebSocket payload
// bytes, reconnections and the page decoder's counts — as differences between
// the start (construction) and finish().
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>

#include "load_run.hpp"
#include "process_stats.hpp"

namespace psc::load {

class PhaseReadings {
 public:
  explicit PhaseReadings(LoadRun& run);
  // Wall time, client and server CPU, bytes, reconnections, decoder counts.
  void finish(nlohmann::json& out) const;

 private:
  LoadRun& run_;
  Clock::time_point start_;
  double own_cpu_ = 0;
  CpuSnapshot server_cpu_;
  uint64_t sent_ = 0, received_ = 0, reconnects_ = 0, hits_ = 0, misses_ = 0, oversized_ = 0;
};

}  // namespace psc::load
