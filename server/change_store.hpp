// ChangeStore: the server's durable, ordered log of accepted changes.
//
// Each accepted change gets a sequence number (1, 2, 3, ... in commit order);
// a device's cursor is the last sequence it has been sent. The interface hides
// the engine so a PostgreSQL store for a multi-server deployment is an adapter,
// not a rewrite (DESIGN.md, "Where it grows past one machine").
//
// Thread-safety: the writer methods are called from one thread (the commit
// pipeline); the reader methods from any thread, several at once (the
// worker pool reads catch-up pages and history; the network thread never
// reads the store). Implementations keep a connection per concurrent reader.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "psc/authorization.hpp"
#include "psc/change.hpp"

namespace psc::server {

struct StoredChange {
  int64_t seq = 0;
  std::string body;  // the change's canonical wire form (encode_change)
  // The record's scope as stored with the change (read_after only): what
  // live readers of another server are filtered by.
  std::string neighborhood;
};

// One catch-up page for a device's read scope.
struct ScopedPage {
  std::vector<StoredChange> changes;  // visible changes with sequence > after, in order
  int64_t cursor = 0;                 // where the next page starts: past every change examined
  bool more = false;
};

class ChangeStore {
 public:
  virtual ~ChangeStore() = default;

  // --- writer side ---
  virtual void begin() = 0;
  // Durable on return (synchronous=FULL): only then may changes be acknowledged.
  virtual void commit() = 0;
  virtual void rollback() = 0;
  // Appends a change; returns its sequence, or nullopt when a change with the
  // same id is already stored (nothing written). Every read gives `body`
  // back byte for byte, whether the store keeps it or re-encodes the change.
  // REQUIRES: inside begin()/commit(); id == change.id() and
  // body == encode_change(change) (the caller has both).
  virtual std::optional<int64_t> append(const Change& change, const std::string& id, const std::string& body,
                                        std::string_view neighborhood, int64_t received_at_ms) = 0;
  // The stored body of a change id, if any.
  virtual std::optional<std::string> find_body(const std::string& change_id) = 0;
  virtual std::optional<std::string> meta(const std::string& key) = 0;
  virtual void set_meta(const std::string& key, const std::string& value) = 0;  // REQUIRES: in a transaction
  // Every stored change with sequence > after, in order (startup replay).
  // Throws std::runtime_error for a stored change it cannot read back.
  virtual void for_each(int64_t after, const std::function<void(int64_t seq, const Change&)>& visit) = 0;

  // --- validation snapshots: a start without replaying the whole log ---
  // Whether the store keeps them (PostgreSQL; a SQLite server replays).
  virtual bool keeps_snapshots() const { return false; }
  // Keeps `bytes`, the validation state after every change up to `seq`
  // (validation_snapshot.hpp), dropping older ones. Outside begin()/commit().
  virtual void save_snapshot(int64_t /*seq*/, const std::string& /*bytes*/) {}
  struct Snapshot {
    int64_t seq = 0;
    std::string bytes;
  };
  virtual std::optional<Snapshot> latest_snapshot() { return std::nullopt; }

  // --- several servers on one store ---
  // Whether other servers append to this store too (PostgreSQL, several
  // nodes). Then begin() waits for the store's append turn and holds it to
  // commit(): nothing else is appended between the writer reading what the
  // others committed (read_after) and appending after it, so every node
  // validates against the whole log and sequences stay gapless.
  virtual bool shared() const { return false; }
  // Up to `limit` stored changes with sequence > after, in order: what other
  // servers committed. Called on the writer thread, inside begin()/commit()
  // or between groups. A store no other server writes has nothing to give.
  virtual std::vector<StoredChange> read_after(int64_t /*after*/, std::size_t /*limit*/) { return {}; }

  // --- reader side ---
  // Up to `limit` changes with sequence > after that `scope` may read and
  // that do not come from `skip_device` (a device is not sent its own
  // changes back; empty: none left out), in order, from one consistent
  // snapshot. The page's cursor is past every change examined, those left
  // out included. Uses indexes on (neighborhood, seq) and the reference
  // rows: a device far behind does not scan other neighborhoods' history.
  virtual ScopedPage read_page(int64_t after, std::size_t limit, const ReadScope& scope,
                               const std::string& skip_device) = 0;
  virtual int64_t last_sequence() = 0;

  // Audit: every stored change of one record, oldest first, with when the
  // server received it (the body carries account and device).
  struct HistoryEntry {
    int64_t seq = 0;
    int64_t received_at_ms = 0;
    std::string body;
  };
  virtual std::vector<HistoryEntry> record_history(const std::string& type, const std::string& id) = 0;
};

}  // namespace psc::server
