// The server's Prometheus metrics, served at GET /metrics in the text
// exposition format (version 0.0.4). Hand-written rather than Debian's
// prometheus-cpp: the format is a few lines per metric, and the library would
// bring a second HTTP server beside Beast. Counts only: no ids, names or
// addresses, so the endpoint may be scraped without a token.
//
// One process-wide registry (metrics()), updated from any thread with relaxed
// atomics; the gauges that are a state rather than a count (connections by
// role, live window bytes) are read from their owners at scrape time.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace psc::server {

class Counter {
 public:
  void add(uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

// A counter per label value (a rejection code): few distinct values.
class LabeledCounter {
 public:
  void add(const std::string& label, uint64_t n = 1);
  std::map<std::string, uint64_t> values() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, uint64_t> values_;  // GUARDED_BY(mutex_)
};

// Cumulative buckets with upper bounds `bounds` (ascending), their sum and count.
class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds);
  void observe(double value);
  struct Snapshot {
    std::vector<double> bounds;
    std::vector<uint64_t> cumulative;  // per bound, then +Inf
    double sum = 0;
    uint64_t count = 0;
  };
  Snapshot snapshot() const;

 private:
  std::vector<double> bounds_;
  mutable std::mutex mutex_;
  std::vector<uint64_t> counts_;  // GUARDED_BY(mutex_): per bucket (not cumulative), then +Inf
  double sum_ = 0;                // GUARDED_BY(mutex_)
};

struct Metrics {
  Counter pushes;                      // push messages received over sync connections
  Counter handoff_files;               // hand-off files taken
  Counter acks;                        // acks sent (sync and hand-off)
  Counter changes_accepted;            // changes acknowledged as stored (resends included)
  LabeledCounter changes_rejected;     // by code
  Counter changes_from_other_servers;  // read from a shared store, committed by other servers
  Counter catchup_pages;               // pages read from the store for a device behind the live window
  Counter live_pages;                  // pages sent from the live window
  Counter sign_in_failures;            // wrong passwords and kiosk codes
  Counter http_requests;               // HTTP requests answered (not WebSocket messages)
  std::atomic<int64_t> commit_queue_depth{0};  // pushes waiting for the commit thread
  Histogram commit_group_pushes{{1, 2, 4, 8, 16, 32, 64, 128, 256}};
  Histogram commit_seconds{{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5}};
};

Metrics& metrics();

// What the scrape reads from the running server besides the registry.
struct ScrapeState {
  std::string version;
  std::map<std::string, int64_t> connections_by_role;
  int64_t sequence = 0;
  int64_t records = 0;
  int64_t live_window_bytes = 0;
  bool ready = false;
};

// The text exposition of `metrics` and `state`.
std::string render_metrics(const Metrics& metrics, const ScrapeState& state);

}  // namespace psc::server
