// CommitPipeline: the one writer. Pushes from every session are queued here;
// a dedicated thread takes everything queued, validates it against the
// server's replica, appends the accepted changes to the store in ONE
// transaction (group commit: one fsync for many pushes), and only after the
// commit reports each push's ack and the newly committed changes.
//
// The replica lives on the writer thread, so validation always sees every
// change committed before, including earlier pushes of the same group.
// If a commit fails the process aborts: nothing of that group was
// acknowledged, devices resend, and the replica is rebuilt from disk at start.
//
// On a store several servers share (ChangeStore::shared), the replica also
// takes in what the other servers committed: at the start of every group,
// once the store gave this server its append turn (so validation sees the
// whole log, whichever server a push reached), and between groups when told
// that another server committed (others_committed). Those changes are
// published like this server's own, in sequence order, before them.
#pragma once

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "change_id_filter.hpp"
#include "change_store.hpp"
#include "clock.hpp"
#include "psc/authorization.hpp"
#include "psc/protocol.hpp"
#include "psc/replica.hpp"

namespace psc::server {

// Changes newly committed in one group, with consecutive sequences.
struct CommittedRange {
  int64_t first_seq = 0;
  int64_t last_seq = 0;
  std::vector<int64_t> seqs;               // per body
  std::vector<std::string> bodies;         // wire form, in sequence order
  std::vector<std::string> record_types;   // per body: for read-scope filtering
  std::vector<std::string> neighborhoods;  // per body
  std::vector<std::string> devices;  // per body: the change's device (it is not sent back to that device)
};

struct PipelineOptions {
  int64_t max_clock_skew_ms = 60 * 60 * 1000;
  std::size_t max_group_changes = 20000;  // cap on one transaction
  std::size_t max_group_pushes = 0;       // cap on pushes in one transaction; 0: none
  // A store that keeps validation snapshots gets one after this many new
  // changes and at a clean stop; 0: never.
  int64_t snapshot_every = 50000;
};

class CommitPipeline {
 public:
  // Both callbacks run on the writer thread; post to your own executor.
  using AckCallback = std::function<void(Ack)>;
  using CommittedCallback = std::function<void(std::shared_ptr<const CommittedRange>)>;

  CommitPipeline(ChangeStore& store, PipelineOptions options, Clock clock, CommittedCallback on_committed);
  ~CommitPipeline();

  // Rebuilds the replica from the store. REQUIRES: before start().
  void load();
  // Seeds reference data on a store that has never been seeded with it:
  // `key` names the seed in the store's meta table (each seed is applied
  // once, so what coordinators later change is never put back).
  // REQUIRES: before start().
  void seed_once(const std::string& key, const std::vector<Change>& reference_changes);
  // Whether `slug` is a department of the replica's list (reference_lists.hpp):
  // what a liaison account may name. Any thread.
  bool is_department(std::string_view slug) const;
  // The last sequence the replica holds: what the live log starts after.
  // REQUIRES: before start() (the writer thread owns it after).
  int64_t applied_sequence() const { return applied_seq_.load(); }
  // Another server committed changes up to `seq` (0: perhaps; look): the
  // writer reads them between groups and publishes them. Any thread.
  void others_committed(int64_t seq);
  // The highest sequence known to be committed by any server: a device's
  // cursor up to it is genuine even before this server has read that far.
  int64_t known_head() const { return std::max(known_head_.load(), applied_seq_.load()); }
  void start();
  // Commits what is queued, then stops the thread. Idempotent.
  void stop();

  // Queues a push by `sender`; `on_ack` is called once it is committed (or
  // refused). Each change is authorized for the sender, then validated.
  // `still_authorized`, if given, is asked on the writer thread just before
  // the push is validated: false (the sender's token was revoked meanwhile)
  // stores nothing of it and rejects every change with `revoked`.
  using StillAuthorized = std::function<bool()>;
  void submit(Push push, Principal sender, AckCallback on_ack, StillAuthorized still_authorized = {});

  std::size_t record_count() const;

  // Runs `read` on the writer thread, between commit groups, with the
  // replica (for exports and feeds computed by the core). `read` must not
  // block; it posts its result to wherever it is needed.
  void query(std::function<void(const Replica&)> read);

 private:
  struct Pending {
    Push push;
    Principal sender;
    AckCallback on_ack;
    StillAuthorized still_authorized;
  };
  void run();
  void process(std::deque<Pending>& group);
  // Reads what other servers committed after applied_seq_ into the replica
  // and onto `into`. Writer thread; throws if the log has a gap.
  void take_in_others(CommittedRange& into);
  // Between groups: takes in other servers' changes and publishes them.
  void pull_others();
  // After the replica changed: the counts and lists other threads read.
  void after_replica_changed(const CommittedRange& range);
  // Saves a validation snapshot when `due` (or snapshot_every changes came
  // since the last). Writer thread, or after it stopped. Never throws.
  void save_snapshot_if(bool due);

  ChangeStore& store_;
  PipelineOptions options_;
  Clock clock_;
  CommittedCallback on_committed_;
  Replica replica_;                      // writer thread only (after start)
  ChangeIdFilter stored_ids_;            // writer thread only (after start)
  std::atomic<int64_t> applied_seq_{0};  // written by the writer thread only
  std::atomic<int64_t> known_head_{0};
  int64_t snapshot_seq_ = 0;  // the newest validation snapshot's; writer thread only
  bool stopped_ = false;      // GUARDED_BY(mutex_)

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Pending> queue_;                                // GUARDED_BY(mutex_)
  std::deque<std::function<void(const Replica&)>> queries_;  // GUARDED_BY(mutex_)
  bool stopping_ = false;                                    // GUARDED_BY(mutex_)
  bool pull_wanted_ = false;                                 // GUARDED_BY(mutex_)
  std::size_t record_count_ = 0;                             // GUARDED_BY(mutex_)
  std::set<std::string, std::less<>> departments_;           // GUARDED_BY(mutex_)
  // Copies the replica's department list for is_department. Writer thread.
  void refresh_departments();
  std::thread thread_;
};

}  // namespace psc::server
