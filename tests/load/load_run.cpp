#include "load_run.hpp"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "simulated_device.hpp"

namespace psc::load {

uint64_t wall_ms() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

double seconds_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

LoadRun::LoadRun(LoadOptions options)
    : options_(std::move(options)),
      io_(options_.threads),
      endpoint_(net::ip::make_address_v4("127.0.0.1"), options_.port),
      decoder_(directory_, options_.decode_cache_changes) {}

LoadRun::~LoadRun() { stop(); }

Status LoadRun::load_tokens() {
  if (options_.tokens_file.empty()) return Status::ok();
  std::ifstream in(options_.tokens_file);
  if (!in) return Status::error("tokens", "cannot read " + options_.tokens_file);
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    std::istringstream fields(line);
    std::string device, token, extra;
    if (!(fields >> device)) continue;  // blank line
    if (!(fields >> token) || (fields >> extra))
      return Status::error("tokens",
                           options_.tokens_file + ":" + std::to_string(number) + ": expected 'DEVICE TOKEN'");
    tokens_[device] = token;
  }
  return Status::ok();
}

void LoadRun::start() {
  work_.emplace(net::make_work_guard(io_));
  for (int i = 0; i < options_.threads; ++i) threads_.emplace_back([this] { io_.run(); });
}

void LoadRun::stop() {
  work_.reset();
  io_.stop();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
}

net::ip::address_v4 LoadRun::next_source_address() {
  const uint32_t n = next_source_.fetch_add(1) % static_cast<uint32_t>(options_.source_addresses);
  return net::ip::address_v4((127u << 24) | (n + 1));
}

std::string LoadRun::host_header() const { return "127.0.0.1:" + std::to_string(options_.port); }

const std::string& LoadRun::token_for(const std::string& device) const {
  static const std::string kNone;
  auto it = tokens_.find(device);
  return it == tokens_.end() ? kNone : it->second;
}

void LoadRun::note_error(const std::string& message) {
  {
    std::lock_guard lock(errors_mutex_);
    ++error_count_;
    if (errors_.size() < 100) errors_.push_back(message);
    if (error_count_ <= 10) std::cerr << "psc-load: " << message << std::endl;
  }
  notify();
}

std::vector<std::string> LoadRun::errors() const {
  std::lock_guard lock(errors_mutex_);
  return errors_;
}

uint64_t LoadRun::error_count() const {
  std::lock_guard lock(errors_mutex_);
  return error_count_;
}

void LoadRun::trace(const std::string& device, const std::string& event) {
  if (!options_.trace) return;
  char when[32];
  std::snprintf(when, sizeof when, "%.6f", seconds_between(started_, Clock::now()));
  std::lock_guard lock(trace_mutex_);
  std::cerr << "trace " << when << ' ' << device << ' ' << event << '\n';
}

void LoadRun::notify() {
  {
    std::lock_guard lock(wake_mutex_);
    ++wake_generation_;
  }
  wake_.notify_all();
}

bool LoadRun::wait_until(const std::function<bool()>& done, const std::string& what) {
  const auto deadline = Clock::now() + std::chrono::seconds(options_.timeout_s);
  std::unique_lock lock(wake_mutex_);
  for (;;) {
    const uint64_t seen = wake_generation_;
    lock.unlock();
    if (done()) return true;
    if (error_count() > 0) return false;  // fail fast: the run has failed already
    if (Clock::now() >= deadline) {
      note_error("timed out after " + std::to_string(options_.timeout_s) + " s waiting for " + what);
      return false;
    }
    lock.lock();
    wake_.wait_for(lock, std::chrono::milliseconds(50), [&] { return wake_generation_ != seen; });
  }
}

bool LoadRun::connect_paced(const std::vector<std::shared_ptr<SimulatedDevice>>& devices,
                            const std::string& what) {
  const uint64_t ready_before = counters_.ready.load(), failed_before = counters_.failed.load();
  auto finished = [&] {
    return static_cast<int64_t>((counters_.ready.load() - ready_before) +
                                (counters_.failed.load() - failed_before));
  };
  const int64_t window = options_.connect_concurrency;
  const auto total = static_cast<int64_t>(devices.size());
  int64_t issued = 0;
  while (issued < total) {
    if (!wait_until([&] { return issued - finished() < window; }, what)) return false;
    while (issued < total && issued - finished() < window)
      devices[static_cast<std::size_t>(issued++)]->connect();
  }
  if (!wait_until([&] { return finished() >= total; }, what)) return false;
  return counters_.failed.load() == failed_before;
}

}  // namespace psc::load
