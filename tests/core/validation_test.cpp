#include <fstream>

#include <catch2/catch.hpp>

#include "psc/derived_id.hpp"
#include "psc/schema.hpp"
#include "psc/scope.hpp"
#include "psc/validation.hpp"
#include "test_support.hpp"

using nlohmann::json;
using namespace psc;
using test::make_change;

namespace {
std::vector<Change> new_priority(const std::string& id, json overrides = json::object()) {
  json fields = {{"title", "Streetlights out on Park St"},
                 {"category", "public_safety"},
                 {"status", "proposed"},
                 {"neighborhood", "frog-hollow"}};
  for (auto& [k, v] : overrides.items()) fields[k] = v;
  std::vector<Change> out;
  uint32_t counter = 0;
  for (auto& [k, v] : fields.items())
    if (!v.is_null() || k == "address")
      out.push_back(make_change("priority", id, k, v, 100, "dev-a", {}, counter++));
  return out;
}
// A seeded replica and the records a tablet ("dev-a") writes to it, each
// record made in one stamp of its own.
struct Desk {
  Replica r;
  uint64_t t = 1000;
  Desk() { test::seed(r); }
  // The changes creating record `id` of `type` with `fields`.
  std::vector<Change> record(const std::string& type, const std::string& id, const json& fields) {
    std::vector<Change> out;
    uint32_t counter = 0;
    ++t;
    for (const auto& [k, v] : fields.items())
      out.push_back(make_change(type, id, k, v, t, "dev-a", {}, counter++));
    return out;
  }
  // The batch's first refusal, or ok.
  Status first(const std::vector<Change>& changes) const {
    for (const auto& s : validate_batch(changes, r))
      if (!s) return s;
    return Status::ok();
  }
  // Validates (every change must pass) and applies.
  void apply_all(const std::vector<Change>& changes) {
    for (const auto& s : validate_batch(changes, r)) REQUIRE(s.is_ok());
    for (const auto& c : changes) r.apply(c);
  }
};
bool all_ok(const std::vector<Status>& results) {
  for (const auto& s : results)
    if (!s) return false;
  return true;
}
}  // namespace

TEST_CASE("a complete new priority is valid") {
  Replica r;
  test::seed(r);
  CHECK(all_ok(validate_batch(new_priority("p1"), r)));
}

TEST_CASE("field values are checked against the schema") {
  Replica r;
  test::seed(r);
  auto first_error = [&](json overrides) {
    for (const auto& s : validate_batch(new_priority("p1", overrides), r))
      if (!s) return s;
    return Status::ok();
  };
  CHECK(first_error({{"title", ""}}).code() == "invalid_field");
  CHECK(first_error({{"title", "   "}}).code() == "invalid_field");
  CHECK(first_error({{"title", std::string(201, 'x')}}).code() == "invalid_field");
  CHECK(first_error({{"title", 42}}).code() == "invalid_field");
  CHECK(first_error({{"category", "aliens"}}).code() == "invalid_field");
  CHECK(first_error({{"status", "done"}}).code() == "invalid_field");
  CHECK(first_error({{"neighborhood", "atlantis"}}).code() == "invalid_field");
  CHECK(first_error({{"title", nullptr}, {"address", "12 Park St"}}).code() == "missing_field");
  CHECK(first_error({{"address", nullptr}}).is_ok());
  CHECK(first_error({{"address", std::string(200, 'x')}}).is_ok());
  CHECK(first_error({{"unknown_field", "x"}}).code() == "invalid_field");
  const Status s = first_error({{"category", "aliens"}});
  CHECK(s.message().find("priority.category") != std::string::npos);
}

TEST_CASE("a creation stands or falls as a whole; other records in the batch are unaffected") {
  Replica r;
  test::seed(r);
  auto batch = new_priority("bad", {{"category", "aliens"}});
  auto good = new_priority("good");
  batch.insert(batch.end(), good.begin(), good.end());
  const auto results = validate_batch(batch, r);
  for (std::size_t i = 0; i < results.size(); ++i) {
    INFO(i);
    CHECK(results[i].is_ok() == (batch[i].record_id == "good"));
  }
}

