// SyncHub under concurrency: sessions created, woken and dropped on other
// threads while the commit thread publishes (issue 12, item 8).
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <future>
#include <iostream>
#include <random>
#include <thread>

#include "sync_hub.hpp"

namespace psc::server {
namespace {

std::shared_ptr<const CommittedRange> range_of(int64_t first, int64_t count) {
  auto range = std::make_shared<CommittedRange>();
  range->first_seq = first;
  range->last_seq = first + count - 1;
  for (int64_t s = first; s < first + count; ++s) {
    range->seqs.push_back(s);
    range->bodies.push_back(R"({"id":"x)" + std::to_string(s) + R"("})");
    range->record_types.push_back("priority");
    range->neighborhoods.push_back(s % 2 ? "frog-hollow" : "parkville");
    range->devices.push_back("tablet-" + std::to_string(s % 3));
  }
  return range;
}

// A range whose changes come from `devices` in turn (seq first, first + 1, ...).
std::shared_ptr<const CommittedRange> range_from(int64_t first, const std::vector<std::string>& devices) {
  auto range = std::make_shared<CommittedRange>();
  range->first_seq = first;
  range->last_seq = first + static_cast<int64_t>(devices.size()) - 1;
  int64_t s = first;
  for (const auto& device : devices) {
    range->seqs.push_back(s);
    range->bodies.push_back(R"({"id":")" + std::to_string(s) + "@" + device + R"("})");
    range->record_types.push_back("priority");
    range->neighborhoods.push_back("frog-hollow");
    range->devices.push_back(device);
    ++s;
  }
  return range;
}

std::string ids_of(const SyncHub::Next& next) { return next.body ? *next.body : ""; }

// Like WebSocketSession, its destructor leaves the hub: if the hub let the
// last reference go while holding its mutex, that would deadlock.
class FakeSession : public SyncSession, public std::enable_shared_from_this<FakeSession> {
 public:
  explicit FakeSession(SyncHub& hub) : hub_(hub) {}
  ~FakeSession() override { hub_.leave(this); }
  void wake() override { ++woken; }
  void shutdown() override { ++shut; }
  void revoke(const std::string& code, const std::string&) override {
    revoked_code = code;
    ++revoked;
  }
  std::atomic<int> woken{0}, shut{0}, revoked{0};
  std::string revoked_code;

