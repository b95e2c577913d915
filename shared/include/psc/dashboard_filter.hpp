// The coordinator's filters (neighborhood, category, status, date range),
// applied the same way by every city-wide view: the dashboard, the
// scorecards, the category chart and the liaison's work list.
#pragma once

#include <cstdint>
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
  // The viewer's offset from UTC, in minutes (New York: -300, or -240 in
  // summer): the day of a change's stamp is counted in the viewer's calendar,
  // the one `from`, `to`, today and adoption days are written in. Without it
  // a Hartford evening meeting (after 19:00 EST is the next UTC day) put a
  // commitment made that night a day after the adoption it answered.
  int utc_offset_minutes = 0;
};

// {"neighborhood","category","status","from","to","utc_offset_minutes"},
// each optional; unknown keys and values of the wrong type are ignored (a
// filter narrows, it never fails); an offset beyond ±18 hours counts as 0.
DashboardFilter dashboard_filter_from_json(const nlohmann::json& json);

// A priority that is still being worked on: neither resolved nor dropped.
bool is_open_priority(const Record& priority);

// A live priority passing the filter. Its date is the day it was created
// (the viewer's day of its earliest change).
bool passes(const DashboardFilter& filter, const Record& priority);

// A live meeting passing the filter's neighborhood and date range (its start).
bool meeting_passes(const DashboardFilter& filter, const Record& meeting);

// The day number (civil_date.hpp) of a stamp's milliseconds in the viewer's calendar.
int64_t viewer_day_of_millis(const DashboardFilter& filter, uint64_t millis);

}  // namespace psc
