// LoadRun: what every simulated device of one psc-load run shares — the one
// io_context and its threads, the server's endpoint, the device tokens, the
// page decoder, counters, errors, and the main thread's waits.
//
// Threading: devices run on strands of the io_context (1 or 2 threads); the
// main thread only orchestrates phases: it posts work to devices and waits on
// counters with a deadline. Counters are atomics; errors are under a mutex.
#pragma once

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "load_options.hpp"
#include "page_decoder.hpp"
#include "psc/status.hpp"

namespace psc::load {

namespace net = boost::asio;
using Clock = std::chrono::steady_clock;

class SimulatedDevice;
class Ledger;

// Sees every changes page a full device applies, and every page a listener
// is sent while the observer is set (on that device's strand).
class PageObserver {
 public:
  virtual ~PageObserver() = default;
  virtual void on_page(const SimulatedDevice& device, const DecodedMessage& decoded,
                       Clock::time_point arrival) = 0;
};

struct RunCounters {
  std::atomic<uint64_t> bytes_sent{0};  // WebSocket payload bytes
  std::atomic<uint64_t> bytes_received{0};
  std::atomic<uint64_t> messages_sent{0};
  std::atomic<uint64_t> messages_received{0};
  std::atomic<uint64_t> changes_applied{0};  // fresh changes applied to device replicas
  std::atomic<uint64_t> reconnects{0};       // connections lost and opened again
  std::atomic<uint64_t> server_errors{0};    // `error` messages received
  std::atomic<uint64_t> rejected{0};         // changes refused in acks
  std::atomic<uint64_t> ready{0};            // connections welcomed and caught up once
  std::atomic<uint64_t> synced{0};           // devices that reached their target
  std::atomic<uint64_t> closed{0};           // devices closed on request
  std::atomic<uint64_t> failed{0};           // devices that gave up
};

class LoadRun {
 public:
  explicit LoadRun(LoadOptions options);
  ~LoadRun();

  // Reads --tokens. REQUIRES: before any device connects.
  Status load_tokens();
  void start();  // starts the io_context threads
  void stop();   // stops them (idempotent)

  const LoadOptions& options() const { return options_; }
  net::io_context& io() { return io_; }
  const net::ip::tcp::endpoint& endpoint() const { return endpoint_; }
  // The next local address to connect from: 127.0.0.1 .. 127.0.0.N in turn.
  net::ip::address_v4 next_source_address();
  std::string host_header() const;
  const std::string& token_for(const std::string& device) const;

  RecordDirectory& directory() { return directory_; }
  PageDecoder& decoder() { return decoder_; }
  RunCounters& counters() { return counters_; }

  void set_page_observer(PageObserver* observer) { observer_.store(observer); }
  PageObserver* page_observer() const { return observer_.load(); }
  // Sees every push and ack of every device (ledger.hpp); none by default.
  void set_ledger(Ledger* ledger) { ledger_.store(ledger); }
  Ledger* ledger() const { return ledger_.load(); }

  // Thread-safe. Keeps the first 100 messages; counts all.
  void note_error(const std::string& message);
  std::vector<std::string> errors() const;
  uint64_t error_count() const;

  // With --trace: "<seconds since start> <device> <event>" on stderr.
  void trace(const std::string& device, const std::string& event);

  // Wakes the main thread's wait_until.
  void notify();
  // Waits until done() holds, re-checking on every notify (and every 50 ms),
  // for at most --timeout-s. On timeout notes an error naming `what`. Returns
  // false at once when any error has been noted (the run has failed).
  bool wait_until(const std::function<bool()>& done, const std::string& what);

  // Connects `devices` (each says hello and catches up) with at most
  // --connect-concurrency handshakes outstanding; waits until all are ready.
  bool connect_paced(const std::vector<std::shared_ptr<SimulatedDevice>>& devices, const std::string& what);

 private:
  LoadOptions options_;
  net::io_context io_;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work_;
  std::vector<std::thread> threads_;
  net::ip::tcp::endpoint endpoint_;
  std::map<std::string, std::string> tokens_;
  RecordDirectory directory_;
  PageDecoder decoder_;
  RunCounters counters_;
  std::atomic<PageObserver*> observer_{nullptr};
  std::atomic<Ledger*> ledger_{nullptr};
  std::atomic<uint32_t> next_source_{0};
  const Clock::time_point started_ = Clock::now();
  std::mutex trace_mutex_;

  mutable std::mutex errors_mutex_;
  std::vector<std::string> errors_;  // GUARDED_BY(errors_mutex_)
  uint64_t error_count_ = 0;         // GUARDED_BY(errors_mutex_)

  std::mutex wake_mutex_;
  std::condition_variable wake_;
  uint64_t wake_generation_ = 0;  // GUARDED_BY(wake_mutex_)
};

// Milliseconds since the epoch (the physical clock devices stamp changes with).
uint64_t wall_ms();
double seconds_between(Clock::time_point from, Clock::time_point to);

}  // namespace psc::load
