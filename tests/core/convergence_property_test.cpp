// Property: replicas that receive the same set of changes, in any order and
// with duplicates, end with byte-identical state and identical conflicts.
//
// Five authoring devices work mostly apart (creating, editing the same fields
// concurrently, deleting and undeleting), now and then gossiping a random
// subset of what exists; then four fresh replicas and the authors themselves
// receive everything in different random orders with repeats.
#include <algorithm>
#include <random>

#include <catch2/catch.hpp>

#include "psc/derived_id.hpp"
#include "psc/leaders_agenda.hpp"
#include "psc/local_device.hpp"
#include "psc/meeting_summary.hpp"
#include "psc/reference_lists.hpp"
#include "psc/report_back.hpp"
#include "psc/schema.hpp"
#include "test_support.hpp"

using nlohmann::json;
using namespace psc;

namespace {

struct Simulation {
  std::mt19937_64 rng;
  std::vector<LocalDevice> devices;
  std::vector<Change> all;
  uint64_t now = 1'700'000'000'000;

  std::string meeting;
  std::string leaders;  // the city-wide leaders' meeting
  // The categories the acting device may pick from: its replica's list
  // (reference_lists.hpp), the built-in one until it holds a record.
  std::vector<std::string> categories;

  explicit Simulation(uint64_t seed) : rng(seed) {
    for (int i = 0; i < 5; ++i) {
      devices.emplace_back("dev-" + std::to_string(i), "person " + std::to_string(i));
      test::seed(devices.back());
    }
    for (const auto& c : test::seed_neighborhoods()) all.push_back(c);
    // One meeting every device knows, for sign-ins, votes and tallies.
    auto created = devices[0].create("meeting",
                                     {{"neighborhood", "frog-hollow"},
                                      {"kind", "psc"},
                                      {"title", "PSC"},
                                      {"start", "2026-11-29T18:30Z"},
                                      {"status", "held"}},
                                     now, rng(), rng());
    REQUIRE(created);
    meeting = created.value().front().record_id;
    share(created.value());
    auto city = devices[0].create("meeting",
                                  {{"neighborhood", "citywide"},
                                   {"kind", "citywide_leaders"},
                                   {"title", "Leaders"},
                                   {"start", "2026-11-30T22:00Z"},
                                   {"status", "held"}},
                                  now, rng(), rng());
    REQUIRE(city);
    leaders = city.value().front().record_id;
    share(city.value());
  }

  // Changes of device 0 that every device has received.
  void share(const std::vector<Change>& changes) {
    all.insert(all.end(), changes.begin(), changes.end());
    for (std::size_t d = 1; d < devices.size(); ++d)
      for (const auto& c : changes) devices[d].receive(c, now);
  }

  // Creating a derived-id record that already exists unchanged is fine.
  void keep(const Result<std::vector<Change>>& result) {
    if (!result) {
      INFO(result.status().message());
      REQUIRE(result.status().code() == "unchanged");
      return;
    }
    all.insert(all.end(), result.value().begin(), result.value().end());
  }

  std::size_t pick(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); }
  template <typename T>
  const T& pick_of(const std::vector<T>& v) {
    return v[pick(v.size())];
  }

  json random_value(const std::string& field) {
    static const std::vector<std::string> words = {"lights", "Park St", "speeding",
                                                   "Café",   "blight",  "noise"};
    if (field == "category") return pick_of(categories);
    if (field == "status") return pick_of(priority_statuses());
    if (field == "address" && pick(4) == 0) return nullptr;
    if (field == "coordinates")
      return pick(3) ? json("41.76" + std::to_string(pick(100)) + ",-72.68") : json();
    return pick_of(words) + " " + std::to_string(pick(1000));
  }

