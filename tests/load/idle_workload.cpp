#include <algorithm>
#include <thread>

#include "health_probe.hpp"
#include "process_stats.hpp"
#include "workloads.hpp"

namespace psc::load {

using nlohmann::json;

json run_idle(LoadRun& run, City& city) {
  const LoadOptions& o = run.options();
  json out = json::object();
  // The seeding device leaves first, so "before" is the server with no device.
  if (city.seeder && !city.seeder->closed()) {
    city.seeder->disconnect();
    run.wait_until([&] { return city.seeder->closed() || city.seeder->failed(); },
                   "the seeding device to close");
  }
  std::vector<DevicePtr> idle;
  idle.reserve(static_cast<std::size_t>(o.idle_connections));
  for (int i = 0; i < o.idle_connections; ++i)
    idle.push_back(std::make_shared<SimulatedDevice>(
        run, DeviceConfig{idle_device_id(o, i), idle_device_neighborhood(o, i), false, city.sequence}));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // let the server settle
  const auto before = read_memory(o.server_pid);
  const auto health_before = fetch_health(o.port);

  PhaseReadings readings(run);
  const auto start = Clock::now();
  const bool connected = run.connect_paced(idle, "the idle connections to say hello");
  const double connect_s = seconds_between(start, Clock::now());
  out["connections"] = idle.size();
  out["connect_s"] = connect_s;
  out["connections_per_s"] = connect_s > 0 ? static_cast<double>(idle.size()) / connect_s : 0.0;
  if (!connected) {
    readings.finish(out);
    return out;
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(o.idle_hold_ms));
  const auto after = read_memory(o.server_pid);
  const auto health_after = fetch_health(o.port);
  readings.finish(out);
  const auto still_open =
      std::count_if(idle.begin(), idle.end(), [](const DevicePtr& d) { return !d->failed(); });
  out["still_connected"] = still_open;
  if (health_before) out["server_connections_before"] = (*health_before)["connections"];
  if (health_after) out["server_connections_after"] = (*health_after)["connections"];
  if (before && after) {
    out["server_rss_before_kib"] = before->rss_kib;
    out["server_rss_after_kib"] = after->rss_kib;
    out["server_peak_rss_kib"] = after->hwm_kib;
    out["server_kib_per_connection"] = idle.empty() ? 0.0
                                                    : static_cast<double>(after->rss_kib - before->rss_kib) /
                                                          static_cast<double>(idle.size());
  }
  if (static_cast<std::size_t>(still_open) != idle.size())
    run.note_error(std::to_string(idle.size() - static_cast<std::size_t>(still_open)) +
                   " idle connections were lost");
  return out;
}

}  // namespace psc::load
