// The PostgreSQL implementation of ChangeStore (`psc-server --store
// postgresql://...`), for a deployment whose city IT runs PostgreSQL. The
// SQLite file stays the embedded default. libpq, the C client Debian ships.
//
// A change is stored with its canonical wire body beside the columns the
// reads filter on (record type, neighborhood, device). Durability is
// PostgreSQL's: commit() returns once the server has the transaction on disk
// (synchronous_commit on, its default), and only then are changes
// acknowledged.
//
// Sequence numbers. A device's cursor says "everything up to seq N"; a
// reader must never see N+1 committed while N is still to come, or a device
// that read N+1 would skip N for good. PostgreSQL's own sequences hand out
// numbers at insert time and transactions commit in any order, so a
// reader can see such a gap. Here every writing transaction takes the next
// numbers from one counter row (`psc_counter`), whose row lock it holds
// until it commits: the transactions that append commit in the order of
// their numbers, whichever server they run on, and a snapshot holds a
// prefix of the log. The cost is that appends from several servers take
// turns; the commit pipeline groups a whole batch of pushes into one
// transaction, so they take turns per group, not per change.
//
// Several servers on one database. The counter's lock is also each
// server's append turn: its writer takes it at begin(), reads what the
// others committed since its last turn (read_after) into its validation
// state, and only then validates and appends. So validation sees the whole
// log whichever server a push reaches, and two servers receiving conflicting
// pushes at the same instant decide them one after the other. Each commit
// that appended sends NOTIFY psc_commits with its last sequence (delivered
// only if it commits); every server LISTENs (postgres_commit_listener.hpp)
// and reads the new rows in order, so its live devices get every server's
// changes, in sequence order, without waiting for a push of their own.
//
// Connections: the writer has one (the commit pipeline's thread); readers
// lease one each from a pool (catch-up pages on the worker pool); the
// listener has its own.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "change_store.hpp"
#include "postgres_connection.hpp"

namespace psc::server {

class PostgresChangeStore final : public ChangeStore {
 public:
  // Connects with a libpq connection string or URI and creates the schema
  // if needed. Throws std::runtime_error with the server's message.
  explicit PostgresChangeStore(std::string conninfo);
  ~PostgresChangeStore() override;

  void begin() override;
  void commit() override;
  void rollback() override;
  std::optional<int64_t> append(const Change& change, const std::string& id, const std::string& body,
                                std::string_view neighborhood, int64_t received_at_ms) override;
  std::optional<std::string> find_body(const std::string& change_id) override;
  std::optional<std::string> meta(const std::string& key) override;
  void set_meta(const std::string& key, const std::string& value) override;
  void for_each(int64_t after, const std::function<void(int64_t seq, const Change&)>& visit) override;

  ScopedPage read_page(int64_t after, std::size_t limit, const ReadScope& scope,
                       const std::string& skip_device) override;
  int64_t last_sequence() override;
  bool shared() const override { return true; }
  bool keeps_snapshots() const override { return true; }
  void save_snapshot(int64_t seq, const std::string& bytes) override;
  std::optional<Snapshot> latest_snapshot() override;
  std::vector<StoredChange> read_after(int64_t after, std::size_t limit) override;
  std::vector<HistoryEntry> record_history(const std::string& type, const std::string& id) override;

 private:
  // A reader's connection for the duration of one read.
  class ReaderLease {
   public:
    explicit ReaderLease(PostgresChangeStore& store);
    ~ReaderLease();
    ReaderLease(const ReaderLease&) = delete;
    ReaderLease& operator=(const ReaderLease&) = delete;
    PgConnection& connection() { return *connection_; }

   private:
    PostgresChangeStore& store_;
    std::unique_ptr<PgConnection> connection_;
  };

  std::string conninfo_;
  std::unique_ptr<PgConnection> writer_;
  std::mutex readers_mutex_;
  std::vector<std::unique_ptr<PgConnection>> idle_readers_;  // GUARDED_BY(readers_mutex_)
  // The next sequence of the open transaction (nullopt: none open), and
  // how many it used.
  std::optional<int64_t> next_seq_;
  int64_t used_ = 0;
  // This transaction's appends, written at commit() in one statement per
  // slice (write_pending); by change id, for find_body and resends.
  struct PendingRow {
    int64_t seq;
    std::string id, record_type, record_id, device, neighborhood;
    int64_t received_at_ms;
    std::string body;
  };
  std::vector<PendingRow> pending_;
  std::unordered_map<std::string, std::size_t> pending_ids_;
  void write_pending();
};

}  // namespace psc::server