  void step() {
    // Devices' clocks disagree by up to a few seconds, and time moves on.
    now += pick(50);
    const std::size_t d = pick(devices.size());
    LocalDevice& dev = devices[d];
    categories = category_slugs(dev.replica());
    const uint64_t physical = now + d * 700;
    auto known = dev.replica().list("priority");
    // Votes, tallies and verdicts may only name these: live, and of the
    // meeting's neighborhood (validation keeps references inside one).
    std::vector<const Record*> live;
    for (const Record* r : known)
      if (!r->deleted() && text_value(*r, "neighborhood") == "frog-hollow") live.push_back(r);
    const std::size_t action = pick(100);
    if (action < 25 || known.empty()) {
      json fields = {{"title", random_value("title")},
                     {"category", random_value("category")},
                     {"status", random_value("status")},
                     {"neighborhood", pick(2) ? "frog-hollow" : "parkville"}};
      if (pick(2)) fields["address"] = random_value("address");
      auto created = dev.create("priority", fields, physical, rng(), rng());
      REQUIRE(created);
      all.insert(all.end(), created.value().begin(), created.value().end());
    } else if (action < 34) {
      static const std::vector<std::string> names = {"Ana Lopez", "ana lopez", "Ben Ortiz", "Carla Diaz",
                                                     "Dee"};
      static const std::vector<std::string> roles = {"resident", "business", "police"};
      keep(dev.create("attendance",
                      {{"meeting", meeting}, {"name", pick_of(names)}, {"role", pick_of(roles)}}, physical,
                      rng(), rng()));
    } else if (action < 44 && !live.empty()) {
      static const std::vector<std::string> voters = {test::voter("ana"), test::voter("ben"),
                                                      test::voter("carla"), "kiosk-00000000000000b1"};
      const std::string voter = pick_of(voters), priority = pick_of(live)->id();
      const Record* existing = dev.replica().find("vote", vote_id(meeting, priority, voter));
      if (existing && !existing->deleted() && pick(2)) {
        auto retracted = dev.remove("vote", existing->id(), physical);
        REQUIRE(retracted);
        all.push_back(retracted.value());
      } else {
        keep(dev.create("vote", {{"meeting", meeting}, {"priority", priority}, {"voter", voter}}, physical,
                        rng(), rng()));
      }
    } else if (action < 50 && !live.empty()) {
      keep(dev.create(
          "tally",
          {{"meeting", meeting}, {"priority", pick_of(live)->id()}, {"count", static_cast<int>(pick(30))}},
          physical, rng(), rng()));
    } else if (action < 55 && !live.empty()) {
      // A verdict at the meeting (one record per priority: a derived id).
      static const std::vector<std::string> verdicts = {"confirmed", "not_solved", "came_back"};
      keep(dev.create("outcome",
                      {{"meeting", meeting},
                       {"priority", pick_of(live)->id()},
                       {"verdict", pick_of(verdicts)},
                       {"decided_on", pick(2) ? "2026-06-17" : "2026-07-15"}},
                      physical, rng(), rng()));
    } else if (action < 57) {
      // A coordinator adds a category (two tablets may add the same one
      // offline: the same slug, one record) or renames or retires one.
      static const std::vector<std::string> slugs = {"truancy", "zoning", "public_safety"};
      const std::string& slug = pick_of(slugs);
      if (!dev.replica().find("category", slug) || dev.replica().find("category", slug)->fields().empty()) {
        auto added =
            dev.create_listed("category", slug, {{"name", random_value("name")}, {"active", true}}, physical);
        REQUIRE(added);
        all.insert(all.end(), added.value().begin(), added.value().end());
      } else {
        auto changed = pick(2) ? dev.set_field("category", slug, "name_es", random_value("name_es"), physical)
                               : dev.set_field("category", slug, "active", pick(2) != 0, physical);
        REQUIRE(changed);
        all.push_back(changed.value());
      }
    } else if (action < 60) {
      // The leaders assign an action item to a neighborhood or department
      // (about any neighborhood's priority), or one is checked off.
      auto items = dev.replica().list("action_item");
      if (!items.empty() && pick(2)) {
        auto checked = dev.set_field("action_item", pick_of(items)->id(), "done", pick(2) != 0, physical);
        REQUIRE(checked);
        all.push_back(checked.value());
      } else {
        json fields = {{"meeting", leaders}, {"description", random_value("description")}};
        if (pick(2))
          fields["neighborhood"] = pick(2) ? "frog-hollow" : "parkville";
        else
          fields["department"] = pick_of(department_slugs());
        if (pick(2)) fields["priority"] = pick_of(known)->id();
        auto created = dev.create("action_item", fields, physical, rng(), rng());
        INFO(created.status().message());
        if (created) all.insert(all.end(), created.value().begin(), created.value().end());
        // A deleted priority cannot be named: refused, as on a tablet.
        else
          REQUIRE(created.status().code() == "invalid_field");
      }
    } else if (action < 70) {
      static const std::vector<std::string> fields = {"title",  "description", "category",
                                                      "status", "address",     "coordinates"};
      const std::string& field = pick_of(fields);
      auto edited = dev.set_field("priority", pick_of(known)->id(), field, random_value(field), physical);
      REQUIRE(edited);
      all.push_back(edited.value());
    } else if (action < 78) {
      auto removed = dev.set_field("priority", pick_of(known)->id(), kDeletedField, pick(3) != 0, physical);
      REQUIRE(removed);
      all.push_back(removed.value());
    } else {
      // Gossip: a random subset of everything written so far.
      for (const auto& c : all)
        if (pick(3) == 0) dev.receive(c, physical);
    }
  }

