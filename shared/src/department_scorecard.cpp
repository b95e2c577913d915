#include "psc/department_scorecard.hpp"

#include "psc/reference_lists.hpp"

#include <algorithm>
#include <map>

#include "psc/civil_date.hpp"
#include "psc/commitment_index.hpp"
#include "psc/outcomes.hpp"
#include "psc/schema.hpp"

namespace psc {

bool is_open_commitment(const Record& commitment) {
  const std::string status = text_value(commitment, "status");
  return status == "acknowledged" || status == "in_progress";
}

bool is_overdue(const Record& commitment, const std::string& today) {
  if (!is_open_commitment(commitment)) return false;
  const auto expected = day_number(text_value(commitment, "expected_date"));
  const auto now = day_number(today);
  return expected && now && *expected < *now;
}

bool awaits_response(const Record& priority, std::size_t commitments_of_department) {
  const std::string status = text_value(priority, "status");
  return commitments_of_department == 0 && (status == "adopted" || status == "in_progress");
}

namespace {

std::optional<double> median(std::vector<long long> values) {
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end());
  const std::size_t mid = values.size() / 2;
  if (values.size() % 2 == 1) return static_cast<double>(values[mid]);
  return (static_cast<double>(values[mid - 1]) + static_cast<double>(values[mid])) / 2.0;
}

}  // namespace

std::vector<DepartmentScorecard> department_scorecards(const Replica& replica, const DashboardFilter& filter,
                                                       const std::string& today) {
  const CommitmentIndex commitments(replica);
  const auto verdicts = latest_verdicts(replica);
  std::map<std::string, DepartmentScorecard> cards;
  std::map<std::string, std::vector<long long>> response_days;
  for (const auto& department : department_slugs(replica)) cards[department].department = department;

  for (const Record* priority : replica.list("priority")) {
    if (!passes(filter, *priority)) continue;
    const std::string status = text_value(*priority, "status");
    const auto adopted = day_number(text_value(*priority, "adopted_on"));
    for (const auto& department : addressed_departments(*priority, commitments)) {
      auto card = cards.find(department);
      if (card == cards.end()) continue;  // not a department of the schema (cannot validate)
      ++card->second.priorities;
      OutcomeCounts outcome;
      outcome.count(*priority, verdicts);
      card->second.resolved += outcome.resolved;
      card->second.confirmed += outcome.confirmed;
      card->second.reopened += outcome.reopened;
      const auto& own = commitments.of(priority->id(), department);
      if (awaits_response(*priority, own.size())) ++card->second.awaiting_response;
      std::optional<int64_t> first_response;
      for (const Record* commitment : own) {
        ++card->second.commitments;
        if (is_open_commitment(*commitment)) ++card->second.open;
        if (is_overdue(*commitment, today)) ++card->second.overdue;
        const std::string cstatus = text_value(*commitment, "status");
        if (cstatus == "done") ++card->second.done;
        if (cstatus == "declined") ++card->second.declined;
        const int64_t day = viewer_day_of_millis(filter, commitment->created().millis);
        if (!first_response || day < *first_response) first_response = day;
      }
      if (adopted && first_response)
        response_days[department].push_back(std::max<long long>(0, *first_response - *adopted));
    }
  }

  std::vector<DepartmentScorecard> out;
  for (const auto& department : department_slugs(replica)) {
    DepartmentScorecard card = cards[department];
    const auto& days = response_days[department];
    card.responses_measured = static_cast<long long>(days.size());
    card.median_days_to_first_response = median(days);
    out.push_back(std::move(card));
  }
  return out;
}

nlohmann::json to_json(const DepartmentScorecard& c) {
  return {
      {"department", c.department},
      {"priorities", c.priorities},
      {"awaiting_response", c.awaiting_response},
      {"commitments", c.commitments},
      {"open", c.open},
      {"overdue", c.overdue},
      {"done", c.done},
      {"declined", c.declined},
      {"resolved", c.resolved},
      {"confirmed", c.confirmed},
      {"reopened", c.reopened},
      {"median_days_to_first_response",
       c.median_days_to_first_response ? nlohmann::json(*c.median_days_to_first_response) : nlohmann::json()},
      {"responses_measured", c.responses_measured}};
}

nlohmann::json to_json(const std::vector<DepartmentScorecard>& scorecards) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& c : scorecards) out.push_back(to_json(c));
  return out;
}

}  // namespace psc
