// The conflicts queue: every field, in every record this replica holds, whose
// concurrent values disagree, with who wrote each value, on which device and
// when. A device only holds what its account may read, so this is the queue
// of the account's scope. Resolving one is an ordinary edit whose base names
// every value (LocalDevice::set_field does that), which syncs everywhere.
#pragma once

#include <nlohmann/json.hpp>

#include "psc/replica.hpp"

namespace psc {

// [{"type","id","neighborhood","label","field","latest",
//   "values":[{"value","hlc","device","actor","change"}] (displayed value first)}]
// newest conflicting write first, then by type, id, field. "label" is the
// record's title, name, summary or description (empty when it has none).
nlohmann::json conflict_queue(const Replica& replica);
// How many entries conflict_queue would list, without building them (the
// toolbar's badge asks on every refresh).
std::size_t conflict_count(const Replica& replica);

}  // namespace psc
