// Replica: the materialized state of every record, built by applying changes.
//
// Both the server and every device hold one. apply() is idempotent and
// order-independent (see field_register.hpp); to_json() is canonical, so two
// replicas that saw the same set of changes serialize to identical bytes.
//
// Thread-safety: none; the owner serializes access.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "psc/change.hpp"
#include "psc/field_register.hpp"

namespace psc {

class Record {
 public:
  const std::string& type() const { return type_; }
  const std::string& id() const { return id_; }
  // True when the displayed value of `_deleted` is true.
  bool deleted() const;
  // Displayed value of a field; null when the field was never set.
  const nlohmann::json& value(const std::string& field) const;
  const FieldRegister* field(const std::string& field) const;
  const std::map<std::string, FieldRegister>& fields() const { return fields_; }
  bool has_conflict() const;
  // Earliest and latest stamp of any change applied to the record (superseded
  // ones included): when it was created and last changed. Pure functions of
  // the set of changes, so they converge like everything else.
  const Hlc& created() const { return created_; }
  const Hlc& updated() const { return updated_; }

  // {"type","id","deleted","created","updated","fields":{name:value},
  //  "meta":{name:{"hlc","device","actor","change"}},
  //  "conflicts":{name:[{"value","hlc","device","actor","change"}, ...]}}
  // Conflicts list every leaf of a conflicted field, displayed one first.
  nlohmann::json to_json() const;
  // The same without the per-field metadata ("deleted", "created", "updated",
  // "meta"): {"type","id","fields","conflicts"}, for long lists (a
  // neighborhood's ~1,200 priority cards), where the metadata was most of
  // the JSON and nobody showed it.
  nlohmann::json summary_json() const;

 private:
  friend class Replica;
  friend struct SnapshotCodec;  // replica_snapshot.cpp
  std::string type_;
  std::string id_;
  std::map<std::string, FieldRegister> fields_;
  Hlc created_{Hlc::kMaxMillis, Hlc::kMaxCounter};
  Hlc updated_{};
};

// One value of a field as JSON: {"value","hlc","device","actor","change"}
// (Record::to_json's conflicts, the conflicts queue).
nlohmann::json value_json(const FieldValue& value);

// A live record: created (has fields) and not deleted. Null is not live.
inline bool is_live(const Record* record) {
  return record && !record->fields().empty() && !record->deleted();
}
// The displayed value of a text field; empty when unset or not text.
std::string text_value(const Record& record, const std::string& field);
// The same as JSON, null when empty (optional fields in reports and exports).
nlohmann::json text_or_null(const Record& record, const std::string& field);

class Replica {
 public:
  Replica() = default;
  Replica(const Replica& other);
  Replica& operator=(const Replica& other);
  Replica(Replica&&) noexcept = default;
  Replica& operator=(Replica&&) noexcept = default;

  // Returns false when the change was already applied.
  bool apply(const Change& change);
  // The same, taking the change's value, device and actor instead of copying them.
  bool apply(Change&& change);

  // nullptr when no change for that record was ever applied.
  const Record* find(const std::string& type, const std::string& id) const;
  // Records of one type in id order, deleted ones included (callers filter).
  std::vector<const Record*> list(const std::string& type) const;
  void for_each(const std::function<void(const Record&)>& visit) const;

  std::size_t record_count() const;
  std::size_t applied_count() const { return applied_; }

  // Every record, by type then id. Canonical: equal states, equal bytes.
  nlohmann::json to_json() const;

 private:
  friend struct SnapshotCodec;  // replica_snapshot.cpp
  // A record by (type, id) through a hash instead of two ordered-map
  // descents: finding records is most of validating and authorizing a
  // change. The views point into the records' own type and id, which never
  // move (map nodes), so the index is rebuilt only on copy.
  struct Key {
    std::string_view type, id;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const {
      return std::hash<std::string_view>{}(k.id) * 31 + std::hash<std::string_view>{}(k.type);
    }
  };
  void rebuild_index();
  Record& record_for(const Change& change);

  std::map<std::string, std::map<std::string, Record>> records_;  // type -> id -> record
  std::unordered_map<Key, Record*, KeyHash> index_;
  std::size_t applied_ = 0;
};

}  // namespace psc
