#include "commit_pipeline.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <stdexcept>
#include <utility>

#include <pthread.h>
#include <unordered_set>

#include "log.hpp"
#include "metrics.hpp"
#include "psc/protocol.hpp"
#include "psc/reference_lists.hpp"
#include "psc/scope.hpp"
#include "psc/validation.hpp"
#include "validation_snapshot.hpp"

namespace psc::server {

CommitPipeline::CommitPipeline(ChangeStore& store, PipelineOptions options, Clock clock,
                               CommittedCallback on_committed)
    : store_(store), options_(options), clock_(std::move(clock)), on_committed_(std::move(on_committed)) {}

CommitPipeline::~CommitPipeline() { stop(); }

void CommitPipeline::load() {
  // From the newest validation snapshot when the store keeps them, so a
  // server does not replay the whole log at every start.
  if (store_.keeps_snapshots()) {
    if (auto snapshot = store_.latest_snapshot()) {
      if (auto state = decode_validation_snapshot(snapshot->bytes, snapshot->seq)) {
        replica_ = std::move(state->replica);
        stored_ids_ = std::move(state->stored_ids);
        applied_seq_ = snapshot->seq;
        snapshot_seq_ = snapshot->seq;
      } else {
        log_info("the validation snapshot at sequence " + std::to_string(snapshot->seq) +
                 " cannot be used here; replaying the whole log");
      }
    }
  }
  const int64_t from = applied_seq_;
  std::size_t count = 0;
  store_.for_each(from, [&](int64_t seq, const Change& change) {
    replica_.apply(change);
    stored_ids_.insert(change.id());
    applied_seq_ = seq;
    ++count;
  });
  refresh_departments();
  std::lock_guard lock(mutex_);
  record_count_ = replica_.record_count();
  log_info(std::string("loaded ") +
           (from ? "the validation snapshot at sequence " + std::to_string(from) + " and " : "") +
           std::to_string(count) + " changes, " + std::to_string(record_count_) + " records");
}

void CommitPipeline::save_snapshot_if(bool due) {
  if (!store_.keeps_snapshots() || applied_seq_ == snapshot_seq_) return;
  if (!due && (options_.snapshot_every <= 0 || applied_seq_ - snapshot_seq_ < options_.snapshot_every))
    return;
  try {
    const auto started = std::chrono::steady_clock::now();
    store_.save_snapshot(applied_seq_, encode_validation_snapshot(replica_, stored_ids_));
    snapshot_seq_ = applied_seq_;
    log_info("saved the validation snapshot at sequence " + std::to_string(snapshot_seq_) + " in " +
             std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::steady_clock::now() - started)
                                .count()) +
             " ms");
  } catch (const std::exception& e) {  // a cache: the next start replays more
    log_error(std::string("saving the validation snapshot failed: ") + e.what());
  }
}

void CommitPipeline::seed_once(const std::string& key, const std::vector<Change>& reference_changes) {
  if (store_.meta(key)) return;
  store_.begin();
  // Another server sharing the store may have seeded it since the look above.
  CommittedRange others;
  take_in_others(others);
  if (store_.meta(key)) {
    store_.commit();
    after_replica_changed(others);
    return;
  }
  for (const auto& change : reference_changes) {
    replica_.apply(change);
    const auto seq =
        store_.append(change, change.id(), encode_change(change),
                      record_neighborhood(replica_, change.record_type, change.record_id), clock_());
    if (seq) applied_seq_ = *seq;
    stored_ids_.insert(change.id());
  }
  store_.set_meta(key, std::to_string(clock_()));
  store_.commit();
  refresh_departments();
  std::lock_guard lock(mutex_);
  record_count_ = replica_.record_count();
  log_info("seeded " + std::to_string(reference_changes.size()) + " reference changes");
}

void CommitPipeline::take_in_others(CommittedRange& into) {
  if (!store_.shared()) return;
  constexpr std::size_t kPage = 5000;
  for (;;) {
    const std::vector<StoredChange> page = store_.read_after(applied_seq_, kPage);
    for (const StoredChange& stored : page) {
      // Commits are ordered by sequence (the store's append turn), so the
      // rows after ours are consecutive; a hole means the log is not what
      // this server believes, and nothing it validated could be trusted.
      if (stored.seq != applied_seq_ + 1)
        throw std::runtime_error("the shared log jumps from sequence " + std::to_string(applied_seq_.load()) +
                                 " to " + std::to_string(stored.seq));
      auto change = change_from_json(nlohmann::json::parse(stored.body, nullptr, false));
      if (!change)
        throw std::runtime_error("stored change " + std::to_string(stored.seq) + " cannot be read back");
      replica_.apply(change.value());
      stored_ids_.insert(change->id());
      if (into.bodies.empty()) into.first_seq = stored.seq;
      into.last_seq = stored.seq;
      into.seqs.push_back(stored.seq);
      into.bodies.push_back(stored.body);
      into.record_types.push_back(change->record_type);
      into.neighborhoods.push_back(stored.neighborhood);  // as the writing server stored it
      into.devices.push_back(change->device);
      applied_seq_ = stored.seq;
    }
    metrics().changes_from_other_servers.add(page.size());
    if (page.size() < kPage) return;
  }
}