TEST_CASE("edits to existing records need no required fields, but immutable fields stay put") {
  Replica r;
  test::seed(r);
  for (const auto& c : new_priority("p1")) r.apply(c);
  CHECK(validate_batch({make_change("priority", "p1", "title", "New title", 200, "dev-b")}, r)[0].is_ok());
  CHECK(validate_batch({make_change("priority", "p1", "neighborhood", "parkville", 200, "dev-b")}, r)[0]
            .code() == "invalid_field");
  CHECK(validate_batch({make_change("priority", "p1", "_deleted", true, 200, "dev-b")}, r)[0].is_ok());
  CHECK(validate_batch({make_change("priority", "p1", "_deleted", "yes", 200, "dev-b")}, r)[0].code() ==
        "invalid_field");
}

TEST_CASE("devices cannot write reference data or unknown types") {
  Replica r;
  test::seed(r);
  CHECK(validate_batch({make_change("neighborhood", "frog-hollow", "name", "Toad Hollow", 5, "dev-a")}, r)[0]
            .code() == "read_only");
  CHECK(validate_batch({make_change("spaceship", "x", "name", "x", 5, "dev-a")}, r)[0].code() ==
        "unknown_type");
}

TEST_CASE("a deleted neighborhood cannot be referenced") {
  Replica r;
  test::seed(r);
  r.apply(make_change("neighborhood", "parkville", "_deleted", true, 9, "server"));
  const auto results = validate_batch(new_priority("p1", {{"neighborhood", "parkville"}}), r);
  CHECK_FALSE(results[0].is_ok());
}

TEST_CASE("the schema's categories match server/data/hartford.json") {
  std::ifstream in(std::string(PSC_SOURCE_DIR) + "/server/data/hartford.json");
  REQUIRE(in);
  const json data = json::parse(in);
  CHECK(data["priority_categories"].get<std::vector<std::string>>() == priority_categories());
  CHECK(data["organization_kinds"].get<std::vector<std::string>>() == organization_kinds());
  std::vector<std::string> departments;
  for (const auto& d : data["departments"]) departments.push_back(d["slug"]);
  CHECK(departments == department_slugs());
  std::vector<std::string> categories;
  for (const auto& c : data["categories"]) categories.push_back(c["slug"]);
  CHECK(categories == priority_categories());
}

TEST_CASE("departments and categories are the coordinators' lists once the replica holds them") {
  Desk desk;
  Replica& r = desk.r;
  uint64_t& t = desk.t;
  auto category = [&](const std::string& slug, const json& fields) {
    std::vector<Change> out;
    uint32_t counter = 0;
    ++t;
    for (const auto& [k, v] : fields.items())
      out.push_back(make_change("category", slug, k, v, t, "desk", {}, counter++));
    return out;
  };
  // Before any list record: the built-in seed.
  CHECK(desk.first(new_priority("p1", {{"category", "youth"}})).is_ok());
  CHECK(desk.first(new_priority("p2", {{"category", "truancy"}})).code() == "invalid_field");
  // The seeded list, then a category the city adds: from then on the
  // records decide, and a new one may be used in the batch that makes it.
  for (const auto& slug : priority_categories())
    for (const auto& c : category(slug, {{"name", slug}, {"active", true}})) r.apply(c);
  auto truancy =
      category("truancy", {{"name", "Truancy"}, {"name_es", "Ausentismo escolar"}, {"active", true}});
  auto with_priority = truancy;
  for (const auto& c : new_priority("p3", {{"category", "truancy"}})) with_priority.push_back(c);
  CHECK(desk.first(with_priority).is_ok());
  CHECK(desk.first(new_priority("p4", {{"category", "truancy"}})).code() == "invalid_field");  // not made yet
  for (const auto& c : truancy) r.apply(c);
  CHECK(desk.first(new_priority("p4", {{"category", "truancy"}})).is_ok());
  const Status odd = desk.first(new_priority("p5", {{"category", "zoning"}}));
  CHECK(odd.code() == "invalid_field");
  CHECK(odd.message().find("is not one of the city's category list") != std::string::npos);
  CHECK(desk.first(new_priority("p6", {{"category", "has space"}})).code() == "invalid_field");
  // Retired, not deleted: priorities keep naming it.
  CHECK(desk.first({make_change("category", "truancy", "_deleted", true, ++t, "desk")}).code() ==
        "invalid_field");
  CHECK(desk.first({make_change("category", "truancy", "active", false, ++t, "desk")}).is_ok());
  // Neighborhoods stay the server's.
  CHECK(desk.first({make_change("neighborhood", "frog-hollow", "name", "Renamed", ++t, "desk")}).code() ==
        "read_only");
}

