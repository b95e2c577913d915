#include <catch2/catch.hpp>

#include <set>

#include "psc/device_sync.hpp"
#include "psc/local_device.hpp"
#include "psc/wire_scan.hpp"
#include "test_support.hpp"

using nlohmann::json;
using namespace psc;

namespace {

// `records` priorities created by one device: 4 changes each, in order.
std::vector<Change> priorities(LocalDevice& device, int records, uint64_t first_random = 1) {
  std::vector<Change> out;
  for (int i = 0; i < records; ++i) {
    auto created = device.create("priority",
                                 {{"title", "Speeding on Broad St " + std::to_string(i)},
                                  {"category", "traffic_streets"},
                                  {"status", "proposed"},
                                  {"neighborhood", "frog-hollow"}},
                                 1000 + static_cast<uint64_t>(i), first_random + static_cast<uint64_t>(i), 9);
    REQUIRE(created);
    for (auto& c : created.value()) out.push_back(std::move(c));
  }
  return out;
}

Welcome welcome(int64_t max_batch = 500, int64_t max_bytes = 1024 * 1024, int64_t cursor = 0) {
  Welcome w;
  w.max_batch = max_batch;
  w.max_message_bytes = max_bytes;
  w.cursor = cursor;
  return w;
}

// The push as the server decodes it.
Push decoded(const OutgoingPush& push) {
  auto message = decode_client_message(push.text);
  REQUIRE(message);
  REQUIRE(std::holds_alternative<Push>(message.value()));
  return std::get<Push>(message.value());
}

std::vector<std::string> ids(const std::vector<Change>& changes) {
  std::vector<std::string> out;
  for (const auto& c : changes) out.push_back(c.id());
  return out;
}

std::vector<std::string> ids(std::span<const OutboxEntry> entries) {
  std::vector<std::string> out;
  for (const auto& e : entries) out.push_back(e.id);
  return out;
}

Ack accept_all(const OutgoingPush& push) {
  Ack ack;
  ack.batch = push.batch;
  ack.accepted = ids(push.changes);
  return ack;
}

struct Fixture {
  LocalDevice device{"tab-1", "Ana"};
  Fixture() { test::seed(device); }
};

}  // namespace

TEST_CASE_METHOD(
    Fixture,
    "nothing is pushed before the welcome; then the outbox goes out oldest first, as the server decodes it") {
  DeviceSync sync;
  const auto changes = priorities(device, 3);
  sync.enqueue(changes);
  CHECK_FALSE(sync.next_push("b1"));
  sync.on_welcome(welcome());
  auto push = sync.next_push("b1");
  REQUIRE(push);
  const Push sent = decoded(*push);
  CHECK(sent.batch == "b1");
  CHECK(sent.changes == changes);
  CHECK(sync.unacknowledged() == changes.size());
  CHECK(sync.queued() == 0);
}

TEST_CASE_METHOD(Fixture,
                 "a push holds at most max_batch changes and never ends inside a record's creation") {
  DeviceSync sync(0, {.max_batch = 500, .pushes_in_flight = 8});
  const auto changes = priorities(device, 5);  // 20 changes, 4 per record
  sync.enqueue(changes);
  sync.on_welcome(welcome(10));  // the server's limit is lower than the device's
  CHECK(sync.max_batch() == 10);
  std::vector<std::string> order;
  while (auto push = sync.next_push("b" + std::to_string(order.size()))) {
    CHECK(push->changes.size() <= 10);
    CHECK(push->changes.size() % 4 == 0);  // whole records: 8, 8, 4
    for (const auto& id : ids(push->changes)) order.push_back(id);
  }
  CHECK(order == ids(changes));
}

TEST_CASE_METHOD(Fixture, "a device's own cap holds when the server allows more") {
  DeviceSync sync(0, {.max_batch = 4});
  sync.enqueue(priorities(device, 3));
  sync.on_welcome(welcome(500));
  auto push = sync.next_push("b1");
  REQUIRE(push);
  CHECK(push->changes.size() == 4);
}

TEST_CASE_METHOD(Fixture, "a push stays under the server's message limit, halving until it fits") {
  DeviceSync sync(0, {.max_batch = 500, .pushes_in_flight = 100});
  const auto changes = priorities(device, 40);  // 160 changes, ~300 bytes each
  sync.enqueue(changes);
  sync.on_welcome(welcome(500, 8 * 1024));
  std::vector<std::string> order;
  std::size_t pushes = 0, bytes = 0;
  while (auto push = sync.next_push("b" + std::to_string(pushes))) {
    ++pushes;
    bytes += push->text.size();
    CHECK(push->text.size() <= 8 * 1024);
    CHECK(decoded(*push).changes.size() == push->changes.size());
    for (const auto& id : ids(push->changes)) order.push_back(id);
  }
  CHECK(bytes > 4 * 8 * 1024);  // so it took several pushes
  CHECK(order == ids(changes));
}

