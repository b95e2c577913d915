// A read-only Open311 GeoReport v2 view of the priorities and the city
// departments' commitments to them (http://wiki.open311.org/GeoReport_v2).
//
//   services: one service per priority category (service_code = category)
//   requests: each public priority as a service request; status open/closed
//             (resolved or dropped priorities are closed); the departments
//             with commitments, by name, are agency_responsible; their latest
//             status notes, summaries and earliest expected date fill
//             status_notes, service_notice and expected_datetime; lat and
//             long from the priority's coordinates (psc/coordinates.hpp), else null.
// Public: a priority the PSC adopted (adopted, in_progress, resolved, or
// dropped after it had been adopted); a proposal (a kiosk's, unvetted) or one
// dropped without ever being adopted is not in the feed.
// Datetimes are W3C (ISO 8601): record times in UTC (2026-11-29T18:30:00Z),
// a date-only expected date as midnight in Hartford (2026-12-15T00:00:00-05:00).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
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

// Department slug -> the agency's name (the reference data's departments);
// a slug without a name is shown as it is.
using Open311AgencyNames = std::map<std::string, std::string, std::less<>>;

// The active categories of the coordinators' list (reference_lists.hpp).
nlohmann::json open311_services(const Replica& replica);

// Whether a priority is in the public feed (see above).
bool open311_is_public(const Record& priority);

// Requests matching `query`. As the spec says, without start_date/end_date only
// the 90 days up to `now_ms` are returned, and at most 1000 requests (newest
// first). An unparseable date or status is an error ("bad_query").
Result<nlohmann::json> open311_requests(const Replica& replica, const Open311Query& query, int64_t now_ms,
                                        const Open311AgencyNames& agencies = {});
// The one request `id` (GET /requests/<id>): an array of one, or "not_found"
// when there is no such public priority.
Result<nlohmann::json> open311_request(const Replica& replica, const std::string& id,
                                       const Open311AgencyNames& agencies = {});

// The spec's error document for an HTTP status: [{"code": 404, "description": "..."}]
// and <errors><error><code>404</code><description>...</description></error></errors>.
nlohmann::json open311_errors(int code, const std::string& description);
std::string open311_errors_xml(int code, const std::string& description);

// The Service Discovery document (http://wiki.open311.org/Service_Discovery):
// one production GeoReport v2 endpoint at `endpoint_url` (the ".../open311/v2"
// the requests and services live under), in JSON and XML.
nlohmann::json open311_discovery(const std::string& endpoint_url, const std::string& contact);
std::string open311_discovery_xml(const nlohmann::json& discovery);

// Open311's XML form of a services or requests document (same content).
std::string open311_to_xml(const nlohmann::json& document, const std::string& list_element,
                           const std::string& item_element);

}  // namespace psc
