// PriorityAuthor: the content of the load — new priorities with all six of
// their fields (title, category, status, neighborhood, rank, description; see
// shared/src/schema.cpp) and single-field edits, from a seeded generator so a
// run's content is repeatable. Record ids come from the OS's randomness, as on
// a real device, so runs never collide.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <utility>

namespace psc::load {

class PriorityAuthor {
 public:
  PriorityAuthor(uint64_t seed, int title_chars, int description_chars);

  // The fields of a new priority in `neighborhood` (a slug).
  nlohmann::json new_priority(const std::string& neighborhood);
  // A field of a priority and a new value for it (title, category, status,
  // rank or description; never the immutable neighborhood).
  std::pair<std::string, nlohmann::json> random_edit();
  // A uniformly drawn index below n.
  std::size_t pick(std::size_t n);
  // 64 random bits for a record id.
  uint64_t id_bits();

 private:
  std::string text(int chars);

  std::mt19937_64 content_;
  std::mt19937_64 ids_;
  int title_chars_;
  int description_chars_;
};

}  // namespace psc::load
