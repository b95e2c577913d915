#include "log.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

namespace psc::server {
namespace {

std::mutex log_mutex;
std::atomic<bool> json_logs{false};

std::string timestamp() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return stamp;
}

void emit(const std::string& line) {
  std::lock_guard lock(log_mutex);
  std::fprintf(stderr, "%s\n", line.c_str());
}

// replace: a message may quote client input that is not valid UTF-8.
std::string dump(const nlohmann::json& object) {
  return object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void write(const char* level, std::string_view message) {
  if (json_logs.load(std::memory_order_relaxed))
    return emit(dump({{"time", timestamp()}, {"level", level}, {"message", message}}));
  emit(timestamp() + " " + level + " " + std::string(message));
}

}  // namespace

void set_json_logs(bool json) { json_logs = json; }
void log_info(std::string_view message) { write("info", message); }
void log_error(std::string_view message) { write("error", message); }

}  // namespace psc::server
