#include "psc/representation.hpp"

#include <algorithm>
#include <map>

#include "psc/civil_date.hpp"
#include "psc/scope.hpp"

namespace psc {
namespace {
bool by_name(const nlohmann::json& a, const nlohmann::json& b) {
  return std::make_pair(a["name"].get<std::string>(), a["organization"].get<std::string>()) <
         std::make_pair(b["name"].get<std::string>(), b["organization"].get<std::string>());
}
}  // namespace

bool is_member_on(const Record& organization, const std::string& day) {
  const std::string joined = text_value(organization, "joined_on"),
                    left = text_value(organization, "left_on");
  if (!joined.empty() && (day.empty() || day < joined)) return false;
  if (!left.empty()) return !day.empty() && day < left;
  const auto& active = organization.value("active");
  return !(active.is_boolean() && !active.get<bool>());
}

std::string meeting_day(const Record& meeting) {
  const auto start = parse_w3c_datetime(text_value(meeting, "start"));
  return start ? format_us_eastern_of_millis(*start).substr(0, 10) : std::string();
}

nlohmann::json meeting_representation(const Replica& replica, const std::string& meeting_id) {
  using nlohmann::json;
  const Record* meeting = replica.find("meeting", meeting_id);
  if (!is_live(meeting)) return nullptr;
  const std::string neighborhood = text_value(*meeting, "neighborhood");
  const std::string day = meeting_day(*meeting);

  std::map<std::string, long long> attendees_by_org, by_neighborhood, by_department;
  long long signed_in = 0, unaffiliated = 0;
  for (const Record* a : replica.list("attendance")) {
    if (!is_live(a) || text_value(*a, "meeting") != meeting_id) continue;
    ++signed_in;
    if (const auto speaks_for = text_value(*a, "neighborhood"); !speaks_for.empty())
      ++by_neighborhood[speaks_for];
    if (const auto department = text_value(*a, "department"); !department.empty())
      ++by_department[department];
    const std::string org = text_value(*a, "organization");
    if (org.empty() || !is_live(replica.find("organization", org)))
      ++unaffiliated;
    else
      ++attendees_by_org[org];
  }

  json present = json::array(), absent = json::array(), kinds = json::object();
  for (const auto& [org_id, count] : attendees_by_org) {
    const Record& org = *replica.find("organization", org_id);
    const std::string kind = text_value(org, "kind");
    present.push_back(
        {{"organization", org_id}, {"name", text_value(org, "name")}, {"kind", kind}, {"attendees", count}});
    kinds[kind] = kinds.value(kind, 0LL) + count;
  }
  for (const Record* org : replica.list("organization")) {
    // Absent: the groups that were members that day and sent nobody.
    if (!is_live(org) || text_value(*org, "neighborhood") != neighborhood ||
        attendees_by_org.count(org->id()) || !is_member_on(*org, day))
      continue;
    absent.push_back({{"organization", org->id()},
                      {"name", text_value(*org, "name")},
                      {"kind", text_value(*org, "kind")}});
  }
  std::sort(present.begin(), present.end(), by_name);
  std::sort(absent.begin(), absent.end(), by_name);
  json out = {{"meeting", meeting_id}, {"signed_in", signed_in}, {"unaffiliated", unaffiliated},
              {"present", present},    {"kinds_present", kinds}, {"absent", absent}};
  if (neighborhood == kCitywide) {
    // The leaders' meeting: which of the city's PSCs came, which did not.
    json here = json::array(), missing = json::array();
    for (const Record* n : replica.list("neighborhood")) {
      if (!is_live(n)) continue;
      auto count = by_neighborhood.find(n->id());
      if (count == by_neighborhood.end())
        missing.push_back({{"neighborhood", n->id()}, {"name", text_value(*n, "name")}});
      else
        here.push_back(
            {{"neighborhood", n->id()}, {"name", text_value(*n, "name")}, {"attendees", count->second}});
    }
    const auto by_place_name = [](const json& a, const json& b) { return a["name"] < b["name"]; };
    std::sort(here.begin(), here.end(), by_place_name);
    std::sort(missing.begin(), missing.end(), by_place_name);
    out["neighborhoods_present"] = std::move(here);
    out["neighborhoods_absent"] = std::move(missing);
    out["departments_present"] = by_department;
  }
  return out;
}

}  // namespace psc
