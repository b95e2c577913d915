#include "psc/priority_ranking.hpp"

#include <algorithm>
#include <map>

namespace psc {
namespace {

// Counts votes and tallies whose meeting passes `counts_meeting`.
template <typename MeetingFilter>
std::vector<RankedPriority> rank(const Replica& replica, const std::string& neighborhood,
                                 MeetingFilter counts_meeting) {
  std::map<std::string, RankedPriority> by_id;
  for (const Record* p : replica.list("priority")) {
    if (!is_live(p) || text_value(*p, "neighborhood") != neighborhood) continue;
    const std::string status = text_value(*p, "status");
    if (status == "resolved" || status == "dropped") continue;
    RankedPriority entry;
    entry.priority = p->id();
    entry.title = text_value(*p, "title");
    entry.category = text_value(*p, "category");
    entry.status = status;
    by_id.emplace(p->id(), std::move(entry));
  }
  for (const Record* v : replica.list("vote")) {
    if (!is_live(v) || !counts_meeting(text_value(*v, "meeting"))) continue;
    auto it = by_id.find(text_value(*v, "priority"));
    if (it != by_id.end()) ++it->second.dots;
  }
  for (const Record* t : replica.list("tally")) {
    if (!is_live(t) || !counts_meeting(text_value(*t, "meeting"))) continue;
    auto it = by_id.find(text_value(*t, "priority"));
    const auto& count = t->value("count");
    if (it != by_id.end() && count.is_number_integer()) it->second.tallied += count.get<long long>();
  }
  std::vector<RankedPriority> out;
  out.reserve(by_id.size());
  for (auto& [_, entry] : by_id) {
    entry.score = entry.dots + entry.tallied;
    out.push_back(std::move(entry));
  }
  std::sort(out.begin(), out.end(), [](const RankedPriority& a, const RankedPriority& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.title != b.title) return a.title < b.title;
    return a.priority < b.priority;
  });
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i].rank = (i > 0 && out[i].score == out[i - 1].score) ? out[i - 1].rank : static_cast<int>(i) + 1;
  return out;
}

}  // namespace

std::vector<RankedPriority> meeting_ranking(const Replica& replica, const std::string& meeting_id) {
  const Record* meeting = replica.find("meeting", meeting_id);
  if (!is_live(meeting)) return {};
  return rank(replica, text_value(*meeting, "neighborhood"),
              [&](const std::string& m) { return m == meeting_id; });
}

std::vector<RankedPriority> neighborhood_ranking(const Replica& replica, const std::string& neighborhood) {
  std::map<std::string, bool> in_neighborhood;
  for (const Record* m : replica.list("meeting"))
    if (is_live(m)) in_neighborhood[m->id()] = text_value(*m, "neighborhood") == neighborhood;
  return rank(replica, neighborhood, [&](const std::string& m) {
    auto it = in_neighborhood.find(m);
    return it != in_neighborhood.end() && it->second;
  });
}

nlohmann::json to_json(const std::vector<RankedPriority>& ranking) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : ranking)
    out.push_back({{"priority", r.priority},
                   {"title", r.title},
                   {"category", r.category},
                   {"status", r.status},
                   {"dots", r.dots},
                   {"tallied", r.tallied},
                   {"score", r.score},
                   {"rank", r.rank}});
  return out;
}

}  // namespace psc
