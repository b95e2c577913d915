// The meeting domain: derived ids, scope, rankings, representation, summary.
#include <catch2/catch.hpp>

#include "psc/derived_id.hpp"
#include "psc/local_device.hpp"
#include "psc/meeting_summary.hpp"
#include "psc/priority_ranking.hpp"
#include "psc/representation.hpp"
#include "psc/schema.hpp"
#include "psc/scope.hpp"
#include "psc/validation.hpp"
#include "test_support.hpp"

using nlohmann::json;
using namespace psc;

namespace {

struct Meeting {
  LocalDevice device{"tab-1", "Organizer"};
  uint64_t now = 1'000'000;
  uint64_t random = 1;
  std::string meeting, block_club, church, lights, speeding, trash;

  Meeting() {
    test::seed(device);
    block_club =
        make("organization",
             {{"name", "Zion St Block Club"}, {"kind", "block_group"}, {"neighborhood", "frog-hollow"}});
    church = make("organization",
                  {{"name", "Grace Church"}, {"kind", "religious"}, {"neighborhood", "frog-hollow"}});
    make("organization",
         {{"name", "Park St Merchants"}, {"kind", "business"}, {"neighborhood", "frog-hollow"}});
    meeting = make("meeting", {{"neighborhood", "frog-hollow"},
                               {"kind", "psc"},
                               {"title", "November PSC"},
                               {"start", "2026-11-29T18:30:00Z"},
                               {"status", "held"},
                               {"headcount", 3},
                               {"dots_per_attendee", 3}});
    lights = make("priority", {{"title", "Streetlights out"},
                               {"category", "public_safety"},
                               {"status", "adopted"},
                               {"neighborhood", "frog-hollow"},
                               {"meeting", meeting}});
    speeding = make("priority", {{"title", "Speeding on Broad"},
                                 {"category", "traffic_streets"},
                                 {"status", "proposed"},
                                 {"neighborhood", "frog-hollow"}});
    trash = make("priority", {{"title", "Illegal dumping"},
                              {"category", "environment_sanitation"},
                              {"status", "proposed"},
                              {"neighborhood", "frog-hollow"}});
  }
  std::string make(const std::string& type, const json& fields) {
    auto created = device.create(type, fields, ++now, ++random, 7);
    INFO(type << " " << created.status().message());
    REQUIRE(created);
    return created.value().front().record_id;
  }
  void vote(const std::string& voter, const std::string& priority) {
    make("vote", {{"meeting", meeting}, {"priority", priority}, {"voter", test::voter(voter)}});
  }
};

}  // namespace

TEST_CASE(
    "attendance ids ignore case and spacing of the name; votes and tallies are per meeting and priority") {
  CHECK(attendance_id("m1", "Ana  Lopez") == attendance_id("m1", " ana lopez "));
  CHECK(attendance_id("m1", "Ana Lopez") != attendance_id("m2", "Ana Lopez"));
  CHECK(attendance_id("m1", "Ana Lopez") != attendance_id("m1", "Ana Lopes"));
  CHECK(vote_id("m1", "p1", "v1") != vote_id("m1", "p1", "v2"));
  CHECK(vote_id("m1", "p1", "v1") == vote_id("m1", "p1", "v1"));
  CHECK(tally_id("m1", "p1") != tally_id("m1", "p2"));
  CHECK(normalize_person_name("  Ana\t\tLOPEZ \n") == "ana lopez");
  CHECK(attendance_id("m", "x").size() == 32);
}

TEST_CASE("two tablets signing in the same person create one attendance") {
  Meeting m;
  LocalDevice other("tab-2", "Helper");
  for (const auto& c : test::seed_neighborhoods()) other.receive(c, 0);
  // tab-2 learns the meeting, then both sign in Ana offline.
  for (const Record* r : m.device.replica().list("meeting"))
    for (const auto& [field, reg] : r->fields())
      for (const FieldValue* leaf : reg.leaves())
        other.receive(test::make_change("meeting", r->id(), field, leaf->value, leaf->hlc.millis,
                                        leaf->device, {}, leaf->hlc.counter),
                      0);
  auto a = m.device.create(
      "attendance", {{"meeting", m.meeting}, {"name", "Ana Lopez"}, {"role", "resident"}}, 5'000'000, 1, 1);
  auto b = other.create("attendance", {{"meeting", m.meeting}, {"name", "ana  lopez"}, {"role", "resident"}},
                        5'000'001, 2, 2);
  REQUIRE(a);
  REQUIRE(b);
  CHECK(a.value().front().record_id == b.value().front().record_id);
  for (const auto& c : b.value()) m.device.receive(c, 5'000'100);
  json summary = meeting_summary(m.device.replica(), m.meeting);
  CHECK(summary["signed_in"] == 1);
}

