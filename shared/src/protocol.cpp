#include "psc/protocol.hpp"

#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <optional>
#include <set>

#include <nlohmann/json.hpp>

#include "psc/record_id.hpp"
#include "psc/wire_scan.hpp"

namespace psc {
namespace {

using nlohmann::json;

Status malformed(const std::string& message) { return Status::error("malformed_message", message); }

// Checks that `object` has exactly the keys listed (plus "type" for messages).
Status expect_keys(const json& object, std::initializer_list<const char*> keys, const std::string& type,
                   bool is_message = true) {
  std::set<std::string> allowed(keys.begin(), keys.end());
  if (is_message) allowed.insert("type");
  for (const auto& [key, _] : object.items())
    if (!allowed.count(key)) return malformed("unknown key \"" + key + "\" in " + type);
  for (const auto& key : allowed)
    if (!object.contains(key)) return malformed(type + " is missing \"" + key + "\"");
  return Status::ok();
}

Status expect_string(const json& object, const char* key, const std::string& type,
                     std::size_t max_len = 256) {
  if (!object[key].is_string()) return malformed(type + "." + key + " must be a string");
  if (object[key].get_ref<const std::string&>().size() > max_len)
    return malformed(type + "." + key + " is longer than " + std::to_string(max_len) + " bytes");
  return Status::ok();
}

Status expect_count(const json& object, const char* key, const std::string& type) {
  const json& v = object[key];
  if (!v.is_number_integer() || v.get<int64_t>() < 0)
    return malformed(type + "." + key + " must be a non-negative integer");
  return Status::ok();
}

// Parses text into a JSON object with a string "type"; never throws.
Result<json> parse_envelope(std::string_view text) {
  if (text.size() > kMaxMessageBytes)
    return Status::error("too_large", "message larger than " + std::to_string(kMaxMessageBytes) + " bytes");
  json object = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (object.is_discarded()) return Status::error("malformed_json", "message is not valid JSON");
  if (!object.is_object()) return malformed("message must be a JSON object");
  if (!object.contains("type") || !object["type"].is_string())
    return malformed("message has no string \"type\"");
  return object;
}

Result<std::vector<Rejection>> decode_rejections(const json& array) {
  if (!array.is_array()) return malformed("ack.rejected must be an array");
  std::vector<Rejection> out;
  for (const auto& entry : array) {
    if (!entry.is_object()) return malformed("ack.rejected entries must be objects");
    if (auto s = expect_keys(entry, {"change", "code", "message"}, "rejection", false); !s) return s;
    for (const char* key : {"change", "code", "message"})
      if (!entry[key].is_string()) return malformed(std::string("rejection.") + key + " must be a string");
    out.push_back({entry["change"], entry["code"], entry["message"]});
  }
  return out;
}

Result<ClientMessage> decode_client(const json& object) {
  const std::string type = object["type"];
  if (type == "hello") {
    const bool has_epoch = object.contains("epoch");
    if (auto s = has_epoch ? expect_keys(object,
                                         {"version", "device", "token", "cursor", "unsynced", "epoch"}, type)
                           : expect_keys(object, {"version", "device", "token", "cursor", "unsynced"}, type);
        !s)
      return s;
    if (!object["version"].is_number_integer()) return malformed("hello.version must be an integer");
    if (object["version"].get<int64_t>() != kProtocolVersion)
      return Status::error("unsupported_version", "protocol version " + object["version"].dump() +
                                                      " is not supported; this server speaks " +
                                                      std::to_string(kProtocolVersion));
    if (auto s = expect_string(object, "device", type); !s) return s;
    if (auto s = expect_string(object, "token", type, 1024); !s) return s;
    if (auto s = expect_count(object, "cursor", type); !s) return s;
    if (auto s = expect_count(object, "unsynced", type); !s) return s;
    Hello hello;
    hello.device = object["device"];
    if (!is_valid_device_id(hello.device)) return malformed("hello.device is not a valid device id");
    hello.token = object["token"];
    hello.cursor = object["cursor"];
    hello.unsynced = object["unsynced"];
    if (has_epoch) {
      if (auto s = expect_string(object, "epoch", type, 64); !s) return s;
      hello.epoch = object["epoch"];
    }
    return ClientMessage{hello};
  }
  if (type == "push") {
    if (auto s = expect_keys(object, {"batch", "changes"}, type); !s) return s;
    if (auto s = expect_string(object, "batch", type, 128); !s) return s;
    if (!object["changes"].is_array()) return malformed("push.changes must be an array");
    Push push;
    push.batch = object["batch"];
    decode_change_entries(object["changes"], push.changes, push.malformed);
    return ClientMessage{push};
  }
  return Status::error("unknown_type", "unknown message type \"" + type + "\"");
}

Result<ServerMessage> decode_server(const json& object) {
  const std::string type = object["type"];
  if (type == "welcome") {
    if (auto s = expect_keys(object,
                             {"version", "server_time", "device", "actor", "role", "neighborhood",
                              "department", "max_message_bytes", "max_batch", "epoch", "cursor"},
                             type);
        !s)
      return s;
    for (const char* key : {"version", "server_time", "max_message_bytes", "max_batch", "cursor"})
      if (auto s = expect_count(object, key, type); !s) return s;
    for (const char* key : {"device", "actor", "role", "neighborhood", "department", "epoch"})
      if (auto s = expect_string(object, key, type); !s) return s;
    Welcome w;
    w.version = object["version"];
    w.server_time = object["server_time"];
    w.device = object["device"];
    w.actor = object["actor"];
    w.role = object["role"];
    w.neighborhood = object["neighborhood"];
    w.department = object["department"];
    w.max_message_bytes = object["max_message_bytes"];
    w.max_batch = object["max_batch"];
    w.epoch = object["epoch"];
    w.cursor = object["cursor"];
    return ServerMessage{w};
  }
  if (type == "changes") {
    if (auto s = expect_keys(object, {"changes", "cursor", "more"}, type); !s) return s;
    if (auto s = expect_count(object, "cursor", type); !s) return s;
    if (!object["more"].is_boolean()) return malformed("changes.more must be true or false");
    if (!object["changes"].is_array()) return malformed("changes.changes must be an array");
    ChangesPage page;
    page.cursor = object["cursor"];
    page.more = object["more"];
    for (const auto& entry : object["changes"]) {
      auto change = change_from_json(entry);
      if (!change) return change.status();
      page.changes.push_back(std::move(change.value()));
    }
    return ServerMessage{page};
  }
  if (type == "ack") {
    if (auto s = expect_keys(object, {"batch", "accepted", "rejected"}, type); !s) return s;
    if (auto s = expect_string(object, "batch", type, 128); !s) return s;
    if (!object["accepted"].is_array()) return malformed("ack.accepted must be an array");
    Ack ack;
    ack.batch = object["batch"];
    for (const auto& id : object["accepted"]) {
      if (!id.is_string()) return malformed("ack.accepted entries must be change ids");
      ack.accepted.push_back(id);
    }
    auto rejected = decode_rejections(object["rejected"]);
    if (!rejected) return rejected.status();
    ack.rejected = std::move(rejected.value());
    return ServerMessage{ack};
  }
  if (type == "error") {
    if (auto s = expect_keys(object, {"code", "message"}, type); !s) return s;
    if (auto s = expect_string(object, "code", type); !s) return s;
    if (auto s = expect_string(object, "message", type, 4096); !s) return s;
    return ServerMessage{ErrorMessage{object["code"], object["message"]}};
  }
  return Status::error("unknown_type", "unknown message type \"" + type + "\"");
}

}  // namespace

Result<ClientMessage> decode_client_message(std::string_view text) {
  if (text.size() <= kMaxMessageBytes)
    if (auto push = scan_push(text)) return ClientMessage{std::move(*push)};
  auto object = parse_envelope(text);
  if (!object) return object.status();
  try {
    return decode_client(object.value());
  } catch (const std::exception& e) {  // defensive: a decoder bug must not escape
    return malformed(std::string("could not decode message: ") + e.what());
  }
}

Result<ServerMessage> decode_server_message(std::string_view text) {
  if (text.size() <= kMaxMessageBytes)
    if (auto page = scan_changes_page(text)) return ServerMessage{std::move(*page)};
  auto object = parse_envelope(text);
  if (!object) return object.status();
  try {
    return decode_server(object.value());
  } catch (const std::exception& e) {
    return malformed(std::string("could not decode message: ") + e.what());
  }
}

std::string encode(const Hello& m) {
  json out{{"type", "hello"},  {"version", m.version}, {"device", m.device},
           {"token", m.token}, {"cursor", m.cursor},   {"unsynced", m.unsynced}};
  if (!m.epoch.empty()) out["epoch"] = m.epoch;
  return out.dump();
}

// The same bytes as the json object's dump (keys sorted), with each change
// written by encode_change, inside push_frame (wire_scan.hpp).
std::string encode(const Push& m) {
  PushFrame frame = push_frame(m.batch);
  std::string out = std::move(frame.head);
  out += '[';
  for (std::size_t i = 0; i < m.changes.size(); ++i) {
    if (i) out += ',';
    out += encode_change(m.changes[i]);
  }
  out += ']';
  out += frame.tail;
  return out;
}

std::string encode(const Welcome& m) {
  return json{{"type", "welcome"},
              {"version", m.version},
              {"server_time", m.server_time},
              {"device", m.device},
              {"actor", m.actor},
              {"role", m.role},
              {"neighborhood", m.neighborhood},
              {"department", m.department},
              {"max_message_bytes", m.max_message_bytes},
              {"max_batch", m.max_batch},
              {"epoch", m.epoch},
              {"cursor", m.cursor}}
      .dump();
}

std::string encode(const ChangesPage& m) {
  std::string out = R"({"changes":[)";
  for (std::size_t i = 0; i < m.changes.size(); ++i) {
    if (i) out += ',';
    out += encode_change(m.changes[i]);
  }
  out += R"(],"cursor":)";
  out += std::to_string(m.cursor);
  out += m.more ? R"(,"more":true,"type":"changes"})" : R"(,"more":false,"type":"changes"})";
  return out;
}

std::string encode(const Ack& m) {
  return json{{"type", "ack"},
              {"batch", m.batch},
              {"accepted", m.accepted},
              {"rejected", rejections_to_json(m.rejected)}}
      .dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string encode(const ErrorMessage& m) {
  // replace: a message may quote client input that is not valid UTF-8.
  return json{{"type", "error"}, {"code", m.code}, {"message", m.message}}.dump(
      -1, ' ', false, json::error_handler_t::replace);
}

std::size_t changes_page_suffix(int64_t cursor, bool more, char* out) {
  const int n = std::snprintf(out, kMaxChangesPageSuffixBytes, R"(],"cursor":%lld,"more":%s})",
                              static_cast<long long>(cursor), more ? "true" : "false");
  return static_cast<std::size_t>(n);
}

std::string encode_changes_page(std::string_view joined_bodies, int64_t cursor, bool more) {
  char suffix[kMaxChangesPageSuffixBytes];
  const std::size_t suffix_size = changes_page_suffix(cursor, more, suffix);
  std::string out;
  out.reserve(kChangesPagePrefix.size() + joined_bodies.size() + suffix_size);
  out += kChangesPagePrefix;
  out += joined_bodies;
  out.append(suffix, suffix_size);
  return out;
}

nlohmann::json rejections_to_json(const std::vector<Rejection>& rejected) {
  json out = json::array();
  for (const auto& r : rejected)
    out.push_back({{"change", r.change}, {"code", r.code}, {"message", r.message}});
  return out;
}

void decode_change_entries(const nlohmann::json& entries, std::vector<Change>& changes,
                           std::vector<Rejection>& malformed) {
  std::size_t index = 0;
  for (const auto& entry : entries) {
    auto change = change_from_json(entry);
    if (change) {
      changes.push_back(std::move(change.value()));
    } else {
      std::string id = "#" + std::to_string(index);
      if (entry.is_object() && entry.contains("id") && entry["id"].is_string() &&
          entry["id"].get_ref<const std::string&>().size() <= 100)
        id = entry["id"];
      malformed.push_back({id, change.status().code(), change.status().message()});
    }
    ++index;
  }
}

}  // namespace psc
