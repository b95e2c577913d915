#include "psc/leaders_agenda.hpp"

#include <algorithm>

#include "psc/civil_date.hpp"
#include "psc/commitment_index.hpp"
#include "psc/dashboard.hpp"
#include "psc/department_scorecard.hpp"

namespace psc {

using nlohmann::json;

namespace {

json neighborhood_parts(const json& board) {
  json parts = json::array();
  for (const auto& n : board["neighborhoods"]) {
    if (n["top"].empty()) continue;
    json priorities = json::array();
    for (const auto& p : n["top"])
      priorities.push_back({{"priority", p["priority"]},
                            {"title", p["title"]},
                            {"category", p["category"]},
                            {"status", p["status"]}});
    parts.push_back({{"kind", "neighborhood_priorities"},
                     {"neighborhood", n["slug"]},
                     {"name", n["name"]},
                     {"priorities", std::move(priorities)}});
  }
  return parts;
}

// The same kind of problem open in several neighborhoods: one conversation
// with the department instead of one per PSC.
json shared_category_parts(const json& board) {
  json parts = json::array();
  for (const auto& c : board["categories"]) {
    if (c["neighborhood_count"].get<std::size_t>() < 2) continue;
    json slugs = json::array();
    for (const auto& [slug, count] : c["neighborhoods"].items()) slugs.push_back(slug);
    parts.push_back({{"kind", "shared_category"},
                     {"category", c["category"]},
                     {"open", c["open"]},
                     {"neighborhoods", std::move(slugs)}});
  }
  return parts;
}

json scorecard_part(const json& board) {
  json departments = json::array();
  for (const auto& s : board["scorecards"]) {
    if (s["open"] == 0 && s["overdue"] == 0 && s["awaiting_response"] == 0) continue;
    departments.push_back({{"department", s["department"]},
                           {"open", s["open"]},
                           {"overdue", s["overdue"]},
                           {"awaiting_response", s["awaiting_response"]},
                           {"median_days_to_first_response", s["median_days_to_first_response"]}});
  }
  if (departments.empty()) return nullptr;
  return {{"kind", "scorecards"}, {"departments", std::move(departments)}};
}

json overdue_part(const Replica& replica, const DashboardFilter& open, const std::string& today) {
  const auto today_day = day_number(today);
  if (!today_day) return nullptr;
  const CommitmentIndex index(replica);
  json late = json::array();
  for (const Record* p : replica.list("priority")) {
    if (!passes(open, *p)) continue;
    for (const Record* c : index.all(p->id())) {
      if (!is_overdue(*c, today)) continue;
      const auto due = day_number(text_value(*c, "expected_date"));
      late.push_back({{"commitment", c->id()},
                      {"department", text_value(*c, "department")},
                      {"priority", p->id()},
                      {"title", text_value(*p, "title")},
                      {"neighborhood", text_value(*p, "neighborhood")},
                      {"expected_date", text_value(*c, "expected_date")},
                      {"days_overdue", due ? *today_day - *due : 0}});
    }
  }
  if (late.empty()) return nullptr;
  std::sort(late.begin(), late.end(), [](const json& a, const json& b) {
    if (a["days_overdue"] != b["days_overdue"]) return a["days_overdue"] > b["days_overdue"];
    return a["commitment"] < b["commitment"];
  });
  return {{"kind", "overdue_commitments"}, {"commitments", std::move(late)}};
}

}  // namespace

json leaders_agenda(const Replica& replica, const DashboardFilter& filter, const std::string& today,
                    int top_n) {
  DashboardFilter open = filter;
  open.status = "open";
  const json board = dashboard(replica, open, today, top_n);
  json parts = neighborhood_parts(board);
  for (auto& part : shared_category_parts(board)) parts.push_back(std::move(part));
  if (json part = scorecard_part(board); !part.is_null()) parts.push_back(std::move(part));
  if (json part = overdue_part(replica, open, today); !part.is_null()) parts.push_back(std::move(part));
  return parts;
}

}  // namespace psc
