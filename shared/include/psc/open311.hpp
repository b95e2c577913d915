// A read-only Open311 GeoReport v2 view of the priorities and the city
// departments' commitments to them (http://wiki.open311.org/GeoReport_v2).
//
//   services: one service per priority category (service_code = category)
//   requests: each priority as a service request; status open/closed
//             (resolved or dropped priorities are closed); the departments
//             with commitments are agency_responsible; their latest status
//             notes, summaries and earliest expected date fill status_notes,
//             service_notice and expected_datetime.
// Datetimes are W3C (ISO 8601) in UTC, e.g. 2026-11-29T18:30:00Z.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "psc/civil_date.hpp"  // parse_w3c_datetime, format_w3c_datetime
#include "psc/replica.hpp"
#include "psc/status.hpp"

namespace psc {

struct Open311Query {
  std::optional<std::string> start_date;  // W3C datetime, inclusive (requested_datetime)
  std::optional<std::string> end_date;    // W3C datetime, inclusive
  std::optional<std::string> status;      // "open", "closed" or "open,closed"
  std::optional<std::string> service_code;
  std::optional<std::string> service_request_id;  // comma-separated ids
};

nlohmann::json open311_services();

// Requests matching `query`. As the spec says, without start_date/end_date only
// the 90 days up to `now_ms` are returned, and at most 1000 requests (newest
// first). An unparseable date or status is an error ("bad_query").
Result<nlohmann::json> open311_requests(const Replica& replica, const Open311Query& query, int64_t now_ms);

// Open311's XML form of a services or requests document (same content).
std::string open311_to_xml(const nlohmann::json& document, const std::string& list_element,
                           const std::string& item_element);

}  // namespace psc
