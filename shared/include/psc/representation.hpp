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
nlohmann::json meeting_representation(const Replica& replica, const std::string& meeting_id);

}  // namespace psc
