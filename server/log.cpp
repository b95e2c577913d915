#include "log.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace psc::server {
namespace {
std::mutex log_mutex;
void write(const char* level, std::string_view message) {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &utc);
  std::lock_guard lock(log_mutex);
  std::fprintf(stderr, "%s %s %.*s\n", stamp, level, static_cast<int>(message.size()), message.data());
}
}  // namespace
void log_info(std::string_view message) { write("info", message); }
void log_error(std::string_view message) { write("error", message); }
}  // namespace psc::server