TEST_CASE(
    "an immutable field set again to the value it has is accepted (a second tablet creating the same "
    "record)") {
  Replica r;
  test::seed(r);
  for (const auto& c : new_priority("p1")) r.apply(c);
  CHECK(validate_batch({make_change("priority", "p1", "neighborhood", "frog-hollow", 300, "dev-b")}, r)[0]
            .is_ok());
  CHECK_FALSE(validate_batch({make_change("priority", "p1", "neighborhood", "parkville", 300, "dev-b")}, r)[0]
                  .is_ok());
}

TEST_CASE("text may hold tabs and line breaks but no other control character") {
  Replica r;
  test::seed(r);
  CHECK(all_ok(validate_batch(new_priority("p1", {{"description", "line one\nline two\ttabbed\r\n"}}), r)));
  const auto refused = validate_batch(new_priority("p2", {{"title", "bell\x01"}}), r);
  CHECK_FALSE(all_ok(refused));
  bool named = false;
  for (const auto& s : refused) named |= s.message().find("control character") != std::string::npos;
  CHECK(named);
}

TEST_CASE("a closed meeting takes no change made after it was closed, until it is reopened") {
  Replica r;
  test::seed(r);
  for (const auto& c :
       std::vector<Change>{make_change("meeting", "m1", "neighborhood", "frog-hollow", 10, "org", {}, 0),
                           make_change("meeting", "m1", "kind", "psc", 10, "org", {}, 1),
                           make_change("meeting", "m1", "title", "PSC", 10, "org", {}, 2),
                           make_change("meeting", "m1", "start", "2026-12-01T18:00:00Z", 10, "org", {}, 3),
                           make_change("meeting", "m1", "status", "held", 10, "org", {}, 4)})
    r.apply(c);
  const auto close =
      make_change("meeting", "m1", "status", "closed", 200, "org", {Change::change_id(Hlc{10, 4}, "org")});
  r.apply(close);
  const auto action_item = [](uint64_t at) {
    return std::vector<Change>{make_change("action_item", "a1", "meeting", "m1", at, "tab", {}, 0),
                               make_change("action_item", "a1", "description", "Call DPW", at, "tab", {}, 1)};
  };
  const auto late = validate_batch(action_item(300), r);
  CHECK(late[0].code() == "meeting_closed");
  CHECK(late[1].code() == "meeting_closed");           // the record falls as a whole
  CHECK(all_ok(validate_batch(action_item(150), r)));  // made offline before the close: kept
  // Checking off an item the meeting took on is follow-up: still possible;
  // rewording it is not.
  for (const auto& c : action_item(150)) r.apply(c);
  CHECK(validate_batch({make_change("action_item", "a1", "done", true, 300, "tab")}, r)[0].is_ok());
  CHECK(validate_batch({make_change("action_item", "a1", "description", "Call", 300, "tab")}, r)[0].code() ==
        "meeting_closed");
  CHECK(validate_batch({make_change("meeting", "m1", "minutes", "Notes", 300, "tab")}, r)[0].code() ==
        "meeting_closed");
  CHECK(validate_batch({make_change("meeting", "m1", "title", "Renamed", 300, "tab",
                                    {Change::change_id(Hlc{10, 2}, "org")})},
                       r)[0]
            .is_ok());
  const auto reopen = make_change("meeting", "m1", "status", "held", 300, "tab", {close.id()});
  CHECK(validate_batch({reopen}, r)[0].is_ok());
  r.apply(reopen);
  CHECK(all_ok(validate_batch(action_item(400), r)));
}

