#include "psc/validation.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "psc/coordinates.hpp"
#include "psc/derived_id.hpp"
#include "psc/record_id.hpp"
#include "psc/reference_lists.hpp"
#include "psc/schema.hpp"
#include "psc/scope.hpp"

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

// C0 controls other than tab and line breaks: no one types them, XML cannot
// hold them (the Open311 feed) and terminals interpret them.
bool has_control_character(const std::string& text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r';
  });
}

bool is_lower_hex(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// A vote names its voter by a pseudonym, because kiosks (which must never see
// who attended) receive votes: the attendance record's id (derived, 32 hex
// digits), or a kiosk ballot's random id.
bool is_voter_pseudonym(std::string_view voter) {
  if (voter.size() == 32) return is_lower_hex(voter);
  constexpr std::string_view kKiosk = "kiosk-";
  return voter.size() == kKiosk.size() + 16 && voter.substr(0, kKiosk.size()) == kKiosk &&
         is_lower_hex(voter.substr(kKiosk.size()));
}

using RecordKey = std::pair<std::string, std::string>;  // type, id

// Every id in a change's base names a change this field has already taken:
// applied to the replica, or earlier in the same batch for the same field.
// An author can only have seen those; any other id would supersede a change
// nobody has made yet (another tablet's next edit) and hide it.
Status base_is_known(const Change& change, const Record* existing, const std::vector<Change>& batch,
                     const std::unordered_map<std::string, std::size_t>& earlier) {
  const FieldRegister* reg = existing ? existing->field(change.field) : nullptr;
  for (const auto& id : change.base) {
    if (reg && reg->has_seen(id)) continue;
    if (auto it = earlier.find(id); it != earlier.end()) {
      const Change& named = batch[it->second];
      if (named.record_type == change.record_type && named.record_id == change.record_id &&
          named.field == change.field)
        continue;
    }
    return Status::error("unknown_base", change.record_type + "." + change.field + ": base names " + id +
                                             ", a change this field has not received");
  }
  return Status::ok();
}

// The neighborhood of a record: from the replica, or, for a record this
// batch creates, by following its scope field through the batch (a meeting
// and the priority raised at it, created together). Empty when unknown.
using BatchScopes = std::map<std::pair<std::string, std::string>, std::string>;  // (type, id) -> scope value
std::string neighborhood_in(const Replica& replica, const BatchScopes& batch, std::string type,
                            std::string id) {
  for (int hops = 0; hops < 4; ++hops) {
    if (type == "neighborhood") return id;
    if (const Record* r = replica.find(type, id); r && !r->fields().empty())
      return record_neighborhood(replica, type, id);
    const RecordSchema* schema = find_schema(type);
    auto link = batch.find({type, id});
    if (!schema || schema->scope_field.empty() || link == batch.end()) return {};
    type = schema->field(schema->scope_field)->ref_type;
    id = link->second;
  }
  return {};
}

// A closed meeting's record is final: its sign-ins, agenda, dots, tallies,
// action items and minutes take no change made after it was closed (reopen
// it first). A change stamped before the close (a tablet that was offline
// while another closed the meeting) is kept: it was made during the meeting.
// Checking an action item off is the exception: it is the follow-up the
// meeting asked for, done between meetings (the report-back lists what is
// still open), not a change to what the meeting decided.
// `batch_meetings`: record id -> the meeting a change of this batch names for it.
using BatchMeetings = std::unordered_map<std::string_view, const json*>;

Status meeting_is_open_for(const Change& change, const Record* existing, const BatchMeetings& batch_meetings,
                           const Replica& replica) {
  std::string meeting_id;
  if (change.record_type == "action_item" && change.field == "done") return Status::ok();
  if (change.record_type == "meeting") {
    if (change.field != "minutes" && change.field != "headcount") return Status::ok();
    meeting_id = change.record_id;
  } else {
    const RecordSchema* schema = find_schema(change.record_type);
    if (!schema || schema->scope_field != "meeting") return Status::ok();
    const json* link = existing && !existing->fields().empty() ? &existing->value("meeting") : nullptr;
    if (!link || link->is_null()) {
      auto named = batch_meetings.find(change.record_id);
      link = named == batch_meetings.end() ? nullptr : named->second;
    }
    if (!link || !link->is_string()) return Status::ok();  // a missing reference is refused elsewhere
    meeting_id = link->get<std::string>();
  }
  const Record* meeting = replica.find("meeting", meeting_id);
  const FieldRegister* status = meeting ? meeting->field("status") : nullptr;
  if (!status || status->empty() || status->winner().value != "closed") return Status::ok();
  if (change.hlc < status->winner().hlc) return Status::ok();
  return Status::error("meeting_closed", "meeting " + meeting_id + " is closed; reopen it to change " +
                                             change.record_type + "." + change.field);
}

bool exists_undeleted(const Replica& replica, const std::string& type, const std::string& id) {
  const Record* record = replica.find(type, id);
  return record != nullptr && !record->fields().empty() && !record->deleted();
}

}  // namespace

