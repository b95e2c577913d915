// The city's lists that coordinators manage in the app: the departments and
// agencies that answer priorities, and the categories of problem
// (schema.hpp: `department` and `category` records, whose id is the slug
// every priority, commitment and sign-in names). The built-in Hartford
// lists are the seed: a replica that holds none of these records yet (a
// tablet before its first sync, a test) uses them instead.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "psc/replica.hpp"
#include "psc/schema.hpp"

namespace psc {

// The values of a listed field (FieldSpec::listed_in): the live records of
// that type, the seeded ones in the built-in order, then any added later by
// id; inactive ones included (they keep their history). The built-in list
// when the replica holds none.
std::vector<std::string> listed_values(const Replica& replica, const FieldSpec& spec);
std::vector<std::string> category_slugs(const Replica& replica);
std::vector<std::string> department_slugs(const Replica& replica);

// Whether `value` may be written to a listed field: a live record of the
// list (active or not: an edit must not fail because a department was
// retired), or, with no such records, one of the built-in values.
bool is_listed_value(const Replica& replica, const FieldSpec& spec, std::string_view value);

// A list entry's name (its record's `name`), or `fallback` when it has none.
std::string listed_name(const Replica& replica, std::string_view type, const std::string& slug,
                        const std::string& fallback);

}  // namespace psc
