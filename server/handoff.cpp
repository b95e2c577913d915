#include "handoff.hpp"
#include "clock.hpp"
#include "request_auth.hpp"

#include <chrono>

#include <nlohmann/json.hpp>

#include "http_responses.hpp"
#include "log.hpp"
#include "psc/protocol.hpp"
#include "secrets.hpp"

namespace psc::server {

namespace {

using nlohmann::json;
using Request = http::request<http::string_body>;


std::shared_ptr<http::message_generator> share(http::message_generator m) {
  return std::make_shared<http::message_generator>(std::move(m));
}

}  // namespace

bool is_handoff_request(const Request& req) { return req.target() == "/api/handoff"; }

void handle_handoff_request(const Request& req, ServerContext& ctx, Reply reply) {
  auto refuse = [&](http::status status, const std::string& code, const std::string& message) {
    reply(share(json_error(req, status, code, message)));
  };
  if (req.method() != http::verb::post) return refuse(http::status::method_not_allowed, "method_not_allowed", "use POST");
  if (!authenticate_request(req, ctx))
    return refuse(http::status::unauthorized, "unauthorized", "sign in to upload a hand-off file");

  const json file = json::parse(req.body(), nullptr, false);
  if (file.is_discarded() || !file.is_object() || file.value("format", "") != "psc-handoff" || file.value("version", 0) != 1 ||
      !file.contains("device") || !file["device"].is_string() || !file.contains("payload") || !file["payload"].is_string() ||
      !file.contains("mac") || !file["mac"].is_string())
    return refuse(http::status::bad_request, "malformed_handoff", "not a PSC Sync hand-off file (version 1)");
  const std::string device = file["device"];
  const std::string& payload_text = file["payload"].get_ref<const std::string&>();
  auto key = ctx.accounts->device_key(device);
  if (!key)
    return refuse(http::status::forbidden, "unknown_device",
                  "device " + device + " has no active token here; its file cannot be verified");
  if (!verify_hmac_sha256(key->token_digest, payload_text, file["mac"].get<std::string>())) {
    log_info("refused a tampered or forged hand-off file for device " + device);
    return refuse(http::status::bad_request, "tampered", "the file's signature does not match: it was changed after export");
  }
  const json payload = json::parse(payload_text, nullptr, false);
  if (!payload.is_object() || !payload.contains("changes") || !payload["changes"].is_array())
    return refuse(http::status::bad_request, "malformed_handoff", "the payload holds no changes");

  Push push;
  push.batch = "handoff-" + device;
  std::size_t index = 0;
  for (const auto& entry : payload["changes"]) {
    auto change = change_from_json(entry);
    if (change) push.changes.push_back(std::move(change.value()));
    else push.malformed.push_back({"#" + std::to_string(index), change.status().code(), change.status().message()});
    ++index;
  }
  log_info("hand-off of " + std::to_string(push.changes.size()) + " changes from device " + device);
  ctx.pipeline->submit(std::move(push), key->principal, [req, reply, &ctx, digest = key->token_digest](Ack ack) {
    // Custody: what the file brought that the server did not have has left
    // the tablet, even though the tablet itself has not reconnected.
    const int64_t fresh = static_cast<int64_t>(ack.accepted.size()) - ack.already_stored;
    if (fresh > 0) ctx.accounts->record_delivered(digest, fresh, now_ms());
    json rejected = json::array();
    for (const auto& r : ack.rejected) rejected.push_back({{"change", r.change}, {"code", r.code}, {"message", r.message}});
    reply(share(json_response(
        req, http::status::ok,
        json{{"accepted", ack.accepted}, {"already_stored", ack.already_stored}, {"rejected", rejected}}.dump())));
  });
}

}  // namespace psc::server
