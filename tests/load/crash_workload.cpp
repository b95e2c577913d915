// The crash workload (issue 6, item 5): meeting night while the server is
// killed with SIGKILL at random moments and restarted on the same data.
//
//  1. Set-up as for reconnect: shared priorities seeded, every device caught
//     up once, then offline; each device authors its meeting into its outbox.
//  2. Every device reconnects at once and pushes (the ingest). The kill
//     schedule, drawn from --crash-seed, puts kill k at a count of distinct
//     acknowledged changes in the k-th of --kills equal slices of 5%..95% of
//     the ingest, plus a random 0..--kill-delay-max-ms. psc-load then SIGKILLs
//     the server, leaves it down a random 0..--down-max-ms, and restarts it on
//     the same --server-data and port. Devices lose their connections, retry
//     with backoff, and send their unacknowledged batches again.
//  3. After the last restart every device's outbox must be acknowledged. Then
//     the ledger (ledger.hpp: every push and ack, kept by psc-load) is checked
//     against a fresh client that catches up from cursor 0, counting every
//     change id it is sent: each sent change was acknowledged, none rejected,
//     each is there exactly once, and no change id comes twice. Then every
//     device's replica is compared with a fresh client's (verify_convergence),
//     the server is stopped with SIGTERM (it must exit 0), and the SQLite file
//     is read directly: integrity_check, rows per change_id (each ledger
//     change exactly one row, no change_id on two rows).
// Any violation is noted as an error with the change id, its device and the
// server life that acknowledged it; psc-load exits non-zero.
#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <random>
#include <thread>
#include <unordered_map>

#include "health_probe.hpp"
#include "ledger.hpp"
#include "server_process.hpp"
#include "workloads.hpp"

namespace psc::load {

using nlohmann::json;

namespace {

// Counts every change id one device (the fresh catch-up client) is sent.
class CopyCounter : public PageObserver {
 public:
  explicit CopyCounter(std::string device) : device_(std::move(device)) {}
  void on_page(const SimulatedDevice& device, const DecodedMessage& decoded, Clock::time_point) override {
    if (device.id() != device_) return;
    const auto* page = std::get_if<ChangesPage>(&decoded.message);
    if (!page) return;
    std::lock_guard lock(mutex_);
    for (const auto& change : page->changes) ++copies_[change.id()];
    received_ += page->changes.size();
  }
  std::unordered_map<std::string, uint32_t> copies() const {
    std::lock_guard lock(mutex_);
    return copies_;
  }
  uint64_t received() const {
    std::lock_guard lock(mutex_);
    return received_;
  }

