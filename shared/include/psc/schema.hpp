// The record schema: which record types exist and what each field may hold.
//
// One table, shared by the browser (to build forms and refuse bad input before
// it is written) and the server (the authority). Adding a record type is
// adding a row here.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace psc {

enum class FieldKind {
  text,         // UTF-8 string, at most max_length bytes
  enumeration,  // one of `allowed`
  integer,      // JSON integer within [min, max]
  boolean,
  reference,    // id of an existing record of `ref_type`
  date,         // "YYYY-MM-DD"
  datetime,     // ISO 8601 UTC, "YYYY-MM-DDTHH:MM:SSZ" or "YYYY-MM-DDTHH:MMZ"
  coordinates,  // "latitude,longitude" in decimal degrees (psc/coordinates.hpp)
};

struct FieldSpec {
  std::string name;
  FieldKind kind = FieldKind::text;
  bool required = false;             // must be set when the record is created; never null
  std::size_t max_length = 0;        // text: bytes
  std::vector<std::string> allowed;  // enumeration
  std::string ref_type;              // reference
  long long min = 0, max = 0;        // integer
  bool immutable = false;            // may only be set when the record is created
  // An enumeration whose values are the live records of this type, the
  // lists coordinators manage (reference_lists.hpp): "category" or
  // "department". `allowed` is then the built-in seed, used while a
  // replica holds none of them.
  std::string listed_in;
};

struct RecordSchema {
  std::string type;
  std::vector<FieldSpec> fields;
  // Reference data is seeded by the server and read by every device;
  // devices never write it unless coordinators manage it in the app (the
  // departments and categories; neighborhoods are the server's alone).
  bool reference_data = false;
  bool coordinator_managed = false;
  // How a record finds its neighborhood (its scope for authorization and
  // replication): the name of a reference field that either is the
  // neighborhood or points at a record that has one. Empty for reference data.
  std::string scope_field;

  const FieldSpec* field(std::string_view name) const;
};

const std::vector<RecordSchema>& all_schemas();
// nullptr for an unknown type.
const RecordSchema* find_schema(std::string_view type);

// Enumerations. Those from Hartford's reference data
// (server/data/hartford.json) are checked against it by the tests.
const std::vector<std::string>& priority_categories();
const std::vector<std::string>& priority_statuses();
const std::vector<std::string>& organization_kinds();
const std::vector<std::string>& department_slugs();
const std::vector<std::string>& meeting_kinds();
const std::vector<std::string>& meeting_statuses();
const std::vector<std::string>& attendance_roles();
const std::vector<std::string>& commitment_statuses();
const std::vector<std::string>& outcome_verdicts();  // outcomes.hpp
const std::vector<std::string>& agency_kinds();      // a department record's kind

// Format checks used by validation, exposed for tests and forms.
bool is_valid_date(std::string_view text);
bool is_valid_datetime(std::string_view text);

}  // namespace psc
