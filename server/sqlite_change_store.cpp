#include "sqlite_change_store.hpp"
#include "network_thread.hpp"

#include <algorithm>
#include <chrono>

#include <pthread.h>
#include <sqlite3.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "log.hpp"
#include "psc/schema.hpp"
#include "psc/scope.hpp"

namespace psc::server {

namespace {
// Format 2 ("compact"): a change is stored as its parts, the names it repeats
// coded through table `names` (store_names.hpp), and re-encoded to its wire
// form on every read (encode_change with the stored value text: no parsing).
// Format 1 kept each change's JSON body next to copies of its columns, ~620
// bytes a change with indexes; this is ~130 (MEETING_NIGHT.md, "Data folder").
constexpr const char* kChangesTable = R"sql(
CREATE TABLE changes (
  seq          INTEGER PRIMARY KEY,  -- server sequence: a device's cursor
  device       INTEGER NOT NULL,     -- names.id
  hlc          INTEGER NOT NULL,     -- (millis << 16) | counter; "hlc@device" is the change id
  record_type  INTEGER NOT NULL,     -- names.id
  record_id    NOT NULL,             -- 16-byte BLOB for 32 lowercase hex digits (derived ids), else TEXT
  field        INTEGER NOT NULL,     -- names.id
  value        TEXT NOT NULL,        -- the value's canonical JSON text (encode_value)
  actor        INTEGER NOT NULL,     -- names.id
  base         TEXT,                 -- ids of the values it supersedes, space-separated; NULL: none
  neighborhood INTEGER,              -- names.id: scope of the record, for scoped catch-up
  received_at  INTEGER NOT NULL,     -- server clock, ms since epoch
  record_key   INTEGER NOT NULL      -- 32-bit hash of (type, id): the audit history's index
);
CREATE UNIQUE INDEX changes_by_id ON changes(device, hlc);                -- a resend is a no-op
CREATE INDEX changes_by_neighborhood ON changes(neighborhood, seq);        -- scoped catch-up
CREATE INDEX changes_by_record_key ON changes(record_key);                 -- audit history
-- For people reading the file with the sqlite3 shell: the stored changes as
-- text, as the wire shows them.
CREATE VIEW changes_readable AS
SELECT c.seq, printf('%016x', c.hlc) || '@' || d.name AS change_id, t.name AS record_type,
       CASE typeof(c.record_id) WHEN 'blob' THEN lower(hex(c.record_id)) ELSE c.record_id END AS record_id,
       f.name AS field, c.value, a.name AS actor, c.base, n.name AS neighborhood, c.received_at
FROM changes c JOIN names d ON d.id = c.device JOIN names t ON t.id = c.record_type
     JOIN names f ON f.id = c.field JOIN names a ON a.id = c.actor LEFT JOIN names n ON n.id = c.neighborhood;
)sql";

constexpr const char* kMetaTable =
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)";

// The columns a read re-encodes a change from, in this order.
constexpr const char* kChangeColumns = "seq, device, hlc, record_type, record_id, field, value, actor, base";

std::vector<std::string> reference_types();

// WAL frames after which the checkpointer copies the log into the database
// (SQLite's own automatic checkpoint threshold).
constexpr int kCheckpointPages = 1000;

// The audit history finds a record's changes through an index on a hash of
// (type, id): an index on the two text columns was ~20 % of the commit
// thread's time on meeting night (two ~40-byte keys compared and stored per
// insert, at random places). 32 bits: four bytes in the row and the index;
// the query checks both columns, so a collision costs a row read, no more.
int64_t record_key(std::string_view type, std::string_view id) {
  XXH3_state_t state;
  XXH3_64bits_reset(&state);
  XXH3_64bits_update(&state, type.data(), type.size());
  XXH3_64bits_update(&state, "/", 1);
  XXH3_64bits_update(&state, id.data(), id.size());
  return static_cast<int32_t>(static_cast<uint32_t>(XXH3_64bits_digest(&state)));
}

int64_t packed_hlc(const Hlc& hlc) { return static_cast<int64_t>((hlc.millis << 16) | hlc.counter); }
Hlc unpacked_hlc(int64_t packed) {
  const auto bits = static_cast<uint64_t>(packed);
  return Hlc{bits >> 16, static_cast<uint32_t>(bits & 0xffff)};
}

