// WebSocketSession: one device's sync connection at /sync.
//
// Protocol (psc/protocol.hpp): hello (with the device's token) -> welcome,
// catch-up `changes` pages from the device's cursor, then live pages, both
// limited to what the device's role may read; push -> ack after commit.
//
// Shape (Beast's advanced server): the session runs on its own strand, every
// handler is bound with shared_from_this(); outgoing messages are queued and
// only the front is being written. Memory stays bounded:
//  - catch-up pages are read from the store only when the queue is empty,
//  - reading stops while too many pushes await their commit,
//  - a device whose queued output passes --max-queued-bytes is dropped.
// Live pages arrive from the hub; one whose first sequence does not follow the
// device's cursor (it missed something) switches the session back to catch-up,
// so a device never skips a change.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include "psc/authorization.hpp"
#include "psc/protocol.hpp"
#include "server_context.hpp"
#include "sync_hub.hpp"

namespace psc::server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;

// Stream: beast::tcp_stream (plain) or beast::ssl_stream<beast::tcp_stream>
// (TLS); both are instantiated in websocket_session.cpp.
template <class Stream>
class WebSocketSession : public SyncSession, public std::enable_shared_from_this<WebSocketSession<Stream>> {
 public:
  // `remote_address` is counted against --max-connections-per-address for the
  // session's lifetime (the caller checked there was room).
  WebSocketSession(Stream&& stream, ServerContext& context, std::string remote_address);
  ~WebSocketSession();

  // Completes the WebSocket handshake for `request` and starts reading.
  void run(http::request<http::string_body> request);
  void deliver(std::shared_ptr<const LivePage> page) override;
  void shutdown() override;

 private:
  void on_accept(beast::error_code ec);
  void do_read();
  void on_read(beast::error_code ec, std::size_t bytes);
  void handle_message(std::string_view text);
  void handle_hello(const Hello& hello);
  void handle_push(Push push);
  void on_ack(const Ack& ack);
  void on_live(const std::shared_ptr<const LivePage>& page);
  void continue_catch_up();

  void send(std::shared_ptr<const std::string> message);
  void send_error(const std::string& code, const std::string& message, bool then_close);
  void write_front();
  void on_write(beast::error_code ec, std::size_t bytes);
  void close(websocket::close_code code, const std::string& reason);
  void drop(const std::string& reason);

  using std::enable_shared_from_this<WebSocketSession<Stream>>::shared_from_this;
  using std::enable_shared_from_this<WebSocketSession<Stream>>::weak_from_this;

  websocket::stream<Stream> ws_;
  beast::flat_buffer buffer_;
  ServerContext& context_;

  std::deque<std::shared_ptr<const std::string>> queue_;
  std::size_t queued_bytes_ = 0;
  bool writing_ = false;
  bool reading_paused_ = false;
  bool closing_ = false;  // no more sends; close once the queue is written
  websocket::close_reason close_reason_;

  bool said_hello_ = false;
  Principal principal_;  // who this device acts for, from its token
  ReadScope scope_;      // what it may receive
  bool reads_everything_ = false;
  bool catching_up_ = false;
  int64_t cursor_ = 0;  // last sequence queued for this device
  std::string device_;
  std::string token_digest_;  // for custody updates after hello
  int64_t reported_unsynced_ = 0;  // what hello reported, less what was acknowledged since
  int pushes_in_flight_ = 0;
  std::string remote_address_;

  // Token bucket for --max-messages-per-second.
  double tokens_ = 0;
  std::chrono::steady_clock::time_point refilled_at_;
  bool take_message_token();
};

}  // namespace psc::server
