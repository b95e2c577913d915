// The canonical state of one neighborhood in a replica, and its digest.
//
// Every record whose scope (psc::record_neighborhood) is the neighborhood,
// plus the neighborhood record itself, serialized with Record::to_json (values,
// who wrote them, and every conflict) in type-then-id order. Two replicas hold
// a neighborhood identically exactly when these texts are equal.
#pragma once

#include <cstddef>
#include <string>

#include "psc/replica.hpp"

namespace psc::load {

struct NeighborhoodDigest {
  std::string hash;         // XXH3-128 of the canonical text, hex
  std::size_t records = 0;  // records of the neighborhood
  std::size_t conflicted_fields = 0;
  std::string text;  // the canonical text, when asked for
};

NeighborhoodDigest digest_neighborhood(const Replica& replica, const std::string& slug, bool keep_text);

// The first record (as "type/id") whose JSON differs between two canonical
// texts, with both versions, for a failure message.
std::string describe_difference(const std::string& left, const std::string& right);

}  // namespace psc::load
