// One message that tries to get around a rule of the core: a scope field set
// twice in an order the merge reverses, another device's ids, a base from
// the future. Each case is what an attacker sent to the server of e21dc14,
// where it was accepted; the server's attack suite sends the same over a
// real socket (tests/server/attack_scope.test.mjs).
#include <catch2/catch.hpp>

#include "psc/authorization.hpp"
#include "psc/derived_id.hpp"
#include "psc/validation.hpp"
#include "test_support.hpp"

using nlohmann::json;
using namespace psc;
using test::make_change;

namespace {

const Principal kFrogHollowOrganizer{Role::organizer, "org-fh", "frog-hollow", "", "tab-fh"};
const Principal kFrogHollowKiosk{Role::kiosk, "kiosk-fh", "frog-hollow", "", "tab-fh"};
const Principal kPublicWorksLiaison{Role::liaison, "dpw", "", "public-works", "tab-dpw"};

Change by(const Principal& p, Change c) {
  c.device = p.device;
  c.actor = p.account;
  return c;
}

// A new priority from `p`, its neighborhood set twice: first `first` at a
// higher hlc, then `second` at a lower one (the batch order the merge reverses).
std::vector<Change> priority_with_two_neighborhoods(const Principal& p, const std::string& first,
                                                    const std::string& second) {
  return {by(p, make_change("priority", "p-escape", "title", "Escape", 100, "", {}, 0)),
          by(p, make_change("priority", "p-escape", "category", "youth", 100, "", {}, 1)),
          by(p, make_change("priority", "p-escape", "status", "proposed", 100, "", {}, 2)),
          by(p, make_change("priority", "p-escape", "neighborhood", first, 120, "", {}, 0)),
          by(p, make_change("priority", "p-escape", "neighborhood", second, 105, "", {}, 0))};
}

bool any_refused(const std::vector<Status>& results) {
  for (const auto& s : results)
    if (!s) return true;
  return false;
}
bool all_refused(const std::vector<Status>& results) {
  for (const auto& s : results)
    if (s) return false;
  return true;
}

Replica seeded() {
  Replica r;
  test::seed(r);
  return r;
}

}  // namespace

TEST_CASE("authorization judges a field set twice by the value the merge shows, not the batch's last") {
  const Replica replica = seeded();
  // The merge shows asylum-hill (hlc 120 > 105); frog-hollow comes last in the batch.
  const auto batch = priority_with_two_neighborhoods(kFrogHollowOrganizer, "asylum-hill", "frog-hollow");
  CHECK(any_refused(authorize_batch(kFrogHollowOrganizer, batch, replica)));
  CHECK(any_refused(authorize_batch(kFrogHollowKiosk, batch, replica)));
}

TEST_CASE("a scope field is set once, in the creating batch: a repeat refuses the whole record") {
  const Replica replica = seeded();
  for (const auto& [first, second] : std::vector<std::pair<std::string, std::string>>{
           {"asylum-hill", "frog-hollow"}, {"frog-hollow", "asylum-hill"}, {"frog-hollow", "frog-hollow"}}) {
    INFO(first << " then " << second);
    const auto results =
        validate_batch(priority_with_two_neighborhoods(kFrogHollowOrganizer, first, second), replica);
    CHECK(all_refused(results));
    CHECK(results.back().code() == "invalid_field");
  }
  // Once is fine.
  auto once = priority_with_two_neighborhoods(kFrogHollowOrganizer, "frog-hollow", "x");
  once.pop_back();
  for (const auto& s : validate_batch(once, replica)) CHECK(s.is_ok());
}

