// Small builders for the server's HTTP responses, with the security headers
// every response carries.
#pragma once

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

http::message_generator text_response(const http::request<http::string_body>& req, http::status status,
                                      std::string_view content_type, std::string body);
http::message_generator json_response(const http::request<http::string_body>& req, http::status status,
                                      std::string body);
http::message_generator json_error(const http::request<http::string_body>& req, http::status status,
                                   const std::string& code, const std::string& message);
// 500 internal_error, closing the connection: what every handler boundary
// answers when something it called threw (the details go to the log).
http::message_generator internal_error(unsigned version);

}  // namespace psc::server
