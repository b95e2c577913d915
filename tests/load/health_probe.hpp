// GET /health from the server (sequence, records, connections), to check the
// server's own count against the tool's. Blocking; call from the main thread.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>

namespace psc::load {

// The parsed body, or nullopt when the server does not answer with JSON.
std::optional<nlohmann::json> fetch_health(uint16_t port);

}  // namespace psc::load
