// Replica snapshots: the whole merge state of a replica in a compact binary
// form, so a device holding tens of thousands of records opens by decoding
// one blob instead of replaying every stored change (issue 6: opening
// offline with 20,000 records).
//
// A snapshot holds exactly what replaying the changes would build — every
// register's leaves and the change ids its bases superseded, each marked
// whether the change itself was applied there too (field_register.hpp) — so
// applying any change to a decoded replica behaves as on the original
// (duplicates recognised, late superseded changes ignored). It is a cache:
// the change log stays the truth, and callers check the decoded replica's
// applied count against the log (web/js/sync.js) before trusting it.
//
// Format (little-endian base-128 varints; strings are interned: a varint
// reference, 0 = a new string follows as length + bytes, n = the n-th string
// seen): magic "PSCSNAP2", applied count, record count, then per record:
// type, id, created and updated stamps, field count, per field: name, leaves
// (value, stamp, device, actor), superseded ids (stamp, device, applied
// flag). A change id is rebuilt from its stamp and device. Values: a tag
// byte (null, false, true, integer as zigzag varint, string, other JSON as
// text). A device holding a snapshot of an older format fails to decode it
// and replays its stored changes once.
#pragma once

#include <string>
#include <string_view>

#include "psc/replica.hpp"
#include "psc/status.hpp"

namespace psc {

std::string encode_snapshot(const Replica& replica);

// "bad_snapshot" for anything that is not a complete snapshot of this format.
Result<Replica> decode_snapshot(std::string_view bytes);

// The highest stamp of any change in the replica (a device's clock must not
// fall behind it after loading a snapshot).
Hlc latest_stamp(const Replica& replica);

}  // namespace psc
