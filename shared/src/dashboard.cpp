#include "psc/dashboard.hpp"

#include <algorithm>
#include <map>

#include "psc/category_breakdown.hpp"
#include "psc/civil_date.hpp"
#include "psc/commitment_index.hpp"
#include "psc/conflict_queue.hpp"
#include "psc/department_scorecard.hpp"
#include "psc/outcomes.hpp"
#include "psc/priority_ranking.hpp"
#include "psc/representation.hpp"

namespace psc {

using nlohmann::json;

namespace {

json recent_meetings(const Replica& replica, const DashboardFilter& filter, std::size_t limit) {
  std::vector<std::pair<int64_t, const Record*>> meetings;
  for (const Record* m : replica.list("meeting"))
    if (meeting_passes(filter, *m))
      meetings.emplace_back(parse_w3c_datetime(text_value(*m, "start")).value_or(0), m);
  std::sort(meetings.begin(), meetings.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second->id() < b.second->id();
  });
  if (meetings.size() > limit) meetings.resize(limit);
  json out = json::array();
  for (const auto& [_, m] : meetings) {
    const json representation = meeting_representation(replica, m->id());
    const json& headcount = m->value("headcount");
    const long long signed_in = representation.value("signed_in", 0LL);
    const long long counted = headcount.is_number_integer() ? headcount.get<long long>() : 0;
    out.push_back({{"id", m->id()},
                   {"neighborhood", text_value(*m, "neighborhood")},
                   {"title", text_value(*m, "title")},
                   {"start", text_value(*m, "start")},
                   {"status", text_value(*m, "status")},
                   {"signed_in", signed_in},
                   {"headcount", headcount.is_number_integer() ? headcount : json()},
                   {"total_present", std::max(signed_in, counted)},
                   {"organizations", representation.value("present", json::array()).size()},
                   {"kinds_present", representation.value("kinds_present", json::object())}});
  }
  return out;
}

}  // namespace

json dashboard(const Replica& replica, const DashboardFilter& filter, const std::string& today, int top_n) {
  const CommitmentIndex commitments(replica);
  const auto verdicts = latest_verdicts(replica);
  OutcomeCounts outcomes;
  struct PerNeighborhood {
    long long priorities = 0, open = 0, overdue = 0;
    OutcomeCounts outcomes;
  };
  std::map<std::string, PerNeighborhood> per;
  long long priorities = 0, open = 0, open_commitments = 0, overdue = 0;
  for (const Record* p : replica.list("priority")) {
    if (!passes(filter, *p)) continue;
    PerNeighborhood& n = per[text_value(*p, "neighborhood")];
    outcomes.count(*p, verdicts);
    n.outcomes.count(*p, verdicts);
    ++priorities;
    ++n.priorities;
    if (is_open_priority(*p)) {
      ++open;
      ++n.open;
    }
    for (const Record* c : commitments.all(p->id())) {
      if (is_open_commitment(*c)) ++open_commitments;
      if (is_overdue(*c, today)) {
        ++overdue;
        ++n.overdue;
      }
    }
  }

  json neighborhoods = json::array();
  for (const Record* n : replica.list("neighborhood")) {
    if (!is_live(n) || (!filter.neighborhood.empty() && n->id() != filter.neighborhood)) continue;
    json top = json::array();
    for (const RankedPriority& r : neighborhood_ranking(replica, n->id())) {
      if (static_cast<int>(top.size()) >= top_n) break;
      const Record* p = replica.find("priority", r.priority);
      DashboardFilter same = filter;
      same.neighborhood.clear();
      if (!passes(same, *p)) continue;
      top.push_back({{"priority", r.priority},
                     {"title", r.title},
                     {"category", r.category},
                     {"status", r.status},
                     {"score", r.score},
                     {"rank", r.rank}});
    }
    const PerNeighborhood counts = per[n->id()];
    neighborhoods.push_back({{"slug", n->id()},
                             {"name", text_value(*n, "name")},
                             {"priorities", counts.priorities},
                             {"open_priorities", counts.open},
                             {"overdue", counts.overdue},
                             {"outcomes", counts.outcomes.to_json()},
                             {"top", std::move(top)}});
  }
  std::stable_sort(neighborhoods.begin(), neighborhoods.end(),
                   [](const json& a, const json& b) { return a["name"] < b["name"]; });

  long long meetings = 0;
  for (const Record* m : replica.list("meeting"))
    if (meeting_passes(filter, *m)) ++meetings;

  return {{"today", today},
          {"filter",
           {{"neighborhood", filter.neighborhood},
            {"category", filter.category},
            {"status", filter.status},
            {"from", filter.from},
            {"to", filter.to}}},
          {"totals",
           {{"neighborhoods", neighborhoods.size()},
            {"priorities", priorities},
            {"open_priorities", open},
            {"meetings", meetings},
            {"open_commitments", open_commitments},
            {"overdue", overdue},
            {"conflicts", conflict_queue(replica).size()}}},
          {"outcomes", outcomes.to_json()},
          {"neighborhoods", std::move(neighborhoods)},
          {"categories", category_breakdown(replica, filter)},
          {"scorecards", to_json(department_scorecards(replica, filter, today))},
          {"recent_meetings", recent_meetings(replica, filter, 10)}};
}

}  // namespace psc
