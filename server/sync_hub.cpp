#include "sync_hub.hpp"

#include "psc/protocol.hpp"

#include <algorithm>
#include <cstdio>

namespace psc::server {

namespace {
// Room for the envelope around the bodies: prefix, cursor, more.
constexpr std::size_t kEnvelopeBytes = kChangesPagePrefix.size() + kMaxChangesPageSuffixBytes;
// Bookkeeping per change besides its body (seq, type, neighborhood, offset).
constexpr std::size_t kPerChangeBytes = 96;

std::string scope_key(const ReadScope& scope) {
  std::string key = scope.neighborhood;
  for (const auto& type : scope.types) key += "|" + type;
  if (scope.citywide) key += "|+citywide";
  return key;
}

bool reads_everything(const ReadScope& scope) { return scope.types.empty() && scope.neighborhood.empty(); }

std::string_view body_of(const LivePiece& piece, std::size_t i) {
  return std::string_view(*piece.text).substr(piece.offsets[i], piece.offsets[i + 1] - piece.offsets[i] - 1);
}

// The index of `device` in the piece's devices, or -1 when none of its
// changes comes from that device.
int64_t device_index(const LivePiece& piece, std::string_view device) {
  if (device.empty()) return -1;
  auto it = std::lower_bound(piece.devices.begin(), piece.devices.end(), device,
                             [](const std::string& a, std::string_view b) { return a < b; });
  if (it == piece.devices.end() || *it != device) return -1;
  return it - piece.devices.begin();
}

std::size_t device_bytes(const LivePiece& piece) {
  std::size_t bytes = piece.device_of.size() * sizeof(uint32_t);
  for (const auto& device : piece.devices) bytes += device.size() + sizeof(std::string);
  return bytes;
}
}  // namespace

void SyncHub::configure(HubOptions options, int64_t head) {
  std::lock_guard lock(mutex_);
  options_ = options;
  head_ = head;
  scope_ids_.emplace(scope_key(ReadScope{}), 0);  // city-wide readers share the pieces' own text
}

int64_t SyncHub::head() const {
  std::lock_guard lock(mutex_);
  return head_;
}

void SyncHub::join(SyncSession* session, std::weak_ptr<SyncSession> weak,
                   std::shared_ptr<const SessionCredential> credential) {
  std::lock_guard lock(mutex_);
  sessions_.insert_or_assign(session, Joined{std::move(weak), std::move(credential)});
}

void SyncHub::leave(SyncSession* session) {
  std::lock_guard lock(mutex_);
  sessions_.erase(session);
}

std::vector<SyncHub::Member> SyncHub::members() const {
  // Locked under the mutex (so a session that is leaving is not missed or
  // half-seen), released by the caller after it is unlocked: if one of these
  // is the last reference, the session's destructor calls leave(), which
  // takes the mutex again.
  std::vector<Member> out;
  std::lock_guard lock(mutex_);
  out.reserve(sessions_.size());
  for (const auto& [_, joined] : sessions_)
    if (auto session = joined.weak.lock()) out.push_back({std::move(session), joined.credential});
  return out;
}

void SyncHub::close_all() {
  for (const auto& member : members()) member.session->shutdown();
}

std::size_t SyncHub::size() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

std::map<std::string, int64_t> SyncHub::sessions_by_role() const {
  std::map<std::string, int64_t> out;
  std::lock_guard lock(mutex_);
  for (const auto& [_, joined] : sessions_)
    if (joined.credential) ++out[std::string(role_name(joined.credential->principal.role))];
  return out;
}

std::size_t SyncHub::window_bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_ + merged_bytes_;
}

int SyncHub::scope_id(const ReadScope& scope) {
  std::lock_guard lock(mutex_);
  return scope_ids_.emplace(scope_key(scope), static_cast<int>(scope_ids_.size())).first->second;
}

std::size_t SyncHub::body_limit(std::size_t max_message_bytes) {
  return max_message_bytes > 2 * kEnvelopeBytes ? max_message_bytes - kEnvelopeBytes : kEnvelopeBytes;
}

