// Helpers shared by the core tests: hand-built changes and seeded replicas.
#pragma once

#include <string>
#include <vector>

#include "psc/change.hpp"
#include "psc/local_device.hpp"
#include "psc/replica.hpp"

namespace psc::test {

// A change stamped (millis, counter) by `device`, superseding `base`.
Change make_change(const std::string& type, const std::string& id, const std::string& field,
                   nlohmann::json value, uint64_t millis, const std::string& device,
                   std::vector<std::string> base = {}, uint32_t counter = 0);

// The reference data a server seeds: a few Hartford neighborhoods.
std::vector<Change> seed_neighborhoods();
void seed(Replica& replica);
void seed(LocalDevice& device);

// A vote's voter for a person called `name`: a pseudonym, as the app's (an
// attendance id), never the name itself (validation refuses names).
std::string voter(const std::string& name);

}  // namespace psc::test
