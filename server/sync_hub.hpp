// SyncHub: the set of connected sync sessions, and the live log they read.
//
// Live fan-out is pull, not push. Each committed range is cut into pieces of
// at most --page-size changes and --max-message-bytes and kept, encoded once,
// in a bounded in-memory window (the live log). A session that is free to
// write asks the hub for the next message after its cursor and gets shared
// text: a piece is encoded once for every city-wide reader and once per read
// scope (neighborhood, role), never once per session. A session that is busy
// writing while pieces arrive simply asks later and gets the pieces that
// arrived meanwhile merged into one message (as many as fit the limits), so a
// slow reader costs fewer sends, not more memory. A session whose cursor has
// fallen out of the window reads from the store (catch-up), the same path a
// device that reconnects from an old cursor takes: nothing is ever dropped
// for being slow, and the server's memory is the window, whatever the number
// of readers or their speed.
//
// A device is not sent its own changes back (it stored them before pushing
// them): each piece knows which devices its changes come from, and a session
// whose device is among them gets a body of its own without those changes,
// built when it asks; every other session of the scope shares the piece's
// text as before. Its page's cursor still covers the changes left out.
//
// Sessions at the head register as waiting and are woken (on their own
// strand) when the next range is published; the rest are not disturbed.
//
// Thread-safety: every public method may be called from any thread. The hub
// never lets the last reference to a session go while it holds its mutex: a
// session's destructor calls leave(), which takes that mutex.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "commit_pipeline.hpp"
#include "psc/authorization.hpp"

namespace psc::server {

// Who a welcomed session acts for: its token (as the digest the store
// keeps), its device and the principal the token gave at hello. Immutable
// once the session has joined the hub.
struct SessionCredential {
  std::string token_digest;
  std::string device;
  Principal principal;
};

// What the hub needs of a connected device's session (plain or TLS).
class SyncSession {
 public:
  virtual ~SyncSession() = default;
  // Thread-safe: new changes were published; the session asks for them when
  // it is free to write.
  virtual void wake() = 0;
  // Thread-safe: closes the connection politely (server shutdown).
  virtual void shutdown() = 0;
  // Thread-safe: the session's token no longer holds (revoked, expired,
  // account disabled or changed). From the moment this returns the session
  // sends no further changes and takes no further pushes; it sends the error
  // `code` and closes.
  virtual void revoke(const std::string& code, const std::string& message) = 0;

 private:
  friend class SyncHub;
  bool waiting_ = false;  // registered for a wake; GUARDED_BY(SyncHub::mutex_)
};

// One slice of a committed range, encoded once.
struct LivePiece {
  int64_t first_seq = 0;
  int64_t last_seq = 0;
  std::vector<int64_t> seqs;
  std::vector<std::string> record_types;   // per change: for read-scope filtering
  std::vector<std::string> neighborhoods;  // per change
  // The devices the changes come from, distinct and sorted, and per change
  // the index of its device there: whether a session's own changes are in
  // the piece is one binary search.
  std::vector<std::string> devices;
  std::vector<uint32_t> device_of;
  std::shared_ptr<const std::string> text;  // every body, joined by ','
  std::vector<uint32_t> offsets;            // body i is text[offsets[i], offsets[i+1] - 1)
  // Per read scope (index: scope id), built on first use; GUARDED_BY(SyncHub::mutex_).
  struct Scoped {
    bool built = false;
    std::shared_ptr<const std::string> text;  // visible bodies joined by ','; null when none
    uint32_t changes = 0;
  };
  std::vector<Scoped> scoped;
};

struct HubOptions {
  std::size_t page_size = 500;                  // changes per message
  std::size_t max_message_bytes = 1024 * 1024;  // per message, envelope included
  std::size_t window_bytes = 64 * 1024 * 1024;  // live log kept in memory
};

class SyncHub {
 public:
  // REQUIRES: before any session joins.
  void configure(HubOptions options, int64_t head);
  // The last sequence published: no device can hold a cursor past it (except
  // for the instant between a commit and its publish), so a cursor beyond it
  // comes from another history (a store restored from a backup).
  int64_t head() const;

