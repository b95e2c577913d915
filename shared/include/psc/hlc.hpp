// Hybrid logical clock (Kulkarni et al.): 48-bit milliseconds + 16-bit counter.
//
// Every change is stamped with an Hlc. Stamps are monotonic on one device,
// stay close to physical time, and together with the device id give a total
// order across devices that no clock skew can break. The clock never reads
// time itself: callers pass the physical reading in, so the core stays pure
// and tests are deterministic.
//
// Text form: 16 lowercase hex digits (12 for millis, 4 for the counter), so the
// lexical order of the text equals the numeric order. It is text rather than a
// JSON number because 64 bits do not fit in a JavaScript double.
//
// Thread-safety: none; one clock per device (or per server writer thread).
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace psc {

struct Hlc {
  static constexpr uint64_t kMaxMillis = (uint64_t{1} << 48) - 1;
  static constexpr uint32_t kMaxCounter = 0xffff;

  uint64_t millis = 0;   // < 2^48
  uint32_t counter = 0;  // < 2^16

  auto operator<=>(const Hlc&) const = default;

  std::string to_text() const;
  // Parses the 16-hex-digit form; nullopt on anything else.
  static std::optional<Hlc> from_text(std::string_view text);
};

class HybridLogicalClock {
 public:
  // Stamp for a local event at physical time `physical_ms` (device clock).
  Hlc tick(uint64_t physical_ms);
  // Merge a stamp seen from elsewhere so later ticks order after it.
  void observe(const Hlc& remote, uint64_t physical_ms);
  // Correction added to every physical reading, learned from the server's
  // time at connection (server_time - local_time).
  void set_offset_ms(int64_t offset) { offset_ms_ = offset; }
  int64_t offset_ms() const { return offset_ms_; }
  const Hlc& last() const { return last_; }

 private:
  uint64_t corrected(uint64_t physical_ms) const;

  Hlc last_;
  int64_t offset_ms_ = 0;
};

}  // namespace psc
