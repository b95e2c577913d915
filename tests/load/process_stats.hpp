// Readings of processes from /proc and getrusage: the server's memory (VmRSS,
// VmHWM) and CPU per thread, this tool's own CPU, and its descriptor limit.
// Linux only; a reading that fails is reported as absent, never guessed.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace psc::load {

struct MemoryReading {
  int64_t rss_kib = 0;  // VmRSS: resident now
  int64_t hwm_kib = 0;  // VmHWM: peak resident since start
};
std::optional<MemoryReading> read_memory(int pid);

// CPU time of every thread of `pid`, by thread id.
struct ThreadCpu {
  std::string name;
  double cpu_s = 0;  // user + system
};
using CpuSnapshot = std::map<int, ThreadCpu>;
CpuSnapshot read_thread_cpu(int pid);
// Per-thread CPU spent between two snapshots (threads in `after`), as JSON:
// {"total_s", "threads":[{"tid","name","cpu_s"}]}.
nlohmann::json cpu_between(const CpuSnapshot& before, const CpuSnapshot& after);

// This process's user + system CPU seconds so far.
double own_cpu_s();

// Raises the soft RLIMIT_NOFILE to the hard limit. Returns the soft limit in force.
int64_t raise_descriptor_limit();

}  // namespace psc::load
