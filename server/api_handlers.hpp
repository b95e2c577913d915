// The JSON HTTP API under /api: sign-in, kiosk codes, who-am-I, sign-out,
// device custody. Handled on the worker pool, never the network thread.
// Tokens travel in the Authorization header ("Bearer ...")
// with the device id in X-PSC-Device, never in URLs, and are never logged.
//
//   POST /api/login        {username, password, device, device_name?} -> {token, account, role, neighborhood,
//   department}
//                          (403 password_change_required for a printed password: use /api/password)
//   POST /api/password     {username, password, new_password, device} -> as /api/login (a printed password's
//                          first sign-in); or, with the device's token, {password, new_password} -> {changed}
//   POST /api/kiosk-codes  (organizer/coordinator) {neighborhood?} -> {code, neighborhood, expires_at}
//   POST /api/kiosk-login  {code, device} -> {token, account, role:"kiosk", neighborhood}
//   GET  /api/me           -> {account, role, neighborhood, department, device}
//   POST /api/logout       revokes the calling device's token
//   GET  /api/kiosks       (organizer: own neighborhood's; coordinator: all) kiosk tokens
//   POST /api/kiosks/revoke {id}  ends a kiosk token at once
//   GET  /api/devices      (coordinator) every device token with last seen and reported unsynced count
//   GET  /api/history?type=T&id=ID  (coordinator) every change of one record: who, when, which device
//   /api/accounts..., POST /api/devices/revoke  (coordinator) account and device management:
//   account_handlers.hpp GET /api/device-names, POST /api/devices/name  what people call devices:
//   device_name_handlers.hpp
#pragma once

#include <boost/beast/http.hpp>

#include "http_responses.hpp"
#include "login_throttle.hpp"
#include "server_context.hpp"

namespace psc::server {

namespace http = boost::beast::http;

bool is_api_request(const http::request<http::string_body>& request);
Response handle_api_request(const http::request<http::string_body>& request,
                            const std::string& remote_address, ServerContext& context);

}  // namespace psc::server
