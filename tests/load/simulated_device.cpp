#include "simulated_device.hpp"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include "ledger.hpp"

namespace psc::load {

namespace beast = boost::beast;
namespace websocket = beast::websocket;

namespace {
// Largest message a device reads; live pages are not bounded by the server.
constexpr std::size_t kMaxReadBytes = 256 * 1024 * 1024;

template <class... Ts>
struct overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
overloaded(Ts...) -> overloaded<Ts...>;
}  // namespace

struct SimulatedDevice::Connection {
  explicit Connection(const net::strand<net::io_context::executor_type>& strand) : ws(strand) {}
  websocket::stream<beast::tcp_stream> ws;
  beast::flat_buffer buffer;
  std::deque<std::string> queue;  // front is being written
  bool writing = false;
  bool close_requested = false;
  bool closing = false;
};

SimulatedDevice::SimulatedDevice(LoadRun& run, DeviceConfig config)
    : run_(run),
      config_(std::move(config)),
      strand_(net::make_strand(run.io())),
      retry_timer_(strand_),
      jitter_(static_cast<unsigned>(std::hash<std::string>{}(config_.id))),
      // No cap of the tool's own unless --max-batch: the server's max_batch rules.
      sync_(config_.cursor,
            {.max_batch = run.options().max_batch > 0 ? run.options().max_batch : int64_t{1} << 30,
             .pushes_in_flight = run.options().pushes_in_flight}) {
  if (config_.keeps_replica) local_ = std::make_unique<LocalDevice>(config_.id, run.options().actor);
  cursor_.store(config_.cursor);
}

SimulatedDevice::~SimulatedDevice() = default;

void SimulatedDevice::connect() {
  closed_.store(false);
  net::post(strand_, [self = shared_from_this()] {
    self->stopping_ = false;
    self->ready_reported_ = false;
    if (!self->conn_) self->open_connection();
  });
}

void SimulatedDevice::disconnect() {
  net::post(strand_, [self = shared_from_this()] {
    self->stopping_ = true;
    self->retry_timer_.cancel();
    if (!self->conn_) {
      ++self->run_.counters().closed;
      self->closed_.store(true);
      self->run_.notify();
      return;
    }
    self->conn_->close_requested = true;
    if (!self->conn_->writing) self->start_close(self->conn_);
  });
}

uint64_t SimulatedDevice::set_target(int64_t cursor, uint64_t neighborhood_changes) {
  const uint64_t generation = ++next_generation_;
  net::post(strand_, [self = shared_from_this(), cursor, neighborhood_changes, generation] {
    self->cursor_reached_at_.store(0);
    self->target_ = cursor;
    self->target_changes_ = neighborhood_changes;
    self->target_generation_ = generation;
    self->synced_reported_ = false;
    self->maybe_synced();
  });
  return generation;
}

void SimulatedDevice::push(std::vector<Change> changes) {
  net::post(strand_, [self = shared_from_this(), changes = std::move(changes)]() mutable {
    self->enqueue(std::move(changes));
  });
}

void SimulatedDevice::enqueue(std::vector<Change> changes) {
  // Authored here, so already held (LocalDevice applied them).
  for (auto& change : changes) {
    count_held(run_.directory().scope_of(change));
    sync_.enqueue(std::move(change));
  }
  update_unacknowledged();
  pump();
}

void SimulatedDevice::set_ack_hook(AckHook hook) {
  net::post(strand_, [self = shared_from_this(), hook = std::move(hook)]() mutable {
    self->ack_hook_ = std::move(hook);
  });
}

// --- connection ----------------------------------------------------------------

void SimulatedDevice::open_connection() {
  auto conn = std::make_shared<Connection>(strand_);
  conn_ = conn;
  sync_.on_connection_lost();  // (a no-op unless a connection was open)
  auto& socket = beast::get_lowest_layer(conn->ws).socket();
  boost::system::error_code ec;
  socket.open(net::ip::tcp::v4(), ec);
  if (!ec) socket.bind(net::ip::tcp::endpoint(run_.next_source_address(), 0), ec);
  if (ec) {
    // Report through the same path as a failed connect, after this returns.
    net::post(strand_, [self = shared_from_this(), conn, ec] { self->on_connect(conn, ec); });
    return;
  }
  beast::get_lowest_layer(conn->ws).expires_after(std::chrono::seconds(30));
  beast::get_lowest_layer(conn->ws).async_connect(
      run_.endpoint(),
      [self = shared_from_this(), conn](boost::system::error_code e) { self->on_connect(conn, e); });
}

void SimulatedDevice::on_connect(const std::shared_ptr<Connection>& conn, boost::system::error_code ec) {
  if (conn != conn_) return;
  if (ec) return connection_lost(conn, "connect: " + ec.message());
  auto& tcp = beast::get_lowest_layer(conn->ws);
  tcp.socket().set_option(net::ip::tcp::no_delay(true), ec);  // as browsers do for WebSockets
  tcp.expires_never();                                        // the WebSocket stream keeps its own timeouts
  conn->ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
  conn->ws.read_message_max(kMaxReadBytes);
  conn->ws.text(true);
  conn->ws.async_handshake(
      run_.host_header(), "/sync",
      [self = shared_from_this(), conn](boost::system::error_code e) { self->on_handshake(conn, e); });
}

void SimulatedDevice::on_handshake(const std::shared_ptr<Connection>& conn, boost::system::error_code ec) {
  if (conn != conn_) return;
  if (ec) return connection_lost(conn, "handshake: " + ec.message());
  run_.trace(config_.id, "hello cursor=" + std::to_string(cursor_.load()));
  Hello hello;
  hello.device = config_.id;
  hello.token = run_.token_for(config_.id);
  hello.cursor = cursor_.load();
  hello.unsynced = static_cast<int64_t>(unacknowledged_.load());
  send(conn, encode(hello));
  if (conn->close_requested) start_close(conn);
  do_read(conn);
}

void SimulatedDevice::do_read(const std::shared_ptr<Connection>& conn) {
  conn->ws.async_read(conn->buffer,
                      [self = shared_from_this(), conn](boost::system::error_code ec, std::size_t) {
                        self->on_read(conn, ec);
                      });
}

void SimulatedDevice::on_read(const std::shared_ptr<Connection>& conn, boost::system::error_code ec) {
  if (conn != conn_) return;
  if (ec) return connection_lost(conn, ec.message());
  const auto data = conn->buffer.cdata();
  const std::string_view text(static_cast<const char*>(data.data()), data.size());
  run_.counters().bytes_received += text.size();
  ++run_.counters().messages_received;
  // A listener that has caught up only counts the pages it is sent, unless a
  // PageObserver (the live workload) wants to see them: then it decodes them
  // too, through the shared cache, where every listener of the same scope
  // finds the same bytes decoded once.
  static constexpr std::string_view kPage = R"({"type":"changes")";
  if (local_ || !ready_reported_ || run_.page_observer() || text.substr(0, kPage.size()) != kPage)
    handle_message(text);
  conn->buffer.consume(conn->buffer.size());
  if (conn->buffer.capacity() > 4 * 1024 * 1024) conn->buffer.shrink_to_fit();
  if (conn == conn_) do_read(conn);
}

void SimulatedDevice::send(const std::shared_ptr<Connection>& conn, std::string text) {
  run_.counters().bytes_sent += text.size();
  ++run_.counters().messages_sent;
  conn->queue.push_back(std::move(text));
  if (!conn->writing && !conn->closing) write_front(conn);
}

void SimulatedDevice::write_front(const std::shared_ptr<Connection>& conn) {
  conn->writing = true;
  conn->ws.async_write(net::buffer(conn->queue.front()),
                       [self = shared_from_this(), conn](boost::system::error_code ec, std::size_t) {
                         self->on_write(conn, ec);
                       });
}

void SimulatedDevice::on_write(const std::shared_ptr<Connection>& conn, boost::system::error_code ec) {
  conn->writing = false;
  if (ec) return;  // the read side reports the lost connection
  conn->queue.pop_front();
  if (!conn->queue.empty()) return write_front(conn);
  if (conn->close_requested) start_close(conn);
}

void SimulatedDevice::start_close(const std::shared_ptr<Connection>& conn) {
  if (conn->closing || conn->writing) return;
  if (!conn->ws.is_open()) {  // not yet handshaken: just drop the socket
    beast::get_lowest_layer(conn->ws).close();
    return;
  }
  conn->closing = true;
  conn->ws.async_close(websocket::close_code::normal,
                       [self = shared_from_this(), conn](boost::system::error_code) {
                         // The pending read completes with websocket::error::closed and reports it.
                       });
}

void SimulatedDevice::connection_lost(const std::shared_ptr<Connection>& conn, const std::string& reason) {
  if (conn != conn_) return;
  run_.trace(config_.id, "lost " + reason);
  conn_.reset();
  // Unacknowledged batches go back to the front of the outbox, in order.
  sync_.on_connection_lost();
  update_unacknowledged();
  if (stopping_) {
    ++run_.counters().closed;
    closed_.store(true);
    run_.notify();
    return;
  }
  if (refused_ || attempts_without_welcome_ >= run_.options().max_reconnects) {
    run_.note_error("device " + config_.id + " lost its connection (" + reason + ") and gave up after " +
                    std::to_string(attempts_without_welcome_) +
                    " reconnections in a row without a welcome (" + std::to_string(reconnects_.load()) +
                    " in all)" + (refused_ ? " (refused by the server)" : ""));
    ++run_.counters().failed;
    failed_.store(true);
    run_.notify();
    return;
  }
  ++reconnects_;
  ++run_.counters().reconnects;
  // Exponential backoff while the server stays away (50 ms, 100 ms, ... 1.6 s),
  // plus up to 200 ms of jitter so a restarted server is not hit all at once.
  const int doubling = std::min(attempts_without_welcome_, 5);
  ++attempts_without_welcome_;
  retry_timer_.expires_after(std::chrono::milliseconds((50 << doubling) + jitter_() % 200));
  retry_timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (!ec && !self->stopping_ && !self->conn_) self->open_connection();
  });
}

