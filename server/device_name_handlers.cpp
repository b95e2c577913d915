#include "device_name_handlers.hpp"

#include "api_support.hpp"
#include "clock.hpp"
#include "device_name.hpp"
#include "http_responses.hpp"
#include "log.hpp"
#include "psc/record_id.hpp"

namespace psc::server {

namespace {

using nlohmann::json;

Response names(const ApiRequest& req, ServerContext& ctx) {
  json out = json::object();
  for (const auto& [device, name] : ctx.accounts->device_names()) out[device] = name;
  return json_response(req, http::status::ok, out.dump());
}

Response rename(const ApiRequest& req, const Principal& who, ServerContext& ctx) {
  auto parsed = object_body(req, {"device", "name"});
  if (auto* error = std::get_if<Response>(&parsed)) return std::move(*error);
  const json& body = std::get<json>(parsed);
  const std::string device = body["device"];
  auto name = clean_device_name(body["name"].get<std::string>());
  if (!name) return json_error(req, http::status::bad_request, name.status().code(), name.status().message());
  // Its own device (the one the token is bound to), or any device for a
  // coordinator: another organizer's tablet is not an organizer's to name.
  if (device != who.device && who.role != Role::coordinator)
    return json_error(req, http::status::forbidden, "forbidden", "only coordinators name other devices");
  if (!is_valid_device_id(device) || !ctx.accounts->knows_device(device))
    return json_error(req, http::status::not_found, "not_found",
                      "no device " + device + " has signed in here");
  ctx.accounts->set_device_name(device, name.value(), who.account, ctx.clock());
  log_info(who.account + " named device " + device + (name->empty() ? " (name removed)" : ""));
  return json_response(req, http::status::ok, json{{"device", device}, {"name", name.value()}}.dump());
}

}  // namespace

Result<std::string> sign_in_device_name(const json& body) {
  if (!body.contains("device_name") || body["device_name"].is_null()) return std::string();
  if (!body["device_name"].is_string())
    return Status::error("invalid_device_name", "\"device_name\" must be a string");
  return clean_device_name(body["device_name"].get_ref<const std::string&>());
}

std::optional<Response> handle_device_name_request(const ApiRequest& req, ServerContext& ctx) {
  const std::string_view target = req.target();
  const bool list = target == "/api/device-names" && req.method() == http::verb::get;
  const bool set = target == "/api/devices/name" && req.method() == http::verb::post;
  if (!list && !set) return std::nullopt;
  auto who = caller(req, ctx);
  if (!who) return unauthorized(req);
  // A kiosk is run by residents: it shows no bylines and names nothing.
  if (who->role == Role::kiosk)
    return json_error(req, http::status::forbidden, "forbidden", "a kiosk does not see or name devices");
  return list ? names(req, ctx) : rename(req, *who, ctx);
}

}  // namespace psc::server
