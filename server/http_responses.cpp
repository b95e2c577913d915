#include "http_responses.hpp"

#include <atomic>

#include <nlohmann/json.hpp>

namespace psc::server {

namespace {
std::atomic<bool> hsts{false};

// Strict: only the app's own files; WebAssembly compiles, nothing evals
// (the module is built with -sDYNAMIC_EXECUTION=0).
std::string policy_connecting_to(const std::string& connect_sources) {
  return "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
         "connect-src 'self'" +
         connect_sources +
         "; worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'none'; "
         "form-action 'self'; frame-ancestors 'none'";
}

std::string& policy() {
  static std::string text = policy_connecting_to("");
  return text;
}
}  // namespace

void enable_hsts() { hsts = true; }
bool hsts_enabled() { return hsts.load(std::memory_order_relaxed); }

void allow_connections_to(const std::vector<std::string>& sync_urls) {
  std::string sources;
  for (const std::string& url : sync_urls) {
    // ws://host:port/sync -> ws://host:port and http://host:port (the
    // app also reads that node's /servers).
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string::npos) continue;
    const std::string origin = url.substr(scheme_end + 3, url.find('/', scheme_end + 3) - scheme_end - 3);
    const bool secure = url.rfind("wss://", 0) == 0;
    sources += std::string(" ") + (secure ? "wss://" : "ws://") + origin + " " +
               (secure ? "https://" : "http://") + origin;
  }
  policy() = policy_connecting_to(sources);
}

const std::string& content_security_policy() { return policy(); }

Response internal_error(unsigned version) {
  http::request<http::string_body> req;
  req.version(version);
  req.keep_alive(false);
  return json_error(req, http::status::internal_server_error, "internal_error",
                    "the server failed to answer this request (the reason is in its log); try again");
}

namespace {
http::response<http::string_body> text_message(const http::request<http::string_body>& req,
                                               http::status status, std::string_view content_type,
                                               std::string body) {
  http::response<http::string_body> res{status, req.version()};
  add_security_headers(res);
  res.keep_alive(req.keep_alive());
  res.set(http::field::content_type, content_type);
  res.set(http::field::cache_control, "no-store");
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}
}  // namespace

Response text_response(const http::request<http::string_body>& req, http::status status,
                       std::string_view content_type, std::string body) {
  return text_message(req, status, content_type, std::move(body));
}

Response public_json_response(const http::request<http::string_body>& req, std::string body) {
  auto res = text_message(req, http::status::ok, "application/json", std::move(body));
  res.set(http::field::access_control_allow_origin, "*");
  return res;
}

Response json_response(const http::request<http::string_body>& req, http::status status, std::string body) {
  return text_response(req, status, "application/json", std::move(body));
}

Response json_error(const http::request<http::string_body>& req, http::status status, const std::string& code,
                    const std::string& message) {
  return json_response(req, status,
                       nlohmann::json{{"error", code}, {"message", message}}.dump(
                           -1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace psc::server
