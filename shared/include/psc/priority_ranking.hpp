// Priority ranking: dot-votes plus paper tallies, identical on every device.
//
// For a meeting: every open priority of the meeting's neighborhood (status not
// resolved or dropped, not deleted) with its dots and tallied count at that
// meeting. For a neighborhood: the same summed over all its meetings.
// Order: score descending, then title, then id (so ties are stable
// everywhere); rank is competition ranking (1, 2, 2, 4).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "psc/replica.hpp"

namespace psc {

struct RankedPriority {
  std::string priority;  // id
  std::string title;
  std::string category;
  std::string status;
  long long dots = 0;     // undeleted vote records
  long long tallied = 0;  // displayed tally counts
  long long score = 0;    // dots + tallied
  int rank = 0;
};

std::vector<RankedPriority> meeting_ranking(const Replica& replica, const std::string& meeting_id);
std::vector<RankedPriority> neighborhood_ranking(const Replica& replica, const std::string& neighborhood);

nlohmann::json to_json(const std::vector<RankedPriority>& ranking);

}  // namespace psc
