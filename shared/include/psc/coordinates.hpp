// A place as a priority carries it (issue 14, places): "latitude,longitude"
// in decimal degrees (WGS84, what a tablet's GPS gives), for example
// "41.7637,-72.6851". Each number has at most 3 integer digits and 6
// decimals (about 0.1 m), no spaces, no '+', no exponent; latitude within
// [-90, 90], longitude within [-180, 180].
//
// One text field, not two numbers: the merge keeps one device's whole
// position, never one tablet's latitude with another's longitude, and a
// text value encodes the same way natively and in WebAssembly (no floating
// point in the wire form or in a change's id).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace psc {

struct Coordinates {
  double latitude = 0;
  double longitude = 0;
};

// nullopt when `text` is not of the form above or out of range. Each number
// is the double nearest its decimal text (an integer divided by a power of
// ten), the same on every platform.
std::optional<Coordinates> parse_coordinates(std::string_view text);

}  // namespace psc
