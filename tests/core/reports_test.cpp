// The city-wide views: department scorecards, the report-back agenda, the
// category breakdown, the dashboard, the conflicts queue and the liaison's
// work list (shared/include/psc/{department_scorecard,report_back,
// category_breakdown,dashboard,conflict_queue,department_worklist}.hpp).
#include <catch2/catch.hpp>

#include "psc/category_breakdown.hpp"
#include "psc/civil_date.hpp"
#include "psc/conflict_queue.hpp"
#include "psc/dashboard.hpp"
#include "psc/department_scorecard.hpp"
#include "psc/department_worklist.hpp"
#include "psc/derived_id.hpp"
#include "psc/leaders_agenda.hpp"
#include "psc/local_device.hpp"
#include "psc/report_back.hpp"
#include "psc/representation.hpp"
#include "psc/schema.hpp"
#include "test_support.hpp"

using nlohmann::json;
using namespace psc;

namespace {

// Milliseconds at noon UTC of a calendar day.
uint64_t at(const char* date) { return static_cast<uint64_t>(*day_number(date)) * 86'400'000 + 43'200'000; }

// A coordinator's desk device holding two neighborhoods' work, every change
// stamped at a chosen day so day counts are exact.
struct City {
  LocalDevice desk{"desk", "coordinator"};
  uint64_t random = 1;

  City() { test::seed(desk); }

  std::string make(const std::string& type, const json& fields, const char* day) {
    auto created = desk.create(type, fields, at(day), ++random, 11);
    INFO(type << " " << created.status().message());
    REQUIRE(created);
    return created.value().front().record_id;
  }
  void set(const std::string& type, const std::string& id, const std::string& field, const json& value,
           const char* day) {
    auto changed = desk.set_field(type, id, field, value, at(day));
    INFO(changed.status().message());
    REQUIRE(changed);
  }
  std::string priority(const char* title, const char* neighborhood, const char* category, const char* status,
                       const char* day, json extra = json::object()) {
    json fields = {
        {"title", title}, {"category", category}, {"status", status}, {"neighborhood", neighborhood}};
    fields.update(extra);
    return make("priority", fields, day);
  }
  std::string commitment(const std::string& priority, const char* department, const char* status,
                         const char* expected, const char* day) {
    json fields = {
        {"priority", priority}, {"department", department}, {"summary", "We will look"}, {"status", status}};
    if (expected) fields["expected_date"] = expected;
    return make("commitment", fields, day);
  }
};

const DepartmentScorecard& card(const std::vector<DepartmentScorecard>& cards,
                                const std::string& department) {
  for (const auto& c : cards)
    if (c.department == department) return c;
  FAIL("no scorecard for " << department);
  return cards.front();
}

}  // namespace

TEST_CASE("civil dates: day numbers, UTC days of clock times, text") {
  CHECK(day_number("1970-01-01") == 0);
  CHECK(day_number("2026-11-29T18:30Z") == day_number("2026-11-29"));
  CHECK(*day_number("2024-03-01") - *day_number("2024-02-28") == 2);  // leap year
  CHECK_FALSE(day_number("2026-02-30"));
  CHECK_FALSE(day_number("tomorrow"));
  CHECK(civil_date_text(*day_number("2026-12-31")) == "2026-12-31");
  CHECK(utc_day_of_millis(at("2026-11-29")) == *day_number("2026-11-29"));
}

