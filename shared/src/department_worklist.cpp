#include "psc/department_worklist.hpp"

#include <algorithm>
#include <tuple>

#include "psc/commitment_index.hpp"
#include "psc/department_scorecard.hpp"

namespace psc {

using nlohmann::json;

json department_worklist(const Replica& replica, const std::string& department, const DashboardFilter& filter,
                         const std::string& today) {
  const CommitmentIndex commitments(replica);
  struct Entry {
    int group;  // 0 awaiting response, 1 overdue, 2 other open, 3 closed
    std::string neighborhood;
    long long rank;
    std::string title, id;
    json body;
  };
  std::vector<Entry> entries;
  for (const Record* p : replica.list("priority")) {
    if (!passes(filter, *p) || !addressed_departments(*p, commitments).count(department)) continue;
    json own = json::array();
    bool overdue = false;
    for (const Record* c : commitments.of(p->id(), department)) {
      const bool late = is_overdue(*c, today);
      overdue = overdue || late;
      own.push_back(commitment_json(*c, late));
    }
    json others = json::array();
    for (const Record* c : commitments.all(p->id()))
      if (text_value(*c, "department") != department)
        others.push_back(commitment_json(*c, is_overdue(*c, today)));
    const bool open = is_open_priority(*p);
    const bool awaiting = awaits_response(*p, own.size());
    const json& rank = p->value("rank");
    Entry entry{!open      ? 3
                : awaiting ? 0
                : overdue  ? 1
                           : 2,
                text_value(*p, "neighborhood"),
                rank.is_number_integer() ? rank.get<long long>() : 1'000'000,
                text_value(*p, "title"),
                p->id(),
                {{"priority", p->id()},
                 {"title", text_value(*p, "title")},
                 {"description", text_or_null(*p, "description")},
                 {"category", text_value(*p, "category")},
                 {"status", text_value(*p, "status")},
                 {"neighborhood", text_value(*p, "neighborhood")},
                 {"address", text_or_null(*p, "address")},
                 {"rank", rank.is_number_integer() ? rank : json()},
                 {"department", text_or_null(*p, "department")},
                 {"adopted_on", text_or_null(*p, "adopted_on")},
                 {"awaiting_response", awaiting},
                 {"overdue", overdue},
                 {"commitments", std::move(own)},
                 {"other_commitments", std::move(others)}}};
    entries.push_back(std::move(entry));
  }
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return std::tie(a.group, a.neighborhood, a.rank, a.title, a.id) <
           std::tie(b.group, b.neighborhood, b.rank, b.title, b.id);
  });
  json out = json::array();
  for (auto& e : entries) out.push_back(std::move(e.body));
  return out;
}

}  // namespace psc
