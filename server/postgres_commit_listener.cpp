#include "postgres_commit_listener.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <thread>

#include <libpq-fe.h>
#include <poll.h>
#include <pthread.h>

#include "log.hpp"

namespace psc::server {

PostgresCommitListener::PostgresCommitListener(std::string conninfo, std::function<void(int64_t)> on_commit)
    : conninfo_(std::move(conninfo)), on_commit_(std::move(on_commit)) {
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "psc-pg-listen");
    run();
  });
}

PostgresCommitListener::~PostgresCommitListener() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
}

void PostgresCommitListener::run() {
  // How often the thread looks at `stopping_` while nothing arrives.
  constexpr int kPollMs = 200;
  bool reported_down = false;
  while (!stopping_) {
    PGconn* conn = PQconnectdb(conninfo_.c_str());
    PGresult* listen = PQstatus(conn) == CONNECTION_OK ? PQexec(conn, "LISTEN psc_commits") : nullptr;
    const bool listening = listen && PQresultStatus(listen) == PGRES_COMMAND_OK;
    PQclear(listen);
    if (!listening) {
      if (!reported_down)
        log_error(std::string("cannot listen for other servers' commits: ") + PQerrorMessage(conn));
      reported_down = true;
      PQfinish(conn);
      for (int i = 0; i < 1000 / kPollMs && !stopping_; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(kPollMs));
      continue;
    }
    if (reported_down) log_info("listening for other servers' commits again");
    reported_down = false;
    on_commit_(0);  // what was committed while nobody listened
    while (!stopping_) {
      pollfd fd{PQsocket(conn), POLLIN, 0};
      if (poll(&fd, 1, kPollMs) < 0) continue;
      if (!PQconsumeInput(conn)) break;  // the connection is gone: connect again
      int64_t last = -1;
      while (PGnotify* n = PQnotifies(conn)) {
        last = std::max<int64_t>(last, std::strtoll(n->extra, nullptr, 10));
        PQfreemem(n);
      }
      if (last >= 0) on_commit_(last);  // several at once: one read covers them all
    }
    PQfinish(conn);
  }
}

}  // namespace psc::server
