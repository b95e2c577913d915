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
