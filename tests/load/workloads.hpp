// The three workloads of issue 6. Each runs on the City (city.hpp), sets up
// what it needs that an earlier workload has not, and returns its report;
// failures are noted on the LoadRun (and set `diverged` when replicas differ).
#pragma once

#include <cstddef>
#include <future>
#include <nlohmann/json.hpp>

#include "city.hpp"
#include "phase_readings.hpp"

namespace psc::load {

class Ledger;
class ServerProcess;

// Device city.all[index] authors its meeting: --priorities-per-device new
// priorities (6 changes each) and --edits-per-device edits of its
// neighborhood's shared priorities, into its outbox (sent when connected).
// Resolves to the number of changes (0 after noting an error).
std::future<std::size_t> author_meeting_changes(LoadRun& run, City& city, std::size_t index);

// Meeting night: every device authors offline, then all connect at once.
nlohmann::json run_reconnect(LoadRun& run, City& city, bool& diverged);
// One editor per neighborhood, one edit at a time; latency to its neighbors.
nlohmann::json run_live(LoadRun& run, City& city, bool& diverged);
// Many connections that say hello and stay idle; server memory per connection.
nlohmann::json run_idle(LoadRun& run, City& city);
// Meeting night while the server is killed with SIGKILL (--kills times, at
// seeded random moments of the ingest) and restarted on the same data; then
// the ledger is checked against a fresh catch-up and the store itself.
nlohmann::json run_crash(LoadRun& run, City& city, ServerProcess& server, Ledger& ledger, bool& diverged);

}  // namespace psc::load
