// A validation snapshot: what a server needs to validate pushes after
// sequence N, as one blob, so a server sharing a PostgreSQL store starts by
// decoding the newest one and replaying only the changes after it, not the
// whole log. It holds the replica's merge state (the core's
// replica_snapshot.hpp, the format devices use) and the filter of stored
// change ids (change_id_filter.hpp).
//
// A cache, never the truth: it is used only if it decodes, if its replica
// applied exactly N changes (one per stored sequence), and if the filter's
// hash function is this build's (std::hash may differ between builds);
// otherwise the server replays the whole log as before.
//
// Format: "PSCVAL1\n", the hash of a fixed probe (8 bytes), the filter's
// length (8 bytes) and bytes, then the replica snapshot. Little-endian.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "change_id_filter.hpp"
#include "psc/replica.hpp"

namespace psc::server {

std::string encode_validation_snapshot(const Replica& replica, const ChangeIdFilter& stored_ids);

struct ValidationState {
  Replica replica;
  ChangeIdFilter stored_ids;
};
// nullopt when the bytes cannot be trusted for the state after `seq`.
std::optional<ValidationState> decode_validation_snapshot(std::string_view bytes, int64_t seq);

}  // namespace psc::server
