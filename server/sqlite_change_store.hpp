// The SQLite implementation of ChangeStore: one file, WAL mode, fsync on every
// commit (synchronous=FULL) so an acknowledged change survives a crash or a
// power cut. Writer and reader use separate connections; WAL lets the reader
// see committed data while the writer works. A third connection, on a thread
// of its own, checkpoints the WAL into the database file.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <SQLiteCpp/SQLiteCpp.h>

#include "change_store.hpp"

namespace psc::server {

class SqliteChangeStore final : public ChangeStore {
 public:
  // Opens (creating if needed) the database file and its schema.
  // Throws std::exception with a clear message if the file cannot be used.
  explicit SqliteChangeStore(const std::string& path);
  ~SqliteChangeStore() override;

  void begin() override;
  void commit() override;
  void rollback() override;
  std::optional<int64_t> append(const Change& change, const std::string& id, const std::string& body, std::string_view neighborhood,
                                int64_t received_at_ms) override;
  std::optional<std::string> find_body(const std::string& change_id) override;
  std::optional<std::string> meta(const std::string& key) override;
  void set_meta(const std::string& key, const std::string& value) override;
  void for_each(const std::function<void(const StoredChange&)>& visit) override;

  ScopedPage read_page(int64_t after, std::size_t limit, const ReadScope& scope) override;
  int64_t last_sequence() override;
  std::vector<HistoryEntry> record_history(const std::string& type, const std::string& id) override;

  // Called after a commit leaves the WAL long: wakes the checkpointer.
  void request_checkpoint();

 private:
  void run_checkpoints(const std::string& path);

  SQLite::Database writer_;
  SQLite::Database reader_;
  std::unique_ptr<SQLite::Statement> insert_;
  std::unique_ptr<SQLite::Statement> find_body_;

  // WAL checkpoints run on their own thread and connection, off the commit
  // path (the writer's automatic checkpoint is off).
  std::mutex checkpoint_mutex_;
  std::condition_variable checkpoint_wake_;
  bool checkpoint_requested_ = false;  // GUARDED_BY(checkpoint_mutex_)
  bool stopping_ = false;              // GUARDED_BY(checkpoint_mutex_)
  std::thread checkpointer_;
};

}  // namespace psc::server