TEST_CASE_METHOD(Fixture,
                 "one change larger than the limit is still sent alone (the server refuses it visibly)") {
  DeviceSync sync;
  sync.enqueue(priorities(device, 1));
  sync.on_welcome(welcome(500, 10));
  auto push = sync.next_push("b1");
  REQUIRE(push);
  CHECK(push->changes.size() == 1);
}

TEST_CASE_METHOD(Fixture, "at most pushes_in_flight await their ack; an ack frees the slot") {
  DeviceSync sync(0, {.max_batch = 4, .pushes_in_flight = 2});
  sync.enqueue(priorities(device, 4));
  sync.on_welcome(welcome());
  auto first = sync.next_push("b1");
  auto second = sync.next_push("b2");
  REQUIRE(first);
  REQUIRE(second);
  CHECK_FALSE(sync.next_push("b3"));
  CHECK(sync.in_flight() == 2);
  const AckOutcome outcome = sync.on_ack(accept_all(*first));
  CHECK(outcome.known);
  CHECK(outcome.sent == 4);
  CHECK(outcome.unanswered.empty());
  CHECK(sync.unacknowledged() == 12);
  CHECK(sync.next_push("b3"));
}

TEST_CASE_METHOD(Fixture, "an ack of an unknown batch changes nothing") {
  DeviceSync sync;
  sync.enqueue(priorities(device, 1));
  sync.on_welcome(welcome());
  auto push = sync.next_push("b1");
  REQUIRE(push);
  Ack ack = accept_all(*push);
  ack.batch = "someone-else";
  CHECK_FALSE(sync.on_ack(ack).known);
  CHECK(sync.in_flight() == 1);
  CHECK(sync.unacknowledged() == 4);
}

TEST_CASE_METHOD(
    Fixture, "changes an ack leaves unanswered, or answers with another batch's ids, are sent again first") {
  DeviceSync sync(0, {.max_batch = 4});
  const auto changes = priorities(device, 2);
  sync.enqueue(changes);
  sync.on_welcome(welcome());
  auto push = sync.next_push("b1");
  REQUIRE(push);
  Ack ack;
  ack.batch = "b1";
  ack.accepted = {changes[0].id(), changes[5].id()};  // changes[5] is not in this batch
  ack.rejected = {{changes[1].id(), "invalid_field", "no"}};
  const AckOutcome outcome = sync.on_ack(ack);
  CHECK(outcome.known);
  CHECK(outcome.unanswered == std::vector<std::string>{changes[2].id(), changes[3].id()});
  CHECK(sync.unacknowledged() == 6);
  auto again = sync.next_push("b2");
  REQUIRE(again);
  // The unanswered two first, then as much of the next record as fits whole:
  // the next record's four would make six, over max_batch 4, so two only.
  CHECK(ids(again->changes) == std::vector<std::string>{changes[2].id(), changes[3].id()});
}

TEST_CASE_METHOD(Fixture, "a lost connection puts the batches in flight back at the front, in order") {
  DeviceSync sync(0, {.max_batch = 4, .pushes_in_flight = 3});
  const auto changes = priorities(device, 4);
  sync.enqueue(changes);
  sync.on_welcome(welcome());
  REQUIRE(sync.next_push("b1"));
  REQUIRE(sync.next_push("b2"));
  sync.on_connection_lost();
  CHECK_FALSE(sync.welcomed());
  CHECK(sync.in_flight() == 0);
  CHECK(sync.queued() == changes.size());
  CHECK_FALSE(sync.next_push("b3"));
  sync.on_welcome(welcome());
  std::vector<std::string> order;
  while (auto push = sync.next_push("c" + std::to_string(order.size()))) {
    for (const auto& id : ids(push->changes)) order.push_back(id);
    sync.on_ack(accept_all(*push));
  }
  CHECK(order == ids(changes));
  // An ack of a batch of the old connection is unknown now.
  Ack late;
  late.batch = "b1";
  late.accepted = {changes[0].id()};
  CHECK_FALSE(sync.on_ack(late).known);
}

