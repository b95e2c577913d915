// Representation at a meeting: which organizations, and which kinds of
// organization, were present (PRODUCT.md, "representation check"); and which
// of the neighborhood's organizations were not.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "psc/replica.hpp"

namespace psc {

// {"meeting", "signed_in", "unaffiliated",
//  "present": [{"organization","name","kind","attendees"}] by name,
//  "kinds_present": {kind: attendees}, "absent": [{"organization","name","kind"}] by name}
// and, for the city-wide leaders' meeting (scope.hpp), whom its sign-ins
// speak for: "neighborhoods_present": [{"neighborhood","name","attendees"}],
// "neighborhoods_absent": [{"neighborhood","name"}] (by name), "departments_present": {slug: attendees}.
// "absent" lists the neighborhood's organizations that were members of the
// PSC on the meeting's day (is_member_on) and sent nobody.
nlohmann::json meeting_representation(const Replica& replica, const std::string& meeting_id);

// Whether an organization was a member of its PSC on `day` (YYYY-MM-DD):
// joined_on (if set) on or before it, left_on (if set) after it; with no
// left_on, not marked inactive (active false: left on an unrecorded day).
bool is_member_on(const Record& organization, const std::string& day);

// A meeting's day in Hartford's calendar (America/New_York), YYYY-MM-DD;
// empty when its start is unreadable.
std::string meeting_day(const Record& meeting);

}  // namespace psc