TEST_CASE("department scorecards count open and overdue commitments and the median days to first response") {
  City city;
  // (In the order things happened: a device's clock never goes back.)
  // Lights: adopted Nov 1, public works answered Nov 4 (3 days), then again Nov 20.
  const auto lights =
      city.priority("Streetlights out", "frog-hollow", "public_safety", "adopted", "2026-10-20",
                    {{"department", "public-works"}, {"adopted_on", "2026-11-01"}});
  // Potholes: adopted Nov 2, public works answered Nov 12 (10 days), done.
  const auto potholes = city.priority("Potholes on Park", "parkville", "traffic_streets", "in_progress",
                                      "2026-10-25", {{"adopted_on", "2026-11-02"}});
  // Speeding: police declined. A deleted priority's commitments do not count.
  const auto speeding =
      city.priority("Speeding on Broad", "frog-hollow", "traffic_streets", "adopted", "2026-11-01");
  const auto gone = city.priority("Duplicate", "frog-hollow", "other", "adopted", "2026-11-01");
  city.commitment(gone, "fire", "acknowledged", "2026-11-02", "2026-11-02");
  city.commitment(speeding, "police", "declined", nullptr, "2026-11-03");
  REQUIRE(city.desk.remove("priority", gone, at("2026-11-03")));
  city.commitment(lights, "public-works", "in_progress", "2026-11-15", "2026-11-04");  // overdue on Nov 29
  // Dumping: adopted, addressed to public works, nobody answered yet; loud music only proposed.
  city.priority("Illegal dumping", "frog-hollow", "environment_sanitation", "adopted", "2026-11-05",
                {{"department", "public-works"}, {"adopted_on", "2026-11-06"}});
  city.priority("Loud music", "frog-hollow", "quality_of_life", "proposed", "2026-11-05",
                {{"department", "police"}});
  city.commitment(potholes, "public-works", "done", "2026-11-10", "2026-11-12");        // done: never overdue
  city.commitment(lights, "public-works", "acknowledged", "2026-12-15", "2026-11-20");  // not yet due

  auto cards = department_scorecards(city.desk.replica(), {}, "2026-11-29");
  REQUIRE(cards.size() == department_slugs().size());
  const auto& works = card(cards, "public-works");
  CHECK(works.priorities == 3);
  CHECK(works.awaiting_response == 1);  // dumping
  CHECK(works.commitments == 3);
  CHECK(works.open == 2);
  CHECK(works.overdue == 1);
  CHECK(works.done == 1);
  CHECK(works.responses_measured == 2);
  REQUIRE(works.median_days_to_first_response);
  CHECK(*works.median_days_to_first_response == Approx(6.5));  // median of 3 and 10
  const auto& police = card(cards, "police");
  CHECK(police.priorities == 2);
  CHECK(police.declined == 1);
  CHECK(police.awaiting_response == 0);               // loud music is only proposed
  CHECK_FALSE(police.median_days_to_first_response);  // speeding has no adoption day
  CHECK(card(cards, "fire").commitments == 0);

  // Filters narrow the priorities the scorecards look at.
  DashboardFilter parkville;
  parkville.neighborhood = "parkville";
  const auto& parkville_works =
      card(department_scorecards(city.desk.replica(), parkville, "2026-11-29"), "public-works");
  CHECK(parkville_works.priorities == 1);
  CHECK(*parkville_works.median_days_to_first_response == Approx(10.0));
  DashboardFilter early;
  early.to = "2026-10-31";
  CHECK(card(department_scorecards(city.desk.replica(), early, "2026-11-29"), "public-works").priorities ==
        2);
  // Before the expected date, nothing is overdue.
  CHECK(card(department_scorecards(city.desk.replica(), {}, "2026-11-15"), "public-works").overdue == 0);

  const json as_json = to_json(cards);
  CHECK(as_json[0].contains("median_days_to_first_response"));
}

