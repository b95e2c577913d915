// The server's wall clock, in one place: the core never reads time, the
// server passes this in (HLC skew checks, token expiry, receive times).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

namespace psc::server {

inline int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// What reads the time, passed in (ServerContext::clock, CommitPipeline): the
// wall clock in the server, a fake one in unit tests (token expiry, sign-in
// throttling, clock skew).
using Clock = std::function<int64_t()>;  // ms since the epoch

}  // namespace psc::server
