// Logging to stderr: one line per event, UTC timestamp; as text (the
// default) or as one JSON object per line (--log-format json) for a log
// collector. Never pass secrets (tokens, passwords) to these functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace psc::server {

void set_json_logs(bool json);

void log_info(std::string_view message);
void log_error(std::string_view message);

// One answered HTTP request (http_session.cpp's access log). `path` has no
// query string: the caller leaves it out.
struct AccessEntry {
  std::string address;  // the client's, past trusted proxies
  std::string method;
  std::string path;
  unsigned status = 0;
  std::uint64_t body_bytes = 0;
  double duration_ms = 0;  // from the request's header to the answer's start
};
void log_access(const AccessEntry& entry);

}  // namespace psc::server
