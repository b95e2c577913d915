// Reference data as changes: Hartford's neighborhoods, and the seed of the
// departments and categories coordinators manage, stamped by the server.
#pragma once

#include <cstdint>
#include <vector>

#include "psc/change.hpp"

namespace psc::server {

// The changes that create every neighborhood in `reference_json` (the format
// of server/data/hartford.json). Deterministic ids (the slugs); stamps from `now_ms`.
// Throws std::exception if the JSON is not in that format.
std::vector<Change> reference_changes(const char* reference_json, uint64_t now_ms);

// The changes that create every department (name, name_es, kind, active)
// and category (name, name_es, active) of `reference_json`: the first
// version of the lists coordinators then edit in the app. Seeded once
// (also into a data folder from before the lists existed).
std::vector<Change> reference_list_changes(const char* reference_json, uint64_t now_ms);

}  // namespace psc::server
