// Validation of changes against the schema and the current replica.
//
// Pure functions, run on the device before a change is written (so the UI can
// refuse at once) and on the server before it is accepted (the authority).
#pragma once

#include <vector>

#include "psc/change.hpp"
#include "psc/replica.hpp"
#include "psc/status.hpp"

namespace psc {

// Checks one change in isolation: known type and field, a value of the right
// kind, length and enumeration, no null for a required field. Does not look
// at other records.
Status validate_change_shape(const Change& change);

// Validates a batch in order against `replica`. Returns one Status per change
// (same index). Besides the shape, it checks that
//  - a record created in this batch gets every required field in the batch,
//  - immutable fields are not changed after creation,
//  - references name an existing, undeleted record (in the replica or
//    created in the batch) of the same neighborhood as the record that
//    names it (a tally, vote, verdict or action item names a priority of
//    its meeting's neighborhood; reference data and the scope field itself
//    excepted; the city-wide leaders' meeting's sign-ins and action items
//    may name any neighborhood's organizations and priorities),
//  - a meeting of the city's own scope (scope.hpp kCitywide) is a
//    citywide_leaders meeting,
//  - reference data is not written by devices.
// A refused change never makes the others of its batch fail, except that all
// changes creating one record stand or fall together.
std::vector<Status> validate_batch(const std::vector<Change>& batch, const Replica& replica);

}  // namespace psc
