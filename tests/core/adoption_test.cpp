#include <catch2/catch.hpp>

#include "psc/adoption.hpp"
#include "psc/local_device.hpp"
#include "test_support.hpp"

using nlohmann::json;
using namespace psc;

namespace {
const json kProposed = {{"title", "Speeding on Broad St"},
                        {"category", "traffic_streets"},
                        {"status", "proposed"},
                        {"neighborhood", "frog-hollow"}};
}

TEST_CASE("adoption: a status past proposed records the day, once") {
  LocalDevice dev("tab-1", "Ana");
  test::seed(dev);
  auto created = dev.create("priority", kProposed, 1000, 1, 2);
  REQUIRE(created);
  const std::string id = created.value()[0].record_id;
  const Record* record = dev.replica().find("priority", id);

  for (const char* status : {"adopted", "in_progress", "resolved"})
    CHECK(adoption_fields("priority", record, {{"status", status}}, "2026-12-05") ==
          json{{"adopted_on", "2026-12-05"}});
  CHECK(adoption_fields("priority", record, {{"status", "proposed"}}, "2026-12-05").empty());
  CHECK(adoption_fields("priority", record, {{"title", "Another title"}}, "2026-12-05").empty());
  // The caller's own adoption day stands.
  CHECK(
      adoption_fields("priority", record, {{"status", "adopted"}, {"adopted_on", "2026-11-01"}}, "2026-12-05")
          .empty());

  // Once recorded, never again (a later "resolved" keeps the adoption day).
  REQUIRE(dev.set_field("priority", id, "adopted_on", "2026-11-20", 2000));
  CHECK(adoption_fields("priority", record, {{"status", "resolved"}}, "2026-12-05").empty());
}

TEST_CASE("adoption: a new priority created already adopted gets the day; other types never") {
  json adopted = kProposed;
  adopted["status"] = "in_progress";
  CHECK(adoption_fields("priority", nullptr, adopted, "2026-12-05") == json{{"adopted_on", "2026-12-05"}});
  CHECK(adoption_fields("priority", nullptr, kProposed, "2026-12-05").empty());
  CHECK(adoption_fields("commitment", nullptr, {{"status", "done"}}, "2026-12-05").empty());
  CHECK(adoption_fields("meeting", nullptr, {{"status", "adopted"}}, "2026-12-05").empty());
}