TEST_CASE("references stay inside one neighborhood, also for records created in the same batch") {
  Desk desk;
  Replica& r = desk.r;
  uint64_t& t = desk.t;
  const json meeting = {
      {"kind", "psc"}, {"title", "PSC"}, {"start", "2026-12-01T23:00Z"}, {"status", "held"}};
  json fh_meeting = meeting, pk_meeting = meeting;
  fh_meeting["neighborhood"] = "frog-hollow";
  pk_meeting["neighborhood"] = "parkville";
  desk.apply_all(desk.record("meeting", "m-fh", fh_meeting));
  desk.apply_all(desk.record("meeting", "m-pk", pk_meeting));
  const json priority = {{"title", "Lights"}, {"category", "public_safety"}, {"status", "adopted"}};
  json fh_priority = priority, pk_priority = priority;
  fh_priority["neighborhood"] = "frog-hollow";
  pk_priority["neighborhood"] = "parkville";
  desk.apply_all(desk.record("priority", "p-fh", fh_priority));
  desk.apply_all(desk.record("priority", "p-pk", pk_priority));

  // A Parkville priority counted, judged or acted on at a Frog Hollow meeting.
  const Status tally = desk.first(desk.record("tally", tally_id("m-fh", "p-pk"),
                                              {{"meeting", "m-fh"}, {"priority", "p-pk"}, {"count", 3}}));
  CHECK(tally.code() == "invalid_field");
  CHECK(tally.message().find("belongs to parkville, not frog-hollow") != std::string::npos);
  CHECK(desk.first(desk.record("outcome", outcome_id("m-fh", "p-pk"),
                               {{"meeting", "m-fh"},
                                {"priority", "p-pk"},
                                {"verdict", "confirmed"},
                                {"decided_on", "2026-12-01"}}))
            .code() == "invalid_field");
  CHECK(desk.first(desk.record("action_item", "a1",
                               {{"meeting", "m-fh"}, {"priority", "p-pk"}, {"description", "x"}}))
            .code() == "invalid_field");
  // A priority raised at another neighborhood's meeting.
  json raised = {{"neighborhood", "frog-hollow"}, {"meeting", "m-pk"}};
  CHECK(desk.first(new_priority("p-x", raised)).code() == "invalid_field");
  // The same, in the neighborhood they belong to, is fine; so is a meeting and
  // the priority raised at it created in one batch.
  CHECK(desk.first(desk.record("tally", tally_id("m-fh", "p-fh"),
                               {{"meeting", "m-fh"}, {"priority", "p-fh"}, {"count", 3}}))
            .is_ok());
  auto together = desk.record("meeting", "m-new", fh_meeting);
  json at_new = {{"meeting", "m-new"}};
  for (auto& c : new_priority("p-new", at_new)) together.push_back(c);
  CHECK(desk.first(together).is_ok());
  json at_new_pk = {{"meeting", "m-new"}, {"neighborhood", "parkville"}};
  auto mixed = desk.record("meeting", "m-new2", fh_meeting);
  for (auto& c : new_priority("p-new2", at_new_pk)) mixed.push_back(c);
  for (auto& c : mixed)
    if (c.record_type == "priority" && c.field == "meeting") c.value = "m-new2";
  CHECK(desk.first(mixed).code() == "invalid_field");
  // An edit pointing an existing action item at another neighborhood's priority.
  desk.apply_all(desk.record("action_item", "a2", {{"meeting", "m-fh"}, {"description", "Call"}}));
  CHECK(desk.first({make_change("action_item", "a2", "priority", "p-pk", ++t, "dev-a")}).code() ==
        "invalid_field");
  CHECK(desk.first({make_change("action_item", "a2", "priority", "p-fh", ++t, "dev-a")}).is_ok());
}

