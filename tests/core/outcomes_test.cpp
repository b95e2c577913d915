// Outcomes (issue 14): the residents' verdict on a resolved priority, one per
// meeting (a derived id), who may record it, which verdict counts, and where
// it shows: the report-back agenda, the dashboard, the department scorecards
// and the exports. Also the exports' other tables and Hartford's local times.
#include <catch2/catch.hpp>

#include "psc/authorization.hpp"
#include "psc/civil_date.hpp"
#include "psc/dashboard.hpp"
#include "psc/department_scorecard.hpp"
#include "psc/derived_id.hpp"
#include "psc/exports.hpp"
#include "psc/local_device.hpp"
#include "psc/outcomes.hpp"
#include "psc/report_back.hpp"
#include "psc/validation.hpp"
#include "test_support.hpp"

using nlohmann::json;
using namespace psc;

namespace {

// Frog Hollow with a held meeting, a planned one, and three priorities: one
// resolved (addressed to public works), one resolved by police, one open.
struct Neighborhood {
  LocalDevice device{"tab", "org-fh"};
  uint64_t now = 1'780'000'000'000;  // 2026-05-28
  uint64_t random = 1;
  std::string held, next, lights, speeding, dumping;
  std::vector<Change> log;  // every change made here
  Neighborhood() {
    test::seed(device);
    held = make("meeting", {{"neighborhood", "frog-hollow"},
                            {"kind", "psc"},
                            {"title", "May PSC"},
                            {"start", "2026-05-20T22:30Z"},
                            {"status", "held"}});
    next = make("meeting", {{"neighborhood", "frog-hollow"},
                            {"kind", "psc"},
                            {"title", "June PSC"},
                            {"start", "2026-06-17T22:30Z"},
                            {"status", "planned"}});
    lights = make("priority", {{"title", "Lights out on Park St"},
                               {"category", "public_safety"},
                               {"status", "resolved"},
                               {"department", "public-works"},
                               {"neighborhood", "frog-hollow"}});
    speeding = make("priority", {{"title", "Speeding on Broad St"},
                                 {"category", "traffic_streets"},
                                 {"status", "resolved"},
                                 {"department", "police"},
                                 {"neighborhood", "frog-hollow"}});
    dumping = make("priority", {{"title", "Dumping behind the school"},
                                {"category", "environment_sanitation"},
                                {"status", "adopted"},
                                {"neighborhood", "frog-hollow"}});
  }
  std::string make(const std::string& type, const json& fields) {
    now += 1000;
    auto created = device.create(type, fields, now, ++random, 5);
    INFO(created.status().message());
    REQUIRE(created);
    log.insert(log.end(), created.value().begin(), created.value().end());
    return created.value().front().record_id;
  }
  std::string verdict(const std::string& meeting, const std::string& priority, const std::string& verdict,
                      const std::string& day) {
    return make("outcome",
                {{"meeting", meeting}, {"priority", priority}, {"verdict", verdict}, {"decided_on", day}});
  }
};

std::vector<Change> outcome_changes(const std::string& id, const json& fields, const std::string& device,
                                    uint64_t millis = 2'000'000'000'000) {
  std::vector<Change> out;
  uint32_t counter = 0;
  for (const auto& [k, v] : fields.items())
    out.push_back(test::make_change("outcome", id, k, v, millis, device, {}, counter++));
  return out;
}

Status first_error(const std::vector<Status>& results) {
  for (const auto& s : results)
    if (!s) return s;
  return Status::ok();
}

}  // namespace

