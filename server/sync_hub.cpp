#include "sync_hub.hpp"


namespace psc::server {

void SyncHub::join(SyncSession* session, std::weak_ptr<SyncSession> weak) {
  std::lock_guard lock(mutex_);
  sessions_.emplace(session, std::move(weak));
}

void SyncHub::leave(SyncSession* session) {
  std::lock_guard lock(mutex_);
  sessions_.erase(session);
}

std::vector<std::weak_ptr<SyncSession>> SyncHub::snapshot() const {
  std::lock_guard lock(mutex_);
  std::vector<std::weak_ptr<SyncSession>> out;
  out.reserve(sessions_.size());
  for (const auto& [_, weak] : sessions_) out.push_back(weak);
  return out;
}

void SyncHub::broadcast(const std::shared_ptr<const LivePage>& page) {
  for (const auto& weak : snapshot())
    if (auto session = weak.lock()) session->deliver(page);
}

void SyncHub::close_all() {
  for (const auto& weak : snapshot())
    if (auto session = weak.lock()) session->shutdown();
}

std::size_t SyncHub::size() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

}  // namespace psc::server
