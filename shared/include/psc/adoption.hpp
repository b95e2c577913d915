// A priority's adoption day (`adopted_on`) is recorded once, the first time
// its status moves past "proposed" to adopted, in progress or resolved: a
// priority the committee takes straight to "in progress" (or finds already
// fixed) was adopted that day too. The department scorecards count the days
// from it to a department's first response (department_scorecard.hpp).
//
// The rule lives here so that every way a device sets a status (the
// priority form, the meeting's list, the conflicts queue, a new record)
// applies it; the web app asks the core before it writes. The day is the
// device's local date, passed in: the core reads no clock.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "psc/replica.hpp"

namespace psc {

// The fields to add when a record of `type` whose current state is `current`
// (nullptr: a new record) is given the fields in `changed` (an object):
// {"adopted_on": today} when the rule applies, else an empty object.
nlohmann::json adoption_fields(std::string_view type, const Record* current, const nlohmann::json& changed,
                               std::string_view today);

}  // namespace psc