TEST_CASE("two tablets recording the verdict at one meeting make one record; different verdicts conflict") {
  Neighborhood n;
  LocalDevice other{"tab-2", "org-fh-2"};
  test::seed(other);
  for (const auto& c : n.log) other.receive(c, n.now);
  const json fields = {{"meeting", n.next}, {"priority", n.lights}, {"decided_on", "2026-06-17"}};
  json confirmed = fields, not_solved = fields;
  confirmed["verdict"] = "confirmed";
  not_solved["verdict"] = "not_solved";
  auto a = n.device.create("outcome", confirmed, n.now + 10, 1, 1);
  auto b = other.create("outcome", not_solved, n.now + 10, 2, 2);
  REQUIRE(a);
  REQUIRE(b);
  CHECK(a.value().front().record_id == outcome_id(n.next, n.lights));
  CHECK(b.value().front().record_id == a.value().front().record_id);
  for (const auto& c : b.value()) n.device.receive(c, n.now + 20);
  for (const auto& c : a.value()) other.receive(c, n.now + 20);
  const Record* on_a = n.device.replica().find("outcome", outcome_id(n.next, n.lights));
  const Record* on_b = other.replica().find("outcome", outcome_id(n.next, n.lights));
  REQUIRE(on_a);
  REQUIRE(on_b);
  CHECK(on_a->field("verdict")->has_conflict());  // nobody's verdict silently wins
  CHECK(on_a->to_json().dump() == on_b->to_json().dump());
  CHECK(n.device.replica().list("outcome").size() == 1);
}

TEST_CASE("an outcome is checked: its derived id, its verdict, its day") {
  Neighborhood n;
  const std::string id = outcome_id(n.next, n.lights);
  const json good = {
      {"meeting", n.next}, {"priority", n.lights}, {"verdict", "confirmed"}, {"decided_on", "2026-06-17"}};
  CHECK(first_error(validate_batch(outcome_changes(id, good, "dev-a"), n.device.replica())).is_ok());
  // A made-up id would let two records hold one meeting's verdict.
  CHECK(first_error(validate_batch(outcome_changes("0123456789abcdef0123456789abcdef", good, "dev-a"),
                                   n.device.replica()))
            .code() != "ok");
  json bad = good;
  bad["verdict"] = "solved";
  CHECK(first_error(validate_batch(outcome_changes(id, bad, "dev-a"), n.device.replica())).code() ==
        "invalid_field");
  bad = good;
  bad["decided_on"] = "June 17";
  CHECK(first_error(validate_batch(outcome_changes(id, bad, "dev-a"), n.device.replica())).code() ==
        "invalid_field");
  bad = good;
  bad.erase("decided_on");
  CHECK(first_error(validate_batch(outcome_changes(id, bad, "dev-a"), n.device.replica())).code() ==
        "missing_field");
  bad = good;
  bad["priority"] = "ffffffffffffffffffffffffffffffff";
  CHECK(first_error(validate_batch(
                        outcome_changes(outcome_id(n.next, "ffffffffffffffffffffffffffffffff"), bad, "dev-a"),
                        n.device.replica()))
            .code() != "ok");
}

TEST_CASE("who may record a verdict: the neighborhood's organizers and coordinators only") {
  Neighborhood n;
  const std::string id = outcome_id(n.next, n.lights);
  const json fields = {
      {"meeting", n.next}, {"priority", n.lights}, {"verdict", "confirmed"}, {"decided_on", "2026-06-17"}};
  auto as = [&](const Principal& p) {
    auto batch = outcome_changes(id, fields, p.device);
    for (auto& c : batch) c.actor = p.account;
    return first_error(authorize_batch(p, batch, n.device.replica()));
  };
  CHECK(as({Role::organizer, "org-fh", "frog-hollow", "", "d1"}).is_ok());
  CHECK(as({Role::coordinator, "coord", "", "", "d2"}).is_ok());
  CHECK(as({Role::organizer, "org-pk", "parkville", "", "d3"}).code() == "forbidden");
  CHECK(as({Role::liaison, "dpw", "", "public-works", "d4"}).code() == "forbidden");
  CHECK(as({Role::viewer, "v", "frog-hollow", "", "d5"}).code() == "forbidden");
  CHECK(as({Role::kiosk, "kiosk", "frog-hollow", "", "d6"}).code() == "forbidden");
  // Liaisons read every verdict (their scorecard counts them); kiosks none.
  CHECK(may_read(read_scope({Role::liaison, "dpw", "", "public-works", "d4"}), "outcome", "parkville"));
  CHECK_FALSE(
      may_read(read_scope({Role::kiosk, "kiosk", "frog-hollow", "", "d6"}), "outcome", "frog-hollow"));
  CHECK_FALSE(
      may_read(read_scope({Role::organizer, "org-pk", "parkville", "", "d3"}), "outcome", "frog-hollow"));
}

