// Record ids are made on the device that creates the record, because records
// are created offline: 128 random bits as 32 lowercase hex digits. The core
// does not read randomness; the caller passes the bits in
// (crypto.getRandomValues in the browser, std::random_device on the server).
//
// Ids of reference data (neighborhoods) are their slugs. Any id must match
// [A-Za-z0-9_.:-]{1,64}.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace psc {

std::string new_record_id(uint64_t random_high, uint64_t random_low);
bool is_valid_record_id(std::string_view id);
// Device ids follow the same alphabet and length as record ids.
bool is_valid_device_id(std::string_view id);

}  // namespace psc
