#include <algorithm>
#include <boost/asio/steady_timer.hpp>
#include <iostream>
#include <mutex>
#include <unordered_map>

#include "priority_author.hpp"
#include "process_stats.hpp"
#include "psc/schema.hpp"
#include "workloads.hpp"

namespace psc::load {

using nlohmann::json;

namespace {

// Send-to-arrival latency of live edits at the other devices of the editor's
// neighborhood: its neighborhood devices and the extra listeners that belong
// to it. Arrival is when the receiving device has read and decoded the page
// holding the change (on its strand).
class LatencyRecorder : public PageObserver {
 public:
  void expect(const std::string& change_id, int neighborhood, Clock::time_point sent, int receivers) {
    std::lock_guard lock(mutex_);
    pending_[change_id] = {sent, neighborhood, receivers};
  }

  void on_page(const SimulatedDevice& device, const DecodedMessage& decoded,
               Clock::time_point arrival) override {
    const auto* page = std::get_if<ChangesPage>(&decoded.message);
    if (!page) return;
    for (std::size_t i = 0; i < page->changes.size(); ++i) {
      if (decoded.scope[i] != device.neighborhood() || page->changes[i].device == device.id()) continue;
      std::lock_guard lock(mutex_);
      auto it = pending_.find(page->changes[i].id());
      if (it == pending_.end()) continue;
      arrivals_ms_.push_back(std::chrono::duration<double, std::milli>(arrival - it->second.sent).count());
      if (--it->second.remaining == 0) pending_.erase(it);
    }
  }

  void record_ack(double ms) {
    std::lock_guard lock(mutex_);
    acks_ms_.push_back(ms);
  }
  std::size_t pending() {
    std::lock_guard lock(mutex_);
    return pending_.size();
  }
  // REQUIRES: no device reports any more.
  std::vector<double>& arrivals() { return arrivals_ms_; }
  std::vector<double>& acks() { return acks_ms_; }

 private:
  struct Pending {
    Clock::time_point sent;
    int neighborhood = 0;
    int remaining = 0;
  };
  std::mutex mutex_;
  std::unordered_map<std::string, Pending> pending_;  // GUARDED_BY(mutex_)
  std::vector<double> arrivals_ms_, acks_ms_;         // GUARDED_BY(mutex_)
};

// One editor: `count` single-field edits of its neighborhood's shared
// priorities, one at a time: each sent once the previous one is acknowledged
// and no sooner than `interval` after the previous one was sent (at once on
// the ack when the interval is zero). Strand only (the device's; the timer
// runs on it too). Shared, so a timer handler that outlives the phase (after a
// timeout) finds it stopped rather than gone.
struct Editor : std::enable_shared_from_this<Editor> {
  DevicePtr device;
  const std::vector<std::string>* shared = nullptr;
  LatencyRecorder* recorder = nullptr;
  LoadRun* run = nullptr;
  int receivers = 0;
  int remaining = 0;
  PriorityAuthor author{0, 40, 200};
  Clock::duration interval{};
  std::unique_ptr<net::steady_timer> timer;
  Clock::time_point sent;
  bool stopped = false;
  std::atomic<bool> done{false};

  // Sends the next edit at `due`, or at once when that has passed.
  void next_at(Clock::time_point due) {
    if (stopped) return;
    if (due <= Clock::now()) return next();
    timer->expires_at(due);
    timer->async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (!ec) self->next();
    });
  }

  void on_ack() {
    recorder->record_ack(std::chrono::duration<double, std::milli>(Clock::now() - sent).count());
    next_at(sent + interval);
  }

  void next() {
    if (stopped) return;
    if (remaining == 0) {
      done.store(true);
      run->notify();
      return;
    }
    --remaining;
    static const char* kFields[] = {"status", "rank", "title"};
    const std::string field = kFields[remaining % 3];
    json value;
    if (field == "status")
      value = priority_statuses()[author.pick(priority_statuses().size())];
    else if (field == "rank")
      value = static_cast<int>(1 + author.pick(1000));
    else
      value = "Live edit " + std::to_string(remaining) + " of " + device->id();
    auto edit = device->local().set_field("priority", (*shared)[author.pick(shared->size())], field, value,
                                          wall_ms());
    if (!edit) {
      run->note_error(device->id() + " could not edit live: " + edit.status().message());
      remaining = 0;
      return next();
    }
    sent = Clock::now();
    recorder->expect(edit.value().id(), device->neighborhood(), sent, receivers);
    device->enqueue({std::move(edit.value())});
  }
};

}  // namespace

