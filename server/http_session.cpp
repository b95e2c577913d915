#include "http_session.hpp"

#include <chrono>

#include <boost/asio/dispatch.hpp>

#include <boost/beast/websocket.hpp>
#include <nlohmann/json.hpp>

#include "static_files.hpp"
#include "websocket_session.hpp"

namespace psc::server {

namespace {

constexpr std::size_t kMaxRequestBodyBytes = 64 * 1024;

template <typename Body>
void add_common_headers(http::response<Body>& res, bool keep_alive) {
  res.set(http::field::server, "psc-server");
  res.set("X-Content-Type-Options", "nosniff");
  res.set("X-Frame-Options", "DENY");
  res.set("Referrer-Policy", "no-referrer");
  res.keep_alive(keep_alive);
}

http::message_generator text_response(const http::request<http::string_body>& req, http::status status,
                                      std::string_view content_type, std::string body) {
  http::response<http::string_body> res{status, req.version()};
  add_common_headers(res, req.keep_alive());
  res.set(http::field::content_type, content_type);
  res.set(http::field::cache_control, "no-store");
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

http::message_generator json_error(const http::request<http::string_body>& req, http::status status,
                                   const std::string& code, const std::string& message) {
  return text_response(req, status, "application/json",
                       nlohmann::json{{"error", code}, {"message", message}}.dump());
}

http::message_generator static_file(const http::request<http::string_body>& req, const std::string& root) {
  const auto path = resolve_static_path(root, req.target());
  if (!path) return json_error(req, http::status::bad_request, "bad_path", "illegal request target");
  beast::error_code ec;
  http::file_body::value_type file;
  file.open(path->c_str(), beast::file_mode::scan, ec);
  if (ec == beast::errc::no_such_file_or_directory || ec == beast::errc::is_a_directory)
    return json_error(req, http::status::not_found, "not_found", "no such file");
  if (ec) return json_error(req, http::status::internal_server_error, "io_error", ec.message());
  const auto size = file.size();
  if (req.method() == http::verb::head) {
    http::response<http::empty_body> res{http::status::ok, req.version()};
    add_common_headers(res, req.keep_alive());
    res.set(http::field::content_type, content_type_for(*path));
    res.content_length(size);
    return res;
  }
  http::response<http::file_body> res{std::piecewise_construct, std::make_tuple(std::move(file)),
                                      std::make_tuple(http::status::ok, req.version())};
  add_common_headers(res, req.keep_alive());
  res.set(http::field::content_type, content_type_for(*path));
  // The service worker owns offline caching; the browser revalidates.
  res.set(http::field::cache_control, "no-cache");
  res.content_length(size);
  return res;
}

}  // namespace

http::message_generator handle_http_request(const http::request<http::string_body>& req, ServerContext& context) {
  const std::string_view target = req.target();
  if (target == "/health") {
    if (req.method() != http::verb::get)
      return json_error(req, http::status::method_not_allowed, "method_not_allowed", "use GET");
    const nlohmann::json body = {{"status", context.shutting_down ? "stopping" : "ok"},
                                 {"sequence", context.store->last_sequence()},
                                 {"records", context.pipeline->record_count()},
                                 {"connections", context.hub.size()}};
    return text_response(req, http::status::ok, "application/json", body.dump());
  }
  if (target == "/sync")
    return json_error(req, http::status::upgrade_required, "upgrade_required", "/sync is a WebSocket endpoint");
  if (req.method() != http::verb::get && req.method() != http::verb::head)
    return json_error(req, http::status::method_not_allowed, "method_not_allowed", "use GET");
  return static_file(req, context.options.web_root);
}

HttpSession::HttpSession(net::ip::tcp::socket&& socket, ServerContext& context)
    : stream_(std::move(socket)), context_(context) {}

void HttpSession::run() {
  net::dispatch(stream_.get_executor(), beast::bind_front_handler(&HttpSession::do_read, shared_from_this()));
}

void HttpSession::do_read() {
  parser_.emplace();
  parser_->body_limit(kMaxRequestBodyBytes);
  parser_->header_limit(16 * 1024);
  stream_.expires_after(std::chrono::seconds(30));
  http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&HttpSession::on_read, shared_from_this()));
}

void HttpSession::on_read(beast::error_code ec, std::size_t) {
  if (ec == http::error::end_of_stream) return do_close();
  if (ec) {
    if (ec == http::error::body_limit || ec == http::error::header_limit) {
      http::request<http::string_body> req;
      req.version(11);
      req.keep_alive(false);
      return respond(json_error(req, http::status::payload_too_large, "too_large", "request too large"));
    }
    return;  // timeouts, resets: nothing to answer
  }
  if (beast::websocket::is_upgrade(parser_->get())) {
    if (parser_->get().target() != "/sync") {
      return respond(json_error(parser_->get(), http::status::not_found, "not_found", "WebSocket endpoint is /sync"));
    }
    stream_.expires_never();  // the WebSocket session sets its own timeouts
    std::make_shared<WebSocketSession>(std::move(stream_), context_)->run(parser_->release());
    return;
  }
  respond(handle_http_request(parser_->get(), context_));
}

void HttpSession::respond(http::message_generator response) {
  const bool keep_alive = response.keep_alive();
  beast::async_write(stream_, std::move(response),
                     beast::bind_front_handler(&HttpSession::on_write, shared_from_this(), keep_alive));
}

void HttpSession::on_write(bool keep_alive, beast::error_code ec, std::size_t) {
  if (ec) return;
  if (!keep_alive || context_.shutting_down) return do_close();
  do_read();
}

void HttpSession::do_close() {
  beast::error_code ec;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
}

}  // namespace psc::server
