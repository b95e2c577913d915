// HttpSession: one HTTP connection, plain or TLS. Serves the web app's static
// files, the JSON API and GET /health, and hands a WebSocket upgrade at /sync
// to a WebSocketSession over the same stream. Requests are handled one at a
// time (read, respond, read the next).
#pragma once

#include <memory>
#include <optional>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

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
  void on_read(beast::error_code ec, std::size_t bytes);
  void respond(http::message_generator response);
  void on_write(bool keep_alive, beast::error_code ec, std::size_t bytes);
  void do_close();

  Stream stream_;
  beast::flat_buffer buffer_;
  ServerContext& context_;
  std::optional<http::request_parser<http::string_body>> parser_;
};

// Builds the response to a plain (non-upgrade) HTTP request.
http::message_generator handle_http_request(const http::request<http::string_body>& request,
                                            const std::string& remote_address, ServerContext& context);

}  // namespace psc::server
