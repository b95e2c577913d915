// The sync protocol: messages between a device and the server, and their JSON
// codec. Every message is a JSON text frame {"type": ..., ...}.
//
//   device -> server  hello   {version, device, token, cursor, unsynced}
//   server -> device  welcome {version, server_time, device, actor, role, neighborhood, department,
//                              max_message_bytes, max_batch}
//   server -> device  changes {changes[], cursor, more}   catch-up pages, then live
//   device -> server  push    {batch, changes[]}
//   server -> device  ack     {batch, accepted[], rejected[{change, code, message}]}
//   server -> device  error   {code, message}             fatal ones are followed by close
//
// `cursor` is the server sequence of the last change the device has been
// sent; a device stores it only after it has durably stored the page.
// A device is not sent its own changes back (those whose `device` is the
// hello's: it stored them before pushing them); a page's cursor still
// covers them. A push whose ack was lost is sent again and acknowledged
// again (already stored, never stored twice).
// Decoding is strict: a bad message yields an error Status with a clear
// message, never an exception or a crash.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "psc/change.hpp"
#include "psc/status.hpp"

namespace psc {

inline constexpr int kProtocolVersion = 1;
// Largest message the decoder accepts; the server enforces its own limit too.
inline constexpr std::size_t kMaxMessageBytes = 4 * 1024 * 1024;

struct Hello {
  int version = kProtocolVersion;
  std::string device;
  std::string token;
  int64_t cursor = 0;
  int64_t unsynced = 0;
  // The store epoch the cursor belongs to (the welcome's), empty when the
  // device has none yet. A store restored from a backup gets a new epoch:
  // the server then ignores the cursor and sends everything again.
  std::string epoch;
};

// A change the server (or the decoder) refused, and why.
struct Rejection {
  std::string change;  // change id, or "#<index>" when no id could be read
  std::string code;
  std::string message;
  bool operator==(const Rejection&) const = default;
};

struct Push {
  std::string batch;
  std::vector<Change> changes;
  // Entries of changes[] that could not be decoded; reported back in the ack.
  std::vector<Rejection> malformed;
};

struct Welcome {
  int version = kProtocolVersion;
  int64_t server_time = 0;  // ms since epoch, for the device's clock offset
  std::string device;
  std::string actor;         // the account: every change this device sends must carry it as actor
  std::string role;
  std::string neighborhood;  // organizer, kiosk, neighborhood viewer
  std::string department;    // liaison
  int64_t max_message_bytes = 0;
  int64_t max_batch = 0;
  std::string epoch;      // the store's epoch: the device keeps it with its cursor
  int64_t cursor = 0;     // where catch-up starts: the hello's cursor, or 0 after a restore
};

struct ChangesPage {
  std::vector<Change> changes;
  int64_t cursor = 0;
  bool more = false;
};

struct Ack {
  std::string batch;
  std::vector<std::string> accepted;
  std::vector<Rejection> rejected;
  // How many of `accepted` were already stored (a resend). Not on the wire:
  // the server's hand-off answer and custody bookkeeping use it.
  int64_t already_stored = 0;
};

struct ErrorMessage {
  std::string code;
  std::string message;
};

using ClientMessage = std::variant<Hello, Push>;
using ServerMessage = std::variant<Welcome, ChangesPage, Ack, ErrorMessage>;

Result<ClientMessage> decode_client_message(std::string_view text);
Result<ServerMessage> decode_server_message(std::string_view text);

std::string encode(const Hello& message);
std::string encode(const Push& message);
std::string encode(const Welcome& message);
std::string encode(const ChangesPage& message);
std::string encode(const Ack& message);
std::string encode(const ErrorMessage& message);

// A changes page from changes already in wire form (as the server stores
// them), without re-parsing them. REQUIRES: each entry is encode_change output.
std::string encode_changes_page(const std::vector<std::string>& encoded_changes, int64_t cursor,
                                bool more);

}  // namespace psc
