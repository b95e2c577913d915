// The report-back agenda: the "progress since the last meeting" item of a
// neighborhood's next PSC meeting (PRODUCT.md), generated from its open
// priorities and the departments' commitments, identical on every device.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "psc/replica.hpp"

namespace psc {

// For neighborhood `slug` on `today` (YYYY-MM-DD):
// {"neighborhood", "today",
//  "last_meeting": {"id","title","start","status"} | null   (latest held or closed meeting),
//  "next_meeting": {"id","title","start","location"} | null (earliest planned meeting starting today or
//  later), "items": [{"priority","title","category","status","rank","score","address","department",
//             "commitments": [{"id","department","summary","status","expected_date","status_notes",
//                              "responder","overdue","days_overdue","updated_since_last_meeting"}],
//             "awaiting": [department named on the priority with no commitment],
//             "overdue": bool, "changed_since_last_meeting": bool,
//             "outcome": latest verdict (outcomes.hpp verdict_json) | null}]   (open priorities in rank
//             order),
//  "resolved_since_last_meeting": [{"priority","title","category","status","outcome"}] (resolved or dropped
//  after it),
//  "to_confirm": [{"priority","title","category","address","outcome"}] (resolved, latest verdict not
//                "confirmed": the meeting asks the residents; by title),
//  "outcomes": {"resolved","confirmed","awaiting_verdict","reopened"} (outcomes.hpp OutcomeCounts),
//  "open_action_items": [{"id","description","owner","due_date","overdue","days_overdue",
//                         "meeting": {"id","title","start"}, "priority": {"id","title"} | null}]
//                       (not done, of any meeting of the neighborhood; by due date, undated last),
//  "counts":
//  {"open_priorities","open_commitments","overdue","awaiting_response","changed_since_last_meeting",
//             "open_action_items","overdue_action_items"}}
// "Since the last meeting" is by the changes' clock: after the last meeting's start
// (everything counts as changed when there was no meeting yet).
nlohmann::json report_back_agenda(const Replica& replica, const std::string& neighborhood,
                                  const std::string& today);

}  // namespace psc
