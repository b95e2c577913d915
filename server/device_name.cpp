#include "device_name.hpp"

namespace psc::server {

namespace {

Status invalid(std::string message) { return Status::error("invalid_device_name", std::move(message)); }

// The number of UTF-8 sequences, or -1 when `text` is not UTF-8 or holds a
// control character (C0, DEL or C1: they would break a byline or a log line).
long characters(std::string_view text) {
  long count = 0;
  for (std::size_t i = 0; i < text.size(); ++count) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const std::size_t length = lead < 0x80           ? 1
                               : (lead >> 5) == 0x6  ? 2
                               : (lead >> 4) == 0xE  ? 3
                               : (lead >> 3) == 0x1E ? 4
                                                     : 0;
    if (length == 0 || i + length > text.size()) return -1;
    for (std::size_t k = 1; k < length; ++k)
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return -1;
    if (lead < 0x20 || lead == 0x7F) return -1;
    if (lead == 0xC2 && static_cast<unsigned char>(text[i + 1]) < 0xA0) return -1;  // U+0080..U+009F
    i += length;
  }
  return count;
}

}  // namespace

Result<std::string> clean_device_name(std::string_view text) {
  const auto space = [](char c) { return c == ' ' || c == '\t'; };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  const long count = characters(text);
  if (count < 0) return invalid("a device name cannot hold control characters or bytes that are not UTF-8");
  if (static_cast<std::size_t>(count) > kMaxDeviceNameCharacters)
    return invalid("a device name is at most " + std::to_string(kMaxDeviceNameCharacters) + " characters");
  return std::string(text);
}

}  // namespace psc::server