// --- protocol ------------------------------------------------------------------

void SimulatedDevice::handle_message(std::string_view text) {
  auto decoded = run_.decoder().decode(text);
  if (!decoded) {
    run_.note_error("device " + config_.id + " could not decode a message (" + decoded.status().code() +
                    "): " + decoded.status().message());
    return;
  }
  const DecodedMessage& message = *decoded.value();
  std::visit(overloaded{[&](const Welcome& w) { on_welcome(w); },
                        [&](const ChangesPage& page) { on_page(decoded.value(), page); },
                        [&](const Ack& ack) { on_ack(ack); },
                        [&](const ErrorMessage& error) {
                          ++run_.counters().server_errors;
                          run_.note_error("device " + config_.id + " got error " + error.code + ": " +
                                          error.message);
                          // Refused before the welcome (bad token, version): trying again cannot help.
                          if (!sync_.welcomed()) refused_ = true;
                        }},
             message.message);
}

void SimulatedDevice::on_welcome(const Welcome& welcome) {
  // psc-load never restores a store from a backup: the cursor stays its own.
  sync_.on_welcome(welcome, /*adopt_cursor=*/false);
  attempts_without_welcome_ = 0;
  scoped_.store(!welcome.neighborhood.empty());
  if (local_) {
    local_->clock().set_offset_ms(welcome.server_time - static_cast<int64_t>(wall_ms()));
    // The account the token belongs to is the actor of every change from here
    // on (a server without accounts welcomes with an empty actor: keep --actor).
    if (!welcome.actor.empty() && welcome.actor != local_->actor()) {
      if (sync_.unacknowledged() == 0)
        local_->set_actor(welcome.actor);
      else
        run_.note_error("device " + config_.id + " is welcomed as \"" + welcome.actor +
                        "\" but its unsent changes carry actor \"" + local_->actor() + "\"");
    }
  }
  pump();
}

