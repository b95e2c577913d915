// The data folder (--data): where its database lives, who may read it, and
// which process owns it.
//
// DataFolderLock: one process at a time owns a data folder for writing.
//
// psc-server holds it for its whole life; `admin restore` takes it too, so a
// restore can never replace the database under a running server (which would
// lose acknowledged changes and hand out sequence numbers twice). A second
// server on the same folder is refused the same way. The lock is an advisory
// flock(2) on <data>/psc.lock: the kernel drops it when the holder exits, even
// by SIGKILL, so a crash never leaves the folder locked.
//
// Thread-safety: an object is owned by one thread; the lock is per process.
#pragma once

#include <optional>
#include <string>

namespace psc::server {

// <data>/psc.sqlite: changes, accounts, tokens, custody, in one file.
std::string database_path(const std::string& data_dir);

// The folder holds password hashes and token digests: makes it 0700 and the
// database files in it 0600 (folders made before this were 0755/0644).
void restrict_to_owner(const std::string& data_dir);

class DataFolderLock {
 public:
  // Takes the lock without waiting; nullopt when another process holds it
  // (or the lock file cannot be opened: `error` then says why).
  static std::optional<DataFolderLock> try_acquire(const std::string& data_dir, std::string& error);

  DataFolderLock(DataFolderLock&& other) noexcept;
  DataFolderLock& operator=(DataFolderLock&& other) noexcept;
  DataFolderLock(const DataFolderLock&) = delete;
  ~DataFolderLock();

 private:
  explicit DataFolderLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace psc::server
