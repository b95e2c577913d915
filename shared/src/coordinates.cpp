#include "psc/coordinates.hpp"

#include <cstdint>

namespace psc {
namespace {

// One signed decimal number of `text` from `at`, up to `end`: at most 3
// integer digits and 6 decimals. Advances `at` past it.
std::optional<double> parse_degrees(std::string_view text, std::size_t& at, std::size_t end) {
  const bool negative = at < end && text[at] == '-';
  if (negative) ++at;
  int64_t scaled = 0;  // the number times 10^decimals
  int integer_digits = 0, decimals = 0;
  while (at < end && text[at] >= '0' && text[at] <= '9' && integer_digits < 4) {
    scaled = scaled * 10 + (text[at++] - '0');
    ++integer_digits;
  }
  if (integer_digits == 0 || integer_digits > 3) return std::nullopt;
  if (at < end && text[at] == '.') {
    ++at;
    while (at < end && text[at] >= '0' && text[at] <= '9' && decimals < 7) {
      scaled = scaled * 10 + (text[at++] - '0');
      ++decimals;
    }
    if (decimals == 0 || decimals > 6) return std::nullopt;
  }
  if (at != end) return std::nullopt;
  double power = 1;
  for (int i = 0; i < decimals; ++i) power *= 10;  // exact: powers of ten up to 10^6 are doubles
  // One correctly rounded division: the double nearest the decimal text.
  const double value = static_cast<double>(scaled) / power;
  return negative ? -value : value;
}

}  // namespace

std::optional<Coordinates> parse_coordinates(std::string_view text) {
  const std::size_t comma = text.find(',');
  if (comma == std::string_view::npos) return std::nullopt;
  std::size_t at = 0;
  const auto latitude = parse_degrees(text, at, comma);
  at = comma + 1;
  const auto longitude = parse_degrees(text, at, text.size());
  if (!latitude || !longitude) return std::nullopt;
  if (*latitude < -90 || *latitude > 90 || *longitude < -180 || *longitude > 180) return std::nullopt;
  return Coordinates{*latitude, *longitude};
}

}  // namespace psc
