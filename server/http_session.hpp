// HttpSession: one HTTP connection, plain or TLS. Serves the web app's static
// files, the JSON API and GET /health, and hands a WebSocket upgrade at /sync
// to a WebSocketSession over the same stream. Requests are handled one at a
// time (read, respond, read the next).
//
// The header is read first, with no body limit yet: the limit is chosen per
// route, and for the one route allowed a large body (a hand-off upload, up to
// 32 MiB) only after its token is checked; anything else gets 64 KiB. A
// request refused before its body is read (401, 413) is answered and the
// connection closed, the rest of the body read and discarded for a few
// seconds (so the client sees the answer, not a reset) without being kept.
//
// The network thread only moves bytes: the API (password hashing, SQLite),
// hand-off files and exports are handled on the worker pool or the commit
// thread and answered back on this session's strand. Every handler boundary
// catches what its handler throws and answers 500 internal_error.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "http_responses.hpp"
#include "server_context.hpp"

namespace psc::server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

// Stream: beast::tcp_stream (plain) or beast::ssl_stream<beast::tcp_stream>
// (TLS); both are instantiated in http_session.cpp.
template <class Stream>
class HttpSession : public std::enable_shared_from_this<HttpSession<Stream>> {
 public:
  // Plain: HttpSession(socket, context). TLS: also the server's ssl::context.
  template <class... StreamArgs>
  HttpSession(ServerContext& context, net::ip::tcp::socket&& socket, StreamArgs&... stream_args)
      : stream_(std::move(socket), stream_args...), context_(context) {}
  void run();

 private:
  using std::enable_shared_from_this<HttpSession<Stream>>::shared_from_this;
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

  void on_handshake(beast::error_code ec);
  void do_read();
  void on_header(beast::error_code ec, std::size_t bytes);
  void on_uploader_checked(bool authenticated, bool failed);
  void read_body(std::size_t limit);
  void on_read(beast::error_code ec, std::size_t bytes);
  void dispatch();
  // Runs `handler` on the worker pool; its reply (once, from any thread) is
  // written on this session's strand.
  using Reply = std::function<void(std::shared_ptr<Response>)>;
  void off_thread(std::function<void(const Reply&)> handler, WorkPool& pool);
  void respond(Response response);
  // Answers without reading the body, then closes.
  void refuse_unread(http::status status, const std::string& code, const std::string& message);
  void log_request(unsigned status, std::uint64_t body_bytes);
  void on_write(bool keep_alive, beast::error_code ec, std::size_t bytes);
  void do_close();
  void discard_rest();

  Stream stream_;
  beast::flat_buffer buffer_;
  ServerContext& context_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::chrono::steady_clock::time_point started_;  // the request's header arrived
  std::string address_;                            // the client's, past trusted proxies
  bool body_unread_ = false;                       // the answer goes out before the request's body was read
  std::size_t discarded_ = 0;
  std::array<char, 16 * 1024> discard_buffer_;
};

// Builds the response to a plain (non-upgrade) HTTP request.
Response handle_http_request(const http::request<http::string_body>& request,
                             const std::string& remote_address, ServerContext& context);

}  // namespace psc::server
