#include "websocket_session.hpp"
#include "clock.hpp"

#include <algorithm>
#include <chrono>

#include "log.hpp"
#include "secrets.hpp"

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
WebSocketSession<Stream>::WebSocketSession(Stream&& stream, ServerContext& context, std::string remote_address)
    : ws_(std::move(stream)),
      context_(context),
      remote_address_(std::move(remote_address)),
      tokens_(context.options.max_messages_per_second * 2),
      refilled_at_(std::chrono::steady_clock::now()) {
  ++context_.connections_by_address[remote_address_];
}

template <class Stream>
WebSocketSession<Stream>::~WebSocketSession() {
  context_.hub.leave(this);
  auto it = context_.connections_by_address.find(remote_address_);
  if (it != context_.connections_by_address.end() && --it->second == 0) context_.connections_by_address.erase(it);
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
  ws_.async_accept(request, beast::bind_front_handler(&WebSocketSession<Stream>::on_accept, shared_from_this()));
}

template <class Stream>
void WebSocketSession<Stream>::on_accept(beast::error_code ec) {
  if (ec) return;  // handshake failed: the client sees the HTTP error
  do_read();
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
    closing_ = true;
    return;
  }
  if (buffer_.size() > context_.options.max_message_bytes) {
    buffer_.consume(buffer_.size());
    send_error("too_large", "message is over the limit of " + std::to_string(context_.options.max_message_bytes) +
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
    send_error("rate_limited", "more than " + std::to_string(static_cast<int>(context_.options.max_messages_per_second)) +
                                   " messages per second; slow down and reconnect",
               true);
    return;
  }
  handle_message(text);
  do_read();
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
  if (said_hello_) {
    send_error("already_welcomed", "hello was already accepted on this connection", false);
    return;
  }
  auto principal = context_.accounts->authenticate(hello.token, hello.device, now_ms());
  if (!principal) {
    log_info("refused a hello from device " + hello.device + ": bad token");
    send_error("unauthorized", "the device token is missing, wrong, revoked, or issued to another device; sign in again",
               true);
    return;
  }
  context_.accounts->record_hello(hello.token, hello.cursor, hello.unsynced, now_ms());
  said_hello_ = true;
  principal_ = *principal;
  scope_ = read_scope(principal_);
  reads_everything_ = scope_.types.empty() && scope_.neighborhood.empty();
  device_ = hello.device;
  cursor_ = hello.cursor;
  token_digest_ = secret_digest(hello.token);
  reported_unsynced_ = hello.unsynced;
  context_.hub.join(this, std::weak_ptr<SyncSession>(shared_from_this()));
  Welcome welcome;
  welcome.server_time = now_ms();
  welcome.device = device_;
  welcome.actor = principal_.account;
  welcome.role = std::string(role_name(principal_.role));
  welcome.neighborhood = principal_.neighborhood;
  welcome.department = principal_.department;
  welcome.max_message_bytes = static_cast<int64_t>(context_.options.max_message_bytes);
  welcome.max_batch = static_cast<int64_t>(context_.options.max_batch);
  send(shared_text(encode(welcome)));
  catching_up_ = true;
  if (!writing_) continue_catch_up();
}

template <class Stream>
void WebSocketSession<Stream>::handle_push(Push push) {
  const std::size_t size = push.changes.size() + push.malformed.size();
  if (size > context_.options.max_batch) {
    send_error("batch_too_large", "push of " + std::to_string(size) + " changes is over the limit of " +
                                      std::to_string(context_.options.max_batch) + "; send smaller batches",
               false);
    return;
  }
  ++pushes_in_flight_;
  context_.pipeline->submit(std::move(push), principal_, [self = shared_from_this()](Ack ack) {
    net::post(self->ws_.get_executor(), [self, ack = std::move(ack)] { self->on_ack(ack); });
  });
}

template <class Stream>
void WebSocketSession<Stream>::on_ack(const Ack& ack) {
  --pushes_in_flight_;
  // Custody: what the device reported as unsynced goes down as it arrives
  // (accepted or refused, it has left the device's outbox), so the
  // coordinator's list does not show a tablet that has synced as holding data.
  if (reported_unsynced_ > 0) {
    const auto delivered = static_cast<int64_t>(ack.accepted.size() + ack.rejected.size());
    context_.accounts->record_delivered(token_digest_, delivered, now_ms());
    reported_unsynced_ = std::max<int64_t>(0, reported_unsynced_ - delivered);
  }
  send(shared_text(encode(ack)));
  if (reading_paused_) do_read();
}

