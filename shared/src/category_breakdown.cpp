#include "psc/category_breakdown.hpp"

#include <algorithm>
#include <map>

#include "psc/reference_lists.hpp"

namespace psc {

using nlohmann::json;

json category_breakdown(const Replica& replica, const DashboardFilter& filter) {
  struct Counts {
    long long total = 0, open = 0;
    std::map<std::string, long long> neighborhoods;
  };
  std::map<std::string, Counts> by_category;
  for (const auto& category : category_slugs(replica)) by_category[category];
  for (const Record* p : replica.list("priority")) {
    if (!passes(filter, *p)) continue;
    Counts& counts = by_category[text_value(*p, "category")];
    ++counts.total;
    if (is_open_priority(*p)) ++counts.open;
    ++counts.neighborhoods[text_value(*p, "neighborhood")];
  }
  json out = json::array();
  for (const auto& [category, counts] : by_category) {
    json neighborhoods = json::object();
    for (const auto& [slug, n] : counts.neighborhoods) neighborhoods[slug] = n;
    out.push_back({{"category", category},
                   {"total", counts.total},
                   {"open", counts.open},
                   {"neighborhood_count", counts.neighborhoods.size()},
                   {"neighborhoods", std::move(neighborhoods)}});
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const json& a, const json& b) { return a["total"] > b["total"]; });
  return out;
}

}  // namespace psc
