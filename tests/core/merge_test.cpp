#include <catch2/catch.hpp>

#include "psc/replica.hpp"
#include "test_support.hpp"

using nlohmann::json;
using namespace psc;
using test::make_change;

TEST_CASE("a later edit that saw the earlier value replaces it without conflict") {
  Replica r;
  const Change a = make_change("priority", "p1", "title", "A", 10, "dev-a");
  const Change b = make_change("priority", "p1", "title", "B", 20, "dev-b", {a.id()});
  r.apply(a);
  r.apply(b);
  const Record* rec = r.find("priority", "p1");
  REQUIRE(rec);
  CHECK(rec->value("title") == "B");
  CHECK_FALSE(rec->has_conflict());
}

TEST_CASE("concurrent edits are both kept: highest (hlc, device) displayed, the other a conflict") {
  Replica r;
  const Change a = make_change("priority", "p1", "title", "Original", 10, "dev-a");
  const Change b = make_change("priority", "p1", "title", "From B", 20, "dev-b", {a.id()});
  const Change c = make_change("priority", "p1", "title", "From C", 15, "dev-c", {a.id()});
  for (const auto& ch : {a, b, c}) r.apply(ch);
  const Record* rec = r.find("priority", "p1");
  CHECK(rec->value("title") == "From B");
  REQUIRE(rec->field("title")->has_conflict());
  const auto leaves = rec->field("title")->leaves();
  REQUIRE(leaves.size() == 2);
  CHECK(leaves[0]->value == "From B");
  CHECK(leaves[1]->value == "From C");
  CHECK(leaves[1]->device == "dev-c");
  CHECK(leaves[1]->actor == "actor-dev-c");
  const json j = rec->to_json();
  CHECK(j["conflicts"]["title"].size() == 2);
}

TEST_CASE("equal hlcs are ordered by device id") {
  Replica r;
  r.apply(make_change("priority", "p1", "title", "from a", 10, "dev-a"));
  r.apply(make_change("priority", "p1", "title", "from b", 10, "dev-b"));
  CHECK(r.find("priority", "p1")->value("title") == "from b");
}

TEST_CASE("an edit naming every leaf resolves the conflict") {
  Replica r;
  const Change b = make_change("priority", "p1", "title", "B", 20, "dev-b");
  const Change c = make_change("priority", "p1", "title", "C", 15, "dev-c");
  const Change fix = make_change("priority", "p1", "title", "B and C", 30, "dev-a", {b.id(), c.id()});
  r.apply(b);
  r.apply(c);
  CHECK(r.find("priority", "p1")->has_conflict());
  r.apply(fix);
  CHECK_FALSE(r.find("priority", "p1")->has_conflict());
  CHECK(r.find("priority", "p1")->value("title") == "B and C");
}

TEST_CASE("a resolving change that arrives first hides the values it resolves") {
  Replica r;
  const Change b = make_change("priority", "p1", "title", "B", 20, "dev-b");
  const Change fix = make_change("priority", "p1", "title", "fixed", 30, "dev-a", {b.id()});
  r.apply(fix);
  r.apply(b);  // new to this replica, but already superseded
  CHECK(r.find("priority", "p1")->value("title") == "fixed");
  CHECK_FALSE(r.find("priority", "p1")->has_conflict());
}

TEST_CASE("a resolution that has not seen a concurrent edit leaves that edit as a conflict") {
  Replica r;
  const Change b = make_change("priority", "p1", "title", "B", 20, "dev-b");
  const Change c = make_change("priority", "p1", "title", "C", 25, "dev-c");
  const Change fix = make_change("priority", "p1", "title", "fixed", 30, "dev-a", {b.id()});
  for (const auto& ch : {b, fix, c}) r.apply(ch);
  CHECK(r.find("priority", "p1")->value("title") == "fixed");
  REQUIRE(r.find("priority", "p1")->field("title")->leaves().size() == 2);
}