TEST_CASE(
    "days to first response count in the viewer's calendar: an evening meeting's answer is the same day") {
  // Adopted at a Hartford evening meeting on March 12; public works answered
  // at 20:30 EST that night, which is 01:30 UTC on March 13.
  LocalDevice desk{"desk", "coordinator"};
  test::seed(desk);
  const uint64_t evening = static_cast<uint64_t>(*day_number("2026-03-13")) * 86'400'000 + 90 * 60'000;
  auto priority = desk.create("priority",
                              {{"title", "Streetlights out"},
                               {"category", "public_safety"},
                               {"status", "adopted"},
                               {"neighborhood", "frog-hollow"},
                               {"department", "public-works"},
                               {"adopted_on", "2026-03-12"}},
                              evening - 3'600'000, 1, 2);
  REQUIRE(priority);
  REQUIRE(desk.create("commitment",
                      {{"priority", priority.value().front().record_id},
                       {"department", "public-works"},
                       {"summary", "Crew booked"},
                       {"status", "acknowledged"}},
                      evening, 3, 4));
  DashboardFilter in_new_york;
  in_new_york.utc_offset_minutes = -300;
  CHECK(*card(department_scorecards(desk.replica(), in_new_york, "2026-03-13"), "public-works")
             .median_days_to_first_response == Approx(0.0));
  // Counted in UTC (offset 0), the answer lands on the next day.
  CHECK(*card(department_scorecards(desk.replica(), {}, "2026-03-13"), "public-works")
             .median_days_to_first_response == Approx(1.0));
  // The offset comes with the filter from the web app; nonsense is ignored.
  CHECK(dashboard_filter_from_json({{"utc_offset_minutes", -240}}).utc_offset_minutes == -240);
  CHECK(dashboard_filter_from_json({{"utc_offset_minutes", 100000}}).utc_offset_minutes == 0);
  CHECK(dashboard_filter_from_json({{"utc_offset_minutes", "-300"}}).utc_offset_minutes == 0);
}