TEST_CASE("the latest verdict counts: a later meeting's, then the later change") {
  Neighborhood n;
  CHECK(latest_verdicts(n.device.replica()).empty());
  n.verdict(n.held, n.lights, "confirmed", "2026-05-20");
  n.verdict(n.next, n.lights, "came_back", "2026-06-17");
  auto latest = latest_verdicts(n.device.replica());
  REQUIRE(latest.count(n.lights));
  CHECK(latest.at(n.lights).verdict == "came_back");
  CHECK(latest.at(n.lights).meeting == n.next);
  CHECK(reopens("came_back"));
  CHECK(reopens("not_solved"));
  CHECK_FALSE(reopens("confirmed"));
  // Deleting the later verdict brings the earlier one back.
  REQUIRE(n.device.remove("outcome", outcome_id(n.next, n.lights), n.now += 1000));
  CHECK(latest_verdicts(n.device.replica()).at(n.lights).verdict == "confirmed");
  // A verdict on a deleted priority counts nowhere.
  n.verdict(n.held, n.speeding, "confirmed", "2026-05-20");
  REQUIRE(n.device.remove("priority", n.speeding, n.now += 1000));
  CHECK_FALSE(latest_verdicts(n.device.replica()).count(n.speeding));
}

TEST_CASE("the report-back asks about resolved priorities until the residents confirm them") {
  Neighborhood n;
  json agenda = report_back_agenda(n.device.replica(), "frog-hollow", "2026-06-01");
  REQUIRE(agenda["to_confirm"].size() == 2);
  CHECK(agenda["to_confirm"][0]["title"] == "Lights out on Park St");
  CHECK(agenda["to_confirm"][0]["outcome"].is_null());
  CHECK(agenda["outcomes"] ==
        json{{"resolved", 2}, {"confirmed", 0}, {"awaiting_verdict", 2}, {"reopened", 0}});

  // At the June meeting: lights confirmed; speeding not solved, so reopened.
  n.verdict(n.next, n.lights, "confirmed", "2026-06-17");
  n.verdict(n.next, n.speeding, "not_solved", "2026-06-17");
  REQUIRE(n.device.set_field("priority", n.speeding, "status", "in_progress", n.now += 1000));
  agenda = report_back_agenda(n.device.replica(), "frog-hollow", "2026-06-18");
  CHECK(agenda["to_confirm"].empty());
  CHECK(agenda["outcomes"] ==
        json{{"resolved", 1}, {"confirmed", 1}, {"awaiting_verdict", 0}, {"reopened", 1}});
  json speeding;
  for (const auto& item : agenda["items"])
    if (item["priority"] == n.speeding) speeding = item;
  REQUIRE(speeding.is_object());  // open again, on the agenda
  CHECK(speeding["outcome"]["verdict"] == "not_solved");
  CHECK(speeding["outcome"]["decided_on"] == "2026-06-17");
  CHECK(speeding["outcome"]["meeting"] == n.next);

  // Resolved again later without a new verdict: asked again.
  REQUIRE(n.device.set_field("priority", n.speeding, "status", "resolved", n.now += 1000));
  agenda = report_back_agenda(n.device.replica(), "frog-hollow", "2026-07-01");
  REQUIRE(agenda["to_confirm"].size() == 1);
  CHECK(agenda["to_confirm"][0]["priority"] == n.speeding);
  CHECK(agenda["to_confirm"][0]["outcome"]["verdict"] == "not_solved");
}

