#include "psc/local_device.hpp"

#include "psc/derived_id.hpp"
#include "psc/record_id.hpp"
#include "psc/replica_snapshot.hpp"
#include "psc/schema.hpp"
#include "psc/validation.hpp"

namespace psc {

using nlohmann::json;

LocalDevice::LocalDevice(std::string device_id, std::string actor)
    : device_id_(std::move(device_id)), actor_(std::move(actor)) {}

Change LocalDevice::make_change(const std::string& type, const std::string& id, const std::string& field,
                                json value, uint64_t physical_ms) {
  Change change;
  change.record_type = type;
  change.record_id = id;
  change.field = field;
  change.value = std::move(value);
  change.hlc = clock_.tick(physical_ms);
  change.device = device_id_;
  change.actor = actor_;
  if (const Record* record = replica_.find(type, id))
    if (const FieldRegister* reg = record->field(field)) change.base = reg->leaf_ids();
  return change;
}

namespace {
Status first_error(const std::vector<Status>& results) {
  for (const auto& s : results)
    if (!s) return s;
  return Status::ok();
}
}  // namespace

Result<std::vector<Change>> LocalDevice::create(const std::string& type, const json& fields,
                                                uint64_t physical_ms, uint64_t random_high,
                                                uint64_t random_low) {
  if (!fields.is_object()) return Status::error("invalid_argument", "fields must be an object");
  std::string id = new_record_id(random_high, random_low);
  if (has_derived_id(type)) {
    id = derived_id_for(type, fields);
    if (id.empty()) return Status::error("missing_field", type + " needs its identifying fields");
  }
  std::vector<Change> changes;
  const Record* existing = replica_.find(type, id);
  if (existing && !existing->fields().empty()) {
    // A derived id that exists already (the same person signed in twice, the
    // same dot placed again): creating it again only sets what differs.
    if (existing->deleted()) changes.push_back(make_change(type, id, kDeletedField, false, physical_ms));
    // Immutable fields are skipped: the id is derived from them, so they are
    // equal by construction even where this device knows the record only in part.
    const RecordSchema* schema = find_schema(type);
    for (const auto& [field, value] : fields.items()) {
      const FieldSpec* spec = schema ? schema->field(field) : nullptr;
      if (spec && spec->immutable) continue;
      if (existing->value(field) != value)
        changes.push_back(make_change(type, id, field, value, physical_ms));
    }
  } else {
    for (const auto& [field, value] : fields.items())
      changes.push_back(make_change(type, id, field, value, physical_ms));
  }
  if (auto s = first_error(validate_batch(changes, replica_)); !s) return s;
  for (const auto& change : changes) replica_.apply(change);
  if (changes.empty())
    return Status::error("unchanged", type + " " + id + " already exists with these values");
  return changes;
}

Result<std::vector<Change>> LocalDevice::create_listed(const std::string& type, const std::string& id,
                                                       const json& fields, uint64_t physical_ms) {
  const RecordSchema* schema = find_schema(type);
  if (!schema || !schema->coordinator_managed)
    return Status::error("invalid_argument", type + " is not a list coordinators manage");
  if (!fields.is_object()) return Status::error("invalid_argument", "fields must be an object");
  if (!is_valid_record_id(id)) return Status::error("invalid_id", "\"" + id + "\" cannot be an id");
  if (const Record* existing = replica_.find(type, id); existing && !existing->fields().empty())
    return Status::error("exists", type + " \"" + id + "\" exists already");
  std::vector<Change> changes;
  for (const auto& [field, value] : fields.items())
    changes.push_back(make_change(type, id, field, value, physical_ms));
  if (auto s = first_error(validate_batch(changes, replica_)); !s) return s;
  for (const auto& change : changes) replica_.apply(change);
  return changes;
}

Result<Change> LocalDevice::set_field(const std::string& type, const std::string& id,
                                      const std::string& field, const json& value, uint64_t physical_ms) {
  const Record* record = replica_.find(type, id);
  if (!record || record->fields().empty())
    return Status::error("not_found", "no " + type + " \"" + id + "\"");
  Change change = make_change(type, id, field, value, physical_ms);
  if (auto s = first_error(validate_batch({change}, replica_)); !s) return s;
  replica_.apply(change);
  return change;
}

Result<Change> LocalDevice::remove(const std::string& type, const std::string& id, uint64_t physical_ms) {
  return set_field(type, id, kDeletedField, true, physical_ms);
}

bool LocalDevice::receive(const Change& change, uint64_t physical_ms) {
  clock_.observe(change.hlc, physical_ms);
  return replica_.apply(change);
}

bool LocalDevice::receive(Change&& change, uint64_t physical_ms) {
  clock_.observe(change.hlc, physical_ms);
  return replica_.apply(std::move(change));
}

Status LocalDevice::load_snapshot(std::string_view bytes, uint64_t physical_ms) {
  auto decoded = decode_snapshot(bytes);
  if (!decoded) return decoded.status();
  replica_ = std::move(decoded.value());
  clock_.observe(latest_stamp(replica_), physical_ms);
  return Status::ok();
}

}  // namespace psc
