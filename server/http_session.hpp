// HttpSession: one HTTP connection. Serves the web app's static files and
// GET /health, and hands a WebSocket upgrade at /sync to a WebSocketSession.
// Requests are handled one at a time (read, respond, read the next).
#pragma once

#include <memory>
#include <optional>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "server_context.hpp"

namespace psc::server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(net::ip::tcp::socket&& socket, ServerContext& context);
  void run();

 private:
  void do_read();
  void on_read(beast::error_code ec, std::size_t bytes);
  void respond(http::message_generator response);
  void on_write(bool keep_alive, beast::error_code ec, std::size_t bytes);
  void do_close();

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  ServerContext& context_;
  std::optional<http::request_parser<http::string_body>> parser_;
};

// Builds the response to a plain (non-upgrade) HTTP request.
http::message_generator handle_http_request(const http::request<http::string_body>& request,
                                            const std::string& remote_address, ServerContext& context);

}  // namespace psc::server
