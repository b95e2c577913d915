#include "handoff.hpp"
#include "clock.hpp"
#include "request_auth.hpp"

#include <algorithm>
#include <chrono>

#include <nlohmann/json.hpp>

#include "http_responses.hpp"
#include "log.hpp"
#include "metrics.hpp"
#include "psc/protocol.hpp"
#include "revocation_watch.hpp"
#include "secrets.hpp"

namespace psc::server {

namespace {

using nlohmann::json;
using Request = http::request<http::string_body>;

std::shared_ptr<Response> share(Response m) { return std::make_shared<Response>(std::move(m)); }

}  // namespace

bool is_handoff_request(const Request& req) { return req.target() == "/api/handoff"; }

void handle_handoff_request(const Request& req, ServerContext& ctx, Reply reply) {
  auto refuse = [&](http::status status, const std::string& code, const std::string& message) {
    reply(share(json_error(req, status, code, message)));
  };
  if (req.method() != http::verb::post)
    return refuse(http::status::method_not_allowed, "method_not_allowed", "use POST");
  if (!authenticate_request(req, ctx))
    return refuse(http::status::unauthorized, "unauthorized", "sign in to upload a hand-off file");

  const json file = json::parse(req.body(), nullptr, false);
  if (file.is_discarded() || !file.is_object() || file.value("format", "") != "psc-handoff" ||
      file.value("version", 0) != 1 || !file.contains("device") || !file["device"].is_string() ||
      !file.contains("payload") || !file["payload"].is_string() || !file.contains("mac") ||
      !file["mac"].is_string())
    return refuse(http::status::bad_request, "malformed_handoff", "not a PSC Sync hand-off file (version 1)");
  const std::string device = file["device"];
  const std::string& payload_text = file["payload"].get_ref<const std::string&>();
  // The account the file says it was exported under picks the candidate
  // keys: that account's live tokens on that device. Nothing is trusted
  // before a signature matches, and another account's tokens on the same
  // device id are never tried (so signing in with a tablet's device id
  // cannot make its genuine files fail).
  const json payload = json::parse(payload_text, nullptr, false);
  const std::string account =
      payload.is_object() && payload.contains("account") && payload["account"].is_string()
          ? payload["account"]
          : "";
  const auto keys = ctx.accounts->device_keys(device, account, ctx.clock());
  if (keys.empty())
    return refuse(
        http::status::forbidden, "unknown_device",
        "device " + device + " has no active token of the file's account here; its file cannot be verified");
  const AccountStore::DeviceKey* key = nullptr;
  for (const auto& candidate : keys)
    if (verify_hmac_sha256(candidate.token_digest, payload_text, file["mac"].get<std::string>())) {
      key = &candidate;
      break;
    }
  if (!key) {
    log_info("refused a tampered or forged hand-off file for device " + device);
    return refuse(http::status::bad_request, "tampered",
                  "the file's signature does not match: it was changed after export");
  }
  if (!payload.is_object() || !payload.contains("changes") || !payload["changes"].is_array())
    return refuse(http::status::bad_request, "malformed_handoff", "the payload holds no changes");

  Push push;
  push.batch = "handoff-" + device;
  decode_change_entries(payload["changes"], push.changes, push.malformed);
  log_info("hand-off of " + std::to_string(push.changes.size()) + " changes from device " + device);
  metrics().handoff_files.add();
  // Taken only if the tablet's token still holds when the push is committed.
  auto still_authorized = [&ctx, digest = key->token_digest, device] {
    try {
      return ctx.revocations == nullptr || ctx.revocations->token_live(digest, device);
    } catch (const std::exception& e) {
      log_error(std::string("checking a hand-off's token failed: ") + e.what());
      return false;
    }
  };
  // The answer needs the request's version and keep-alive, not its body.
  Request head;
  head.version(req.version());
  head.keep_alive(req.keep_alive());
  auto on_ack = [req = std::move(head), reply, &ctx, digest = key->token_digest](Ack ack) {
    // Custody: what the file brought that the server did not have has left
    // the tablet, even though the tablet itself has not reconnected.
    const int64_t fresh = static_cast<int64_t>(ack.accepted.size()) - ack.already_stored;
    if (fresh > 0) ctx.accounts->record_delivered(digest, fresh, ctx.clock());
    if (ack.accepted.empty() && !ack.rejected.empty() &&
        std::all_of(ack.rejected.begin(), ack.rejected.end(),
                    [](const Rejection& r) { return r.code == "revoked"; }))
      return reply(share(json_error(req, http::status::forbidden, "unknown_device",
                                    "the tablet's token was revoked before its file was taken")));
    reply(share(json_response(req, http::status::ok,
                              json{{"accepted", ack.accepted},
                                   {"already_stored", ack.already_stored},
                                   {"rejected", rejections_to_json(ack.rejected)}}
                                  .dump())));
  };
  ctx.pipeline->submit(std::move(push), key->principal, std::move(on_ack), std::move(still_authorized));
}

}  // namespace psc::server
