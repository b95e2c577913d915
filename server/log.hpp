// Logging to stderr: one line per event, UTC timestamp; as text (the
// default) or as one JSON object per line (--log-format json) for a log
// collector. Never pass secrets (tokens, passwords) to these functions.
#pragma once

#include <string_view>

namespace psc::server {

void set_json_logs(bool json);

void log_info(std::string_view message);
void log_error(std::string_view message);

}  // namespace psc::server
