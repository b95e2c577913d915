#include "api_support.hpp"

#include "http_responses.hpp"
#include "request_auth.hpp"
#include "revocation_watch.hpp"

namespace psc::server {

using nlohmann::json;

// The principal of an authenticated request, or nullopt.
std::optional<Principal> caller(const ApiRequest& req, ServerContext& ctx) {
  return authenticate_request(req, ctx);
}

Response unauthorized(const ApiRequest& req) {
  return json_error(
      req, http::status::unauthorized, "unauthorized",
      "send the device token as 'Authorization: Bearer <token>' and the device id as X-PSC-Device");
}

// A JSON object body with string fields `keys`, or an error response.
std::variant<json, Response> object_body(const ApiRequest& req, std::initializer_list<const char*> keys) {
  json body = json::parse(req.body(), nullptr, false);
  if (body.is_discarded() || !body.is_object())
    return json_error(req, http::status::bad_request, "malformed_json", "the body must be a JSON object");
  for (const char* key : keys)
    if (!body.contains(key) || !body[key].is_string() ||
        body[key].get_ref<const std::string&>().size() > 1024)
      return json_error(req, http::status::bad_request, "missing_field",
                        std::string("\"") + key + "\" must be a string");
  return body;
}

// A token this process just revoked: its open sessions are closed before the
// answer goes out (RevocationWatch), so "signed out" means cut off.
void end_revoked_sessions(ServerContext& ctx) {
  if (ctx.revocations) ctx.revocations->refresh();
}

}  // namespace psc::server