TEST_CASE_METHOD(Fixture,
                 "a push for one actor carries only that actor's changes; the others wait in order") {
  LocalDevice kiosk("tab-1", "kiosk-frog-hollow");
  test::seed(kiosk);
  DeviceSync sync(0, {.max_batch = 500});
  const auto ana = priorities(device, 2, 1);
  const auto kiosk_changes = priorities(kiosk, 1, 50);
  sync.enqueue(std::vector<Change>{ana.begin(), ana.begin() + 4});
  sync.enqueue(kiosk_changes);
  sync.enqueue(std::vector<Change>{ana.begin() + 4, ana.end()});
  sync.on_welcome(welcome());
  CHECK(sync.has_unacknowledged_of("kiosk-frog-hollow"));
  auto push = sync.next_push("k1", "kiosk-frog-hollow");
  REQUIRE(push);
  CHECK(decoded(*push).changes == kiosk_changes);
  sync.on_ack(accept_all(*push));
  CHECK_FALSE(sync.has_unacknowledged_of("kiosk-frog-hollow"));
  CHECK_FALSE(sync.next_push("k2", "kiosk-frog-hollow"));
  auto rest = sync.next_push("a1", "Ana");
  REQUIRE(rest);
  CHECK(decoded(*rest).changes == ana);
}

TEST_CASE_METHOD(Fixture, "replacing the outbox from the store keeps what is in flight out of it") {
  DeviceSync sync(0, {.max_batch = 4});
  const auto changes = priorities(device, 3);
  sync.enqueue(std::vector<Change>{changes.begin(), changes.begin() + 4});
  sync.on_welcome(welcome());
  auto push = sync.next_push("b1");
  REQUIRE(push);
  sync.replace_outbox(changes);  // the store lists all twelve as waiting
  CHECK(sync.queued() == 8);
  CHECK(sync.unacknowledged() == 12);
  sync.on_ack(accept_all(*push));
  auto next = sync.next_push("b2");
  REQUIRE(next);
  const auto all = ids(changes);
  CHECK(ids(next->changes) == std::vector<std::string>(all.begin() + 4, all.begin() + 8));
}

TEST_CASE("the cursor follows stored pages; a welcome from a restored store moves it unless told not to") {
  DeviceSync sync(120);
  CHECK_FALSE(sync.on_welcome(welcome(500, 1024 * 1024, 120)));
  sync.on_page(150, false, 30);
  CHECK(sync.cursor() == 150);
  CHECK(sync.on_welcome(welcome(500, 1024 * 1024, 0)));  // the store was restored: from the start
  CHECK(sync.cursor() == 0);
  CHECK_FALSE(sync.on_welcome(welcome(500, 1024 * 1024, 40), /*adopt_cursor=*/false));
  CHECK(sync.cursor() == 0);
}

TEST_CASE("catch-up progress: changes received and the share of the way to the target, until a last page") {
  DeviceSync sync(100);
  sync.on_welcome(welcome(500, 1024 * 1024, 100));
  CHECK_FALSE(sync.catch_up());  // no page with `more` yet
  sync.on_page(200, true, 90);
  REQUIRE(sync.catch_up());
  CHECK(sync.catch_up()->received == 90);
  CHECK(sync.catch_up()->fraction < 0);  // no target known
  sync.set_catch_up_target(500);
  CHECK(sync.catch_up()->fraction == Approx(0.25));
  sync.on_page(600, true, 400);  // past the target (it grew meanwhile)
  CHECK(sync.catch_up()->received == 490);
  CHECK(sync.catch_up()->fraction == 1.0);
  sync.on_page(610, false, 10);
  CHECK_FALSE(sync.catch_up());
  sync.on_page(611, true, 1);  // a live burst with more: counted from there
  CHECK(sync.catch_up()->received == 1);
  sync.on_connection_lost();
  CHECK_FALSE(sync.catch_up());
}

TEST_CASE_METHOD(Fixture, "changes queued with the text the host read are sent as that text") {
  const auto changes = priorities(device, 2);
  // Not the core's own encoding: indented, spaces between entries.
  std::string text = "[ ";
  for (std::size_t i = 0; i < changes.size(); ++i)
    text += (i ? " , " : "") + change_to_json(changes[i]).dump(2);
  text += " ]";
  std::vector<std::string_view> texts;
  auto scanned = scan_change_array(text, &texts);
  REQUIRE(scanned);
  DeviceSync sync;
  sync.enqueue(std::move(*scanned), texts);
  sync.on_welcome(welcome());
  auto push = sync.next_push("b1");
  REQUIRE(push);
  CHECK(decoded(*push).changes == changes);
  CHECK(push->text.find(std::string(texts[0])) != std::string::npos);  // forwarded as read, not re-encoded
}
