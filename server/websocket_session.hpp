// WebSocketSession: one device's sync connection at /sync.
//
// Protocol (psc/protocol.hpp): hello (with the device's token) -> welcome,
// catch-up `changes` pages from the device's cursor, then live pages, both
// limited to what the device's role may read; push -> ack after commit.
//
// Shape (Beast's advanced server): the session runs on its own strand, every
// handler is bound with shared_from_this(); one message is written at a time.
// Acks, errors and the welcome wait in a small queue and go first; `changes`
// pages are pulled only when nothing else is being written: from the hub's
// live log when the cursor is inside its window (shared text, the pieces
// that arrived during the last write merged into one message), else from
// the store (catch-up). So a slow reader is never sent more than one page
// ahead and never dropped for being slow: it reads on from its cursor.
// Memory stays bounded:
//  - a session holds at most one page being written (plus the queue),
//  - reading stops while too many pushes await their commit,
//  - a device whose queued acks and errors pass --max-queued-bytes, or that
//    has not taken a single message for --write-timeout-ms, is disconnected
//    (the reason is logged); it reconnects and carries on from its cursor.
//
// Trust:
//  - a connection that has not said hello within --hello-timeout-ms gets
//    `hello_timeout` and is closed;
//  - the hello's token is checked on the worker pool (SQLite), reading paused
//    meanwhile; the network thread never blocks on it;
//  - revoke() (RevocationWatch: a token revoked, expired, its account
//    disabled) stops pages and pushes at once, drops the acks still to come
//    (the device keeps those changes and resends them when signed in again;
//    resends are idempotent), sends `unauthorized` and closes. Each push is
//    accepted only if, on the commit thread, just before it is validated,
//    the session is not revoked after an up-to-date check;
//  - catch-up pages older than the hub's live window are read from the
//    store on the worker pool, and the page goes out on the strand;
//  - whatever a handler throws is answered with `internal_error` and the
//    connection closed; the server carries on.
//
// Lifetime: sessions are made by make_websocket_session() and destroyed on
// the network thread whoever drops the last reference (the commit thread
// does, through acks, wakes and revocation checks).
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/steady_timer.hpp>
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
  void wake() override;
  void shutdown() override;
  void revoke(const std::string& code, const std::string& message) override;

 private:
  void on_accept(beast::error_code ec);
  void do_read();
  void on_read(beast::error_code ec, std::size_t bytes);
  void handle_message(std::string_view text);
  void handle_hello(const Hello& hello);
  // The token check, on the worker pool; `generation` is the revocation
  // watch's before it (see RevocationWatch::generation).
  void authenticate(Hello hello);
  void on_authenticated(Hello hello, std::optional<Principal> principal, bool failed, uint64_t generation);
  void handle_push(Push push);
  void watch_hello();
  void on_ack(const Ack& ack);
  // Starts the next write if none is in flight: the queue first, then a page.
  void pump();
  void write_next_page();
  // A catch-up page from the store, read and joined on the worker pool
  // (SQLite never runs on the network thread); on_store_page takes it back
  // on the session's strand.
  struct StorePage {
    std::shared_ptr<const std::string> body;  // null: no change it may read
    int64_t cursor = 0;
    bool more = false;
    bool failed = false;
  };
  void read_store_page();
  void on_store_page(StorePage page);
  void write_page(std::shared_ptr<const std::string> body, int64_t cursor, bool more);

  void send(std::shared_ptr<const std::string> message);
  void send_error(const std::string& code, const std::string& message, bool then_close);
  void start_write();
  void on_write(beast::error_code ec, std::size_t bytes);
  void watch_write();
  void close(websocket::close_code code, const std::string& reason);
  void drop(const std::string& reason);

  using std::enable_shared_from_this<WebSocketSession<Stream>>::shared_from_this;
  using std::enable_shared_from_this<WebSocketSession<Stream>>::weak_from_this;

  websocket::stream<Stream> ws_;
  beast::flat_buffer buffer_;
  ServerContext& context_;

  std::deque<std::shared_ptr<const std::string>> queue_;  // welcome, acks, errors
  std::size_t queued_bytes_ = 0;
  bool writing_ = false;
  // The message being written: queue_.front(), or a page: the envelope
  // around `page_body_` (shared with other sessions) and `page_suffix_`.
  bool writing_page_ = false;
  std::shared_ptr<const std::string> page_body_;
  std::array<char, kMaxChangesPageSuffixBytes> page_suffix_;
  std::chrono::steady_clock::time_point write_started_;
  net::steady_timer write_watch_;
  bool watching_write_ = false;
  bool reading_paused_ = false;
  bool closing_ = false;  // no more sends; close once the queue is written
  bool close_started_ = false;
  websocket::close_reason close_reason_;

  bool said_hello_ = false;
  bool authenticating_ = false;  // the hello's token is being checked; reading waits
  net::steady_timer hello_timer_;
  // Set by revoke() from any thread; shared with the pipeline's check of
  // each push (which may outlive the session).
  std::shared_ptr<std::atomic<bool>> revoked_ = std::make_shared<std::atomic<bool>>(false);
  Principal principal_;  // who this device acts for, from its token
  ReadScope scope_;      // what it may receive
  int scope_id_ = 0;     // SyncHub::scope_id(scope_)
  std::weak_ptr<SyncSession> weak_self_;
  bool owes_last_page_ = false;  // catch-up has not yet ended with more=false
  // The cursor moved past changes of this device (left out: a device is not
  // sent its own changes back) with no page written since: once up to date,
  // an empty page tells the device, so its cursor does not stay behind its
  // own pushes.
  bool owes_cursor_ = false;
  bool reading_store_ = false;           // a store page is being read on the worker pool
  std::optional<StorePage> store_page_;  // read, waiting for the write in flight
  int empty_store_pages_ = 0;            // empty store pages skipped since the last page written
  int64_t cursor_ = 0;                   // last sequence sent (or being sent) to this device
  std::string device_;
  std::string token_digest_;       // for custody updates after hello
  int64_t reported_unsynced_ = 0;  // what hello reported, less what was acknowledged since
  int pushes_in_flight_ = 0;
  std::string remote_address_;

  // Token bucket for --max-messages-per-second.
  double tokens_ = 0;
  std::chrono::steady_clock::time_point refilled_at_;
  bool take_message_token();
};

// Makes a session that is always destroyed on its stream's strand (the
// network thread), whichever thread drops the last reference.
template <class Stream>
std::shared_ptr<WebSocketSession<Stream>> make_websocket_session(Stream&& stream, ServerContext& context,
                                                                 std::string remote_address);

}  // namespace psc::server
