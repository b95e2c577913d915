// Authorization: who may write and read what (PRODUCT.md, "Roles").
//
//   role         reads                                        writes
//   coordinator  everything                                   everything
//   organizer    own neighborhood + reference data            all records of own neighborhood
//   liaison      priorities, commitments and residents'       commitments of own department only
//                verdicts (outcomes) city-wide
//   kiosk        own neighborhood's priorities, meetings,     new priorities (proposed only), votes,
//                votes and tallies; never attendee names      its own sign-in (attendance); nothing else
//   viewer       own neighborhood, or city-wide if it has     nothing
//                none
//
// and the city-wide leaders' meeting (scope.hpp kCitywide) with its agenda,
// sign-ins and action items: read by every role but kiosks, written by
// coordinators; an organizer or liaison may only check off ("done") an
// action item of it assigned to their neighborhood or department.
//
// Pure functions of (principal, change, replica): the device runs them to
// disable what the user may not do, the server to refuse it (the authority).
// Reference data is refused to everyone by validation, not here.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "psc/change.hpp"
#include "psc/replica.hpp"
#include "psc/status.hpp"

namespace psc {

enum class Role { coordinator, organizer, liaison, kiosk, viewer };

std::string_view role_name(Role role);
std::optional<Role> role_from_name(std::string_view name);

struct Principal {
  Role role = Role::viewer;
  std::string account;       // the name every change of this principal carries as `actor`
  std::string neighborhood;  // organizer, kiosk; viewer (empty: city-wide)
  std::string department;    // liaison
  std::string device;        // the device the principal's token is bound to: every change it
                             // sends must carry this id (changes are "<hlc>@<device>")
};

// One Status per change of the batch (same index): ok, or "forbidden" with a
// message saying what this role may do. Records created in the batch get
// their scope from the batch itself (their scope field or the record it
// points to), judged on the value the merge will show: for a field set
// more than once in the batch, the change with the highest (hlc, device)
// (validation refuses a scope field set twice anyway). Also refuses changes
// whose `actor` is not the principal's account ("actor_mismatch") or whose
// `device` is not the principal's device ("device_mismatch"): the audit trail
// cannot be forged, and nobody can take another tablet's change ids.
std::vector<Status> authorize_batch(const Principal& principal, const std::vector<Change>& batch,
                                    const Replica& replica);

// Whether `principal` may change a record of `type` in `neighborhood` (for a
// commitment: one of `department`). It is the rule authorize_batch applies
// to every change of an edit by a coordinator, organizer, liaison or viewer,
// and what the web app asks before it offers a control (web/js/access.js),
// so the two cannot disagree. Kiosks: false (they only create, on their own
// screens; authorize_batch has their rules).
bool may_edit(const Principal& principal, std::string_view type, std::string_view neighborhood,
              std::string_view department);

// Whether `principal` may check off (set `done` of) an action item of the
// city-wide leaders' meeting assigned to `assigned_neighborhood` or
// `assigned_department` (empty: not assigned that way): its organizers or
// liaisons may, besides everyone who may_edit it. The other half of the
// rule authorize_batch applies, for the web app's checkbox.
bool may_check_off(const Principal& principal, std::string_view assigned_neighborhood,
                   std::string_view assigned_department);

// Read scope, in the terms the server's catch-up query and live fan-out use:
// a change is visible when its record type is in `types` (or types is empty:
// any type) AND (neighborhood is empty: anywhere, or the change's
// neighborhood equals it); reference types are always visible; and a
// change of the city's own scope when `citywide` is set.
// Records of the city's own scope (kCitywide) are visible when `citywide`
// is set, whatever `types` says.
struct ReadScope {
  std::vector<std::string> types;  // empty = all types
  std::string neighborhood;        // empty = city-wide
  bool citywide = false;           // also the leaders' meeting and its records
};
ReadScope read_scope(const Principal& principal);
bool may_read(const ReadScope& scope, std::string_view record_type, std::string_view record_neighborhood);

}  // namespace psc