void CommitPipeline::after_replica_changed(const CommittedRange& range) {
  if (range.bodies.empty()) return;
  {
    std::lock_guard lock(mutex_);
    record_count_ = replica_.record_count();
  }
  if (std::find(range.record_types.begin(), range.record_types.end(), "department") !=
      range.record_types.end())
    refresh_departments();
}

void CommitPipeline::others_committed(int64_t seq) {
  if (seq > 0 && seq <= applied_seq_) return;  // this server's own commit, or read already
  int64_t known = known_head_.load();
  while (seq > known && !known_head_.compare_exchange_weak(known, seq)) {
  }
  {
    std::lock_guard lock(mutex_);
    pull_wanted_ = true;
  }
  wake_.notify_one();
}

void CommitPipeline::pull_others() {
  auto range = std::make_shared<CommittedRange>();
  try {
    take_in_others(*range);
  } catch (const std::exception& e) {
    // As a failed commit: the replica may hold part of what it read.
    log_error(std::string("reading other servers' changes failed, aborting: ") + e.what());
    std::abort();
  }
  after_replica_changed(*range);
  if (!range->bodies.empty()) on_committed_(range);
  save_snapshot_if(false);
}

void CommitPipeline::refresh_departments() {
  const auto slugs = department_slugs(replica_);
  std::lock_guard lock(mutex_);
  departments_ = std::set<std::string, std::less<>>(slugs.begin(), slugs.end());
}

bool CommitPipeline::is_department(std::string_view slug) const {
  std::lock_guard lock(mutex_);
  return departments_.find(slug) != departments_.end();
}

void CommitPipeline::start() {
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "psc-commit");  // named in top, perf and psc-load's CPU readings
    run();
  });
}

void CommitPipeline::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopped_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  // A clean stop: the next start replays nothing.
  save_snapshot_if(true);
  std::lock_guard lock(mutex_);
  stopped_ = true;
}

void CommitPipeline::submit(Push push, Principal sender, AckCallback on_ack,
                            StillAuthorized still_authorized) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back({std::move(push), std::move(sender), std::move(on_ack), std::move(still_authorized)});
  }
  metrics().commit_queue_depth.fetch_add(1, std::memory_order_relaxed);
  wake_.notify_one();
}

void CommitPipeline::query(std::function<void(const Replica&)> read) {
  {
    std::lock_guard lock(mutex_);
    queries_.push_back(std::move(read));
  }
  wake_.notify_one();
}

std::size_t CommitPipeline::record_count() const {
  std::lock_guard lock(mutex_);
  return record_count_;
}

void CommitPipeline::run() {
  for (;;) {
    std::deque<Pending> group;
    std::deque<std::function<void(const Replica&)>> queries;
    bool pull = false;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty() || !queries_.empty() || pull_wanted_; });
      queries.swap(queries_);
      pull = std::exchange(pull_wanted_, false);
      if (queue_.empty() && queries.empty() && !pull) return;  // stopping, and everything queued is done
      // Take whole pushes up to the cap (at least one).
      std::size_t changes = 0;
      while (
          !queue_.empty() &&
          (group.empty() || (changes + queue_.front().push.changes.size() <= options_.max_group_changes &&
                             (options_.max_group_pushes == 0 || group.size() < options_.max_group_pushes)))) {
        changes += queue_.front().push.changes.size();
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      metrics().commit_queue_depth.fetch_sub(static_cast<int64_t>(group.size()), std::memory_order_relaxed);
    }
    // A group takes in the others' changes itself, under its append turn.
    if (pull && group.empty()) pull_others();
    for (auto& read : queries) {
      try {
        read(replica_);
      } catch (const std::exception& e) {  // the query's request goes unanswered; the writer carries on
        log_error(std::string("a query on the replica failed: ") + e.what());
      }
    }
    if (!group.empty()) process(group);
  }
}

