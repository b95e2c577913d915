#include "city.hpp"

#include <algorithm>
#include <cstdio>
#include <iostream>

#include "health_probe.hpp"
#include "neighborhood_digest.hpp"
#include "priority_author.hpp"

namespace psc::load {

using nlohmann::json;

namespace {
std::string numbered(const std::string& prefix, const char* format, int a, int b = 0) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, a, b);
  return prefix + buffer;
}

bool wait_synced(LoadRun& run, const std::vector<DevicePtr>& devices,
                 const std::vector<uint64_t>& generations, const std::string& what) {
  return run.wait_until(
      [&] {
        for (std::size_t i = 0; i < devices.size(); ++i)
          if (!devices[i]->synced_for(generations[i]) && !devices[i]->failed()) return false;
        return true;
      },
      what);
}
}  // namespace

std::string seeder_id(const LoadOptions& o) { return o.device_prefix + "-seed"; }
std::string checker_id(const LoadOptions& o) { return o.device_prefix + "-check"; }
std::string neighborhood_device_id(const LoadOptions& o, int neighborhood, int device) {
  return numbered(o.device_prefix, "-n%02d-d%02d", neighborhood, device);
}
int extra_device_neighborhood(const LoadOptions& o, int index) { return index % o.neighborhoods; }
std::string extra_device_id(const LoadOptions& o, int index) {
  return numbered(o.device_prefix, "-n%02d-x%04d", extra_device_neighborhood(o, index), index);
}
int idle_device_neighborhood(const LoadOptions& o, int index) { return index % o.neighborhoods; }
std::string idle_device_id(const LoadOptions& o, int index) {
  return numbered(o.device_prefix, "-n%02d-i%05d", idle_device_neighborhood(o, index), index);
}

std::vector<std::string> device_ids(const LoadOptions& o) {
  auto uses = [&](const char* w) { return std::count(o.workloads.begin(), o.workloads.end(), w) > 0; };
  std::vector<std::string> ids = {seeder_id(o), checker_id(o)};
  if (uses("reconnect") || uses("live") || uses("crash"))
    for (int n = 0; n < o.neighborhoods; ++n)
      for (int d = 0; d < o.devices_per_neighborhood; ++d) ids.push_back(neighborhood_device_id(o, n, d));
  if (uses("live"))
    for (int i = 0; i < o.extra_devices; ++i) ids.push_back(extra_device_id(o, i));
  if (uses("idle"))
    for (int i = 0; i < o.idle_connections; ++i) ids.push_back(idle_device_id(o, i));
  return ids;
}

bool prepare_city(LoadRun& run, City& city) {
  const LoadOptions& o = run.options();
  city.seeder = std::make_shared<SimulatedDevice>(run, DeviceConfig{seeder_id(o), -1, true, 0});
  if (!run.connect_paced({city.seeder}, "the seeding device to catch up")) return false;
  std::vector<std::string> slugs =
      city.seeder
          ->call_on_strand([&] {
            std::vector<std::string> out;
            for (const Record* r : city.seeder->local().replica().list("neighborhood"))
              out.push_back(r->id());
            return out;
          })
          .get();
  if (static_cast<int>(slugs.size()) < o.neighborhoods) {
    run.note_error("the server has " + std::to_string(slugs.size()) +
                   " neighborhoods; --neighborhoods asks for " + std::to_string(o.neighborhoods));
    return false;
  }
  run.directory().set_neighborhoods(slugs);
  // Again from the start, now that changes can be told apart by neighborhood,
  // so the seeding device counts what each neighborhood holds.
  city.seeder->disconnect();
  if (!run.wait_until([&] { return city.seeder->closed(); }, "the seeding device to close")) return false;
  city.seeder = std::make_shared<SimulatedDevice>(run, DeviceConfig{seeder_id(o), -1, true, 0});
  if (!run.connect_paced({city.seeder}, "the seeding device to catch up")) return false;
  city.sequence = city.seeder->cursor();
  city.devices.resize(static_cast<std::size_t>(o.neighborhoods));
  city.shared_ids.resize(static_cast<std::size_t>(o.neighborhoods));
  city.setup["neighborhoods_on_server"] = slugs.size();
  city.setup["initial_sequence"] = city.sequence;
  return true;
}

bool seed_shared_priorities(LoadRun& run, City& city) {
  if (city.seeded) return true;
  const LoadOptions& o = run.options();
  const auto start = Clock::now();
  auto authored =
      city.seeder
          ->call_on_strand([&]() -> std::size_t {
            PriorityAuthor author(o.seed, o.title_chars, o.description_chars);
            std::vector<Change> changes;
            for (int n = 0; n < o.neighborhoods; ++n) {
              const std::string& slug = run.directory().neighborhoods()[static_cast<std::size_t>(n)];
              for (int k = 0; k < o.shared_priorities; ++k) {
                auto created = city.seeder->local().create("priority", author.new_priority(slug), wall_ms(),
                                                           author.id_bits(), author.id_bits());
                if (!created) {
                  run.note_error("seeding: " + created.status().message());
                  return 0;
                }
                const std::string id = created.value().front().record_id;
                run.directory().add_record(id, n);
                city.shared_ids[static_cast<std::size_t>(n)].push_back(id);
                for (auto& c : created.value()) changes.push_back(std::move(c));
              }
            }
            const std::size_t count = changes.size();
            city.seeder->enqueue(std::move(changes));
            return count;
          })
          .get();
  if (authored == 0) return false;
  const int64_t target = city.sequence + static_cast<int64_t>(authored);
  const uint64_t generation = city.seeder->set_target(target, 0);
  if (!wait_synced(run, {city.seeder}, {generation}, "the shared priorities to be seeded")) return false;
  if (city.seeder->failed()) return false;
  city.sequence = target;
  // The seeding device holds everything: what each neighborhood has so far.
  city.neighborhood_changes =
      city.seeder->call_on_strand([&] { return city.seeder->held_by_neighborhood(); }).get();
  city.neighborhood_changes.resize(static_cast<std::size_t>(o.neighborhoods));
  // It was only the set-up: it is not a device of the meeting night.
  city.seeder->disconnect();
  if (!run.wait_until([&] { return city.seeder->closed() || city.seeder->failed(); },
                      "the seeding device to close"))
    return false;
  city.seeded = true;
  city.setup["shared_priority_changes"] = authored;
  city.setup["seed_s"] = seconds_between(start, Clock::now());
  city.setup["sequence_after_seeding"] = city.sequence;
  return true;
}