 private:
  SyncHub& hub_;
};

// Runs `body` on a thread; fails (and ends the process, since a deadlocked
// thread cannot be joined) if it has not finished within `limit`.
void finishes_within(std::chrono::seconds limit, const std::function<void()>& body) {
  auto done = std::async(std::launch::async, body);
  if (done.wait_for(limit) != std::future_status::ready) {
    std::cerr << "deadlock: the hub stress test did not finish within " << limit.count() << " s\n";
    std::_Exit(3);
  }
  done.get();
}

}  // namespace

TEST_CASE("sessions dropped while the commit thread publishes never deadlock the hub", "[sync_hub]") {
  SyncHub hub;
  HubOptions options;
  options.page_size = 50;
  options.window_bytes = 256 * 1024;
  hub.configure(options, 0);
  const ReadScope everything{};
  const int scope = hub.scope_id(everything);

  finishes_within(std::chrono::seconds(60), [&] {
    std::atomic<bool> stop{false};
    std::atomic<int64_t> head{0};
    std::atomic<long> created{0};
    // The commit thread: publishes as fast as it can.
    std::thread commit([&] {
      int64_t next = 1;
      while (!stop) {
        hub.publish(range_of(next, 3));
        next += 3;
        head = next - 1;
      }
    });
    // Network-side threads: make sessions, join them, have them wait for
    // the next publish (the hub then holds them only weakly), and drop them
    // at once, so the publish's reference is often the last one.
    std::vector<std::thread> devices;
    for (int t = 0; t < 3; ++t)
      devices.emplace_back([&, t] {
        std::mt19937 random(static_cast<unsigned>(t));
        while (!stop) {
          std::vector<std::shared_ptr<FakeSession>> batch;
          for (int i = 0; i < 16; ++i) {
            auto session = std::make_shared<FakeSession>(hub);
            std::weak_ptr<SyncSession> weak = session;
            hub.join(session.get(), weak, std::make_shared<SessionCredential>());
            hub.next(head.load() + 1000, scope, everything, "", session.get(), weak);  // registers a wait
            batch.push_back(std::move(session));
            ++created;
          }
          // Members held by someone else (a revocation check) while dropped.
          if (random() % 4 == 0) {
            auto members = hub.members();
            batch.clear();
          }
          std::shuffle(batch.begin(), batch.end(), random);
          batch.clear();
        }
      });
    std::this_thread::sleep_for(std::chrono::seconds(3));
    stop = true;
    commit.join();
    for (auto& d : devices) d.join();
    INFO("sessions created: " << created.load());
    CHECK(created.load() > 1000);
  });
  CHECK(hub.size() == 0);  // every session that went away left
}

TEST_CASE("members() and close_all() see live sessions only, with their credentials", "[sync_hub]") {
  SyncHub hub;
  hub.configure(HubOptions{}, 0);
  auto a = std::make_shared<FakeSession>(hub);
  auto credential = std::make_shared<SessionCredential>();
  credential->token_digest = "digest-a";
  credential->device = "tablet-a";
  hub.join(a.get(), a, credential);
  {
    auto b = std::make_shared<FakeSession>(hub);
    hub.join(b.get(), b, nullptr);
    CHECK(hub.members().size() == 2);
  }
  const auto members = hub.members();
  REQUIRE(members.size() == 1);
  CHECK(members[0].session.get() == a.get());
  CHECK(members[0].credential->device == "tablet-a");
  hub.close_all();
  CHECK(a->shut == 1);
}

TEST_CASE("a session woken by a publish gets the range; a dropped one is skipped", "[sync_hub]") {
  SyncHub hub;
  hub.configure(HubOptions{}, 0);
  const ReadScope everything{};
  const int scope = hub.scope_id(everything);
  auto kept = std::make_shared<FakeSession>(hub);
  auto dropped = std::make_shared<FakeSession>(hub);
  for (auto* s : {kept.get(), dropped.get()}) {
    std::weak_ptr<SyncSession> weak =
        s == kept.get() ? std::weak_ptr<SyncSession>(kept) : std::weak_ptr<SyncSession>(dropped);
    hub.join(s, weak, nullptr);
    CHECK(hub.next(0, scope, everything, "", s, weak).kind == SyncHub::Next::wait);
  }
  dropped.reset();
  hub.publish(range_of(1, 5));
  CHECK(kept->woken == 1);
  auto next = hub.next(0, scope, everything, "", kept.get(), kept);
  CHECK(next.kind == SyncHub::Next::send);
  CHECK(next.changes == 5);
  CHECK(next.cursor == 5);
  CHECK(hub.size() == 1);
}

TEST_CASE("a session is not sent its own device's changes; its cursor still covers them", "[sync_hub]") {
  SyncHub hub;
  HubOptions options;
  options.page_size = 4;
  hub.configure(options, 0);
  const ReadScope everything{};
  const int scope = hub.scope_id(everything);
  auto a = std::make_shared<FakeSession>(hub);
  auto c = std::make_shared<FakeSession>(hub);
  hub.join(a.get(), a, nullptr);
  hub.join(c.get(), c, nullptr);
  // Pieces of 4: [1 a, 2 b, 3 a, 4 b], [5 b, 6 b, 7 b, 8 b], [9 a, 10 a].
  hub.publish(range_from(1, {"a", "b", "a", "b", "b", "b", "b", "b", "a", "a"}));

  SECTION("a piece with some of its changes: a body of its own without them") {
    auto next = hub.next(0, scope, everything, "a", a.get(), a);
    REQUIRE(next.kind == SyncHub::Next::send);
    CHECK(ids_of(next) == R"({"id":"2@b"},{"id":"4@b"})");
    CHECK(next.changes == 2);
    CHECK(next.cursor == 4);
    CHECK(next.skipped_own);
    CHECK(next.more);
    // Another device shares the piece's own text.
    auto other = hub.next(0, scope, everything, "c", c.get(), c);
    CHECK(other.changes == 4);
    CHECK(other.cursor == 4);
    CHECK_FALSE(other.skipped_own);
    // A piece without its changes: the shared text, the same object; the
    // piece after it, all its own, is covered by the same page's cursor.
    auto second = hub.next(4, scope, everything, "a", a.get(), a);
    auto second_other = hub.next(4, scope, everything, "c", c.get(), c);
    CHECK(second.changes == 4);
    CHECK(second.cursor == 10);
    CHECK(second.skipped_own);
    CHECK_FALSE(second.more);
    CHECK(second_other.cursor == 8);
    CHECK(second.body == second_other.body);
    // A piece of nothing but its changes: no body, the cursor moves past it.
    auto last = hub.next(8, scope, everything, "a", a.get(), a);
    CHECK(last.kind == SyncHub::Next::send);
    CHECK(last.body == nullptr);
    CHECK(last.changes == 0);
    CHECK(last.cursor == 10);
    CHECK(last.skipped_own);
    CHECK_FALSE(last.more);
    CHECK(hub.next(10, scope, everything, "a", a.get(), a).kind == SyncHub::Next::wait);
  }

  SECTION("a merged range with its changes is its own, never handed to another session") {
    HubOptions wide;
    wide.page_size = 100;
    SyncHub merged;
    merged.configure(wide, 0);
    const int everyone = merged.scope_id(everything);
    merged.publish(range_from(1, {"a", "b"}));
    merged.publish(range_from(3, {"b", "a"}));
    merged.publish(range_from(5, {"b"}));
    auto mine = merged.next(0, everyone, everything, "a", a.get(), a);
    CHECK(ids_of(mine) == R"({"id":"2@b"},{"id":"3@b"},{"id":"5@b"})");
    CHECK(mine.cursor == 5);
    auto theirs = merged.next(0, everyone, everything, "c", c.get(), c);
    CHECK(theirs.changes == 5);
    CHECK(ids_of(theirs) == R"({"id":"1@a"},{"id":"2@b"},{"id":"3@b"},{"id":"4@a"},{"id":"5@b"})");
    // And the other way round: a shared merge is not what the device gets.
    auto again = merged.next(0, everyone, everything, "a", a.get(), a);
    CHECK(ids_of(again) == ids_of(mine));
    // The cursor inside a piece (a store page ended there): the rest, less its own.
    auto inside = merged.next(3, everyone, everything, "a", a.get(), a);
    CHECK(ids_of(inside) == R"({"id":"5@b"})");
    CHECK(inside.cursor == 5);
    CHECK(inside.skipped_own);
  }

  SECTION("a range whose pieces of its own were all skipped does not take another session's merged body") {
    // [1 a], [2 b], [3 c], [4 d, 5 d] with 3 changes a page: a session of
    // another device merges 1..3 and stops before 4; so does device a, from
    // the parts 2 and 3 only (1 is its own): the same range, not the same body.
    HubOptions three;
    three.page_size = 3;
    SyncHub merged;
    merged.configure(three, 0);
    const int everyone = merged.scope_id(everything);
    merged.publish(range_from(1, {"a"}));
    merged.publish(range_from(2, {"b"}));
    merged.publish(range_from(3, {"c"}));
    merged.publish(range_from(4, {"d", "d"}));
    auto theirs = merged.next(0, everyone, everything, "z", c.get(), c);
    CHECK(ids_of(theirs) == R"({"id":"1@a"},{"id":"2@b"},{"id":"3@c"})");
    CHECK(theirs.cursor == 3);
    auto mine = merged.next(0, everyone, everything, "a", a.get(), a);
    CHECK(mine.cursor == 3);
    CHECK(ids_of(mine) == R"({"id":"2@b"},{"id":"3@c"})");
    CHECK(mine.skipped_own);
    // And the other way round: device a first, then another session.
    SyncHub reverse;
    reverse.configure(three, 0);
    const int all = reverse.scope_id(everything);
    reverse.publish(range_from(1, {"a"}));
    reverse.publish(range_from(2, {"b"}));
    reverse.publish(range_from(3, {"c"}));
    reverse.publish(range_from(4, {"d", "d"}));
    CHECK(ids_of(reverse.next(0, all, everything, "a", a.get(), a)) == R"({"id":"2@b"},{"id":"3@c"})");
    CHECK(ids_of(reverse.next(0, all, everything, "z", c.get(), c)) ==
          R"({"id":"1@a"},{"id":"2@b"},{"id":"3@c"})");
  }

  SECTION("a scoped reader: its scope's changes, less its own") {
    ReadScope parkville;
    parkville.neighborhood = "parkville";
    const int scoped = hub.scope_id(parkville);
    // Every change is in frog-hollow: nothing to send, the cursor moves, nothing owed.
    auto next = hub.next(0, scoped, parkville, "b", c.get(), c);
    CHECK(next.body == nullptr);
    CHECK(next.cursor == 10);
    CHECK_FALSE(next.skipped_own);  // b's changes were out of its scope anyway
  }
}

}  // namespace psc::server
