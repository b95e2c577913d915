// Scope: the neighborhood a record belongs to.
//
// Authorization and replication are by neighborhood. Each record type names a
// scope field (schema.hpp): either the neighborhood itself or a reference to a
// record that has one (an attendance -> its meeting -> the meeting's
// neighborhood). Scope fields are immutable, so a record never changes scope.
#pragma once

#include <string>

#include "psc/replica.hpp"

namespace psc {

// The scope value of city-wide records: a meeting's `neighborhood` may name
// it (only a citywide_leaders meeting: validation.hpp). No neighborhood
// record has this slug; reference data is the server's, so none can.
inline constexpr std::string_view kCitywide = "citywide";

// The neighborhood slug of a record in `replica`; a neighborhood's own slug
// for neighborhood records; empty when unknown (record or link missing).
std::string record_neighborhood(const Replica& replica, const std::string& type, const std::string& id);

}  // namespace psc
