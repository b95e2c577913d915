// DeviceSync: a device's side of the sync protocol as a state machine, no I/O.
//
// The browser (web/js/sync.js, through client-wasm) and the load tool
// (tests/load/simulated_device.cpp) both run this, so what a benchmark
// measures is how a tablet sends and tracks its changes:
//   - the outbox, oldest first, each change kept with its wire text so a push
//     is a join, never a re-encode;
//   - pushes cut from it: at most the server's max_batch changes and
//     max_message_bytes, never splitting the changes that create one record
//     (the server validates a creation as a whole), at most `pushes_in_flight`
//     awaiting their ack;
//   - acks: the batch leaves flight; a change the ack answers neither way goes
//     back to the outbox (sent again rather than lost);
//   - the cursor (the server sequence of the last page the host stored) and
//     catch-up progress while pages with `more` arrive.
// A lost connection puts the batches in flight back at the front of the
// outbox, in order. The host owns durability: it stores a change before
// enqueue() and a page before on_page(), and stores cursor() after.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "psc/change.hpp"
#include "psc/protocol.hpp"

namespace psc {

struct DeviceSyncOptions {
  int64_t max_batch = 500;   // the device's own cap; the welcome's max_batch lowers it
  int pushes_in_flight = 1;  // pushes awaiting their ack at once
};

// A change waiting in the outbox or in flight, with its id and wire form (encode_change).
struct OutboxEntry {
  Change change;
  std::string id;
  std::string wire;
};

// A push next_push() cut: the message to send and the changes it carries
// (valid until the batch is acknowledged or the connection is lost).
struct OutgoingPush {
  std::string batch;
  std::string text;
  std::span<const OutboxEntry> changes;
};

struct AckOutcome {
  bool known = false;    // the ack names a batch in flight (else nothing changed)
  std::size_t sent = 0;  // changes that batch carried
  // Ids of the batch the ack answered neither way: back in the outbox.
  std::vector<std::string> unanswered;
};

// While catch-up pages (more = true) arrive: changes received since the
// welcome, and the share of the way to the target sequence (negative when
// no target is known).
struct CatchUpProgress {
  int64_t received = 0;
  double fraction = -1;
};

class DeviceSync {
 public:
  explicit DeviceSync(int64_t cursor = 0, DeviceSyncOptions options = {});

  // ---- connection
  // The server's welcome: its limits, and where catch-up starts. With
  // `adopt_cursor` the welcome's cursor replaces the device's (a store
  // restored from a backup starts catch-up over); returns true when it moved.
  bool on_welcome(const Welcome& welcome, bool adopt_cursor = true);
  // The connection ended: batches in flight return to the outbox front.
  void on_connection_lost();
  bool welcomed() const { return welcomed_; }
  int64_t max_batch() const { return max_batch_; }
  int64_t max_message_bytes() const { return max_message_bytes_; }

  // ---- outbox
  // Queues changes the host has stored, after those already queued.
  void enqueue(Change change);
  void enqueue(std::vector<Change> changes);
  // The same with each change's JSON text as the host read it (REQUIRES: a
  // text scan_change_array checked and returned with the change): sent as
  // it is, not encoded again. `texts` is empty or one per change.
  void enqueue(std::vector<Change> changes, const std::vector<std::string_view>& texts);
  // Replaces the outbox with what the host's store holds (not in flight),
  // oldest first: at a welcome, so nothing stored by another writer is
  // missed. `texts` as for enqueue().
  void replace_outbox(std::vector<Change> changes, const std::vector<std::string_view>& texts = {});
  // The next push to send now, or nothing: not welcomed, nothing waiting (of
  // `only_actor`, when given: the server takes a change only from the account
  // that made it), or pushes_in_flight reached. The host names the batch.
  std::optional<OutgoingPush> next_push(std::string batch, std::string_view only_actor = {});
  AckOutcome on_ack(const Ack& ack);
  // Queued and in flight: what the device has not had acknowledged.
  std::size_t unacknowledged() const;
  std::size_t queued() const { return outbox_.size(); }
  std::size_t in_flight() const { return in_flight_.size(); }
  // Any change of `actor` queued or in flight.
  bool has_unacknowledged_of(std::string_view actor) const;

  // ---- pages
  // The host stored a page: the cursor moves to it. `count` is how many
  // changes it carried.
  void on_page(int64_t cursor, bool more, std::size_t count);
  // The server's last sequence (from /health), so progress has a share.
  void set_catch_up_target(int64_t sequence);
  // Progress while catching up; nothing once a page without `more` arrived.
  std::optional<CatchUpProgress> catch_up() const;
  int64_t cursor() const { return cursor_; }
  // The host moved the cursor (another session's, restored from storage).
  void set_cursor(int64_t cursor) { cursor_ = cursor; }

 private:
  struct Batch {
    std::string id;
    std::vector<OutboxEntry> entries;
  };
  struct CatchUp {
    int64_t start = 0;
    int64_t received = 0;
    int64_t target = -1;
    bool paging = false;  // a page with `more` arrived since the welcome
  };

  // How many of `entries` (those chosen for a push, oldest first) one push
  // carries: max_batch, not ending inside a record's creation, under
  // max_message_bytes with its frame.
  std::size_t batch_size(const std::vector<const OutboxEntry*>& entries, std::size_t frame_bytes) const;

  DeviceSyncOptions options_;
  int64_t cursor_;
  bool welcomed_ = false;
  int64_t max_batch_;
  int64_t max_message_bytes_ = 1024 * 1024;
  std::deque<OutboxEntry> outbox_;
  std::deque<Batch> in_flight_;
  std::optional<CatchUp> catch_up_;
};

}  // namespace psc
