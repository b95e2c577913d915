#include "psc/replica.hpp"

#include <algorithm>

namespace psc {

using nlohmann::json;

namespace {
const json& null_json() {
  static const json kNull;
  return kNull;
}
}  // namespace

json value_json(const FieldValue& value) {
  return json{{"value", value.value},
              {"hlc", value.hlc.to_text()},
              {"device", value.device},
              {"actor", value.actor},
              {"change", value.change_id()}};
}

std::string text_value(const Record& record, const std::string& field) {
  const json& v = record.value(field);
  return v.is_string() ? v.get<std::string>() : std::string();
}

json text_or_null(const Record& record, const std::string& field) {
  std::string value = text_value(record, field);
  return value.empty() ? json() : json(std::move(value));
}

bool Record::deleted() const {
  const json& flag = value(kDeletedField);
  return flag.is_boolean() && flag.get<bool>();
}

const json& Record::value(const std::string& name) const {
  auto it = fields_.find(name);
  if (it == fields_.end() || it->second.empty()) return null_json();
  return it->second.winner().value;
}

const FieldRegister* Record::field(const std::string& name) const {
  auto it = fields_.find(name);
  return it == fields_.end() ? nullptr : &it->second;
}

bool Record::has_conflict() const {
  for (const auto& [_, reg] : fields_)
    if (reg.has_conflict()) return true;
  return false;
}

namespace {
// Each field's displayed value into `fields`, every leaf of a conflicted
// field into `conflicts`, and with `meta` who wrote the displayed value.
void describe_fields(const std::map<std::string, FieldRegister>& registers, json& fields, json& conflicts,
                     json* meta) {
  for (const auto& [name, reg] : registers) {
    if (reg.empty()) continue;
    const FieldValue& winner = reg.winner();
    fields[name] = winner.value;
    if (meta) {
      json m = value_json(winner);
      m.erase("value");
      (*meta)[name] = std::move(m);
    }
    if (reg.has_conflict()) {
      json leaves = json::array();
      for (const FieldValue* leaf : reg.leaves()) leaves.push_back(value_json(*leaf));
      conflicts[name] = std::move(leaves);
    }
  }
}
}  // namespace

json Record::to_json() const {
  json fields = json::object(), meta = json::object(), conflicts = json::object();
  describe_fields(fields_, fields, conflicts, &meta);
  return json{{"type", type_},
              {"id", id_},
              {"deleted", deleted()},
              {"created", created_.to_text()},
              {"updated", updated_.to_text()},
              {"fields", std::move(fields)},
              {"meta", std::move(meta)},
              {"conflicts", std::move(conflicts)}};
}

json Record::summary_json() const {
  json fields = json::object(), conflicts = json::object();
  describe_fields(fields_, fields, conflicts, nullptr);
  return json{
      {"type", type_}, {"id", id_}, {"fields", std::move(fields)}, {"conflicts", std::move(conflicts)}};
}

Replica::Replica(const Replica& other) : records_(other.records_), applied_(other.applied_) {
  rebuild_index();
}

Replica& Replica::operator=(const Replica& other) {
  if (this != &other) {
    records_ = other.records_;
    applied_ = other.applied_;
    rebuild_index();
  }
  return *this;
}

void Replica::rebuild_index() {
  index_.clear();
  for (auto& [_, by_id] : records_)
    for (auto& [__, record] : by_id) index_.emplace(Key{record.type_, record.id_}, &record);
}

Record& Replica::record_for(const Change& change) {
  auto found = index_.find(Key{change.record_type, change.record_id});
  if (found != index_.end()) return *found->second;
  Record* record = &records_[change.record_type][change.record_id];
  record->type_ = change.record_type;
  record->id_ = change.record_id;
  index_.emplace(Key{record->type_, record->id_}, record);
  return *record;
}

bool Replica::apply(const Change& change) {
  Record& record = record_for(change);
  const bool fresh = record.fields_[change.field].apply(change);
  if (fresh) {
    ++applied_;
    record.created_ = std::min(record.created_, change.hlc);
    record.updated_ = std::max(record.updated_, change.hlc);
  }
  return fresh;
}

bool Replica::apply(Change&& change) {
  Record& record = record_for(change);
  const Hlc hlc = change.hlc;
  const bool fresh = record.fields_[change.field].apply(std::move(change));
  if (fresh) {
    ++applied_;
    record.created_ = std::min(record.created_, hlc);
    record.updated_ = std::max(record.updated_, hlc);
  }
  return fresh;
}

const Record* Replica::find(const std::string& type, const std::string& id) const {
  auto it = index_.find(Key{type, id});
  return it == index_.end() ? nullptr : it->second;
}

std::vector<const Record*> Replica::list(const std::string& type) const {
  std::vector<const Record*> out;
  auto by_type = records_.find(type);
  if (by_type == records_.end()) return out;
  out.reserve(by_type->second.size());
  for (const auto& [_, record] : by_type->second) out.push_back(&record);
  return out;
}

void Replica::for_each(const std::function<void(const Record&)>& visit) const {
  for (const auto& [_, by_id] : records_)
    for (const auto& [__, record] : by_id) visit(record);
}

std::size_t Replica::record_count() const {
  std::size_t n = 0;
  for (const auto& [_, by_id] : records_) n += by_id.size();
  return n;
}

json Replica::to_json() const {
  json out = json::object();
  for (const auto& [type, by_id] : records_) {
    json records = json::object();
    for (const auto& [id, record] : by_id) records[id] = record.to_json();
    out[type] = std::move(records);
  }
  return out;
}

}  // namespace psc
