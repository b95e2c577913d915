#include "process_stats.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace psc::load {

std::optional<MemoryReading> read_memory(int pid) {
  if (pid <= 0) return std::nullopt;
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  if (!in) return std::nullopt;
  MemoryReading reading;
  bool rss = false, hwm = false;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string key;
    int64_t kib = 0;
    fields >> key >> kib;
    if (key == "VmRSS:") reading.rss_kib = kib, rss = true;
    if (key == "VmHWM:") reading.hwm_kib = kib, hwm = true;
  }
  if (!rss || !hwm) return std::nullopt;
  return reading;
}

CpuSnapshot read_thread_cpu(int pid) {
  CpuSnapshot out;
  if (pid <= 0) return out;
  static const double kTicks = static_cast<double>(sysconf(_SC_CLK_TCK));
  std::error_code ec;
  for (const auto& entry :
       std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task", ec)) {
    std::ifstream in(entry.path() / "stat");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // "tid (comm) state ppid ... utime(14) stime(15)": comm may hold spaces.
    const auto open = text.find('('), close = text.rfind(')');
    if (open == std::string::npos || close == std::string::npos) continue;
    std::istringstream rest(text.substr(close + 2));
    std::string field;
    uint64_t utime = 0, stime = 0;
    for (int index = 3; rest >> field; ++index) {
      if (index == 14) utime = std::stoull(field);
      if (index == 15) {
        stime = std::stoull(field);
        break;
      }
    }
    ThreadCpu cpu;
    cpu.name = text.substr(open + 1, close - open - 1);
    cpu.cpu_s = static_cast<double>(utime + stime) / kTicks;
    out[std::stoi(entry.path().filename().string())] = cpu;
  }
  return out;
}

nlohmann::json cpu_between(const CpuSnapshot& before, const CpuSnapshot& after) {
  nlohmann::json threads = nlohmann::json::array();
  double total = 0;
  for (const auto& [tid, cpu] : after) {
    auto it = before.find(tid);
    const double spent = cpu.cpu_s - (it == before.end() ? 0.0 : it->second.cpu_s);
    total += spent;
    threads.push_back({{"tid", tid}, {"name", cpu.name}, {"cpu_s", spent}});
  }
  return {{"total_s", total}, {"threads", threads}};
}

double own_cpu_s() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

int64_t raise_descriptor_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return -1;
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  return limit.rlim_cur == RLIM_INFINITY ? INT64_MAX : static_cast<int64_t>(limit.rlim_cur);
}

}  // namespace psc::load
