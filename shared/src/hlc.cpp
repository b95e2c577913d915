#include "psc/hlc.hpp"

#include <algorithm>
#include <cstdio>

namespace psc {

std::string Hlc::to_text() const {
  // By hand rather than snprintf: every change id is built from this, many
  // times per change on the server's commit path.
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(16, '0');
  uint64_t m = millis;
  for (int i = 11; i >= 0; --i, m >>= 4) out[static_cast<std::size_t>(i)] = kHex[m & 0xf];
  unsigned c = counter;
  for (int i = 15; i >= 12; --i, c >>= 4) out[static_cast<std::size_t>(i)] = kHex[c & 0xf];
  return out;
}

std::optional<Hlc> Hlc::from_text(std::string_view text) {
  if (text.size() != 16) return std::nullopt;
  uint64_t bits = 0;
  for (char c : text) {
    int digit;
    if (c >= '0' && c <= '9')
      digit = c - '0';
    else if (c >= 'a' && c <= 'f')
      digit = c - 'a' + 10;
    else
      return std::nullopt;  // uppercase refused too: one text per stamp
    bits = (bits << 4) | static_cast<uint64_t>(digit);
  }
  return Hlc{bits >> 16, static_cast<uint32_t>(bits & 0xffff)};
}

uint64_t HybridLogicalClock::corrected(uint64_t physical_ms) const {
  const int64_t value = static_cast<int64_t>(physical_ms) + offset_ms_;
  if (value < 0) return 0;
  return std::min<uint64_t>(static_cast<uint64_t>(value), Hlc::kMaxMillis);
}

Hlc HybridLogicalClock::tick(uint64_t physical_ms) {
  const uint64_t now = corrected(physical_ms);
  if (now > last_.millis) {
    last_ = Hlc{now, 0};
  } else if (last_.counter < Hlc::kMaxCounter) {
    ++last_.counter;
  } else {
    // 65,536 events in one millisecond: borrow the next millisecond.
    last_ = Hlc{last_.millis + 1, 0};
  }
  return last_;
}

void HybridLogicalClock::observe(const Hlc& remote, uint64_t physical_ms) {
  const uint64_t now = corrected(physical_ms);
  if (remote > last_) last_ = remote;
  if (now > last_.millis) last_ = Hlc{now, 0};
}

}  // namespace psc
