// A fast reader of the bulk wire forms: a JSON array of changes, a push and
// a changes page (protocol.hpp).
//
// These are most of what the server and every device decode, change by
// change, so they are read by a small hand-written scanner straight into
// Change, with no json object or parser event per token. The scanner only
// reads what it is sure of: JSON in the shapes the codec writes (any key
// order and whitespace, escapes, UTF-8 validated as nlohmann's parser does,
// integer values). At anything else (a repeated or unknown key, a float, a
// value of another type, a change change_from_parts refuses, a message over
// kMaxMessageBytes) it answers nullopt and the caller uses the general
// decoder, which gives the same result or the error message.
// tests/core/protocol_test.cpp compares the two.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "psc/change.hpp"
#include "psc/protocol.hpp"

namespace psc {

// `[change, ...]`. With `texts`, also each change's own JSON text (views
// into `text`, in order): a device forwards the text it checked, as it is.
std::optional<std::vector<Change>> scan_change_array(std::string_view text,
                                                     std::vector<std::string_view>* texts = nullptr);
// `{"type":"changes","changes":[...],"cursor":n,"more":b}`, keys in any order.
std::optional<ChangesPage> scan_changes_page(std::string_view text);
// `{"type":"push","batch":"...","changes":[...]}`, keys in any order, every change valid.
std::optional<Push> scan_push(std::string_view text);

// The text of a push around its changes array: encode(push) is
// head + "[" + the encoded changes joined by "," + "]" + tail. A device that
// has the array's text already, and has checked it (scan_change_array), sends
// head + that text + tail.
struct PushFrame {
  std::string head, tail;
};
PushFrame push_frame(const std::string& batch);

}  // namespace psc
