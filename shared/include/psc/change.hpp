// A field change: the only unit of write in PSC Sync.
//
// Every edit is a set of field changes; creating a record sets its fields and
// deleting it sets `_deleted` to true. A change is immutable and idempotent:
// applying it twice, or in any order relative to others, yields one state.
//
// Identity: a device ticks its clock once per change, so (hlc, device) is
// unique and the change id is derived from it: "<hlc>@<device>". `base` names
// the ids of the field values the author saw when editing (empty for a new
// record); the change supersedes exactly those. DESIGN.md sketched base as hlcs;
// ids are used instead because an hlc alone is not unique across devices.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "psc/hlc.hpp"
#include "psc/status.hpp"

namespace psc {

// The pseudo-field every record has: true once the record is deleted.
inline const std::string kDeletedField = "_deleted";

struct Change {
  std::string record_type;
  std::string record_id;
  std::string field;
  nlohmann::json value;  // string, number, boolean or null
  Hlc hlc;
  std::string device;
  std::string actor;              // who made it (account or display name)
  std::vector<std::string> base;  // ids of the values this change supersedes

  std::string id() const { return change_id(hlc, device); }
  static std::string change_id(const Hlc& hlc, std::string_view device);

  bool operator==(const Change&) const = default;
};

// True when the merge would display `a` rather than `b` were both leaves of
// one field: the higher (hlc, device) wins (field_register.hpp). Validation
// and authorization judge a field set twice in a batch by this value.
inline bool displays_over(const Change& a, const Change& b) {
  return a.hlc != b.hlc ? b.hlc < a.hlc : b.device < a.device;
}

// A change id's parts, or nullopt when `id` is not "<16 hex digits>@<rest>"
// (whether the rest is a valid device id is the caller's question).
struct ChangeIdParts {
  Hlc hlc;
  std::string_view device;  // a view into the id
};
std::optional<ChangeIdParts> parse_change_id(std::string_view id);

// The wire and storage form:
// {"id","type","record","field","value","hlc","device","actor","base"}.
// Encoding is canonical (sorted keys), so equal changes encode to equal bytes.
nlohmann::json change_to_json(const Change& change);
std::string encode_change(const Change& change);
// The canonical JSON text of a field value, as encode_change writes it.
std::string encode_value(const nlohmann::json& value);
// encode_change with the value given as its canonical text (encode_value)
// instead of change.value, which is not read: a store that keeps values as
// text re-encodes a stored change without parsing its value.
std::string encode_change(const Change& change, std::string_view value_json);

// Strict decoding: every key present with the right JSON type, no unknown
// keys, well-formed ids and hlc, and "id" equal to the derived change id.
// Field values are checked against the schema elsewhere (validation.hpp).
Result<Change> change_from_json(const nlohmann::json& json);

}  // namespace psc
