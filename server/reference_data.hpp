// Hartford's reference data (server/data/hartford.json), compiled into the binary so
// a server started anywhere can seed an empty database.
#pragma once

namespace psc::server {
const char* hartford_reference_json();
}  // namespace psc::server
