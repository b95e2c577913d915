// PageDecoder: server messages decoded through the core's codec, once per
// distinct text.
//
// Every device of a city receives the same live pages (the server encodes a
// committed range once and sends the same bytes to every session), and devices
// catching up from the same cursor get the same catch-up pages. Decoding such
// a page once and sharing the result keeps the tool's CPU for the network,
// where a real device has its own CPU anyway. Each device still reads and
// counts every byte it is sent, and applies the changes itself.
//
// Pages larger than psc::kMaxMessageBytes (which decode_server_message
// refuses) are decoded change by change with psc::change_from_json and
// counted: the server does not bound the size of live pages.
//
// RecordDirectory maps record ids to neighborhoods so a device can apply only
// its own neighborhood's changes (what a scoped device would be sent).
//
// Thread-safety: both are safe to use from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "psc/protocol.hpp"

namespace psc::load {

class RecordDirectory {
 public:
  // REQUIRES: called once, before any lookup.
  void set_neighborhoods(std::vector<std::string> slugs);
  const std::vector<std::string>& neighborhoods() const { return slugs_; }
  // Index of a neighborhood slug, -1 when unknown.
  int neighborhood_index(const std::string& slug) const;

  void add_record(const std::string& record_id, int neighborhood);
  // The neighborhood of the record a change is about, -1 when unknown.
  int scope_of(const Change& change) const;
  // Changes with every set_neighborhoods and add_record: scopes computed at
  // an older generation may be out of date.
  uint64_t generation() const { return generation_.load(); }

 private:
  std::vector<std::string> slugs_;
  std::unordered_map<std::string, int> slug_index_;
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, int> records_;  // GUARDED_BY(mutex_)
  std::atomic<uint64_t> generation_{0};
};

struct DecodedMessage {
  ServerMessage message;
  std::vector<int> scope;             // changes pages: neighborhood index per change, -1 unknown
  uint64_t directory_generation = 0;  // RecordDirectory::generation() scope was computed at
  bool oversized = false;
};

class PageDecoder {
 public:
  PageDecoder(const RecordDirectory& directory, std::size_t cache_changes);

  Result<std::shared_ptr<const DecodedMessage>> decode(std::string_view text);

  uint64_t hits() const { return hits_; }
  uint64_t misses() const { return misses_; }
  uint64_t oversized() const { return oversized_; }
  uint64_t largest_bytes() const { return largest_; }

 private:
  struct Key {
    uint64_t high = 0, low = 0;
    std::size_t size = 0;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const { return static_cast<std::size_t>(k.low ^ (k.high * 31)); }
  };
  struct Entry {
    Key key;
    std::shared_ptr<const DecodedMessage> decoded;
    std::size_t changes = 0;
  };

  const RecordDirectory& directory_;
  const std::size_t cache_changes_;
  std::mutex mutex_;
  std::list<Entry> lru_;  // GUARDED_BY(mutex_), most recent first
  std::unordered_map<Key, std::list<Entry>::iterator, KeyHash> index_;  // GUARDED_BY(mutex_)
  std::size_t cached_changes_ = 0;                                      // GUARDED_BY(mutex_)
  std::atomic<uint64_t> hits_{0}, misses_{0}, oversized_{0}, largest_{0};
};

}  // namespace psc::load
