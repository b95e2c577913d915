#include "postgres_change_store.hpp"
#include "network_thread.hpp"

#include <stdexcept>

#include <nlohmann/json.hpp>

#include "postgres_connection.hpp"
#include "psc/protocol.hpp"
#include "psc/schema.hpp"
#include "psc/scope.hpp"

namespace psc::server {

namespace {

using Result = PgResult;
using Connection = PgConnection;

Result run(Connection& c, const std::string& sql, const std::vector<std::string>& params = {}) {
  return pg_run(c, sql, std::vector<std::optional<std::string>>(params.begin(), params.end()));
}

// Bumped with every change to the tables below (and upgrades written here).
constexpr int64_t kSchemaVersion = 1;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS psc_changes (
  seq          BIGINT PRIMARY KEY,   -- from psc_counter: commit order (see the header)
  change_id    TEXT NOT NULL UNIQUE, -- "hlc@device": a resend is a no-op
  record_type  TEXT NOT NULL,
  record_id    TEXT NOT NULL,
  device       TEXT NOT NULL,
  neighborhood TEXT,                 -- the record's scope, for scoped catch-up
  received_at  BIGINT NOT NULL,      -- server clock, ms since the epoch
  body         TEXT NOT NULL         -- the canonical wire form, byte for byte
);
CREATE INDEX IF NOT EXISTS psc_changes_by_neighborhood ON psc_changes (neighborhood, seq);
CREATE INDEX IF NOT EXISTS psc_changes_by_type ON psc_changes (record_type, seq);
CREATE INDEX IF NOT EXISTS psc_changes_by_record ON psc_changes (record_type, record_id);
CREATE TABLE IF NOT EXISTS psc_counter (id INT PRIMARY KEY CHECK (id = 1), last BIGINT NOT NULL);
INSERT INTO psc_counter VALUES (1, 0) ON CONFLICT DO NOTHING;
CREATE TABLE IF NOT EXISTS psc_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
-- The validation state after every change up to seq (validation_snapshot.hpp):
-- a server starts from the newest and replays only what follows it.
CREATE TABLE IF NOT EXISTS psc_snapshots (seq BIGINT PRIMARY KEY, made_at BIGINT NOT NULL, body BYTEA NOT NULL);
)sql";

// A text[] literal of slugs and type names ({a,b}): none of them holds a
// quote, comma or brace (record_id.hpp's alphabet, schema type names).
std::string array_literal(const std::vector<std::string>& items) {
  std::string out = "{";
  for (const auto& item : items) out += (out.size() > 1 ? "," : "") + item;
  return out + "}";
}

// The reference types as a text[] literal: every catch-up page names them.
const std::string& reference_types_literal() {
  static const std::string literal = [] {
    std::vector<std::string> types;
    for (const auto& schema : all_schemas())
      if (schema.reference_data) types.push_back(schema.type);
    return array_literal(types);
  }();
  return literal;
}

}  // namespace

PostgresChangeStore::PostgresChangeStore(std::string conninfo) : conninfo_(std::move(conninfo)) {
  writer_ = std::make_unique<Connection>(conninfo_);
  // Two servers starting at once on an empty database: one creates, the
  // other waits on the lock and finds everything there.
  run(*writer_, "BEGIN");
  run(*writer_, "SELECT pg_advisory_xact_lock(7081)");  // psc's schema lock
  try {
    pg_run_script(*writer_, kSchema);
    // The schema's version, as SQLite's user_version: a database a newer
    // server changed is refused before anything is written to it.
    const Result version = run(*writer_, "SELECT value FROM psc_meta WHERE key = 'schema_version'");
    if (version.rows() == 0)
      run(*writer_, "INSERT INTO psc_meta (key, value) VALUES ('schema_version', $1)",
          {std::to_string(kSchemaVersion)});
    else if (std::stoll(version.text(0, 0)) > kSchemaVersion)
      throw std::runtime_error("the database has schema version " + version.text(0, 0) +
                               ", newer than this server's " + std::to_string(kSchemaVersion) +
                               "; run the newer psc-server");
  } catch (const std::exception& e) {
    pg_rollback_quietly(*writer_);
    throw std::runtime_error(std::string("schema: ") + e.what());
  }
  run(*writer_, "COMMIT");
}