bool connect_city(LoadRun& run, City& city) {
  const LoadOptions& o = run.options();
  if (city.all.empty()) {
    for (int n = 0; n < o.neighborhoods; ++n)
      for (int d = 0; d < o.devices_per_neighborhood; ++d) {
        auto device =
            std::make_shared<SimulatedDevice>(run, DeviceConfig{neighborhood_device_id(o, n, d), n, true, 0});
        city.devices[static_cast<std::size_t>(n)].push_back(device);
        city.all.push_back(device);
      }
  }
  const auto start = Clock::now();
  if (!run.connect_paced(city.all, "the neighborhood devices to connect and catch up")) return false;
  std::vector<uint64_t> generations;
  for (auto& device : city.all)
    generations.push_back(device->set_target(
        city.sequence, city.neighborhood_changes[static_cast<std::size_t>(device->neighborhood())]));
  if (!wait_synced(run, city.all, generations, "the neighborhood devices to catch up")) return false;
  if (!city.setup.contains("first_catch_up_s"))
    city.setup["first_catch_up_s"] = seconds_between(start, Clock::now());
  city.connected = true;
  return true;
}

bool disconnect_city(LoadRun& run, City& city) {
  for (auto& device : city.all) device->disconnect();
  city.connected = false;
  return run.wait_until(
      [&] {
        return std::all_of(city.all.begin(), city.all.end(), [](const DevicePtr& d) { return d->closed(); });
      },
      "the neighborhood devices to close");
}

bool verify_convergence(LoadRun& run, City& city, json& out, bool& identical) {
  const LoadOptions& o = run.options();
  bool ok = true;
  identical = true;
  if (auto health = fetch_health(o.port)) {
    out["server_sequence"] = (*health)["sequence"];
    if ((*health)["sequence"] != city.sequence) {
      run.note_error("the server's last sequence is " + (*health)["sequence"].dump() +
                     ", the tool expected " + std::to_string(city.sequence));
      ok = false;
    }
  } else {
    out["server_sequence"] = nullptr;
  }
  out["expected_sequence"] = city.sequence;

  DevicePtr checker;
  if (o.verify) {
    checker = std::make_shared<SimulatedDevice>(run, DeviceConfig{checker_id(o), -1, true, 0});
    const auto start = Clock::now();
    checker->connect();
    const uint64_t generation = checker->set_target(city.sequence, 0);
    if (!wait_synced(run, {checker}, {generation}, "the fresh catch-up client") || checker->failed())
      return false;
    out["fresh_client_catch_up_s"] = seconds_between(start, Clock::now());
  }

  std::size_t records = 0, conflicted = 0, compared = 0;
  for (int n = 0; n < o.neighborhoods; ++n) {
    const std::string& slug = run.directory().neighborhoods()[static_cast<std::size_t>(n)];
    const auto& devices = city.devices[static_cast<std::size_t>(n)];
    const DevicePtr& reference = checker ? checker : devices.front();
    auto digest_of = [&](const DevicePtr& d, bool keep_text) {
      return d
          ->call_on_strand(
              [&, keep_text] { return digest_neighborhood(d->local().replica(), slug, keep_text); })
          .get();
    };
    const NeighborhoodDigest expected = digest_of(reference, false);
    records += expected.records;
    conflicted += expected.conflicted_fields;
    for (const auto& device : devices) {
      if (device == reference) continue;
      ++compared;
      const NeighborhoodDigest got = digest_of(device, false);
      if (got.hash == expected.hash) continue;
      identical = ok = false;
      const std::string why =
          describe_difference(digest_of(reference, true).text, digest_of(device, true).text);
      run.note_error("neighborhood " + slug + ": device " + device->id() + " differs from " +
                     reference->id() + " (" + std::to_string(got.records) + " vs " +
                     std::to_string(expected.records) + " records); first difference: " + why);
    }
  }
  out["replicas_compared"] = compared;
  out["against_fresh_client"] = static_cast<bool>(checker);
  out["records"] = records;
  out["conflicted_fields"] = conflicted;
  out["identical"] = identical;
  if (checker) {
    checker->disconnect();
    run.wait_until([&] { return checker->closed(); }, "the fresh catch-up client to close");
  }
  return ok;
}

json percentiles(std::vector<double>& samples) {
  std::sort(samples.begin(), samples.end());
  auto at = [&](double q) -> json {
    if (samples.empty()) return nullptr;
    const auto index = static_cast<std::size_t>(q * static_cast<double>(samples.size() - 1) + 0.5);
    return samples[std::min(index, samples.size() - 1)];
  };
  return {{"count", samples.size()},
          {"p50", at(0.50)},
          {"p90", at(0.90)},
          {"p99", at(0.99)},
          {"max", samples.empty() ? json(nullptr) : json(samples.back())}};
}

}  // namespace psc::load
