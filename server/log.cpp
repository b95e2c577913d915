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

// A path for a text line: anything not printable ASCII, a space or a quote
// percent-encoded, so a crafted URL cannot forge a line or a field.
std::string printable(std::string_view path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : path) {
    if (c > 0x20 && c < 0x7f && c != '"' && c != '\\') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace

void log_access(const AccessEntry& e) {
  const double ms = static_cast<double>(static_cast<int64_t>(e.duration_ms * 10 + 0.5)) / 10;  // 0.1 ms
  if (json_logs.load(std::memory_order_relaxed)) {
    return emit(dump({{"time", timestamp()},
                      {"level", "info"},
                      {"kind", "access"},
                      {"message", e.method + " " + e.path + " " + std::to_string(e.status)},
                      {"address", e.address},
                      {"method", e.method},
                      {"path", e.path},
                      {"status", e.status},
                      {"bytes", e.body_bytes},
                      {"ms", ms}}));
  }
  char duration[32];
  std::snprintf(duration, sizeof duration, "%.1fms", ms);
  emit(timestamp() + " access " + e.address + " \"" + printable(e.method) + " " + printable(e.path) + "\" " +
       std::to_string(e.status) + " " + std::to_string(e.body_bytes) + " " + duration);
}

void set_json_logs(bool json) { json_logs = json; }
void log_info(std::string_view message) { write("info", message); }
void log_error(std::string_view message) { write("error", message); }

}  // namespace psc::server
