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
  std::string actor;  // the account: every change this device sends must carry it as actor
  std::string role;
  std::string neighborhood;  // organizer, kiosk, neighborhood viewer
  std::string department;    // liaison
  int64_t max_message_bytes = 0;
  int64_t max_batch = 0;
  std::string epoch;   // the store's epoch: the device keeps it with its cursor
  int64_t cursor = 0;  // where catch-up starts: the hello's cursor, or 0 after a restore
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

// The entries of a JSON array of changes (a push's, a hand-off file's): those
// that decode go to `changes`, each other one to `malformed` as a Rejection
// named by its "id" when it has a short string one, else "#<index>".
void decode_change_entries(const nlohmann::json& entries, std::vector<Change>& changes,
                           std::vector<Rejection>& malformed);
// Rejections as an ack carries them: [{"change","code","message"}].
nlohmann::json rejections_to_json(const std::vector<Rejection>& rejected);

// A `changes` message from changes already in wire form (as the server keeps
// them), without re-parsing them: kChangesPagePrefix, the changes'
// encode_change texts joined by commas, then changes_page_suffix. The server
// writes the three pieces to the socket as they are (a page's joined bodies
// are shared by every session it goes to); encode_changes_page joins them.
inline constexpr std::string_view kChangesPagePrefix = R"({"type":"changes","changes":[)";
inline constexpr std::size_t kMaxChangesPageSuffixBytes = 48;
// Writes the suffix into `out` (room for kMaxChangesPageSuffixBytes); returns its length.
std::size_t changes_page_suffix(int64_t cursor, bool more, char* out);
// REQUIRES: `joined_bodies` is encode_change outputs joined by commas.
std::string encode_changes_page(std::string_view joined_bodies, int64_t cursor, bool more);

// The bodies of a `changes` message being joined, under a byte limit (room
// for the envelope left aside by the caller): the one place that decides how
// bodies are joined and when the next one no longer fits.
class JoinedBodies {
 public:
  explicit JoinedBodies(std::size_t limit = static_cast<std::size_t>(-1)) : limit_(limit) {}
  // Whether `body` may still be added: the first always may (a page carries
  // at least one change, however large: the message limit is checked on push).
  bool fits(std::string_view body) const { return fits(text_.size(), body.size(), limit_); }
  // The same rule for a text of `joined` bytes kept elsewhere (0: empty).
  static bool fits(std::size_t joined, std::size_t body, std::size_t limit) {
    return joined == 0 || joined + 1 + body <= limit;
  }
  // Adds `body`; returns the offset where it starts in the joined text.
  std::size_t add(std::string_view body) {
    if (!text_.empty()) text_ += ',';
    const std::size_t offset = text_.size();
    text_ += body;
    return offset;
  }
  void reserve(std::size_t bytes) { text_.reserve(bytes); }
  bool empty() const { return text_.empty(); }
  std::size_t size() const { return text_.size(); }
  std::string take() { return std::move(text_); }

 private:
  std::size_t limit_;
  std::string text_;
};

}  // namespace psc
