#include "custody_writer.hpp"

#include <chrono>
#include <memory>

#include <pthread.h>

#include "log.hpp"

namespace psc::server {

namespace {
// Updates that arrive together (a hundred tablets reconnecting) share a
// transaction: the writer waits this long after the first before writing.
constexpr auto kGatherFor = std::chrono::milliseconds(20);
}  // namespace

CustodyWriter::CustodyWriter(AccountDatabaseAt at) : at_(std::move(at)) {
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "psc-custody");
    run();
  });
}

CustodyWriter::~CustodyWriter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void CustodyWriter::hello(std::string token_digest, int64_t cursor, int64_t unsynced, int64_t now_ms) {
  enqueue(Update{true, std::move(token_digest), cursor, unsynced, now_ms});
}

void CustodyWriter::delivered(std::string token_digest, int64_t delivered, int64_t now_ms) {
  enqueue(Update{false, std::move(token_digest), 0, delivered, now_ms});
}

void CustodyWriter::enqueue(Update update) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(update));
    ++queued_;
  }
  wake_.notify_one();
}

void CustodyWriter::flush() {
  std::unique_lock lock(mutex_);
  const uint64_t target = queued_;
  wake_.notify_one();
  written_.wait(lock, [&] { return written_count_ >= target; });
}

void CustodyWriter::run() {
  std::unique_ptr<SqlDatabase> db;
  try {
    db = open_database(at_);
  } catch (const std::exception& e) {
    log_error(std::string("custody writer cannot open the database: ") + e.what());
  }
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty() && stopping_) return;
    if (!stopping_) wake_.wait_for(lock, kGatherFor, [&] { return stopping_; });
    std::vector<Update> batch;
    batch.swap(queue_);
    lock.unlock();
    try {
      if (db) {
        SqlTransaction tx(*db);
        // (CAST: PostgreSQL infers one type per parameter, and `$3 > 0`
        // alone would make it an integer where the column is a bigint.)
        for (const Update& u : batch) {
          if (u.is_hello)
            db->execute(
                "UPDATE device_tokens SET last_seen_at = $1, last_cursor = $2, reported_unsynced = $3, "
                "unsynced_since = CASE WHEN CAST($3 AS BIGINT) > 0 THEN coalesce(unsynced_since, $1) END "
                "WHERE token_digest = $4",
                {u.now_ms, u.cursor, u.count, u.token_digest});
          else  // SET expressions read the row as it was, so both see the old count.
            db->execute(
                "UPDATE device_tokens SET "
                "reported_unsynced = CASE WHEN reported_unsynced > $1 THEN reported_unsynced - $1 ELSE 0 "
                "END, "
                "unsynced_since = CASE WHEN reported_unsynced > $1 THEN unsynced_since END, "
                "last_seen_at = CASE WHEN coalesce(last_seen_at, 0) > $2 THEN last_seen_at ELSE $2 END "
                "WHERE token_digest = $3",
                {u.count, u.now_ms, u.token_digest});
        }
        tx.commit();
      }
    } catch (const std::exception& e) {
      // Custody is advisory (the devices screen); the changes themselves are
      // not affected. Say so and go on.
      log_error(std::string("custody update failed: ") + e.what());
    }
    lock.lock();
    written_count_ += batch.size();
    written_.notify_all();
  }
}

}  // namespace psc::server