// Derived record ids are 32 lowercase hex digits (record_id.hpp): stored as
// their 16 bytes. Any other id is stored as text; the column's type says which.
bool is_hex32(std::string_view id) {
  if (id.size() != 32) return false;
  for (char c : id)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}
int hex_digit(char c) { return c <= '9' ? c - '0' : c - 'a' + 10; }
std::string record_id_bytes(std::string_view hex) {
  std::string bytes(16, '\0');
  for (std::size_t i = 0; i < 16; ++i)
    bytes[i] = static_cast<char>(hex_digit(hex[2 * i]) << 4 | hex_digit(hex[2 * i + 1]));
  return bytes;
}
std::string record_id_text(const SQLite::Column& column) {
  if (column.getType() != SQLITE_BLOB) return column.getString();
  static constexpr char kDigits[] = "0123456789abcdef";
  const auto* bytes = static_cast<const unsigned char*>(column.getBlob());
  std::string hex;
  hex.reserve(static_cast<std::size_t>(column.getBytes()) * 2);
  for (int i = 0; i < column.getBytes(); ++i) {
    hex += kDigits[bytes[i] >> 4];
    hex += kDigits[bytes[i] & 15];
  }
  return hex;
}
void bind_record_id(SQLite::Statement& s, int index, const std::string& id, std::string& scratch) {
  if (is_hex32(id)) {
    scratch = record_id_bytes(id);
    s.bindNoCopy(index, scratch.data(), static_cast<int>(scratch.size()));
  } else {
    s.bindNoCopy(index, id);
  }
}

std::string joined_base(const std::vector<std::string>& base) {
  std::string out;
  for (const auto& id : base) {
    if (!out.empty()) out += ' ';
    out += id;  // change ids hold no spaces (device ids: record_id.hpp)
  }
  return out;
}
std::vector<std::string> split_base(const SQLite::Column& column) {
  std::vector<std::string> out;
  if (column.isNull()) return out;
  const std::string text = column.getString();
  std::size_t from = 0;
  while (from <= text.size()) {
    const std::size_t space = std::min(text.find(' ', from), text.size());
    out.emplace_back(text, from, space - from);
    from = space + 1;
  }
  return out;
}

// SQL that creates the partial index of reference-data rows for the given
// record type ids (the reference part of a scoped catch-up reads it).
std::string reference_index_sql(const std::string& reference_ids) {
  return "CREATE INDEX changes_reference ON changes(seq) WHERE record_type IN (" + reference_ids + ")";
}

bool has_column(SQLite::Database& db, const char* table, const char* column) {
  SQLite::Statement s(db, "SELECT count(*) FROM pragma_table_info(?) WHERE name = ?");
  s.bind(1, table);
  s.bind(2, column);
  s.executeStep();
  return s.getColumn(0).getInt() > 0;
}

// The writer connection, in WAL mode, before any reader connection opens the file.
SQLite::Database open_writer(const std::string& path) {
  // No mutex: the writer is used by one thread at a time (the main thread
  // while loading, then only the commit thread), and SQLite's per-call
  // locking was ~4 % of the commit thread.
  SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX);
  db.exec("PRAGMA journal_mode=WAL");
  db.exec("PRAGMA synchronous=FULL");
  // Inserts touch the by-record index at random places; keep its pages
  // cached rather than re-read (the default cache is 2 MiB).
  db.exec("PRAGMA cache_size=-16384");
  // No checkpoint on the commit path: the checkpointer thread does them
  // (durability is the WAL's fsync at COMMIT, unchanged).
  db.exec("PRAGMA wal_autocheckpoint=0");
  db.setBusyTimeout(5000);
  return db;
}

int on_wal_commit(void* store, sqlite3*, const char*, int pages) {
  if (pages >= kCheckpointPages) static_cast<SqliteChangeStore*>(store)->request_checkpoint();
  return SQLITE_OK;
}
}  // namespace