PostgresChangeStore::~PostgresChangeStore() = default;

void PostgresChangeStore::begin() {
  run(*writer_, "BEGIN");
  used_ = 0;
  pending_.clear();
  pending_ids_.clear();
  // The append turn: the counter's row lock, held to the commit (see the
  // header). Taken first, so what read_after reads next is everything any
  // server committed, and nothing commits after it until this does.
  try {
    next_seq_ = run(*writer_, "SELECT last FROM psc_counter WHERE id = 1 FOR UPDATE").number(0, 0) + 1;
  } catch (...) {
    pg_rollback_quietly(*writer_);
    throw;
  }
}

void PostgresChangeStore::commit() {
  if (next_seq_ && used_ > 0) {
    write_pending();
    const std::string last = std::to_string(*next_seq_ - 1);
    run(*writer_, "UPDATE psc_counter SET last = $1::bigint WHERE id = 1", {last});
    // Delivered to every listening server when (and only if) this commits.
    run(*writer_, "SELECT pg_notify('psc_commits', $1)", {last});
  }
  run(*writer_, "COMMIT");
  next_seq_.reset();
}

void PostgresChangeStore::save_snapshot(int64_t seq, const std::string& bytes) {
  // Hex in and out: the parameters are text (bytea's hex form is exact).
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    hex += kHex[c >> 4];
    hex += kHex[c & 15];
  }
  run(*writer_, "BEGIN");
  try {
    // Several servers may save the same point: the first one's is kept.
    run(*writer_,
        "INSERT INTO psc_snapshots (seq, made_at, body) VALUES ($1::bigint, "
        "(extract(epoch from now()) * 1000)::bigint, decode($2, 'hex')) ON CONFLICT (seq) DO NOTHING",
        {std::to_string(seq), hex});
    run(*writer_, "DELETE FROM psc_snapshots WHERE seq < $1::bigint", {std::to_string(seq)});
    run(*writer_, "COMMIT");
  } catch (...) {
    pg_rollback_quietly(*writer_);
    throw;
  }
}

std::optional<ChangeStore::Snapshot> PostgresChangeStore::latest_snapshot() {
  const Result r =
      run(*writer_, "SELECT seq, encode(body, 'hex') FROM psc_snapshots ORDER BY seq DESC LIMIT 1");
  if (r.rows() == 0) return std::nullopt;
  const std::string hex = r.text(0, 1);
  Snapshot out{r.number(0, 0), {}};
  out.bytes.reserve(hex.size() / 2);
  const auto nibble = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    out.bytes += static_cast<char>((nibble(hex[i]) << 4) | nibble(hex[i + 1]));
  return out;
}

std::vector<StoredChange> PostgresChangeStore::read_after(int64_t after, std::size_t limit) {
  // Committed rows only, and (the counter's lock orders the commits) always
  // a prefix of the log: no row of a lower sequence can commit later.
  // With the scope the writing server stored: a record's first fields come
  // before its neighborhood field, so it cannot be worked out one change at
  // a time here.
  const Result r = run(*writer_,
                       "SELECT seq, body, COALESCE(neighborhood, '') FROM psc_changes WHERE seq > $1::bigint "
                       "ORDER BY seq LIMIT $2::bigint",
                       {std::to_string(after), std::to_string(limit)});
  std::vector<StoredChange> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) out.push_back({r.number(i, 0), r.text(i, 1), r.text(i, 2)});
  return out;
}

void PostgresChangeStore::rollback() {
  pending_.clear();
  pending_ids_.clear();
  run(*writer_, "ROLLBACK");
  next_seq_.reset();
}

