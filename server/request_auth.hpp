// Who is calling an HTTP endpoint: the device token from
// "Authorization: Bearer <token>" and the device id from X-PSC-Device.
#pragma once

#include <optional>
#include <string>

#include <boost/beast/http.hpp>

#include "clock.hpp"
#include "server_context.hpp"

namespace psc::server {

// The token of "Authorization: Bearer <token>", or empty.
inline std::string bearer_token(const boost::beast::http::request<boost::beast::http::string_body>& req) {
  const auto header = req[boost::beast::http::field::authorization];
  constexpr std::string_view kPrefix = "Bearer ";
  if (header.size() <= kPrefix.size() || header.substr(0, kPrefix.size()) != kPrefix) return {};
  return std::string(header.substr(kPrefix.size()));
}

// The principal behind the request's token and device, if valid now.
inline std::optional<Principal> authenticate_request(
    const boost::beast::http::request<boost::beast::http::string_body>& req, ServerContext& ctx) {
  const std::string token = bearer_token(req);
  const std::string device(req["X-PSC-Device"]);
  if (token.empty() || device.empty()) return std::nullopt;
  return ctx.accounts->authenticate(token, device, ctx.clock());
}

}  // namespace psc::server
