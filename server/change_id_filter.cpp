#include "change_id_filter.hpp"

#include <algorithm>
#include <functional>

namespace psc::server {

uint64_t ChangeIdFilter::hash(std::string_view id) {
  const uint64_t h = std::hash<std::string_view>{}(id);
  return h == 0 ? 1 : h;
}

void ChangeIdFilter::insert(std::string_view id) {
  if ((size_ + 1) * 2 > slots_.size()) {
    std::vector<uint64_t> old(std::max<std::size_t>(1024, slots_.size() * 2), 0);
    old.swap(slots_);
    size_ = 0;
    for (uint64_t h : old)
      if (h) {
        std::size_t i = h & (slots_.size() - 1);
        while (slots_[i]) i = (i + 1) & (slots_.size() - 1);
        slots_[i] = h;
        ++size_;
      }
  }
  const uint64_t h = hash(id);
  std::size_t i = h & (slots_.size() - 1);
  while (slots_[i]) {
    if (slots_[i] == h) return;
    i = (i + 1) & (slots_.size() - 1);
  }
  slots_[i] = h;
  ++size_;
}

bool ChangeIdFilter::may_contain(std::string_view id) const {
  if (slots_.empty()) return false;
  const uint64_t h = hash(id);
  for (std::size_t i = h & (slots_.size() - 1); slots_[i]; i = (i + 1) & (slots_.size() - 1))
    if (slots_[i] == h) return true;
  return false;
}

std::string ChangeIdFilter::to_bytes() const {
  std::string out;
  out.reserve(slots_.size() * 8);
  for (uint64_t slot : slots_)
    for (int b = 0; b < 8; ++b) out += static_cast<char>((slot >> (8 * b)) & 0xff);
  return out;
}

std::optional<ChangeIdFilter> ChangeIdFilter::from_bytes(std::string_view bytes) {
  ChangeIdFilter filter;
  const std::size_t n = bytes.size() / 8;
  if (bytes.size() % 8 != 0 || (n & (n - 1)) != 0) return std::nullopt;  // a power of two slots, or none
  filter.slots_.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    uint64_t slot = 0;
    for (int b = 0; b < 8; ++b) slot |= uint64_t{static_cast<unsigned char>(bytes[i * 8 + b])} << (8 * b);
    filter.slots_[i] = slot;
    if (slot) ++filter.size_;
  }
  if (n && filter.size_ * 2 > n) return std::nullopt;
  return filter;
}

}  // namespace psc::server
