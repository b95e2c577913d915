// SqlDatabase: one connection to the database that keeps the accounts,
// device tokens, kiosk codes, custody and sign-in failures: the data
// folder's SQLite file (the default), or PostgreSQL when several servers
// share one (`--store postgresql://...`), so that a token issued or revoked
// on one node holds on every node.
//
// The SQL is written once for both engines: parameters are $1, $2, ... (the
// SQLite side reads them as ?1, ?2, ...; PostgreSQL infers each one's type
// from where it is used), upserts are `ON CONFLICT`, new ids come back with
// `RETURNING`. Only schemas (and the odd function name) differ by engine.
//
// Thread-safety: a connection is used by one thread at a time; the owner
// locks.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace psc::server {

// A parameter: NULL, an integer or text.
using SqlValue = std::variant<std::monostate, int64_t, std::string>;

// A query's rows, read whole (the account queries return a few rows).
class SqlRows {
 public:
  using Row = std::vector<std::optional<std::string>>;
  explicit SqlRows(std::vector<Row> rows) : rows_(std::move(rows)) {}
  std::size_t size() const { return rows_.size(); }
  bool empty() const { return rows_.empty(); }
  bool is_null(std::size_t row, int column) const { return !rows_[row][static_cast<std::size_t>(column)]; }
  // REQUIRES: !is_null(row, column)
  const std::string& text(std::size_t row, int column) const {
    return *rows_[row][static_cast<std::size_t>(column)];
  }
  int64_t integer(std::size_t row, int column) const { return std::stoll(text(row, column)); }
  std::optional<int64_t> optional_integer(std::size_t row, int column) const {
    if (is_null(row, column)) return std::nullopt;
    return integer(row, column);
  }

 private:
  std::vector<Row> rows_;
};

class SqlDatabase {
 public:
  enum class Engine { sqlite, postgres };
  virtual ~SqlDatabase() = default;
  virtual Engine engine() const = 0;
  virtual SqlRows query(const std::string& sql, const std::vector<SqlValue>& params = {}) = 0;
  // A statement that returns no rows; the number of rows it changed.
  virtual int64_t execute(const std::string& sql, const std::vector<SqlValue>& params = {}) = 0;
  // Several statements without parameters (a schema).
  virtual void execute_script(const std::string& sql) = 0;
  // A transaction that every other writer of these tables waits for (on
  // any server): check-then-write sequences, such as "is this device held
  // by another account? then issue", cannot interleave.
  virtual void begin_exclusive() = 0;
  virtual void begin() = 0;
  virtual void commit() = 0;
  virtual void rollback() = 0;
};

// Rolls back unless committed: every early return of a transaction.
class SqlTransaction {
 public:
  enum Kind { plain, exclusive };
  explicit SqlTransaction(SqlDatabase& db, Kind kind = plain) : db_(db) {
    kind == exclusive ? db_.begin_exclusive() : db_.begin();
  }
  ~SqlTransaction() {
    if (!done_) try {
        db_.rollback();
      } catch (...) {  // the connection is gone; nothing was committed
      }
  }
  SqlTransaction(const SqlTransaction&) = delete;
  SqlTransaction& operator=(const SqlTransaction&) = delete;
  void commit() {
    db_.commit();
    done_ = true;
  }

 private:
  SqlDatabase& db_;
  bool done_ = false;
};

// Where the account tables live: a SQLite file, or a PostgreSQL database.
struct AccountDatabaseAt {
  std::string sqlite_path;  // used when postgres is empty
  std::string postgres;     // a libpq connection string or URI
  bool shared() const { return !postgres.empty(); }
};

// A new connection (SQLite: WAL, synchronous=NORMAL, a busy timeout).
// Throws std::runtime_error when the database cannot be opened.
std::unique_ptr<SqlDatabase> open_database(const AccountDatabaseAt& at, bool read_only = false);

}  // namespace psc::server
