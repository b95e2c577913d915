// One libpq connection and its results, for the PostgreSQL adapters (the
// change store, the account database, the commit listener's sibling).
//
// Thread-safety: a connection is used by one thread at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

struct pg_conn;
struct pg_result;

namespace psc::server {

class PgConnection {
 public:
  // Connects with a libpq connection string or URI; throws
  // std::runtime_error with libpq's reason.
  explicit PgConnection(const std::string& conninfo);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;
  bool ok() const;  // the server has not dropped it
  pg_conn* raw() { return conn_; }

 private:
  pg_conn* conn_ = nullptr;
};

// One statement's result, cleared when it goes out of scope.
class PgResult {
 public:
  explicit PgResult(pg_result* result) : result_(result) {}
  ~PgResult();
  PgResult(PgResult&& other) noexcept : result_(other.result_) { other.result_ = nullptr; }
  PgResult(const PgResult&) = delete;
  PgResult& operator=(const PgResult&) = delete;
  int rows() const;
  int columns() const;
  std::string text(int row, int column) const;
  int64_t number(int row, int column) const;
  bool is_null(int row, int column) const;
  int64_t rows_changed() const;  // of an INSERT, UPDATE or DELETE

 private:
  pg_result* result_;
};

// How a statement's parameters are typed: all `text` (a query may leave
// one unused; numbers are cast in the SQL, `$1::bigint`), or each inferred
// by PostgreSQL from where it is used (SQL shared with SQLite, no casts).
enum class PgParams { text, inferred };

// Runs `sql` with parameters (nullopt: NULL); throws std::runtime_error with
// PostgreSQL's message unless it succeeded.
PgResult pg_run(PgConnection& c, const std::string& sql,
                const std::vector<std::optional<std::string>>& params = {}, PgParams types = PgParams::text);
// Runs several statements without parameters (a schema).
void pg_run_script(PgConnection& c, const std::string& sql);
// Rolls back an open transaction, ignoring errors (on a path already failing).
void pg_rollback_quietly(PgConnection& c);

}  // namespace psc::server
