#include "sql_database.hpp"

#include <cctype>
#include <stdexcept>

#include <SQLiteCpp/SQLiteCpp.h>

#include "postgres_connection.hpp"

namespace psc::server {

namespace {

// $1 -> ?1 outside quoted text: SQLite's numbered parameters.
std::string sqlite_parameters(const std::string& sql) {
  std::string out;
  out.reserve(sql.size());
  bool quoted = false;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (c == '\'') quoted = !quoted;
    if (!quoted && c == '$' && i + 1 < sql.size() && std::isdigit(static_cast<unsigned char>(sql[i + 1])))
      out += '?';
    else
      out += c;
  }
  return out;
}

class SqliteDatabase final : public SqlDatabase {
 public:
  SqliteDatabase(const std::string& path, bool read_only)
      : db_(path, read_only ? SQLite::OPEN_READONLY : SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE) {
    db_.setBusyTimeout(5000);
    if (read_only) return;
    db_.exec("PRAGMA journal_mode=WAL");
    // NORMAL, not FULL: custody updates (last seen, unsynced count) come
    // with every hello and must not cost an fsync each; WAL NORMAL still
    // survives a process crash. Changes use FULL (the change store).
    db_.exec("PRAGMA synchronous=NORMAL");
    // Checkpoints are the change store's checkpointer's job.
    db_.exec("PRAGMA wal_autocheckpoint=0");
  }
  Engine engine() const override { return Engine::sqlite; }

  SqlRows query(const std::string& sql, const std::vector<SqlValue>& params) override {
    SQLite::Statement s(db_, sqlite_parameters(sql));
    bind(s, params);
    std::vector<SqlRows::Row> rows;
    while (s.executeStep()) {
      SqlRows::Row row(static_cast<std::size_t>(s.getColumnCount()));
      for (int i = 0; i < s.getColumnCount(); ++i)
        if (!s.getColumn(i).isNull()) row[static_cast<std::size_t>(i)] = s.getColumn(i).getString();
      rows.push_back(std::move(row));
    }
    return SqlRows(std::move(rows));
  }
  int64_t execute(const std::string& sql, const std::vector<SqlValue>& params) override {
    SQLite::Statement s(db_, sqlite_parameters(sql));
    bind(s, params);
    return s.exec();
  }
  void execute_script(const std::string& sql) override { db_.exec(sql); }
  void begin_exclusive() override { db_.exec("BEGIN IMMEDIATE"); }
  void begin() override { db_.exec("BEGIN"); }
  void commit() override { db_.exec("COMMIT"); }
  void rollback() override { db_.exec("ROLLBACK"); }

 private:
  static void bind(SQLite::Statement& s, const std::vector<SqlValue>& params) {
    for (std::size_t i = 0; i < params.size(); ++i) {
      const int at = static_cast<int>(i) + 1;
      if (const auto* n = std::get_if<int64_t>(&params[i]))
        s.bind(at, *n);
      else if (const auto* t = std::get_if<std::string>(&params[i]))
        s.bind(at, *t);
      else
        s.bind(at);
    }
  }
  SQLite::Database db_;
};

class PostgresDatabase final : public SqlDatabase {
 public:
  explicit PostgresDatabase(const std::string& conninfo) : connection_(conninfo) {}
  Engine engine() const override { return Engine::postgres; }

  SqlRows query(const std::string& sql, const std::vector<SqlValue>& params) override {
    const PgResult r = pg_run(connection_, sql, texts(params), PgParams::inferred);
    std::vector<SqlRows::Row> rows(static_cast<std::size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) {
      SqlRows::Row& row = rows[static_cast<std::size_t>(i)];
      row.resize(static_cast<std::size_t>(r.columns()));
      for (int j = 0; j < r.columns(); ++j)
        if (!r.is_null(i, j)) row[static_cast<std::size_t>(j)] = r.text(i, j);
    }
    return SqlRows(std::move(rows));
  }
  int64_t execute(const std::string& sql, const std::vector<SqlValue>& params) override {
    return pg_run(connection_, sql, texts(params), PgParams::inferred).rows_changed();
  }
  void execute_script(const std::string& sql) override { pg_run_script(connection_, sql); }
  void begin_exclusive() override {
    begin();
    // The account tables' writers take turns, on every server.
    try {
      pg_run(connection_, "SELECT pg_advisory_xact_lock(7083)");
    } catch (...) {
      pg_rollback_quietly(connection_);
      throw;
    }
  }
  void begin() override { pg_run(connection_, "BEGIN"); }
  void commit() override { pg_run(connection_, "COMMIT"); }
  void rollback() override { pg_run(connection_, "ROLLBACK"); }

 private:
  static std::vector<std::optional<std::string>> texts(const std::vector<SqlValue>& params) {
    std::vector<std::optional<std::string>> out;
    out.reserve(params.size());
    for (const auto& p : params) {
      if (const auto* n = std::get_if<int64_t>(&p))
        out.emplace_back(std::to_string(*n));
      else if (const auto* t = std::get_if<std::string>(&p))
        out.emplace_back(*t);
      else
        out.emplace_back(std::nullopt);
    }
    return out;
  }
  PgConnection connection_;
};

}  // namespace

std::unique_ptr<SqlDatabase> open_database(const AccountDatabaseAt& at, bool read_only) {
  if (at.shared()) return std::make_unique<PostgresDatabase>(at.postgres);
  return std::make_unique<SqliteDatabase>(at.sqlite_path, read_only);
}

}  // namespace psc::server