void SyncHub::remember_merged(int scope, int64_t from, int64_t to,
                              const std::shared_ptr<const std::string>& body) {
  if (!merged_.emplace(MergedKey{scope, from, to}, body).second) return;
  merged_order_.push_back({scope, from, to});
  merged_bytes_ += body->size();
  while (merged_bytes_ > kMergedCacheBytes && !merged_order_.empty()) {
    auto it = merged_.find(merged_order_.front());
    merged_bytes_ -= it->second->size();
    merged_.erase(it);
    merged_order_.pop_front();
  }
}

void SyncHub::publish(const std::shared_ptr<const CommittedRange>& range) {
  // Cut and encode outside the lock: only this (the commit) thread publishes.
  const std::size_t limit = body_limit(options_.max_message_bytes);
  std::vector<std::shared_ptr<LivePiece>> pieces;
  const std::size_t n = range->bodies.size();
  for (std::size_t i = 0; i < n;) {
    auto piece = std::make_shared<LivePiece>();
    JoinedBodies text(limit);
    std::size_t j = i;
    for (; j < n && j - i < options_.page_size; ++j) {
      const std::string& body = range->bodies[j];
      if (!text.fits(body)) break;
      piece->offsets.push_back(static_cast<uint32_t>(text.add(body)));
      piece->seqs.push_back(range->seqs[j]);
      piece->record_types.push_back(range->record_types[j]);
      piece->neighborhoods.push_back(range->neighborhoods[j]);
    }
    piece->offsets.push_back(static_cast<uint32_t>(text.size() + 1));
    piece->devices.assign(range->devices.begin() + static_cast<std::ptrdiff_t>(i),
                          range->devices.begin() + static_cast<std::ptrdiff_t>(j));
    std::sort(piece->devices.begin(), piece->devices.end());
    piece->devices.erase(std::unique(piece->devices.begin(), piece->devices.end()), piece->devices.end());
    piece->device_of.reserve(j - i);
    for (std::size_t k = i; k < j; ++k)
      piece->device_of.push_back(static_cast<uint32_t>(device_index(*piece, range->devices[k])));
    piece->first_seq = piece->seqs.front();
    piece->last_seq = piece->seqs.back();
    piece->text = std::make_shared<const std::string>(text.take());
    pieces.push_back(std::move(piece));
    i = j;
  }

  // The sessions to wake are locked under the mutex but released only after
  // it is unlocked (declared first, destroyed last): if one of them is the
  // last reference, the session's destructor calls leave(), which takes the
  // mutex. Released under it, that was a deadlock of the commit thread.
  std::vector<std::shared_ptr<SyncSession>> woken;
  {
    std::vector<std::weak_ptr<SyncSession>> waiting;
    std::lock_guard lock(mutex_);
    for (auto& piece : pieces) {
      bytes_ += piece->text->size() + piece->seqs.size() * kPerChangeBytes + device_bytes(*piece);
      pieces_.push_back(std::move(piece));
    }
    head_ = std::max(head_, range->last_seq);
    evict();
    waiting.swap(waiting_);
    woken.reserve(waiting.size());
    for (const auto& weak : waiting)
      if (auto session = weak.lock()) {
        session->waiting_ = false;
        woken.push_back(std::move(session));
      }
  }
  for (const auto& session : woken) session->wake();
}

void SyncHub::evict() {
  while (bytes_ > options_.window_bytes && pieces_.size() > 1) {
    const LivePiece& oldest = *pieces_.front();
    std::size_t size = oldest.text->size() + oldest.seqs.size() * kPerChangeBytes + device_bytes(oldest);
    for (const auto& scoped : oldest.scoped)
      if (scoped.text && scoped.text != oldest.text) size += scoped.text->size();
    bytes_ -= std::min(bytes_, size);
    pieces_.pop_front();  // sessions writing it hold their own reference
  }
}

const LivePiece::Scoped& SyncHub::scoped(LivePiece& piece, int scope, const ReadScope& read_scope) {
  if (piece.scoped.size() <= static_cast<std::size_t>(scope))
    piece.scoped.resize(static_cast<std::size_t>(scope) + 1);
  LivePiece::Scoped& entry = piece.scoped[static_cast<std::size_t>(scope)];
  if (entry.built) return entry;
  entry.built = true;
  if (reads_everything(read_scope)) {
    entry.text = piece.text;
    entry.changes = static_cast<uint32_t>(piece.seqs.size());
    return entry;
  }
  JoinedBodies text;
  for (std::size_t i = 0; i < piece.seqs.size(); ++i) {
    if (!may_read(read_scope, piece.record_types[i], piece.neighborhoods[i])) continue;
    text.add(body_of(piece, i));
    ++entry.changes;
  }
  if (entry.changes == 0) return entry;
  if (entry.changes == piece.seqs.size()) {
    entry.text = piece.text;  // everything visible: share the city-wide text
  } else {
    bytes_ += text.size();
    entry.text = std::make_shared<const std::string>(text.take());
  }
  return entry;
}

