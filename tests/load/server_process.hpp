// ServerProcess: a psc-server that psc-load starts, kills and restarts itself
// (the crash workload). The server runs on 127.0.0.1 with --data DIR; its
// output (every life of it) is appended to one log file. The first start asks
// for port 0 and reads the port the server picked from its "listening on"
// line; every restart asks for that same port, so devices reconnect to the
// address they know (the server's listener sets SO_REUSEADDR).
//
// The child gets PR_SET_PDEATHSIG=SIGKILL: it never outlives psc-load.
// Main thread only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "psc/status.hpp"

namespace psc::load {

class ServerProcess {
 public:
  ServerProcess(std::string binary, std::string data_dir, std::string log_path,
                std::vector<std::string> extra_args);
  ~ServerProcess();  // stops a running server (SIGTERM, then SIGKILL)

  // Starts the server and waits (at most timeout_s) for it to listen.
  Status start(int timeout_s);
  // SIGKILL, then reaps it. The server gets no chance to flush or close anything.
  Status kill_hard();
  // SIGTERM (the server drains, commits what is queued, exits 0), then reaps
  // it; SIGKILL after timeout_s. Error when it did not exit 0.
  Status stop(int timeout_s);

  int pid() const { return pid_; }
  uint16_t port() const { return port_; }
  bool running() const { return pid_ > 0; }
  const std::string& data_dir() const { return data_dir_; }
  const std::string& log_path() const { return log_path_; }
  int starts() const { return starts_; }
  // The last `lines` lines of the log, for failure messages.
  std::string log_tail(int lines) const;

 private:
  std::string binary_, data_dir_, log_path_;
  std::vector<std::string> extra_args_;
  int pid_ = 0;
  uint16_t port_ = 0;
  int starts_ = 0;
};

}  // namespace psc::load
