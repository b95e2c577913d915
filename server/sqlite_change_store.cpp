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

namespace psc::server {

namespace {
constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS changes (
  seq          INTEGER PRIMARY KEY,   -- server sequence: a device's cursor
  change_id    TEXT NOT NULL UNIQUE,  -- hlc@device: makes a resend a no-op
  record_type  TEXT NOT NULL,
  record_id    TEXT NOT NULL,
  field        TEXT NOT NULL,
  neighborhood TEXT,                  -- scope of the record, for scoped catch-up
  device       TEXT NOT NULL,
  actor        TEXT NOT NULL,
  received_at  INTEGER NOT NULL,      -- server clock, ms since epoch
  body         TEXT NOT NULL,         -- canonical wire form of the change
  record_key   INTEGER                -- hash of (record_type, record_id): the audit history's index
);
CREATE INDEX IF NOT EXISTS changes_by_neighborhood ON changes(neighborhood, seq);  -- scoped catch-up
-- Every insert paid for an index on (record_type, seq) that only the
-- reference-data part of a scoped catch-up needs (a liaison's types are most
-- of the log: a scan by seq serves it as well). A partial index holds just
-- the reference rows.
DROP INDEX IF EXISTS changes_by_type;
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
)sql";

std::string quoted_list(const std::vector<std::string>& items);
std::vector<std::string> reference_types();

// WAL frames after which the checkpointer copies the log into the database
// (SQLite's own automatic checkpoint threshold).
constexpr int kCheckpointPages = 1000;

// The audit history finds a record's changes through an index on a 64-bit
// hash of (type, id). An index on the two text columns was ~20 % of the
// commit thread's time on meeting night (two ~40-byte keys compared and
// stored per insert, at random places); the query still checks both columns.
int64_t record_key(std::string_view type, std::string_view id) {
  XXH3_state_t state;
  XXH3_64bits_reset(&state);
  XXH3_64bits_update(&state, type.data(), type.size());
  XXH3_64bits_update(&state, "/", 1);
  XXH3_64bits_update(&state, id.data(), id.size());
  return static_cast<int64_t>(XXH3_64bits_digest(&state));
}

// Data folders made before record_key: the column filled in, the index on
// the text columns replaced (once, in one transaction).
void add_record_keys(SQLite::Database& db) {
  if (!db.execAndGet("SELECT count(*) FROM pragma_table_info('changes') WHERE name = 'record_key'").getInt()) {
    db.exec("ALTER TABLE changes ADD COLUMN record_key INTEGER");
  }
  if (db.execAndGet("SELECT EXISTS(SELECT 1 FROM changes WHERE record_key IS NULL)").getInt()) {
    SQLite::Transaction tx(db);
    SQLite::Statement rows(db, "SELECT seq, record_type, record_id FROM changes WHERE record_key IS NULL");
    SQLite::Statement set(db, "UPDATE changes SET record_key = ? WHERE seq = ?");
    while (rows.executeStep()) {
      set.reset();
      set.bind(1, record_key(rows.getColumn(1).getString(), rows.getColumn(2).getString()));
      set.bind(2, rows.getColumn(0).getInt64());
      set.exec();
    }
    tx.commit();
  }
  db.exec("DROP INDEX IF EXISTS changes_by_record");
  db.exec("CREATE INDEX IF NOT EXISTS changes_by_record_key ON changes(record_key)");
}

// The writer connection, with the database in WAL mode and its schema in place
// before any reader connection opens it.
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
  db.exec(kSchema);
  add_record_keys(db);
  db.exec("CREATE INDEX IF NOT EXISTS changes_reference ON changes(seq) WHERE record_type IN (" +
          quoted_list(reference_types()) + ")");
  return db;
}

int on_wal_commit(void* store, sqlite3*, const char*, int pages) {
  if (pages >= kCheckpointPages) static_cast<SqliteChangeStore*>(store)->request_checkpoint();
  return SQLITE_OK;
}
}  // namespace

SqliteChangeStore::SqliteChangeStore(const std::string& path)
    : path_(path), writer_(open_writer(path)) {
  insert_ = std::make_unique<SQLite::Statement>(
      writer_,
      "INSERT INTO changes(change_id, record_type, record_id, field, neighborhood, device, actor, received_at, body, "
      "record_key) VALUES(?,?,?,?,?,?,?,?,?,?) ON CONFLICT(change_id) DO NOTHING");
  find_body_ = std::make_unique<SQLite::Statement>(writer_, "SELECT body FROM changes WHERE change_id = ?");
  sqlite3_wal_hook(writer_.getHandle(), &on_wal_commit, this);
  checkpointer_ = std::thread([this, path] {
    pthread_setname_np(pthread_self(), "psc-checkpoint");
    run_checkpoints(path);
  });
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
        checkpoint_wake_.wait_for(lock, std::chrono::seconds(5), [&] { return stopping_ || checkpoint_requested_; });
        if (stopping_) return;
        checkpoint_requested_ = false;
      }
      // PASSIVE: copies what no reader still needs, never blocks the writer
      // or readers; the writer starts the WAL over once all of it is copied.
      int log_frames = 0, copied = 0;
      const int rc = sqlite3_wal_checkpoint_v2(db.getHandle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &log_frames,
                                               &copied);
      if (rc != SQLITE_OK && rc != SQLITE_BUSY)
        log_error(std::string("WAL checkpoint: ") + sqlite3_errstr(rc));
    }
  } catch (const std::exception& e) {
    log_error(std::string("WAL checkpointer stopped: ") + e.what());
  }
}