SqliteChangeStore::SqliteChangeStore(const std::string& path) : path_(path), writer_(open_writer(path)) {
  // The file's format, in SQLite's user_version: 0 for files made before it
  // was recorded (format 1 or 2, told apart by their columns), then set to
  // kFormat once converted. A file from a newer psc-server is refused before
  // anything is written to it: this server would misread it.
  const int recorded = writer_.execAndGet("PRAGMA user_version").getInt();
  if (recorded > kFormat)
    throw std::runtime_error("the data folder was written by a newer psc-server (store format " +
                             std::to_string(recorded) + "; this one reads up to " + std::to_string(kFormat) +
                             "): run that version, or restore a backup");
  writer_.exec(kMetaTable);
  writer_.exec(StoreNames::kSchema);
  names_.load(writer_);
  const bool format1 = writer_.tableExists("changes") && has_column(writer_, "changes", "body");
  if (format1) {
    writer_.exec("BEGIN IMMEDIATE");
    for (const char* index : {"changes_by_neighborhood", "changes_by_record_key", "changes_by_record",
                              "changes_reference", "changes_by_type"})
      writer_.exec(std::string("DROP INDEX IF EXISTS ") + index);
    writer_.exec("ALTER TABLE changes RENAME TO changes_format1");
  }
  if (!writer_.tableExists("changes")) writer_.exec(kChangesTable);
  insert_ = std::make_unique<SQLite::Statement>(
      writer_,
      "INSERT INTO changes(seq, device, hlc, record_type, record_id, field, value, actor, base, "
      "neighborhood, "
      "received_at, record_key) VALUES(?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(device, hlc) DO NOTHING");
  find_ = std::make_unique<SQLite::Statement>(
      writer_, std::string("SELECT ") + kChangeColumns + " FROM changes WHERE device = ? AND hlc = ?");
  if (format1) migrate_from_format1();
  if (recorded != kFormat) writer_.exec("PRAGMA user_version = " + std::to_string(kFormat));
  index_reference_rows();
  sqlite3_wal_hook(writer_.getHandle(), &on_wal_commit, this);
  checkpointer_ = std::thread([this, path] {
    pthread_setname_np(pthread_self(), "psc-checkpoint");
    run_checkpoints(path);
  });
}

// Inside the transaction the constructor opened, the old table renamed
// changes_format1: every row re-stored in the compact form with its sequence,
// scope and time of receipt, then the file compacted (VACUUM) so the space
// the old rows took goes back to the disk.
void SqliteChangeStore::migrate_from_format1() {
  std::size_t count = 0;
  {
    SQLite::Statement rows(writer_,
                           "SELECT seq, body, neighborhood, received_at FROM changes_format1 ORDER BY seq");
    while (rows.executeStep()) {
      const int64_t seq = rows.getColumn(0).getInt64();
      auto change = change_from_json(nlohmann::json::parse(rows.getColumn(1).getString(), nullptr, false));
      if (!change)  // stops the conversion; the transaction rolls back, the file is as it was
        throw std::runtime_error("cannot convert stored change " + std::to_string(seq) + ": " +
                                 change.status().message());
      insert_row(seq, change.value(), rows.getColumn(2).getString(), rows.getColumn(3).getInt64());
      ++count;
    }
  }
  writer_.exec("DROP TABLE changes_format1");
  writer_.exec("COMMIT");
  names_.committed();
  writer_.exec("VACUUM");
  log_info("change store converted to the compact format: " + std::to_string(count) + " changes");
}

// The partial index of reference-data rows, for the record type ids of this
// file's names (made again if the schema's reference types changed).
void SqliteChangeStore::index_reference_rows() {
  writer_.exec("BEGIN IMMEDIATE");
  std::vector<std::string> ids;
  for (const auto& type : reference_types())
    ids.push_back(std::to_string(names_.id_for_write(writer_, type)));
  reference_type_ids_.clear();
  for (const auto& id : ids) reference_type_ids_ += (reference_type_ids_.empty() ? "" : ",") + id;
  const std::string sql = reference_index_sql(reference_type_ids_);
  SQLite::Statement existing(
      writer_, "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'changes_reference'");
  const bool current = existing.executeStep() && existing.getColumn(0).getString() == sql;
  existing.reset();
  if (!current) {
    writer_.exec("DROP INDEX IF EXISTS changes_reference");
    writer_.exec(sql);
  }
  writer_.exec("COMMIT");
  names_.committed();
}

SqliteChangeStore::~SqliteChangeStore() {
  {
    std::lock_guard lock(checkpoint_mutex_);
    stopping_ = true;
  }
  checkpoint_wake_.notify_all();
  checkpointer_.join();
}

void SqliteChangeStore::request_checkpoint() {
  {
    std::lock_guard lock(checkpoint_mutex_);
    checkpoint_requested_ = true;
  }
  checkpoint_wake_.notify_one();
}

