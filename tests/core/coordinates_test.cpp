// A priority's place (issue 14, places): the "latitude,longitude" text a
// tablet's GPS fills in, read the same way everywhere, refused when it is
// anything else, and merged as one value.
#include <catch2/catch.hpp>

#include "psc/coordinates.hpp"
#include "psc/local_device.hpp"
#include "psc/validation.hpp"
#include "test_support.hpp"

using nlohmann::json;
using namespace psc;

TEST_CASE("coordinates are decimal degrees, latitude first, within range") {
  const auto hartford = parse_coordinates("41.7637,-72.6851");
  REQUIRE(hartford);
  CHECK(hartford->latitude == 41.7637);  // the double nearest the text, as a compiler reads the literal
  CHECK(hartford->longitude == -72.6851);
  CHECK(parse_coordinates("0,0"));
  CHECK(parse_coordinates("-90,180"));
  CHECK(parse_coordinates("90.000000,-180.000000"));
  CHECK(parse_coordinates("41.123456,-72.654321")->latitude == 41.123456);
  CHECK(parse_coordinates("-0.5,-0.25")->longitude == -0.25);

  for (const char* bad : {"",
                          ",",
                          "41.7637",
                          "41.7637,",
                          ",-72.6851",
                          "41.7637, -72.6851",
                          " 41.7637,-72.6851",
                          "41.7637,-72.6851 ",
                          "+41.7637,-72.6851",
                          "41.7637;-72.6851",
                          "41.7637,-72.6851,3",
                          "41.1234567,-72.6851",
                          "41.,-72.6851",
                          ".5,-72.6851",
                          "4e1,-72",
                          "1234,5",
                          "--41,72",
                          "41.7637,-72.68x1",
                          "90.000001,0",
                          "-90.1,0",
                          "0,180.5",
                          "0,-181",
                          "NaN,0",
                          "inf,0",
                          "41\xef\xbc\x8c-72"})
    CHECK_FALSE(parse_coordinates(bad));
}

TEST_CASE("a priority's coordinates and police beat are checked like every other field") {
  Replica r;
  test::seed(r);
  auto check = [&](const json& coordinates) {
    std::vector<Change> batch = {
        test::make_change("priority", "p1", "title", "Streetlights out", 100, "dev-a", {}, 0),
        test::make_change("priority", "p1", "category", "public_safety", 100, "dev-a", {}, 1),
        test::make_change("priority", "p1", "status", "proposed", 100, "dev-a", {}, 2),
        test::make_change("priority", "p1", "neighborhood", "frog-hollow", 100, "dev-a", {}, 3),
        test::make_change("priority", "p1", "coordinates", coordinates, 100, "dev-a", {}, 4),
        test::make_change("priority", "p1", "police_beat", "District 3", 100, "dev-a", {}, 5)};
    for (const auto& s : validate_batch(batch, r))
      if (!s) return s;
    return Status::ok();
  };
  CHECK(check("41.7637,-72.6851").is_ok());
  CHECK(check(nullptr).is_ok());  // optional
  const Status text = check("41.7637, -72.6851");
  CHECK(text.code() == "invalid_field");
  CHECK(text.message().find("priority.coordinates") != std::string::npos);
  CHECK(text.message().find("latitude,longitude") != std::string::npos);
  CHECK(check(json::array({41.7637, -72.6851})).code() == "invalid_field");
  CHECK(check(json{{"lat", 41.7637}, {"long", -72.6851}}).code() == "invalid_field");
  CHECK(check(41.7637).code() == "invalid_field");
  CHECK(check("91,0").code() == "invalid_field");
}

TEST_CASE("two tablets placing one priority: the merge keeps one whole position") {
  LocalDevice a{"tab-a", "ana"}, b{"tab-b", "luis"};
  test::seed(a);
  test::seed(b);
  uint64_t now = 1'780'000'000'000;
  auto created = a.create("priority",
                          {{"title", "Dumping behind the school"},
                           {"category", "environment_sanitation"},
                           {"status", "proposed"},
                           {"neighborhood", "frog-hollow"}},
                          now, 7, 9);
  REQUIRE(created);
  for (const auto& c : created.value()) b.receive(c, now);
  const std::string id = created.value().front().record_id;
  // Placed at once on both tablets, offline, then exchanged.
  auto on_a = a.set_field("priority", id, "coordinates", "41.7601,-72.6833", now + 10);
  auto on_b = b.set_field("priority", id, "coordinates", "41.7702,-72.6912", now + 10);
  REQUIRE(on_a);
  REQUIRE(on_b);
  a.receive(on_b.value(), now + 20);
  b.receive(on_a.value(), now + 20);
  const json kept_a = a.replica().find("priority", id)->value("coordinates");
  const json kept_b = b.replica().find("priority", id)->value("coordinates");
  CHECK(kept_a == kept_b);
  CHECK((kept_a == "41.7601,-72.6833" || kept_a == "41.7702,-72.6912"));
}