std::optional<int64_t> PostgresChangeStore::append(const Change& change, const std::string& id,
                                                   const std::string& body, std::string_view neighborhood,
                                                   int64_t received_at_ms) {
  if (!next_seq_) throw std::logic_error("append outside begin()/commit()");
  // Written at commit(), all in one statement: a round trip per change cost
  // more than the rest of the work. Holding the append turn, with every
  // other server's changes taken in, the only id that can already be there
  // is one appended earlier in this transaction.
  if (pending_ids_.count(id)) return std::nullopt;
  pending_ids_.emplace(id, pending_.size());
  pending_.push_back({*next_seq_, id, change.record_type, change.record_id, change.device,
                      std::string(neighborhood), received_at_ms, body});
  ++used_;
  return (*next_seq_)++;
}

namespace {

// One element of a PostgreSQL array literal, quoted: any text.
void add_array_element(std::string& literal, std::string_view text) {
  literal += literal.size() > 1 ? ",\"" : "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') literal += '\\';
    literal += c;
  }
  literal += '"';
}

}  // namespace

void PostgresChangeStore::write_pending() {
  // In slices, so one statement's parameters stay a few megabytes.
  constexpr std::size_t kSlice = 2000;
  for (std::size_t from = 0; from < pending_.size(); from += kSlice) {
    const std::size_t to = std::min(pending_.size(), from + kSlice);
    std::string seqs = "{", ids = "{", types = "{", records = "{", devices = "{", neighborhoods = "{",
                received = "{", bodies = "{";
    for (std::size_t i = from; i < to; ++i) {
      const PendingRow& row = pending_[i];
      add_array_element(seqs, std::to_string(row.seq));
      add_array_element(ids, row.id);
      add_array_element(types, row.record_type);
      add_array_element(records, row.record_id);
      add_array_element(devices, row.device);
      add_array_element(neighborhoods, row.neighborhood);
      add_array_element(received, std::to_string(row.received_at_ms));
      add_array_element(bodies, row.body);
    }
    for (std::string* literal : {&seqs, &ids, &types, &records, &devices, &neighborhoods, &received, &bodies})
      *literal += '}';
    const Result inserted = run(
        *writer_,
        "INSERT INTO psc_changes (seq, change_id, record_type, record_id, device, neighborhood, received_at, "
        "body) SELECT s, i, t, r, d, NULLIF(n, ''), a, b FROM unnest($1::bigint[], $2::text[], $3::text[], "
        "$4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[]) AS u(s, i, t, r, d, n, a, b)",
        {seqs, ids, types, records, devices, neighborhoods, received, bodies});
    if (inserted.rows_changed() != static_cast<int64_t>(to - from))
      throw std::runtime_error("PostgreSQL stored " + std::to_string(inserted.rows_changed()) + " of " +
                               std::to_string(to - from) + " changes");
  }
  pending_.clear();
  pending_ids_.clear();
}

std::optional<std::string> PostgresChangeStore::find_body(const std::string& change_id) {
  if (auto it = pending_ids_.find(change_id); it != pending_ids_.end()) return pending_[it->second].body;
  ReaderLease lease(*this);
  const Result r = run(lease.connection(), "SELECT body FROM psc_changes WHERE change_id = $1", {change_id});
  if (r.rows() == 0) return std::nullopt;
  return r.text(0, 0);
}

std::optional<std::string> PostgresChangeStore::meta(const std::string& key) {
  const Result r = run(*writer_, "SELECT value FROM psc_meta WHERE key = $1", {key});
  if (r.rows() == 0) return std::nullopt;
  return r.text(0, 0);
}

void PostgresChangeStore::set_meta(const std::string& key, const std::string& value) {
  run(*writer_,
      "INSERT INTO psc_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = "
      "excluded.value",
      {key, value});
}

