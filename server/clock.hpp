// The server's wall clock, in one place: the core never reads time, the
// server passes this in (HLC skew checks, token expiry, receive times).
#pragma once

#include <chrono>
#include <cstdint>

namespace psc::server {

inline int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace psc::server
