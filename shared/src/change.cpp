#include "psc/change.hpp"

#include "change_parts.hpp"

#include <set>

#include "psc/record_id.hpp"

namespace psc {
namespace {

using nlohmann::json;

bool is_valid_name(std::string_view name) {
  if (name.empty() || name.size() > 40) return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

Status invalid(const std::string& message) { return Status::error("invalid_change", message); }

}  // namespace

std::string Change::change_id(const Hlc& hlc, std::string_view device) {
  std::string id = hlc.to_text();
  id += '@';
  id += device;
  return id;
}

json change_to_json(const Change& change) {
  return json{{"id", change.id()},       {"type", change.record_type}, {"record", change.record_id},
              {"field", change.field},   {"value", change.value},      {"hlc", change.hlc.to_text()},
              {"device", change.device}, {"actor", change.actor},      {"base", change.base}};
}

namespace {

// Appends `text` as a JSON string exactly as nlohmann's dump() writes it
// (ensure_ascii off): printable ASCII without '"' or '\\' is copied as is;
// anything else (escapes, control characters, UTF-8 to validate) is left to
// nlohmann itself, so the bytes never differ.
void append_string(std::string& out, std::string_view text) {
  for (unsigned char c : text) {
    if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80) {
      out += json(std::string(text)).dump();
      return;
    }
  }
  out += '"';
  out += text;
  out += '"';
}

void append_value(std::string& out, const json& value) {
  switch (value.type()) {
    case json::value_t::string:
      append_string(out, value.get_ref<const std::string&>());
      return;
    case json::value_t::boolean:
      out += value.get<bool>() ? "true" : "false";
      return;
    case json::value_t::null:
      out += "null";
      return;
    case json::value_t::number_integer:
      out += std::to_string(value.get<int64_t>());
      return;
    case json::value_t::number_unsigned:
      out += std::to_string(value.get<uint64_t>());
      return;
    default:
      out += value.dump();
      return;  // floats: nlohmann's own shortest form
  }
}

}  // namespace

// The same bytes as change_to_json(change).dump() (keys in the sorted order
// of nlohmann's std::map objects), written directly: the server encodes every
// change it stores, and building a json object first cost more than the rest
// of the encoding. tests/core/change_test.cpp checks the two agree.
std::string encode_change(const Change& change) {
  std::string value;
  append_value(value, change.value);
  return encode_change(change, value);
}

std::string encode_value(const nlohmann::json& value) {
  std::string out;
  append_value(out, value);
  return out;
}

std::string encode_change(const Change& change, std::string_view value_json) {
  std::string out;
  std::size_t size = 128 + change.actor.size() + change.device.size() * 2 + change.field.size() +
                     change.record_id.size() + change.record_type.size() + value_json.size();
  for (const auto& id : change.base) size += id.size() + 3;
  out.reserve(size);
  const std::string hlc = change.hlc.to_text();
  out += R"({"actor":)";
  append_string(out, change.actor);
  out += R"(,"base":[)";
  for (std::size_t i = 0; i < change.base.size(); ++i) {
    if (i) out += ',';
    append_string(out, change.base[i]);
  }
  out += R"(],"device":)";
  append_string(out, change.device);
  out += R"(,"field":)";
  append_string(out, change.field);
  out += R"(,"hlc":)";
  append_string(out, hlc);
  out += R"(,"id":)";
  append_string(out, hlc + '@' + change.device);
  out += R"(,"record":)";
  append_string(out, change.record_id);
  out += R"(,"type":)";
  append_string(out, change.record_type);
  out += R"(,"value":)";
  out += value_json;
  out += '}';
  return out;
}

std::optional<ChangeIdParts> parse_change_id(std::string_view id) {
  if (id.size() < 17 || id[16] != '@') return std::nullopt;
  const auto hlc = Hlc::from_text(id.substr(0, 16));
  if (!hlc) return std::nullopt;
  return ChangeIdParts{*hlc, id.substr(17)};
}

Result<Change> change_from_json(const json& object) {
  static const std::set<std::string> kKeys = {"id",  "type",   "record", "field", "value",
                                              "hlc", "device", "actor",  "base"};
  if (!object.is_object()) return invalid("a change must be a JSON object");
  for (const auto& [key, _] : object.items())
    if (!kKeys.count(key)) return invalid("unknown key \"" + key + "\" in change");
  for (const auto& key : kKeys)
    if (!object.contains(key)) return invalid("change is missing \"" + key + "\"");
  for (const char* key : {"id", "type", "record", "field", "hlc", "device", "actor"})
    if (!object[key].is_string()) return invalid(std::string("\"") + key + "\" must be a string");

  Change change;
  change.record_type = object["type"].get<std::string>();
  change.record_id = object["record"].get<std::string>();
  change.field = object["field"].get<std::string>();
  change.device = object["device"].get<std::string>();
  change.actor = object["actor"].get<std::string>();
  if (!is_valid_name(change.record_type)) return invalid("bad record type \"" + change.record_type + "\"");
  if (!is_valid_record_id(change.record_id)) return invalid("bad record id");
  if (!(change.field == kDeletedField || is_valid_name(change.field)))
    return invalid("bad field name \"" + change.field + "\"");
  if (!is_valid_device_id(change.device)) return invalid("bad device id");
  if (change.actor.size() > 200) return invalid("actor longer than 200 bytes");

  const auto hlc = Hlc::from_text(object["hlc"].get<std::string>());
  if (!hlc) return invalid("hlc must be 16 lowercase hex digits");
  change.hlc = *hlc;

  const json& value = object["value"];
  if (value.is_object() || value.is_array() || value.is_binary())
    return invalid("value must be a string, number, boolean or null");
  change.value = value;

  const json& base = object["base"];
  if (!base.is_array()) return invalid("\"base\" must be an array");
  if (base.size() > 64) return invalid("\"base\" names more than 64 changes");
  for (const auto& entry : base) {
    if (!entry.is_string()) return invalid("\"base\" entries must be change ids");
    const auto text = entry.get<std::string>();
    const auto parts = parse_change_id(text);
    if (!parts || !is_valid_device_id(parts->device))
      return invalid("bad change id \"" + text + "\" in base");
    change.base.push_back(text);
  }
  if (object["id"].get<std::string>() != change.id()) return invalid("\"id\" does not match hlc@device");
  return change;
}

// Keep in step with change_from_json above: it must accept exactly what that
// accepts (given the JSON types are right) and build the same change.
// tests/core/protocol_test.cpp compares the two decoders.
std::optional<Change> change_from_parts(ChangeParts&& p) {
  if (!is_valid_name(p.type) || !is_valid_record_id(p.record) ||
      !(p.field == kDeletedField || is_valid_name(p.field)) || !is_valid_device_id(p.device) ||
      p.actor.size() > 200)
    return std::nullopt;
  const auto hlc = Hlc::from_text(p.hlc);
  if (!hlc) return std::nullopt;
  if (p.value.is_object() || p.value.is_array() || p.value.is_binary()) return std::nullopt;
  if (p.base.size() > 64) return std::nullopt;
  for (const auto& text : p.base) {
    const auto parts = parse_change_id(text);
    if (!parts || !is_valid_device_id(parts->device)) return std::nullopt;
  }
  Change change;
  change.record_type = std::move(p.type);
  change.record_id = std::move(p.record);
  change.field = std::move(p.field);
  change.value = std::move(p.value);
  change.hlc = *hlc;
  change.device = std::move(p.device);
  change.actor = std::move(p.actor);
  change.base = std::move(p.base);
  if (p.id != change.id()) return std::nullopt;
  return change;
}

}  // namespace psc
