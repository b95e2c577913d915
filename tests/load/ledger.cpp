#include "ledger.hpp"

namespace psc::load {

void Ledger::sent(const std::string& device, std::span<const OutboxEntry> changes) {
  std::lock_guard lock(mutex_);
  for (const auto& change : changes) {
    Entry& e = entries_[change.id];
    if (e.device.empty()) e.device = device;
    if (e.device != device && problems_.size() < 100)
      problems_.push_back("change " + change.id + " was sent by " + e.device + " and by " + device);
    ++e.sent;
  }
}

void Ledger::acknowledged(const std::string& device, const Ack& ack) {
  const int life = life_.load();
  std::lock_guard lock(mutex_);
  auto find = [&](const std::string& id) -> Entry* {
    auto it = entries_.find(id);
    if (it == entries_.end() || it->second.device != device) {
      if (problems_.size() < 100)
        problems_.push_back("device " + device + " got an ack (batch " + ack.batch + ") naming change " + id +
                            ", which it never sent");
      return nullptr;
    }
    return &it->second;
  };
  for (const auto& id : ack.accepted)
    if (Entry* e = find(id)) {
      if (e->accepted++ == 0) {
        e->first_accepted_life = life;
        ++distinct_accepted_;
      }
    }
  for (const auto& rejection : ack.rejected)
    if (Entry* e = find(rejection.change)) ++e->rejected;
}

void Ledger::begin_life(int life) { life_.store(life); }

std::map<std::string, Ledger::Entry> Ledger::entries() const {
  std::lock_guard lock(mutex_);
  return {entries_.begin(), entries_.end()};
}

std::vector<std::string> Ledger::problems() const {
  std::lock_guard lock(mutex_);
  return problems_;
}

nlohmann::json Ledger::summary_by_device(int final_life) const {
  struct Counts {
    uint64_t sent = 0, sent_again = 0, accepted = 0, accepted_by_killed_life = 0, rejected = 0;
  };
  std::map<std::string, Counts> by_device;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, e] : entries_) {
      Counts& c = by_device[e.device];
      ++c.sent;
      if (e.sent > 1) ++c.sent_again;
      if (e.accepted > 0) ++c.accepted;
      if (e.accepted > 0 && e.first_accepted_life < final_life) ++c.accepted_by_killed_life;
      if (e.rejected > 0) ++c.rejected;
    }
  }
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [device, c] : by_device)
    out[device] = {{"sent", c.sent},
                   {"sent_again", c.sent_again},
                   {"accepted", c.accepted},
                   {"accepted_by_killed_life", c.accepted_by_killed_life},
                   {"rejected", c.rejected}};
  return out;
}

}  // namespace psc::load