TEST_CASE("signing the same person in again on one device changes nothing") {
  Meeting m;
  REQUIRE(m.device.create("attendance", {{"meeting", m.meeting}, {"name", "Ana"}, {"role", "resident"}},
                          9'000'000, 1, 1));
  auto again = m.device.create("attendance", {{"meeting", m.meeting}, {"name", "Ana"}, {"role", "resident"}},
                               9'000'001, 1, 1);
  CHECK(again.status().code() == "unchanged");
  auto role_fix = m.device.create(
      "attendance", {{"meeting", m.meeting}, {"name", "Ana"}, {"role", "business"}}, 9'000'002, 1, 1);
  REQUIRE(role_fix);
  CHECK(role_fix.value().size() == 1);
}

TEST_CASE("a derived-id record with a made-up id is refused") {
  Meeting m;
  Change c = test::make_change("tally", "not-the-derived-id", "meeting", m.meeting, 10, "dev-x");
  Change p = test::make_change("tally", "not-the-derived-id", "priority", m.lights, 10, "dev-x", {}, 1);
  Change n = test::make_change("tally", "not-the-derived-id", "count", 5, 10, "dev-x", {}, 2);
  const auto results = validate_batch({c, p, n}, m.device.replica());
  CHECK(results[0].code() == "invalid_id");
}

TEST_CASE("every type's scope resolves to its neighborhood") {
  Meeting m;
  const Replica& r = m.device.replica();
  CHECK(record_neighborhood(r, "meeting", m.meeting) == "frog-hollow");
  CHECK(record_neighborhood(r, "priority", m.lights) == "frog-hollow");
  CHECK(record_neighborhood(r, "organization", m.church) == "frog-hollow");
  CHECK(record_neighborhood(r, "neighborhood", "parkville") == "parkville");
  const std::string item =
      m.make("agenda_item", {{"meeting", m.meeting}, {"order", 1}, {"title", "Welcome"}});
  CHECK(record_neighborhood(r, "agenda_item", item) == "frog-hollow");
  const std::string commitment = m.make("commitment", {{"priority", m.lights},
                                                       {"department", "public-works"},
                                                       {"summary", "Replace bulbs"},
                                                       {"status", "acknowledged"},
                                                       {"expected_date", "2026-12-15"}});
  CHECK(record_neighborhood(r, "commitment", commitment) == "frog-hollow");
  CHECK(record_neighborhood(r, "priority", "missing").empty());
}

TEST_CASE("meeting ranking adds dots and paper tallies, ties share a rank, closed priorities drop out") {
  Meeting m;
  m.vote("ana", m.speeding);
  m.vote("ben", m.speeding);
  m.vote("ana", m.lights);
  m.make("tally", {{"meeting", m.meeting}, {"priority", m.lights}, {"count", 1}});
  m.make("tally", {{"meeting", m.meeting}, {"priority", m.trash}, {"count", 0}});
  auto ranking = meeting_ranking(m.device.replica(), m.meeting);
  REQUIRE(ranking.size() == 3);
  CHECK(ranking[0].title == "Speeding on Broad");  // 2 dots; tie with lights (1 + 1) broken by title
  CHECK(ranking[0].score == 2);
  CHECK(ranking[0].rank == 1);
  CHECK(ranking[1].title == "Streetlights out");
  CHECK(ranking[1].dots == 1);
  CHECK(ranking[1].tallied == 1);
  CHECK(ranking[1].rank == 1);
  CHECK(ranking[2].rank == 3);

  // Retracting a dot and resolving a priority both change the ranking.
  auto retract = m.device.remove("vote", vote_id(m.meeting, m.speeding, test::voter("ben")), ++m.now);
  REQUIRE(retract);
  REQUIRE(m.device.set_field("priority", m.trash, "status", "resolved", ++m.now));
  ranking = meeting_ranking(m.device.replica(), m.meeting);
  REQUIRE(ranking.size() == 2);
  CHECK(ranking[0].title == "Streetlights out");
  CHECK(ranking[0].rank == 1);
  CHECK(ranking[1].rank == 2);
}