void SqliteChangeStore::begin() { writer_.exec("BEGIN IMMEDIATE"); }
void SqliteChangeStore::commit() { writer_.exec("COMMIT"); }
void SqliteChangeStore::rollback() { writer_.exec("ROLLBACK"); }

std::optional<int64_t> SqliteChangeStore::append(const Change& change, const std::string& id, const std::string& body,
                                                 std::string_view neighborhood, int64_t received_at_ms) {
  SQLite::Statement& s = *insert_;
  s.reset();
  // Bound without copies: every argument outlives exec().
  s.bindNoCopy(1, id);
  s.bindNoCopy(2, change.record_type);
  s.bindNoCopy(3, change.record_id);
  s.bindNoCopy(4, change.field);
  const std::string scope(neighborhood);  // short: no allocation
  if (scope.empty()) s.bind(5);
  else s.bindNoCopy(5, scope);
  s.bindNoCopy(6, change.device);
  s.bindNoCopy(7, change.actor);
  s.bind(8, received_at_ms);
  s.bindNoCopy(9, body);
  s.bind(10, record_key(change.record_type, change.record_id));
  if (s.exec() == 0) return std::nullopt;
  return writer_.getLastInsertRowid();
}

std::optional<std::string> SqliteChangeStore::find_body(const std::string& change_id) {
  SQLite::Statement& s = *find_body_;
  s.reset();
  s.bind(1, change_id);
  std::optional<std::string> body;
  if (s.executeStep()) body = s.getColumn(0).getString();
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
  SQLite::Statement s(writer_, "INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  s.bind(1, key);
  s.bind(2, value);
  s.exec();
}

void SqliteChangeStore::for_each(const std::function<void(const StoredChange&)>& visit) {
  SQLite::Statement s(writer_, "SELECT seq, body FROM changes ORDER BY seq");
  StoredChange row;
  while (s.executeStep()) {
    row.seq = s.getColumn(0).getInt64();
    row.body = s.getColumn(1).getString();
    visit(row);
  }
}

namespace {

std::string quoted_list(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ',';
    out += '\'';
    for (char c : item) {
      if (c == '\'') out += '\'';  // record types come from the schema, but quote anyway
      out += c;
    }
    out += '\'';
  }
  return out;
}

std::vector<std::string> reference_types() {
  std::vector<std::string> out;
  for (const auto& schema : all_schemas())
    if (schema.reference_data) out.push_back(schema.type);
  return out;
}

// The catch-up query for a scope: a UNION of index range scans, each
// restricted to seq > ?1, merged by seq; with `skip_device`, rows of device
// ?4 are left out. No index serves `device <> ?4`, and none is needed: every
// row the scans reach is read from the table anyway (for its body and, in a
// scoped read, its record type), so the test costs a column compare, and a
// page of the device's own rows costs a little reading instead of sending.
std::string page_query(const ReadScope& scope, bool skip_device) {
  const std::string not_own = skip_device ? " AND device <> ?4" : "";
  if (scope.types.empty() && scope.neighborhood.empty())
    return "SELECT seq, body FROM changes WHERE seq > ?1" + not_own + " ORDER BY seq LIMIT ?2";
  const std::string refs = quoted_list(reference_types());
  std::string own = "SELECT seq, body FROM changes WHERE ";
  if (!scope.neighborhood.empty()) own += "neighborhood = ?3 AND ";
  if (!scope.types.empty()) own += "record_type IN (" + quoted_list(scope.types) + ") AND ";
  own += "record_type NOT IN (" + refs + ") AND seq > ?1" + not_own;
  const std::string reference =
      "SELECT seq, body FROM changes WHERE record_type IN (" + refs + ") AND seq > ?1" + not_own;
  return own + " UNION ALL " + reference + " ORDER BY seq LIMIT ?2";
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
  SQLite::Statement s(reader, page_query(scope, !skip_device.empty()));
  s.bind(1, after);
  s.bind(2, static_cast<int64_t>(limit));
  if (!scope.neighborhood.empty()) s.bind(3, scope.neighborhood);
  if (!skip_device.empty()) s.bind(4, skip_device);
  while (s.executeStep()) page.changes.push_back({s.getColumn(0).getInt64(), s.getColumn(1).getString()});
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
  SQLite::Statement s(reader, "SELECT seq, received_at, body FROM changes WHERE record_key = ? AND record_type = ? "
                               "AND record_id = ? ORDER BY seq");  // index changes_by_record_key
  s.bind(1, record_key(type, id));
  s.bind(2, type);
  s.bind(3, id);
  std::vector<HistoryEntry> out;
  while (s.executeStep()) out.push_back({s.getColumn(0).getInt64(), s.getColumn(1).getInt64(), s.getColumn(2).getString()});
  return out;
}

}  // namespace psc::server
