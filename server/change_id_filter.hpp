// ChangeIdFilter: the ids of stored changes as 64-bit hashes (open
// addressing, at most half full): "not in the set" is certain, so a change
// that is not a resend skips the store's look-up by id; a hit (a resend, or
// rarely a collision) is checked against the store. 16 bytes per stored
// change at most.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace psc::server {

class ChangeIdFilter {
 public:
  void insert(std::string_view id);
  bool may_contain(std::string_view id) const;

  // Its slots as bytes (little-endian), for a validation snapshot, and back;
  // nullopt for bytes that are not a filter's.
  std::string to_bytes() const;
  static std::optional<ChangeIdFilter> from_bytes(std::string_view bytes);

 private:
  static uint64_t hash(std::string_view id);
  std::vector<uint64_t> slots_;  // 0: empty; the size a power of two
  std::size_t size_ = 0;
};

}  // namespace psc::server
