// FieldRegister: the merge of one field of one record, as a multi-value
// register.
//
// The field's values are the changes no other change supersedes (the
// leaves). The displayed value is the leaf with the highest (hlc, device);
// any other leaf holding a different value is a conflict, kept and shown
// until a change whose base names all the leaves resolves it. The state is a pure function of the set of
// changes applied, whatever their order or repetition, so every replica
// converges to the same values and the same conflicts.
//
// Superseded changes are forgotten except for their id (needed so a late copy
// is recognised and a change superseded before it arrives never shows up).
// REQUIRES: a change's base never names the change itself or a later one; the
// device's clock guarantees it, as a base only names changes already seen.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "psc/change.hpp"
#include "psc/hlc.hpp"

namespace psc {

struct FieldValue {
  nlohmann::json value;
  Hlc hlc;
  std::string device;
  std::string actor;
  std::string change_id;
};

// Total order used to pick the displayed value: hlc first, device id breaks ties.
bool displays_before(const FieldValue& a, const FieldValue& b);

class FieldRegister {
 public:
  // Adds `change`; returns false when it was already known (a duplicate).
  // REQUIRES: change is for this register's field.
  bool apply(const Change& change);

  // REQUIRES: !empty(). The leaf with the highest (hlc, device).
  const FieldValue& winner() const;
  // All leaves, winner first, then the rest by descending (hlc, device).
  std::vector<const FieldValue*> leaves() const;
  // True when the leaves disagree. Concurrent writes of the same value (two
  // tablets marking a priority "adopted") are not a conflict to resolve.
  bool has_conflict() const;
  bool empty() const { return leaves_.empty(); }
  // True when the change `id` was applied to this register (duplicates are recognised by it).
  bool has_seen(const std::string& id) const { return seen_.count(id) > 0; }
  // Ids of all current leaves: the base of an edit that resolves the field.
  std::vector<std::string> leaf_ids() const;

 private:
  friend struct SnapshotCodec;  // replica_snapshot.cpp
  std::map<std::string, FieldValue> leaves_;  // by change id
  std::set<std::string> superseded_;          // ids named in some base
  std::set<std::string> seen_;                // ids of every change applied
};

}  // namespace psc