TEST_CASE("the city-wide leaders' meeting belongs to the city and stays a leaders' meeting") {
  Desk desk;
  Replica& r = desk.r;
  uint64_t& t = desk.t;
  const json leaders = {{"neighborhood", "citywide"},
                        {"kind", "citywide_leaders"},
                        {"title", "Leaders"},
                        {"start", "2026-12-03T22:00Z"},
                        {"status", "held"}};
  desk.apply_all(desk.record("meeting", "m-city", leaders));
  CHECK(record_neighborhood(r, "meeting", "m-city") == kCitywide);
  desk.apply_all(desk.record("priority", "p-fh",
                             {{"title", "Lights"},
                              {"category", "public_safety"},
                              {"status", "adopted"},
                              {"neighborhood", "frog-hollow"}}));
  desk.apply_all(
      desk.record("organization", "o-fh",
                  {{"name", "Frog Hollow NRZ"}, {"kind", "nrz"}, {"neighborhood", "frog-hollow"}}));

  // Only a leaders' meeting may be city-wide, when created or later.
  json psc_kind = leaders;
  psc_kind["kind"] = "psc";
  const Status wrong_kind = desk.first(desk.record("meeting", "m-city2", psc_kind));
  CHECK(wrong_kind.code() == "invalid_field");
  CHECK(wrong_kind.message().find("citywide_leaders") != std::string::npos);
  CHECK(desk.first({make_change("meeting", "m-city", "kind", "psc", ++t, "dev-a")}).code() ==
        "invalid_field");
  // Nothing else may name the city as its neighborhood.
  CHECK(
      desk
          .first(desk.record(
              "priority", "p-city",
              {{"title", "X"}, {"category", "youth"}, {"status", "proposed"}, {"neighborhood", "citywide"}}))
          .code() == "invalid_field");
  CHECK(desk.first(desk.record("organization", "o-city",
                               {{"name", "X"}, {"kind", "club"}, {"neighborhood", "citywide"}}))
            .code() == "invalid_field");
  // Leaders sign in with their neighborhood and organization, staff with
  // their department; action items name any neighborhood's priority and are
  // assigned to a department or a neighborhood.
  CHECK(desk.first(desk.record("attendance", attendance_id("m-city", "Rosa"),
                               {{"meeting", "m-city"},
                                {"name", "Rosa"},
                                {"role", "resident"},
                                {"neighborhood", "frog-hollow"},
                                {"organization", "o-fh"}}))
            .is_ok());
  CHECK(desk
            .first(desk.record(
                "attendance", attendance_id("m-city", "Lt. Diaz"),
                {{"meeting", "m-city"}, {"name", "Lt. Diaz"}, {"role", "police"}, {"department", "police"}}))
            .is_ok());
  CHECK(desk.first(desk.record("action_item", "a-city",
                               {{"meeting", "m-city"},
                                {"description", "Report on Park St lights"},
                                {"priority", "p-fh"},
                                {"department", "public-works"}}))
            .is_ok());
  CHECK(desk
            .first(desk.record(
                "attendance", attendance_id("m-city", "Ana"),
                {{"meeting", "m-city"}, {"name", "Ana"}, {"role", "resident"}, {"neighborhood", "citywide"}}))
            .code() == "invalid_field");
  // Nothing there counts toward a neighborhood's ranking or verdicts.
  CHECK(desk.first(desk.record("tally", tally_id("m-city", "p-fh"),
                               {{"meeting", "m-city"}, {"priority", "p-fh"}, {"count", 9}}))
            .code() == "invalid_field");
  CHECK(desk.first(desk.record("outcome", outcome_id("m-city", "p-fh"),
                               {{"meeting", "m-city"},
                                {"priority", "p-fh"},
                                {"verdict", "confirmed"},
                                {"decided_on", "2026-12-03"}}))
            .code() == "invalid_field");
  CHECK(desk.first({make_change("priority", "p-fh", "meeting", "m-city", ++t, "dev-a")}).code() ==
        "invalid_field");
}
