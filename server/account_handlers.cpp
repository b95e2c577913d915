#include "account_handlers.hpp"

#include <nlohmann/json.hpp>

#include "api_support.hpp"
#include "clock.hpp"
#include "http_responses.hpp"
#include "log.hpp"
#include "secrets.hpp"

namespace psc::server {

namespace {

using nlohmann::json;
using Answer = std::optional<Response>;

json account_json(const Account& a) {
  return {{"username", a.username},         {"role", std::string(role_name(a.role))},
          {"neighborhood", a.neighborhood}, {"department", a.department},
          {"disabled", a.disabled},         {"must_change_password", a.must_change_password}};
}

Response refused(const ApiRequest& req, const Status& status) {
  const auto code = status.code() == "exists"      ? http::status::conflict
                    : status.code() == "not_found" ? http::status::not_found
                                                   : http::status::bad_request;
  return json_error(req, code, status.code(), status.message());
}

// An optional string field: absent is "", anything but a short string refused.
std::optional<std::string> optional_text(const json& body, const char* key) {
  if (!body.contains(key) || body[key].is_null()) return std::string();
  if (!body[key].is_string() || body[key].get_ref<const std::string&>().size() > 128) return std::nullopt;
  return body[key].get<std::string>();
}

Response list(const ApiRequest& req, ServerContext& ctx) {
  json out = json::array();
  for (const auto& a : ctx.accounts->list_accounts()) out.push_back(account_json(a));
  return json_response(req, http::status::ok, out.dump());
}

Response create(const ApiRequest& req, const Principal& who, ServerContext& ctx) {
  auto parsed = object_body(req, {"username", "role"});
  if (auto* error = std::get_if<Response>(&parsed)) return std::move(*error);
  const json& body = std::get<json>(parsed);
  const auto neighborhood = optional_text(body, "neighborhood"),
             department = optional_text(body, "department");
  if (!neighborhood || !department)
    return json_error(req, http::status::bad_request, "missing_field",
                      "neighborhood and department must be strings");
  const auto role = role_from_name(body["role"].get<std::string>());
  if (!role || *role == Role::kiosk)
    return json_error(
        req, http::status::bad_request, "invalid_account",
        "role must be coordinator, organizer, liaison or viewer (kiosks sign in with kiosk codes)");
  // Only what the role uses is kept: a liaison's stray neighborhood would
  // otherwise narrow what it reads.
  const bool uses_neighborhood = *role == Role::organizer || *role == Role::viewer;
  const std::string password = new_printed_password();
  auto account = ctx.accounts->create_account(
      body["username"].get<std::string>(), *role, uses_neighborhood ? *neighborhood : std::string(),
      *role == Role::liaison ? *department : std::string(), password, ctx.clock(),
      /*must_change_password=*/true);
  if (!account) return refused(req, account.status());
  log_info(who.account + " created account " + account->username + " (" +
           std::string(role_name(account->role)) + ")");
  json out = account_json(account.value());
  out["password"] = password;
  return json_response(req, http::status::created, out.dump());
}

Response disable(const ApiRequest& req, const Principal& who, ServerContext& ctx) {
  auto parsed = object_body(req, {"username"});
  if (auto* error = std::get_if<Response>(&parsed)) return std::move(*error);
  const json& body = std::get<json>(parsed);
  if (!body.contains("disabled") || !body["disabled"].is_boolean())
    return json_error(req, http::status::bad_request, "missing_field", "\"disabled\" must be true or false");
  const std::string username = body["username"];
  if (username == who.account)
    return json_error(req, http::status::bad_request, "own_account", "you cannot disable your own account");
  const bool disabled = body["disabled"].get<bool>();
  if (auto status = ctx.accounts->set_disabled(username, disabled); !status) return refused(req, status);
  end_revoked_sessions(ctx);
  log_info(who.account + (disabled ? " disabled account " : " enabled account ") + username);
  return json_response(req, http::status::ok, account_json(*ctx.accounts->find_account(username)).dump());
}

Response reset_password(const ApiRequest& req, const Principal& who, ServerContext& ctx) {
  auto parsed = object_body(req, {"username"});
  if (auto* error = std::get_if<Response>(&parsed)) return std::move(*error);
  const std::string username = std::get<json>(parsed)["username"];
  if (username == who.account)
    return json_error(req, http::status::bad_request, "own_account",
                      "change your own password on your account page (it needs the current one)");
  const std::string password = new_printed_password();
  if (auto status = ctx.accounts->set_password(username, password, /*must_change_password=*/true); !status)
    return refused(req, status);
  log_info(who.account + " reset the password of account " + username);
  return json_response(req, http::status::ok, json{{"username", username}, {"password", password}}.dump());
}

Response revoke_device(const ApiRequest& req, const Principal& who, ServerContext& ctx) {
  const json body = json::parse(req.body(), nullptr, false);
  if (!body.is_object() || !body.contains("id") || !body["id"].is_number_integer())
    return json_error(req, http::status::bad_request, "missing_field",
                      "\"id\" must be a device token id (a number)");
  const int64_t id = body["id"].get<int64_t>();
  if (auto status = ctx.accounts->revoke_token(id, ctx.clock()); !status) return refused(req, status);
  end_revoked_sessions(ctx);
  log_info(who.account + " revoked device token " + std::to_string(id));
  return json_response(req, http::status::ok, json{{"revoked", id}}.dump());
}

}  // namespace

bool is_account_password_request(const ApiRequest& req) {
  return req.method() == http::verb::post &&
         (req.target() == "/api/accounts" || req.target() == "/api/accounts/reset-password");
}

std::optional<Response> handle_account_request(const ApiRequest& req, ServerContext& ctx) {
  const std::string_view target = req.target();
  const bool post = req.method() == http::verb::post, get = req.method() == http::verb::get;
  const bool ours = (target == "/api/accounts" && (get || post)) ||
                    (post && (target == "/api/accounts/disable" || target == "/api/accounts/reset-password" ||
                              target == "/api/devices/revoke"));
  if (!ours) return std::nullopt;
  auto who = caller(req, ctx);
  if (!who) return unauthorized(req);
  if (who->role != Role::coordinator)
    return json_error(req, http::status::forbidden, "forbidden",
                      "only coordinators manage accounts and devices");
  if (target == "/api/accounts") return get ? list(req, ctx) : create(req, *who, ctx);
  if (target == "/api/accounts/disable") return disable(req, *who, ctx);
  if (target == "/api/accounts/reset-password") return reset_password(req, *who, ctx);
  return revoke_device(req, *who, ctx);
}

}  // namespace psc::server
