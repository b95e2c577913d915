#include <catch2/catch.hpp>

#include "psc/local_device.hpp"
#include "test_support.hpp"

using nlohmann::json;
using namespace psc;

namespace {
const json kFields = {{"title", "Speeding on Broad St"},
                      {"category", "traffic_streets"},
                      {"status", "proposed"},
                      {"neighborhood", "frog-hollow"}};
}

TEST_CASE("creating a record produces one change per field, applied locally") {
  LocalDevice dev("tab-1", "Ana");
  test::seed(dev);
  auto created = dev.create("priority", kFields, 1000, 1, 2);
  REQUIRE(created);
  REQUIRE(created.value().size() == 4);
  const std::string id = created.value()[0].record_id;
  CHECK(id == "00000000000000010000000000000002");
  for (const auto& c : created.value()) {
    CHECK(c.device == "tab-1");
    CHECK(c.actor == "Ana");
    CHECK(c.base.empty());
  }
  CHECK(dev.replica().find("priority", id)->value("title") == "Speeding on Broad St");
}

TEST_CASE("an invalid creation changes nothing") {
  LocalDevice dev("tab-1", "Ana");
  test::seed(dev);
  json fields = kFields;
  fields["status"] = "whenever";
  auto created = dev.create("priority", fields, 1000, 1, 2);
  CHECK_FALSE(created);
  CHECK(created.status().code() == "invalid_field");
  CHECK(dev.replica().list("priority").empty());
}

TEST_CASE("an edit's base is the field's current leaves, so editing resolves a conflict") {
  LocalDevice a("tab-a", "Ana"), b("tab-b", "Ben");
  test::seed(a);
  test::seed(b);
  auto created = a.create("priority", kFields, 1000, 7, 7);
  REQUIRE(created);
  for (const auto& c : created.value()) b.receive(c, 1000);
  const std::string id = created.value()[0].record_id;

  auto edit_a = a.set_field("priority", id, "title", "A's title", 2000);
  auto edit_b = b.set_field("priority", id, "title", "B's title", 2001);
  REQUIRE(edit_a);
  REQUIRE(edit_b);
  CHECK(edit_a.value().base == std::vector<std::string>{created.value()[3].id()});
  a.receive(edit_b.value(), 2100);
  b.receive(edit_a.value(), 2100);
  CHECK(a.replica().to_json() == b.replica().to_json());
  CHECK(a.replica().find("priority", id)->field("title")->has_conflict());

  auto resolution = a.set_field("priority", id, "title", "Merged title", 3000);
  REQUIRE(resolution);
  CHECK(resolution.value().base.size() == 2);
  b.receive(resolution.value(), 3100);
  CHECK_FALSE(b.replica().find("priority", id)->has_conflict());
  CHECK(b.replica().find("priority", id)->value("title") == "Merged title");
}

TEST_CASE("editing an unknown record or field is refused") {
  LocalDevice dev("tab-1", "Ana");
  test::seed(dev);
  CHECK(dev.set_field("priority", "nope", "title", "x", 1).status().code() == "not_found");
  auto created = dev.create("priority", kFields, 1000, 1, 2);
  REQUIRE(created);
  CHECK(dev.set_field("priority", created.value()[0].record_id, "colour", "red", 2).status().code() ==
        "invalid_field");
}

TEST_CASE("receiving a change from a device whose clock is ahead moves the local clock past it") {
  LocalDevice dev("tab-1", "Ana");
  test::seed(dev);
  auto created = dev.create("priority", kFields, 1000, 1, 2);
  REQUIRE(created);
  dev.receive(test::make_change("priority", created.value()[0].record_id, "title", "x", 50'000, "tab-2"),
              1000);
  auto edit = dev.set_field("priority", created.value()[0].record_id, "title", "y", 1001);
  REQUIRE(edit);
  CHECK(edit.value().hlc > Hlc{50'000, 0});
  CHECK(dev.replica().find("priority", created.value()[0].record_id)->value("title") == "y");
}
