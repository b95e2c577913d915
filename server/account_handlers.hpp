// Account and device management for coordinators, over the JSON API (the
// same rules as `psc-server admin`, whose commands these mirror):
//
//   GET  /api/accounts                 -> [{username, role, neighborhood, department, disabled,
//   must_change_password}] POST /api/accounts                 {username, role, neighborhood?, department?} ->
//   the account + {password}:
//                                      generated, shown once, good for one sign-in that chooses a new one
//   POST /api/accounts/disable         {username, disabled: bool} -> the account (its devices are cut off at
//   once) POST /api/accounts/reset-password  {username} -> {username, password} (generated, as above) POST
//   /api/devices/revoke           {id} -> {revoked: id} (the device's connection is closed at once)
//
// A coordinator cannot disable or reset their own account here (the way to
// lose the last way in); they change their own password on the account page.
#pragma once

#include <optional>

#include <boost/beast/http.hpp>

#include "http_responses.hpp"
#include "server_context.hpp"

namespace psc::server {

// The answer to an account or device management request, or nullopt when
// `request` is not one (the caller goes on routing it).
std::optional<Response> handle_account_request(
    const boost::beast::http::request<boost::beast::http::string_body>& request, ServerContext& context);

// Whether the request hashes a password (Argon2id): run it on the password pool.
bool is_account_password_request(const boost::beast::http::request<boost::beast::http::string_body>& request);

}  // namespace psc::server
