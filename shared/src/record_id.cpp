#include "psc/record_id.hpp"

#include <cstdio>

namespace psc {

std::string new_record_id(uint64_t random_high, uint64_t random_low) {
  char buffer[33];
  std::snprintf(buffer, sizeof buffer, "%016llx%016llx", static_cast<unsigned long long>(random_high),
                static_cast<unsigned long long>(random_low));
  return std::string(buffer, 32);
}

bool is_valid_record_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                    c == '.' || c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

bool is_valid_device_id(std::string_view id) { return is_valid_record_id(id); }

}  // namespace psc
