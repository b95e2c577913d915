#include "sync_hub.hpp"

#include "websocket_session.hpp"

namespace psc::server {

void SyncHub::join(WebSocketSession* session, std::weak_ptr<WebSocketSession> weak) {
  std::lock_guard lock(mutex_);
  sessions_.emplace(session, std::move(weak));
}

void SyncHub::leave(WebSocketSession* session) {
  std::lock_guard lock(mutex_);
  sessions_.erase(session);
}

std::vector<std::weak_ptr<WebSocketSession>> SyncHub::snapshot() const {
  std::lock_guard lock(mutex_);
  std::vector<std::weak_ptr<WebSocketSession>> out;
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
