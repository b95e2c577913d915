// LocalDevice: authoring changes on a device.
//
// Holds the device's replica and clock and turns user intents (create a
// record, set a field, delete) into validated changes with the right stamps
// and bases. An edit's base is every current leaf of the field, so editing a
// conflicted field is what resolves the conflict. The caller persists the
// returned changes (outbox) before telling the user they are saved.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "psc/change.hpp"
#include "psc/hlc.hpp"
#include "psc/replica.hpp"
#include "psc/status.hpp"

namespace psc {

class LocalDevice {
 public:
  LocalDevice(std::string device_id, std::string actor);

  // Creates a record of `type` with `fields` (an object) and a new id from
  // the random bits, or the derived id for attendance, vote and tally
  // (derived_id.hpp); creating such a record again only sets what differs
  // ("unchanged" when nothing does). On success the changes are already
  // applied locally.
  Result<std::vector<Change>> create(const std::string& type, const nlohmann::json& fields,
                                     uint64_t physical_ms, uint64_t random_high, uint64_t random_low);
  // Creates an entry of a list coordinators manage (a department or
  // category: schema.hpp coordinator_managed) under `id`, the slug that
  // priorities and commitments then name; "exists" when it does.
  Result<std::vector<Change>> create_listed(const std::string& type, const std::string& id,
                                            const nlohmann::json& fields, uint64_t physical_ms);
  // Sets one field of an existing record; base = the field's current leaves.
  Result<Change> set_field(const std::string& type, const std::string& id, const std::string& field,
                           const nlohmann::json& value, uint64_t physical_ms);
  Result<Change> remove(const std::string& type, const std::string& id, uint64_t physical_ms);

  // Applies a change received from elsewhere (or reloaded from storage) and
  // advances the clock past it. Returns false for a duplicate.
  bool receive(const Change& change, uint64_t physical_ms);
  // The same, taking the change's parts into the replica instead of copying them.
  bool receive(Change&& change, uint64_t physical_ms);

  // Replaces the replica with a decoded snapshot (replica_snapshot.hpp) and
  // advances the clock past its latest stamp, as receiving its changes would.
  // On error ("bad_snapshot") nothing changes.
  Status load_snapshot(std::string_view bytes, uint64_t physical_ms);

  const Replica& replica() const { return replica_; }
  HybridLogicalClock& clock() { return clock_; }
  const std::string& device_id() const { return device_id_; }
  const std::string& actor() const { return actor_; }
  void set_actor(std::string actor) { actor_ = std::move(actor); }

 private:
  Change make_change(const std::string& type, const std::string& id, const std::string& field,
                     nlohmann::json value, uint64_t physical_ms);

  std::string device_id_;
  std::string actor_;
  HybridLogicalClock clock_;
  Replica replica_;
};

}  // namespace psc
