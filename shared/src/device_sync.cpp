#include "psc/device_sync.hpp"

#include <algorithm>
#include <unordered_set>
#include <utility>

#include "psc/wire_scan.hpp"

namespace psc {

namespace {

OutboxEntry entry_of(Change change, std::string_view text = {}) {
  std::string id = change.id();
  std::string wire = text.empty() ? encode_change(change) : std::string(text);
  return {std::move(change), std::move(id), std::move(wire)};
}

}  // namespace

DeviceSync::DeviceSync(int64_t cursor, DeviceSyncOptions options)
    : options_(options), cursor_(cursor), max_batch_(std::max<int64_t>(1, options.max_batch)) {
  options_.pushes_in_flight = std::max(1, options_.pushes_in_flight);
}

bool DeviceSync::on_welcome(const Welcome& welcome, bool adopt_cursor) {
  welcomed_ = true;
  const int64_t cap = std::max<int64_t>(1, options_.max_batch);
  max_batch_ = welcome.max_batch > 0 ? std::min(cap, welcome.max_batch) : cap;
  if (welcome.max_message_bytes > 0) max_message_bytes_ = welcome.max_message_bytes;
  bool moved = false;
  if (adopt_cursor && welcome.cursor != cursor_) {
    cursor_ = welcome.cursor;
    moved = true;
  }
  catch_up_ = CatchUp{cursor_, 0, -1, false};
  return moved;
}

void DeviceSync::on_connection_lost() {
  welcomed_ = false;
  catch_up_.reset();
  // Newest batch first, each pushed to the front last change first: the
  // outbox ends up in the order the changes were first queued.
  for (auto batch = in_flight_.rbegin(); batch != in_flight_.rend(); ++batch)
    for (auto entry = batch->entries.rbegin(); entry != batch->entries.rend(); ++entry)
      outbox_.push_front(std::move(*entry));
  in_flight_.clear();
}

void DeviceSync::enqueue(Change change) { outbox_.push_back(entry_of(std::move(change))); }

void DeviceSync::enqueue(std::vector<Change> changes) { enqueue(std::move(changes), {}); }

void DeviceSync::enqueue(std::vector<Change> changes, const std::vector<std::string_view>& texts) {
  const bool with_texts = texts.size() == changes.size();
  for (std::size_t i = 0; i < changes.size(); ++i)
    outbox_.push_back(entry_of(std::move(changes[i]), with_texts ? texts[i] : std::string_view()));
}

void DeviceSync::replace_outbox(std::vector<Change> changes, const std::vector<std::string_view>& texts) {
  // What is in flight stays in flight (its ack may still come); the store
  // still lists it as waiting, so it is left out here.
  std::unordered_set<std::string> flying;
  for (const auto& batch : in_flight_)
    for (const auto& entry : batch.entries) flying.insert(entry.id);
  outbox_.clear();
  const bool with_texts = texts.size() == changes.size();
  for (std::size_t i = 0; i < changes.size(); ++i)
    if (!flying.contains(changes[i].id()))
      outbox_.push_back(entry_of(std::move(changes[i]), with_texts ? texts[i] : std::string_view()));
}

std::size_t DeviceSync::batch_size(const std::vector<const OutboxEntry*>& entries,
                                   std::size_t frame_bytes) const {
  std::size_t count = std::min<std::size_t>(static_cast<std::size_t>(max_batch_), entries.size());
  for (;;) {
    // Never end a push inside a record's creation (unless the record alone
    // is more than a push: then the server refuses the part it cannot check,
    // visibly, instead of the device waiting forever).
    std::size_t cut = count;
    while (cut > 1 && cut < entries.size() &&
           entries[cut - 1]->change.record_id == entries[cut]->change.record_id)
      --cut;
    if (cut > 1) count = cut;
    std::size_t bytes = frame_bytes + 2 + count;  // "[" "]" and the commas
    for (std::size_t i = 0; i < count; ++i) bytes += entries[i]->wire.size();
    if (static_cast<int64_t>(bytes) <= max_message_bytes_ || count == 1) return count;
    count = (count + 1) / 2;
  }
}

std::optional<OutgoingPush> DeviceSync::next_push(std::string batch, std::string_view only_actor) {
  if (!welcomed_ || outbox_.empty() ||
      in_flight_.size() >= static_cast<std::size_t>(options_.pushes_in_flight))
    return std::nullopt;
  // The candidates, oldest first: the whole outbox front, or those of one actor.
  const std::size_t limit =
      static_cast<std::size_t>(max_batch_) + 1;  // one more: is the next of the same record?
  std::vector<const OutboxEntry*> candidates;
  std::vector<std::size_t> positions;
  for (std::size_t i = 0; i < outbox_.size() && candidates.size() < limit; ++i) {
    if (!only_actor.empty() && outbox_[i].change.actor != only_actor) continue;
    candidates.push_back(&outbox_[i]);
    positions.push_back(i);
  }
  if (candidates.empty()) return std::nullopt;
  PushFrame frame = push_frame(batch);
  const std::size_t count = batch_size(candidates, frame.head.size() + frame.tail.size());

  Batch sent{std::move(batch), {}};
  sent.entries.reserve(count);
  std::string text = std::move(frame.head);
  std::size_t bytes = text.size() + frame.tail.size() + 2 + count;
  for (std::size_t i = 0; i < count; ++i) bytes += candidates[i]->wire.size();
  text.reserve(bytes);
  text += '[';
  for (std::size_t i = 0; i < count; ++i) {
    if (i) text += ',';
    text += candidates[i]->wire;
  }
  text += ']';
  text += frame.tail;

  if (positions[count - 1] == count - 1) {
    // The common case: the batch is the outbox's front.
    for (std::size_t i = 0; i < count; ++i) sent.entries.push_back(std::move(outbox_[i]));
    outbox_.erase(outbox_.begin(), outbox_.begin() + static_cast<std::ptrdiff_t>(count));
  } else {
    std::deque<OutboxEntry> rest;
    std::size_t next = 0;
    for (std::size_t i = 0; i < outbox_.size(); ++i) {
      if (next < count && positions[next] == i) {
        sent.entries.push_back(std::move(outbox_[i]));
        ++next;
      } else {
        rest.push_back(std::move(outbox_[i]));
      }
    }
    outbox_ = std::move(rest);
  }
  in_flight_.push_back(std::move(sent));
  const Batch& flying = in_flight_.back();
  return OutgoingPush{flying.id, std::move(text), std::span<const OutboxEntry>(flying.entries)};
}

AckOutcome DeviceSync::on_ack(const Ack& ack) {
  AckOutcome outcome;
  auto batch =
      std::find_if(in_flight_.begin(), in_flight_.end(), [&](const Batch& b) { return b.id == ack.batch; });
  if (batch == in_flight_.end()) return outcome;
  outcome.known = true;
  outcome.sent = batch->entries.size();
  std::unordered_set<std::string_view> answered;
  for (const auto& id : ack.accepted) answered.insert(id);
  for (const auto& rejection : ack.rejected) answered.insert(rejection.change);
  std::vector<OutboxEntry> again;
  for (auto& entry : batch->entries) {
    if (answered.contains(entry.id)) continue;
    outcome.unanswered.push_back(entry.id);
    again.push_back(std::move(entry));
  }
  in_flight_.erase(batch);
  for (auto entry = again.rbegin(); entry != again.rend(); ++entry) outbox_.push_front(std::move(*entry));
  return outcome;
}

std::size_t DeviceSync::unacknowledged() const {
  std::size_t n = outbox_.size();
  for (const auto& batch : in_flight_) n += batch.entries.size();
  return n;
}

bool DeviceSync::has_unacknowledged_of(std::string_view actor) const {
  for (const auto& entry : outbox_)
    if (entry.change.actor == actor) return true;
  for (const auto& batch : in_flight_)
    for (const auto& entry : batch.entries)
      if (entry.change.actor == actor) return true;
  return false;
}

void DeviceSync::on_page(int64_t cursor, bool more, std::size_t count) {
  cursor_ = cursor;
  if (!more) {
    catch_up_.reset();
    return;
  }
  if (!catch_up_) catch_up_ = CatchUp{cursor, 0, -1, false};
  catch_up_->paging = true;
  catch_up_->received += static_cast<int64_t>(count);
}

void DeviceSync::set_catch_up_target(int64_t sequence) {
  if (catch_up_) catch_up_->target = sequence;
}

std::optional<CatchUpProgress> DeviceSync::catch_up() const {
  if (!catch_up_ || !catch_up_->paging) return std::nullopt;
  CatchUpProgress progress{catch_up_->received, -1};
  if (catch_up_->target > catch_up_->start)
    progress.fraction = std::min(1.0, static_cast<double>(cursor_ - catch_up_->start) /
                                          static_cast<double>(catch_up_->target - catch_up_->start));
  return progress;
}

}  // namespace psc