 private:
  const std::string device_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, uint32_t> copies_;  // GUARDED_BY(mutex_)
  uint64_t received_ = 0;                             // GUARDED_BY(mutex_)
};

struct KillPoint {
  uint64_t threshold = 0;  // distinct acknowledged changes of the ingest
  int delay_ms = 0;
  int down_ms = 0;
};

std::vector<KillPoint> plan_kills(const LoadOptions& o, uint64_t total) {
  std::mt19937_64 rng(o.crash_seed);
  auto unit = [&] { return static_cast<double>(rng() >> 11) * 0x1.0p-53; };
  std::vector<KillPoint> plan;
  const double lo = 0.05 * static_cast<double>(total), hi = 0.95 * static_cast<double>(total);
  for (int k = 0; k < o.kills; ++k) {
    const double a = lo + (hi - lo) * k / o.kills, b = lo + (hi - lo) * (k + 1) / o.kills;
    KillPoint p;
    p.threshold = std::max<uint64_t>(1, static_cast<uint64_t>(a + (b - a) * unit()));
    p.delay_ms = static_cast<int>(rng() % static_cast<uint64_t>(o.kill_delay_max_ms + 1));
    p.down_ms = static_cast<int>(rng() % static_cast<uint64_t>(o.down_max_ms + 1));
    plan.push_back(p);
  }
  return plan;
}

uint64_t unacknowledged(const City& city) {
  uint64_t n = 0;
  for (const auto& d : city.all) n += d->unacknowledged();
  return n;
}

enum class KillPointWait { reached, ingest_over, failed };

// Polls (every millisecond: acks come fast) until `accepted` distinct changes
// are acknowledged. ingest_over when no device has anything unacknowledged
// first (kill points are below 95% of the ingest, so only changes that were
// never acknowledged can cause that: the ledger check names them); failed,
// with an error noted, when the run failed or timed out.
KillPointWait wait_for_kill_point(LoadRun& run, const City& city, const Ledger& ledger, uint64_t accepted,
                                  int kill) {
  const auto deadline = Clock::now() + std::chrono::seconds(run.options().timeout_s);
  for (;;) {
    if (ledger.distinct_accepted() >= accepted) return KillPointWait::reached;
    if (run.error_count() > 0) return KillPointWait::failed;
    if (unacknowledged(city) == 0) return KillPointWait::ingest_over;
    if (Clock::now() >= deadline) {
      run.note_error("crash: timed out after " + std::to_string(run.options().timeout_s) +
                     " s waiting for kill point " + std::to_string(kill));
      return KillPointWait::failed;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

std::string acknowledged_by(const Ledger::Entry& e, int final_life) {
  const std::string sent = "sent " + std::to_string(e.sent) + (e.sent == 1 ? " time, " : " times, ");
  if (e.accepted == 0) return sent + "never acknowledged";
  return sent + "first acknowledged by server life " + std::to_string(e.first_accepted_life) +
         (e.first_accepted_life < final_life
              ? " (then killed by kill " + std::to_string(e.first_accepted_life + 1) + ")"
              : " (the last)");
}

// Notes up to `limit` messages of one kind, then how many more there were.
class Violations {
 public:
  Violations(LoadRun& run, std::string kind) : run_(run), kind_(std::move(kind)) {}
  void add(const std::string& message) {
    if (++count_ <= kLimit) run_.note_error("crash: " + message);
  }
  uint64_t count() const { return count_; }
  void finish() {
    if (count_ > kLimit)
      run_.note_error("crash: " + std::to_string(count_ - kLimit) + " more " + kind_ + " not listed");
  }

 private:
  static constexpr uint64_t kLimit = 10;
  LoadRun& run_;
  std::string kind_;
  uint64_t count_ = 0;
};

}  // namespace

json run_crash(LoadRun& run, City& city, ServerProcess& server, Ledger& ledger, bool& diverged) {
  const LoadOptions& o = run.options();
  json out = json::object();
  out["crash_seed"] = o.crash_seed;
  out["server_log"] = server.log_path();
  if (!seed_shared_priorities(run, city)) return out;
  if (!city.connected && !connect_city(run, city)) return out;
  if (!disconnect_city(run, city)) return out;  // meeting night: everyone offline
  out["devices"] = city.all.size();

  std::vector<std::future<std::size_t>> authored;
  for (std::size_t i = 0; i < city.all.size(); ++i) authored.push_back(author_meeting_changes(run, city, i));
  std::size_t total = 0;
  for (auto& f : authored) total += f.get();
  out["changes_authored"] = total;
  const std::size_t per_device = static_cast<std::size_t>(o.priorities_per_device * 6 + o.edits_per_device);
  if (total != city.all.size() * per_device || total == 0) {
    if (total == 0)
      run.note_error("crash: no changes to ingest (--priorities-per-device, --edits-per-device)");
    return out;
  }
  const int64_t target = city.sequence + static_cast<int64_t>(total);
  for (auto& count : city.neighborhood_changes)
    count += static_cast<uint64_t>(o.devices_per_neighborhood) * per_device;
  std::vector<uint64_t> generations;
  for (auto& device : city.all)
    generations.push_back(device->set_target(
        target, city.neighborhood_changes[static_cast<std::size_t>(device->neighborhood())]));

  // The schedule, relative to what was acknowledged before the ingest.
  const uint64_t before = ledger.distinct_accepted();
  const std::vector<KillPoint> plan = plan_kills(o, total);
  std::cerr << "psc-load: crash: seed " << o.crash_seed << " (--crash-seed " << o.crash_seed
            << " repeats this schedule); " << o.kills << " kills at";
  for (const auto& p : plan) std::cerr << ' ' << p.threshold << "+" << p.delay_ms << "ms";
  std::cerr << " of " << total << " changes acknowledged" << std::endl;

  const auto start = Clock::now();
  for (auto& device : city.all) device->connect();
  json kills = json::array();
  std::string ended_early;  // the ingest ended before this kill point
  for (int k = 0; k < o.kills; ++k) {
    const KillPoint& p = plan[static_cast<std::size_t>(k)];
    const KillPointWait waited = wait_for_kill_point(run, city, ledger, before + p.threshold, k + 1);
    if (waited == KillPointWait::failed) {
      out["kills"] = kills;
      return out;
    }
    if (waited == KillPointWait::ingest_over) {
      ended_early = "the ingest ended with " + std::to_string(ledger.distinct_accepted() - before) + " of " +
                    std::to_string(total) + " changes acknowledged, before kill point " +
                    std::to_string(k + 1) + " (" + std::to_string(p.threshold) + "): only " +
                    std::to_string(k) + " of " + std::to_string(o.kills) + " kills";
      std::cerr << "psc-load: crash: " << ended_early << std::endl;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(p.delay_ms));
    const uint64_t at = ledger.distinct_accepted() - before;
    const uint64_t open = unacknowledged(city);
    const int pid = server.pid();
    const double at_s = seconds_between(start, Clock::now());
    if (auto s = server.kill_hard(); !s) {
      run.note_error("crash: kill " + std::to_string(k + 1) + ": " + s.message());
      out["kills"] = kills;
      return out;
    }
    ledger.begin_life(k + 1);
    std::this_thread::sleep_for(std::chrono::milliseconds(p.down_ms));
    const auto restart = Clock::now();
    if (auto s = server.start(o.timeout_s); !s) {
      run.note_error("crash: restart after kill " + std::to_string(k + 1) + ": " + s.message());
      out["kills"] = kills;
      return out;
    }
    const double restart_s = seconds_between(restart, Clock::now());
    std::cerr << "psc-load: crash: kill " << k + 1 << "/" << o.kills << " (SIGKILL pid " << pid << ") at "
              << at << "/" << total << " acknowledged, " << open << " unacknowledged; down " << p.down_ms
              << " ms; restarted as pid " << server.pid() << " in " << restart_s << " s" << std::endl;
    kills.push_back({{"kill", k + 1},
                     {"pid", pid},
                     {"at_s", at_s},
                     {"kill_point", p.threshold},
                     {"delay_ms", p.delay_ms},
                     {"acknowledged_at_kill", at},
                     {"unacknowledged_at_kill", open},
                     {"down_ms", p.down_ms},
                     {"restart_s", restart_s},
                     {"new_pid", server.pid()}});
  }
  out["kills"] = kills;
  if (!ended_early.empty()) out["ended_early"] = ended_early;

  // After the last restart: every outbox acknowledged.
  if (!run.wait_until(
          [&] {
            return std::all_of(city.all.begin(), city.all.end(),
                               [](const DevicePtr& d) { return d->failed() || d->unacknowledged() == 0; });
          },
          "every device's outbox to be acknowledged after the last restart"))
    return out;
  out["ingest_s"] = seconds_between(start, Clock::now());
  out["reconnections"] = run.counters().reconnects.load();

  // A fresh client from cursor 0, counting every change id it is sent.
  const auto health = fetch_health(o.port);
  if (!health || !(*health)["sequence"].is_number_integer()) {
    run.note_error("crash: the restarted server does not answer /health");
    return out;
  }
  const int64_t server_sequence = (*health)["sequence"].get<int64_t>();
  CopyCounter counter(checker_id(o));
  run.set_page_observer(&counter);
  auto checker = std::make_shared<SimulatedDevice>(run, DeviceConfig{checker_id(o), -1, true, 0});
  checker->connect();
  const uint64_t checker_generation = checker->set_target(server_sequence, 0);
  const bool caught_up =
      run.wait_until([&] { return checker->synced_for(checker_generation) || checker->failed(); },
                     "a fresh client to catch up from cursor 0");
  run.set_page_observer(nullptr);
  checker->disconnect();
  run.wait_until([&] { return checker->closed() || checker->failed(); }, "the fresh client to close");
  if (!caught_up || checker->failed()) return out;

  const auto entries = ledger.entries();
  const auto copies = counter.copies();
  const int final_life = ledger.life();
  Violations never_acked(run, "changes never acknowledged"), rejected(run, "rejected changes"),
      lost(run, "lost changes"), doubled(run, "duplicated changes");
  uint64_t by_killed_life = 0, sent_again = 0, accepted = 0;
  for (const auto& [id, e] : entries) {
    const auto it = copies.find(id);
    const uint32_t n = it == copies.end() ? 0 : it->second;
    if (e.accepted > 0) ++accepted;
    if (e.accepted > 0 && e.first_accepted_life < final_life) ++by_killed_life;
    if (e.sent > 1) ++sent_again;
    if (e.accepted == 0)
      never_acked.add("change " + id + " of " + e.device + " was " + acknowledged_by(e, final_life));
    if (e.rejected > 0)
      rejected.add("change " + id + " of " + e.device + " was rejected " + std::to_string(e.rejected) +
                   " times");
    if (n == 0)
      lost.add("LOST: change " + id + " of " + e.device + ", " + acknowledged_by(e, final_life) +
               ", is not in a fresh catch-up");
    if (n > 1)
      doubled.add("DUPLICATE: change " + id + " of " + e.device + ", " + acknowledged_by(e, final_life) +
                  ", comes " + std::to_string(n) + " times in a fresh catch-up");
  }
  for (const auto& [id, n] : copies)
    if (n > 1 && !entries.count(id))
      doubled.add("DUPLICATE: change " + id + " (not one of psc-load's) comes " + std::to_string(n) +
                  " times in a fresh catch-up");
  for (auto* v : {&never_acked, &rejected, &lost, &doubled}) v->finish();
  for (const auto& problem : ledger.problems()) run.note_error("crash: ledger: " + problem);
  const bool ledger_ok = never_acked.count() + rejected.count() + lost.count() + doubled.count() == 0 &&
                         ledger.problems().empty();
  out["ledger"] = {{"changes", entries.size()},
                   {"acknowledged", accepted},
                   {"acknowledged_by_a_killed_server", by_killed_life},
                   {"sent_more_than_once", sent_again},
                   {"server_lives", final_life + 1},
                   {"never_acknowledged", never_acked.count()},
                   {"rejected", rejected.count()},
                   {"ok", ledger_ok},
                   {"by_device", ledger.summary_by_device(final_life)}};
  out["fresh_catch_up"] = {{"server_sequence", server_sequence},
                           {"changes_received", counter.received()},
                           {"distinct", copies.size()},
                           {"lost", lost.count()},
                           {"duplicated", doubled.count()}};

  // Every device's replica, and a fresh client's, identical.
  json verified = json::object();
  if (ledger_ok) {
    const bool done = run.wait_until(
        [&] {
          for (std::size_t i = 0; i < city.all.size(); ++i)
            if (!city.all[i]->synced_for(generations[i]) && !city.all[i]->failed()) return false;
          return true;
        },
        "every device to converge after the last restart");
    if (done) {
      out["converged_s"] = seconds_between(start, Clock::now());
      city.connected = true;
      city.sequence = target;
      bool identical = true;
      verify_convergence(run, city, verified, identical);
      diverged = diverged || !identical;
    }
  } else {
    verified["skipped"] = "the ledger check failed";
  }
  out["verification"] = verified;

  // The store itself, with the server stopped politely.
  disconnect_city(run, city);
  if (auto s = server.stop(10); !s) run.note_error("crash: stopping the server: " + s.message());
  json store = json::object();
  std::unordered_map<std::string, int64_t> rows;
  try {
    SQLite::Database db((std::filesystem::path(server.data_dir()) / "psc.sqlite").string(),
                        SQLite::OPEN_READONLY);
    store["integrity_check"] = db.execAndGet("PRAGMA integrity_check").getString();
    if (store["integrity_check"] != "ok")
      run.note_error("crash: PRAGMA integrity_check says " + store["integrity_check"].get<std::string>());
    SQLite::Statement q(db, "SELECT change_id, COUNT(*) FROM changes_readable GROUP BY change_id");
    int64_t total_rows = 0;
    while (q.executeStep()) {
      rows[q.getColumn(0).getString()] = q.getColumn(1).getInt64();
      total_rows += q.getColumn(1).getInt64();
    }
    store["rows"] = total_rows;
    store["max_seq"] = db.execAndGet("SELECT COALESCE(MAX(seq), 0) FROM changes").getInt64();
  } catch (const std::exception& e) {
    run.note_error(std::string("crash: reading the store: ") + e.what());
    out["store"] = store;
    return out;
  }
  Violations missing_rows(run, "changes missing from the store"), extra_rows(run, "changes on several rows");
  for (const auto& [id, e] : entries) {
    const auto it = rows.find(id);
    const int64_t n = it == rows.end() ? 0 : it->second;
    if (n == 0)
      missing_rows.add("LOST: change " + id + " of " + e.device + ", " + acknowledged_by(e, final_life) +
                       ", has no row in psc.sqlite");
    if (n > 1)
      extra_rows.add("DUPLICATE: change " + id + " of " + e.device + ", " + acknowledged_by(e, final_life) +
                     ", is on " + std::to_string(n) + " rows of psc.sqlite");
  }
  for (const auto& [id, n] : rows)
    if (n > 1 && !entries.count(id))
      extra_rows.add("DUPLICATE: change " + id + " is on " + std::to_string(n) + " rows of psc.sqlite");
  missing_rows.finish();
  extra_rows.finish();
  store["ledger_changes_missing"] = missing_rows.count();
  store["change_ids_on_several_rows"] = extra_rows.count();
  out["store"] = store;
  if (!ended_early.empty()) run.note_error("crash: " + ended_early);

  if (!o.ledger_file.empty()) {
    std::ofstream file(o.ledger_file);
    for (const auto& [id, e] : entries) {
      const auto c = copies.find(id);
      const auto r = rows.find(id);
      file << json{{"change", id},
                   {"device", e.device},
                   {"sent", e.sent},
                   {"accepted", e.accepted},
                   {"rejected", e.rejected},
                   {"first_accepted_life", e.first_accepted_life},
                   {"in_catch_up", c == copies.end() ? 0 : c->second},
                   {"rows", r == rows.end() ? 0 : r->second}}
                  .dump()
           << "\n";
    }
    if (!file) run.note_error("crash: cannot write the ledger to " + o.ledger_file);
  }
  return out;
}

}  // namespace psc::load