void SimulatedDevice::on_page(const std::shared_ptr<const DecodedMessage>& message, const ChangesPage& page) {
  const DecodedMessage& decoded = *message;
  const auto arrival = Clock::now();
  if (local_ && !page.changes.empty()) {
    const bool everything = run_.options().apply_all || config_.neighborhood < 0;
    const uint64_t now = wall_ms();
    uint64_t applied = 0;
    // Scopes decoded before records were added to the directory may be stale.
    std::vector<int> fresh_scope;
    if (decoded.directory_generation != run_.directory().generation())
      for (const auto& change : page.changes) fresh_scope.push_back(run_.directory().scope_of(change));
    const std::vector<int>& scopes = fresh_scope.empty() ? decoded.scope : fresh_scope;
    for (std::size_t i = 0; i < page.changes.size(); ++i) {
      const int scope = scopes[i];
      if ((everything || scope < 0 || scope == config_.neighborhood) &&
          receive(message, page.changes[i], now)) {
        ++applied;
        count_held(scope);
      }
    }
    run_.counters().changes_applied += applied;
  }
  sync_.on_page(page.cursor, page.more, page.changes.size());
  cursor_.store(sync_.cursor());
  if (run_.options().trace)
    run_.trace(config_.id, "page changes=" + std::to_string(page.changes.size()) +
                               " cursor=" + std::to_string(page.cursor) + (page.more ? " more" : ""));
  if (PageObserver* observer = run_.page_observer()) observer->on_page(*this, decoded, arrival);
  if (!page.more && !ready_reported_) {
    ready_reported_ = true;
    ++run_.counters().ready;
    run_.notify();
  }
  maybe_synced();
}

