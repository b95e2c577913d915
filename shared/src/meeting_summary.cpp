#include "psc/meeting_summary.hpp"

#include <algorithm>

#include "psc/priority_ranking.hpp"
#include "psc/representation.hpp"

namespace psc {
namespace {

using nlohmann::json;

json flat(const Record& r) {
  json out = r.to_json()["fields"];
  out["id"] = r.id();
  out.erase("_deleted");
  return out;
}

// Live records of `type` whose `field` equals `id`, flattened.
json children(const Replica& replica, const std::string& type, const std::string& field,
              const std::string& id) {
  json out = json::array();
  for (const Record* r : replica.list(type)) {
    if (!is_live(r)) continue;
    const auto& v = r->value(field);
    if (v.is_string() && v.get_ref<const std::string&>() == id) out.push_back(flat(*r));
  }
  return out;
}

std::string key(const json& item, const char* field) {
  return item.contains(field) && item[field].is_string() ? item[field].get<std::string>() : std::string();
}

template <typename Less>
json sorted(json items, Less less) {
  std::sort(items.begin(), items.end(), less);
  return items;
}

}  // namespace

json meeting_summary(const Replica& replica, const std::string& meeting_id) {
  const Record* meeting = replica.find("meeting", meeting_id);
  if (!is_live(meeting)) return nullptr;

  json attendance =
      sorted(children(replica, "attendance", "meeting", meeting_id), [](const json& a, const json& b) {
        return std::make_pair(key(a, "name"), key(a, "id")) < std::make_pair(key(b, "name"), key(b, "id"));
      });
  json agenda =
      sorted(children(replica, "agenda_item", "meeting", meeting_id), [](const json& a, const json& b) {
        const auto oa = a.value("order", 0LL), ob = b.value("order", 0LL);
        return oa != ob ? oa < ob : key(a, "id") < key(b, "id");
      });
  json raised =
      sorted(children(replica, "priority", "meeting", meeting_id), [](const json& a, const json& b) {
        return std::make_pair(key(a, "title"), key(a, "id")) < std::make_pair(key(b, "title"), key(b, "id"));
      });
  json actions =
      sorted(children(replica, "action_item", "meeting", meeting_id), [](const json& a, const json& b) {
        // Undated items last.
        const std::string da = key(a, "due_date").empty() ? "9999" : key(a, "due_date");
        const std::string db = key(b, "due_date").empty() ? "9999" : key(b, "due_date");
        return std::make_tuple(da, key(a, "description"), key(a, "id")) <
               std::make_tuple(db, key(b, "description"), key(b, "id"));
      });

  const long long signed_in = static_cast<long long>(attendance.size());
  const auto& headcount_value = meeting->value("headcount");
  const long long headcount = headcount_value.is_number_integer() ? headcount_value.get<long long>() : 0;
  return json{{"meeting", flat(*meeting)},
              {"attendance", attendance},
              {"signed_in", signed_in},
              {"headcount", headcount},
              {"total_present", std::max(signed_in, headcount)},
              {"agenda", agenda},
              {"priorities_raised", raised},
              {"ranking", to_json(meeting_ranking(replica, meeting_id))},
              {"action_items", actions},
              {"representation", meeting_representation(replica, meeting_id)}};
}

}  // namespace psc
