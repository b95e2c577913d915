// The SQLite implementation of ChangeStore: one file, WAL mode, fsync on every
// commit (synchronous=FULL) so an acknowledged change survives a crash or a
// power cut. A change is stored as its parts, not its JSON: names it repeats
// coded through a dictionary (store_names.hpp), derived record ids as 16
// bytes, the value as its canonical text; reads re-encode the wire form,
// byte for byte what was pushed. A file in the older JSON-body format is
// converted when opened. The writer has one connection; readers lease one each from a
// small pool (any thread, several at once: catch-up pages are read on the
// worker pool, never on the network thread); WAL lets readers see committed
// data while the writer works. One more connection, on a thread of its own,
// checkpoints the WAL into the database file.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>

#include "change_store.hpp"
#include "store_names.hpp"

namespace psc::server {

class SqliteChangeStore final : public ChangeStore {
 public:
  // The file format this server writes (PRAGMA user_version): 1 the JSON
  // bodies, 2 the parts. Opening converts older files and refuses newer ones.
  static constexpr int kFormat = 2;

  // Opens (creating if needed) the database file and its schema.
  // Throws std::exception with a clear message if the file cannot be used.
  explicit SqliteChangeStore(const std::string& path);
  ~SqliteChangeStore() override;

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
  std::vector<HistoryEntry> record_history(const std::string& type, const std::string& id) override;

  // Called after a commit leaves the WAL long: wakes the checkpointer.
  void request_checkpoint();

 private:
  void run_checkpoints(const std::string& path);
  void migrate_from_format1();
  void index_reference_rows();
  // Inserts one change (seq: nullopt for the next one); false if its id is stored.
  bool insert_row(std::optional<int64_t> seq, const Change& change, std::string_view neighborhood,
                  int64_t received_at_ms);

  // A read-only connection for one reader at a time, returned to the pool
  // when the lease ends. Connections are opened on demand and kept, so the
  // pool grows to the number of readers that ever ran at once (the worker
  // pool's threads plus the odd admin read).
  class ReaderLease {
   public:
    explicit ReaderLease(SqliteChangeStore& store);
    ~ReaderLease();
    ReaderLease(const ReaderLease&) = delete;
    ReaderLease& operator=(const ReaderLease&) = delete;
    SQLite::Database& db() { return *db_; }

   private:
    SqliteChangeStore& store_;
    std::unique_ptr<SQLite::Database> db_;
  };

  const std::string path_;
  SQLite::Database writer_;
  std::mutex readers_mutex_;
  std::vector<std::unique_ptr<SQLite::Database>> idle_readers_;  // GUARDED_BY(readers_mutex_)
  std::unique_ptr<SQLite::Statement> insert_;
  std::unique_ptr<SQLite::Statement> find_;
  StoreNames names_;
  // The reference record types' name ids, "3,7": fixed when the store opens.
  std::string reference_type_ids_;

  // WAL checkpoints run on their own thread and connection, off the commit
  // path (the writer's automatic checkpoint is off).
  std::mutex checkpoint_mutex_;
  std::condition_variable checkpoint_wake_;
  bool checkpoint_requested_ = false;  // GUARDED_BY(checkpoint_mutex_)
  bool stopping_ = false;              // GUARDED_BY(checkpoint_mutex_)
  std::thread checkpointer_;
};

}  // namespace psc::server
