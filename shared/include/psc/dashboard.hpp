// The coordinator's dashboard: the merged picture of all neighborhoods the
// device holds, under the coordinator's filters. It is also the data of the
// monthly leaders' roll-up (scorecards + categories), so both print the same
// numbers.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "psc/dashboard_filter.hpp"
#include "psc/replica.hpp"

namespace psc {

// {"today", "filter": {...},
//  "totals":
//  {"neighborhoods","priorities","open_priorities","meetings","open_commitments","overdue","conflicts"},
//  "outcomes": {"resolved","confirmed","awaiting_verdict","reopened"} (outcomes.hpp, over the filter),
//  "neighborhoods": [{"slug","name","priorities","open_priorities","overdue","outcomes",
//                     "top": [up to `top_n` of neighborhood_ranking passing category/status]}] by name,
//  "categories": (category_breakdown), "scorecards": (department_scorecards),
//  "recent_meetings": [{"id","neighborhood","title","start","status","signed_in","headcount",
//                       "total_present","organizations","kinds_present"}] newest first, at most 10}
nlohmann::json dashboard(const Replica& replica, const DashboardFilter& filter, const std::string& today,
                         int top_n = 3);

}  // namespace psc
