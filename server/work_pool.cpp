#include "work_pool.hpp"

#include <pthread.h>

#include "log.hpp"

namespace psc::server {

WorkPool::WorkPool(std::string name, std::size_t threads) : work_(boost::asio::make_work_guard(ioc_)) {
  for (std::size_t i = 0; i < std::max<std::size_t>(threads, 1); ++i)
    threads_.emplace_back([this, thread_name = (name + "-" + std::to_string(i)).substr(0, 15)] {
      pthread_setname_np(pthread_self(), thread_name.c_str());
      for (;;) {
        try {
          ioc_.run();
          return;
        } catch (const std::exception& e) {
          log_error(std::string("unexpected error in a worker thread: ") + e.what());
        } catch (...) {
          log_error("unexpected error in a worker thread");
        }
      }
    });
}

WorkPool::~WorkPool() { stop(); }

void WorkPool::post(std::function<void()> job) {
  boost::asio::post(ioc_, [job = std::move(job)] {
    try {
      job();
    } catch (const std::exception& e) {
      log_error(std::string("unexpected error in a background job: ") + e.what());
    } catch (...) {
      log_error("unexpected error in a background job");
    }
  });
}

void WorkPool::stop() {
  work_.reset();
  for (auto& thread : threads_)
    if (thread.joinable()) thread.join();
  threads_.clear();
}

}  // namespace psc::server