TEST_CASE("applying a change twice is a no-op") {
  Replica r;
  const Change a = make_change("priority", "p1", "title", "A", 10, "dev-a");
  CHECK(r.apply(a));
  const std::string before = r.to_json().dump();
  CHECK_FALSE(r.apply(a));
  CHECK(r.to_json().dump() == before);
  CHECK(r.applied_count() == 1);
}

TEST_CASE("deleting sets _deleted and is itself mergeable") {
  Replica r;
  r.apply(make_change("priority", "p1", "title", "A", 10, "dev-a"));
  const Change del = make_change("priority", "p1", "_deleted", true, 20, "dev-b");
  r.apply(del);
  CHECK(r.find("priority", "p1")->deleted());
  r.apply(make_change("priority", "p1", "_deleted", false, 30, "dev-a", {del.id()}));
  CHECK_FALSE(r.find("priority", "p1")->deleted());
}

TEST_CASE("concurrent writes of the same value are not a conflict") {
  Replica r;
  const Change a = make_change("priority", "p1", "status", "proposed", 10, "dev-a");
  r.apply(a);
  r.apply(make_change("priority", "p1", "status", "adopted", 20, "dev-b", {a.id()}));
  r.apply(make_change("priority", "p1", "status", "adopted", 21, "dev-c", {a.id()}));
  const Record* rec = r.find("priority", "p1");
  CHECK(rec->value("status") == "adopted");
  CHECK_FALSE(rec->has_conflict());
  CHECK(rec->field("status")->leaf_ids().size() == 2);  // both kept; an edit supersedes both
  CHECK(rec->to_json()["conflicts"].empty());
}

TEST_CASE("a superseded change is recognised as seen, and a late copy of it changes nothing") {
  // Registers keep no set of ids seen: a change applied is a leaf or a
  // superseded id marked applied (field_register.hpp). Every order of
  // arrival must agree on what was seen.
  const Change b = make_change("priority", "p1", "title", "B", 20, "dev-b");
  const Change fix = make_change("priority", "p1", "title", "fixed", 30, "dev-a", {b.id()});
  const Change never = make_change("priority", "p1", "title", "never sent", 25, "dev-c");
  const Change names_unsent =
      make_change("priority", "p1", "title", "later", 40, "dev-b", {fix.id(), never.id()});
  for (const auto& order : std::vector<std::vector<Change>>{
           {b, fix, names_unsent}, {names_unsent, fix, b}, {fix, names_unsent, b}}) {
    Replica r;
    for (const auto& ch : order) CHECK(r.apply(ch));
    for (const auto& ch : order) CHECK_FALSE(r.apply(ch));  // every copy again: no-ops
    const FieldRegister* reg = r.find("priority", "p1")->field("title");
    CHECK(reg->has_seen(b.id()));
    CHECK(reg->has_seen(fix.id()));
    CHECK(reg->has_seen(names_unsent.id()));
    CHECK_FALSE(reg->has_seen(never.id()));  // named in a base, never applied
    CHECK_FALSE(reg->has_seen("not an id"));
    CHECK(r.find("priority", "p1")->value("title") == "later");
    CHECK(reg->leaf_ids() == std::vector<std::string>{names_unsent.id()});
    CHECK(r.applied_count() == 3);
    // The change named but never sent arrives at last: seen now, still hidden.
    CHECK(r.apply(never));
    CHECK(reg->has_seen(never.id()));
    CHECK_FALSE(r.apply(never));
    CHECK(r.find("priority", "p1")->value("title") == "later");
  }
}

TEST_CASE("leaves list in id order, so an edit's base is the same on every device") {
  Replica r;
  const Change x = make_change("priority", "p1", "title", "X", 10, "dev-b");
  const Change y = make_change("priority", "p1", "title", "Y", 10, "dev-a");
  const Change z = make_change("priority", "p1", "title", "Z", 9, "dev-z");
  for (const auto& ch : {x, y, z}) r.apply(ch);
  const FieldRegister* reg = r.find("priority", "p1")->field("title");
  CHECK(reg->leaf_ids() == std::vector<std::string>{z.id(), y.id(), x.id()});
  CHECK(reg->winner().value == "X");
}
