// Deterministic record ids, where duplicates must be impossible.
//
// Two tablets that sign in the same person at the same meeting, or record the
// same voter's dot on the same priority, must create ONE record. So those ids
// are not random but derived from the identifying fields:
//   attendance: meeting + normalized person name
//   vote:       meeting + priority + voter
//   tally:      meeting + priority  (one paper count per priority per meeting;
//               two different counts entered offline become a visible conflict)
//   outcome:    meeting + priority  (one verdict per priority per meeting,
//               outcomes.hpp; two different verdicts become a visible conflict)
// The id is 32 hex digits of XXH3-128 over the type and the parts; validation
// refuses a new record of these types whose id does not match its fields.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace psc {

// Case- and spacing-insensitive form of a person's name: ASCII letters
// lowercased, runs of whitespace collapsed to one space, ends trimmed.
std::string normalize_person_name(std::string_view name);

std::string attendance_id(std::string_view meeting, std::string_view person_name);
std::string vote_id(std::string_view meeting, std::string_view priority, std::string_view voter);
std::string tally_id(std::string_view meeting, std::string_view priority);
std::string outcome_id(std::string_view meeting, std::string_view priority);

// True when `type` takes a derived id.
bool has_derived_id(std::string_view type);
// The id a new record of `type` with these fields must have; empty when the
// type has no derived id or an identifying field is missing or not text.
std::string derived_id_for(std::string_view type, const nlohmann::json& fields);

}  // namespace psc