TEST_CASE("a liaison cannot address a commitment to another department by setting it twice") {
  Replica replica = seeded();
  for (const auto& c :
       std::vector<Change>{make_change("priority", "p1", "title", "Lights", 10, "setup", {}, 0),
                           make_change("priority", "p1", "category", "youth", 10, "setup", {}, 1),
                           make_change("priority", "p1", "status", "adopted", 10, "setup", {}, 2),
                           make_change("priority", "p1", "neighborhood", "frog-hollow", 10, "setup", {}, 3)})
    replica.apply(c);
  const Principal& p = kPublicWorksLiaison;
  const std::vector<Change> batch = {
      by(p, make_change("commitment", "c-escape", "priority", "p1", 100, "", {}, 0)),
      by(p, make_change("commitment", "c-escape", "summary", "Done", 100, "", {}, 1)),
      by(p, make_change("commitment", "c-escape", "status", "done", 100, "", {}, 2)),
      by(p, make_change("commitment", "c-escape", "department", "police", 130, "", {}, 0)),
      by(p, make_change("commitment", "c-escape", "department", "public-works", 101, "", {}, 0))};
  CHECK(any_refused(authorize_batch(p, batch, replica)));
  CHECK(all_refused(validate_batch(batch, replica)));
}

TEST_CASE("a derived id is checked against the values the merge shows") {
  const Replica replica = seeded();
  Replica with_meeting = replica;
  for (const auto& c :
       std::vector<Change>{make_change("meeting", "m1", "neighborhood", "frog-hollow", 10, "s", {}, 0),
                           make_change("meeting", "m1", "kind", "psc", 10, "s", {}, 1),
                           make_change("meeting", "m1", "title", "PSC", 10, "s", {}, 2),
                           make_change("meeting", "m1", "start", "2026-12-01T18:00:00Z", 10, "s", {}, 3),
                           make_change("meeting", "m1", "status", "held", 10, "s", {}, 4)})
    with_meeting.apply(c);
  // The id is derived from "Ana", the merge shows "Zoe" (higher hlc), sent first.
  const std::string id = derived_id_for("attendance", {{"meeting", "m1"}, {"name", "Ana"}});
  REQUIRE_FALSE(id.empty());
  const std::vector<Change> batch = {make_change("attendance", id, "meeting", "m1", 100, "d", {}, 0),
                                     make_change("attendance", id, "role", "resident", 100, "d", {}, 1),
                                     make_change("attendance", id, "name", "Zoe", 150, "d", {}, 0),
                                     make_change("attendance", id, "name", "Ana", 100, "d", {}, 2)};
  CHECK(all_refused(validate_batch(batch, with_meeting)));
}

TEST_CASE("a change stamped with another device's id is refused") {
  const Replica replica = seeded();
  auto batch = priority_with_two_neighborhoods(kFrogHollowOrganizer, "frog-hollow", "x");
  batch.pop_back();
  for (const auto& s : authorize_batch(kFrogHollowOrganizer, batch, replica)) CHECK(s.is_ok());
  batch[1].device = "victim-tablet";
  const auto results = authorize_batch(kFrogHollowOrganizer, batch, replica);
  CHECK(results[1].code() == "device_mismatch");
  CHECK(results[0].is_ok());
}

TEST_CASE("a base names only earlier changes this field has received") {
  Replica replica = seeded();
  const auto title = make_change("priority", "p1", "title", "Lights", 100, "tab-a", {}, 0);
  for (const auto& c :
       std::vector<Change>{title, make_change("priority", "p1", "category", "youth", 100, "tab-a", {}, 1),
                           make_change("priority", "p1", "status", "proposed", 100, "tab-a", {}, 2),
                           make_change("priority", "p1", "neighborhood", "frog-hollow", 100, "tab-a", {}, 3)})
    replica.apply(c);

  SECTION("an edit of what the author saw is valid") {
    CHECK(validate_batch({make_change("priority", "p1", "title", "Fixed", 200, "tab-b", {title.id()})},
                         replica)[0]
              .is_ok());
  }
  SECTION("a base from the future is refused") {
    const std::string future = Change::change_id(Hlc{900, 0}, "tab-victim");
    const auto s = validate_batch(
        {make_change("priority", "p1", "title", "Mine", 500, "tab-b", {title.id(), future})}, replica)[0];
    CHECK(s.code() == "invalid_base");
    // The same rule holds for a single change's shape.
    CHECK(validate_change_shape(make_change("priority", "p1", "title", "X", 500, "tab-b", {future})).code() ==
          "invalid_base");
  }
  SECTION("a base naming the change itself is refused") {
    const auto self = make_change("priority", "p1", "title", "X", 500, "tab-b");
    CHECK(validate_change_shape(make_change("priority", "p1", "title", "X", 500, "tab-b", {self.id()}))
              .code() == "invalid_base");
  }
  SECTION("a base naming a change this field never received is refused") {
    const std::string unseen = Change::change_id(Hlc{300, 0}, "tab-victim");
    const auto s =
        validate_batch({make_change("priority", "p1", "title", "Mine", 500, "tab-b", {unseen})}, replica)[0];
    CHECK(s.code() == "unknown_base");
    // Another field's change does not count either.
    const std::string category = Change::change_id(Hlc{100, 1}, "tab-a");
    CHECK(
        validate_batch({make_change("priority", "p1", "title", "Mine", 500, "tab-b", {category})}, replica)[0]
            .code() == "unknown_base");
  }
  SECTION("a base may name an earlier change of the same batch and field") {
    const auto first = make_change("priority", "p1", "title", "One", 300, "tab-b", {title.id()});
    const auto second = make_change("priority", "p1", "title", "Two", 400, "tab-b", {first.id()});
    for (const auto& s : validate_batch({first, second}, replica)) CHECK(s.is_ok());
    CHECK(validate_batch({second, first}, replica)[0].code() == "unknown_base");
  }
}

