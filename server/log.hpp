// Minimal structured logging to stderr: one line per event, UTC timestamp.
// Never pass secrets (tokens, passwords) to these functions.
#pragma once

#include <string_view>

namespace psc::server {
void log_info(std::string_view message);
void log_error(std::string_view message);
}  // namespace psc::server
