// The coordinator's filters (neighborhood, category, status, date range),
// applied the same way by every city-wide view: the dashboard, the
// scorecards, the category chart and the liaison's work list.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "psc/replica.hpp"

namespace psc {

struct DashboardFilter {
  std::string neighborhood;  // slug; empty: every neighborhood
  std::string category;      // priority category; empty: every category
  std::string status;        // a priority status, or "open" (not resolved or dropped); empty: any
  std::string from;          // YYYY-MM-DD, inclusive; empty: no lower bound
  std::string to;            // YYYY-MM-DD, inclusive; empty: no upper bound
};

// {"neighborhood","category","status","from","to"}, each optional; unknown
// keys and non-string values are ignored (a filter narrows, it never fails).
DashboardFilter dashboard_filter_from_json(const nlohmann::json& json);

// A priority that is still being worked on: neither resolved nor dropped.
bool is_open_priority(const Record& priority);

// A live priority passing the filter. Its date is the day it was created
// (UTC day of its earliest change).
bool passes(const DashboardFilter& filter, const Record& priority);

// A live meeting passing the filter's neighborhood and date range (its start).
bool meeting_passes(const DashboardFilter& filter, const Record& meeting);

}  // namespace psc
