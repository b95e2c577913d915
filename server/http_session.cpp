#include "http_session.hpp"

#include <atomic>
#include <chrono>

#include <boost/asio/dispatch.hpp>

#include <boost/beast/websocket.hpp>
#include <nlohmann/json.hpp>

#include "account_handlers.hpp"
#include "api_handlers.hpp"
#include "client_address.hpp"
#include "handoff.hpp"
#include "http_responses.hpp"
#include "log.hpp"
#include "metrics.hpp"
#include "query_handlers.hpp"
#include "request_auth.hpp"
#include "server_options.hpp"
#include "static_files.hpp"
#include "websocket_session.hpp"
#include "work_pool.hpp"

namespace psc::server {

namespace {

constexpr std::size_t kMaxRequestBodyBytes = 64 * 1024;
constexpr std::size_t kMaxHandoffBytes = 32 * 1024 * 1024;

Response static_file(const http::request<http::string_body>& req, const std::string& root) {
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

namespace {

bool ready(ServerContext& context, std::string& reason) {
  if (context.shutting_down) {
    reason = "stopping";
    return false;
  }
  try {
    context.store->last_sequence();
    return true;
  } catch (const std::exception& e) {
    reason = std::string("the store does not answer: ") + e.what();
    return false;
  }
}

std::shared_ptr<Response> readiness(const http::request<http::string_body>& req, ServerContext& context) {
  std::string reason;
  const bool ok = ready(context, reason);
  return std::make_shared<Response>(
      ok ? text_response(req, http::status::ok, "application/json", R"({"status":"ready"})")
         : text_response(req, http::status::service_unavailable, "application/json",
                         nlohmann::json{{"status", "not_ready"}, {"reason", reason}}.dump(
                             -1, ' ', false, nlohmann::json::error_handler_t::replace)));
}

}  // namespace

Response handle_http_request(const http::request<http::string_body>& req,
                             const std::string& /*remote_address*/, ServerContext& context) {
  const std::string_view target = req.target();
  // Liveness: the network thread answers, so the process is not stuck.
  if (target == "/livez" && req.method() == http::verb::get)
    return text_response(req, http::status::ok, "application/json", R"({"status":"alive"})");
  if (target == "/metrics" && req.method() == http::verb::get) {
    ScrapeState state;
    state.version = server_version();
    for (const auto& [role, n] : context.hub.sessions_by_role()) state.connections_by_role[role] = n;
    state.sequence = context.hub.head();
    state.records = static_cast<int64_t>(context.pipeline->record_count());
    state.live_window_bytes = static_cast<int64_t>(context.hub.window_bytes());
    state.ready = !context.shutting_down;
    return text_response(req, http::status::ok, "text/plain; version=0.0.4; charset=utf-8",
                         render_metrics(metrics(), state));
  }
  if (target == "/health") {
    if (req.method() != http::verb::get)
      return json_error(req, http::status::method_not_allowed, "method_not_allowed", "use GET");
    // All in memory: /health answers on the network thread and never waits
    // for SQLite. The hub's head is the last committed and published sequence.
    const nlohmann::json body = {{"status", context.shutting_down ? "stopping" : "ok"},
                                 {"sequence", context.hub.head()},
                                 {"records", context.pipeline->record_count()},
                                 {"connections", context.hub.size()}};
    return text_response(req, http::status::ok, "application/json", body.dump());
  }
  // The nodes a device may sync with (--sync-url): the web app keeps the
  // list and moves to another node when its own is gone.
  if (target == "/servers" && req.method() == http::verb::get)
    return public_json_response(req, nlohmann::json{{"sync_urls", context.options.sync_urls}}.dump());
  if (target == "/sync")
    return json_error(req, http::status::upgrade_required, "upgrade_required",
                      "/sync is a WebSocket endpoint");
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
  // No body limit while the header is read: Beast compares a Content-Length
  // with the limit as soon as the header is parsed, before the route and the
  // caller are known. read_body() sets the route's limit.
  parser_->body_limit(boost::none);
  parser_->header_limit(16 * 1024);
  body_unread_ = false;
  // What the access log names if the header never parses (too large, bad):
  // the peer as connected, until on_header knows the forwarded address.
  beast::error_code ignored;
  address_ = beast::get_lowest_layer(stream_).socket().remote_endpoint(ignored).address().to_string();
  started_ = std::chrono::steady_clock::now();
  beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(30));
  http::async_read_header(stream_, buffer_, *parser_,
                          beast::bind_front_handler(&HttpSession::on_header, shared_from_this()));
}

template <class Stream>
void HttpSession<Stream>::on_header(beast::error_code ec, std::size_t) {
  if (ec) return on_read(ec, 0);
  const auto& req = parser_->get();
  started_ = std::chrono::steady_clock::now();
  beast::error_code ignored;
  address_ =
      client_address(beast::get_lowest_layer(stream_).socket().remote_endpoint(ignored).address().to_string(),
                     req["X-Forwarded-For"], context_.options.trusted_proxies);
  if (!(is_handoff_request(req) && req.method() == http::verb::post)) return read_body(kMaxRequestBodyBytes);
  // Only an authenticated uploader may send a large body: its token is
  // checked (on the worker pool: SQLite) before a byte of the body is read.
  beast::get_lowest_layer(stream_).expires_never();
  ++context_.work_queued;
  context_.work->post([self = shared_from_this()] {
    bool authenticated = false, failed = false;
    try {
      authenticated = authenticate_request(self->parser_->get(), self->context_).has_value();
    } catch (const std::exception& e) {
      log_error(std::string("checking a hand-off uploader failed: ") + e.what());
      failed = true;
    }
    --self->context_.work_queued;
    net::post(self->stream_.get_executor(),
              [self, authenticated, failed] { self->on_uploader_checked(authenticated, failed); });
  });
}

template <class Stream>
void HttpSession<Stream>::on_uploader_checked(bool authenticated, bool failed) {
  if (failed) {
    body_unread_ = true;
    return respond(internal_error(parser_->get().version()));
  }
  if (!authenticated)
    return refuse_unread(
        http::status::unauthorized, "unauthorized",
        "sign in to upload a hand-off file (Authorization: Bearer <token> and X-PSC-Device)");
  read_body(kMaxHandoffBytes);
}

template <class Stream>
void HttpSession<Stream>::read_body(std::size_t limit) {
  const auto length = parser_->content_length();
  if (length && *length > limit)
    return refuse_unread(http::status::payload_too_large, "too_large",
                         "request body over the limit of " + std::to_string(limit) + " bytes");
  parser_->body_limit(limit);  // also bounds a chunked body as it arrives
  beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(30));
  http::async_read(stream_, buffer_, *parser_,
                   beast::bind_front_handler(&HttpSession::on_read, shared_from_this()));
}

template <class Stream>
void HttpSession<Stream>::refuse_unread(http::status status, const std::string& code,
                                        const std::string& message) {
  http::request<http::string_body> req;
  req.version(parser_ ? parser_->get().version() : 11);
  req.keep_alive(false);
  body_unread_ = true;
  respond(json_error(req, status, code, message));
}

template <class Stream>
void HttpSession<Stream>::on_read(beast::error_code ec, std::size_t) {
  if (ec == http::error::end_of_stream) return do_close();
  if (ec) {
    if (ec == http::error::body_limit || ec == http::error::header_limit)
      return refuse_unread(http::status::payload_too_large, "too_large", "request too large");
    return;  // timeouts, resets: nothing to answer
  }
  try {
    dispatch();
  } catch (const std::exception& e) {
    log_error(std::string("answering ") + std::string(parser_->get().target()) + " failed: " + e.what());
    respond(internal_error(parser_->get().version()));
  }
}

template <class Stream>
void HttpSession<Stream>::dispatch() {
  auto& req = parser_->get();
  const std::string& address = address_;
  metrics().http_requests.add();
  if (beast::websocket::is_upgrade(req)) {
    if (req.target() != "/sync")
      return respond(json_error(req, http::status::not_found, "not_found", "WebSocket endpoint is /sync"));
    {
      std::lock_guard lock(context_.connections_mutex);
      auto open = context_.connections_by_address.find(address);
      if (open != context_.connections_by_address.end() &&
          open->second >= context_.options.max_connections_per_address)
        return respond(json_error(req, http::status::too_many_requests, "too_many_connections",
                                  "too many sync connections from this address"));
    }
    beast::get_lowest_layer(stream_).expires_never();  // the WebSocket session sets its own timeouts
    log_request(101, 0);
    make_websocket_session(std::move(stream_), context_, address)->run(parser_->release());
    return;
  }
  if (is_handoff_request(req)) {
    return off_thread([this](const Reply& reply) { handle_handoff_request(parser_->get(), context_, reply); },
                      *context_.work);
  }
  if (is_query_request(req)) {
    // Authenticated here, answered from the replica on the pipeline thread.
    return off_thread([this](const Reply& reply) { handle_query_request(parser_->get(), context_, reply); },
                      *context_.work);
  }
  if (req.target() == "/readyz" && req.method() == http::verb::get) {
    // Ready: loaded (the server listens only then), not stopping, and the
    // store answers (a query, so on the worker pool).
    return off_thread([this](const Reply& reply) { reply(readiness(parser_->get(), context_)); },
                      *context_.work);
  }
  if (is_api_request(req)) {
    // Sign-in checks a password (Argon2id): on its own thread, so a flood of
    // sign-ins never delays a hello's token check or anything else.
    const bool password =
        req.target() == "/api/login" || req.target() == "/api/password" || is_account_password_request(req);
    return off_thread(
        [this, address](const Reply& reply) {
          reply(std::make_shared<Response>(handle_api_request(parser_->get(), address, context_)));
        },
        password ? *context_.passwords : *context_.work);
  }
  respond(handle_http_request(req, address, context_));
}

template <class Stream>
void HttpSession<Stream>::off_thread(std::function<void(const Reply&)> handler, WorkPool& pool) {
  const unsigned version = parser_->get().version();
  if (context_.work_queued.load() >= ServerContext::kMaxQueuedWork) {
    http::response<http::string_body> res{http::status::service_unavailable, version};
    add_security_headers(res);
    res.keep_alive(false);
    res.set(http::field::content_type, "application/json");
    res.set(http::field::retry_after, "1");
    res.body() = R"({"error":"busy","message":"the server is busy; try again in a moment"})";
    res.prepare_payload();
    return respond(std::move(res));
  }
  beast::get_lowest_layer(stream_).expires_never();  // the answer may take a while (an Argon2id queue)
  auto self = shared_from_this();
  auto replied = std::make_shared<std::atomic<bool>>(false);
  Reply reply = [self, replied](std::shared_ptr<Response> res) {
    if (replied->exchange(true)) return;  // once
    net::post(self->stream_.get_executor(), [self, res] { self->respond(std::move(*res)); });
  };
  ++context_.work_queued;
  // The request is the handler's until it replies; after that the strand
  // reads the next one into the parser, so the error path keeps its own copy
  // of the target.
  pool.post(
      [self, handler = std::move(handler), reply, version, target = std::string(parser_->get().target())] {
        --self->context_.work_queued;
        try {
          handler(reply);
        } catch (const std::exception& e) {
          log_error("answering " + target + " failed: " + e.what());
          reply(std::make_shared<Response>(internal_error(version)));
        }
      });
}

template <class Stream>
void HttpSession<Stream>::respond(Response response) {
  const bool keep_alive = response.keep_alive();
  log_request(response.status(), response.body_bytes());
  beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(30));
  beast::async_write(stream_, response.take(),
                     beast::bind_front_handler(&HttpSession::on_write, shared_from_this(), keep_alive));
}