TEST_CASE(
    "the report-back agenda lists open priorities by rank with their commitments, overdue ones flagged") {
  City city;
  city.make("meeting",
            {{"neighborhood", "frog-hollow"},
             {"kind", "psc"},
             {"title", "September PSC"},
             {"start", "2026-09-30T22:30Z"},
             {"status", "closed"}},
            "2026-09-01");
  const auto last = city.make("meeting",
                              {{"neighborhood", "frog-hollow"},
                               {"kind", "psc"},
                               {"title", "October PSC"},
                               {"start", "2026-10-28T22:30Z"},
                               {"status", "held"}},
                              "2026-10-01");
  const auto lights = city.priority("Streetlights out", "frog-hollow", "public_safety", "adopted",
                                    "2026-10-01", {{"department", "public-works"}});
  const auto speeding = city.priority("Speeding on Broad", "frog-hollow", "traffic_streets", "adopted",
                                      "2026-10-01", {{"department", "police"}});
  const auto trash =
      city.priority("Trash pickup", "frog-hollow", "environment_sanitation", "adopted", "2026-10-01");
  city.priority("Parkville potholes", "parkville", "traffic_streets", "adopted", "2026-10-01");
  // Public works answered the lights before the meeting.
  const auto bulbs = city.commitment(lights, "public-works", "acknowledged", "2026-11-20", "2026-10-15");
  for (const char* voter : {"ana", "ben"})
    city.make("vote", {{"meeting", last}, {"priority", speeding}, {"voter", test::voter(voter)}},
              "2026-10-28");
  city.make("vote", {{"meeting", last}, {"priority", lights}, {"voter", test::voter("ana")}}, "2026-10-28");
  // After the meeting (noon UTC is before its 22:30 start, so the 29th): the next ones are
  // planned, the bulbs commitment moves on (and goes overdue), trash is resolved.
  city.make("meeting",
            {{"neighborhood", "frog-hollow"},
             {"kind", "psc"},
             {"title", "December PSC"},
             {"start", "2026-12-16T23:30Z"},
             {"status", "planned"},
             {"location", "Library"}},
            "2026-10-29");
  city.make("meeting",
            {{"neighborhood", "parkville"},
             {"kind", "psc"},
             {"title", "Parkville December"},
             {"start", "2026-12-01T23:30Z"},
             {"status", "planned"}},
            "2026-10-29");
  city.set("commitment", bulbs, "status", "in_progress", "2026-11-05");
  city.set("priority", trash, "status", "resolved", "2026-11-10");
  // What the October meeting took on: one overdue, one undated, one done; Parkville's is not ours.
  city.make("action_item",
            {{"meeting", last},
             {"description", "Ask for a speed study"},
             {"owner", "Ana"},
             {"due_date", "2026-11-15"},
             {"priority", speeding}},
            "2026-10-28");
  city.make("action_item", {{"meeting", last}, {"description", "Invite the block clubs"}}, "2026-10-28");
  city.make(
      "action_item",
      {{"meeting", last}, {"description", "Send the minutes"}, {"done", true}, {"due_date", "2026-11-01"}},
      "2026-10-28");
  const auto parkville_meeting = city.make("meeting",
                                           {{"neighborhood", "parkville"},
                                            {"kind", "psc"},
                                            {"title", "Parkville walk"},
                                            {"start", "2026-10-20T23:30Z"},
                                            {"status", "planned"}},
                                           "2026-10-01");
  city.make("action_item", {{"meeting", parkville_meeting}, {"description", "Parkville's own"}},
            "2026-10-21");

  const json agenda = report_back_agenda(city.desk.replica(), "frog-hollow", "2026-11-29");
  CHECK(agenda["last_meeting"]["title"] == "October PSC");
  CHECK(agenda["next_meeting"]["title"] == "December PSC");
  CHECK(agenda["next_meeting"]["location"] == "Library");
  REQUIRE(agenda["items"].size() == 2);
  const json& first = agenda["items"][0];
  CHECK(first["title"] == "Speeding on Broad");
  CHECK(first["rank"] == 1);
  CHECK(first["score"] == 2);
  CHECK(first["awaiting"] == json::array({"police"}));  // addressed to police, no answer
  CHECK(first["changed_since_last_meeting"] == false);
  const json& second = agenda["items"][1];
  CHECK(second["title"] == "Streetlights out");
  CHECK(second["rank"] == 2);
  CHECK(second["overdue"] == true);
  REQUIRE(second["commitments"].size() == 1);
  CHECK(second["commitments"][0]["department"] == "public-works");
  CHECK(second["commitments"][0]["status"] == "in_progress");
  CHECK(second["commitments"][0]["overdue"] == true);
  CHECK(second["commitments"][0]["days_overdue"] == 9);
  CHECK(second["commitments"][0]["updated_since_last_meeting"] == true);
  CHECK(second["changed_since_last_meeting"] == true);
  REQUIRE(agenda["resolved_since_last_meeting"].size() == 1);
  CHECK(agenda["resolved_since_last_meeting"][0]["title"] == "Trash pickup");
  CHECK(agenda["counts"] == json{{"open_priorities", 2},
                                 {"open_commitments", 1},
                                 {"overdue", 1},
                                 {"awaiting_response", 1},
                                 {"changed_since_last_meeting", 1},
                                 {"open_action_items", 2},
                                 {"overdue_action_items", 1}});
  const json& actions = agenda["open_action_items"];
  REQUIRE(actions.size() == 2);
  CHECK(actions[0]["description"] == "Ask for a speed study");  // dated first
  CHECK(actions[0]["owner"] == "Ana");
  CHECK(actions[0]["overdue"] == true);
  CHECK(actions[0]["days_overdue"] == 14);
  CHECK(actions[0]["meeting"]["title"] == "October PSC");
  CHECK(actions[0]["priority"]["title"] == "Speeding on Broad");
  CHECK(actions[1]["description"] == "Invite the block clubs");
  CHECK(actions[1]["due_date"].is_null());
  CHECK(actions[1]["overdue"] == false);
  CHECK(actions[1]["priority"].is_null());

  // A neighborhood that never met: everything counts as news, no meetings named.
  const json parkville = report_back_agenda(city.desk.replica(), "parkville", "2026-11-29");
  CHECK(parkville["last_meeting"].is_null());
  CHECK(parkville["next_meeting"]["title"] == "Parkville December");
  CHECK(parkville["items"][0]["changed_since_last_meeting"] == true);
  // After the planned meeting's day it is no longer "next".
  CHECK(report_back_agenda(city.desk.replica(), "parkville", "2026-12-02")["next_meeting"].is_null());
}

