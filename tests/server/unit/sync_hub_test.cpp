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
  }
  return range;
}

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
            hub.next(head.load() + 1000, scope, everything, session.get(), weak);  // registers a wait
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
    std::weak_ptr<SyncSession> weak = s == kept.get() ? std::weak_ptr<SyncSession>(kept) : std::weak_ptr<SyncSession>(dropped);
    hub.join(s, weak, nullptr);
    CHECK(hub.next(0, scope, everything, s, weak).kind == SyncHub::Next::wait);
  }
  dropped.reset();
  hub.publish(range_of(1, 5));
  CHECK(kept->woken == 1);
  auto next = hub.next(0, scope, everything, kept.get(), kept);
  CHECK(next.kind == SyncHub::Next::send);
  CHECK(next.changes == 5);
  CHECK(next.cursor == 5);
  CHECK(hub.size() == 1);
}

}  // namespace psc::server
