#include "metrics.hpp"

#include <charconv>

namespace psc::server {

void LabeledCounter::add(const std::string& label, uint64_t n) {
  std::lock_guard lock(mutex_);
  values_[label] += n;
}

std::map<std::string, uint64_t> LabeledCounter::values() const {
  std::lock_guard lock(mutex_);
  return values_;
}

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), counts_(bounds_.size() + 1, 0) {}

void Histogram::observe(double value) {
  std::size_t bucket = 0;
  while (bucket < bounds_.size() && value > bounds_[bucket]) ++bucket;
  std::lock_guard lock(mutex_);
  ++counts_[bucket];
  sum_ += value;
}

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot out;
  out.bounds = bounds_;
  std::lock_guard lock(mutex_);
  uint64_t running = 0;
  for (uint64_t n : counts_) {
    running += n;
    out.cumulative.push_back(running);
  }
  out.count = running;
  out.sum = sum_;
  return out;
}

Metrics& metrics() {
  static Metrics instance;
  return instance;
}

namespace {

// The shortest text that reads back as `v` (0.0025, not 0.0025000000000000001).
std::string number(double v) {
  char buffer[32];
  const auto end = std::to_chars(buffer, buffer + sizeof buffer, v).ptr;
  return std::string(buffer, end);
}

// Label values are codes and role names ([a-z_]), but escaped as the format asks.
std::string label_value(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

class Writer {
 public:
  void header(const char* name, const char* type, const char* help) {
    text_ += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
  }
  void sample(const std::string& name, double value, const std::string& labels = "") {
    text_ += name + (labels.empty() ? "" : "{" + labels + "}") + " " + number(value) + "\n";
  }
  void counter(const char* name, const char* help, const Counter& c) {
    header(name, "counter", help);
    sample(name, static_cast<double>(c.value()));
  }
  void gauge(const char* name, const char* help, double value) {
    header(name, "gauge", help);
    sample(name, value);
  }
  void histogram(const char* name, const char* help, const Histogram& h) {
    header(name, "histogram", help);
    const auto s = h.snapshot();
    for (std::size_t i = 0; i < s.bounds.size(); ++i)
      sample(std::string(name) + "_bucket", static_cast<double>(s.cumulative[i]),
             "le=\"" + number(s.bounds[i]) + "\"");
    sample(std::string(name) + "_bucket", static_cast<double>(s.cumulative.back()), "le=\"+Inf\"");
    sample(std::string(name) + "_sum", s.sum);
    sample(std::string(name) + "_count", static_cast<double>(s.count));
  }
  std::string take() { return std::move(text_); }

 private:
  std::string text_;
};

}  // namespace

std::string render_metrics(const Metrics& m, const ScrapeState& state) {
  Writer w;
  w.header("psc_build_info", "gauge", "The running psc-server's version.");
  w.sample("psc_build_info", 1, "version=\"" + label_value(state.version) + "\"");
  w.gauge("psc_ready", "1 when the server answers /readyz with 200.", state.ready ? 1 : 0);
  w.header("psc_connections", "gauge", "Open sync connections (signed in), by role.");
  for (const auto& [role, n] : state.connections_by_role)
    w.sample("psc_connections", static_cast<double>(n), "role=\"" + label_value(role) + "\"");
  w.gauge("psc_sequence", "The last committed change's sequence number.",
          static_cast<double>(state.sequence));
  w.gauge("psc_records", "Records in the server's replica.", static_cast<double>(state.records));
  w.gauge("psc_live_window_bytes", "Bytes of recent pages kept in memory for live devices.",
          static_cast<double>(state.live_window_bytes));
  w.gauge("psc_commit_queue_depth", "Pushes waiting for the commit thread.",
          static_cast<double>(m.commit_queue_depth.load(std::memory_order_relaxed)));
  w.counter("psc_pushes_total", "Push messages received over sync connections.", m.pushes);
  w.counter("psc_handoff_files_total", "Hand-off files taken.", m.handoff_files);
  w.counter("psc_acks_total", "Acks sent (sync pushes and hand-off files).", m.acks);
  w.counter("psc_changes_accepted_total", "Changes acknowledged as stored (resends included).",
            m.changes_accepted);
  w.header("psc_changes_rejected_total", "counter", "Changes refused, by the code the ack gives.");
  for (const auto& [code, n] : m.changes_rejected.values())
    w.sample("psc_changes_rejected_total", static_cast<double>(n), "code=\"" + label_value(code) + "\"");
  w.counter("psc_changes_from_other_servers_total",
            "Changes other servers sharing the store committed, read into this one's state and live log.",
            m.changes_from_other_servers);
  w.counter("psc_catchup_pages_total", "Pages read from the store for devices behind the live window.",
            m.catchup_pages);
  w.counter("psc_live_pages_total", "Pages sent from the live window.", m.live_pages);
  w.counter("psc_sign_in_failures_total", "Sign-ins refused: wrong passwords and kiosk codes.",
            m.sign_in_failures);
  w.counter("psc_http_requests_total", "HTTP requests answered.", m.http_requests);
  w.histogram("psc_commit_group_pushes", "Pushes committed together in one transaction.",
              m.commit_group_pushes);
  w.histogram("psc_commit_seconds", "Time to commit one group, fsync included.", m.commit_seconds);
  return w.take();
}

}  // namespace psc::server
