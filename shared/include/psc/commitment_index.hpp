// CommitmentIndex: the live commitments of each priority, by department,
// built once per report (every city-wide view needs "which departments
// answered this priority, and how").
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "psc/replica.hpp"

namespace psc {

class CommitmentIndex {
 public:
  explicit CommitmentIndex(const Replica& replica);

  // Live commitments of `priority` by `department`, oldest first (then by id).
  const std::vector<const Record*>& of(const std::string& priority, const std::string& department) const;
  // Every department with a live commitment on `priority`, in slug order.
  std::set<std::string> departments(const std::string& priority) const;
  // Live commitments of `priority`, by department slug then oldest first.
  std::vector<const Record*> all(const std::string& priority) const;

 private:
  std::map<std::string, std::map<std::string, std::vector<const Record*>>> by_priority_;
};

// The departments a priority is addressed to: the one the PSC named on it
// plus every department that has committed to it; slug order.
std::set<std::string> addressed_departments(const Record& priority, const CommitmentIndex& commitments);

// One commitment as every city-wide view shows it: {id, department, summary,
// status, expected_date, status_notes, responder, overdue} (null for fields
// not set). The liaison's work list and the report-back agenda add their own.
nlohmann::json commitment_json(const Record& commitment, bool overdue);

}  // namespace psc
