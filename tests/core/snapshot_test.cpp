// Replica snapshots (replica_snapshot.hpp): a decoded snapshot is the same
// replica — same canonical state, same conflicts, same answers to every
// later change (duplicates, late superseded changes, resolutions) — and
// anything that is not a whole snapshot is refused.
#include <catch2/catch.hpp>

#include <random>

#include "psc/local_device.hpp"
#include "psc/replica_snapshot.hpp"
#include "test_support.hpp"

using nlohmann::json;
using namespace psc;

namespace {

// Changes from three devices editing a few records concurrently: conflicts,
// resolutions, deletes, integers, booleans, nulls, non-ASCII text.
std::vector<Change> history(uint64_t seed) {
  std::mt19937_64 random(seed);
  std::vector<Change> out = test::seed_neighborhoods();
  const std::vector<std::string> devices = {"tab-a", "tab-b", "desk"};
  std::map<std::string, std::vector<std::string>> last_ids;  // record/field -> ids seen by "everyone"
  for (int i = 0; i < 300; ++i) {
    const std::string device = devices[random() % devices.size()];
    const std::string record = "p" + std::to_string(random() % 12);
    const char* fields[] = {"title", "status", "rank", "_deleted", "notes"};
    const std::string field = fields[random() % 5];
    json value;
    if (field == "rank")
      value = static_cast<int>(random() % 50) - 10;
    else if (field == "_deleted")
      value = random() % 4 == 0;
    else if (field == "notes" && random() % 5 == 0)
      value = nullptr;
    else
      value = "José's value " + std::to_string(random() % 1000) + " ✓";
    auto& known = last_ids[record + "/" + field];
    std::vector<std::string> base;
    if (!known.empty() && random() % 3 != 0) base = known;  // sometimes a resolution, sometimes concurrent
    Change c = test::make_change("priority", record, field, value, 1'000 + i * 7, device, base, i % 3);
    c.actor = device == "desk" ? "coordinator" : "organizer";
    if (base.size() == known.size() && !base.empty()) known.clear();
    known.push_back(c.id());
    out.push_back(c);
  }
  return out;
}

}  // namespace

TEST_CASE("a decoded snapshot is the same replica and answers later changes the same way") {
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    auto changes = history(seed);
    std::mt19937_64 random(seed * 7919);
    std::shuffle(changes.begin(), changes.end(), random);
    // The original sees the first 2/3 of the changes; the rest arrive later, twice.
    const std::size_t cut = changes.size() * 2 / 3;
    Replica original;
    for (std::size_t i = 0; i < cut; ++i) original.apply(changes[i]);
    const std::string bytes = encode_snapshot(original);
    auto decoded = decode_snapshot(bytes);
    REQUIRE(decoded);
    Replica copy = std::move(decoded.value());
    CHECK(copy.to_json() == original.to_json());
    CHECK(copy.applied_count() == original.applied_count());
    CHECK(encode_snapshot(copy) == bytes);
    for (int round = 0; round < 2; ++round)
      for (std::size_t i = 0; i < changes.size(); ++i)
        CHECK(copy.apply(changes[i]) == original.apply(changes[i]));
    CHECK(copy.to_json() == original.to_json());
    CHECK(copy.applied_count() == original.applied_count());
  }
}

TEST_CASE("a device loading a snapshot keeps its clock ahead of everything in it") {
  LocalDevice author("tab-a", "organizer");
  test::seed(author);
  auto created = author.create("priority",
                               {{"title", "Streetlights"},
                                {"category", "public_safety"},
                                {"status", "proposed"},
                                {"neighborhood", "frog-hollow"}},
                               5'000'000, 1, 2);
  REQUIRE(created);
  LocalDevice reopened("tab-a", "organizer");
  REQUIRE(reopened.load_snapshot(encode_snapshot(author.replica()), 1'000).is_ok());
  CHECK(reopened.replica().to_json() == author.replica().to_json());
  CHECK(latest_stamp(reopened.replica()).millis == 5'000'000);
  // Its physical clock is behind, yet its next edit supersedes what it holds.
  auto edit =
      reopened.set_field("priority", created.value().front().record_id, "title", "Streetlights out", 1'001);
  REQUIRE(edit);
  CHECK(edit.value().hlc > latest_stamp(author.replica()));
}

TEST_CASE("anything but a whole snapshot is refused and leaves the device as it was") {
  LocalDevice device("tab-a", "organizer");
  test::seed(device);
  const std::string bytes = encode_snapshot(device.replica());
  const json before = device.replica().to_json();
  CHECK(decode_snapshot("").status().code() == "bad_snapshot");
  CHECK(decode_snapshot("PSCSNAP9" + bytes.substr(8)).status().code() == "bad_snapshot");
  // The first format (registers with a set of ids seen) is refused: the
  // browser then replays its stored changes once.
  CHECK(decode_snapshot("PSCSNAP1" + bytes.substr(8)).status().code() == "bad_snapshot");
  for (std::size_t n : {std::size_t{8}, bytes.size() / 2, bytes.size() - 1})
    CHECK(decode_snapshot(bytes.substr(0, n)).status().code() == "bad_snapshot");
  CHECK(decode_snapshot(bytes + "x").status().code() == "bad_snapshot");
  CHECK(device.load_snapshot(bytes.substr(0, bytes.size() - 3), 0).code() == "bad_snapshot");
  CHECK(device.replica().to_json() == before);
  // Random corruption never crashes (it may decode to something else; the
  // caller's applied-count check against the change log catches that).
  std::mt19937_64 random(42);
  for (int i = 0; i < 500; ++i) {
    std::string broken = bytes;
    broken[8 + random() % (broken.size() - 8)] = static_cast<char>(random());
    (void)decode_snapshot(broken);
  }
}
