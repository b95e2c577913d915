// The three workloads of issue 6. Each runs on the City (city.hpp), sets up
// what it needs that an earlier workload has not, and returns its report;
// failures are noted on the LoadRun (and set `diverged` when replicas differ).
#pragma once

#include <nlohmann/json.hpp>

#include "city.hpp"

namespace psc::load {

// Meeting night: every device authors offline, then all connect at once.
nlohmann::json run_reconnect(LoadRun& run, City& city, bool& diverged);
// One editor per neighborhood, one edit at a time; latency to its neighbors.
nlohmann::json run_live(LoadRun& run, City& city, bool& diverged);
// Many connections that say hello and stay idle; server memory per connection.
nlohmann::json run_idle(LoadRun& run, City& city);

// Readings common to every workload's report, taken before and after it.
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
