// The draft agenda of the city-wide leaders' meeting, from the same roll-up
// the leaders read (dashboard.hpp): what each neighborhood put first, the
// problems several neighborhoods share, how each department is answering,
// and the commitments that are late. The coordinator's device drafts it (it
// holds every neighborhood); the web app words each part in the device's
// language and records them as agenda items the leaders can edit.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "psc/dashboard_filter.hpp"
#include "psc/replica.hpp"

namespace psc {

// [ {"kind":"neighborhood_priorities","neighborhood","name",
//    "priorities":[{"priority","title","category","status"}]}   one per neighborhood with open
//                                                               priorities, by name, its top `top_n`
//   {"kind":"shared_category","category","open","neighborhoods":[slug]}  a category open in two
//                                                               or more neighborhoods, most first
//   {"kind":"scorecards","departments":[{"department","open","overdue","awaiting_response",
//                                        "median_days_to_first_response"}]}   departments with work
//   {"kind":"overdue_commitments","commitments":[{"commitment","department","priority","title",
//                                        "neighborhood","expected_date","days_overdue"}]}
//                                                               most overdue first ]
// Parts with nothing to say are left out. Open: proposed, adopted or in progress.
nlohmann::json leaders_agenda(const Replica& replica, const DashboardFilter& filter, const std::string& today,
                              int top_n = 3);

}  // namespace psc