SyncHub::Next SyncHub::next(int64_t cursor, int scope, const ReadScope& read_scope, std::string_view device,
                            SyncSession* session, const std::weak_ptr<SyncSession>& weak) {
  Next out;
  out.cursor = cursor;
  std::lock_guard lock(mutex_);
  if (cursor >= head_) {
    if (!session->waiting_) {
      session->waiting_ = true;
      waiting_.push_back(weak);
    }
    return out;  // wait
  }
  if (pieces_.empty() || cursor + 1 < pieces_.front()->first_seq) {
    out.kind = Next::store;
    return out;
  }
  out.kind = Next::send;
  const std::size_t limit = body_limit(options_.max_message_bytes);
  parts_.clear();
  std::size_t bytes = 0;
  bool personal = false;  // the range holds changes of this session's device: its merged body is its own
  const bool everything = reads_everything(read_scope);
  // The first piece holding a sequence after the cursor.
  auto it = std::partition_point(pieces_.begin(), pieces_.end(),
                                 [&](const std::shared_ptr<LivePiece>& p) { return p->last_seq <= cursor; });
  for (; it != pieces_.end(); ++it) {
    LivePiece& piece = **it;
    std::shared_ptr<const std::string> text;
    std::size_t changes = 0;
    bool own_left_out = false;
    const int64_t own = device_index(piece, device);
    // Which pieces this session skips or includes no longer follows from its
    // scope alone: its merged range is its own, even if every part is shared.
    personal = personal || own >= 0;
    if (piece.first_seq <= cursor || own >= 0) {
      // This session's own body of the piece: the cursor is inside it (a
      // store page ended there), or some of its changes come from this
      // session's device, which is not sent them back.
      JoinedBodies rest;
      for (std::size_t i = 0; i < piece.seqs.size(); ++i) {
        if (piece.seqs[i] <= cursor) continue;
        if (!everything && !may_read(read_scope, piece.record_types[i], piece.neighborhoods[i])) continue;
        if (static_cast<int64_t>(piece.device_of[i]) == own) {
          own_left_out = true;
          continue;
        }
        rest.add(body_of(piece, i));
        ++changes;
      }
      if (changes) text = std::make_shared<const std::string>(rest.take());
    } else {
      const LivePiece::Scoped& entry = scoped(piece, scope, read_scope);
      text = entry.text;
      changes = entry.changes;
    }
    if (changes == 0) {  // nothing this session may read or lacks: skip it
      out.cursor = piece.last_seq;
      out.skipped_own = out.skipped_own || own_left_out;
      continue;
    }
    // Parts are joined only if there is more than one (one is shared as it is).
    if (!parts_.empty() &&
        (out.changes + changes > options_.page_size || !JoinedBodies::fits(bytes, text->size(), limit)))
      break;
    bytes += text->size() + (parts_.empty() ? 0 : 1);
    out.changes += changes;
    parts_.push_back(std::move(text));
    out.cursor = piece.last_seq;
    out.skipped_own = out.skipped_own || own_left_out;
  }
  if (parts_.size() == 1) {
    out.body = std::move(parts_.front());
  } else if (parts_.size() > 1) {
    // Merged once per (scope, range): the other sessions of the round reuse
    // it, unless a part was this session's own.
    auto cached = personal ? merged_.end() : merged_.find(MergedKey{scope, cursor, out.cursor});
    if (cached != merged_.end()) {
      out.body = cached->second;
    } else {
      JoinedBodies merged;
      merged.reserve(bytes);
      for (const auto& part : parts_) merged.add(*part);
      out.body = std::make_shared<const std::string>(merged.take());
      if (!personal) remember_merged(scope, cursor, out.cursor, out.body);
    }
  }
  parts_.clear();
  out.more = out.cursor < head_;
  evict();  // scoped text may have grown the window
  return out;
}

}  // namespace psc::server