TEST_CASE("the category breakdown counts priorities by category and neighborhood, most common first") {
  City city;
  city.priority("A", "frog-hollow", "traffic_streets", "adopted", "2026-11-01");
  city.priority("B", "parkville", "traffic_streets", "resolved", "2026-11-01");
  city.priority("C", "parkville", "traffic_streets", "proposed", "2026-11-02");
  city.priority("D", "frog-hollow", "youth", "adopted", "2026-11-03");
  const json all = category_breakdown(city.desk.replica(), {});
  REQUIRE(all.size() == priority_categories().size());
  CHECK(all[0]["category"] == "traffic_streets");
  CHECK(all[0]["total"] == 3);
  CHECK(all[0]["open"] == 2);
  CHECK(all[0]["neighborhood_count"] == 2);
  CHECK(all[0]["neighborhoods"] == json{{"frog-hollow", 1}, {"parkville", 2}});
  CHECK(all[1]["category"] == "youth");
  CHECK(all.back()["total"] == 0);
  DashboardFilter open;
  open.status = "open";
  CHECK(category_breakdown(city.desk.replica(), open)[0]["total"] == 2);
  DashboardFilter youth;
  youth.category = "youth";
  CHECK(category_breakdown(city.desk.replica(), youth)[0]["category"] == "youth");
}

TEST_CASE("the dashboard merges neighborhoods: top priorities, totals, recent meetings with representation") {
  City city;
  const auto club =
      city.make("organization",
                {{"name", "Zion St Block Club"}, {"kind", "block_group"}, {"neighborhood", "frog-hollow"}},
                "2026-09-01");
  city.make("meeting",
            {{"neighborhood", "parkville"},
             {"kind", "psc"},
             {"title", "Parkville October"},
             {"start", "2026-10-20T23:30Z"},
             {"status", "held"}},
            "2026-10-01");
  const auto meeting = city.make("meeting",
                                 {{"neighborhood", "frog-hollow"},
                                  {"kind", "psc"},
                                  {"title", "November PSC"},
                                  {"start", "2026-11-25T23:30Z"},
                                  {"status", "held"},
                                  {"headcount", 12}},
                                 "2026-11-01");
  const auto lights =
      city.priority("Streetlights out", "frog-hollow", "public_safety", "adopted", "2026-11-01");
  city.priority("Speeding", "frog-hollow", "traffic_streets", "adopted", "2026-11-01");
  city.priority("Potholes", "parkville", "traffic_streets", "adopted", "2026-11-01");
  city.commitment(lights, "public-works", "acknowledged", "2026-11-20", "2026-11-21");
  city.make("attendance",
            {{"meeting", meeting}, {"name", "Ana Lopez"}, {"role", "resident"}, {"organization", club}},
            "2026-11-25");
  city.make("attendance", {{"meeting", meeting}, {"name", "Ben Ortiz"}, {"role", "resident"}}, "2026-11-25");
  city.make("vote", {{"meeting", meeting}, {"priority", lights}, {"voter", test::voter("ana")}},
            "2026-11-25");

  const json board = dashboard(city.desk.replica(), {}, "2026-11-29");
  CHECK(board["totals"]["neighborhoods"] == 3);  // the seeded ones
  CHECK(board["totals"]["priorities"] == 3);
  CHECK(board["totals"]["overdue"] == 1);
  CHECK(board["totals"]["conflicts"] == 0);
  const json& frog = board["neighborhoods"][1];  // Asylum Hill, Frog Hollow, Parkville
  CHECK(frog["slug"] == "frog-hollow");
  CHECK(frog["open_priorities"] == 2);
  CHECK(frog["overdue"] == 1);
  CHECK(frog["top"][0]["title"] == "Streetlights out");
  CHECK(board["categories"][0]["category"] == "traffic_streets");
  CHECK(board["scorecards"].size() == department_slugs().size());
  REQUIRE(board["recent_meetings"].size() == 2);
  const json& latest = board["recent_meetings"][0];
  CHECK(latest["title"] == "November PSC");
  CHECK(latest["signed_in"] == 2);
  CHECK(latest["total_present"] == 12);
  CHECK(latest["organizations"] == 1);
  CHECK(latest["kinds_present"]["block_group"] == 1);

  DashboardFilter filter;
  filter.neighborhood = "parkville";
  filter.category = "traffic_streets";
  const json narrowed = dashboard(city.desk.replica(), filter, "2026-11-29");
  CHECK(narrowed["neighborhoods"].size() == 1);
  CHECK(narrowed["totals"]["priorities"] == 1);
  CHECK(narrowed["recent_meetings"].size() == 1);
  DashboardFilter november;
  november.from = "2026-11-01";
  CHECK(dashboard(city.desk.replica(), november, "2026-11-29")["recent_meetings"].size() == 1);
  CHECK(dashboard_filter_from_json(json{{"status", "open"}, {"from", 3}}).status == "open");
}