  void join(SyncSession* session, std::weak_ptr<SyncSession> weak,
            std::shared_ptr<const SessionCredential> credential = nullptr);
  void leave(SyncSession* session);
  // Every joined session still alive, with its credential. The caller holds
  // the only extra references: it must not call this with the hub's mutex
  // held (nobody outside the hub can), and it releases them where it likes.
  struct Member {
    std::shared_ptr<SyncSession> session;
    std::shared_ptr<const SessionCredential> credential;
  };
  std::vector<Member> members() const;
  // Asks every session to close (server shutdown).
  void close_all();
  std::size_t size() const;
  // Joined sessions by their principal's role ("organizer": 12), and the
  // bytes of encoded pages the live window holds: for /metrics.
  std::map<std::string, int64_t> sessions_by_role() const;
  std::size_t window_bytes() const;

  // A read scope's id: equal scopes share encoded pieces. Ids are small and
  // never reused.
  int scope_id(const ReadScope& scope);

  // Adds a committed range to the live log and wakes the waiting sessions.
  // Called by the commit pipeline after each commit, in sequence order.
  void publish(const std::shared_ptr<const CommittedRange>& range);

  // What a session should send after `cursor`.
  struct Next {
    enum Kind {
      wait,   // nothing after the cursor yet: the session is woken on the next publish
      store,  // the cursor is older than the window: read a page from the store
      send,   // `body` (null: nothing visible, but the cursor moves)
    } kind = wait;
    // The message's changes, encoded and joined by ',': one piece's text, or
    // pieces merged once and shared by every session of the scope that asks
    // for the same range.
    std::shared_ptr<const std::string> body;
    std::size_t changes = 0;
    int64_t cursor = 0;  // the message's cursor
    bool more = false;   // more is committed after it
    // Changes of the session's own device were left out of the range up to
    // `cursor` (with `body` null: they were all there was to send).
    bool skipped_own = false;
  };
  // `device`: the session's device, whose changes are left out (a device is
  // not sent its own changes back). `session` is registered for a wake when
  // the answer is `wait`.
  Next next(int64_t cursor, int scope, const ReadScope& read_scope, std::string_view device,
            SyncSession* session, const std::weak_ptr<SyncSession>& weak);

  // Room for the joined bodies of one message under `max_message_bytes`.
  static std::size_t body_limit(std::size_t max_message_bytes);

 private:
  // REQUIRES: mutex_ held.
  const LivePiece::Scoped& scoped(LivePiece& piece, int scope, const ReadScope& read_scope);
  void evict();
  void remember_merged(int scope, int64_t from, int64_t to, const std::shared_ptr<const std::string>& body);

  HubOptions options_;
  mutable std::mutex mutex_;
  struct Joined {
    std::weak_ptr<SyncSession> weak;
    std::shared_ptr<const SessionCredential> credential;
  };
  std::unordered_map<SyncSession*, Joined> sessions_;  // GUARDED_BY(mutex_)
  std::unordered_map<std::string, int> scope_ids_;     // GUARDED_BY(mutex_)
  std::deque<std::shared_ptr<LivePiece>> pieces_;      // GUARDED_BY(mutex_)
  std::size_t bytes_ = 0;                              // GUARDED_BY(mutex_)
  int64_t head_ = 0;                                   // last published sequence; GUARDED_BY(mutex_)
  std::vector<std::weak_ptr<SyncSession>> waiting_;    // GUARDED_BY(mutex_)
  // Recently merged bodies by (scope, from, to): sessions that pull together
  // (a round of live fan-out) get the same range, merged once. Oldest out
  // first past kMergedCacheBytes.
  struct MergedKey {
    int scope;
    int64_t from, to;
    bool operator==(const MergedKey&) const = default;
  };
  struct MergedKeyHash {
    std::size_t operator()(const MergedKey& k) const {
      return std::hash<int64_t>{}(k.from * 1000003 + k.to) ^ static_cast<std::size_t>(k.scope);
    }
  };
  static constexpr std::size_t kMergedCacheBytes = 8 * 1024 * 1024;
  std::unordered_map<MergedKey, std::shared_ptr<const std::string>, MergedKeyHash>
      merged_;                                             // GUARDED_BY(mutex_)
  std::deque<MergedKey> merged_order_;                     // GUARDED_BY(mutex_)
  std::size_t merged_bytes_ = 0;                           // GUARDED_BY(mutex_)
  std::vector<std::shared_ptr<const std::string>> parts_;  // scratch; GUARDED_BY(mutex_)
};

}  // namespace psc::server