bool SimulatedDevice::receive(const std::shared_ptr<const DecodedMessage>& page, const Change& change,
                              uint64_t now_ms) {
  if (!deferring_) return local_->receive(change, now_ms);
  if (change.device == config_.id) return false;  // its own: authored here, held already
  const uint64_t key = (((change.hlc.millis << 16) | change.hlc.counter) * 0x9e3779b97f4a7c15ULL) ^
                       std::hash<std::string>{}(change.device);
  if (!deferred_ids_.insert(key).second) return false;  // a copy (materialize applies every kept one anyway)
  deferred_.emplace_back(page, &change);
  return true;
}

void SimulatedDevice::defer_applies() {
  net::post(strand_, [self = shared_from_this()] { self->deferring_ = true; });
}

std::future<void> SimulatedDevice::materialize() {
  return call_on_strand([this] {
    const uint64_t now = wall_ms();
    if (local_)
      for (const auto& [page, change] : deferred_) local_->receive(*change, now);
    deferred_.clear();
    deferred_.shrink_to_fit();
    deferred_ids_.clear();
    deferring_ = false;
  });
}

void SimulatedDevice::on_ack(const Ack& ack) {
  const AckOutcome outcome = sync_.on_ack(ack);
  if (!outcome.known) {
    run_.note_error("device " + config_.id + " got an ack for unknown batch " + ack.batch);
    return;
  }
  for (const auto& rejection : ack.rejected) {
    ++run_.counters().rejected;
    run_.note_error("device " + config_.id + ": change " + rejection.change + " rejected (" + rejection.code +
                    "): " + rejection.message);
  }
  if (ack.accepted.size() + ack.rejected.size() != outcome.sent || !outcome.unanswered.empty())
    run_.note_error("device " + config_.id + ": ack of batch " + ack.batch + " answers " +
                    std::to_string(ack.accepted.size() + ack.rejected.size()) + " of " +
                    std::to_string(outcome.sent) + " changes (" + std::to_string(outcome.unanswered.size()) +
                    " unanswered, sent again)");
  run_.trace(config_.id, "ack " + ack.batch + " accepted=" + std::to_string(ack.accepted.size()));
  if (Ledger* ledger = run_.ledger()) ledger->acknowledged(config_.id, ack);
  last_ack_at_.store(Clock::now().time_since_epoch().count());
  update_unacknowledged();
  if (ack_hook_) ack_hook_(*this, ack);
  pump();
  maybe_synced();
}

void SimulatedDevice::pump() {
  if (!conn_ || !local_) return;
  while (auto push = sync_.next_push(config_.id + "." + std::to_string(batch_number_ + 1))) {
    ++batch_number_;
    if (Ledger* ledger = run_.ledger()) ledger->sent(config_.id, push->changes);
    if (first_push_at_.load() == 0) first_push_at_.store(Clock::now().time_since_epoch().count());
    run_.trace(config_.id, "push " + push->batch + " changes=" + std::to_string(push->changes.size()) +
                               " bytes=" + std::to_string(push->text.size()));
    send(conn_, std::move(push->text));
  }
}

void SimulatedDevice::update_unacknowledged() { unacknowledged_.store(sync_.unacknowledged()); }

void SimulatedDevice::count_held(int scope) {
  const std::size_t neighborhoods = run_.directory().neighborhoods().size();
  if (held_by_neighborhood_.size() != neighborhoods + 1) held_by_neighborhood_.resize(neighborhoods + 1);
  ++held_by_neighborhood_[scope < 0 || static_cast<std::size_t>(scope) >= neighborhoods
                              ? neighborhoods
                              : static_cast<std::size_t>(scope)];
}

void SimulatedDevice::maybe_synced() {
  if (cursor_.load() >= target_ && cursor_reached_at_.load() == 0)
    cursor_reached_at_.store(Clock::now().time_since_epoch().count());
  if (synced_reported_) return;
  if (sync_.unacknowledged() != 0) return;
  if (config_.neighborhood < 0) {
    if (cursor_.load() < target_) return;
  } else {
    const auto n = static_cast<std::size_t>(config_.neighborhood);
    if (n >= held_by_neighborhood_.size() || held_by_neighborhood_[n] < target_changes_) return;
  }
  synced_reported_ = true;
  synced_at_.store(Clock::now().time_since_epoch().count());
  synced_generation_.store(target_generation_);
  ++run_.counters().synced;
  run_.notify();
}

}  // namespace psc::load
