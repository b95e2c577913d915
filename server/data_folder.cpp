#include "data_folder.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace psc::server {

std::string database_path(const std::string& data_dir) {
  return (std::filesystem::path(data_dir) / "psc.sqlite").string();
}

void restrict_to_owner(const std::string& data_dir) {
  namespace fs = std::filesystem;
  fs::permissions(data_dir, fs::perms::owner_all, fs::perm_options::replace);
  for (const auto& entry : fs::directory_iterator(data_dir))
    if (entry.is_regular_file() && entry.path().filename().string().rfind("psc.", 0) == 0)
      fs::permissions(entry.path(), fs::perms::owner_read | fs::perms::owner_write,
                      fs::perm_options::replace);
}

std::optional<DataFolderLock> DataFolderLock::try_acquire(const std::string& data_dir, std::string& error) {
  const std::string path = (std::filesystem::path(data_dir) / "psc.lock").string();
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    error = "cannot open " + path + ": " + std::strerror(errno);
    return std::nullopt;
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    error = errno == EWOULDBLOCK ? "a psc-server is running on " + data_dir + " (it holds " + path + ")"
                                 : "cannot lock " + path + ": " + std::strerror(errno);
    ::close(fd);
    return std::nullopt;
  }
  return DataFolderLock(fd);
}

DataFolderLock::DataFolderLock(DataFolderLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }

DataFolderLock& DataFolderLock::operator=(DataFolderLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

DataFolderLock::~DataFolderLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the last descriptor releases the flock
}

}  // namespace psc::server
