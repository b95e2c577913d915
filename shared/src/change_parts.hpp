// Internal to the core: a change decoded from its parts, for the streaming
// decoder (wire_scan.cpp), which builds no json object per change. Not part
// of the public API (shared/include): the rules live in change.cpp beside
// change_from_json, the one public way to decode a change.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "psc/change.hpp"

namespace psc {

// A change's parts as a streaming decoder reads them, already of the right
// JSON types (strings, a scalar value, base entries as strings).
struct ChangeParts {
  std::string id, type, record, field, hlc, device, actor;
  nlohmann::json value;
  std::vector<std::string> base;
};
// The change change_from_json would decode from an object holding exactly
// these parts, or nullopt wherever it would refuse it (the caller then
// decodes the JSON with change_from_json for the error). For decoders that
// do not build a json object per change (wire_scan.cpp).
std::optional<Change> change_from_parts(ChangeParts&& parts);

}  // namespace psc