Status validate_change_shape(const Change& change) {
  const RecordSchema* schema = find_schema(change.record_type);
  if (!schema) return Status::error("unknown_type", "unknown record type \"" + change.record_type + "\"");

  // A base names what the author saw, so it is older than the change: the
  // device's clock ticks past every change it sees. A base from the future
  // would supersede an edit before it is made, and hide it without a conflict.
  for (const auto& id : change.base) {
    const auto parts = parse_change_id(id);
    if (!parts || !(parts->hlc < change.hlc))
      return Status::error("invalid_base", change.record_type + "." + change.field + ": base names " + id +
                                               ", which is not earlier than the change itself");
  }

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
      if (has_control_character(text))
        return invalid_field(change, "contains a control character (only tab and line breaks are allowed)");
      if (change.record_type == "vote" && change.field == "voter" && !is_voter_pseudonym(text))
        return invalid_field(
            change,
            "must be the voter's attendance id or a kiosk ballot id (kiosk-<16 hex digits>), "
            "never a name: kiosks receive votes");
      return Status::ok();
    }
    case FieldKind::enumeration: {
      if (!value.is_string()) return invalid_field(change, "must be text");
      const auto& text = value.get_ref<const std::string&>();
      // A department or category: the replica's list decides (validate_batch).
      if (!spec->listed_in.empty()) {
        if (!is_valid_record_id(text)) return invalid_field(change, "must be a " + spec->listed_in + " id");
        return Status::ok();
      }
      if (std::find(spec->allowed.begin(), spec->allowed.end(), text) == spec->allowed.end())
        return invalid_field(change, "\"" + text + "\" is not one of the allowed values");
      return Status::ok();
    }
    case FieldKind::integer: {
      if (!value.is_number_integer()) return invalid_field(change, "must be a whole number");
      const auto number = value.get<long long>();
      if (number < spec->min || number > spec->max)
        return invalid_field(
            change, "must be between " + std::to_string(spec->min) + " and " + std::to_string(spec->max));
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
    case FieldKind::coordinates:
      if (!value.is_string() || !parse_coordinates(value.get_ref<const std::string&>()))
        return invalid_field(change,
                             "must be a position as latitude,longitude in decimal degrees with at most 6 "
                             "decimals (for example 41.7637,-72.6851)");
      return Status::ok();
  }
  return invalid_field(change, "unsupported field kind");
}

