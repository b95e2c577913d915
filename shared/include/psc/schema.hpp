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
};

struct FieldSpec {
  std::string name;
  FieldKind kind = FieldKind::text;
  bool required = false;         // must be set when the record is created; never null
  std::size_t max_length = 0;    // text: bytes
  std::vector<std::string> allowed;  // enumeration
  std::string ref_type;          // reference
  long long min = 0, max = 0;    // integer
  bool immutable = false;        // may only be set when the record is created
};

struct RecordSchema {
  std::string type;
  std::vector<FieldSpec> fields;
  // Reference data is seeded by the server, not created on devices.
  bool reference_data = false;

  const FieldSpec* field(std::string_view name) const;
};

const std::vector<RecordSchema>& all_schemas();
// nullptr for an unknown type.
const RecordSchema* find_schema(std::string_view type);

// Enumerations from Hartford's reference data (server/data/hartford.json).
const std::vector<std::string>& priority_categories();
const std::vector<std::string>& priority_statuses();

}  // namespace psc