TEST_CASE("a kiosk learns nothing from signing in a name: an existing sign-in is answered like a new one") {
  Replica replica = seeded();
  for (const auto& c :
       std::vector<Change>{make_change("meeting", "m1", "neighborhood", "frog-hollow", 10, "s", {}, 0),
                           make_change("meeting", "m1", "kind", "psc", 10, "s", {}, 1),
                           make_change("meeting", "m1", "title", "PSC", 10, "s", {}, 2),
                           make_change("meeting", "m1", "start", "2026-12-01T18:00:00Z", 10, "s", {}, 3),
                           make_change("meeting", "m1", "status", "held", 10, "s", {}, 4)})
    replica.apply(c);
  const std::string ana = derived_id_for("attendance", {{"meeting", "m1"}, {"name", "Ana Ruiz"}});
  const auto sign_in = [&](const std::string& id, const std::string& name, uint64_t at) {
    return std::vector<Change>{
        by(kFrogHollowKiosk, make_change("attendance", id, "meeting", "m1", at, "", {}, 0)),
        by(kFrogHollowKiosk, make_change("attendance", id, "name", name, at, "", {}, 1)),
        by(kFrogHollowKiosk, make_change("attendance", id, "role", "resident", at, "", {}, 2))};
  };
  const auto verdicts = [&](const std::vector<Change>& batch) {
    std::vector<std::string> codes;
    for (const auto& s : authorize_batch(kFrogHollowKiosk, batch, replica)) codes.push_back(s.code());
    for (const auto& s : validate_batch(batch, replica)) codes.push_back(s.code());
    return codes;
  };
  const auto when_new = verdicts(sign_in(ana, "Ana Ruiz", 100));
  for (const auto& c :
       std::vector<Change>{make_change("attendance", ana, "meeting", "m1", 50, "org", {}, 0),
                           make_change("attendance", ana, "name", "Ana Ruiz", 50, "org", {}, 1),
                           make_change("attendance", ana, "role", "business", 50, "org", {}, 2)})
    replica.apply(c);
  CHECK(verdicts(sign_in(ana, "Ana Ruiz", 100)) == when_new);
  CHECK(verdicts(sign_in(ana, "ana  ruiz", 100)) == when_new);  // the same person, however typed

  // Still no edits: no renaming through a sign-in, no base, no delete.
  auto renamed = sign_in(ana, "Somebody Else", 100);
  CHECK(authorize_batch(kFrogHollowKiosk, renamed, replica)[1].code() == "forbidden");
  auto edit = by(kFrogHollowKiosk, make_change("attendance", ana, "role", "resident", 100, "",
                                               {Change::change_id(Hlc{50, 2}, "org")}));
  CHECK(authorize_batch(kFrogHollowKiosk, {edit}, replica)[0].code() == "forbidden");
  auto remove = by(kFrogHollowKiosk, make_change("attendance", ana, "_deleted", true, 100, ""));
  CHECK(authorize_batch(kFrogHollowKiosk, {remove}, replica)[0].code() == "forbidden");
}
