// Exports: a neighborhood's or a meeting's records as one JSON document and
// as CSV tables, computed from the replica by the same core on every side.
//
// Documents list live (undeleted) records only, in a stable order, with
// priorities carrying their rank. Tables: priorities, meetings, attendance,
// votes, tallies, commitments, action_items.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "psc/replica.hpp"

namespace psc {

// RFC 4180 CSV: a field holding a comma, quote, CR or LF is quoted and its
// quotes doubled; lines end with CRLF; text stays UTF-8 as given.
std::string to_csv(const std::vector<std::vector<std::string>>& rows);

// null for an unknown neighborhood / meeting.
nlohmann::json neighborhood_export(const Replica& replica, const std::string& neighborhood);
nlohmann::json meeting_export(const Replica& replica, const std::string& meeting);
// Everything the replica holds, every neighborhood's priorities ranked within
// their neighborhood (a device exports what it holds: a coordinator's is the
// city, an organizer's their neighborhood). {"neighborhoods": [{"id","name"}],
// and the tables}.
nlohmann::json city_export(const Replica& replica);

// One table of an export document as CSV (header row first); nullopt for an
// unknown table name.
std::optional<std::string> export_table_csv(const nlohmann::json& document, const std::string& table);
const std::vector<std::string>& export_table_names();

}  // namespace psc
