#include "psc/commitment_index.hpp"

#include <algorithm>

namespace psc {

CommitmentIndex::CommitmentIndex(const Replica& replica) {
  for (const Record* c : replica.list("commitment")) {
    if (!is_live(c)) continue;
    const std::string priority = text_value(*c, "priority");
    if (!is_live(replica.find("priority", priority))) continue;
    by_priority_[priority][text_value(*c, "department")].push_back(c);
  }
  for (auto& [_, departments] : by_priority_)
    for (auto& [__, list] : departments)
      std::sort(list.begin(), list.end(), [](const Record* a, const Record* b) {
        if (a->created() != b->created()) return a->created() < b->created();
        return a->id() < b->id();
      });
}

const std::vector<const Record*>& CommitmentIndex::of(const std::string& priority,
                                                      const std::string& department) const {
  static const std::vector<const Record*> kNone;
  auto p = by_priority_.find(priority);
  if (p == by_priority_.end()) return kNone;
  auto d = p->second.find(department);
  return d == p->second.end() ? kNone : d->second;
}

std::set<std::string> CommitmentIndex::departments(const std::string& priority) const {
  std::set<std::string> out;
  auto p = by_priority_.find(priority);
  if (p != by_priority_.end())
    for (const auto& [department, _] : p->second) out.insert(department);
  return out;
}

std::vector<const Record*> CommitmentIndex::all(const std::string& priority) const {
  std::vector<const Record*> out;
  auto p = by_priority_.find(priority);
  if (p != by_priority_.end())
    for (const auto& [_, list] : p->second) out.insert(out.end(), list.begin(), list.end());
  return out;
}

std::set<std::string> addressed_departments(const Record& priority, const CommitmentIndex& commitments) {
  std::set<std::string> out = commitments.departments(priority.id());
  const std::string named = text_value(priority, "department");
  if (!named.empty()) out.insert(named);
  return out;
}

nlohmann::json commitment_json(const Record& c, bool overdue) {
  return {{"id", c.id()},
          {"department", text_value(c, "department")},
          {"summary", text_value(c, "summary")},
          {"status", text_value(c, "status")},
          {"expected_date", text_or_null(c, "expected_date")},
          {"status_notes", text_or_null(c, "status_notes")},
          {"responder", text_or_null(c, "responder")},
          {"overdue", overdue}};
}

}  // namespace psc
