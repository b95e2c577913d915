#include "psc/authorization.hpp"

#include <algorithm>
#include <map>

#include "psc/derived_id.hpp"
#include "psc/schema.hpp"
#include "psc/scope.hpp"

namespace psc {
namespace {

using RecordKey = std::pair<std::string, std::string>;

Status forbidden(const std::string& message) { return Status::error("forbidden", message); }

// What the batch says about records it creates: field -> the change the merge
// will display (highest (hlc, device)), whatever the order of the batch.
using BatchFields = std::map<RecordKey, std::map<std::string, const Change*>>;

bool exists(const Replica& replica, const std::string& type, const std::string& id) {
  const Record* r = replica.find(type, id);
  return r && !r->fields().empty();
}

// The value of `field` for a record, from the replica or, for a record the
// batch creates, from the batch.
nlohmann::json field_value(const Replica& replica, const BatchFields& batch, const std::string& type,
                           const std::string& id, const std::string& field) {
  if (const Record* r = replica.find(type, id); r && !r->fields().empty()) return r->value(field);
  auto it = batch.find({type, id});
  if (it == batch.end()) return nullptr;
  auto f = it->second.find(field);
  return f == it->second.end() ? nlohmann::json() : f->second->value;
}

// The neighborhood of a record that may exist only in the batch.
std::string neighborhood_of(const Replica& replica, const BatchFields& batch, const std::string& type,
                            const std::string& id) {
  if (exists(replica, type, id)) return record_neighborhood(replica, type, id);
  if (type == "neighborhood") return id;
  const RecordSchema* schema = find_schema(type);
  if (!schema || schema->scope_field.empty()) return {};
  const auto link = field_value(replica, batch, type, id, schema->scope_field);
  if (!link.is_string()) return {};
  const std::string& target_type = schema->field(schema->scope_field)->ref_type;
  if (target_type == "neighborhood") return link.get<std::string>();
  if (exists(replica, target_type, link.get<std::string>()))
    return record_neighborhood(replica, target_type, link.get<std::string>());
  // A scope chain entirely inside the batch (a meeting and its agenda).
  return neighborhood_of(replica, batch, target_type, link.get<std::string>());
}

// True when `all` sets every field a record of `type` takes its derived id
// from (attendance: meeting, name; vote: meeting, priority, voter): the
// changes are a whole sign-in or dot, not an edit of one field.
bool names_whole_identity(const std::vector<Change>& all, const std::string& type, const std::string& id) {
  const std::vector<std::string> identity = type == "vote"
                                                ? std::vector<std::string>{"meeting", "priority", "voter"}
                                                : std::vector<std::string>{"meeting", "name"};
  return std::all_of(identity.begin(), identity.end(), [&](const std::string& field) {
    return std::any_of(all.begin(), all.end(), [&](const Change& c) {
      return c.record_id == id && c.record_type == type && c.field == field;
    });
  });
}

Status authorize_one(const Principal& p, const Change& change, const Replica& replica,
                     const BatchFields& batch, const std::vector<Change>& all) {
  const std::string& type = change.record_type;
  const bool creating = !exists(replica, type, change.record_id);
  const std::string neighborhood = neighborhood_of(replica, batch, type, change.record_id);

  switch (p.role) {
    case Role::coordinator:
    case Role::viewer:
    case Role::organizer:
    case Role::liaison: {
      const auto department = type == "commitment"
                                  ? field_value(replica, batch, type, change.record_id, "department")
                                  : nlohmann::json();
      if (may_edit(p, type, neighborhood,
                   department.is_string() ? department.get_ref<const std::string&>() : ""))
        return Status::ok();
      // The assignee of a leaders' meeting action item checks it off. The
      // record exists, so the assignment read is the replica's, which only
      // a coordinator sets: the same batch cannot assign it to oneself.
      if (type == "action_item" && change.field == "done" && !creating && neighborhood == kCitywide) {
        const auto assigned_neighborhood =
            field_value(replica, batch, type, change.record_id, "neighborhood");
        const auto assigned_department = field_value(replica, batch, type, change.record_id, "department");
        if (may_check_off(p,
                          assigned_neighborhood.is_string() ? assigned_neighborhood.get<std::string>() : "",
                          assigned_department.is_string() ? assigned_department.get<std::string>() : ""))
          return Status::ok();
      }
      if (p.role == Role::viewer) return forbidden("a viewer cannot change anything");
      if (neighborhood == kCitywide && p.role != Role::coordinator)
        return forbidden(p.role == Role::viewer
                             ? "a viewer cannot change anything"
                             : "only coordinators change the city-wide leaders' meeting; its "
                               "action items are checked off by the department or neighborhood "
                               "they are assigned to");
      if (p.role == Role::liaison) {
        if (type != "commitment") return forbidden("a department liaison can only record commitments");
        return forbidden("a liaison of " + p.department + " can only change " + p.department +
                         " commitments");
      }
      if (const RecordSchema* schema = find_schema(type); schema && schema->coordinator_managed)
        return forbidden("only coordinators manage the city's departments and categories");
      if (neighborhood.empty())
        return forbidden(type + " " + change.record_id + " belongs to no known neighborhood");
      return forbidden("an organizer of " + p.neighborhood + " cannot change records of " + neighborhood);
    }
    case Role::kiosk: {
      if (neighborhood != p.neighborhood)
        return forbidden("this kiosk belongs to " + p.neighborhood + ", not " + neighborhood);
      if (change.field == kDeletedField) return forbidden("a kiosk cannot delete records");
      if (type == "vote" || type == "attendance") {
        // Signing in (or placing a dot) again is answered exactly like the
        // first time, or a kiosk would learn who signed in from which names
        // are refused. The record's id is derived from its identity, so a
        // second sign-in names the same record; its values join the merge as
        // any second tablet's would (a different role shows as a conflict),
        // and with no base they can never replace what others wrote.
        if (creating) return Status::ok();
        if (!change.base.empty() || !names_whole_identity(all, type, change.record_id))
          return forbidden("a kiosk cannot edit existing records");
        if (type == "attendance" && change.field == "name") {
          const auto meeting = field_value(replica, batch, type, change.record_id, "meeting");
          if (!change.value.is_string() || !meeting.is_string() ||
              attendance_id(meeting.get<std::string>(), change.value.get<std::string>()) != change.record_id)
            return forbidden("a kiosk cannot rename who signed in");
        }
        return Status::ok();
      }
      if (!creating) return forbidden("a kiosk cannot edit or delete existing records");
      if (type == "priority") {
        if (change.field == "status" && change.value != "proposed")
          return forbidden("a kiosk can only propose priorities (status \"proposed\")");
        if (change.field == "rank") return forbidden("a kiosk cannot rank priorities");
        if (change.field == "adopted_on") return forbidden("a kiosk cannot adopt priorities");
        return Status::ok();
      }
      return forbidden("a kiosk can only add concerns, votes and its own sign-in");
    }
  }
  return forbidden("unknown role");
}

}  // namespace

bool may_edit(const Principal& principal, std::string_view type, std::string_view neighborhood,
              std::string_view department) {
  switch (principal.role) {
    case Role::coordinator:
      return true;
    case Role::organizer:
      return !neighborhood.empty() && neighborhood == principal.neighborhood;
    case Role::liaison:
      return type == "commitment" && !department.empty() && department == principal.department;
    case Role::viewer:
    case Role::kiosk:
      return false;
  }
  return false;
}

bool may_check_off(const Principal& principal, std::string_view assigned_neighborhood,
                   std::string_view assigned_department) {
  switch (principal.role) {
    case Role::coordinator:
      return true;
    case Role::organizer:
      return !assigned_neighborhood.empty() && assigned_neighborhood == principal.neighborhood;
    case Role::liaison:
      return !assigned_department.empty() && assigned_department == principal.department;
    case Role::viewer:
    case Role::kiosk:
      return false;
  }
  return false;
}

std::string_view role_name(Role role) {
  switch (role) {
    case Role::coordinator:
      return "coordinator";
    case Role::organizer:
      return "organizer";
    case Role::liaison:
      return "liaison";
    case Role::kiosk:
      return "kiosk";
    case Role::viewer:
      return "viewer";
  }
  return "viewer";
}

std::optional<Role> role_from_name(std::string_view name) {
  for (Role r : {Role::coordinator, Role::organizer, Role::liaison, Role::kiosk, Role::viewer})
    if (role_name(r) == name) return r;
  return std::nullopt;
}

std::vector<Status> authorize_batch(const Principal& principal, const std::vector<Change>& batch,
                                    const Replica& replica) {
  BatchFields created;
  for (const auto& c : batch)
    if (!exists(replica, c.record_type, c.record_id)) {
      const Change*& shown = created[{c.record_type, c.record_id}][c.field];
      if (!shown || displays_over(c, *shown)) shown = &c;
    }

  std::vector<Status> results;
  results.reserve(batch.size());
  for (const auto& change : batch) {
    if (change.actor != principal.account)
      results.push_back(Status::error(
          "actor_mismatch",
          "change is signed \"" + change.actor + "\" but was sent by \"" + principal.account + "\""));
    else if (change.device != principal.device)
      results.push_back(Status::error("device_mismatch", "change is stamped by device \"" + change.device +
                                                             "\" but was sent by device \"" +
                                                             principal.device + "\""));
    else
      results.push_back(authorize_one(principal, change, replica, created, batch));
  }
  return results;
}

ReadScope read_scope(const Principal& p) {
  switch (p.role) {
    case Role::coordinator:
      return {};
    case Role::organizer:
      return {{}, p.neighborhood, true};
    case Role::viewer:
      return {{}, p.neighborhood, true};
    case Role::liaison:
      return {{"priority", "commitment", "outcome"}, "", true};
    case Role::kiosk:
      return {{"priority", "meeting", "vote", "tally"}, p.neighborhood};
  }
  return {{"none"}, "none"};
}

bool may_read(const ReadScope& scope, std::string_view record_type, std::string_view record_neighborhood) {
  if (const RecordSchema* s = find_schema(record_type); s && s->reference_data) return true;
  if (record_neighborhood == kCitywide)
    return scope.citywide || (scope.types.empty() && scope.neighborhood.empty());
  if (!scope.types.empty() &&
      std::find(scope.types.begin(), scope.types.end(), record_type) == scope.types.end())
    return false;
  return scope.neighborhood.empty() || scope.neighborhood == record_neighborhood;
}

}  // namespace psc
