// Device names over the JSON API (device_name.hpp says what they are):
//
//   GET  /api/device-names  -> {"<device id>": "<name>", ...}: every signed-in
//                              role but a kiosk (devices keep it for bylines)
//   POST /api/devices/name  {device, name} -> {device, name}: a device names
//                              itself; a coordinator names any device the
//                              server has issued a token for; "" forgets it
//
// Sign-in (POST /api/login, and /api/password's first sign-in) takes an
// optional "device_name" too, kept once the device's token is issued (so a
// sign-in refused with device_taken renames nothing).
#pragma once

#include <optional>
#include <string>

#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include "http_responses.hpp"
#include "psc/status.hpp"
#include "server_context.hpp"

namespace psc::server {

std::optional<Response> handle_device_name_request(
    const boost::beast::http::request<boost::beast::http::string_body>& request, ServerContext& context);

// The "device_name" of a sign-in body, cleaned: "" when absent or null;
// `invalid_device_name` when it is not a string or not a valid name.
Result<std::string> sign_in_device_name(const nlohmann::json& body);

}  // namespace psc::server
