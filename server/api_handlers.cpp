#include "api_handlers.hpp"
#include "account_handlers.hpp"
#include "api_support.hpp"
#include "clock.hpp"
#include "device_name_handlers.hpp"
#include "reference_data.hpp"
#include "request_auth.hpp"
#include "request_target.hpp"

#include <chrono>
#include <map>

#include <nlohmann/json.hpp>

#include "http_responses.hpp"
#include "log.hpp"
#include "metrics.hpp"
#include "psc/record_id.hpp"
#include "psc/schema.hpp"
#include "revocation_watch.hpp"

namespace psc::server {

namespace {

using nlohmann::json;
using Request = http::request<http::string_body>;

constexpr int64_t kKioskCodeValidMs = 30 * 60 * 1000;

Response too_many(const Request& req, int64_t retry_ms) {
  http::response<http::string_body> res{http::status::too_many_requests, req.version()};
  add_security_headers(res);
  res.keep_alive(req.keep_alive());
  res.set(http::field::content_type, "application/json");
  res.set(http::field::retry_after, std::to_string((retry_ms + 999) / 1000));
  res.body() = json{
      {"error", "too_many_attempts"},
      {"message", "too many failed attempts; try again in " + std::to_string((retry_ms + 999) / 1000) + " s"},
      {"retry_after_ms",
       retry_ms}}.dump();
  res.prepare_payload();
  return res;
}

json principal_json(const Principal& p) {
  return {{"account", p.account},
          {"role", std::string(role_name(p.role))},
          {"neighborhood", p.neighborhood},
          {"department", p.department}};
}

Response device_taken(const Request& req, const Status& status) {
  return json_error(req, http::status::conflict, status.code(), status.message());
}

// The account whose password this is, or the refusal: throttled per
// (account, address) and per address, never per account alone, so wrong
// passwords from one address do not lock the account out from another.
// Argon2id: call it on the password thread, never the network thread.
std::variant<Account, Response> throttled_password_check(const Request& req, const std::string& remote,
                                                         const std::string& username,
                                                         const std::string& password, ServerContext& ctx) {
  const std::string key = "account:" + username + "@" + remote, address_key = "address:" + remote;
  const int64_t wait = std::max(ctx.login_throttle.retry_after_ms(key, ctx.clock()),
                                ctx.login_throttle.retry_after_ms(address_key, ctx.clock()));
  if (wait > 0) return too_many(req, wait);
  auto account = ctx.accounts->check_password(username, password);
  if (!account) {
    ctx.login_throttle.record_failure(key, ctx.clock());
    ctx.login_throttle.record_failure(address_key, ctx.clock(), LoginThrottle::kFreeFailuresPerAddress);
    metrics().sign_in_failures.add();
    log_info("wrong password for account " + username + " from " + remote);
    return json_error(req, http::status::unauthorized, "bad_credentials", "wrong username or password");
  }
  ctx.login_throttle.record_success(key);
  return *account;
}

// A device token for `account` on `device`: the answer of a sign-in. The
// device's name is kept only once the token is issued: a sign-in refused
// because another account holds the device renames nothing.
Response signed_in(const Request& req, const Account& account, const std::string& device,
                   const std::string& device_name, ServerContext& ctx) {
  auto issued = ctx.accounts->issue_token(account, device, ctx.clock());
  if (!issued) return device_taken(req, issued.status());
  if (!device_name.empty()) ctx.accounts->set_device_name(device, device_name, account.username, ctx.clock());
  log_info("signed in " + account.username + " on device " + device);
  Principal p{account.role, account.username, account.neighborhood, account.department, device};
  json out = principal_json(p);
  out["token"] = issued.value();
  out["device"] = device;
  return json_response(req, http::status::ok, out.dump());
}

// Runs on the worker pool (Argon2id takes tens of ms by design). Throttled
// per (account, address) and per address, never per account alone: wrong
// passwords from one address do not lock the account out from another.
Response login(const Request& req, const std::string& remote, ServerContext& ctx) {
  auto parsed = object_body(req, {"username", "password", "device"});
  if (auto* error = std::get_if<Response>(&parsed)) return std::move(*error);
  const json& body = std::get<json>(parsed);
  const std::string username = body["username"], password = body["password"], device = body["device"];
  if (!is_valid_device_id(device))
    return json_error(req, http::status::bad_request, "invalid_device",
                      "device must match [A-Za-z0-9_.:-]{1,64}");
  const auto device_name = sign_in_device_name(body);
  if (!device_name)
    return json_error(req, http::status::bad_request, device_name.status().code(),
                      device_name.status().message());
  auto checked = throttled_password_check(req, remote, username, password, ctx);
  if (auto* refused = std::get_if<Response>(&checked)) return std::move(*refused);
  const Account& account = std::get<Account>(checked);
  if (account.must_change_password)
    return json_error(req, http::status::forbidden, "password_change_required",
                      "this password was printed for the account and signs in only once: choose a new one "
                      "(POST /api/password with username, password, new_password and device)");
  return signed_in(req, account, device, device_name.value(), ctx);
}

// POST /api/password: a new password for an account, checked like a sign-in
// (same throttle), at least 10 characters and not the old one.
//  - {username, password, new_password, device}: the first sign-in of an
//    account whose password was printed; answers like /api/login.
//  - with the device's token, {password, new_password}: a signed-in account
//    changes its own; its devices stay signed in.
Response change_password(const Request& req, const std::string& remote, ServerContext& ctx) {
  const bool signed_in_device = !bearer_token(req).empty();
  auto parsed = signed_in_device ? object_body(req, {"password", "new_password"})
                                 : object_body(req, {"username", "password", "new_password", "device"});
  if (auto* error = std::get_if<Response>(&parsed)) return std::move(*error);
  const json& body = std::get<json>(parsed);
  std::string username, device;
  if (signed_in_device) {
    auto who = caller(req, ctx);
    if (!who) return unauthorized(req);
    if (who->role == Role::kiosk)
      return json_error(req, http::status::forbidden, "forbidden", "a kiosk has no password");
    username = who->account;
  } else {
    username = body["username"];
    device = body["device"];
    if (!is_valid_device_id(device))
      return json_error(req, http::status::bad_request, "invalid_device",
                        "device must match [A-Za-z0-9_.:-]{1,64}");
  }
  const auto device_name = signed_in_device ? Result<std::string>(std::string()) : sign_in_device_name(body);
  if (!device_name)
    return json_error(req, http::status::bad_request, device_name.status().code(),
                      device_name.status().message());
  const std::string password = body["password"], next = body["new_password"];
  auto checked = throttled_password_check(req, remote, username, password, ctx);
  if (auto* refused = std::get_if<Response>(&checked)) return std::move(*refused);
  Account account = std::get<Account>(checked);
  if (next == password)
    return json_error(req, http::status::bad_request, "same_password",
                      "choose a password different from the old one");
  if (Status set = ctx.accounts->set_password(username, next); !set)
    return json_error(req, http::status::bad_request, set.code(), set.message());
  log_info("account " + username + " chose a new password");
  account.must_change_password = false;
  if (signed_in_device) return json_response(req, http::status::ok, R"({"changed":true})");
  return signed_in(req, account, device, device_name.value(), ctx);
}

Response kiosk_code(const Request& req, ServerContext& ctx) {
  auto who = caller(req, ctx);
  if (!who) return unauthorized(req);
  if (who->role != Role::organizer && who->role != Role::coordinator)
    return json_error(req, http::status::forbidden, "forbidden",
                      "only organizers and coordinators issue kiosk codes");
  json body = json::parse(req.body().empty() ? "{}" : req.body(), nullptr, false);
  if (!body.is_object())
    return json_error(req, http::status::bad_request, "malformed_json", "the body must be a JSON object");
  std::string neighborhood = who->neighborhood;
  if (who->role == Role::coordinator) {
    if (!body.contains("neighborhood") || !body["neighborhood"].is_string())
      return json_error(req, http::status::bad_request, "missing_field",
                        "a coordinator names the kiosk's neighborhood");
    neighborhood = body["neighborhood"];
    if (!is_known_neighborhood(neighborhood))
      return json_error(req, http::status::bad_request, "invalid_field",
                        "no neighborhood \"" + neighborhood + "\"");
  }
  auto issuer = ctx.accounts->find_account(who->account);
  if (!issuer) return unauthorized(req);
  const int64_t now = ctx.clock();
  const std::string code = ctx.accounts->issue_kiosk_code(*issuer, neighborhood, now, kKioskCodeValidMs);
  log_info(who->account + " issued a kiosk code for " + neighborhood);
  return json_response(
      req, http::status::ok,
      json{{"code", code}, {"neighborhood", neighborhood}, {"expires_at", now + kKioskCodeValidMs}}.dump());
}

Response kiosk_login(const Request& req, const std::string& remote, ServerContext& ctx) {
  auto parsed = object_body(req, {"code", "device"});
  if (auto* error = std::get_if<Response>(&parsed)) return std::move(*error);
  const json& body = std::get<json>(parsed);
  const std::string device = body["device"];
  if (!is_valid_device_id(device))
    return json_error(req, http::status::bad_request, "invalid_device",
                      "device must match [A-Za-z0-9_.:-]{1,64}");
  const std::string key = "kiosk:" + remote;
  if (const int64_t wait = ctx.login_throttle.retry_after_ms(key, ctx.clock()); wait > 0)
    return too_many(req, wait);
  auto token = ctx.accounts->redeem_kiosk_code(body["code"], device, ctx.clock());
  if (!token && token.status().code() == "device_taken") return device_taken(req, token.status());
  if (!token) {
    ctx.login_throttle.record_failure(key, ctx.clock());
    metrics().sign_in_failures.add();
    return json_error(req, http::status::unauthorized, token.status().code(), token.status().message());
  }
  ctx.login_throttle.record_success(key);
  auto who = ctx.accounts->authenticate(token.value(), device, ctx.clock());
  json out = principal_json(*who);
  out["token"] = token.value();
  out["device"] = device;
  return json_response(req, http::status::ok, out.dump());
}

Response devices(const Request& req, ServerContext& ctx) {
  auto who = caller(req, ctx);
  if (!who) return unauthorized(req);
  if (who->role != Role::coordinator)
    return json_error(req, http::status::forbidden, "forbidden", "only coordinators see the device list");
  json out = json::array();
  for (const auto& t : ctx.accounts->list_tokens())
    out.push_back({{"id", t.id},
                   {"account", t.username},
                   {"device", t.device},
                   {"kind", t.kind},
                   {"neighborhood", t.neighborhood},
                   {"created_at", t.created_at},
                   {"revoked_at", t.revoked_at ? json(*t.revoked_at) : json(nullptr)},
                   {"last_seen_at", t.last_seen_at ? json(*t.last_seen_at) : json(nullptr)},
                   {"expires_at", t.expires_at ? json(*t.expires_at) : json(nullptr)},
                   {"role", t.role},
                   {"name", t.device_name},
                   {"last_cursor", t.last_cursor},
                   {"reported_unsynced", t.reported_unsynced},
                   {"unsynced_since", t.unsynced_since ? json(*t.unsynced_since) : json(nullptr)}});
  return json_response(req, http::status::ok, out.dump());
}

// GET /api/history?type=T&id=ID: who changed what of one record, when, from
// which device. Coordinators only (the audit trail spans every scope).
Response history(const Request& req, ServerContext& ctx) {
  auto who = caller(req, ctx);
  if (!who) return unauthorized(req);
  if (who->role != Role::coordinator)
    return json_error(req, http::status::forbidden, "forbidden", "only coordinators see record history");
  auto target = parse_request_target(req.target());
  if (!target)
    return json_error(req, http::status::bad_request, "bad_query", "the request's URL is malformed");
  auto& params = target->params;
  const std::string type = params["type"], id = params["id"];
  if (!find_schema(type) || !is_valid_record_id(id))
    return json_error(req, http::status::bad_request, "bad_query",
                      "use /api/history?type=<record type>&id=<record id>");
  json out = json::array();
  for (const auto& entry : ctx.store->record_history(type, id)) {
    json change = json::parse(entry.body);
    out.push_back({{"seq", entry.seq},
                   {"received_at", entry.received_at_ms},
                   {"field", change["field"]},
                   {"value", change["value"]},
                   {"actor", change["actor"]},
                   {"device", change["device"]},
                   {"hlc", change["hlc"]},
                   {"change", change["id"]},
                   {"base", change["base"]}});
  }
  return json_response(req, http::status::ok, json{{"type", type}, {"id", id}, {"history", out}}.dump());
}

// GET /api/kiosks: the caller's kiosks (organizer: its neighborhood's;
// coordinator: all). POST /api/kiosks/revoke {"id": n}: ends one at once.
Response kiosks(const Request& req, ServerContext& ctx, bool revoke) {
  auto who = caller(req, ctx);
  if (!who) return unauthorized(req);
  if (who->role != Role::organizer && who->role != Role::coordinator)
    return json_error(req, http::status::forbidden, "forbidden",
                      "only organizers and coordinators manage kiosks");
  const std::string scope = who->role == Role::coordinator ? "" : who->neighborhood;
  if (revoke) {
    json body = json::parse(req.body(), nullptr, false);
    if (!body.is_object() || !body.contains("id") || !body["id"].is_number_integer())
      return json_error(req, http::status::bad_request, "missing_field", "\"id\" must be a kiosk id");
    const Status s = ctx.accounts->revoke_kiosk(body["id"].get<int64_t>(), scope, ctx.clock());
    if (!s) return json_error(req, http::status::not_found, s.code(), s.message());
    end_revoked_sessions(ctx);
    log_info(who->account + " revoked kiosk " + std::to_string(body["id"].get<int64_t>()));
    return json_response(req, http::status::ok, R"({"revoked":true})");
  }
  json out = json::array();
  for (const auto& t : ctx.accounts->list_kiosks(scope))
    out.push_back({{"id", t.id},
                   {"account", t.username},
                   {"device", t.device},
                   {"neighborhood", t.neighborhood},
                   {"created_at", t.created_at},
                   {"expires_at", t.expires_at ? json(*t.expires_at) : json(nullptr)},
                   {"revoked_at", t.revoked_at ? json(*t.revoked_at) : json(nullptr)},
                   {"last_seen_at", t.last_seen_at ? json(*t.last_seen_at) : json(nullptr)}});
  return json_response(req, http::status::ok, out.dump());
}

}  // namespace

bool is_api_request(const Request& req) { return req.target().starts_with("/api/"); }

Response handle_api_request(const Request& req, const std::string& remote, ServerContext& ctx) {
  const std::string_view target = req.target();
  const bool post = req.method() == http::verb::post, get = req.method() == http::verb::get;
  if (target == "/api/login" && post) return login(req, remote, ctx);
  if (target == "/api/kiosk-login" && post) return kiosk_login(req, remote, ctx);
  if (target == "/api/password" && post) return change_password(req, remote, ctx);
  if (target == "/api/kiosk-codes" && post) return kiosk_code(req, ctx);
  if (target == "/api/devices" && get) return devices(req, ctx);
  if (auto answer = handle_account_request(req, ctx)) return std::move(*answer);
  if (auto answer = handle_device_name_request(req, ctx)) return std::move(*answer);
  if (target == "/api/kiosks" && get) return kiosks(req, ctx, false);
  if (target == "/api/kiosks/revoke" && post) return kiosks(req, ctx, true);
  if (target.starts_with("/api/history") && get) return history(req, ctx);
  if (target == "/api/me" && get) {
    auto who = caller(req, ctx);
    if (!who) return unauthorized(req);
    json out = principal_json(*who);
    out["device"] = std::string(req["X-PSC-Device"]);
    return json_response(req, http::status::ok, out.dump());
  }
  if (target == "/api/logout" && post) {
    if (!caller(req, ctx)) return unauthorized(req);
    ctx.accounts->revoke_secret(bearer_token(req), ctx.clock());
    end_revoked_sessions(ctx);
    return json_response(req, http::status::ok, R"({"signed_out":true})");
  }
  return json_error(req, http::status::not_found, "not_found", "no such API endpoint (or wrong method)");
}

}  // namespace psc::server