std::vector<Status> validate_batch(const std::vector<Change>& batch, const Replica& replica) {
  std::vector<Status> results(batch.size());

  // 1. Shape, reference data, bases, and which records this batch creates.
  std::map<RecordKey, std::vector<std::size_t>> created;  // record -> change indexes
  std::unordered_map<std::string, std::size_t> earlier;   // change id -> index, shape-valid ones
  BatchMeetings batch_meetings;
  for (const Change& change : batch)
    if (change.field == "meeting") batch_meetings.emplace(change.record_id, &change.value);
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const Change& change = batch[i];
    const Record* existing = replica.find(change.record_type, change.record_id);
    const bool is_new = existing == nullptr || existing->fields().empty();
    if (is_new) created[{change.record_type, change.record_id}].push_back(i);
    results[i] = validate_change_shape(change);
    if (!results[i]) continue;
    earlier.emplace(change.id(), i);
    if (Status known = base_is_known(change, existing, batch, earlier); !known) {
      results[i] = known;
      continue;
    }
    const RecordSchema* schema = find_schema(change.record_type);
    if (schema->reference_data && !schema->coordinator_managed) {
      results[i] =
          Status::error("read_only", change.record_type + " is reference data; devices cannot change it");
    } else if (schema->coordinator_managed && change.field == kDeletedField) {
      // Priorities and commitments keep naming it: it is retired, not removed.
      results[i] = invalid_field(
          change, "a " + change.record_type + " is not deleted; set active to false to stop offering it");
    } else if (const FieldSpec* spec = schema->field(change.field);
               !is_new && spec && spec->immutable && existing->value(change.field) != change.value) {
      // Setting it to the value it has is no change: two tablets that create
      // the same derived-id record (one sign-in, one dot) both send it.
      results[i] = invalid_field(change, "cannot be changed after the record is created");
    } else if (Status open = meeting_is_open_for(change, existing, batch_meetings, replica); !open) {
      results[i] = open;
    }
  }

  // 2. A new record must receive every required field in this batch, and
  //    each immutable field (its scope among them) exactly once: the value
  //    authorized is then the value the merge shows. Its changes are
  //    accepted or refused together.
  for (const auto& [key, indexes] : created) {
    const RecordSchema* schema = find_schema(key.first);
    std::set<std::string> present;
    Status failure;
    for (std::size_t i : indexes) {
      if (!results[i]) {
        failure = results[i];
        continue;
      }
      const bool repeated = !present.insert(batch[i].field).second;
      const FieldSpec* spec = schema->field(batch[i].field);
      if (repeated && spec && spec->immutable)
        failure = invalid_field(batch[i], "set more than once; a record's " + batch[i].field +
                                              " is set once, when it is created");
    }
    if (failure.is_ok() && has_derived_id(key.first)) {
      // The identity is derived from the values the merge will show.
      std::map<std::string, const Change*> shown;
      for (std::size_t i : indexes) {
        const Change*& current = shown[batch[i].field];
        if (!current || displays_over(batch[i], *current)) current = &batch[i];
      }
      json fields = json::object();
      for (const auto& [field, change] : shown) fields[field] = change->value;
      const std::string expected = derived_id_for(key.first, fields);
      if (!expected.empty() && expected != key.second)
        failure = Status::error("invalid_id",
                                key.first + " id must be derived from its fields: expected " + expected);
    }
    if (failure.is_ok()) {
      for (const auto& spec : schema->fields)
        if (spec.required && !present.count(spec.name)) {
          failure = Status::error("missing_field",
                                  key.first + " " + key.second + " is new but has no \"" + spec.name + "\"");
          break;
        }
    }
    if (!failure.is_ok())
      for (std::size_t i : indexes)
        if (results[i]) results[i] = Status::error(failure.code(), "record refused: " + failure.message());
  }

  // A change refused from here on takes the whole creation it belongs to
  // with it (a record with a dangling or foreign reference is not made).
  auto refuse = [&](std::size_t i, const Status& failure) {
    auto group = created.find({batch[i].record_type, batch[i].record_id});
    if (group != created.end())
      for (std::size_t j : group->second) results[j] = failure;
    else
      results[i] = failure;
  };

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
    // The city's own scope has no neighborhood record; only a meeting names it.
    if (change.record_type == "meeting" && change.field == "neighborhood" && target == kCitywide) continue;
    if (!exists_undeleted(replica, spec->ref_type, target) && !created_ok.count({spec->ref_type, target})) {
      const Status failure = invalid_field(change, "no " + spec->ref_type + " \"" + target + "\"");
      refuse(i, failure);
    }
  }

  // 3b. A department or category names an entry of the city's list (the
  //     replica's records, or the built-in list before any: reference_lists.hpp).
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (!results[i]) continue;
    const Change& change = batch[i];
    const FieldSpec* spec = find_schema(change.record_type)->field(change.field);
    if (!spec || spec->listed_in.empty() || !change.value.is_string()) continue;
    const auto& value = change.value.get_ref<const std::string&>();
    if (is_listed_value(replica, *spec, value) || created_ok.count({spec->listed_in, value})) continue;
    refuse(i, invalid_field(change, "\"" + value + "\" is not one of the city's " + spec->listed_in +
                                        (spec->listed_in == "category" ? " list" : "s")));
  }

  // 4. References stay inside one neighborhood: a vote, tally, verdict or
  //    action item names a priority of its meeting's neighborhood, a priority
  //    is raised at a meeting of its own, a sign-in names an organization of
  //    the meeting's. Otherwise an organizer could take another
  //    neighborhood's priority id from the public Open311 feed and, at a
  //    meeting of its own, record a paper count or "confirmed" on it: that
  //    neighborhood's ranking or report-back would change without any of
  //    its organizers writing anything. Reference data (neighborhoods) and
  //    the scope field itself (it decides the neighborhood) are exempt.
  BatchScopes scopes;
  for (const Change& change : batch)
    if (const RecordSchema* schema = find_schema(change.record_type);
        schema && change.field == schema->scope_field && change.value.is_string())
      scopes[{change.record_type, change.record_id}] = change.value.get<std::string>();
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (!results[i]) continue;
    const Change& change = batch[i];
    const RecordSchema* schema = find_schema(change.record_type);
    const FieldSpec* spec = schema->field(change.field);
    if (!spec || spec->kind != FieldKind::reference || !change.value.is_string() ||
        change.field == schema->scope_field)
      continue;
    const RecordSchema* target_schema = find_schema(spec->ref_type);
    if (!target_schema || target_schema->reference_data) continue;
    const std::string own = neighborhood_in(replica, scopes, change.record_type, change.record_id);
    const std::string theirs =
        neighborhood_in(replica, scopes, spec->ref_type, change.value.get<std::string>());
    if (own.empty() || theirs.empty() || own == theirs) continue;
    // The leaders' meeting is about every neighborhood: its sign-ins name
    // the leaders' organizations and its action items their priorities.
    // Nothing there counts toward a neighborhood's ranking or verdicts
    // (votes, tallies and verdicts stay refused).
    if (own == kCitywide && (change.record_type == "attendance" || change.record_type == "action_item"))
      continue;
    const Status failure = invalid_field(change, spec->ref_type + " \"" + change.value.get<std::string>() +
                                                     "\" belongs to " + theirs + ", not " + own);
    refuse(i, failure);
  }

  // 5. A meeting of the city's own scope is the city-wide leaders' meeting
  //    and stays one: it takes its kind from its scope, or its agenda,
  //    sign-ins and check-off rules would apply to a meeting shown as a
  //    neighborhood's.
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const Change& change = batch[i];
    if (!results[i] || change.record_type != "meeting" || change.field != "kind" ||
        change.value == "citywide_leaders" ||
        neighborhood_in(replica, scopes, "meeting", change.record_id) != kCitywide)
      continue;
    const Status failure = invalid_field(change, "a city-wide meeting is a citywide_leaders meeting");
    refuse(i, failure);
  }
  return results;
}

}  // namespace psc