json run_live(LoadRun& run, City& city, bool& diverged) {
  const LoadOptions& o = run.options();
  json out = json::object();
  if (!seed_shared_priorities(run, city)) return out;
  if (!city.connected && !connect_city(run, city)) return out;

  // Listeners that only read, caught up already (their first hello carries
  // the current sequence), to bring the connected count up. Each belongs to a
  // neighborhood and is one more receiver of that neighborhood's edits.
  std::vector<DevicePtr> extras;
  std::vector<int> extras_of(static_cast<std::size_t>(o.neighborhoods), 0);
  for (int i = 0; i < o.extra_devices; ++i) {
    const int n = extra_device_neighborhood(o, i);
    ++extras_of[static_cast<std::size_t>(n)];
    extras.push_back(
        std::make_shared<SimulatedDevice>(run, DeviceConfig{extra_device_id(o, i), n, false, city.sequence}));
  }
  const auto connect_start = Clock::now();
  if (!run.connect_paced(extras, "the extra devices to connect")) return out;
  out["extra_devices_connect_s"] = seconds_between(connect_start, Clock::now());
  out["connected_devices"] = city.all.size() + extras.size();
  if (const auto memory = read_memory(o.server_pid)) out["server_rss_connected_kib"] = memory->rss_kib;

  const Clock::duration interval = std::chrono::milliseconds(o.live_interval_ms);
  LatencyRecorder recorder;
  run.set_page_observer(&recorder);
  std::vector<std::shared_ptr<Editor>> editors;
  for (int n = 0; n < o.neighborhoods; ++n) {
    auto editor = std::make_shared<Editor>();
    editor->device = city.devices[static_cast<std::size_t>(n)].front();
    editor->shared = &city.shared_ids[static_cast<std::size_t>(n)];
    editor->recorder = &recorder;
    editor->run = &run;
    editor->receivers = o.devices_per_neighborhood - 1 + extras_of[static_cast<std::size_t>(n)];
    editor->remaining = o.live_edits;
    editor->author =
        PriorityAuthor(o.seed * 31 + static_cast<uint64_t>(n), o.title_chars, o.description_chars);
    editor->interval = interval;
    editor->timer = std::make_unique<net::steady_timer>(editor->device->strand());
    Editor* e = editor.get();
    editor->device->set_ack_hook([e](SimulatedDevice&, const Ack&) { e->on_ack(); });
    editors.push_back(std::move(editor));
  }

  PhaseReadings readings(run);
  const auto start = Clock::now();
  // The editors' first edits spread evenly over one interval, so that paced
  // editors do not all send in the same instant ever after.
  for (std::size_t k = 0; k < editors.size(); ++k) {
    Editor* e = editors[k].get();
    const auto due = start + interval * static_cast<Clock::rep>(k) / static_cast<Clock::rep>(editors.size());
    e->device->call_on_strand([e, due] { e->next_at(due); });
  }
  const bool done = run.wait_until(
      [&] {
        for (auto& editor : editors)
          if (!editor->done.load()) return false;
        return recorder.pending() == 0;
      },
      "the live edits to reach every device of their neighborhoods");
  const double elapsed = seconds_between(start, Clock::now());
  readings.finish(out);
  for (auto& editor : editors) {
    editor->device->set_ack_hook(nullptr);
    Editor* e = editor.get();
    // Stopped and its timer cancelled on its strand: nothing touches it after this.
    e->device
        ->call_on_strand([e] {
          e->stopped = true;
          e->timer->cancel();
        })
        .get();
  }
  run.set_page_observer(nullptr);
  // Nothing reports any more: each device's strand has run past the observer.
  for (auto& device : city.all) device->call_on_strand([] {}).get();
  for (auto& device : extras) device->call_on_strand([] {}).get();

  const std::size_t edits = editors.size() * static_cast<std::size_t>(o.live_edits);
  out["editors"] = editors.size();
  out["edits"] = edits;
  const auto [fewest, most] = std::minmax_element(extras_of.begin(), extras_of.end());
  out["receivers_per_edit"] = {{"min", o.devices_per_neighborhood - 1 + *fewest},
                               {"max", o.devices_per_neighborhood - 1 + *most}};
  out["live_interval_ms"] = o.live_interval_ms;
  // What the editors would send if every ack came back within the interval
  // (null for the closed loop), and what they did send.
  out["offered_edits_per_s"] = o.live_interval_ms > 0
                                   ? json(1000.0 * static_cast<double>(editors.size()) / o.live_interval_ms)
                                   : json(nullptr);
  out["live_s"] = elapsed;
  out["edits_per_s"] = elapsed > 0 ? static_cast<double>(edits) / elapsed : 0.0;
  out["arrival_latency_ms"] = percentiles(recorder.arrivals());
  out["ack_latency_ms"] = percentiles(recorder.acks());
  if (const auto memory = read_memory(o.server_pid)) {
    out["server_peak_rss_kib"] = memory->hwm_kib;
    out["server_rss_after_kib"] = memory->rss_kib;
  }
  if (!done) return out;

  city.sequence += static_cast<int64_t>(edits);
  for (auto& count : city.neighborhood_changes) count += static_cast<uint64_t>(o.live_edits);
  std::vector<uint64_t> generations;
  for (auto& device : city.all)
    generations.push_back(device->set_target(
        city.sequence, city.neighborhood_changes[static_cast<std::size_t>(device->neighborhood())]));
  run.wait_until(
      [&] {
        for (std::size_t i = 0; i < city.all.size(); ++i)
          if (!city.all[i]->synced_for(generations[i]) && !city.all[i]->failed()) return false;
        return true;
      },
      "every device to hold the live edits");
  json verified = json::object();
  bool identical = true;
  verify_convergence(run, city, verified, identical);
  diverged = diverged || !identical;
  out["verification"] = verified;
  for (auto& extra : extras) extra->disconnect();
  run.wait_until(
      [&] {
        return std::all_of(extras.begin(), extras.end(),
                           [](const DevicePtr& d) { return d->closed() || d->failed(); });
      },
      "the extra devices to close");
  return out;
}

}  // namespace psc::load
