#include "http_session.hpp"

#include <chrono>

#include <boost/asio/dispatch.hpp>

#include <boost/beast/websocket.hpp>
#include <nlohmann/json.hpp>

#include "api_handlers.hpp"
#include "http_responses.hpp"
#include "handoff.hpp"
#include "query_handlers.hpp"
#include "static_files.hpp"
#include "websocket_session.hpp"

namespace psc::server {

namespace {

constexpr std::size_t kMaxRequestBodyBytes = 64 * 1024;
constexpr std::size_t kMaxHandoffBytes = 32 * 1024 * 1024;

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
    add_security_headers(res);
    res.keep_alive(req.keep_alive());
    res.set(http::field::content_type, content_type_for(*path));
    res.content_length(size);
    return res;
  }
  http::response<http::file_body> res{std::piecewise_construct, std::make_tuple(std::move(file)),
                                      std::make_tuple(http::status::ok, req.version())};
  add_security_headers(res);
  res.keep_alive(req.keep_alive());
  res.set(http::field::content_type, content_type_for(*path));
  // The service worker owns offline caching; the browser revalidates.
  res.set(http::field::cache_control, "no-cache");
  res.content_length(size);
  return res;
}

}  // namespace

http::message_generator handle_http_request(const http::request<http::string_body>& req,
                                            const std::string& remote_address, ServerContext& context) {
  const std::string_view target = req.target();
  if (is_api_request(req)) return handle_api_request(req, remote_address, context);
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

template <class Stream>
void HttpSession<Stream>::run() {
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
    if constexpr (kTls) {
      beast::get_lowest_layer(self->stream_).expires_after(std::chrono::seconds(30));
      self->stream_.async_handshake(net::ssl::stream_base::server,
                                    beast::bind_front_handler(&HttpSession::on_handshake, self));
    } else {
      self->do_read();
    }
  });
}

template <class Stream>
void HttpSession<Stream>::on_handshake(beast::error_code ec) {
  if (ec) return;  // not TLS, or a bad client: nothing to answer
  do_read();
}

template <class Stream>
void HttpSession<Stream>::do_read() {
  parser_.emplace();
  parser_->body_limit(kMaxRequestBodyBytes);
  parser_->header_limit(16 * 1024);
  beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(30));
  // Headers first: only an authenticated hand-off upload may bring a large body.
  http::async_read_header(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
    if (ec) return self->on_read(ec, 0);
    if (self->parser_->get().target() == "/api/handoff") self->parser_->body_limit(kMaxHandoffBytes);
    http::async_read(self->stream_, self->buffer_, *self->parser_,
                     beast::bind_front_handler(&HttpSession::on_read, self));
  });
}

template <class Stream>
void HttpSession<Stream>::on_read(beast::error_code ec, std::size_t) {
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
  beast::error_code ignored;
  const std::string address =
      beast::get_lowest_layer(stream_).socket().remote_endpoint(ignored).address().to_string();
  if (beast::websocket::is_upgrade(parser_->get())) {
    if (parser_->get().target() != "/sync") {
      return respond(json_error(parser_->get(), http::status::not_found, "not_found", "WebSocket endpoint is /sync"));
    }
    auto open = context_.connections_by_address.find(address);
    if (open != context_.connections_by_address.end() && open->second >= context_.options.max_connections_per_address)
      return respond(json_error(parser_->get(), http::status::too_many_requests, "too_many_connections",
                                "too many sync connections from this address"));
    beast::get_lowest_layer(stream_).expires_never();  // the WebSocket session sets its own timeouts
    std::make_shared<WebSocketSession<Stream>>(std::move(stream_), context_, address)->run(parser_->release());
    return;
  }
  if (is_handoff_request(parser_->get())) {
    handle_handoff_request(parser_->get(), context_, [self = shared_from_this()](std::shared_ptr<http::message_generator> res) {
      net::post(self->stream_.get_executor(), [self, res] { self->respond(std::move(*res)); });
    });
    return;
  }
  if (is_query_request(parser_->get())) {
    // Answered from the replica on the pipeline thread; back to this strand.
    handle_query_request(parser_->get(), context_, [self = shared_from_this()](std::shared_ptr<http::message_generator> res) {
      net::post(self->stream_.get_executor(), [self, res] { self->respond(std::move(*res)); });
    });
    return;
  }
  respond(handle_http_request(parser_->get(), address, context_));
}

template <class Stream>
void HttpSession<Stream>::respond(http::message_generator response) {
  const bool keep_alive = response.keep_alive();
  beast::async_write(stream_, std::move(response),
                     beast::bind_front_handler(&HttpSession::on_write, shared_from_this(), keep_alive));
}

template <class Stream>
void HttpSession<Stream>::on_write(bool keep_alive, beast::error_code ec, std::size_t) {
  if (ec) return;
  if (!keep_alive || context_.shutting_down) return do_close();
  do_read();
}

template <class Stream>
void HttpSession<Stream>::do_close() {
  if constexpr (kTls) {
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(5));
    stream_.async_shutdown([self = shared_from_this()](beast::error_code) {});
  } else {
    beast::error_code ec;
    stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
  }
}

template class HttpSession<beast::tcp_stream>;
template class HttpSession<beast::ssl_stream<beast::tcp_stream>>;

}  // namespace psc::server
