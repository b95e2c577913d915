#include "store_names.hpp"

#include <mutex>
#include <stdexcept>

namespace psc::server {

void StoreNames::load(SQLite::Database& writer) {
  SQLite::Statement all(writer, "SELECT id, name FROM names");
  while (all.executeStep()) {
    ids_.emplace(all.getColumn(1).getString(), all.getColumn(0).getInt64());
    written_names_.emplace(all.getColumn(0).getInt64(), all.getColumn(1).getString());
  }
}

int64_t StoreNames::id_for_write(SQLite::Database& writer, std::string_view name) {
  if (auto it = ids_.find(name); it != ids_.end()) return it->second;
  SQLite::Statement insert(writer, "INSERT INTO names(name) VALUES(?)");
  insert.bind(1, std::string(name));
  insert.exec();
  const int64_t id = writer.getLastInsertRowid();
  ids_.emplace(std::string(name), id);
  written_names_.emplace(id, std::string(name));
  added_.emplace_back(name);
  return id;
}

std::optional<int64_t> StoreNames::written_id(std::string_view name) const {
  if (auto it = ids_.find(name); it != ids_.end()) return it->second;
  return std::nullopt;
}

const std::string& StoreNames::written_name(int64_t id) const {
  if (auto it = written_names_.find(id); it != written_names_.end()) return it->second;
  throw std::runtime_error("the change store refers to name " + std::to_string(id) +
                           ", which table names lacks");
}

void StoreNames::rolled_back() {
  for (const auto& name : added_) {
    if (auto it = ids_.find(name); it != ids_.end()) {
      written_names_.erase(it->second);
      ids_.erase(it);
    }
  }
  added_.clear();
}

const std::string& StoreNames::name(SQLite::Database& reader, int64_t id) {
  {
    std::shared_lock lock(names_mutex_);
    if (auto it = names_.find(id); it != names_.end()) return it->second;
  }
  std::unique_lock lock(names_mutex_);
  if (id > loaded_up_to_) {
    // Every name the cache lacks, in one read: a page names a few at most.
    SQLite::Statement newer(reader, "SELECT id, name FROM names WHERE id > ?");
    newer.bind(1, loaded_up_to_);
    while (newer.executeStep()) {
      const int64_t found = newer.getColumn(0).getInt64();
      names_.emplace(found, newer.getColumn(1).getString());
      loaded_up_to_ = std::max(loaded_up_to_, found);
    }
  }
  if (auto it = names_.find(id); it != names_.end()) return it->second;
  throw std::runtime_error("the change store refers to name " + std::to_string(id) +
                           ", which table names lacks");
}

std::optional<int64_t> StoreNames::find(SQLite::Database& reader, std::string_view name) {
  SQLite::Statement s(reader, "SELECT id FROM names WHERE name = ?");
  s.bind(1, std::string(name));
  if (!s.executeStep()) return std::nullopt;
  return s.getColumn(0).getInt64();
}

}  // namespace psc::server
