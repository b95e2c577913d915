// The department liaison's work list: the priorities addressed to one
// department city-wide (named on the priority or answered by a commitment of
// the department; commitment_index.hpp), with the department's own
// commitments and what other departments said.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "psc/dashboard_filter.hpp"
#include "psc/replica.hpp"

namespace psc {

// [{"priority","title","description","category","status","neighborhood","address","rank","department",
//   "adopted_on","awaiting_response","overdue",
//   "commitments": [the department's own, oldest first], "other_commitments": [other departments'],
//   each as commitment_json (commitment_index.hpp)}]
// Open priorities with no commitment of the department yet come first, then
// those with an overdue commitment, then the rest; each group by neighborhood,
// rank (unranked last) and title. Resolved and dropped priorities are listed
// last unless the filter asks for a status.
nlohmann::json department_worklist(const Replica& replica, const std::string& department,
                                   const DashboardFilter& filter, const std::string& today);

}  // namespace psc
