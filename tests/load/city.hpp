// City: the simulated devices of one run and what the tool knows of the
// server's log, shared by the workloads (workloads.hpp).
//
// Set-up, as before a meeting night: a seeding device catches up (learning the
// neighborhoods), creates the shared priorities through the server, and every
// neighborhood device catches up once so it holds them.
//
// Sequence bookkeeping: the tool is the server's only writer during a run, so
// the server's last sequence is the seeding device's first cursor plus every
// change the tool had accepted; a device holds everything once its cursor
// reaches it. verify_convergence checks that against the server's /health.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "load_run.hpp"
#include "simulated_device.hpp"

namespace psc::load {

using DevicePtr = std::shared_ptr<SimulatedDevice>;

struct City {
  DevicePtr seeder;
  std::vector<std::vector<DevicePtr>> devices;       // [neighborhood][device]
  std::vector<DevicePtr> all;                        // every neighborhood device
  std::vector<std::vector<std::string>> shared_ids;  // [neighborhood] shared priority ids
  int64_t sequence = 0;                              // the server's last sequence, as far as the tool knows
  std::vector<uint64_t> neighborhood_changes;        // [neighborhood] changes a device of it must hold
  bool seeded = false;                               // shared priorities created
  bool connected = false;  // neighborhood devices connected and synced to `sequence`
  nlohmann::json setup = nlohmann::json::object();
};

// Device ids, one function per role, so --print-devices and the workloads agree.
// Every device that belongs to a neighborhood carries it as "-nNN-" in its id
// (tests/bench/run.sh gives such devices a token of that neighborhood's
// organizer account in its "scoped" cases); the seeding device and the checker
// belong to none (they need the whole city).
std::string seeder_id(const LoadOptions& o);
std::string checker_id(const LoadOptions& o);
std::string neighborhood_device_id(const LoadOptions& o, int neighborhood, int device);  // PREFIX-nNN-dMM
// Live's extra listeners and the idle connections: device i belongs to
// neighborhood i % --neighborhoods.
int extra_device_neighborhood(const LoadOptions& o, int index);
std::string extra_device_id(const LoadOptions& o, int index);  // PREFIX-nNN-xIIII
int idle_device_neighborhood(const LoadOptions& o, int index);
std::string idle_device_id(const LoadOptions& o, int index);  // PREFIX-nNN-iIIIII
// Every device id the workloads of `o` use.
std::vector<std::string> device_ids(const LoadOptions& o);

// The seeding device connects and catches up; the neighborhoods are read from
// its replica. Leaves it connected.
bool prepare_city(LoadRun& run, City& city);
// Creates the shared priorities through the server (once), learns how many
// changes each neighborhood holds, and disconnects the seeding device.
bool seed_shared_priorities(LoadRun& run, City& city);
// Creates the neighborhood devices (once) and connects them all, each caught
// up to city.sequence; leaves them connected.
bool connect_city(LoadRun& run, City& city);
// Closes every neighborhood device politely.
bool disconnect_city(LoadRun& run, City& city);

// Every device of each neighborhood holds it identically, and identically to a
// fresh device that catches up from cursor 0 (unless --no-verify), and the
// server's /health sequence is city.sequence. Fills `out`; false (with errors
// noted) on any difference. `identical` is set false only on a difference.
bool verify_convergence(LoadRun& run, City& city, nlohmann::json& out, bool& identical);

// Percentiles of samples (sorted in place): {"count","p50","p90","p99","max"}.
nlohmann::json percentiles(std::vector<double>& samples);

}  // namespace psc::load
