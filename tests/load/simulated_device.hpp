// SimulatedDevice: one device of the load, speaking the real sync protocol
// over its own WebSocket (psc/protocol.hpp), as the web client does:
//   hello {cursor} -> welcome -> catch-up pages, then live pages;
//   its outbox, cursor and pushes kept by the core's DeviceSync, the same
//   state machine the web app runs (psc/device_sync.hpp): batches of at most
//   welcome.max_batch (never splitting a record's creation, never over
//   welcome.max_message_bytes), at most --pushes-in-flight awaiting their ack;
//   every received page applied to its LocalDevice (a full device), or only
//   read and counted (a listener, which holds no replica and never pushes;
//   while the LoadRun has a PageObserver, a listener decodes its pages too,
//   through the shared PageDecoder, so the observer sees them).
// A connection the server drops (or that cannot be opened) is opened again
// after a jittered, exponentially growing pause (50 ms doubling to 1.6 s,
// reset by a welcome; at most --max-reconnects attempts in a row without a
// welcome) with the last cursor, and unacknowledged batches go back to the
// front of the outbox and are sent again, as a real device does. With a
// Ledger on the LoadRun, every push and ack is recorded there.
//
// Shape: Beast's client, on the device's own strand; every handler bound with
// shared_from_this() and the connection it belongs to, so a handler of a
// connection already replaced does nothing. One write in flight; the rest queued.
//
// Thread-safety: the public methods post to the strand and may be called from
// any thread; the accessors marked "any thread" read atomics. Anything else —
// the LocalDevice in particular — is touched only through call_on_strand().
#pragma once

#include <atomic>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <random>
#include <string>
#include <unordered_set>
#include <vector>

#include "load_run.hpp"
#include "psc/device_sync.hpp"
#include "psc/local_device.hpp"
#include "psc/protocol.hpp"

namespace psc::load {

struct DeviceConfig {
  std::string id;
  // Index of the device's neighborhood (RecordDirectory); -1 for a device that
  // applies every change (the seeding device, the final catch-up checker). A
  // listener's neighborhood only says whose changes it is expected to receive.
  int neighborhood = -1;
  bool keeps_replica = true;  // false: a listener
  int64_t cursor = 0;         // the cursor of its first hello
};

class SimulatedDevice : public std::enable_shared_from_this<SimulatedDevice> {
 public:
  using AckHook = std::function<void(SimulatedDevice&, const Ack&)>;

  SimulatedDevice(LoadRun& run, DeviceConfig config);
  ~SimulatedDevice();

  // Opens a connection and says hello with the current cursor. Counts once in
  // counters().ready when the first page with more=false arrives.
  void connect();
  // Closes politely once queued messages are written; then closed() holds.
  void disconnect();
  // The device becomes synced_for(the returned generation), counts once in
  // counters().synced and records synced_at, once nothing is left
  // unacknowledged and it holds what it should:
  //  - a device of a neighborhood: `neighborhood_changes` distinct changes of
  //    that neighborhood (received or its own) — every record of its
  //    neighborhood, whether the server sends it the city or only its scope;
  //  - a device of no neighborhood (it applies everything): every change up
  //    to sequence `cursor`.
  // A device of a neighborhood also records cursor_reached_at when its cursor
  // reaches `cursor` (it has been sent the whole city), if that happens.
  uint64_t set_target(int64_t cursor, uint64_t neighborhood_changes);
  // Adds changes to the outbox; sent once welcomed.
  void push(std::vector<Change> changes);
  // The same, on the strand only: sends at once when possible.
  void enqueue(std::vector<Change> changes);
  // Runs on the strand after each ack is handled.
  void set_ack_hook(AckHook hook);
  // Meeting-night reconnect: the device keeps the changes it is sent (counted
  // as held, as a tablet stores them) and applies them to its replica only in
  // materialize(). The simulated devices share one core of the tool, where
  // real tablets each have their own: applying 102 replicas in series inside
  // the timed phase would measure the tool, not the server.
  void defer_applies();
  // Applies what was kept and returns to applying on arrival.
  std::future<void> materialize();

  // Runs f() on the device's strand and returns its result.
  template <typename F>
  auto call_on_strand(F f) -> std::future<decltype(f())> {
    auto task = std::make_shared<std::packaged_task<decltype(f())()>>(std::move(f));
    auto result = task->get_future();
    net::post(strand_, [task] { (*task)(); });
    return result;
  }

  // The device's strand: for timers whose handlers touch the device.
  net::strand<net::io_context::executor_type> strand() const { return strand_; }

