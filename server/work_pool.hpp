// WorkPool: a few named threads for the blocking work the network thread
// must never do: Argon2id password checks (tens of ms of CPU each, by
// design), SQLite reads and writes of the HTTP API (sign-in, tokens, kiosks,
// custody, history), hand-off files (parsing and HMAC of up to 32 MiB), and
// the token checks of hello and revocation. Results go back to the session's
// own strand with net::post; the network thread only moves bytes.
//
// Every job runs inside a try/catch: a job answers its own errors first
// (internal_error to its client); what still escapes is logged, and the
// thread carries on.
//
// Thread-safety: every public method may be called from any thread.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

namespace psc::server {

class WorkPool {
 public:
  // `name` (at most 15 characters with the thread number) names the threads
  // in top and perf.
  WorkPool(std::string name, std::size_t threads);
  ~WorkPool();  // stop()
  WorkPool(const WorkPool&) = delete;
  WorkPool& operator=(const WorkPool&) = delete;

  // Runs `job` on one of the pool's threads.
  void post(std::function<void()> job);
  // For timers that fire on the pool.
  boost::asio::io_context::executor_type executor() { return ioc_.get_executor(); }
  // Finishes the jobs already queued, then joins the threads. Idempotent.
  void stop();

 private:
  boost::asio::io_context ioc_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::vector<std::thread> threads_;
};

}  // namespace psc::server
