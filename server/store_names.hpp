// StoreNames: the change store's dictionary of the short names every change
// repeats — record types, fields, devices, actors, neighborhoods. Each name is
// kept once, in table `names`, and a stored change refers to it by its integer
// id (one or two bytes in a row instead of 8–40 of text, on every row).
//
// Names are only ever added, never changed or removed, so an id read from a
// committed row always means the same name.
//
// Thread-safety: the writer side is called from the store's writer thread
// only; the reader side from any thread, several at once.
#pragma once

#include <cstdint>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>

namespace psc::server {

class StoreNames {
 public:
  static constexpr const char* kSchema =
      "CREATE TABLE IF NOT EXISTS names (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)";

  // --- writer side ---
  // Reads every committed name (once, when the store opens).
  void load(SQLite::Database& writer);
  // The id of `name`, added to the table inside the writer's open transaction
  // when new.
  int64_t id_for_write(SQLite::Database& writer, std::string_view name);
  // The writer's view, its open transaction included: the id of a known
  // name, or the name of an id it has seen (load or id_for_write).
  std::optional<int64_t> written_id(std::string_view name) const;
  const std::string& written_name(int64_t id) const;  // throws std::runtime_error for an unknown id
  // After the transaction ends. A rolled-back name is forgotten: SQLite hands
  // its id out again.
  void committed() { added_.clear(); }
  void rolled_back();

  // --- reader side ---
  // The name of `id` as stored. `reader` is the connection whose snapshot
  // held the row that named it; the first use of an id reads the names the
  // cache lacks from it. The reference stays valid for the store's life.
  // Throws std::runtime_error for an id the table does not hold (a damaged
  // file).
  const std::string& name(SQLite::Database& reader, int64_t id);
  // The id of `name` as `reader` sees it, or nullopt: no stored change has it.
  static std::optional<int64_t> find(SQLite::Database& reader, std::string_view name);

 private:
  // Writer's own map (one thread: no lock).
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, int64_t, Hash, std::equal_to<>> ids_;
  std::unordered_map<int64_t, std::string> written_names_;
  std::vector<std::string> added_;  // names added in the open transaction

  // Readers' map: node-based, entries never erased, so a returned reference
  // outlives the lock.
  std::shared_mutex names_mutex_;
  std::unordered_map<int64_t, std::string> names_;  // GUARDED_BY(names_mutex_)
  int64_t loaded_up_to_ = 0;                        // GUARDED_BY(names_mutex_)
};

}  // namespace psc::server
