// Department scorecards: how each city department is answering the
// neighborhoods' priorities (PRODUCT.md: the coordinator's dashboard and the
// monthly leaders' roll-up).
//
// A priority is addressed to a department when the PSC named that department
// on it (priority.department) or the department has recorded a commitment on
// it. Counted over live priorities passing the filter and their live
// commitments:
//  - open: commitments acknowledged or in progress;
//  - overdue: open with an expected date before today;
//  - awaiting response: adopted or in-progress priorities addressed to the
//    department with no commitment of its own yet;
//  - days to first response: for each priority with an adoption day
//    (priority.adopted_on) and a commitment of the department, the day (in
//    the viewer's calendar, DashboardFilter) of the department's first
//    commitment minus the adoption day (never below 0);
//    the scorecard gives their median;
//  - resolved, confirmed, reopened: the residents' verdicts (outcomes.hpp)
//    on its priorities: resolved ones, those the residents confirmed, and
//    those whose latest verdict is not solved or came back.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "psc/dashboard_filter.hpp"
#include "psc/replica.hpp"

namespace psc {

struct DepartmentScorecard {
  std::string department;    // slug (schema.hpp department_slugs())
  long long priorities = 0;  // addressed to the department
  long long awaiting_response = 0;
  long long commitments = 0;  // all live commitments
  long long open = 0;
  long long overdue = 0;
  long long done = 0;
  long long declined = 0;
  long long resolved = 0;
  long long confirmed = 0;
  long long reopened = 0;
  std::optional<double> median_days_to_first_response;
  long long responses_measured = 0;  // priorities in that median
};

// Commitments are live records on live priorities, grouped by priority id.
// `today` is YYYY-MM-DD; an unreadable `today` counts nothing as overdue.
bool is_open_commitment(const Record& commitment);
bool is_overdue(const Record& commitment, const std::string& today);
// Whether a priority addressed to a department awaits its response: the PSC
// has taken it on (adopted or in progress; a proposal is not yet the
// committee's) and the department has no commitment on it. The scorecard's
// count, the liaison's work list and the report-back agenda use this rule.
bool awaits_response(const Record& priority, std::size_t commitments_of_department);

// One scorecard per department in schema order, departments with nothing included.
std::vector<DepartmentScorecard> department_scorecards(const Replica& replica, const DashboardFilter& filter,
                                                       const std::string& today);

nlohmann::json to_json(const DepartmentScorecard& scorecard);
nlohmann::json to_json(const std::vector<DepartmentScorecard>& scorecards);

}  // namespace psc
