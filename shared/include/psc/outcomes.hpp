// Outcomes (issue 14): whether the residents agree a resolved priority is
// solved. The program's own measure of success was residents' satisfaction,
// and "resolved" is only what a department or organizer said.
//
// An `outcome` record is the verdict a meeting gave on one priority:
//   confirmed   residents agree it is solved;
//   not_solved  it was marked resolved, but it is not;
//   came_back   it was solved and has returned.
// Its id is derived from meeting + priority (derived_id.hpp): two tablets at
// one meeting record ONE verdict, and different verdicts become a visible
// conflict. Verdicts of later meetings are new records, so the history stays.
// The web app also moves a priority given not_solved or came_back back to
// "in_progress": the verdict is recorded either way, the status is the PSC's.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "psc/replica.hpp"

namespace psc {

struct OutcomeVerdict {
  std::string id;  // the outcome record
  std::string priority;
  std::string meeting;
  std::string verdict;     // confirmed | not_solved | came_back
  std::string decided_on;  // YYYY-MM-DD: the meeting's day
};

// True for not_solved and came_back: the residents reopened the priority.
bool reopens(std::string_view verdict);

// The latest verdict on each priority that has one: the live outcome with
// the latest decided_on, then the latest change (the record's clock), then
// the larger id; outcomes on deleted priorities left out.
std::map<std::string, OutcomeVerdict> latest_verdicts(const Replica& replica);

// {"id","verdict","decided_on","meeting"}, or null.
nlohmann::json verdict_json(const std::map<std::string, OutcomeVerdict>& verdicts,
                            const std::string& priority);

// Counts over resolved priorities (status "resolved") and reopened ones
// (latest verdict not_solved or came_back, whatever their status now):
// {"resolved", "confirmed", "awaiting_verdict", "reopened"}. A resolved
// priority is confirmed when its latest verdict is; awaiting otherwise.
struct OutcomeCounts {
  long long resolved = 0;
  long long confirmed = 0;
  long long awaiting_verdict = 0;
  long long reopened = 0;
  void count(const Record& priority, const std::map<std::string, OutcomeVerdict>& verdicts);
  nlohmann::json to_json() const;
};

}  // namespace psc
