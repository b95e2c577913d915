// The same kind of problem across neighborhoods: priorities by category by
// neighborhood (the dashboard's chart and the leaders' roll-up).
#pragma once

#include <nlohmann/json.hpp>

#include "psc/dashboard_filter.hpp"
#include "psc/replica.hpp"

namespace psc {

// Live priorities passing `filter`, counted per category:
// [{"category","total","open","neighborhood_count","neighborhoods":{slug: count}}],
// every schema category listed (zeros included), most common first, then by category.
nlohmann::json category_breakdown(const Replica& replica, const DashboardFilter& filter);

}  // namespace psc