TEST_CASE(
    "the conflicts queue lists each conflicted field with every value, who, where and when; a resolving edit "
    "clears it") {
  City city;
  const auto lights =
      city.priority("Streetlights out", "frog-hollow", "public_safety", "adopted", "2026-11-01");
  LocalDevice tablet("tablet-7", "organizer");
  for (const Change& c : test::seed_neighborhoods()) tablet.receive(c, at("2026-11-01"));
  const Record* p = city.desk.replica().find("priority", lights);
  for (const auto& [field, reg] : p->fields())
    for (const FieldValue* leaf : reg.leaves())
      tablet.receive(test::make_change("priority", lights, field, leaf->value, leaf->hlc.millis, leaf->device,
                                       {}, leaf->hlc.counter),
                     at("2026-11-01"));
  // Both edit the title offline.
  auto mine =
      city.desk.set_field("priority", lights, "title", "Streetlights out on Park St", at("2026-11-02"));
  auto theirs = tablet.set_field("priority", lights, "title", "Lights out, Park & Broad", at("2026-11-03"));
  REQUIRE(mine);
  REQUIRE(theirs);
  city.desk.receive(theirs.value(), at("2026-11-03"));

  json queue = conflict_queue(city.desk.replica());
  REQUIRE(queue.size() == 1);
  CHECK(conflict_count(city.desk.replica()) == 1);
  CHECK(queue[0]["type"] == "priority");
  CHECK(queue[0]["id"] == lights);
  CHECK(queue[0]["field"] == "title");
  CHECK(queue[0]["neighborhood"] == "frog-hollow");
  CHECK(queue[0]["label"] == "Lights out, Park & Broad");  // the displayed value
  REQUIRE(queue[0]["values"].size() == 2);
  CHECK(queue[0]["values"][0]["device"] == "tablet-7");
  CHECK(queue[0]["values"][0]["actor"] == "organizer");
  CHECK(queue[0]["values"][1]["value"] == "Streetlights out on Park St");
  CHECK(queue[0]["values"][1]["device"] == "desk");
  CHECK(queue[0]["latest"] == queue[0]["values"][0]["hlc"]);
  CHECK(dashboard(city.desk.replica(), {}, "2026-11-29")["totals"]["conflicts"] == 1);

  // Resolving writes one change whose base names both values.
  auto resolved =
      city.desk.set_field("priority", lights, "title", "Streetlights out, Park St & Broad", at("2026-11-04"));
  REQUIRE(resolved);
  CHECK(resolved.value().base.size() == 2);
  CHECK(conflict_queue(city.desk.replica()).empty());
  CHECK(conflict_count(city.desk.replica()) == 0);
  tablet.receive(resolved.value(), at("2026-11-04"));
  tablet.receive(mine.value(), at("2026-11-04"));  // late arrival of the superseded edit
  CHECK(conflict_queue(tablet.replica()).empty());
}

