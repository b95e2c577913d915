// SqliteChangeStore on a real file: a change stored in the compact format
// reads back byte for byte (pages, resend lookup, audit history, startup
// replay), names added by a rolled-back transaction are forgotten, scoped
// pages leave out what they must, and a file in the older JSON-body format is
// converted when opened, losing nothing.
#include <catch2/catch.hpp>

#include <filesystem>
#include <random>

#include "psc/change.hpp"
#include "sqlite_change_store.hpp"

namespace psc::server {
namespace {

namespace fs = std::filesystem;

struct TempFile {
  fs::path dir;
  TempFile() {
    std::random_device random;
    dir = fs::temp_directory_path() / ("psc-store-test-" + std::to_string(random()));
    fs::create_directories(dir);
  }
  ~TempFile() { fs::remove_all(dir); }
  std::string path() const { return (dir / "psc.sqlite").string(); }
};

Change make(const std::string& type, const std::string& record, const std::string& field,
            nlohmann::json value, uint64_t millis, const std::string& device,
            std::vector<std::string> base = {}, const std::string& actor = "organizer-frog-hollow") {
  Change c;
  c.record_type = type;
  c.record_id = record;
  c.field = field;
  c.value = std::move(value);
  c.hlc = Hlc{millis, static_cast<uint32_t>(millis % 7)};
  c.device = device;
  c.actor = actor;
  c.base = std::move(base);
  return c;
}

// Changes that exercise every column's forms: derived (hex) and other record
// ids, every JSON value type, escapes and non-ASCII text, bases of 0–2 ids.
std::vector<Change> varied_changes() {
  const std::string hex = "9c26a63b97830b5b4ec92e77e6a4e499";
  return {
      make("priority", hex, "title", "Streetlight out on Park St", 1'780'000'000'001, "tablet-a"),
      make("priority", hex, "status", "proposed", 1'780'000'000'002, "tablet-a"),
      make("priority", hex, "title", "Caf\u00e9 \u2713 \"quoted\" \\ line\nbreak \U0001F600",
           1'780'000'000'003, "tablet-b", {"01a244c77c3a0001@tablet-a"}, "Jos\u00e9 \"JJ\" P\u00e9rez"),
      make("priority", "9C26A63B97830B5B4EC92E77E6A4E499", "votes", 42, 1'780'000'000'004, "tablet-b"),
      make("priority", "short-id", "score", 3.25, 1'780'000'000'005, "dev.a:1_-Z",
           {"01a244c77c3a0001@tablet-a", "01a244c77c3a0002@dev.a:1_-Z"}),
      make("priority", "short-id", "_deleted", true, 1'780'000'000'006, "tablet-a"),
      make("priority", "short-id", "note", nullptr, 1'780'000'000'007, "tablet-a", {}, ""),
      make("priority", "abcdef0123456789abcdef012345678", "votes", -9223372036854775807ll - 1,
           1'780'000'000'008,
           "tablet-a"),  // 31 hex digits: stored as text
      make("neighborhood", "frog-hollow", "name", "Frog Hollow", 1'780'000'000'009, "seed"),
      make("priority", "short-id", "title", std::string("nul \0 inside", 13), 1'780'000'000'010, "tablet-a",
           {}, std::string("actor \0 with a NUL", 19)),
  };
}

void append_all(SqliteChangeStore& store, const std::vector<Change>& changes, std::string_view neighborhood,
                int64_t received_at = 1'780'000'000'500) {
  store.begin();
  for (const auto& c : changes) REQUIRE(store.append(c, c.id(), encode_change(c), neighborhood, received_at));
  store.commit();
}

std::vector<std::string> bodies(const ScopedPage& page) {
  std::vector<std::string> out;
  for (const auto& row : page.changes) out.push_back(row.body);
  return out;
}

std::vector<std::string> bodies(const std::vector<Change>& changes) {
  std::vector<std::string> out;
  for (const auto& c : changes) out.push_back(encode_change(c));
  return out;
}

TEST_CASE("a stored change reads back byte for byte from every read path") {
  TempFile file;
  const auto changes = varied_changes();
  SqliteChangeStore store(file.path());
  append_all(store, changes, "frog-hollow");

  const ScopedPage page = store.read_page(0, 100, ReadScope{}, "");
  CHECK(bodies(page) == bodies(changes));
  CHECK(page.cursor == static_cast<int64_t>(changes.size()));
  CHECK_FALSE(page.more);
  for (const auto& c : changes) CHECK(store.find_body(c.id()) == encode_change(c));
  CHECK_FALSE(store.find_body("01a244c77c3a0001@never-seen"));
  CHECK_FALSE(store.find_body("not an id"));

  std::vector<Change> replayed;
  store.for_each(0, [&](int64_t seq, const Change& c) {
    CHECK(seq == static_cast<int64_t>(replayed.size()) + 1);
    replayed.push_back(c);
  });
  CHECK(bodies(replayed) == bodies(changes));

  const auto history = store.record_history("priority", "short-id");
  REQUIRE(history.size() == 4);
  CHECK(history[0].body == encode_change(changes[4]));
  CHECK(history[2].body == encode_change(changes[6]));
  CHECK(history[3].body == encode_change(changes[9]));
  CHECK(history[0].received_at_ms == 1'780'000'000'500);
  CHECK(store.record_history("priority", "9c26a63b97830b5b4ec92e77e6a4e499").size() == 3);
  CHECK(store.record_history("priority", "9C26A63B97830B5B4EC92E77E6A4E499").size() == 1);
  CHECK(store.record_history("spaceship", "short-id").empty());
}

TEST_CASE("a resend is refused by the store, and reopening keeps names and sequences") {
  TempFile file;
  const auto changes = varied_changes();
  {
    SqliteChangeStore store(file.path());
    append_all(store, changes, "frog-hollow");
    store.begin();
    CHECK_FALSE(store.append(changes[2], changes[2].id(), encode_change(changes[2]), "frog-hollow", 1));
    store.commit();
  }
  SqliteChangeStore again(file.path());
  const Change later =
      make("priority", "short-id", "title", "after reopening", 1'780'000'001'000, "tablet-a");
  append_all(again, {later}, "frog-hollow");
  auto all = changes;
  all.push_back(later);
  CHECK(bodies(again.read_page(0, 100, ReadScope{}, "")) == bodies(all));
  CHECK(again.last_sequence() == static_cast<int64_t>(all.size()));
}

TEST_CASE("names added by a rolled-back transaction are forgotten") {
  TempFile file;
  SqliteChangeStore store(file.path());
  const Change rolled = make("priority", "p1", "rolled_field", "x", 1'780'000'000'001, "device-rolled-back",
                             {}, "actor-rolled-back");
  store.begin();
  REQUIRE(store.append(rolled, rolled.id(), encode_change(rolled), "rolled-neighborhood", 1));
  store.rollback();
  // SQLite hands the same name ids out again: they must now mean these names.
  const Change kept =
      make("priority", "p1", "kept_field", "y", 1'780'000'000'002, "device-kept", {}, "actor-kept");
  append_all(store, {kept}, "kept-neighborhood");
  CHECK(bodies(store.read_page(0, 10, ReadScope{}, "")) == bodies(std::vector<Change>{kept}));
  CHECK(store.find_body(kept.id()) == encode_change(kept));
  CHECK_FALSE(store.find_body(rolled.id()));
  ReadScope scope;
  scope.neighborhood = "kept-neighborhood";
  CHECK(store.read_page(0, 10, scope, "").changes.size() == 1);
}

TEST_CASE(
    "a scoped page holds its neighborhood, its types and the reference data, without the reader's device") {
  TempFile file;
  SqliteChangeStore store(file.path());
  const Change reference =
      make("neighborhood", "frog-hollow", "name", "Frog Hollow", 1'780'000'000'001, "seed");
  const Change ours = make("priority", "p1", "title", "ours", 1'780'000'000'002, "tablet-a");
  const Change theirs = make("priority", "p2", "title", "theirs", 1'780'000'000'003, "tablet-b");
  const Change own_device = make("priority", "p3", "title", "from the reader", 1'780'000'000'004, "tablet-c");
  const Change commitment =
      make("commitment", "c1", "department", "public-works", 1'780'000'000'005, "tablet-a");
  append_all(store, {reference}, "");
  append_all(store, {ours}, "frog-hollow");
  append_all(store, {theirs}, "asylum-hill");
  append_all(store, {own_device, commitment}, "frog-hollow");

  ReadScope organizer;
  organizer.neighborhood = "frog-hollow";
  CHECK(bodies(store.read_page(0, 10, organizer, "tablet-c")) ==
        bodies(std::vector<Change>{reference, ours, commitment}));
  CHECK(store.read_page(0, 10, organizer, "tablet-c").cursor == 5);  // past the rows left out
  CHECK(bodies(store.read_page(0, 10, organizer, "")) ==
        bodies(std::vector<Change>{reference, ours, own_device, commitment}));

  ReadScope liaison;
  liaison.types = {"commitment", "type-never-stored"};
  CHECK(bodies(store.read_page(0, 10, liaison, "")) == bodies(std::vector<Change>{reference, commitment}));

  ReadScope unknown;
  unknown.neighborhood = "nowhere";
  CHECK(bodies(store.read_page(0, 10, unknown, "never-seen-device")) ==
        bodies(std::vector<Change>{reference}));

  const ScopedPage first = store.read_page(0, 2, ReadScope{}, "");
  CHECK(first.more);
  CHECK(first.cursor == 2);
}

// The schema of format 1 as it was, before the record_key column.
constexpr const char* kFormat1 = R"sql(
CREATE TABLE changes (
  seq INTEGER PRIMARY KEY, change_id TEXT NOT NULL UNIQUE, record_type TEXT NOT NULL, record_id TEXT NOT NULL,
  field TEXT NOT NULL, neighborhood TEXT, device TEXT NOT NULL, actor TEXT NOT NULL, received_at INTEGER NOT NULL,
  body TEXT NOT NULL);
CREATE INDEX changes_by_neighborhood ON changes(neighborhood, seq);
CREATE INDEX changes_by_record ON changes(record_type, record_id);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO meta VALUES('epoch', 'abc123'), ('seeded_reference_data', '1');
)sql";

TEST_CASE("a file in the JSON-body format is converted when opened, losing nothing") {
  TempFile file;
  const auto changes = varied_changes();
  {
    SQLite::Database old(file.path(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    old.exec(kFormat1);
    SQLite::Statement insert(
        old,
        "INSERT INTO changes(seq, change_id, record_type, record_id, field, neighborhood, "
        "device, actor, received_at, body) VALUES(?,?,?,?,?,?,?,?,?,?)");
    int64_t seq = 10;  // sequences are kept as they were, gaps included
    for (const auto& c : changes) {
      insert.reset();
      insert.bind(1, seq);
      insert.bind(2, c.id());
      insert.bind(3, c.record_type);
      insert.bind(4, c.record_id);
      insert.bind(5, c.field);
      if (c.record_type == "neighborhood")
        insert.bind(6);
      else
        insert.bind(6, "frog-hollow");
      insert.bind(7, c.device);
      insert.bind(8, c.actor);
      insert.bind(9, 1'700'000'000'000 + seq);
      insert.bind(10, encode_change(c));
      insert.exec();
      seq += 2;
    }
  }
  {
    SqliteChangeStore store(file.path());
    const ScopedPage page = store.read_page(0, 100, ReadScope{}, "");
    CHECK(bodies(page) == bodies(changes));
    CHECK(page.changes.front().seq == 10);
    CHECK(page.changes.back().seq == 10 + 2 * static_cast<int64_t>(changes.size() - 1));
    CHECK(store.meta("epoch") == "abc123");
    CHECK(store.record_history("priority", "short-id").front().received_at_ms == 1'700'000'000'018);
    CHECK(store.record_history("priority", "short-id").size() == 4);
    ReadScope organizer;
    organizer.neighborhood = "frog-hollow";
    CHECK(store.read_page(0, 100, organizer, "").changes.size() == changes.size());
    for (const auto& c : changes) CHECK(store.find_body(c.id()) == encode_change(c));
  }
  SQLite::Database check(file.path(), SQLite::OPEN_READONLY);
  CHECK_FALSE(check.tableExists("changes_format1"));
  CHECK(check.execAndGet("SELECT count(*) FROM changes").getInt() == static_cast<int>(changes.size()));
  CHECK(check.execAndGet("SELECT change_id FROM changes_readable WHERE seq = 10").getString() ==
        changes[0].id());
  // Opening again converts nothing more.
  SqliteChangeStore again(file.path());
  CHECK(bodies(again.read_page(0, 100, ReadScope{}, "")) == bodies(changes));
}

}  // namespace
}  // namespace psc::server
