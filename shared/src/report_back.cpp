#include "psc/report_back.hpp"

#include <algorithm>
#include <optional>

#include "psc/civil_date.hpp"
#include "psc/commitment_index.hpp"
#include "psc/dashboard_filter.hpp"
#include "psc/department_scorecard.hpp"
#include "psc/outcomes.hpp"
#include "psc/priority_ranking.hpp"
#include "psc/scope.hpp"

namespace psc {

using nlohmann::json;

namespace {

// Meetings of the neighborhood with a readable start, by start then id.
std::vector<std::pair<int64_t, const Record*>> meetings_of(const Replica& replica,
                                                           const std::string& neighborhood) {
  std::vector<std::pair<int64_t, const Record*>> out;
  for (const Record* m : replica.list("meeting")) {
    if (!is_live(m) || text_value(*m, "neighborhood") != neighborhood) continue;
    if (auto start = parse_w3c_datetime(text_value(*m, "start"))) out.emplace_back(*start, m);
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : a.second->id() < b.second->id();
  });
  return out;
}

}  // namespace

json report_back_agenda(const Replica& replica, const std::string& neighborhood, const std::string& today) {
  const auto meetings = meetings_of(replica, neighborhood);
  const Record* last = nullptr;
  int64_t last_start = 0;
  for (const auto& [start, m] : meetings) {
    const std::string status = text_value(*m, "status");
    if (status == "held" || status == "closed") {
      last = m;
      last_start = start;
    }
  }
  const Record* next = nullptr;
  const auto today_day = day_number(today);
  for (const auto& [start, m] : meetings) {
    if (text_value(*m, "status") != "planned") continue;
    if (today_day && day_number(text_value(*m, "start")).value_or(0) < *today_day) continue;
    next = m;
    break;
  }
  // Changed after the last meeting started (by the change clock).
  auto since_last = [&](const Record& r) {
    return !last || static_cast<int64_t>(r.updated().millis) > last_start;
  };

  const CommitmentIndex commitments(replica);
  const auto verdicts = latest_verdicts(replica);
  json items = json::array();
  long long open_commitments = 0, overdue = 0, awaiting = 0, changed = 0;
  for (const RankedPriority& ranked : neighborhood_ranking(replica, neighborhood)) {
    const Record* p = replica.find("priority", ranked.priority);
    json commitment_lines = json::array();
    bool any_overdue = false;
    bool any_changed = since_last(*p);
    for (const Record* c : commitments.all(p->id())) {
      const bool late = is_overdue(*c, today);
      long long days_late = 0;
      if (late) days_late = *today_day - *day_number(text_value(*c, "expected_date"));
      const bool updated = since_last(*c);
      any_overdue = any_overdue || late;
      any_changed = any_changed || updated;
      if (is_open_commitment(*c)) ++open_commitments;
      if (late) ++overdue;
      json line = commitment_json(*c, late);
      line["days_overdue"] = days_late;
      line["updated_since_last_meeting"] = updated;
      commitment_lines.push_back(std::move(line));
    }
    json awaiting_departments = json::array();
    const std::string named = text_value(*p, "department");
    if (!named.empty() && awaits_response(*p, commitments.of(p->id(), named).size())) {
      awaiting_departments.push_back(named);
      ++awaiting;
    }
    if (any_changed) ++changed;
    items.push_back({{"priority", p->id()},
                     {"title", ranked.title},
                     {"category", ranked.category},
                     {"status", ranked.status},
                     {"rank", ranked.rank},
                     {"score", ranked.score},
                     {"address", text_or_null(*p, "address")},
                     {"department", named.empty() ? json() : json(named)},
                     {"commitments", std::move(commitment_lines)},
                     {"awaiting", std::move(awaiting_departments)},
                     {"overdue", any_overdue},
                     {"changed_since_last_meeting", any_changed},
                     {"outcome", verdict_json(verdicts, p->id())}});
  }

  // Resolved priorities the residents have not confirmed: the meeting is
  // asked whether each stayed solved (a reopened one is open again, above).
  json to_confirm = json::array();
  OutcomeCounts outcome_counts;
  for (const Record* p : replica.list("priority")) {
    if (!is_live(p) || text_value(*p, "neighborhood") != neighborhood) continue;
    outcome_counts.count(*p, verdicts);
    if (text_value(*p, "status") != "resolved") continue;
    const json verdict = verdict_json(verdicts, p->id());
    if (verdict.is_object() && verdict["verdict"] == "confirmed") continue;
    to_confirm.push_back({{"priority", p->id()},
                          {"title", text_value(*p, "title")},
                          {"category", text_value(*p, "category")},
                          {"address", text_or_null(*p, "address")},
                          {"outcome", verdict}});
  }
  std::sort(to_confirm.begin(), to_confirm.end(), [](const json& a, const json& b) {
    return a["title"] != b["title"] ? a["title"] < b["title"] : a["priority"] < b["priority"];
  });

  json resolved = json::array();
  for (const Record* p : replica.list("priority")) {
    if (!is_live(p) || text_value(*p, "neighborhood") != neighborhood || is_open_priority(*p)) continue;
    const FieldRegister* status = p->field("status");
    if (last && (!status || static_cast<int64_t>(status->winner().hlc.millis) <= last_start)) continue;
    resolved.push_back({{"priority", p->id()},
                        {"title", text_value(*p, "title")},
                        {"category", text_value(*p, "category")},
                        {"status", text_value(*p, "status")},
                        {"outcome", verdict_json(verdicts, p->id())}});
  }
  std::sort(resolved.begin(), resolved.end(), [](const json& a, const json& b) {
    return a["title"] != b["title"] ? a["title"] < b["title"] : a["priority"] < b["priority"];
  });

  auto meeting_json = [](const Record* m, bool with_location) -> json {
    if (!m) return nullptr;
    json out = {{"id", m->id()}, {"title", text_value(*m, "title")}, {"start", text_value(*m, "start")}};
    if (with_location)
      out["location"] = text_or_null(*m, "location");
    else
      out["status"] = text_value(*m, "status");
    return out;
  };
  // Action items the neighborhood's meetings took on and nobody has marked
  // done, oldest commitment first: a report-back that left them out let them
  // fall between meetings.
  json actions = json::array();
  long long overdue_actions = 0;
  for (const Record* a : replica.list("action_item")) {
    if (!is_live(a)) continue;
    const auto& done = a->value("done");
    if (done.is_boolean() && done.get<bool>()) continue;
    // The neighborhood's own meetings' items, and those the city-wide
    // leaders' meeting assigned to the neighborhood.
    const Record* m = replica.find("meeting", text_value(*a, "meeting"));
    if (!is_live(m)) continue;
    const std::string& scope = text_value(*m, "neighborhood");
    if (scope != neighborhood && !(scope == kCitywide && text_value(*a, "neighborhood") == neighborhood))
      continue;
    const std::string due = text_value(*a, "due_date");
    const auto due_day = day_number(due);
    const long long days_late = today_day && due_day && *due_day < *today_day ? *today_day - *due_day : 0;
    if (days_late > 0) ++overdue_actions;
    const Record* about = replica.find("priority", text_value(*a, "priority"));
    actions.push_back(
        {{"id", a->id()},
         {"description", text_value(*a, "description")},
         {"owner", text_or_null(*a, "owner")},
         {"due_date", text_or_null(*a, "due_date")},
         {"overdue", days_late > 0},
         {"days_overdue", days_late},
         {"meeting",
          {{"id", m->id()}, {"title", text_value(*m, "title")}, {"start", text_value(*m, "start")}}},
         {"priority",
          is_live(about) ? json{{"id", about->id()}, {"title", text_value(*about, "title")}} : json()}});
  }
  // By due date (none last), then the meeting that made them, then id.
  std::sort(actions.begin(), actions.end(), [](const json& a, const json& b) {
    const bool a_due = a["due_date"].is_string(), b_due = b["due_date"].is_string();
    if (a_due != b_due) return a_due;
    if (a_due && a["due_date"] != b["due_date"]) return a["due_date"] < b["due_date"];
    if (a["meeting"]["start"] != b["meeting"]["start"]) return a["meeting"]["start"] < b["meeting"]["start"];
    return a["id"] < b["id"];
  });
  const long long open_actions = static_cast<long long>(actions.size());

  const long long open_priorities = static_cast<long long>(items.size());
  return {{"neighborhood", neighborhood},
          {"today", today},
          {"last_meeting", meeting_json(last, false)},
          {"next_meeting", meeting_json(next, true)},
          {"items", std::move(items)},
          {"resolved_since_last_meeting", std::move(resolved)},
          {"to_confirm", std::move(to_confirm)},
          {"outcomes", outcome_counts.to_json()},
          {"open_action_items", std::move(actions)},
          {"counts",
           {{"open_priorities", open_priorities},
            {"open_commitments", open_commitments},
            {"overdue", overdue},
            {"awaiting_response", awaiting},
            {"changed_since_last_meeting", changed},
            {"open_action_items", open_actions},
            {"overdue_action_items", overdue_actions}}}};
}

}  // namespace psc