void CommitPipeline::process(std::deque<Pending>& group) {
  const int64_t now = clock_();
  std::vector<Ack> acks(group.size());
  auto committed = std::make_shared<CommittedRange>();

  const auto started = std::chrono::steady_clock::now();
  try {
    store_.begin();
    // What other servers committed comes first: into the replica before
    // validating, and published before this group's changes.
    take_in_others(*committed);
    for (std::size_t g = 0; g < group.size(); ++g) {
      Push& push = group[g].push;
      Ack& ack = acks[g];
      ack.batch = push.batch;
      ack.rejected = push.malformed;
      if (group[g].still_authorized && !group[g].still_authorized()) {
        for (const auto& change : push.changes)
          ack.rejected.push_back(
              {change.id(), "revoked", "the device's token was revoked; nothing of this push was stored"});
        continue;
      }

      // A resend of a stored change is acknowledged again without being
      // validated again (the record may have moved on since) or stored twice.
      std::vector<Change> fresh;
      fresh.reserve(push.changes.size());
      // Ids are derived text ("hlc@device"): made once per change here.
      std::vector<std::string> ids;
      ids.reserve(push.changes.size());
      for (const auto& change : push.changes) ids.push_back(change.id());
      std::unordered_set<std::string_view> ids_in_push;
      ids_in_push.reserve(ids.size());
      std::vector<std::string> fresh_ids;
      fresh_ids.reserve(push.changes.size());
      for (std::size_t c = 0; c < push.changes.size(); ++c) {
        Change& change = push.changes[c];
        const std::string& id = ids[c];
        if (!ids_in_push.insert(id).second) continue;  // repeated within the push
        // Only a possible resend is looked up. (Not "insert, and look up on
        // conflict": validation and the replica must never see a different
        // change that reuses a stored id.)
        if (stored_ids_.may_contain(id)) {
          if (auto stored = store_.find_body(id)) {
            if (*stored == encode_change(change)) {
              ack.accepted.push_back(id);
              ++ack.already_stored;
            } else {
              ack.rejected.push_back(
                  {id, "duplicate_id", "a different change with this id is already stored"});
            }
            continue;
          }
        }
        if (static_cast<int64_t>(change.hlc.millis) > now + options_.max_clock_skew_ms) {
          ack.rejected.push_back({id, "clock_skew",
                                  "change is stamped " + std::to_string((change.hlc.millis - now) / 1000) +
                                      " s ahead of the server clock; check the device's date and time"});
          continue;
        }
        fresh.push_back(std::move(change));
        fresh_ids.push_back(id);
      }

      // Authorization first (who may write this), then validation (is it
      // well-formed) of what is left.
      const std::vector<Status> permitted = authorize_batch(group[g].sender, fresh, replica_);
      std::vector<Change> allowed;
      std::vector<std::string> allowed_ids;
      allowed.reserve(fresh.size());
      allowed_ids.reserve(fresh.size());
      for (std::size_t i = 0; i < fresh.size(); ++i) {
        if (permitted[i]) {
          allowed.push_back(std::move(fresh[i]));
          allowed_ids.push_back(std::move(fresh_ids[i]));
        } else {
          ack.rejected.push_back({fresh_ids[i], permitted[i].code(), permitted[i].message()});
        }
      }
      fresh = std::move(allowed);
      fresh_ids = std::move(allowed_ids);
      const std::vector<Status> verdicts = validate_batch(fresh, replica_);
      std::vector<std::size_t> accepted;
      accepted.reserve(fresh.size());
      for (std::size_t i = 0; i < fresh.size(); ++i) {
        if (verdicts[i]) {
          accepted.push_back(i);
          replica_.apply(fresh[i]);  // first, so every change's scope is known
        } else {
          ack.rejected.push_back({fresh_ids[i], verdicts[i].code(), verdicts[i].message()});
        }
      }
      for (std::size_t i : accepted) {
        const Change& change = fresh[i];
        std::string& id = fresh_ids[i];
        std::string body = encode_change(change);
        std::string neighborhood = record_neighborhood(replica_, change.record_type, change.record_id);
        const auto seq = store_.append(change, id, body, neighborhood, now);
        if (seq) {
          stored_ids_.insert(id);
          applied_seq_ = *seq;
          if (committed->bodies.empty()) committed->first_seq = *seq;
          committed->last_seq = *seq;
          committed->seqs.push_back(*seq);
          committed->bodies.push_back(std::move(body));
          committed->record_types.push_back(change.record_type);
          committed->neighborhoods.push_back(std::move(neighborhood));
          committed->devices.push_back(change.device);
        }
        ack.accepted.push_back(std::move(id));
      }
    }
    store_.commit();
  } catch (const std::exception& e) {
    // Nothing of this group was acknowledged; the in-memory replica may be
    // ahead of the disk, so the only safe state is a fresh start from disk.
    log_error(std::string("commit failed, aborting: ") + e.what());
    std::abort();
  }

  after_replica_changed(*committed);
  Metrics& m = metrics();
  m.commit_seconds.observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  m.commit_group_pushes.observe(static_cast<double>(group.size()));
  m.acks.add(group.size());
  for (const Ack& ack : acks) {
    m.changes_accepted.add(ack.accepted.size());
    for (const Rejection& r : ack.rejected) m.changes_rejected.add(r.code);
  }
  if (!committed->bodies.empty()) on_committed_(committed);
  for (std::size_t g = 0; g < group.size(); ++g) group[g].on_ack(std::move(acks[g]));
  save_snapshot_if(false);
}

}  // namespace psc::server
