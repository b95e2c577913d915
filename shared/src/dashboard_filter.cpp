#include "psc/dashboard_filter.hpp"

#include <algorithm>

#include "psc/civil_date.hpp"

namespace psc {

DashboardFilter dashboard_filter_from_json(const nlohmann::json& json) {
  DashboardFilter filter;
  if (!json.is_object()) return filter;
  auto take = [&](const char* key, std::string& into) {
    auto it = json.find(key);
    if (it != json.end() && it->is_string()) into = it->get<std::string>();
  };
  take("neighborhood", filter.neighborhood);
  take("category", filter.category);
  take("status", filter.status);
  take("from", filter.from);
  take("to", filter.to);
  if (auto it = json.find("utc_offset_minutes"); it != json.end() && it->is_number_integer()) {
    const auto minutes = it->get<int64_t>();
    if (minutes >= -18 * 60 && minutes <= 18 * 60) filter.utc_offset_minutes = static_cast<int>(minutes);
  }
  return filter;
}

int64_t viewer_day_of_millis(const DashboardFilter& filter, uint64_t millis) {
  const int64_t shifted = static_cast<int64_t>(millis) + int64_t{filter.utc_offset_minutes} * 60'000;
  return utc_day_of_millis(static_cast<uint64_t>(std::max<int64_t>(0, shifted)));
}

bool is_open_priority(const Record& priority) {
  const std::string status = text_value(priority, "status");
  return status != "resolved" && status != "dropped";
}

namespace {
// Inside [from, to]; an unreadable bound is no bound.
bool in_range(const DashboardFilter& filter, int64_t day) {
  if (auto from = day_number(filter.from); from && day < *from) return false;
  if (auto to = day_number(filter.to); to && day > *to) return false;
  return true;
}
}  // namespace

bool passes(const DashboardFilter& filter, const Record& priority) {
  if (!is_live(&priority)) return false;
  if (!filter.neighborhood.empty() && text_value(priority, "neighborhood") != filter.neighborhood)
    return false;
  if (!filter.category.empty() && text_value(priority, "category") != filter.category) return false;
  if (filter.status == "open") {
    if (!is_open_priority(priority)) return false;
  } else if (!filter.status.empty() && text_value(priority, "status") != filter.status) {
    return false;
  }
  return in_range(filter, viewer_day_of_millis(filter, priority.created().millis));
}

bool meeting_passes(const DashboardFilter& filter, const Record& meeting) {
  if (!is_live(&meeting)) return false;
  if (!filter.neighborhood.empty() && text_value(meeting, "neighborhood") != filter.neighborhood)
    return false;
  const auto day = day_number(text_value(meeting, "start"));
  return !day || in_range(filter, *day);
}

}  // namespace psc
