// Validation snapshots (server/validation_snapshot.hpp): a round trip keeps
// the replica and the stored-id filter; anything that cannot be trusted for
// the state after sequence N decodes to nothing, so the server replays the
// whole log instead of validating against a wrong state.
#include <catch2/catch.hpp>

#include "change_id_filter.hpp"
#include "validation_snapshot.hpp"

namespace psc::server {
namespace {

Change field(const std::string& record, const std::string& name, nlohmann::json value, uint32_t counter) {
  Change c;
  c.record_type = "priority";
  c.record_id = record;
  c.field = name;
  c.value = std::move(value);
  c.hlc.millis = 1'780'000'000'000;
  c.hlc.counter = counter;
  c.device = "tablet-1";
  c.actor = "tester";
  return c;
}

struct Built {
  Replica replica;
  ChangeIdFilter ids;
  std::vector<Change> changes;
};

Built three_changes() {
  Built b;
  b.changes = {field("rec-a", "title", "Streetlight out", 0), field("rec-a", "status", "proposed", 1),
               field("rec-b", "title", "Potholes", 2)};
  for (const auto& c : b.changes) {
    b.replica.apply(c);
    b.ids.insert(c.id());
  }
  return b;
}

TEST_CASE("a validation snapshot keeps the replica and the stored ids") {
  Built b = three_changes();
  const std::string bytes = encode_validation_snapshot(b.replica, b.ids);
  auto state = decode_validation_snapshot(bytes, 3);
  REQUIRE(state);
  CHECK(state->replica.record_count() == 2);
  CHECK(state->replica.applied_count() == 3);
  for (const auto& c : b.changes) CHECK(state->stored_ids.may_contain(c.id()));
  CHECK_FALSE(state->stored_ids.may_contain("0000000000000000@nobody"));
  // Applying a stored change again is recognised as a duplicate.
  CHECK_FALSE(state->replica.apply(b.changes[0]));
}

TEST_CASE("a validation snapshot that cannot be trusted decodes to nothing") {
  Built b = three_changes();
  const std::string bytes = encode_validation_snapshot(b.replica, b.ids);
  CHECK_FALSE(decode_validation_snapshot(bytes, 4));  // not the state after 4 changes
  CHECK_FALSE(decode_validation_snapshot(bytes, 2));
  CHECK_FALSE(decode_validation_snapshot("", 0));
  CHECK_FALSE(decode_validation_snapshot(bytes.substr(0, bytes.size() - 1), 3));  // cut short
  std::string other_magic = bytes;
  other_magic[6] = '9';
  CHECK_FALSE(decode_validation_snapshot(other_magic, 3));
  std::string other_hash = bytes;
  other_hash[8] = static_cast<char>(other_hash[8] ^ 1);  // a filter made by a build with another hash
  CHECK_FALSE(decode_validation_snapshot(other_hash, 3));
}

TEST_CASE("a filter's bytes round-trip, and other bytes are refused") {
  Built b = three_changes();
  const std::string bytes = b.ids.to_bytes();
  auto back = ChangeIdFilter::from_bytes(bytes);
  REQUIRE(back);
  for (const auto& c : b.changes) CHECK(back->may_contain(c.id()));
  CHECK(ChangeIdFilter::from_bytes("")->may_contain("x") == false);  // an empty filter
  CHECK_FALSE(ChangeIdFilter::from_bytes(bytes.substr(0, 12)));      // not whole slots
  CHECK_FALSE(ChangeIdFilter::from_bytes(bytes.substr(0, 24)));      // not a power of two
  CHECK_FALSE(ChangeIdFilter::from_bytes(std::string(16, '\x01')));  // more than half full
}

}  // namespace
}  // namespace psc::server