TEST_CASE("the dashboard and the department scorecards count confirmed and reopened priorities") {
  Neighborhood n;
  n.verdict(n.next, n.lights, "confirmed", "2026-06-17");
  n.verdict(n.next, n.speeding, "came_back", "2026-06-17");
  const json board = dashboard(n.device.replica(), DashboardFilter{}, "2026-06-18", 3);
  CHECK(board["outcomes"] ==
        json{{"resolved", 2}, {"confirmed", 1}, {"awaiting_verdict", 1}, {"reopened", 1}});
  for (const auto& nb : board["neighborhoods"])
    if (nb["slug"] == "frog-hollow") CHECK(nb["outcomes"]["confirmed"] == 1);
  for (const auto& card : department_scorecards(n.device.replica(), DashboardFilter{}, "2026-06-18")) {
    INFO(card.department);
    if (card.department == "public-works") {
      CHECK(card.resolved == 1);
      CHECK(card.confirmed == 1);
      CHECK(card.reopened == 0);
    } else if (card.department == "police") {
      CHECK(card.resolved == 1);
      CHECK(card.confirmed == 0);
      CHECK(card.reopened == 1);
    } else {
      CHECK(card.resolved == 0);
    }
  }
  CHECK(to_json(department_scorecards(n.device.replica(), DashboardFilter{}, "2026-06-18"))[0].contains(
      "confirmed"));
}

TEST_CASE("exports hold outcomes, organizations and agenda items, names for ids, and Hartford's times") {
  Neighborhood n;
  n.verdict(n.next, n.lights, "confirmed", "2026-06-17");
  const std::string club =
      n.make("organization",
             {{"name", "Park St Block Club"}, {"kind", "block_group"}, {"neighborhood", "frog-hollow"}});
  n.make("attendance",
         {{"meeting", n.held}, {"name", "Ana Ruiz"}, {"organization", club}, {"role", "resident"}});
  n.make("agenda_item", {{"meeting", n.next}, {"order", 1}, {"title", "Report-back"}});
  for (const json& doc :
       {neighborhood_export(n.device.replica(), "frog-hollow"), city_export(n.device.replica())}) {
    CHECK(doc["outcomes"].size() == 1);
    CHECK(doc["organizations"].size() == 1);
    CHECK(doc["agenda_items"].size() == 1);
    CHECK(doc["attendance"][0]["organization_name"] == "Park St Block Club");
    const auto outcomes = export_table_csv(doc, "outcomes");
    REQUIRE(outcomes);
    CHECK(outcomes->rfind("id,meeting,priority,verdict,decided_on,notes\r\n", 0) == 0);
    CHECK(outcomes->find(",confirmed,2026-06-17,") != std::string::npos);
    CHECK(export_table_csv(doc, "organizations")->find("Park St Block Club,block_group,frog-hollow") !=
          std::string::npos);
    CHECK(export_table_csv(doc, "attendance")->find(",Park St Block Club,resident") != std::string::npos);
  }
  const json june = meeting_export(n.device.replica(), n.next);
  CHECK(june["outcomes"].size() == 1);
  CHECK(june["agenda_items"].size() == 1);
  CHECK(june["meetings"][0]["start_local"] == "2026-06-17T18:30:00-04:00");  // daylight time
  const json may = neighborhood_export(n.device.replica(), "frog-hollow");
  for (const auto& p : may["priorities"]) {
    CHECK(p["created_local"].is_string());
    CHECK(p["created_local"].get<std::string>().ends_with("-04:00"));
  }
  CHECK(std::find(export_table_names().begin(), export_table_names().end(), "outcomes") !=
        export_table_names().end());
}

TEST_CASE("Hartford's local time of an instant follows the US daylight-time rule") {
  const auto at = [](const char* utc) { return format_us_eastern_of_millis(*parse_w3c_datetime(utc)); };
  CHECK(at("2026-01-15T17:00:00Z") == "2026-01-15T12:00:00-05:00");
  CHECK(at("2026-07-04T02:30:15Z") == "2026-07-03T22:30:15-04:00");  // the day before, locally
  // 2026: daylight time from March 8, 07:00 UTC, to November 1, 06:00 UTC.
  CHECK(at("2026-03-08T06:59:59Z") == "2026-03-08T01:59:59-05:00");
  CHECK(at("2026-03-08T07:00:00Z") == "2026-03-08T03:00:00-04:00");
  CHECK(at("2026-11-01T05:59:59Z") == "2026-11-01T01:59:59-04:00");
  CHECK(at("2026-11-01T06:00:00Z") == "2026-11-01T01:00:00-05:00");  // the repeated hour, second time
  CHECK(format_us_eastern_of_millis(0) == "1969-12-31T19:00:00-05:00");
  CHECK(format_us_eastern_of_millis(-1) == "1969-12-31T18:59:59-05:00");
}
