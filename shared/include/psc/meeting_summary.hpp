// Meeting summary: everything a meeting produced, in one canonical document
// (the minutes page, exports and the "seen identically on a second device"
// check all use it).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "psc/replica.hpp"

namespace psc {

// {"meeting": {id + fields}, "attendance": [{"id","name","organization","role"}] by name,
//  "signed_in", "headcount", "total_present" (max of signed_in and headcount),
//  "agenda": [...] by order, "priorities_raised": [...] by title,
//  "ranking": (meeting_ranking), "action_items": [...] by due date then description,
//  "representation": (meeting_representation)}; null for an unknown meeting.
nlohmann::json meeting_summary(const Replica& replica, const std::string& meeting_id);

}  // namespace psc
