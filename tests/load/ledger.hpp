// Ledger: what every simulated device sent and what the server acknowledged,
// kept by psc-load itself (not derived from the server), so the crash
// workload can check the server's store against it.
//
// For every change id: the device that sent it, how many times it was sent
// (a batch sent again after a lost connection counts again), how many acks
// accepted or rejected it, and the server life that first accepted it. A
// "life" is one run of the server process between a start and a SIGKILL
// (life 0 is the first start); acknowledged by a life that was later killed
// is exactly the promise a kill -9 puts to the test.
//
// Thread-safety: sent() and acknowledged() run on device strands; everything
// else on the main thread; all under one mutex, distinct_acked() lock-free.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>
#include <vector>

#include "psc/device_sync.hpp"
#include "psc/protocol.hpp"

namespace psc::load {

class Ledger {
 public:
  struct Entry {
    std::string device;
    uint32_t sent = 0;      // times pushed
    uint32_t accepted = 0;  // times listed in an ack's accepted
    uint32_t rejected = 0;  // times listed in an ack's rejected
    int first_accepted_life = -1;
  };

  // A device pushed these changes (on its strand).
  void sent(const std::string& device, std::span<const OutboxEntry> changes);
  // A device received this ack (on its strand). Notes, as problems, ids the
  // device never sent.
  void acknowledged(const std::string& device, const Ack& ack);

  // Acks from now on come from server life `life`.
  void begin_life(int life);
  int life() const { return life_.load(); }
  // Changes accepted at least once so far.
  uint64_t distinct_accepted() const { return distinct_accepted_.load(); }

  // A copy of every entry, by change id (ordered, for a stable file).
  std::map<std::string, Entry> entries() const;
  std::vector<std::string> problems() const;

  // Per device: {"sent","sent_again","accepted","accepted_by_killed_life",
  // "rejected"} counts of distinct changes (sent_again: sent more than once).
  nlohmann::json summary_by_device(int final_life) const;

 private:
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;  // GUARDED_BY(mutex_)
  std::vector<std::string> problems_;               // GUARDED_BY(mutex_)
  std::atomic<int> life_{0};
  std::atomic<uint64_t> distinct_accepted_{0};
};

}  // namespace psc::load