TEST_CASE("a liaison's work list: priorities addressed to the department, awaiting first, then overdue") {
  City city;
  const auto answered = city.priority("Bulbs", "frog-hollow", "public_safety", "adopted", "2026-11-01",
                                      {{"department", "public-works"}, {"rank", 1}});
  city.commitment(answered, "public-works", "acknowledged", "2026-12-20", "2026-11-05");
  const auto late = city.priority("Potholes", "parkville", "traffic_streets", "adopted", "2026-11-01");
  city.commitment(late, "public-works", "in_progress", "2026-11-10", "2026-11-05");
  city.commitment(late, "police", "acknowledged", nullptr, "2026-11-06");
  const auto waiting = city.priority("Dumping", "frog-hollow", "environment_sanitation", "adopted",
                                     "2026-11-01", {{"department", "public-works"}});
  city.priority("Done already", "frog-hollow", "other", "resolved", "2026-11-01",
                {{"department", "public-works"}});
  city.priority("Someone else's", "frog-hollow", "youth", "adopted", "2026-11-01",
                {{"department", "parks-recreation"}});
  // Only proposed: addressed to the department, but not yet the committee's
  // priority, so it does not await the department's answer (the liaison's
  // list said it did while the scorecard said it did not).
  const auto proposal = city.priority("Loud music", "parkville", "quality_of_life", "proposed", "2026-11-01",
                                      {{"department", "public-works"}});

  const json list = department_worklist(city.desk.replica(), "public-works", {}, "2026-11-29");
  REQUIRE(list.size() == 5);
  long long awaiting = 0;
  for (const auto& entry : list) {
    if (entry["awaiting_response"] == true) ++awaiting;
    if (entry["priority"] == proposal) CHECK(entry["awaiting_response"] == false);
  }
  long long scorecard_awaiting = -1;
  for (const auto& card : department_scorecards(city.desk.replica(), {}, "2026-11-29"))
    if (card.department == "public-works") scorecard_awaiting = card.awaiting_response;
  CHECK(awaiting == 1);
  CHECK(scorecard_awaiting == awaiting);  // one rule, one number
  CHECK(list[0]["priority"] == waiting);
  CHECK(list[0]["awaiting_response"] == true);
  CHECK(list[1]["priority"] == late);
  CHECK(list[1]["overdue"] == true);
  CHECK(list[1]["other_commitments"][0]["department"] == "police");
  CHECK(list[1]["commitments"].size() == 1);
  CHECK(list[2]["priority"] == answered);
  CHECK(list[2]["rank"] == 1);
  CHECK(list[3]["priority"] == proposal);
  CHECK(list[4]["title"] == "Done already");
  DashboardFilter open;
  open.status = "open";
  CHECK(department_worklist(city.desk.replica(), "public-works", open, "2026-11-29").size() == 4);
  CHECK(department_worklist(city.desk.replica(), "police", {}, "2026-11-29").size() == 1);
}

