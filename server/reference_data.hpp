// Hartford's reference data (server/data/hartford.json), compiled into the binary so
// a server started anywhere can seed an empty database.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace psc::server {
const char* hartford_reference_json();
// True for the slug of one of the reference neighborhoods: accounts and kiosk
// codes are refused for any other (they would sync nothing, silently).
bool is_known_neighborhood(std::string_view slug);
// Department slug -> the agency's name, from the reference data's departments
// (the public Open311 feed names agencies, not slugs).
const std::map<std::string, std::string, std::less<>>& department_names();
}  // namespace psc::server