TEST_CASE("neighborhood ranking sums over the neighborhood's meetings only") {
  Meeting m;
  m.vote("ana", m.trash);
  const std::string second = m.make("meeting", {{"neighborhood", "frog-hollow"},
                                                {"kind", "block_group"},
                                                {"title", "Zion St"},
                                                {"start", "2026-12-02T23:00Z"},
                                                {"status", "planned"}});
  m.make("vote", {{"meeting", second}, {"priority", m.trash}, {"voter", test::voter("ana")}});
  m.make("tally", {{"meeting", second}, {"priority", m.lights}, {"count", 1}});
  auto ranking = neighborhood_ranking(m.device.replica(), "frog-hollow");
  REQUIRE(ranking.size() == 3);
  CHECK(ranking[0].title == "Illegal dumping");
  CHECK(ranking[0].score == 2);
  CHECK(neighborhood_ranking(m.device.replica(), "parkville").empty());
}

TEST_CASE("representation lists organizations present, kinds, the unaffiliated and who was absent") {
  Meeting m;
  m.make("attendance",
         {{"meeting", m.meeting}, {"name", "Ana"}, {"role", "resident"}, {"organization", m.block_club}});
  m.make("attendance",
         {{"meeting", m.meeting}, {"name", "Ben"}, {"role", "resident"}, {"organization", m.block_club}});
  m.make("attendance",
         {{"meeting", m.meeting}, {"name", "Rev. Cruz"}, {"role", "other"}, {"organization", m.church}});
  m.make("attendance", {{"meeting", m.meeting}, {"name", "Officer Diaz"}, {"role", "police"}});
  const json rep = meeting_representation(m.device.replica(), m.meeting);
  CHECK(rep["signed_in"] == 4);
  CHECK(rep["unaffiliated"] == 1);
  REQUIRE(rep["present"].size() == 2);
  CHECK(rep["present"][0]["name"] == "Grace Church");
  CHECK(rep["present"][1]["attendees"] == 2);
  CHECK(rep["kinds_present"]["block_group"] == 2);
  REQUIRE(rep["absent"].size() == 1);
  CHECK(rep["absent"][0]["name"] == "Park St Merchants");
}

TEST_CASE("the meeting summary gathers agenda, attendance, raised priorities, ranking and action items") {
  Meeting m;
  m.make("agenda_item", {{"meeting", m.meeting}, {"order", 2}, {"title", "Priorities"}});
  m.make("agenda_item", {{"meeting", m.meeting}, {"order", 1}, {"title", "Welcome"}});
  m.make("action_item", {{"meeting", m.meeting},
                         {"description", "Call DPW"},
                         {"owner", "Ana"},
                         {"due_date", "2026-12-05"},
                         {"done", false}});
  m.make("action_item", {{"meeting", m.meeting}, {"description", "Flyers"}});
  m.make("attendance", {{"meeting", m.meeting}, {"name", "Zoe"}, {"role", "resident"}});
  const json s = meeting_summary(m.device.replica(), m.meeting);
  CHECK(s["meeting"]["title"] == "November PSC");
  CHECK(s["agenda"][0]["title"] == "Welcome");
  CHECK(s["priorities_raised"].size() == 1);
  CHECK(s["action_items"][0]["description"] == "Call DPW");
  CHECK(s["action_items"][1]["description"] == "Flyers");
  CHECK(s["signed_in"] == 1);
  CHECK(s["headcount"] == 3);
  CHECK(s["total_present"] == 3);
  CHECK(s["ranking"].size() == 3);
  CHECK(meeting_summary(m.device.replica(), "nope").is_null());
}

TEST_CASE("field formats: dates, times, integers, booleans") {
  Meeting m;
  auto bad = [&](const std::string& type, const std::string& id, const std::string& field, json value) {
    return m.device.set_field(type, id, field, std::move(value), ++m.now).status().code();
  };
  CHECK(bad("meeting", m.meeting, "start", "2026-11-31T18:00Z") == "invalid_field");
  CHECK(bad("meeting", m.meeting, "start", "2026-11-29 18:00") == "invalid_field");
  CHECK(bad("meeting", m.meeting, "start", "2026-11-29T18:00:00Z").empty());
  CHECK(bad("meeting", m.meeting, "headcount", -1) == "invalid_field");
  CHECK(bad("meeting", m.meeting, "headcount", 2.5) == "invalid_field");
  CHECK(bad("meeting", m.meeting, "status", "cancelled") == "invalid_field");
  CHECK(bad("meeting", m.meeting, "neighborhood", "parkville") == "invalid_field");  // scope is immutable
  CHECK(is_valid_date("2028-02-29"));
  CHECK_FALSE(is_valid_date("2027-02-29"));
  CHECK_FALSE(is_valid_datetime("2026-11-29T24:00Z"));
}
