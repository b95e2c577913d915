// An in-memory ChangeStore for the server's unit tests: the same contract as
// SqliteChangeStore (sequences 1, 2, 3...; nothing visible before commit;
// append refuses a stored id), no disk.
#pragma once

#include <map>
#include <mutex>
#include <stdexcept>
#include <unordered_map>

#include "change_store.hpp"
#include "psc/authorization.hpp"

namespace psc::server::test {

class MemoryChangeStore : public ChangeStore {
 public:
  void begin() override {
    std::lock_guard lock(mutex_);
    pending_.clear();
    in_transaction_ = true;
  }
  void commit() override {
    std::lock_guard lock(mutex_);
    for (auto& row : pending_) {
      by_id_[row.id] = rows_.size();
      rows_.push_back(std::move(row));
    }
    for (auto& [k, v] : pending_meta_) meta_[k] = v;
    pending_.clear();
    pending_meta_.clear();
    in_transaction_ = false;
    ++commits;
  }
  void rollback() override {
    std::lock_guard lock(mutex_);
    pending_.clear();
    pending_meta_.clear();
    in_transaction_ = false;
  }
  std::optional<int64_t> append(const Change& change, const std::string& id, const std::string& body,
                                std::string_view neighborhood, int64_t received_at_ms) override {
    std::lock_guard lock(mutex_);
    if (by_id_.count(id)) return std::nullopt;
    for (const auto& row : pending_)
      if (row.id == id) return std::nullopt;
    const int64_t seq = static_cast<int64_t>(rows_.size() + pending_.size()) + 1;
    pending_.push_back({seq, id, body, change.record_type, change.record_id, std::string(neighborhood),
                        change.device, received_at_ms});
    return seq;
  }
  std::optional<std::string> find_body(const std::string& change_id) override {
    std::lock_guard lock(mutex_);
    auto it = by_id_.find(change_id);
    if (it == by_id_.end()) return std::nullopt;
    return rows_[it->second].body;
  }
  std::optional<std::string> meta(const std::string& key) override {
    std::lock_guard lock(mutex_);
    auto it = meta_.find(key);
    if (it == meta_.end()) return std::nullopt;
    return it->second;
  }
  void set_meta(const std::string& key, const std::string& value) override {
    std::lock_guard lock(mutex_);
    pending_meta_[key] = value;
  }
  void for_each(int64_t after, const std::function<void(int64_t seq, const Change&)>& visit) override {
    std::vector<StoredChange> copy;
    {
      std::lock_guard lock(mutex_);
      for (const auto& row : rows_)
        if (row.seq > after) copy.push_back({row.seq, row.body});
    }
    for (const auto& row : copy) {
      auto change = change_from_json(nlohmann::json::parse(row.body));
      if (!change) throw std::runtime_error("stored change " + std::to_string(row.seq) + " is unreadable");
      visit(row.seq, change.value());
    }
  }
  ScopedPage read_page(int64_t after, std::size_t limit, const ReadScope& scope,
                       const std::string& skip_device) override {
    std::lock_guard lock(mutex_);
    ScopedPage page;
    for (const auto& row : rows_) {
      if (row.seq <= after) continue;
      if (!may_read(scope, row.type, row.neighborhood)) continue;
      if (!skip_device.empty() && row.device == skip_device) continue;
      page.changes.push_back({row.seq, row.body});
      if (page.changes.size() == limit) break;
    }
    page.more = page.changes.size() == limit;
    page.cursor =
        page.more ? page.changes.back().seq : std::max<int64_t>(after, static_cast<int64_t>(rows_.size()));
    return page;
  }
  int64_t last_sequence() override {
    std::lock_guard lock(mutex_);
    return static_cast<int64_t>(rows_.size());
  }
  std::vector<HistoryEntry> record_history(const std::string& type, const std::string& id) override {
    std::lock_guard lock(mutex_);
    std::vector<HistoryEntry> out;
    for (const auto& row : rows_)
      if (row.type == type && row.record == id) out.push_back({row.seq, row.received_at, row.body});
    return out;
  }

  std::size_t size() {
    std::lock_guard lock(mutex_);
    return rows_.size();
  }
  int commits = 0;

 private:
  struct Row {
    int64_t seq;
    std::string id, body, type, record, neighborhood, device;
    int64_t received_at;
  };
  std::mutex mutex_;
  bool in_transaction_ = false;
  std::vector<Row> rows_;
  std::vector<Row> pending_;
  std::unordered_map<std::string, std::size_t> by_id_;
  std::map<std::string, std::string> meta_, pending_meta_;
};

}  // namespace psc::server::test
