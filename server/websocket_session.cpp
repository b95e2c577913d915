#include "websocket_session.hpp"
#include "clock.hpp"

#include <algorithm>
#include <array>
#include <chrono>

#include "log.hpp"
#include "metrics.hpp"
#include "revocation_watch.hpp"
#include "secrets.hpp"
#include "work_pool.hpp"

namespace psc::server {

namespace {
// Pushes awaiting commit before the session stops reading (back-pressure on
// a device that pushes faster than the disk commits).
constexpr int kMaxPushesInFlight = 4;
constexpr std::size_t kReadChunkBytes = 64 * 1024;

std::shared_ptr<const std::string> shared_text(std::string text) {
  return std::make_shared<const std::string>(std::move(text));
}
}  // namespace

template <class Stream>
WebSocketSession<Stream>::WebSocketSession(Stream&& stream, ServerContext& context,
                                           std::string remote_address)
    : ws_(std::move(stream)),
      context_(context),
      write_watch_(ws_.get_executor()),
      hello_timer_(ws_.get_executor()),
      remote_address_(std::move(remote_address)),
      tokens_(context.options.max_messages_per_second * 2),
      refilled_at_(std::chrono::steady_clock::now()) {
  std::lock_guard lock(context_.connections_mutex);
  ++context_.connections_by_address[remote_address_];
}

template <class Stream>
WebSocketSession<Stream>::~WebSocketSession() {
  context_.hub.leave(this);
  std::lock_guard lock(context_.connections_mutex);
  auto it = context_.connections_by_address.find(remote_address_);
  if (it != context_.connections_by_address.end() && --it->second == 0)
    context_.connections_by_address.erase(it);
}

template <class Stream>
std::shared_ptr<WebSocketSession<Stream>> make_websocket_session(Stream&& stream, ServerContext& context,
                                                                 std::string remote_address) {
  auto executor = stream.get_executor();
  auto* session = new WebSocketSession<Stream>(std::move(stream), context, std::move(remote_address));
  // The last reference may be dropped on the commit thread (an ack, a wake,
  // a revocation check) or a worker: the session is deleted on its strand,
  // where nothing else of it runs. Once the network thread has stopped
  // (shutdown), inline.
  net::io_context* network = context.network;
  return std::shared_ptr<WebSocketSession<Stream>>(session, [executor, network](WebSocketSession<Stream>* s) {
    if (network == nullptr || network->stopped()) {
      delete s;
      return;
    }
    net::post(executor, [s] { delete s; });
  });
}

template <class Stream>
bool WebSocketSession<Stream>::take_message_token() {
  const auto now = std::chrono::steady_clock::now();
  const double rate = context_.options.max_messages_per_second;
  tokens_ = std::min(rate * 2, tokens_ + rate * std::chrono::duration<double>(now - refilled_at_).count());
  refilled_at_ = now;
  if (tokens_ < 1) return false;
  tokens_ -= 1;
  return true;
}

template <class Stream>
void WebSocketSession<Stream>::run(http::request<http::string_body> request) {
  ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
  ws_.set_option(websocket::stream_base::decorator(
      [](websocket::response_type& res) { res.set(http::field::server, "psc-server"); }));
  // The session enforces --max-message-bytes itself while reading (on_read).
  // Beast's own cap stays off: after a too_large error the close handshake
  // must be able to drain (and discard) the rest of the oversized message,
  // or the socket would close with unread data, reset, and lose the error.
  ws_.read_message_max(0);
  ws_.text(true);
  if (context_.options.compression_level > 0) {
    // Pages are JSON with the same keys and ids over and over: deflate makes
    // them ~8x smaller on the wire at ~1 s of server CPU per 300 MB (level
    // 1). A 4 KiB window (12 bits) with memLevel 4 keeps the state ~30 KiB
    // per connection for both directions yet compresses a 500-change page
    // within a few percent of the full 32 KiB window. Small messages (acks,
    // errors) go as they are. What a device sends is inflated frame by frame
    // into the same --max-message-bytes check (on_read): no zip bomb.
    websocket::permessage_deflate deflate;
    deflate.server_enable = true;
    deflate.server_max_window_bits = 12;
    deflate.client_max_window_bits = 15;
    deflate.compLevel = context_.options.compression_level;
    deflate.memLevel = 4;
    deflate.msg_size_threshold = 512;
    ws_.set_option(deflate);
  }
  ws_.async_accept(request,
                   beast::bind_front_handler(&WebSocketSession<Stream>::on_accept, shared_from_this()));
}

template <class Stream>
void WebSocketSession<Stream>::on_accept(beast::error_code ec) {
  if (ec) return;  // handshake failed: the client sees the HTTP error
  watch_hello();
  do_read();
}

// A connection that never says hello holds a slot of its address's
// --max-connections-per-address for nothing: closed after --hello-timeout-ms.
template <class Stream>
void WebSocketSession<Stream>::watch_hello() {
  if (context_.options.hello_timeout_ms <= 0) return;
  hello_timer_.expires_after(std::chrono::milliseconds(context_.options.hello_timeout_ms));
  hello_timer_.async_wait([weak = weak_from_this()](beast::error_code ec) {
    auto self = weak.lock();
    if (!self || ec || self->said_hello_ || self->authenticating_ || self->closing_) return;
    log_info("closing a connection from " + self->remote_address_ + ": no hello");
    self->send_error("hello_timeout",
                     "no hello within " + std::to_string(self->context_.options.hello_timeout_ms) + " ms",
                     true);
  });
}

template <class Stream>
void WebSocketSession<Stream>::do_read() {
  if (closing_) return;
  if (pushes_in_flight_ >= kMaxPushesInFlight) {
    reading_paused_ = true;
    return;
  }
  reading_paused_ = false;
  // Frame by frame, so an oversized message is noticed as soon as it passes
  // the limit, answered with a clear error, and never buffered whole.
  ws_.async_read_some(buffer_, kReadChunkBytes,
                      beast::bind_front_handler(&WebSocketSession<Stream>::on_read, shared_from_this()));
}

template <class Stream>
void WebSocketSession<Stream>::on_read(beast::error_code ec, std::size_t) {
  if (ec) {
    if (ec != websocket::error::closed && ec != net::error::operation_aborted && ec != net::error::eof &&
        ec != beast::error::timeout && ec != net::error::connection_reset)
      log_error("read from device " + device_ + ": " + ec.message());
    closing_ = close_started_ = true;  // nothing left to close politely
    return;
  }
  if (buffer_.size() > context_.options.max_message_bytes) {
    buffer_.consume(buffer_.size());
    send_error("too_large",
               "message is over the limit of " + std::to_string(context_.options.max_message_bytes) +
                   " bytes; send smaller batches",
               true);
    return;  // the close handshake discards the rest of the message
  }
  if (!ws_.is_message_done()) return do_read();
  if (!ws_.got_text()) {
    buffer_.consume(buffer_.size());
    send_error("malformed_message", "messages must be UTF-8 JSON text frames", false);
    return do_read();
  }
  const std::string text = beast::buffers_to_string(buffer_.data());
  buffer_.consume(buffer_.size());
  if (!take_message_token()) {
    log_info("cutting off device " + device_ + ": flooding");
    send_error("rate_limited",
               "more than " + std::to_string(static_cast<int>(context_.options.max_messages_per_second)) +
                   " messages per second; slow down and reconnect",
               true);
    return;
  }
  try {
    handle_message(text);
  } catch (const std::exception& e) {
    log_error("handling a message from device " + device_ + " failed: " + e.what());
    send_error("internal_error",
               "the server failed to handle this message (the reason is in its log); reconnect", true);
    return;
  }
  if (!authenticating_) do_read();  // after a hello: once its token is checked
}

template <class Stream>
void WebSocketSession<Stream>::handle_message(std::string_view text) {
  auto decoded = decode_client_message(text);
  if (!decoded) {
    // Before hello nothing else is acceptable, so a bad first message ends it.
    send_error(decoded.status().code(), decoded.status().message(), !said_hello_);
    return;
  }
  if (auto* hello = std::get_if<Hello>(&decoded.value())) return handle_hello(*hello);
  if (!said_hello_) {
    send_error("hello_required", "the first message must be hello", true);
    return;
  }
  handle_push(std::move(std::get<Push>(decoded.value())));
}

template <class Stream>
void WebSocketSession<Stream>::handle_hello(const Hello& hello) {
  if (said_hello_ || authenticating_) {
    send_error("already_welcomed", "hello was already accepted on this connection", false);
    return;
  }
  hello_timer_.cancel();
  authenticating_ = true;
  authenticate(hello);
}

template <class Stream>
void WebSocketSession<Stream>::authenticate(Hello hello) {
  const uint64_t generation = context_.revocations ? context_.revocations->generation() : 0;
  context_.work->post([self = shared_from_this(), hello = std::move(hello), generation]() mutable {
    std::optional<Principal> principal;
    bool failed = false;
    try {
      principal = self->context_.accounts->authenticate(hello.token, hello.device, self->context_.clock());
    } catch (const std::exception& e) {
      log_error(std::string("checking a hello's token failed: ") + e.what());
      failed = true;
    }
    auto executor = self->ws_.get_executor();
    net::post(executor, [self = std::move(self), hello = std::move(hello), principal = std::move(principal),
                         failed, generation]() mutable {
      self->on_authenticated(std::move(hello), std::move(principal), failed, generation);
    });
  });
}

template <class Stream>
void WebSocketSession<Stream>::on_authenticated(Hello hello, std::optional<Principal> principal, bool failed,
                                                uint64_t generation) {
  authenticating_ = false;
  if (closing_) return;
  if (failed) {
    send_error("internal_error", "the server could not check the token (the reason is in its log); reconnect",
               true);
    return;
  }
  if (!principal) {
    log_info("refused a hello from device " + hello.device + ": bad token");
    send_error("unauthorized",
               "the device token is missing, wrong, revoked, or issued to another device; sign in again",
               true);
    return;
  }
  // Joined before the welcome, so a revocation check from now on sees it;
  // if one ran since the token was checked, it may have missed this session
  // (not joined yet): check the token again.
  auto credential = std::make_shared<SessionCredential>();
  credential->token_digest = secret_digest(hello.token);
  credential->device = hello.device;
  credential->principal = *principal;
  weak_self_ = std::weak_ptr<SyncSession>(shared_from_this());
  context_.hub.join(this, weak_self_, credential);
  if (context_.revocations && context_.revocations->generation() != generation) {
    context_.hub.leave(this);
    authenticating_ = true;
    return authenticate(std::move(hello));
  }
  context_.accounts->record_hello(hello.token, hello.cursor, hello.unsynced, context_.clock());
  said_hello_ = true;
  principal_ = *principal;
  scope_ = read_scope(principal_);
  scope_id_ = context_.hub.scope_id(scope_);
  device_ = hello.device;
  // A cursor from another epoch (the store was restored from a backup since)
  // or past the end of the log names sequences this store never handed out,
  // or handed out twice: trust none of it and send everything.
  cursor_ = hello.cursor;
  // (Past the end: past what this server published and what any server
  // sharing its store is known to have committed — a device moving from
  // another node may be a moment ahead of this one.)
  const int64_t head = std::max(context_.hub.head(), context_.pipeline ? context_.pipeline->known_head() : 0);
  if ((!hello.epoch.empty() && hello.epoch != context_.epoch) || cursor_ > head) {
    log_info("device " + hello.device +
             " presented a cursor of another store epoch; catching it up from the start");
    cursor_ = 0;
  }
  token_digest_ = credential->token_digest;
  reported_unsynced_ = hello.unsynced;
  owes_last_page_ = true;  // catch-up starts once the welcome is written
  Welcome welcome;
  welcome.server_time = context_.clock();
  welcome.device = device_;
  welcome.actor = principal_.account;
  welcome.role = std::string(role_name(principal_.role));
  welcome.neighborhood = principal_.neighborhood;
  welcome.department = principal_.department;
  welcome.max_message_bytes = static_cast<int64_t>(context_.options.max_message_bytes);
  welcome.max_batch = static_cast<int64_t>(context_.options.max_batch);
  welcome.epoch = context_.epoch;
  welcome.cursor = cursor_;
  send(shared_text(encode(welcome)));
  do_read();
}

template <class Stream>
void WebSocketSession<Stream>::handle_push(Push push) {
  metrics().pushes.add();
  const std::size_t size = push.changes.size() + push.malformed.size();
  if (size > context_.options.max_batch) {
    send_error("batch_too_large",
               "push of " + std::to_string(size) + " changes is over the limit of " +
                   std::to_string(context_.options.max_batch) + "; send smaller batches",
               false);
    return;
  }
  if (revoked_->load()) return;  // taken no more; the session is closing
  ++pushes_in_flight_;
  // The ack keeps the session alive while the push is in flight (reading may
  // be paused: nothing else holds it); it may drop that reference on the
  // commit thread, which is safe: sessions are deleted on their strand
  // (make_websocket_session). The check holds only the shared flag.
  auto on_ack = [self = shared_from_this()](Ack ack) {
    net::post(self->ws_.get_executor(), [self, ack = std::move(ack)] { self->on_ack(ack); });
  };
  auto still_authorized = [revoked = revoked_, watch = context_.revocations, weak = weak_self_] {
    try {
      if (watch) watch->refresh();  // marks this session revoked if its token no longer holds
    } catch (const std::exception& e) {
      log_error(std::string("revocation check before a push failed: ") + e.what());
      if (auto self = weak.lock())
        self->revoke("internal_error", "the server could not check the token; reconnect");
      return false;
    }
    return !revoked->load();
  };
  context_.pipeline->submit(std::move(push), principal_, std::move(on_ack), std::move(still_authorized));
}

template <class Stream>
void WebSocketSession<Stream>::on_ack(const Ack& ack) {
  --pushes_in_flight_;
  // Revoked: the ack is not sent (a push refused for that must stay in the
  // device's outbox, not be shown as refused); revoke() is closing it.
  if (revoked_->load()) return;
  // Custody: what the device reported as unsynced goes down as it arrives
  // (accepted or refused, it has left the device's outbox), so the
  // coordinator's list does not show a tablet that has synced as holding data.
  if (reported_unsynced_ > 0) {
    const auto delivered = static_cast<int64_t>(ack.accepted.size() + ack.rejected.size());
    context_.accounts->record_delivered(token_digest_, delivered, context_.clock());
    reported_unsynced_ = std::max<int64_t>(0, reported_unsynced_ - delivered);
  }
  send(shared_text(encode(ack)));
  if (reading_paused_) do_read();
}

template <class Stream>
void WebSocketSession<Stream>::revoke(const std::string& code, const std::string& message) {
  if (revoked_->exchange(true)) return;
  net::post(ws_.get_executor(), [self = shared_from_this(), code, message] {
    log_info("closing device " + self->device_ + ": " + code);
    // The web app signs the device out on `unauthorized` (and keeps its
    // outbox); the pushes it made since are sent again once signed in.
    self->send_error(code, message, true);
  });
}

template <class Stream>
void WebSocketSession<Stream>::wake() {
  net::post(ws_.get_executor(), [self = shared_from_this()] { self->pump(); });
}

template <class Stream>
void WebSocketSession<Stream>::pump() {
  if (writing_) return;  // on_write calls again
  if (!queue_.empty()) {
    start_write();
    ws_.async_write(net::buffer(*queue_.front()),
                    beast::bind_front_handler(&WebSocketSession<Stream>::on_write, shared_from_this()));
    return;
  }
  if (closing_) {
    if (!close_started_) {
      close_started_ = true;
      ws_.async_close(close_reason_, [self = shared_from_this()](beast::error_code) {});
    }
    return;
  }
  if (!said_hello_ || revoked_->load() || reading_store_) return;
  if (store_page_) {
    StorePage page = std::move(*store_page_);
    store_page_.reset();
    write_page(std::move(page.body), page.cursor, page.more);
    return;
  }
  try {
    write_next_page();
  } catch (const std::exception& e) {
    log_error("reading changes for device " + device_ + " failed: " + e.what());
    send_error("internal_error",
               "the server failed to read changes for this device (the reason is in its log); "
               "reconnect",
               true);
  }
}

template <class Stream>
void WebSocketSession<Stream>::write_next_page() {
  for (;;) {
    SyncHub::Next next = context_.hub.next(cursor_, scope_id_, scope_, device_, this, weak_self_);
    switch (next.kind) {
      case SyncHub::Next::wait:
        // Up to date. The catch-up a hello starts always ends with a page
        // with more=false, even an empty one; so does a range that held only
        // the device's own changes.
        if (owes_last_page_ || owes_cursor_) write_page({}, cursor_, false);
        return;
      case SyncHub::Next::store:
        // Older than the live window: read on from the store.
        read_store_page();
        return;
      case SyncHub::Next::send:
        if (!next.body) {  // nothing it may read or lacks: move past it
          cursor_ = next.cursor;
          owes_cursor_ = owes_cursor_ || next.skipped_own;
          continue;
        }
        metrics().live_pages.add();
        write_page(std::move(next.body), next.cursor, next.more);
        return;
    }
  }
}

template <class Stream>
void WebSocketSession<Stream>::read_store_page() {
  reading_store_ = true;
  metrics().catchup_pages.add();
  context_.work->post([self = shared_from_this(), after = cursor_, scope = scope_, device = device_] {
    StorePage out;
    try {
      // Without this device's own changes: it has them.
      ScopedPage page =
          self->context_.store->read_page(after, self->context_.options.page_size, scope, device);
      // Within --max-message-bytes too: a page of large changes stops early
      // and the next one starts after its last change.
      JoinedBodies joined(SyncHub::body_limit(self->context_.options.max_message_bytes));
      out.cursor = std::max(after, page.cursor);
      out.more = page.more;
      for (const auto& row : page.changes) {
        if (!joined.fits(row.body)) {
          out.more = true;
          break;
        }
        joined.add(row.body);
        out.cursor = row.seq;
      }
      if (!out.more) out.cursor = std::max(after, page.cursor);
      if (!joined.empty()) out.body = shared_text(joined.take());
    } catch (const std::exception& e) {
      log_error("reading changes for device " + self->device_ + " failed: " + e.what());
      out.failed = true;
    }
    auto executor = self->ws_.get_executor();
    net::post(executor, [self = std::move(self), out = std::move(out)]() mutable {
      self->on_store_page(std::move(out));
    });
  });
}

template <class Stream>
void WebSocketSession<Stream>::on_store_page(StorePage page) {
  reading_store_ = false;
  if (page.failed) {
    send_error("internal_error",
               "the server failed to read changes for this device (the reason is in its log); "
               "reconnect",
               true);
    return;
  }
  // Empty store pages that do not end the catch-up are not worth a message;
  // the bound only guards against a store that keeps answering nothing.
  if (!page.body && !page.more && !owes_last_page_ && ++empty_store_pages_ < 2) {
    cursor_ = std::max(cursor_, page.cursor);
  } else {
    store_page_ = std::move(page);
  }
  pump();
}

template <class Stream>
void WebSocketSession<Stream>::write_page(std::shared_ptr<const std::string> body, int64_t cursor,
                                          bool more) {
  // Checked after the hub's answer: a range published after a revocation
  // marked this session is never written to it.
  if (revoked_->load()) return;
  cursor_ = cursor;
  empty_store_pages_ = 0;
  owes_cursor_ = false;
  if (!more) owes_last_page_ = false;
  // Three buffers, no copy: the envelope's start, the shared body, the end.
  page_body_ = std::move(body);
  const std::size_t suffix = changes_page_suffix(cursor, more, page_suffix_.data());
  const std::array<net::const_buffer, 3> buffers{
      net::buffer(kChangesPagePrefix.data(), kChangesPagePrefix.size()),
      page_body_ ? net::buffer(*page_body_) : net::const_buffer(), net::buffer(page_suffix_.data(), suffix)};
  writing_page_ = true;
  start_write();
  ws_.async_write(buffers,
                  beast::bind_front_handler(&WebSocketSession<Stream>::on_write, shared_from_this()));
}

template <class Stream>
void WebSocketSession<Stream>::send(std::shared_ptr<const std::string> message) {
  if (closing_) return;
  queued_bytes_ += message->size();
  queue_.push_back(std::move(message));
  // Pages are never queued (they are pulled), so what waits here is acks
  // and errors of a device that pushes but does not read.
  if (queued_bytes_ > context_.options.max_queued_bytes) {
    drop("device is not reading; " + std::to_string(queued_bytes_) + " bytes of acks and errors waiting");
    return;
  }
  pump();
}

template <class Stream>
void WebSocketSession<Stream>::start_write() {
  writing_ = true;
  write_started_ = std::chrono::steady_clock::now();
  watch_write();
}

// One timer per session, armed while writes are in flight: it fires at most
// once per --write-timeout-ms and checks whether the current write started
// that long ago (the device has taken nothing since).
template <class Stream>
void WebSocketSession<Stream>::watch_write() {
  const auto timeout = std::chrono::milliseconds(context_.options.write_timeout_ms);
  if (watching_write_ || timeout.count() <= 0) return;
  watching_write_ = true;
  write_watch_.expires_at(write_started_ + timeout);
  // Weakly held: a session that ends is not kept alive by its watch.
  write_watch_.async_wait([weak = weak_from_this(), timeout](beast::error_code ec) {
    auto self = weak.lock();
    if (!self) return;
    self->watching_write_ = false;
    if (ec || !self->writing_ || self->close_started_) return;
    if (std::chrono::steady_clock::now() - self->write_started_ >= timeout) {
      self->drop("device has not read for " + std::to_string(timeout.count() / 1000.0).substr(0, 5) +
                 " s; it catches up from its cursor when it reconnects");
      return;
    }
    self->watch_write();
  });
}

template <class Stream>
void WebSocketSession<Stream>::on_write(beast::error_code ec, std::size_t) {
  writing_ = false;
  if (ec) {
    closing_ = close_started_ = true;
    return;
  }
  if (writing_page_) {
    writing_page_ = false;
    page_body_.reset();
  } else {
    queued_bytes_ -= queue_.front()->size();
    queue_.pop_front();
  }
  pump();
}

template <class Stream>
void WebSocketSession<Stream>::send_error(const std::string& code, const std::string& message,
                                          bool then_close) {
  send(shared_text(encode(ErrorMessage{code, message})));
  if (then_close) close(websocket::close_code::policy_error, code);
}

template <class Stream>
void WebSocketSession<Stream>::close(websocket::close_code code, const std::string& reason) {
  if (closing_) return;
  closing_ = true;
  close_reason_ = websocket::close_reason(code, reason);
  pump();
}

template <class Stream>
void WebSocketSession<Stream>::drop(const std::string& reason) {
  log_info("dropping device " + device_ + ": " + reason);
  closing_ = close_started_ = true;
  // Keep the message being written alive until its write completes.
  while (queue_.size() > (writing_ && !writing_page_ ? 1u : 0u)) {
    queued_bytes_ -= queue_.back()->size();
    queue_.pop_back();
  }
  beast::error_code ignored;
  beast::get_lowest_layer(ws_).socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
  beast::get_lowest_layer(ws_).close();
}

template <class Stream>
void WebSocketSession<Stream>::shutdown() {
  net::post(ws_.get_executor(), [self = shared_from_this()] {
    self->close(websocket::close_code::going_away, "server shutting down");
  });
}

template class WebSocketSession<beast::tcp_stream>;
template class WebSocketSession<beast::ssl_stream<beast::tcp_stream>>;
template std::shared_ptr<WebSocketSession<beast::tcp_stream>> make_websocket_session(beast::tcp_stream&&,
                                                                                     ServerContext&,
                                                                                     std::string);
template std::shared_ptr<WebSocketSession<beast::ssl_stream<beast::tcp_stream>>> make_websocket_session(
    beast::ssl_stream<beast::tcp_stream>&&, ServerContext&, std::string);

}  // namespace psc::server