// The access log (--access-log): one line per answered request, written as
// it is sent. The path only, never the query string or a header: tokens
// travel in headers, and a client that puts one in a URL by mistake must not
// find it in the log.
template <class Stream>
void HttpSession<Stream>::log_request(unsigned status, std::uint64_t body_bytes) {
  if (!context_.options.access_log || !parser_) return;
  const auto& req = parser_->get();
  const std::string_view target = req.target();
  AccessEntry entry;
  entry.address = address_;
  // "-" for what a header that never parsed (too large) did not say.
  entry.method = req.method_string().empty() ? "-" : std::string(req.method_string());
  entry.path = target.empty() ? "-" : std::string(target.substr(0, target.find('?')));
  entry.status = status;
  entry.body_bytes = body_bytes;
  entry.duration_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started_).count();
  log_access(entry);
}

template <class Stream>
void HttpSession<Stream>::on_write(bool keep_alive, beast::error_code ec, std::size_t) {
  if (ec) return;
  if (body_unread_) return discard_rest();
  if (!keep_alive || context_.shutting_down) return do_close();
  do_read();
}

// After an answer sent before the body was read: stop sending, then read and
// drop what the client is still sending, into one small buffer, for at most
// 5 s and 64 MiB. Closing with unread data would reset the connection, and
// the client could lose the answer.
template <class Stream>
void HttpSession<Stream>::discard_rest() {
  if (discarded_ == 0) {
    if constexpr (!kTls) {
      beast::error_code ignored;
      stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
    }
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(5));
  }
  stream_.async_read_some(net::buffer(discard_buffer_),
                          [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                            self->discarded_ += n + 1;
                            if (ec || self->discarded_ > 64 * 1024 * 1024) {
                              beast::error_code ignored;
                              beast::get_lowest_layer(self->stream_).socket().close(ignored);
                              return;
                            }
                            self->discard_rest();
                          });
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