  // On the strand only.
  LocalDevice& local() { return *local_; }
  // Distinct changes held (received fresh or authored here) by the neighborhood
  // they belong to (RecordDirectory index; the last entry counts unknown ones).
  const std::vector<uint64_t>& held_by_neighborhood() const { return held_by_neighborhood_; }
  int64_t max_batch() const { return sync_.max_batch(); }

  // Any thread.
  const std::string& id() const { return config_.id; }
  int neighborhood() const { return config_.neighborhood; }
  int64_t cursor() const { return cursor_.load(); }
  bool synced_for(uint64_t generation) const { return synced_generation_.load() >= generation; }
  bool closed() const { return closed_.load(); }
  bool failed() const { return failed_.load(); }
  // The server's last welcome named a neighborhood: it sends only that one's changes.
  bool scoped() const { return scoped_.load(); }
  uint64_t unacknowledged() const { return unacknowledged_.load(); }
  Clock::time_point synced_at() const { return Clock::time_point(Clock::duration(synced_at_.load())); }
  // Zero time_point until the cursor reached the target's sequence.
  Clock::time_point cursor_reached_at() const {
    return Clock::time_point(Clock::duration(cursor_reached_at_.load()));
  }
  Clock::time_point first_push_at() const {
    return Clock::time_point(Clock::duration(first_push_at_.load()));
  }
  Clock::time_point last_ack_at() const { return Clock::time_point(Clock::duration(last_ack_at_.load())); }
  uint64_t reconnects() const { return reconnects_.load(); }

 private:
  struct Connection;

  void open_connection();
  void on_connect(const std::shared_ptr<Connection>& conn, boost::system::error_code ec);
  void on_handshake(const std::shared_ptr<Connection>& conn, boost::system::error_code ec);
  void do_read(const std::shared_ptr<Connection>& conn);
  void on_read(const std::shared_ptr<Connection>& conn, boost::system::error_code ec);
  void handle_message(std::string_view text);
  void on_welcome(const Welcome& welcome);
  void on_page(const std::shared_ptr<const DecodedMessage>& decoded, const ChangesPage& page);
  // Counts (and keeps, when deferring) change `i` of a page; true when new here.
  bool receive(const std::shared_ptr<const DecodedMessage>& decoded, const Change& change, uint64_t now_ms);
  void on_ack(const Ack& ack);
  void pump();
  void send(const std::shared_ptr<Connection>& conn, std::string text);
  void write_front(const std::shared_ptr<Connection>& conn);
  void on_write(const std::shared_ptr<Connection>& conn, boost::system::error_code ec);
  void start_close(const std::shared_ptr<Connection>& conn);
  void connection_lost(const std::shared_ptr<Connection>& conn, const std::string& reason);
  void maybe_synced();
  void update_unacknowledged();
  void count_held(int scope);

  LoadRun& run_;
  const DeviceConfig config_;
  net::strand<net::io_context::executor_type> strand_;
  net::steady_timer retry_timer_;
  std::unique_ptr<LocalDevice> local_;  // null for a listener
  std::minstd_rand jitter_;

  std::shared_ptr<Connection> conn_;  // the current connection, if any
  bool stopping_ = false;             // disconnect() asked: no reconnection
  bool refused_ = false;              // an error before the welcome: no reconnection
  bool ready_reported_ = false;       // reset by connect()
  bool synced_reported_ = true;       // reset by set_target()
  int64_t target_ = 0;
  uint64_t target_changes_ = 0;
  uint64_t target_generation_ = 0;
  std::vector<uint64_t> held_by_neighborhood_;
  // defer_applies(): changes kept for materialize(), with their pages (shared
  // with the other devices), and the (hlc, device) of each so a copy counts once.
  bool deferring_ = false;
  std::vector<std::pair<std::shared_ptr<const DecodedMessage>, const Change*>> deferred_;
  std::unordered_set<uint64_t> deferred_ids_;
  DeviceSync sync_;
  uint64_t batch_number_ = 0;
  int attempts_without_welcome_ = 0;  // reconnections since the last welcome
  AckHook ack_hook_;

  std::atomic<int64_t> cursor_{0};
  std::atomic<uint64_t> next_generation_{0}, synced_generation_{0};
  std::atomic<bool> closed_{false}, failed_{false}, scoped_{false};
  std::atomic<uint64_t> unacknowledged_{0};
  std::atomic<Clock::rep> synced_at_{0}, first_push_at_{0}, last_ack_at_{0}, cursor_reached_at_{0};
  std::atomic<uint64_t> reconnects_{0};
};

}  // namespace psc::load
