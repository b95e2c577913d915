#include "postgres_connection.hpp"

#include <stdexcept>

#include <libpq-fe.h>

namespace psc::server {

PgConnection::PgConnection(const std::string& conninfo) : conn_(PQconnectdb(conninfo.c_str())) {
  if (PQstatus(conn_) != CONNECTION_OK) {
    const std::string why = PQerrorMessage(conn_);
    PQfinish(conn_);
    throw std::runtime_error("cannot connect to PostgreSQL: " + why);
  }
  // NOTICEs ("relation already exists, skipping" from every CREATE ... IF
  // NOT EXISTS at start) are not the operator's concern; errors are thrown.
  PQsetNoticeProcessor(
      conn_, [](void*, const char*) {}, nullptr);
}

PgConnection::~PgConnection() { PQfinish(conn_); }

bool PgConnection::ok() const { return PQstatus(conn_) == CONNECTION_OK; }

PgResult::~PgResult() { PQclear(result_); }
int PgResult::rows() const { return PQntuples(result_); }
int PgResult::columns() const { return PQnfields(result_); }
std::string PgResult::text(int row, int column) const { return PQgetvalue(result_, row, column); }
int64_t PgResult::number(int row, int column) const { return std::stoll(PQgetvalue(result_, row, column)); }
bool PgResult::is_null(int row, int column) const { return PQgetisnull(result_, row, column) != 0; }
int64_t PgResult::rows_changed() const {
  const char* n = PQcmdTuples(result_);
  return *n ? std::stoll(n) : 0;
}

PgResult pg_run(PgConnection& c, const std::string& sql,
                const std::vector<std::optional<std::string>>& params, PgParams types) {
  constexpr Oid kText = 25;  // pg_type.oid of text
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  const std::vector<Oid> oids(params.size(), types == PgParams::text ? kText : 0);
  PGresult* raw = PQexecParams(c.raw(), sql.c_str(), static_cast<int>(values.size()), oids.data(),
                               values.data(), nullptr, nullptr, 0);
  const auto status = PQresultStatus(raw);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    const std::string why = raw ? PQresultErrorMessage(raw) : PQerrorMessage(c.raw());
    PQclear(raw);
    throw std::runtime_error("PostgreSQL: " + why);
  }
  return PgResult(raw);
}

void pg_run_script(PgConnection& c, const std::string& sql) {
  PGresult* raw = PQexec(c.raw(), sql.c_str());
  const auto status = PQresultStatus(raw);
  const std::string why = raw ? PQresultErrorMessage(raw) : PQerrorMessage(c.raw());
  PQclear(raw);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) throw std::runtime_error("PostgreSQL: " + why);
}

void pg_rollback_quietly(PgConnection& c) { PQclear(PQexec(c.raw(), "ROLLBACK")); }

}  // namespace psc::server
