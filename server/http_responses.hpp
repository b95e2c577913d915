// Small builders for the server's HTTP responses, with the security headers
// every response carries.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <boost/beast/http.hpp>

namespace psc::server {

namespace http = boost::beast::http;

// Strict-Transport-Security on every response: set once at start when the
// server serves TLS (browsers then refuse plain HTTP to this host).
void enable_hsts();
bool hsts_enabled();

// The Content-Security-Policy every response carries. Its connect-src is
// the app's own origin plus, when the server names other nodes' sync
// addresses (--sync-url), those nodes: the web app moves its connection to
// one of them when its own node is gone. Set once at start.
void allow_connections_to(const std::vector<std::string>& sync_urls);
const std::string& content_security_policy();

template <typename Body>
void add_security_headers(http::response<Body>& res) {
  res.set(http::field::server, "psc-server");
  if (hsts_enabled()) res.set(http::field::strict_transport_security, "max-age=31536000");
  res.set("X-Content-Type-Options", "nosniff");
  res.set("X-Frame-Options", "DENY");
  res.set("Referrer-Policy", "no-referrer");
  res.set("Content-Security-Policy", content_security_policy());
}

// A response ready to send, with what the access log records of it: a
// message_generator alone hides the status and size once made. Built from
// any http::response (implicitly, so `return res;` works in a handler).
class Response {
 public:
  template <class Body, class Fields>
  Response(http::response<Body, Fields>&& message)  // NOLINT(google-explicit-constructor)
      : status_(message.result_int()),
        body_bytes_(message.payload_size().value_or(0)),
        keep_alive_(message.keep_alive()),
        message_(std::move(message)) {}

  unsigned status() const { return status_; }
  std::uint64_t body_bytes() const { return body_bytes_; }
  bool keep_alive() const { return keep_alive_; }
  // What is written to the stream; the Response is spent after this.
  http::message_generator take() { return std::move(message_); }

 private:
  unsigned status_;
  std::uint64_t body_bytes_;
  bool keep_alive_;
  http::message_generator message_;
};

Response text_response(const http::request<http::string_body>& req, http::status status,
                       std::string_view content_type, std::string body);
Response json_response(const http::request<http::string_body>& req, http::status status, std::string body);
// 200 with JSON any origin may read: public, credential-free facts (no
// cookie or token is involved) that the web app, served by one node, reads
// from another node after moving its connection there.
Response public_json_response(const http::request<http::string_body>& req, std::string body);
Response json_error(const http::request<http::string_body>& req, http::status status, const std::string& code,
                    const std::string& message);
// 500 internal_error, closing the connection: what every handler boundary
// answers when something it called threw (the details go to the log).
Response internal_error(unsigned version);

}  // namespace psc::server
