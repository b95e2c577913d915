// Table-driven: every role x record type x operation x scope, against
// PRODUCT.md's table. The server test does the same over a real connection.
#include <catch2/catch.hpp>

#include <tuple>

#include "psc/authorization.hpp"
#include "psc/local_device.hpp"
#include "psc/scope.hpp"
#include "test_support.hpp"

using nlohmann::json;
using namespace psc;

namespace {

// A replica holding one record of every type in frog-hollow and in parkville,
// made by a coordinator device; returns ids by "type@neighborhood".
struct World {
  LocalDevice author{"setup", "coordinator"};
  std::map<std::string, std::string> ids;
  uint64_t now = 1'000;
  uint64_t random = 1;

  std::string make(const std::string& type, const std::string& where, json fields) {
    auto created = author.create(type, fields, ++now, ++random, 3);
    INFO(type << ": " << created.status().message());
    REQUIRE(created);
    return ids[type + "@" + where] = created.value().front().record_id;
  }
  World() {
    test::seed(author);
    for (const std::string n : {"frog-hollow", "parkville"}) {
      const auto org =
          make("organization", n, {{"name", "Block club"}, {"kind", "block_group"}, {"neighborhood", n}});
      const auto meeting = make("meeting", n,
                                {{"neighborhood", n},
                                 {"kind", "psc"},
                                 {"title", "PSC"},
                                 {"start", "2026-11-29T18:30Z"},
                                 {"status", "held"}});
      const auto priority = make(
          "priority", n,
          {{"title", "Lights"}, {"category", "public_safety"}, {"status", "proposed"}, {"neighborhood", n}});
      make("agenda_item", n, {{"meeting", meeting}, {"order", 1}, {"title", "Welcome"}});
      make("attendance", n,
           {{"meeting", meeting}, {"name", "Ana"}, {"role", "resident"}, {"organization", org}});
      make("vote", n, {{"meeting", meeting}, {"priority", priority}, {"voter", test::voter("ana")}});
      make("tally", n, {{"meeting", meeting}, {"priority", priority}, {"count", 4}});
      make("commitment", n,
           {{"priority", priority},
            {"department", "public-works"},
            {"summary", "Fix"},
            {"status", "acknowledged"}});
      make("action_item", n, {{"meeting", meeting}, {"description", "Call"}});
    }
    // The city-wide leaders' meeting: a frog-hollow leader signed in, an
    // action item for frog-hollow, another for public works ("where"
    // citywide-dpw, so the table can name it).
    const auto leaders = make("meeting", "citywide",
                              {{"neighborhood", "citywide"},
                               {"kind", "citywide_leaders"},
                               {"title", "Leaders"},
                               {"start", "2026-11-30T17:00Z"},
                               {"status", "held"}});
    make("agenda_item", "citywide", {{"meeting", leaders}, {"order", 1}, {"title", "Roll-up"}});
    make("attendance", "citywide",
         {{"meeting", leaders},
          {"name", "Rosa"},
          {"role", "resident"},
          {"neighborhood", "frog-hollow"},
          {"organization", ids["organization@frog-hollow"]}});
    make("action_item", "citywide",
         {{"meeting", leaders},
          {"description", "Walk Park St"},
          {"neighborhood", "frog-hollow"},
          {"priority", ids["priority@frog-hollow"]}});
    make("action_item", "citywide-dpw",
         {{"meeting", leaders}, {"description", "Sweep"}, {"department", "public-works"}});
  }
  // Gives `device` everything the world knows.
  void teach(LocalDevice& device) const {
    for (const std::string t : {"neighborhood", "organization", "meeting", "agenda_item", "attendance",
                                "priority", "vote", "tally", "commitment", "action_item"})
      for (const Record* r : author.replica().list(t))
        for (const auto& [field, reg] : r->fields())
          for (const FieldValue* leaf : reg.leaves()) {
            Change c;
            c.record_type = t;
            c.record_id = r->id();
            c.field = field;
            c.value = leaf->value;
            c.hlc = leaf->hlc;
            c.device = leaf->device;
            c.actor = leaf->actor;
            device.receive(c, 0);
          }
  }
  // Fields for a new record of `type` in `where` (derived-id types get fresh identities).
  json new_fields(const std::string& type, const std::string& where,
                  const std::string& department = "public-works") {
    const std::string meeting = ids["meeting@" + where], priority = ids["priority@" + where];
    if (type == "organization") return {{"name", "New org"}, {"kind", "club"}, {"neighborhood", where}};
    if (type == "meeting")
      return {{"neighborhood", where},
              {"kind", where == "citywide" ? "citywide_leaders" : "block_group"},
              {"title", "New"},
              {"start", "2026-12-01T18:00Z"},
              {"status", "planned"}};
    if (type == "agenda_item") return {{"meeting", meeting}, {"order", 2}, {"title", "Next"}};
    if (type == "attendance") return {{"meeting", meeting}, {"name", "Newcomer"}, {"role", "resident"}};
    if (type == "priority")
      return {{"title", "New"}, {"category", "youth"}, {"status", "proposed"}, {"neighborhood", where}};
    if (type == "vote")
      return {{"meeting", meeting}, {"priority", priority}, {"voter", test::voter("new-voter")}};
    if (type == "tally") {
      // One tally per priority per meeting: use a second priority.
      return {{"meeting", meeting}, {"priority", ids["priority@" + where]}, {"count", 9}};
    }
    if (type == "commitment")
      return {
          {"priority", priority}, {"department", department}, {"summary", "New"}, {"status", "acknowledged"}};
    if (type == "action_item") return {{"meeting", meeting}, {"description", "New"}};
    return {};
  }
};

// The changes a device of `principal` would send for `op` on `type` in `where`.
std::vector<Change> attempt(World& world, const Principal& principal, const std::string& op,
                            const std::string& type, const std::string& where,
                            const std::string& department = "public-works") {
  LocalDevice device("dev-" + std::string(role_name(principal.role)), principal.account);
  world.teach(device);
  if (op == "create") {
    json fields = world.new_fields(type, where, department);
    if (type == "tally") {  // a fresh priority so the derived tally id is new
      auto p = world.author.create(
          "priority",
          {{"title", "T"}, {"category", "youth"}, {"status", "proposed"}, {"neighborhood", where}},
          ++world.now, ++world.random, 5);
      REQUIRE(p);
      for (const auto& c : p.value()) device.receive(c, 0);
      fields["priority"] = p.value().front().record_id;
      auto both = p.value();
      auto created = device.create(type, fields, 50'000, 9, 9);
      REQUIRE(created);
      both.insert(both.end(), created.value().begin(), created.value().end());
      // Only the tally's own changes are judged.
      return created.value();
    }
    auto created = device.create(type, fields, 50'000, 9, 9);
    INFO(type << ": " << created.status().message());
    REQUIRE(created);
    return created.value();
  }
  const std::string id = world.ids[type + "@" + where];
  if (op == "delete") return {device.remove(type, id, 50'000).value()};
  // edit: a mutable field of the type
  static const std::map<std::string, std::pair<std::string, json>> kEdit = {
      {"organization", {"name", "Renamed"}},
      {"meeting", {"title", "Renamed"}},
      {"agenda_item", {"notes", "notes"}},
      {"attendance", {"role", "business"}},
      {"priority", {"status", "adopted"}},
      {"vote", {"_deleted", true}},
      {"tally", {"count", 7}},
      {"commitment", {"status", "in_progress"}},
      {"action_item", {"done", true}}};
  const auto& [field, value] = kEdit.at(type);
  auto edit = device.set_field(type, id, field, value, 50'000);
  INFO(edit.status().message());
  REQUIRE(edit);
  return {edit.value()};
}

bool allowed(World& world, const Principal& p, const std::string& op, const std::string& type,
             const std::string& where) {
  // Judge against a replica that has the tally's fresh priority if one was made.
  auto batch = attempt(world, p, op, type, where);
  const auto results = authorize_batch(p, batch, world.author.replica());
  bool all_ok = true, any_ok = false;
  for (const auto& s : results) {
    all_ok = all_ok && s.is_ok();
    any_ok = any_ok || s.is_ok();
    if (!s.is_ok()) CHECK(s.code() == "forbidden");
  }
  CHECK(all_ok == any_ok);  // a record is allowed or refused as a whole
  return all_ok;
}

const std::vector<std::string> kTypes = {"organization", "meeting", "agenda_item", "attendance", "priority",
                                         "vote",         "tally",   "commitment",  "action_item"};

}  // namespace

TEST_CASE("authorization follows the roles table for every type, operation and scope") {
  World world;
  const Principal kiosk{Role::kiosk, "kiosk-fh", "frog-hollow", "", "dev-kiosk"};
  const Principal coordinator{Role::coordinator, "coord", "", "", "dev-coordinator"};
  const Principal organizer{Role::organizer, "org-fh", "frog-hollow", "", "dev-organizer"};
  const Principal liaison{Role::liaison, "dpw", "", "public-works", "dev-liaison"};
  const Principal viewer{Role::viewer, "viewer", "", "", "dev-viewer"};

  for (const auto& type : kTypes)
    for (const std::string op : {"create", "edit", "delete"})
      for (const std::string where : {"frog-hollow", "parkville"}) {
        INFO(op << " " << type << " in " << where);
        CHECK(allowed(world, coordinator, op, type, where));
        CHECK_FALSE(allowed(world, viewer, op, type, where));
        CHECK(allowed(world, organizer, op, type, where) == (where == "frog-hollow"));
        CHECK(allowed(world, liaison, op, type, where) == (type == "commitment"));
        const bool kiosk_may = where == "frog-hollow" && op == "create" &&
                               (type == "priority" || type == "vote" || type == "attendance");
        CHECK(allowed(world, kiosk, op, type, where) == kiosk_may);
      }
}

TEST_CASE("a liaison cannot record another department's commitment; a kiosk only proposes") {
  World world;
  const Principal liaison{Role::liaison, "dpw", "", "public-works", "dev-liaison"};
  auto police = attempt(world, liaison, "create", "commitment", "parkville", "police");
  for (const auto& s : authorize_batch(liaison, police, world.author.replica()))
    CHECK(s.code() == "forbidden");

  const Principal kiosk{Role::kiosk, "kiosk-fh", "frog-hollow", "", "kiosk-tab"};
  LocalDevice tablet("kiosk-tab", "kiosk-fh");
  test::seed(tablet);
  auto adopted = tablet.create(
      "priority",
      {{"title", "X"}, {"category", "youth"}, {"status", "adopted"}, {"neighborhood", "frog-hollow"}}, 1, 1,
      1);
  REQUIRE(adopted);
  bool refused = false;
  for (const auto& s : authorize_batch(kiosk, adopted.value(), world.author.replica())) refused |= !s.is_ok();
  CHECK(refused);
}

TEST_CASE("a change signed by someone else is refused") {
  World world;
  const Principal organizer{Role::organizer, "org-fh", "frog-hollow", "", "dev-organizer"};
  auto batch = attempt(world, organizer, "edit", "priority", "frog-hollow");
  batch[0].actor = "somebody-else";
  CHECK(authorize_batch(organizer, batch, world.author.replica())[0].code() == "actor_mismatch");
}

TEST_CASE("read scopes: who sees which records") {
  const auto organizer = read_scope({Role::organizer, "o", "frog-hollow", "", ""});
  CHECK(may_read(organizer, "attendance", "frog-hollow"));
  CHECK_FALSE(may_read(organizer, "attendance", "parkville"));
  CHECK(may_read(organizer, "neighborhood", "parkville"));  // reference data

  const auto kiosk = read_scope({Role::kiosk, "k", "frog-hollow", "", ""});
  CHECK(may_read(kiosk, "priority", "frog-hollow"));
  CHECK(may_read(kiosk, "vote", "frog-hollow"));
  CHECK_FALSE(may_read(kiosk, "attendance", "frog-hollow"));  // never attendee names
  CHECK_FALSE(may_read(kiosk, "priority", "parkville"));

  const auto liaison = read_scope({Role::liaison, "l", "", "police", ""});
  CHECK(may_read(liaison, "priority", "parkville"));
  CHECK(may_read(liaison, "commitment", "frog-hollow"));
  CHECK_FALSE(may_read(liaison, "attendance", "frog-hollow"));
  CHECK_FALSE(may_read(liaison, "meeting", "frog-hollow"));

  CHECK(may_read(read_scope({Role::coordinator, "c", "", "", ""}), "attendance", "parkville"));
  CHECK(may_read(read_scope({Role::viewer, "v", "", "", ""}), "attendance", "parkville"));
  CHECK_FALSE(may_read(read_scope({Role::viewer, "v", "parkville", "", ""}), "attendance", "frog-hollow"));
}

TEST_CASE("the city-wide leaders' meeting: coordinators write it; assignees only check off their items") {
  World world;
  const Principal coordinator{Role::coordinator, "coord", "", "", "dev-coordinator"};
  const Principal organizer{Role::organizer, "org-fh", "frog-hollow", "", "dev-organizer"};
  const Principal other_organizer{Role::organizer, "org-pv", "parkville", "", "dev-organizer"};
  const Principal dpw{Role::liaison, "dpw", "", "public-works", "dev-liaison"};
  const Principal police{Role::liaison, "hpd", "", "police", "dev-liaison"};
  const Principal viewer{Role::viewer, "viewer", "frog-hollow", "", "dev-viewer"};
  const Principal kiosk{Role::kiosk, "kiosk-fh", "frog-hollow", "", "dev-kiosk"};

  for (const std::string type : {"meeting", "agenda_item", "attendance", "action_item"})
    for (const std::string op : {"create", "edit", "delete"}) {
      INFO(op << " " << type << " of the leaders' meeting");
      CHECK(allowed(world, coordinator, op, type, "citywide"));
      // Checking off ("done") the action item assigned to frog-hollow.
      const bool check_off = type == "action_item" && op == "edit";
      CHECK(allowed(world, organizer, op, type, "citywide") == check_off);
      for (const auto& nobody : {other_organizer, dpw, police, viewer, kiosk})
        CHECK_FALSE(allowed(world, nobody, op, type, "citywide"));
    }
  // The one assigned to public works: its liaison checks it off, nobody else.
  CHECK(allowed(world, dpw, "edit", "action_item", "citywide-dpw"));
  CHECK_FALSE(allowed(world, police, "edit", "action_item", "citywide-dpw"));
  CHECK_FALSE(allowed(world, organizer, "edit", "action_item", "citywide-dpw"));
  CHECK_FALSE(allowed(world, dpw, "delete", "action_item", "citywide-dpw"));

  // Checking off is all: not its wording, not its assignment (moving it to
  // oneself and checking it off in one push included), and not a new item.
  LocalDevice device("dev-organizer", "org-fh");
  world.teach(device);
  const std::string mine = world.ids["action_item@citywide"], theirs = world.ids["action_item@citywide-dpw"];
  for (const auto& [id, field, value] :
       std::vector<std::tuple<std::string, std::string, json>>{{mine, "description", "Rewritten"},
                                                               {mine, "neighborhood", "parkville"},
                                                               {theirs, "neighborhood", "frog-hollow"}}) {
    INFO(field << " = " << value);
    auto edit = device.set_field("action_item", id, field, value, 60'000);
    REQUIRE(edit);
    CHECK(authorize_batch(organizer, {edit.value()}, world.author.replica())[0].code() == "forbidden");
  }
  auto reassign = device.set_field("action_item", theirs, "neighborhood", "frog-hollow", 61'000);
  auto check = device.set_field("action_item", theirs, "done", true, 62'000);
  REQUIRE(reassign);
  REQUIRE(check);
  for (const auto& s : authorize_batch(organizer, {reassign.value(), check.value()}, world.author.replica()))
    CHECK(s.code() == "forbidden");

  // may_check_off, the web app's checkbox, says the same.
  CHECK(may_check_off(organizer, "frog-hollow", ""));
  CHECK_FALSE(may_check_off(other_organizer, "frog-hollow", ""));
  CHECK(may_check_off(dpw, "", "public-works"));
  CHECK_FALSE(may_check_off(police, "frog-hollow", "public-works"));
  CHECK_FALSE(may_check_off(viewer, "frog-hollow", ""));
  CHECK_FALSE(may_check_off(kiosk, "frog-hollow", ""));
  CHECK(may_check_off(coordinator, "", ""));
}

TEST_CASE("only coordinators manage the city's departments and categories") {
  World world;
  const std::vector<Principal> others = {{Role::organizer, "org-fh", "frog-hollow", "", "dev-organizer"},
                                         {Role::liaison, "dpw", "", "public-works", "dev-liaison"},
                                         {Role::viewer, "viewer", "", "", "dev-viewer"},
                                         {Role::kiosk, "kiosk-fh", "frog-hollow", "", "dev-kiosk"}};
  const Principal coordinator{Role::coordinator, "coord", "", "", "dev-coordinator"};
  for (const auto& entry : std::vector<std::pair<std::string, json>>{
           {"category", {{"name", "Truancy"}, {"name_es", "Ausentismo escolar"}, {"active", true}}},
           {"department", {{"name", "Community Court"}, {"kind", "court"}, {"active", true}}}}) {
    const std::string& type = entry.first;
    const json& fields = entry.second;
    INFO(type);
    auto as = [&](const Principal& p) {
      LocalDevice device("dev-" + std::string(role_name(p.role)), p.account);
      world.teach(device);
      auto created = device.create(type, fields, 70'000, 1, 1);
      INFO(created.status().message());
      REQUIRE(created);
      // A category's id is its slug, chosen by the coordinator.
      auto changes = created.value();
      for (auto& c : changes) c.record_id = type == "category" ? "truancy" : "community-court";
      return authorize_batch(p, changes, world.author.replica());
    };
    for (const auto& s : as(coordinator)) CHECK(s.is_ok());
    for (const auto& p : others)
      for (const auto& s : as(p)) {
        CHECK(s.code() == "forbidden");
        if (p.role == Role::organizer)
          CHECK(s.message() == "only coordinators manage the city's departments and categories");
      }
    CHECK(may_read(read_scope(others[3]), type, ""));  // a kiosk reads them: residents pick a category
  }
}

TEST_CASE("the leaders' meeting is read by every role but kiosks") {
  const std::string city(kCitywide);
  for (const std::string type : {"meeting", "agenda_item", "attendance", "action_item"}) {
    CHECK(may_read(read_scope({Role::organizer, "o", "frog-hollow", "", ""}), type, city));
    CHECK(may_read(read_scope({Role::liaison, "l", "", "police", ""}), type, city));
    CHECK(may_read(read_scope({Role::viewer, "v", "parkville", "", ""}), type, city));
    CHECK(may_read(read_scope({Role::viewer, "v", "", "", ""}), type, city));
    CHECK(may_read(read_scope({Role::coordinator, "c", "", "", ""}), type, city));
    CHECK_FALSE(may_read(read_scope({Role::kiosk, "k", "frog-hollow", "", ""}), type, city));
  }
  // A liaison still reads no neighborhood's meetings.
  CHECK_FALSE(may_read(read_scope({Role::liaison, "l", "", "police", ""}), "meeting", "frog-hollow"));
}

TEST_CASE("may_edit, what the web app offers, agrees with authorize_batch for every role, type and scope") {
  World world;
  const std::vector<Principal> principals = {
      {Role::coordinator, "coord", "", "", "dev-coordinator"},
      {Role::organizer, "org-fh", "frog-hollow", "", "dev-organizer"},
      {Role::liaison, "dpw", "", "public-works", "dev-liaison"},
      {Role::liaison, "hpd", "", "police", "dev-liaison"},
      {Role::viewer, "viewer", "frog-hollow", "", "dev-viewer"},
  };
  int offered = 0;
  for (const auto& p : principals)
    for (const auto& type : kTypes)
      for (const std::string where : {"frog-hollow", "parkville"}) {
        // Every commitment of the world is public works'.
        const std::string department = type == "commitment" ? "public-works" : "";
        INFO(role_name(p.role) << " " << p.account << " edits " << type << " in " << where);
        const bool offers = may_edit(p, type, where, department);
        CHECK(offers == allowed(world, p, "edit", type, where));
        CHECK(offers == allowed(world, p, "delete", type, where));
        offered += offers;
      }
  CHECK(offered == 2 * 9 + 9 + 2);  // coordinator everywhere, organizer at home, public works' commitments
  CHECK_FALSE(may_edit({Role::kiosk, "kiosk-fh", "frog-hollow", "", "k"}, "priority", "frog-hollow", ""));
  CHECK_FALSE(
      may_edit({Role::organizer, "org-x", "", "", "d"}, "priority", "", ""));  // no neighborhood: nobody's
}