  std::vector<Change> shuffled_with_duplicates() {
    std::vector<Change> out = all;
    const std::size_t extra = all.size() / 4;
    for (std::size_t i = 0; i < extra; ++i) out.push_back(pick_of(all));
    std::shuffle(out.begin(), out.end(), rng);
    return out;
  }
};

std::size_t count_conflicts(const Replica& r) {
  std::size_t n = 0;
  r.for_each([&](const Record& rec) {
    for (const auto& [_, reg] : rec.fields()) n += reg.has_conflict();
  });
  return n;
}

}  // namespace

TEST_CASE("replicas converge whatever the order and repetition of changes") {
  std::size_t seeds_with_conflicts = 0;
  const int kSeeds = 25;
  for (int seed = 1; seed <= kSeeds; ++seed) {
    INFO("seed " << seed);
    Simulation sim(static_cast<uint64_t>(seed));
    for (int i = 0; i < 300; ++i) sim.step();

    std::vector<std::string> states;
    for (int r = 0; r < 4; ++r) {
      Replica replica;
      for (const auto& c : sim.shuffled_with_duplicates()) replica.apply(c);
      // The derived views converge too (rankings, attendance, representation,
      // the report-back with its residents' verdicts).
      states.push_back(replica.to_json().dump() + meeting_summary(replica, sim.meeting).dump() +
                       report_back_agenda(replica, "frog-hollow", "2026-07-01").dump() +
                       leaders_agenda(replica, {}, "2026-07-01").dump());
      if (r == 0) seeds_with_conflicts += count_conflicts(replica) > 0;
    }
    for (auto& dev : sim.devices) {
      for (const auto& c : sim.shuffled_with_duplicates()) dev.receive(c, sim.now);
      states.push_back(dev.replica().to_json().dump() + meeting_summary(dev.replica(), sim.meeting).dump() +
                       report_back_agenda(dev.replica(), "frog-hollow", "2026-07-01").dump() +
                       leaders_agenda(dev.replica(), {}, "2026-07-01").dump());
    }
    for (std::size_t i = 1; i < states.size(); ++i) REQUIRE(states[i] == states[0]);
  }
  // The workload must actually exercise concurrent edits.
  CHECK(seeds_with_conflicts >= kSeeds * 3 / 4);
}

TEST_CASE("resolving every conflict on one device converges everywhere to no conflict") {
  Simulation sim(99);
  for (int i = 0; i < 300; ++i) sim.step();
  LocalDevice& fixer = sim.devices[0];
  for (const auto& c : sim.all) fixer.receive(c, sim.now);
  std::vector<Change> fixes;
  std::vector<std::tuple<std::string, std::string, std::string, nlohmann::json>> conflicted;
  fixer.replica().for_each([&](const Record& rec) {
    for (const auto& [name, reg] : rec.fields())
      if (reg.has_conflict()) conflicted.emplace_back(rec.type(), rec.id(), name, reg.winner().value);
  });
  for (const auto& [type, id, field, value] : conflicted) {
    auto fix = fixer.set_field(type, id, field, value, sim.now + 10'000);
    INFO(type << "." << field << ": " << fix.status().message());
    REQUIRE(fix);
    fixes.push_back(fix.value());
  }
  REQUIRE_FALSE(fixes.empty());
  CHECK(count_conflicts(fixer.replica()) == 0);
  Replica other;
  auto everything = sim.shuffled_with_duplicates();
  everything.insert(everything.begin(), fixes.begin(), fixes.end());  // fixes first
  for (const auto& c : everything) other.apply(c);
  CHECK(other.to_json().dump() == fixer.replica().to_json().dump());
}
