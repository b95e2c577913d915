#include "psc/outcomes.hpp"

namespace psc {

using nlohmann::json;

bool reopens(std::string_view verdict) { return verdict == "not_solved" || verdict == "came_back"; }

std::map<std::string, OutcomeVerdict> latest_verdicts(const Replica& replica) {
  std::map<std::string, OutcomeVerdict> latest;
  std::map<std::string, std::pair<uint64_t, uint32_t>> stamp;  // priority -> its verdict's clock
  for (const Record* o : replica.list("outcome")) {
    if (!is_live(o)) continue;
    OutcomeVerdict v{o->id(), text_value(*o, "priority"), text_value(*o, "meeting"),
                     text_value(*o, "verdict"), text_value(*o, "decided_on")};
    if (v.verdict.empty() || !is_live(replica.find("priority", v.priority))) continue;
    const auto clock = std::make_pair(o->updated().millis, o->updated().counter);
    auto it = latest.find(v.priority);
    const bool later = it == latest.end() || v.decided_on > it->second.decided_on ||
                       (v.decided_on == it->second.decided_on &&
                        (clock > stamp[v.priority] || (clock == stamp[v.priority] && v.id > it->second.id)));
    if (!later) continue;
    stamp[v.priority] = clock;
    latest[v.priority] = std::move(v);
  }
  return latest;
}

json verdict_json(const std::map<std::string, OutcomeVerdict>& verdicts, const std::string& priority) {
  auto it = verdicts.find(priority);
  if (it == verdicts.end()) return nullptr;
  return {{"id", it->second.id},
          {"verdict", it->second.verdict},
          {"decided_on", it->second.decided_on},
          {"meeting", it->second.meeting}};
}

void OutcomeCounts::count(const Record& priority, const std::map<std::string, OutcomeVerdict>& verdicts) {
  auto it = verdicts.find(priority.id());
  const std::string verdict = it == verdicts.end() ? std::string() : it->second.verdict;
  if (reopens(verdict)) ++reopened;
  if (text_value(priority, "status") != "resolved") return;
  ++resolved;
  if (verdict == "confirmed")
    ++confirmed;
  else
    ++awaiting_verdict;
}

json OutcomeCounts::to_json() const {
  return {{"resolved", resolved},
          {"confirmed", confirmed},
          {"awaiting_verdict", awaiting_verdict},
          {"reopened", reopened}};
}

}  // namespace psc
