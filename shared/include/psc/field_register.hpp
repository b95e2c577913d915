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
//
// Layout: a register is held for every field of every record on every device
// (a coordinator's tablet holds ~100,000), so it is kept flat: the leaves in a
// small vector (almost always one), and ids as (stamp, device) rather than
// "hlc@device" text. A change applied is either a leaf or superseded, so the
// ids seen need no set of their own: a superseded id records whether that
// change was itself applied.
// REQUIRES: a change's base never names the change itself or a later one; the
// device's clock guarantees it, as a base only names changes already seen.
#pragma once

#include <string>
#include <string_view>
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

  // The id of the change that wrote it: "<hlc>@<device>".
  std::string change_id() const { return Change::change_id(hlc, device); }
};

class FieldRegister {
 public:
  // Adds `change`; returns false when it was already known (a duplicate).
  // REQUIRES: change is for this register's field.
  bool apply(const Change& change);
  // The same, taking the change's value, device and actor instead of copying them.
  bool apply(Change&& change);

  // REQUIRES: !empty(). The leaf with the highest (hlc, device).
  const FieldValue& winner() const;
  // All leaves, winner first, then the rest by descending (hlc, device).
  std::vector<const FieldValue*> leaves() const;
  // True when the leaves disagree. Concurrent writes of the same value (two
  // tablets marking a priority "adopted") are not a conflict to resolve.
  bool has_conflict() const;
  bool empty() const { return leaves_.empty(); }
  // True when the change `id` was applied to this register (duplicates are recognised by it).
  bool has_seen(std::string_view id) const;
  // Ids of all current leaves: the base of an edit that resolves the field.
  std::vector<std::string> leaf_ids() const;

 private:
  friend struct SnapshotCodec;  // replica_snapshot.cpp
  template <class C>
  bool apply_change(C&& change);

  // A change id named in some base.
  struct Superseded {
    Hlc hlc;
    std::string device;
    bool applied = false;  // the change itself was applied here too
  };
  // Both sorted by (hlc, device), which is the order of the id text.
  std::vector<FieldValue> leaves_;
  std::vector<Superseded> superseded_;
};

}  // namespace psc
