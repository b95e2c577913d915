// CommitPipeline over an in-memory ChangeStore and a fake clock: acks only
// after commit, resends, duplicate ids, clock skew, group caps, and a push
// whose sender was revoked while it waited (issue 12, items 4 and 8).
#include <catch2/catch.hpp>

#include <condition_variable>
#include <future>
#include <mutex>

#include "commit_pipeline.hpp"
#include "memory_change_store.hpp"
#include "reference_data.hpp"
#include "seed.hpp"

namespace psc::server {
namespace {

constexpr int64_t kNow = 1'780'000'000'000;  // the fake clock: a fixed instant

Change field(const std::string& record, const std::string& name, nlohmann::json value, uint64_t millis,
             const std::string& device = "tablet-1", uint32_t counter = 0) {
  Change c;
  c.record_type = "priority";
  c.record_id = record;
  c.field = name;
  c.value = std::move(value);
  c.hlc.millis = millis;
  c.hlc.counter = counter;
  c.device = device;
  c.actor = "tester";
  return c;
}

std::vector<Change> priority(const std::string& record, uint64_t millis,
                             const std::string& device = "tablet-1") {
  return {field(record, "title", "Streetlight out", millis, device, 0),
          field(record, "category", "public_safety", millis, device, 1),
          field(record, "status", "proposed", millis, device, 2),
          field(record, "neighborhood", "frog-hollow", millis, device, 3)};
}

// A coordinator signed in on `device`: every change it sends must carry it.
Principal coordinator(const std::string& device = "tablet-1") {
  Principal p;
  p.role = Role::coordinator;
  p.account = "tester";
  p.device = device;
  return p;
}

struct Fixture {
  test::MemoryChangeStore store;
  std::mutex mutex;
  std::vector<std::shared_ptr<const CommittedRange>> published;
  std::unique_ptr<CommitPipeline> pipeline;