TEST_CASE(
    "the leaders' meeting agenda is drafted from the roll-up; its action items reach the neighborhood") {
  City city;
  const auto lights =
      city.priority("Streetlights out", "frog-hollow", "public_safety", "adopted", "2026-10-01");
  city.priority("Speeding on Park St", "frog-hollow", "traffic_streets", "adopted", "2026-10-01");
  city.priority("Speeding on Fairfield Ave", "parkville", "traffic_streets", "proposed", "2026-10-01");
  city.priority("Old graffiti", "parkville", "quality_of_life", "resolved", "2026-10-01");
  city.commitment(lights, "public-works", "in_progress", "2026-11-20", "2026-10-05");

  const json agenda = leaders_agenda(city.desk.replica(), {}, "2026-12-01");
  std::vector<std::string> kinds;
  for (const auto& part : agenda) kinds.push_back(part["kind"]);
  CHECK(kinds == std::vector<std::string>{"neighborhood_priorities", "neighborhood_priorities",
                                          "shared_category", "scorecards", "overdue_commitments"});
  CHECK(agenda[0]["neighborhood"] == "frog-hollow");  // by name: Frog Hollow, Parkville
  CHECK(agenda[0]["priorities"].size() == 2);
  REQUIRE(agenda[1]["priorities"].size() == 1);  // the resolved one is not on it
  CHECK(agenda[1]["priorities"][0]["title"] == "Speeding on Fairfield Ave");
  CHECK(agenda[2]["category"] == "traffic_streets");
  CHECK(agenda[2]["neighborhoods"] == json::array({"frog-hollow", "parkville"}));
  REQUIRE(agenda[3]["departments"].size() == 1);
  CHECK(agenda[3]["departments"][0]["department"] == "public-works");
  CHECK(agenda[3]["departments"][0]["overdue"] == 1);
  REQUIRE(agenda[4]["commitments"].size() == 1);
  CHECK(agenda[4]["commitments"][0]["title"] == "Streetlights out");
  CHECK(agenda[4]["commitments"][0]["days_overdue"] == 11);
  // A quiet city has nothing to draft.
  City quiet;
  CHECK(leaders_agenda(quiet.desk.replica(), {}, "2026-12-01").empty());

  // An action item the leaders assign to Frog Hollow joins its report-back.
  const auto leaders = city.make("meeting",
                                 {{"neighborhood", "citywide"},
                                  {"kind", "citywide_leaders"},
                                  {"title", "December leaders"},
                                  {"start", "2026-12-02T22:00Z"},
                                  {"status", "held"}},
                                 "2026-12-02");
  city.make("action_item",
            {{"meeting", leaders},
             {"description", "Bring the lighting survey"},
             {"neighborhood", "frog-hollow"},
             {"priority", lights}},
            "2026-12-02");
  city.make("action_item",
            {{"meeting", leaders}, {"description", "Parkville's"}, {"neighborhood", "parkville"}},
            "2026-12-02");
  // Who came: one PSC of the three seeded, and the police.
  city.make("attendance",
            {{"meeting", leaders}, {"name", "Rosa"}, {"role", "resident"}, {"neighborhood", "frog-hollow"}},
            "2026-12-02");
  city.make("attendance",
            {{"meeting", leaders}, {"name", "Lt. Diaz"}, {"role", "police"}, {"department", "police"}},
            "2026-12-02");
  const json present = meeting_representation(city.desk.replica(), leaders);
  REQUIRE(present["neighborhoods_present"].size() == 1);
  CHECK(present["neighborhoods_present"][0]["name"] == "Frog Hollow");
  CHECK(present["neighborhoods_absent"].size() == 2);
  CHECK(present["departments_present"] == json{{"police", 1}});
  CHECK_FALSE(meeting_representation(city.desk.replica(), city.make("meeting",
                                                                    {{"neighborhood", "parkville"},
                                                                     {"kind", "psc"},
                                                                     {"title", "PSC"},
                                                                     {"start", "2026-12-02T22:00Z"},
                                                                     {"status", "held"}},
                                                                    "2026-12-02"))
                  .contains("neighborhoods_present"));

  const json report = report_back_agenda(city.desk.replica(), "frog-hollow", "2026-12-03");
  REQUIRE(report["open_action_items"].size() == 1);
  CHECK(report["open_action_items"][0]["description"] == "Bring the lighting survey");
  CHECK(report["open_action_items"][0]["meeting"]["title"] == "December leaders");
}

TEST_CASE("representation counts as absent only the groups that were members on the meeting's day") {
  City city;
  auto group = [&](const char* name, json extra) {
    json fields = {{"name", name}, {"kind", "block_group"}, {"neighborhood", "frog-hollow"}};
    fields.update(extra);
    return city.make("organization", fields, "2026-01-05");
  };
  group("Always here", json::object());
  group("Joined in March", {{"joined_on", "2026-03-01"}});
  group("Left in March", {{"joined_on", "2025-01-01"}, {"left_on", "2026-03-01"}});
  group("Inactive", {{"active", false}});
  group("Rejoined", {{"active", false}, {"joined_on", "2025-01-01"}, {"left_on", "2027-01-01"}});
  // February 28, 7 pm in Hartford is March 1, 00:00 UTC: the day is Hartford's.
  auto meeting = [&](const char* start) {
    return city.make("meeting",
                     {{"neighborhood", "frog-hollow"},
                      {"kind", "psc"},
                      {"title", "PSC"},
                      {"start", start},
                      {"status", "held"}},
                     "2026-01-05");
  };
  auto absent = [&](const std::string& id) {
    std::vector<std::string> names;
    const json rep = meeting_representation(city.desk.replica(), id);
    INFO(rep.dump());
    REQUIRE(rep.is_object());
    for (const auto& o : rep["absent"]) names.push_back(o["name"]);
    return names;
  };
  CHECK(absent(meeting("2026-03-01T00:00Z")) ==
        std::vector<std::string>{"Always here", "Left in March", "Rejoined"});  // Feb 28 in Hartford
  CHECK(absent(meeting("2026-04-10T22:30Z")) ==
        std::vector<std::string>{"Always here", "Joined in March", "Rejoined"});
}