template <class Stream>
void WebSocketSession<Stream>::deliver(std::shared_ptr<const LivePage> page) {
  net::post(ws_.get_executor(),
            [self = shared_from_this(), page = std::move(page)] { self->on_live(page); });
}

template <class Stream>
void WebSocketSession<Stream>::on_live(const std::shared_ptr<const LivePage>& page) {
  if (!said_hello_ || closing_ || catching_up_) return;  // catch-up reads it from the store
  if (page->last_seq <= cursor_) return;                 // already sent
  if (page->first_seq == cursor_ + 1) {
    cursor_ = page->last_seq;
    if (reads_everything_) return send(page->text);
    const CommittedRange& range = *page->range;
    std::vector<std::string> visible;
    for (std::size_t i = 0; i < range.bodies.size(); ++i)
      if (may_read(scope_, range.record_types[i], range.neighborhoods[i])) visible.push_back(range.bodies[i]);
    // Nothing visible: nothing to send; the next catch-up starts past it anyway.
    if (!visible.empty()) send(shared_text(encode_changes_page(visible, cursor_, false)));
    return;
  }
  catching_up_ = true;  // a gap: fill it from the store
  if (!writing_) continue_catch_up();
}

template <class Stream>
void WebSocketSession<Stream>::continue_catch_up() {
  if (closing_) return;
  ScopedPage page = context_.store->read_page(cursor_, context_.options.page_size, scope_);
  std::vector<std::string> bodies;
  bodies.reserve(page.changes.size());
  for (auto& row : page.changes) bodies.push_back(std::move(row.body));
  cursor_ = page.cursor;
  if (!page.more) catching_up_ = false;
  send(shared_text(encode_changes_page(bodies, cursor_, page.more)));
}

template <class Stream>
void WebSocketSession<Stream>::send(std::shared_ptr<const std::string> message) {
  if (closing_) return;
  queued_bytes_ += message->size();
  queue_.push_back(std::move(message));
  if (queued_bytes_ > context_.options.max_queued_bytes) {
    drop("device is not reading; " + std::to_string(queued_bytes_) + " bytes waiting");
    return;
  }
  if (!writing_) write_front();
}

template <class Stream>
void WebSocketSession<Stream>::write_front() {
  writing_ = true;
  ws_.async_write(net::buffer(*queue_.front()),
                  beast::bind_front_handler(&WebSocketSession<Stream>::on_write, shared_from_this()));
}

template <class Stream>
void WebSocketSession<Stream>::on_write(beast::error_code ec, std::size_t) {
  writing_ = false;
  if (ec) {
    closing_ = true;
    return;
  }
  queued_bytes_ -= queue_.front()->size();
  queue_.pop_front();
  if (!queue_.empty()) return write_front();
  if (closing_) {
    ws_.async_close(close_reason_, [self = shared_from_this()](beast::error_code) {});
    return;
  }
  if (catching_up_) continue_catch_up();
}

template <class Stream>
void WebSocketSession<Stream>::send_error(const std::string& code, const std::string& message, bool then_close) {
  send(shared_text(encode(ErrorMessage{code, message})));
  if (then_close) close(websocket::close_code::policy_error, code);
}

template <class Stream>
void WebSocketSession<Stream>::close(websocket::close_code code, const std::string& reason) {
  if (closing_) return;
  closing_ = true;
  close_reason_ = websocket::close_reason(code, reason);
  if (!writing_) ws_.async_close(close_reason_, [self = shared_from_this()](beast::error_code) {});
}

template <class Stream>
void WebSocketSession<Stream>::drop(const std::string& reason) {
  log_info("dropping device " + device_ + ": " + reason);
  closing_ = true;
  // Keep the message being written alive until its write completes.
  while (queue_.size() > (writing_ ? 1u : 0u)) queue_.pop_back();
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

}  // namespace psc::server
