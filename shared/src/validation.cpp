#include "psc/validation.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "psc/derived_id.hpp"
#include "psc/schema.hpp"

namespace psc {
namespace {

using nlohmann::json;

Status invalid_field(const Change& change, const std::string& why) {
  return Status::error("invalid_field", change.record_type + "." + change.field + ": " + why);
}

bool is_blank(const std::string& text) {
  return std::all_of(text.begin(), text.end(),
                     [](unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

using RecordKey = std::pair<std::string, std::string>;  // type, id

bool exists_undeleted(const Replica& replica, const std::string& type, const std::string& id) {
  const Record* record = replica.find(type, id);
  return record != nullptr && !record->fields().empty() && !record->deleted();
}

}  // namespace

Status validate_change_shape(const Change& change) {
  const RecordSchema* schema = find_schema(change.record_type);
  if (!schema) return Status::error("unknown_type", "unknown record type \"" + change.record_type + "\"");

  if (change.field == kDeletedField) {
    if (!change.value.is_boolean()) return invalid_field(change, "must be true or false");
    return Status::ok();
  }
  const FieldSpec* spec = schema->field(change.field);
  if (!spec) return invalid_field(change, "no such field");

  const json& value = change.value;
  if (value.is_null()) {
    if (spec->required) return invalid_field(change, "is required");
    return Status::ok();
  }
  switch (spec->kind) {
    case FieldKind::text: {
      if (!value.is_string()) return invalid_field(change, "must be text");
      const auto& text = value.get_ref<const std::string&>();
      if (text.size() > spec->max_length)
        return invalid_field(change, "longer than " + std::to_string(spec->max_length) + " bytes");
      if (spec->required && is_blank(text)) return invalid_field(change, "is required");
      return Status::ok();
    }
    case FieldKind::enumeration: {
      if (!value.is_string()) return invalid_field(change, "must be text");
      const auto& text = value.get_ref<const std::string&>();
      if (std::find(spec->allowed.begin(), spec->allowed.end(), text) == spec->allowed.end())
        return invalid_field(change, "\"" + text + "\" is not one of the allowed values");
      return Status::ok();
    }
    case FieldKind::integer: {
      if (!value.is_number_integer()) return invalid_field(change, "must be a whole number");
      const auto number = value.get<long long>();
      if (number < spec->min || number > spec->max)
        return invalid_field(change, "must be between " + std::to_string(spec->min) + " and " +
                                         std::to_string(spec->max));
      return Status::ok();
    }
    case FieldKind::boolean:
      if (!value.is_boolean()) return invalid_field(change, "must be true or false");
      return Status::ok();
    case FieldKind::reference:
      if (!value.is_string()) return invalid_field(change, "must be a record id");
      return Status::ok();  // existence is checked against the replica in validate_batch
    case FieldKind::date:
      if (!value.is_string() || !is_valid_date(value.get_ref<const std::string&>()))
        return invalid_field(change, "must be a date as YYYY-MM-DD");
      return Status::ok();
    case FieldKind::datetime:
      if (!value.is_string() || !is_valid_datetime(value.get_ref<const std::string&>()))
        return invalid_field(change, "must be a UTC time as YYYY-MM-DDTHH:MM:SSZ");
      return Status::ok();
  }
  return invalid_field(change, "unsupported field kind");
}

std::vector<Status> validate_batch(const std::vector<Change>& batch, const Replica& replica) {
  std::vector<Status> results(batch.size());

  // 1. Shape, reference data, and which records this batch creates.
  std::map<RecordKey, std::vector<std::size_t>> created;  // record -> change indexes
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const Change& change = batch[i];
    const Record* existing = replica.find(change.record_type, change.record_id);
    const bool is_new = existing == nullptr || existing->fields().empty();
    if (is_new) created[{change.record_type, change.record_id}].push_back(i);
    results[i] = validate_change_shape(change);
    if (!results[i]) continue;
    const RecordSchema* schema = find_schema(change.record_type);
    if (schema->reference_data) {
      results[i] = Status::error("read_only", change.record_type + " is reference data; devices cannot change it");
    } else if (const FieldSpec* spec = schema->field(change.field);
               !is_new && spec && spec->immutable && existing->value(change.field) != change.value) {
      // Setting it to the value it has is no change: two tablets that create
      // the same derived-id record (one sign-in, one dot) both send it.
      results[i] = invalid_field(change, "cannot be changed after the record is created");
    }
  }

  // 2. A new record must receive every required field in this batch; its
  //    changes are accepted or refused together.
  for (const auto& [key, indexes] : created) {
    const RecordSchema* schema = find_schema(key.first);
    std::set<std::string> present;
    Status failure;
    for (std::size_t i : indexes) {
      if (!results[i]) failure = results[i];
      else present.insert(batch[i].field);
    }
    if (failure.is_ok() && has_derived_id(key.first)) {
      json fields = json::object();
      for (std::size_t i : indexes) fields[batch[i].field] = batch[i].value;
      const std::string expected = derived_id_for(key.first, fields);
      if (!expected.empty() && expected != key.second)
        failure = Status::error("invalid_id", key.first + " id must be derived from its fields: expected " + expected);
    }
    if (failure.is_ok()) {
      for (const auto& spec : schema->fields)
        if (spec.required && !present.count(spec.name)) {
          failure = Status::error("missing_field", key.first + " " + key.second + " is new but has no \"" +
                                                       spec.name + "\"");
          break;
        }
    }
    if (!failure.is_ok())
      for (std::size_t i : indexes)
        if (results[i]) results[i] = Status::error(failure.code(), "record refused: " + failure.message());
  }

  // 3. References point at records that exist (or are created, validly, here).
  std::set<RecordKey> created_ok;
  for (const auto& [key, indexes] : created)
    if (results[indexes.front()]) created_ok.insert(key);
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (!results[i]) continue;
    const Change& change = batch[i];
    const FieldSpec* spec = find_schema(change.record_type)->field(change.field);
    if (!spec || spec->kind != FieldKind::reference || change.value.is_null()) continue;
    const auto& target = change.value.get_ref<const std::string&>();
    if (!exists_undeleted(replica, spec->ref_type, target) && !created_ok.count({spec->ref_type, target})) {
      const Status failure = invalid_field(change, "no " + spec->ref_type + " \"" + target + "\"");
      // A creation with a dangling reference fails as a whole.
      auto group = created.find({change.record_type, change.record_id});
      if (group != created.end())
        for (std::size_t j : group->second) results[j] = failure;
      else
        results[i] = failure;
    }
  }
  return results;
}

}  // namespace psc
