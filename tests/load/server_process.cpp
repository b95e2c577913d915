#include "server_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <deque>
#include <fstream>
#include <sstream>
#include <thread>

namespace psc::load {

namespace {

using Clock = std::chrono::steady_clock;

std::streamoff file_size(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  return in ? static_cast<std::streamoff>(in.tellg()) : 0;
}

// The port in the first "listening on http://127.0.0.1:PORT" line after `from`.
uint16_t listening_port(const std::string& path, std::streamoff from) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return 0;
  in.seekg(from);
  std::string line;
  static constexpr std::string_view kMark = "listening on http://127.0.0.1:";
  while (std::getline(in, line)) {
    const auto at = line.find(kMark);
    if (at == std::string::npos) continue;
    const unsigned long port = std::strtoul(line.c_str() + at + kMark.size(), nullptr, 10);
    return port > 0 && port < 65536 ? static_cast<uint16_t>(port) : 0;
  }
  return 0;
}

// Reaps `pid`, waiting at most `timeout`. Returns the wait status, or -1 when
// it is still running.
int reap(int pid, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    int status = 0;
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) return status;
    if (r < 0 && errno != EINTR) return 0;  // not our child any more: gone
    if (Clock::now() >= deadline) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

std::string describe(int status) {
  if (WIFEXITED(status)) return "exited " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return std::string("killed by signal ") + std::to_string(WTERMSIG(status));
  return "status " + std::to_string(status);
}

}  // namespace

ServerProcess::ServerProcess(std::string binary, std::string data_dir, std::string log_path,
                             std::vector<std::string> extra_args)
    : binary_(std::move(binary)),
      data_dir_(std::move(data_dir)),
      log_path_(std::move(log_path)),
      extra_args_(std::move(extra_args)) {}

ServerProcess::~ServerProcess() {
  if (running()) (void)stop(10);
}

Status ServerProcess::start(int timeout_s) {
  if (running()) return Status::error("server", "already running");
  const auto deadline = Clock::now() + std::chrono::seconds(timeout_s);
  for (int attempt = 1;; ++attempt) {
    std::vector<std::string> args = {binary_,  "--host", "127.0.0.1", "--port", std::to_string(port_),
                                     "--data", data_dir_};
    args.insert(args.end(), extra_args_.begin(), extra_args_.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const std::streamoff log_from = file_size(log_path_);
    {
      std::ofstream log(log_path_, std::ios::app);
      log << "=== psc-load: start " << starts_ + 1 << " (attempt " << attempt << ") ===" << std::endl;
    }
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid < 0) return Status::error("server", std::string("fork: ") + std::strerror(errno));
    if (pid == 0) {
      // Child: only async-signal-safe calls until exec.
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (::getppid() != parent) ::_exit(127);
      sigset_t none;
      sigemptyset(&none);
      ::sigprocmask(SIG_SETMASK, &none, nullptr);
      const int fd = ::open(log_path_.c_str(), O_WRONLY | O_APPEND | O_CREAT, 0644);
      if (fd < 0) ::_exit(127);
      ::dup2(fd, 1);
      ::dup2(fd, 2);
      const int null = ::open("/dev/null", O_RDONLY);
      if (null >= 0) ::dup2(null, 0);
      // Not one of psc-load's sockets may stay open in the server.
      if (::syscall(SYS_close_range, 3U, ~0U, 0U) != 0)
        for (int i = 3; i < 65536; ++i) ::close(i);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    pid_ = pid;
    ++starts_;
    for (;;) {
      if (const uint16_t port = listening_port(log_path_, log_from)) {
        port_ = port;
        return Status::ok();
      }
      if (const int status = reap(pid_, std::chrono::milliseconds(0)); status != -1) {
        pid_ = 0;
        --starts_;
        // The old listening socket may linger for a moment after a kill: try again.
        if (Clock::now() < deadline) {
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
          break;
        }
        return Status::error("server",
                             "psc-server " + describe(status) + " while starting:\n" + log_tail(20));
      }
      if (Clock::now() >= deadline) {
        (void)kill_hard();
        return Status::error("server", "psc-server did not listen within " + std::to_string(timeout_s) +
                                           " s:\n" + log_tail(20));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
}

Status ServerProcess::kill_hard() {
  if (!running()) return Status::error("server", "not running");
  if (::kill(pid_, SIGKILL) != 0)
    return Status::error("server", std::string("kill: ") + std::strerror(errno));
  const int status = reap(pid_, std::chrono::seconds(30));
  const int pid = pid_;
  pid_ = 0;
  if (status == -1) return Status::error("server", "psc-server " + std::to_string(pid) + " survived SIGKILL");
  if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL)
    return Status::error("server",
                         "psc-server had already " + describe(status) + " before SIGKILL:\n" + log_tail(20));
  return Status::ok();
}

Status ServerProcess::stop(int timeout_s) {
  if (!running()) return Status::error("server", "not running");
  ::kill(pid_, SIGTERM);
  int status = reap(pid_, std::chrono::seconds(timeout_s));
  if (status == -1) {
    ::kill(pid_, SIGKILL);
    status = reap(pid_, std::chrono::seconds(30));
    pid_ = 0;
    return Status::error("server",
                         "psc-server did not exit within " + std::to_string(timeout_s) + " s of SIGTERM");
  }
  pid_ = 0;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return Status::error("server", "psc-server " + describe(status) + " after SIGTERM:\n" + log_tail(20));
  return Status::ok();
}

std::string ServerProcess::log_tail(int lines) const {
  std::ifstream in(log_path_);
  std::deque<std::string> tail;
  std::string line;
  while (std::getline(in, line)) {
    tail.push_back(line);
    if (static_cast<int>(tail.size()) > lines) tail.pop_front();
  }
  std::ostringstream out;
  for (const auto& l : tail) out << "  | " << l << "\n";
  return out.str();
}

}  // namespace psc::load