void SqliteChangeStore::run_checkpoints(const std::string& path) {
  try {
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_FULLMUTEX);
    db.setBusyTimeout(5000);
    // A connection learns the file is in WAL mode when it first reads it;
    // until then sqlite3_wal_checkpoint_v2 does nothing (and says -1).
    db.exec("PRAGMA journal_mode=WAL");
    for (;;) {
      {
        std::unique_lock lock(checkpoint_mutex_);
        // Also every few seconds: custody updates from the account store
        // grow the WAL too, without ever passing through the change store.
        checkpoint_wake_.wait_for(lock, std::chrono::seconds(5),
                                  [&] { return stopping_ || checkpoint_requested_; });
        if (stopping_) return;
        checkpoint_requested_ = false;
      }
      // PASSIVE: copies what no reader still needs, never blocks the writer
      // or readers; the writer starts the WAL over once all of it is copied.
      int log_frames = 0, copied = 0;
      const int rc =
          sqlite3_wal_checkpoint_v2(db.getHandle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &log_frames, &copied);
      if (rc != SQLITE_OK && rc != SQLITE_BUSY)
        log_error(std::string("WAL checkpoint: ") + sqlite3_errstr(rc));
    }
  } catch (const std::exception& e) {
    log_error(std::string("WAL checkpointer stopped: ") + e.what());
  }
}

void SqliteChangeStore::begin() { writer_.exec("BEGIN IMMEDIATE"); }
void SqliteChangeStore::commit() {
  writer_.exec("COMMIT");
  names_.committed();
}
void SqliteChangeStore::rollback() {
  writer_.exec("ROLLBACK");
  names_.rolled_back();
}

bool SqliteChangeStore::insert_row(std::optional<int64_t> seq, const Change& change,
                                   std::string_view neighborhood, int64_t received_at_ms) {
  SQLite::Statement& s = *insert_;
  s.reset();
  if (seq)
    s.bind(1, *seq);
  else
    s.bind(1);  // NULL: the next sequence
  s.bind(2, names_.id_for_write(writer_, change.device));
  s.bind(3, packed_hlc(change.hlc));
  s.bind(4, names_.id_for_write(writer_, change.record_type));
  std::string record_bytes;
  bind_record_id(s, 5, change.record_id, record_bytes);
  s.bind(6, names_.id_for_write(writer_, change.field));
  const std::string value = encode_value(change.value);
  s.bindNoCopy(7, value);
  s.bind(8, names_.id_for_write(writer_, change.actor));
  const std::string base = joined_base(change.base);
  if (base.empty())
    s.bind(9);
  else
    s.bindNoCopy(9, base);
  if (neighborhood.empty())
    s.bind(10);
  else
    s.bind(10, names_.id_for_write(writer_, neighborhood));
  s.bind(11, received_at_ms);
  s.bind(12, record_key(change.record_type, change.record_id));
  return s.exec() > 0;
}

std::optional<int64_t> SqliteChangeStore::append(const Change& change, const std::string& /*id*/,
                                                 const std::string& /*body*/, std::string_view neighborhood,
                                                 int64_t received_at_ms) {
  if (!insert_row(std::nullopt, change, neighborhood, received_at_ms)) return std::nullopt;
  return writer_.getLastInsertRowid();
}

namespace {

// One stored change from the columns kChangeColumns names (from `first`, the
// device), its names looked up with `name_of`; the value is left as text.
template <typename NameOf>
std::string read_change(const SQLite::Statement& s, int first, NameOf&& name_of, Change& change) {
  change.device = name_of(s.getColumn(first).getInt64());
  change.hlc = unpacked_hlc(s.getColumn(first + 1).getInt64());
  change.record_type = name_of(s.getColumn(first + 2).getInt64());
  change.record_id = record_id_text(s.getColumn(first + 3));
  change.field = name_of(s.getColumn(first + 4).getInt64());
  std::string value = s.getColumn(first + 5).getString();
  change.actor = name_of(s.getColumn(first + 6).getInt64());
  change.base = split_base(s.getColumn(first + 7));
  return value;
}

}  // namespace

