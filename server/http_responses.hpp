// Small builders for the server's HTTP responses, with the security headers
// every response carries.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <boost/beast/http.hpp>

namespace psc::server {

namespace http = boost::beast::http;

// Strict-Transport-Security on every response: set once at start when the
// server serves TLS (browsers then refuse plain HTTP to this host).
void enable_hsts();
bool hsts_enabled();

template <typename Body>
void add_security_headers(http::response<Body>& res) {
  res.set(http::field::server, "psc-server");
  if (hsts_enabled()) res.set(http::field::strict_transport_security, "max-age=31536000");
  res.set("X-Content-Type-Options", "nosniff");
  res.set("X-Frame-Options", "DENY");
  res.set("Referrer-Policy", "no-referrer");
  // Strict: only the app's own files; WebAssembly compiles, nothing evals
  // (the module is built with -sDYNAMIC_EXECUTION=0).
  res.set("Content-Security-Policy",
          "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
          "connect-src 'self'; worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'none'; "
          "form-action 'self'; frame-ancestors 'none'");
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
Response json_error(const http::request<http::string_body>& req, http::status status, const std::string& code,
                    const std::string& message);
// 500 internal_error, closing the connection: what every handler boundary
// answers when something it called threw (the details go to the log).
Response internal_error(unsigned version);

}  // namespace psc::server