  explicit Fixture(PipelineOptions options = {}) {
    pipeline = std::make_unique<CommitPipeline>(
        store, options, [] { return kNow; },
        [this](std::shared_ptr<const CommittedRange> range) {
          std::lock_guard lock(mutex);
          published.push_back(std::move(range));
        });
    pipeline->load();
    pipeline->seed_once("seeded_reference_data",
                        reference_changes(hartford_reference_json(), static_cast<uint64_t>(kNow)));
    pipeline->start();
  }
  Ack push(std::vector<Change> changes, CommitPipeline::StillAuthorized still = {}) {
    std::promise<Ack> done;
    Push p;
    p.batch = "b";
    p.changes = std::move(changes);
    pipeline->submit(
        std::move(p), coordinator(), [&](Ack ack) { done.set_value(std::move(ack)); }, std::move(still));
    return done.get_future().get();
  }
};

}  // namespace

TEST_CASE("a push is acknowledged after its commit; a resend is acknowledged again and stored once",
          "[pipeline]") {
  Fixture f;
  const std::size_t seeded = f.store.size();
  const Ack first = f.push(priority("0123456789abcdef0123456789abcdef", kNow - 1000));
  CHECK(first.rejected.empty());
  CHECK(first.accepted.size() == 4);
  CHECK(f.store.size() == seeded + 4);  // durable before the ack
  const Ack again = f.push(priority("0123456789abcdef0123456789abcdef", kNow - 1000));
  CHECK(again.accepted.size() == 4);
  CHECK(again.already_stored == 4);
  CHECK(f.store.size() == seeded + 4);
}

TEST_CASE("a committed range names each change's device; a store page leaves one device's changes out",
          "[pipeline]") {
  Fixture f;
  const int64_t seeded = static_cast<int64_t>(f.store.size());
  REQUIRE(f.push(priority("0123456789abcdef0123456789abcdef", kNow - 1000)).accepted.size() == 4);
  std::shared_ptr<const CommittedRange> range;
  {
    std::lock_guard lock(f.mutex);
    REQUIRE_FALSE(f.published.empty());
    range = f.published.back();
  }
  REQUIRE(range->devices.size() == range->bodies.size());
  for (const auto& device : range->devices) CHECK(device == "tablet-1");
  const ScopedPage others = f.store.read_page(seeded, 100, ReadScope{}, "tablet-1");
  CHECK(others.changes.empty());
  CHECK(others.cursor == seeded + 4);  // past the changes left out
  CHECK_FALSE(others.more);
  CHECK(f.store.read_page(seeded, 100, ReadScope{}, "tablet-2").changes.size() == 4);
  CHECK(f.store.read_page(seeded, 100, ReadScope{}, "").changes.size() == 4);
}

TEST_CASE("a different change under a stored id is refused as duplicate_id", "[pipeline]") {
  Fixture f;
  f.push(priority("11111111111111111111111111111111", kNow - 1000));
  auto changed = priority("11111111111111111111111111111111", kNow - 1000);
  changed[0].value = "Another title under the same id";
  const Ack ack = f.push(changed);
  REQUIRE(ack.rejected.size() == 1);
  CHECK(ack.rejected[0].code == "duplicate_id");
}

TEST_CASE("changes stamped beyond the clock skew are refused as clock_skew", "[pipeline]") {
  PipelineOptions options;
  options.max_clock_skew_ms = 60'000;
  Fixture f(options);
  const Ack ack = f.push(priority("22222222222222222222222222222222", kNow + 120'000));
  CHECK(ack.accepted.empty());
  REQUIRE(ack.rejected.size() == 4);
  for (const auto& r : ack.rejected) CHECK(r.code == "clock_skew");
}

TEST_CASE("a push whose sender was revoked while it waited is not stored, and nothing is published",
          "[pipeline]") {
  Fixture f;
  const std::size_t seeded = f.store.size();
  const std::size_t published = f.published.size();
  const Ack ack = f.push(priority("33333333333333333333333333333333", kNow - 1000), [] { return false; });
  CHECK(ack.accepted.empty());
  REQUIRE(ack.rejected.size() == 4);
  for (const auto& r : ack.rejected) CHECK(r.code == "revoked");
  CHECK(f.store.size() == seeded);
  std::lock_guard lock(f.mutex);
  CHECK(f.published.size() == published);
}

TEST_CASE("the group cap bounds the pushes committed in one transaction", "[pipeline]") {
  PipelineOptions options;
  options.max_group_pushes = 1;
  Fixture f(options);
  const int commits_before = f.store.commits;
  std::vector<std::future<Ack>> acks;
  std::vector<std::shared_ptr<std::promise<Ack>>> promises;
  for (int i = 0; i < 5; ++i) {
    auto done = std::make_shared<std::promise<Ack>>();
    acks.push_back(done->get_future());
    Push p;
    p.batch = std::to_string(i);
    char record[33];
    std::snprintf(record, sizeof record, "%032d", 44 + i);
    p.changes = priority(record, kNow - 1000, "tablet-" + std::to_string(i));
    f.pipeline->submit(std::move(p), coordinator("tablet-" + std::to_string(i)),
                       [done](Ack ack) { done->set_value(std::move(ack)); });
  }
  for (auto& a : acks) CHECK(a.get().accepted.size() == 4);
  CHECK(f.store.commits - commits_before == 5);
}

TEST_CASE("a change stamped with another device than the session's is refused, the rest of the push stored",
          "[pipeline]") {
  Fixture f;
  const std::size_t seeded = f.store.size();
  auto changes = priority("55555555555555555555555555555555", kNow - 1000);
  auto foreign = priority("66666666666666666666666666666666", kNow - 1000, "victim-tablet");
  changes.insert(changes.end(), foreign.begin(), foreign.end());
  const Ack ack = f.push(std::move(changes));
  CHECK(ack.accepted.size() == 4);
  REQUIRE(ack.rejected.size() == 4);
  for (const auto& r : ack.rejected) CHECK(r.code == "device_mismatch");
  CHECK(f.store.size() == seeded + 4);
}

}  // namespace psc::server
