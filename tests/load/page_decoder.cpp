#include "page_decoder.hpp"

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <nlohmann/json.hpp>

namespace psc::load {

void RecordDirectory::set_neighborhoods(std::vector<std::string> slugs) {
  slugs_ = std::move(slugs);
  for (std::size_t i = 0; i < slugs_.size(); ++i) slug_index_[slugs_[i]] = static_cast<int>(i);
  ++generation_;
}

int RecordDirectory::neighborhood_index(const std::string& slug) const {
  auto it = slug_index_.find(slug);
  return it == slug_index_.end() ? -1 : it->second;
}

void RecordDirectory::add_record(const std::string& record_id, int neighborhood) {
  std::unique_lock lock(mutex_);
  records_[record_id] = neighborhood;
  ++generation_;
}

int RecordDirectory::scope_of(const Change& change) const {
  if (change.record_type == "neighborhood") return neighborhood_index(change.record_id);
  std::shared_lock lock(mutex_);
  auto it = records_.find(change.record_id);
  return it == records_.end() ? -1 : it->second;
}

namespace {

// A `changes` page over kMaxMessageBytes, decoded as decode_server_message
// would if it had no size limit.
Result<ServerMessage> decode_oversized_page(std::string_view text) {
  using nlohmann::json;
  json object = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (object.is_discarded() || !object.is_object())
    return Status::error("malformed_json", "oversized message is not a JSON object");
  if (!object.contains("type") || object["type"] != "changes")
    return Status::error("too_large", "a message other than a changes page is over " +
                                          std::to_string(kMaxMessageBytes) + " bytes");
  if (!object.contains("changes") || !object["changes"].is_array() || !object.contains("cursor") ||
      !object["cursor"].is_number_integer() || !object.contains("more") || !object["more"].is_boolean())
    return Status::error("malformed_message", "oversized changes page lacks changes, cursor or more");
  ChangesPage page;
  page.cursor = object["cursor"];
  page.more = object["more"];
  page.changes.reserve(object["changes"].size());
  for (const auto& entry : object["changes"]) {
    auto change = change_from_json(entry);
    if (!change) return change.status();
    page.changes.push_back(std::move(change.value()));
  }
  return ServerMessage{std::move(page)};
}

}  // namespace

PageDecoder::PageDecoder(const RecordDirectory& directory, std::size_t cache_changes)
    : directory_(directory), cache_changes_(cache_changes) {}

Result<std::shared_ptr<const DecodedMessage>> PageDecoder::decode(std::string_view text) {
  const XXH128_hash_t hash = XXH3_128bits(text.data(), text.size());
  const Key key{hash.high64, hash.low64, text.size()};
  {
    std::lock_guard lock(mutex_);
    if (auto it = index_.find(key); it != index_.end()) {
      lru_.splice(lru_.begin(), lru_, it->second);
      ++hits_;
      return it->second->decoded;
    }
  }
  ++misses_;
  uint64_t largest = largest_.load();
  while (text.size() > largest && !largest_.compare_exchange_weak(largest, text.size())) {
  }

  auto decoded = std::make_shared<DecodedMessage>();
  if (text.size() > kMaxMessageBytes) {
    auto message = decode_oversized_page(text);
    if (!message) return message.status();
    decoded->message = std::move(message.value());
    decoded->oversized = true;
    ++oversized_;
  } else {
    auto message = decode_server_message(text);
    if (!message) return message.status();
    decoded->message = std::move(message.value());
  }
  const auto* page = std::get_if<ChangesPage>(&decoded->message);
  if (!page || page->changes.empty()) return std::shared_ptr<const DecodedMessage>(std::move(decoded));

  decoded->directory_generation = directory_.generation();
  decoded->scope.reserve(page->changes.size());
  for (const auto& change : page->changes) decoded->scope.push_back(directory_.scope_of(change));
  std::shared_ptr<const DecodedMessage> shared = std::move(decoded);
  const std::size_t changes = page->changes.size();
  if (changes <= cache_changes_) {
    std::lock_guard lock(mutex_);
    if (!index_.count(key)) {
      lru_.push_front({key, shared, changes});
      index_[key] = lru_.begin();
      cached_changes_ += changes;
      while (cached_changes_ > cache_changes_ && !lru_.empty()) {
        cached_changes_ -= lru_.back().changes;
        index_.erase(lru_.back().key);
        lru_.pop_back();
      }
    }
  }
  return shared;
}

}  // namespace psc::load
