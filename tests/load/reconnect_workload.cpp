#include <algorithm>
#include <iostream>

#include "priority_author.hpp"
#include "process_stats.hpp"
#include "workloads.hpp"

namespace psc::load {

using nlohmann::json;

std::future<std::size_t> author_meeting_changes(LoadRun& run, City& city, std::size_t index) {
  DevicePtr device = city.all[index];
  return device->call_on_strand([&run, &city, device, i = index]() -> std::size_t {
    const LoadOptions& o = run.options();
    const int n = device->neighborhood();
    const std::string& slug = run.directory().neighborhoods()[static_cast<std::size_t>(n)];
    const auto& shared = city.shared_ids[static_cast<std::size_t>(n)];
    PriorityAuthor author(o.seed * 7919 + i + 1, o.title_chars, o.description_chars);
    std::vector<Change> changes;
    changes.reserve(static_cast<std::size_t>(o.priorities_per_device * 6 + o.edits_per_device));
    for (int p = 0; p < o.priorities_per_device; ++p) {
      auto created = device->local().create("priority", author.new_priority(slug), wall_ms(),
                                            author.id_bits(), author.id_bits());
      if (!created) {
        run.note_error(device->id() + " could not create a priority: " + created.status().message());
        return 0;
      }
      run.directory().add_record(created.value().front().record_id, n);
      for (auto& c : created.value()) changes.push_back(std::move(c));
    }
    for (int e = 0; e < o.edits_per_device; ++e) {
      auto [field, value] = author.random_edit();
      auto edited =
          device->local().set_field("priority", shared[author.pick(shared.size())], field, value, wall_ms());
      if (!edited) {
        run.note_error(device->id() + " could not edit a shared priority: " + edited.status().message());
        return 0;
      }
      changes.push_back(std::move(edited.value()));
    }
    const std::size_t count = changes.size();
    device->enqueue(std::move(changes));  // offline: stays in the outbox
    return count;
  });
}

json run_reconnect(LoadRun& run, City& city, bool& diverged) {
  const LoadOptions& o = run.options();
  json out = json::object();
  out["devices"] = city.all.empty() ? o.neighborhoods * o.devices_per_neighborhood : city.all.size();
  if (!seed_shared_priorities(run, city)) return out;
  if (!city.connected && !connect_city(run, city)) return out;
  if (!disconnect_city(run, city)) return out;  // meeting night: everyone offline
  out["devices"] = city.all.size();

  // Offline: each device creates its priorities and edits shared ones.
  const auto authoring_start = Clock::now();
  std::vector<std::future<std::size_t>> authored;
  for (std::size_t i = 0; i < city.all.size(); ++i) authored.push_back(author_meeting_changes(run, city, i));
  std::size_t total = 0;
  for (auto& f : authored) total += f.get();
  out["authoring_s"] = seconds_between(authoring_start, Clock::now());
  out["changes_authored"] = total;
  const std::size_t expected =
      city.all.size() * static_cast<std::size_t>(o.priorities_per_device * 6 + o.edits_per_device);
  if (total != expected) return out;

  const int64_t target = city.sequence + static_cast<int64_t>(total);
  for (auto& count : city.neighborhood_changes)
    count += static_cast<uint64_t>(o.devices_per_neighborhood) *
             static_cast<uint64_t>(o.priorities_per_device * 6 + o.edits_per_device);
  std::vector<uint64_t> generations;
  for (auto& device : city.all)
    generations.push_back(device->set_target(
        target, city.neighborhood_changes[static_cast<std::size_t>(device->neighborhood())]));
  const auto memory_before = read_memory(o.server_pid);

  if (!o.apply_in_phase)
    for (auto& device : city.all) device->defer_applies();

  // Everyone reconnects at the same moment.
  PhaseReadings readings(run);
  const auto start = Clock::now();
  for (auto& device : city.all) device->connect();
  const bool done = run.wait_until(
      [&] {
        for (std::size_t i = 0; i < city.all.size(); ++i)
          if (!city.all[i]->synced_for(generations[i]) && !city.all[i]->failed()) return false;
        return true;
      },
      "every device to converge after the reconnect");
  const auto waited = Clock::now();
  // Devices the server sends the whole city (not scoped) must also have been
  // sent all of it before their picture of the city is complete.
  const bool scoped =
      std::any_of(city.all.begin(), city.all.end(), [](const DevicePtr& d) { return d->scoped(); });
  if (done && !scoped)
    run.wait_until(
        [&] {
          return std::all_of(city.all.begin(), city.all.end(), [](const DevicePtr& d) {
            return d->failed() || d->cursor_reached_at() != Clock::time_point{};
          });
        },
        "every device to be sent the whole city");
  readings.finish(out);
  out["devices_scoped_by_server"] = scoped;
  // Untimed: each device applies what it kept (before anything reads a replica).
  const auto apply_start = Clock::now();
  std::vector<std::future<void>> applied;
  for (auto& device : city.all) applied.push_back(device->materialize());
  for (auto& f : applied) f.get();
  out["devices_applied_in_phase"] = o.apply_in_phase;
  out["devices_apply_after_phase_s"] =
      o.apply_in_phase ? json(nullptr) : json(seconds_between(apply_start, Clock::now()));
  if (!done) return out;
  city.connected = true;
  city.sequence = target;

  std::vector<double> converged, acked;
  Clock::time_point first_push = Clock::time_point::max(), last_ack = start, last_synced = start;
  Clock::time_point last_whole_city = start;
  bool everyone_got_the_city = true;
  for (auto& device : city.all) {
    if (device->failed()) continue;
    if (device->cursor_reached_at() == Clock::time_point{}) everyone_got_the_city = false;
    last_whole_city = std::max(last_whole_city, device->cursor_reached_at());
    converged.push_back(seconds_between(start, device->synced_at()));
    acked.push_back(seconds_between(start, device->last_ack_at()));
    if (device->first_push_at() >= start) first_push = std::min(first_push, device->first_push_at());
    last_ack = std::max(last_ack, device->last_ack_at());
    last_synced = std::max(last_synced, device->synced_at());
  }
  const double ingest_window = seconds_between(start, last_ack);
  out["converged_s"] = seconds_between(start, last_synced);
  // Unscoped devices are sent the whole city: when the last one had it all
  // (null when devices are scoped and so never sent other neighborhoods').
  out["whole_city_delivered_s"] =
      everyone_got_the_city && !scoped ? json(seconds_between(start, last_whole_city)) : json(nullptr);
  out["all_acknowledged_s"] = ingest_window;
  out["first_push_after_s"] =
      first_push == Clock::time_point::max() ? json(nullptr) : json(seconds_between(start, first_push));
  out["ingest_changes_per_s"] = ingest_window > 0 ? static_cast<double>(total) / ingest_window : 0.0;
  out["device_converged_s"] = percentiles(converged);
  out["device_all_acknowledged_s"] = percentiles(acked);
  out["wait_overshoot_s"] = seconds_between(last_synced, waited);
  if (const auto memory = read_memory(o.server_pid)) {
    out["server_peak_rss_kib"] = memory->hwm_kib;
    out["server_rss_after_kib"] = memory->rss_kib;
  }
  if (memory_before) out["server_rss_before_kib"] = memory_before->rss_kib;

  json verified = json::object();
  bool identical = true;
  verify_convergence(run, city, verified, identical);
  diverged = diverged || !identical;
  out["verification"] = verified;
  return out;
}

}  // namespace psc::load
