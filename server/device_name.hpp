// Device names: what people call a tablet or laptop ("Frog Hollow tablet 2"),
// shown wherever its random id ("web-40233db8a216d12d") would be.
//
// A name is chosen at sign-in, by the device for itself (account page) or by
// a coordinator (devices screen). It belongs to the device id, not to the
// account that chose it, and is not a meeting record: it never needs merging,
// so it lives on the server beside the device tokens and reaches devices as
// a list (GET /api/device-names) that they keep for offline use. A rename
// changes every byline at once, which is what people expect of a name.
#pragma once

#include <string>
#include <string_view>

#include "psc/status.hpp"

namespace psc::server {

inline constexpr std::size_t kMaxDeviceNameCharacters = 60;

// `text` as a name: spaces at either end trimmed; refused (`invalid_device_name`)
// when longer than kMaxDeviceNameCharacters characters, not UTF-8, or holding
// a control character. "" (or only spaces) is a valid answer: no name.
Result<std::string> clean_device_name(std::string_view text);

}  // namespace psc::server