std::optional<std::string> SqliteChangeStore::find_body(const std::string& change_id) {
  const auto parts = parse_change_id(change_id);
  if (!parts) return std::nullopt;
  const auto device = names_.written_id(parts->device);
  if (!device) return std::nullopt;
  SQLite::Statement& s = *find_;
  s.reset();
  s.bind(1, *device);
  s.bind(2, packed_hlc(parts->hlc));
  std::optional<std::string> body;
  if (s.executeStep()) {
    Change change;
    const std::string value = read_change(
        s, 1, [&](int64_t id) { return names_.written_name(id); }, change);
    body = encode_change(change, value);
  }
  // Reset at once: a statement left mid-step keeps a read snapshot open, and
  // the next BEGIN IMMEDIATE on a stale snapshot fails with SQLITE_BUSY
  // (another connection, e.g. the account store, may have written since).
  s.reset();
  return body;
}

std::optional<std::string> SqliteChangeStore::meta(const std::string& key) {
  SQLite::Statement s(writer_, "SELECT value FROM meta WHERE key = ?");
  s.bind(1, key);
  if (!s.executeStep()) return std::nullopt;
  return s.getColumn(0).getString();
}

void SqliteChangeStore::set_meta(const std::string& key, const std::string& value) {
  SQLite::Statement s(
      writer_,
      "INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  s.bind(1, key);
  s.bind(2, value);
  s.exec();
}

void SqliteChangeStore::for_each(int64_t after,
                                 const std::function<void(int64_t seq, const Change&)>& visit) {
  SQLite::Statement s(writer_,
                      std::string("SELECT ") + kChangeColumns + " FROM changes WHERE seq > ? ORDER BY seq");
  s.bind(1, after);
  Change change;
  while (s.executeStep()) {
    const std::string value = read_change(
        s, 1, [&](int64_t id) { return names_.written_name(id); }, change);
    change.value = nlohmann::json::parse(value, nullptr, false);
    if (change.value.is_discarded())
      throw std::runtime_error("stored change " + std::to_string(s.getColumn(0).getInt64()) +
                               " has a value that is not JSON");
    visit(s.getColumn(0).getInt64(), change);
  }
}

namespace {

std::vector<std::string> reference_types() {
  std::vector<std::string> out;
  for (const auto& schema : all_schemas())
    if (schema.reference_data) out.push_back(schema.type);
  return out;
}

// The catch-up query for a scope: a UNION of index range scans, each
// restricted to seq > ?1, merged by seq; with `skip_device`, rows of device
// ?4 are left out. No index serves `device <> ?4`, and none is needed: every
// row the scans reach is read from the table anyway (to re-encode it and, in
// a scoped read, for its record type), so the test costs a column compare,
// and a page of the device's own rows costs a little reading instead of
// sending. ?3 is the neighborhood's name id; `type_ids` the scope's record
// type ids, `reference_ids` the reference types' (the partial index's list).
// With scope.citywide, a third scan of the (neighborhood, seq) index takes
// the city's own records (?5, the leaders' meeting) that the first did not.
std::string page_query(const ReadScope& scope, const std::string& type_ids, const std::string& reference_ids,
                       bool skip_device) {
  const std::string columns = std::string("SELECT ") + kChangeColumns + " FROM changes WHERE ";
  const std::string not_own = skip_device ? " AND device <> ?4" : "";
  if (scope.types.empty() && scope.neighborhood.empty())
    return columns + "seq > ?1" + not_own + " ORDER BY seq LIMIT ?2";
  std::string own = columns;
  if (!scope.neighborhood.empty()) own += "neighborhood = ?3 AND ";
  if (!scope.types.empty()) own += "record_type IN (" + type_ids + ") AND ";
  own += "record_type NOT IN (" + reference_ids + ") AND seq > ?1" + not_own;
  const std::string reference = columns + "record_type IN (" + reference_ids + ") AND seq > ?1" + not_own;
  std::string city;
  if (scope.citywide) {
    // Rows the first scan already takes (a city-wide reader of some types)
    // are left out, so none is sent twice.
    city = " UNION ALL " + columns + "neighborhood = ?5 AND seq > ?1" + not_own;
    if (scope.neighborhood.empty() && !scope.types.empty())
      city += " AND record_type NOT IN (" + type_ids + ")";
  }
  return own + " UNION ALL " + reference + city + " ORDER BY seq LIMIT ?2";
}

}  // namespace

SqliteChangeStore::ReaderLease::ReaderLease(SqliteChangeStore& store) : store_(store) {
  forbid_on_network_thread("a change store read");
  {
    std::lock_guard lock(store.readers_mutex_);
    if (!store.idle_readers_.empty()) {
      db_ = std::move(store.idle_readers_.back());
      store.idle_readers_.pop_back();
      return;
    }
  }
  // NOMUTEX: a leased connection is used by one thread at a time.
  db_ = std::make_unique<SQLite::Database>(store.path_, SQLite::OPEN_READONLY | SQLite::OPEN_NOMUTEX);
  db_->setBusyTimeout(5000);
}

SqliteChangeStore::ReaderLease::~ReaderLease() {
  std::lock_guard lock(store_.readers_mutex_);
  store_.idle_readers_.push_back(std::move(db_));
}

ScopedPage SqliteChangeStore::read_page(int64_t after, std::size_t limit, const ReadScope& scope,
                                        const std::string& skip_device) {
  ReaderLease lease(*this);
  SQLite::Database& reader = lease.db();
  ScopedPage page;
  // One read transaction: the page and the high-water mark come from the same
  // snapshot, so advancing the cursor past unseen changes never skips one.
  SQLite::Transaction snapshot(reader, SQLite::TransactionBehavior::DEFERRED);
  // Names as this snapshot knows them; one it lacks is in no row (-1 matches none).
  std::string type_ids;
  for (const auto& type : scope.types) {
    if (auto id = StoreNames::find(reader, type))
      type_ids += (type_ids.empty() ? "" : ",") + std::to_string(*id);
  }
  SQLite::Statement s(reader, page_query(scope, type_ids, reference_type_ids_, !skip_device.empty()));
  s.bind(1, after);
  s.bind(2, static_cast<int64_t>(limit));
  if (!scope.neighborhood.empty()) s.bind(3, StoreNames::find(reader, scope.neighborhood).value_or(-1));
  if (!skip_device.empty()) s.bind(4, StoreNames::find(reader, skip_device).value_or(-1));
  if (scope.citywide) s.bind(5, StoreNames::find(reader, kCitywide).value_or(-1));
  Change change;
  auto name_of = [&](int64_t id) -> const std::string& { return names_.name(reader, id); };
  while (s.executeStep()) {
    const std::string value = read_change(s, 1, name_of, change);
    page.changes.push_back({s.getColumn(0).getInt64(), encode_change(change, value)});
  }
  page.more = page.changes.size() == limit;
  if (page.more) {
    page.cursor = page.changes.back().seq;
  } else {
    SQLite::Statement max(reader, "SELECT COALESCE(MAX(seq), 0) FROM changes");
    max.executeStep();
    page.cursor = std::max(after, max.getColumn(0).getInt64());
  }
  snapshot.commit();
  return page;
}

int64_t SqliteChangeStore::last_sequence() {
  ReaderLease lease(*this);
  SQLite::Database& reader = lease.db();
  SQLite::Statement s(reader, "SELECT COALESCE(MAX(seq), 0) FROM changes");
  s.executeStep();
  return s.getColumn(0).getInt64();
}

std::vector<ChangeStore::HistoryEntry> SqliteChangeStore::record_history(const std::string& type,
                                                                         const std::string& id) {
  ReaderLease lease(*this);
  SQLite::Database& reader = lease.db();
  SQLite::Transaction snapshot(reader, SQLite::TransactionBehavior::DEFERRED);
  std::vector<HistoryEntry> out;
  const auto type_id = StoreNames::find(reader, type);
  if (!type_id) return out;
  SQLite::Statement s(
      reader,
      std::string("SELECT ") + kChangeColumns +
          ", received_at FROM changes "
          "WHERE record_key = ? AND record_type = ? AND record_id = ? ORDER BY seq");  // index
                                                                                       // changes_by_record_key
  s.bind(1, record_key(type, id));
  s.bind(2, *type_id);
  std::string record_bytes;
  bind_record_id(s, 3, id, record_bytes);
  Change change;
  auto name_of = [&](int64_t name) -> const std::string& { return names_.name(reader, name); };
  while (s.executeStep()) {
    const std::string value = read_change(s, 1, name_of, change);
    out.push_back({s.getColumn(0).getInt64(), s.getColumn(9).getInt64(), encode_change(change, value)});
  }
  return out;
}

}  // namespace psc::server