void PostgresChangeStore::for_each(int64_t after,
                                   const std::function<void(int64_t seq, const Change&)>& visit) {
  // In pages, so a long log is never held in memory at once.
  for (;;) {
    const Result r =
        run(*writer_, "SELECT seq, body FROM psc_changes WHERE seq > $1::bigint ORDER BY seq LIMIT 10000",
            {std::to_string(after)});
    if (r.rows() == 0) return;
    for (int i = 0; i < r.rows(); ++i) {
      after = r.number(i, 0);
      const auto parsed = nlohmann::json::parse(r.text(i, 1), nullptr, false);
      auto change = change_from_json(parsed);
      if (!change)
        throw std::runtime_error("stored change " + std::to_string(after) + " cannot be read back");
      visit(after, change.value());
    }
  }
}

PostgresChangeStore::ReaderLease::ReaderLease(PostgresChangeStore& store) : store_(store) {
  forbid_on_network_thread("a change store read");
  {
    std::lock_guard lock(store.readers_mutex_);
    if (!store.idle_readers_.empty()) {
      connection_ = std::move(store.idle_readers_.back());
      store.idle_readers_.pop_back();
      return;
    }
  }
  connection_ = std::make_unique<Connection>(store.conninfo_);
}

PostgresChangeStore::ReaderLease::~ReaderLease() {
  // A connection the server dropped is not put back.
  if (!connection_->ok()) return;
  std::lock_guard lock(store_.readers_mutex_);
  store_.idle_readers_.push_back(std::move(connection_));
}

ScopedPage PostgresChangeStore::read_page(int64_t after, std::size_t limit, const ReadScope& scope,
                                          const std::string& skip_device) {
  ReaderLease lease(*this);
  Connection& c = lease.connection();
  // $1 after, $2 limit, $3 device left out, $4 neighborhood, $5 the scope's
  // types, $6 the reference types, $7 the city's scope.
  std::string where = "seq > $1::bigint AND ($3 = '' OR device <> $3)";
  if (!scope.types.empty() || !scope.neighborhood.empty()) {
    std::string own = "NOT (record_type = ANY($6::text[]))";
    if (!scope.neighborhood.empty()) own += " AND neighborhood = $4";
    if (!scope.types.empty()) own += " AND record_type = ANY($5::text[])";
    std::string visible = "(" + own + ") OR record_type = ANY($6::text[])";
    if (scope.citywide) visible += " OR neighborhood = $7";
    where += " AND (" + visible + ")";
  }
  ScopedPage page;
  // One snapshot: the page and the high-water mark agree (see the header
  // for why a snapshot holds a prefix of the log).
  run(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  try {
    const Result r =
        run(c, "SELECT seq, body FROM psc_changes WHERE " + where + " ORDER BY seq LIMIT $2::bigint",
            {std::to_string(after), std::to_string(limit), skip_device, scope.neighborhood,
             array_literal(scope.types), reference_types_literal(), std::string(kCitywide)});
    for (int i = 0; i < r.rows(); ++i) page.changes.push_back({r.number(i, 0), r.text(i, 1)});
    page.more = page.changes.size() == limit;
    if (page.more) {
      page.cursor = page.changes.back().seq;
    } else {
      const Result max = run(c, "SELECT COALESCE(MAX(seq), 0) FROM psc_changes");
      page.cursor = std::max(after, max.number(0, 0));
    }
    run(c, "COMMIT");
  } catch (...) {
    pg_rollback_quietly(c);
    throw;
  }
  return page;
}

int64_t PostgresChangeStore::last_sequence() {
  ReaderLease lease(*this);
  return run(lease.connection(), "SELECT COALESCE(MAX(seq), 0) FROM psc_changes").number(0, 0);
}

std::vector<ChangeStore::HistoryEntry> PostgresChangeStore::record_history(const std::string& type,
                                                                           const std::string& id) {
  ReaderLease lease(*this);
  const Result r =
      run(lease.connection(),
          "SELECT seq, received_at, body FROM psc_changes WHERE record_type = $1 AND record_id = $2 "
          "ORDER BY seq",
          {type, id});
  std::vector<HistoryEntry> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back({r.number(i, 0), r.number(i, 1), r.text(i, 2)});
  return out;
}

}  // namespace psc::server
