// Pieces every /api handler uses: who is calling, the standard refusals, a
// JSON object body, and closing the sessions of tokens just revoked.
#pragma once

#include <initializer_list>
#include <optional>
#include <variant>

#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include "http_responses.hpp"
#include "psc/authorization.hpp"
#include "server_context.hpp"

namespace psc::server {

namespace http = boost::beast::http;
using ApiRequest = http::request<http::string_body>;

// The principal of an authenticated request (token and device headers), or nullopt.
std::optional<Principal> caller(const ApiRequest& req, ServerContext& ctx);
Response unauthorized(const ApiRequest& req);
// A JSON object body with string fields `keys` (each at most 1 KiB), or the
// error response to send instead.
std::variant<nlohmann::json, Response> object_body(const ApiRequest& req,
                                                   std::initializer_list<const char*> keys);
// A token this process just revoked: its open sessions are closed before the
// answer goes out (RevocationWatch), so "signed out" means cut off.
void end_revoked_sessions(ServerContext& ctx);

}  // namespace psc::server
