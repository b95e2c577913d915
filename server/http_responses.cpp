#include "http_responses.hpp"

#include <atomic>

#include <nlohmann/json.hpp>

namespace psc::server {

namespace {
std::atomic<bool> hsts{false};
}  // namespace

void enable_hsts() { hsts = true; }
bool hsts_enabled() { return hsts.load(std::memory_order_relaxed); }

Response internal_error(unsigned version) {
  http::request<http::string_body> req;
  req.version(version);
  req.keep_alive(false);
  return json_error(req, http::status::internal_server_error, "internal_error",
                    "the server failed to answer this request (the reason is in its log); try again");
}

Response text_response(const http::request<http::string_body>& req, http::status status,
                       std::string_view content_type, std::string body) {
  http::response<http::string_body> res{status, req.version()};
  add_security_headers(res);
  res.keep_alive(req.keep_alive());
  res.set(http::field::content_type, content_type);
  res.set(http::field::cache_control, "no-store");
  res.body() = std::move(body);
  res.prepare_payload();
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
