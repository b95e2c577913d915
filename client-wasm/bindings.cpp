// The browser's view of the core: a thin embind surface, JSON text in and out.
//
// All logic lives in shared/. Nothing here throws into JavaScript: every call
// that can fail returns {"ok":false,"code","message"}, and web/js/core.js turns
// that into a JS Error where the caller wants one.
//
// Bulk text (server messages, stored changes, pushes, views of many records)
// does not go through embind's std::string conversion, which copies and
// scans byte by byte in JS (twice on the way out: for NULs, then for the
// end): web/js/core.js writes it with TextEncoder.encodeInto straight into
// the input buffer (inputView), and reads it back with TextDecoder from a
// view of the output buffer (Out). One call per page or batch.
#include <emscripten/bind.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "psc/adoption.hpp"
#include "psc/authorization.hpp"
#include "psc/conflict_queue.hpp"
#include "psc/dashboard.hpp"
#include "psc/department_scorecard.hpp"
#include "psc/department_worklist.hpp"
#include "psc/derived_id.hpp"
#include "psc/device_sync.hpp"
#include "psc/exports.hpp"
#include "psc/leaders_agenda.hpp"
#include "psc/local_device.hpp"
#include "psc/meeting_summary.hpp"
#include "psc/priority_ranking.hpp"
#include "psc/protocol.hpp"
#include "psc/replica_snapshot.hpp"
#include "psc/report_back.hpp"
#include "psc/representation.hpp"
#include "psc/schema.hpp"
#include "psc/scope.hpp"
#include "psc/wire_scan.hpp"

namespace {

using nlohmann::json;
using psc::Change;
using psc::Result;

std::string failure(const psc::Status& s) {
  return json{{"ok", false}, {"code", s.code()}, {"message", s.message()}}.dump();
}

std::string failure(const std::string& code, const std::string& message) {
  return failure(psc::Status::error(code, message));
}

// Parses JSON text from JS without throwing; discarded on error.
json parse(const std::string& text) { return json::parse(text, nullptr, false); }

// The bulk text buffers shared with web/js/core.js (see the top of the file).
std::string input_buffer;

// A Uint8Array of `size` bytes over the input buffer, for TextEncoder.encodeInto.
// Valid until the next call into the module (memory may grow and move it).
emscripten::val input_view(double size) {
  input_buffer.resize(static_cast<std::size_t>(size));
  return emscripten::val(emscripten::typed_memory_view(
      input_buffer.size(), reinterpret_cast<const uint8_t*>(input_buffer.data())));
}

// Text handed back to JS: a Uint8Array over the output buffer, which
// core.js decodes at once (valid until the next call into the module).
std::string output_buffer;
using Out = emscripten::val;
Out out(std::string text) {
  output_buffer = std::move(text);
  return emscripten::val(emscripten::typed_memory_view(
      output_buffer.size(), reinterpret_cast<const uint8_t*>(output_buffer.data())));
}

// The first `length` bytes of the input buffer (what JS wrote there).
std::string_view input(double length) {
  return std::string_view(input_buffer).substr(0, static_cast<std::size_t>(length));
}

// Stored or received changes (a JSON array of wire-form changes), decoded
// strictly: the fast scanner, or where it declines the json decoder, which
// names the first bad entry (index in the array).
// With `texts`, each change's JSON text too (views into `text`), when the
// fast scanner read it (left empty otherwise).
Result<std::vector<Change>> decode_changes(std::string_view text,
                                           std::vector<std::string_view>* texts = nullptr) {
  if (auto scanned = psc::scan_change_array(text, texts)) return std::move(*scanned);
  if (texts) texts->clear();
  const json changes = json::parse(text.begin(), text.end(), nullptr, false);
  if (!changes.is_array()) return psc::Status::error("malformed_json", "expected a JSON array of changes");
  std::vector<Change> out;
  out.reserve(changes.size());
  for (const auto& entry : changes) {
    auto change = psc::change_from_json(entry);
    if (!change)
      return psc::Status::error(change.status().code(),
                                "change #" + std::to_string(out.size()) + ": " + change.status().message());
    out.push_back(std::move(change.value()));
  }
  return out;
}

// A decoded server message as the JSON object of its wire form (changes canonical).
json message_json(const psc::ServerMessage& message) {
  return json::parse(std::visit([](const auto& m) { return psc::encode(m); }, message));
}

uint64_t bits(double high, double low) {
  return (static_cast<uint64_t>(high) << 32) | static_cast<uint64_t>(low);
}

// Live records of `type`, only those whose text field `field` equals
// `equals` when a field is named: what list() and summaries() serialize.
std::vector<const psc::Record*> listed(const psc::Replica& replica, const std::string& type,
                                       const std::string& field, const std::string& equals) {
  std::vector<const psc::Record*> out;
  for (const psc::Record* r : replica.list(type)) {
    if (r->deleted() || r->fields().empty()) continue;
    if (!field.empty()) {
      const json& v = r->value(field);
      if (!v.is_string() || v.get_ref<const std::string&>() != equals) continue;
    }
    out.push_back(r);
  }
  return out;
}

json records_json(const psc::Replica& replica, const std::string& type, const std::string& field,
                  const std::string& equals) {
  json out = json::array();
  for (const psc::Record* r : listed(replica, type, field, equals)) out.push_back(r->to_json());
  return out;
}

// The same records, lighter (Record::summary_json): for long lists.
json summaries_json(const psc::Replica& replica, const std::string& type, const std::string& field,
                    const std::string& equals) {
  json out = json::array();
  for (const psc::Record* r : listed(replica, type, field, equals)) out.push_back(r->summary_json());
  return out;
}

class Device {
 public:
  Device(std::string device_id, std::string actor) : device_(std::move(device_id), std::move(actor)) {}

  void set_actor(std::string actor) { device_.set_actor(std::move(actor)); }
  void set_clock_offset(double offset_ms) { device_.clock().set_offset_ms(static_cast<int64_t>(offset_ms)); }

  // Applies stored or received changes: a JSON array of wire-form changes,
  // `length` bytes in the input buffer. {"ok":true,"applied":n}, or a failure
  // naming the first bad entry with nothing applied.
  std::string receive(double length, double now_ms) {
    auto changes = decode_changes(input(length));
    if (!changes) return failure(changes.status());
    std::size_t applied = 0;
    for (auto& change : changes.value())
      applied += device_.receive(std::move(change), static_cast<uint64_t>(now_ms));
    return json{{"ok", true}, {"applied", applied}}.dump();
  }

  // A server message, `length` bytes in the input buffer, decoded strictly.
  // A changes page is held here, not applied, until apply_page(): the caller
  // stores it first. Answers {"ok":true,"message":{"type":"changes","cursor",
  // "more","count","own"}} for a page (own: how many of its changes this
  // device wrote), the message itself ({"type":...} as its wire form) for
  // any other, or a failure. A page held and never applied is dropped by
  // the next message.
  std::string take_message(double length) {
    held_.clear();
    auto decoded = psc::decode_server_message(input(length));
    if (!decoded) return failure(decoded.status());
    auto* page = std::get_if<psc::ChangesPage>(&decoded.value());
    if (!page) return json{{"ok", true}, {"message", message_json(decoded.value())}}.dump();
    std::size_t own = 0;
    for (const auto& change : page->changes) own += change.device == device_.device_id();
    held_ = std::move(page->changes);
    return json{{"ok", true},
                {"message",
                 {{"type", "changes"},
                  {"cursor", page->cursor},
                  {"more", page->more},
                  {"count", held_.size()},
                  {"own", own}}}}
        .dump();
  }

  // Applies the page take_message() holds; how many of its changes were new.
  double apply_page(double now_ms) {
    std::size_t applied = 0;
    for (auto& change : held_) applied += device_.receive(std::move(change), static_cast<uint64_t>(now_ms));
    held_.clear();
    return static_cast<double>(applied);
  }

  // The replica as a snapshot (replica_snapshot.hpp): a Uint8Array the caller
  // owns (copied out of the module's memory, which may move).
  emscripten::val snapshot() const {
    const std::string bytes = psc::encode_snapshot(device_.replica());
    return emscripten::val::global("Uint8Array")
        .new_(emscripten::typed_memory_view(bytes.size(), reinterpret_cast<const uint8_t*>(bytes.data())))
        .call<emscripten::val>("slice");
  }

  // Replaces the replica with a snapshot (a Uint8Array, taken by embind as
  // bytes); {"ok":true,"applied":n} or {"ok":false,...} with nothing changed.
  std::string load_snapshot(const std::string& bytes, double now_ms) {
    if (auto s = device_.load_snapshot(bytes, static_cast<uint64_t>(now_ms)); !s) return failure(s);
    return json{{"ok", true}, {"applied", device_.replica().applied_count()}}.dump();
  }

  // True when the replica has applied the change `id` to that record's field
  // (it is in a snapshot taken now).
  bool has_change(const std::string& type, const std::string& record, const std::string& field,
                  const std::string& id) const {
    const psc::Record* r = device_.replica().find(type, record);
    const psc::FieldRegister* reg = r ? r->field(field) : nullptr;
    return reg && reg->has_seen(id);
  }

  // {"ok":true,"id","changes":[...]}: the new record's changes, to persist.
  std::string create(const std::string& type, const std::string& fields_text, double now_ms, double r0,
                     double r1, double r2, double r3) {
    const json fields = parse(fields_text);
    if (!fields.is_object()) return failure("malformed_json", "fields must be a JSON object");
    auto created = device_.create(type, fields, static_cast<uint64_t>(now_ms), bits(r0, r1), bits(r2, r3));
    if (!created) return failure(created.status());
    json changes = json::array();
    for (const auto& c : created.value()) changes.push_back(psc::change_to_json(c));
    return json{{"ok", true}, {"id", created.value().front().record_id}, {"changes", changes}}.dump();
  }

  // The same for an entry of a list coordinators manage, under the slug `id`.
  std::string create_listed(const std::string& type, const std::string& id, const std::string& fields_text,
                            double now_ms) {
    const json fields = parse(fields_text);
    if (!fields.is_object()) return failure("malformed_json", "fields must be a JSON object");
    auto created = device_.create_listed(type, id, fields, static_cast<uint64_t>(now_ms));
    if (!created) return failure(created.status());
    json changes = json::array();
    for (const auto& c : created.value()) changes.push_back(psc::change_to_json(c));
    return json{{"ok", true}, {"id", id}, {"changes", changes}}.dump();
  }

  // {"ok":true,"change":{...}}. Setting a field resolves any conflict on it.
  std::string set_field(const std::string& type, const std::string& id, const std::string& field,
                        const std::string& value_text, double now_ms) {
    const json value = parse(value_text);
    if (value.is_discarded()) return failure("malformed_json", "value is not valid JSON");
    auto change = device_.set_field(type, id, field, value, static_cast<uint64_t>(now_ms));
    if (!change) return failure(change.status());
    return json{{"ok", true}, {"change", psc::change_to_json(change.value())}}.dump();
  }

  // The fields the core's rules add when `id` (empty: a new record) is given
  // `values_text` (an object): {"adopted_on": today} or {} (adoption.hpp).
  std::string adoption_fields(const std::string& type, const std::string& id, const std::string& values_text,
                              const std::string& today) const {
    const json values = parse(values_text);
    const psc::Record* current = id.empty() ? nullptr : device_.replica().find(type, id);
    return psc::adoption_fields(type, current, values, today).dump();
  }

  std::string remove(const std::string& type, const std::string& id, double now_ms) {
    auto change = device_.remove(type, id, static_cast<uint64_t>(now_ms));
    if (!change) return failure(change.status());
    return json{{"ok", true}, {"change", psc::change_to_json(change.value())}}.dump();
  }

  // A record (see psc::Record::to_json) or null.
  Out record(const std::string& type, const std::string& id) const {
    const psc::Record* r = device_.replica().find(type, id);
    return out(r ? r->to_json().dump() : "null");
  }

  // Undeleted records of `type`, optionally only those whose `field` equals `equals`.
  Out list(const std::string& type, const std::string& field, const std::string& equals) const {
    return out(records_json(device_.replica(), type, field, equals).dump());
  }

  Out summaries(const std::string& type, const std::string& field, const std::string& equals) const {
    return out(summaries_json(device_.replica(), type, field, equals).dump());
  }

  Out state() const { return out(device_.replica().to_json().dump()); }

  // Derived views (shared/include/psc/*.hpp), identical on every device.
  Out meeting_summary(const std::string& meeting) const {
    return out(psc::meeting_summary(device_.replica(), meeting).dump());
  }
  Out meeting_ranking(const std::string& meeting) const {
    return out(psc::to_json(psc::meeting_ranking(device_.replica(), meeting)).dump());
  }
  Out neighborhood_ranking(const std::string& neighborhood) const {
    return out(psc::to_json(psc::neighborhood_ranking(device_.replica(), neighborhood)).dump());
  }
  Out representation(const std::string& meeting) const {
    return out(psc::meeting_representation(device_.replica(), meeting).dump());
  }

  // City-wide views. `filter` is JSON text ({"neighborhood","category","status","from","to"});
  // `today` is the device's local date, YYYY-MM-DD (the core reads no clock).
  Out dashboard(const std::string& filter, const std::string& today) const {
    return out(
        psc::dashboard(device_.replica(), psc::dashboard_filter_from_json(parse(filter)), today).dump());
  }
  // The city-wide leaders' meeting's draft agenda (leaders_agenda.hpp).
  Out leaders_agenda(const std::string& filter, const std::string& today) const {
    return out(
        psc::leaders_agenda(device_.replica(), psc::dashboard_filter_from_json(parse(filter)), today).dump());
  }
  // Whether priority `id` awaits the answer of a department that has
  // `commitments` commitments on it (department_scorecard.hpp's one rule).
  bool awaits_response(const std::string& id, int commitments) const {
    const psc::Record* priority = device_.replica().find("priority", id);
    return priority && psc::awaits_response(*priority, static_cast<std::size_t>(std::max(0, commitments)));
  }
  // kind: "neighborhood" | "meeting" | "city" (id ignored); "null" when the
  // neighborhood or meeting is unknown here.
  Out export_document(const std::string& kind, const std::string& id) const {
    return out(export_json(kind, id).dump(2) + "\n");
  }
  // One table of that document as CSV; empty for an unknown table or record.
  Out export_csv(const std::string& kind, const std::string& id, const std::string& table) const {
    return out(psc::export_table_csv(export_json(kind, id), table).value_or(""));
  }
  Out report_back(const std::string& neighborhood, const std::string& today) const {
    return out(psc::report_back_agenda(device_.replica(), neighborhood, today).dump());
  }
  json export_json(const std::string& kind, const std::string& id) const {
    if (kind == "neighborhood") return psc::neighborhood_export(device_.replica(), id);
    if (kind == "meeting") return psc::meeting_export(device_.replica(), id);
    if (kind == "city") return psc::city_export(device_.replica());
    return nullptr;
  }
  Out conflict_queue() const { return out(psc::conflict_queue(device_.replica()).dump()); }
  int conflict_count() const { return static_cast<int>(psc::conflict_count(device_.replica())); }
  Out department_worklist(const std::string& department, const std::string& filter,
                          const std::string& today) const {
    return out(psc::department_worklist(device_.replica(), department,
                                        psc::dashboard_filter_from_json(parse(filter)), today)
                   .dump());
  }
  double applied_count() const { return static_cast<double>(device_.replica().applied_count()); }

 private:
  psc::LocalDevice device_;
  std::vector<Change> held_;  // the page take_message() decoded, until apply_page()
};

// The device's side of the sync protocol (psc::DeviceSync): outbox, pushes,
// acks, cursor and catch-up progress, the same state machine psc-load runs.
// Changes come in as their JSON array text in the input buffer, checked
// strictly (as the server will decode them) once, when queued, and kept as
// the text JS wrote; a push is then those texts joined, handed back as one
// string.
class Sync {
 public:
  Sync(double cursor, double max_batch, double pushes_in_flight)
      : sync_(static_cast<int64_t>(cursor), {.max_batch = static_cast<int64_t>(max_batch),
                                             .pushes_in_flight = static_cast<int>(pushes_in_flight)}) {}

  bool on_welcome(double max_batch, double max_message_bytes, double cursor, bool adopt_cursor) {
    psc::Welcome welcome;
    welcome.max_batch = static_cast<int64_t>(max_batch);
    welcome.max_message_bytes = static_cast<int64_t>(max_message_bytes);
    welcome.cursor = static_cast<int64_t>(cursor);
    return sync_.on_welcome(welcome, adopt_cursor);
  }
  void on_connection_lost() { sync_.on_connection_lost(); }
  bool welcomed() const { return sync_.welcomed(); }

  // {"ok":true,"queued":n}, or a failure naming the first bad change with nothing queued.
  std::string enqueue(double length) { return take_changes(length, false); }
  // The same, replacing what is queued (not what is in flight).
  std::string replace_outbox(double length) { return take_changes(length, true); }
  // The push text (Out), or null when there is nothing to send now.
  Out next_push(const std::string& batch, const std::string& only_actor) {
    auto push = sync_.next_push(batch, only_actor);
    return push ? out(std::move(push->text)) : emscripten::val::null();
  }
  // An ack message, `length` bytes in the input buffer:
  // {"ok":true,"known","sent","unanswered":[ids]} or a failure.
  std::string on_ack(double length) {
    auto decoded = psc::decode_server_message(input(length));
    if (!decoded) return failure(decoded.status());
    const auto* ack = std::get_if<psc::Ack>(&decoded.value());
    if (!ack) return failure("malformed", "not an ack");
    const psc::AckOutcome outcome = sync_.on_ack(*ack);
    return json{
        {"ok", true}, {"known", outcome.known}, {"sent", outcome.sent}, {"unanswered", outcome.unanswered}}
        .dump();
  }
  double unacknowledged() const { return static_cast<double>(sync_.unacknowledged()); }
  double queued() const { return static_cast<double>(sync_.queued()); }
  double in_flight() const { return static_cast<double>(sync_.in_flight()); }
  bool has_unacknowledged_of(const std::string& actor) const { return sync_.has_unacknowledged_of(actor); }

  void on_page(double cursor, bool more, double count) {
    sync_.on_page(static_cast<int64_t>(cursor), more, static_cast<std::size_t>(count));
  }
  void set_catch_up_target(double sequence) { sync_.set_catch_up_target(static_cast<int64_t>(sequence)); }
  // {"received","fraction"} (fraction null when unknown) while catching up, else "null".
  std::string catch_up() const {
    const auto progress = sync_.catch_up();
    if (!progress) return "null";
    return json{{"received", progress->received},
                {"fraction", progress->fraction < 0 ? json(nullptr) : json(progress->fraction)}}
        .dump();
  }
  double cursor() const { return static_cast<double>(sync_.cursor()); }
  void set_cursor(double cursor) { sync_.set_cursor(static_cast<int64_t>(cursor)); }

 private:
  std::string take_changes(double length, bool replace) {
    std::vector<std::string_view> texts;
    auto changes = decode_changes(input(length), &texts);
    if (!changes) return failure(changes.status());
    if (replace)
      sync_.replace_outbox(std::move(changes.value()), texts);
    else
      sync_.enqueue(std::move(changes.value()), texts);
    return json{{"ok", true}, {"queued", sync_.queued()}}.dump();
  }

  psc::DeviceSync sync_;
};

// Decodes a server message strictly; {"ok":true,"message":{...}} where the
// message object is the wire form re-encoded (changes canonical).
std::string decode_server_message(const std::string& text) {
  auto decoded = psc::decode_server_message(text);
  if (!decoded) return failure(decoded.status());
  return json{{"ok", true}, {"message", message_json(decoded.value())}}.dump();
}

std::string encode_hello(const std::string& device, const std::string& token, double cursor, double unsynced,
                         const std::string& epoch) {
  return psc::encode(psc::Hello{psc::kProtocolVersion, device, token, static_cast<int64_t>(cursor),
                                static_cast<int64_t>(unsynced), epoch});
}

// The schema, for building forms:
// [{"type","reference_data","fields":[{"name","kind","required","max_length","allowed","ref_type","immutable"}]}]
// The signed-in account as the core's rules see it; nullopt for an unknown role.
std::optional<psc::Principal> principal_of(const std::string& role, const std::string& neighborhood,
                                           const std::string& department) {
  const auto parsed = psc::role_from_name(role);
  if (!parsed) return std::nullopt;
  psc::Principal principal;
  principal.role = *parsed;
  principal.neighborhood = neighborhood;
  principal.department = department;
  return principal;
}

std::string schema() {
  static const char* kKinds[] = {"text",      "enumeration", "integer",  "boolean",
                                 "reference", "date",        "datetime", "coordinates"};
  json out = json::array();
  for (const auto& s : psc::all_schemas()) {
    json fields = json::array();
    for (const auto& f : s.fields)
      fields.push_back({{"name", f.name},
                        {"kind", kKinds[static_cast<int>(f.kind)]},
                        {"required", f.required},
                        {"max_length", f.max_length},
                        {"allowed", f.allowed},
                        {"ref_type", f.ref_type},
                        {"min", f.min},
                        {"max", f.max},
                        {"immutable", f.immutable},
                        {"listed_in", f.listed_in}});
    out.push_back({{"type", s.type},
                   {"reference_data", s.reference_data},
                   {"coordinator_managed", s.coordinator_managed},
                   {"scope_field", s.scope_field},
                   {"fields", fields}});
  }
  return out.dump();
}

}  // namespace

EMSCRIPTEN_BINDINGS(psc_core) {
  emscripten::class_<Device>("Device")
      .constructor<std::string, std::string>()
      .function("setActor", &Device::set_actor)
      .function("setClockOffset", &Device::set_clock_offset)
      .function("receive", &Device::receive)
      .function("takeMessage", &Device::take_message)
      .function("applyPage", &Device::apply_page)
      .function("create", &Device::create)
      .function("createListed", &Device::create_listed)
      .function("setField", &Device::set_field)
      .function("remove", &Device::remove)
      .function("adoptionFields", &Device::adoption_fields)
      .function("record", &Device::record)
      .function("list", &Device::list)
      .function("summaries", &Device::summaries)
      .function("state", &Device::state)
      .function("meetingSummary", &Device::meeting_summary)
      .function("meetingRanking", &Device::meeting_ranking)
      .function("neighborhoodRanking", &Device::neighborhood_ranking)
      .function("representation", &Device::representation)
      .function("dashboard", &Device::dashboard)
      .function("leadersAgenda", &Device::leaders_agenda)
      .function("reportBack", &Device::report_back)
      .function("exportDocument", &Device::export_document)
      .function("awaitsResponse", &Device::awaits_response)
      .function("exportCsv", &Device::export_csv)
      .function("conflictQueue", &Device::conflict_queue)
      .function("conflictCount", &Device::conflict_count)
      .function("departmentWorklist", &Device::department_worklist)
      .function("appliedCount", &Device::applied_count)
      .function("snapshot", &Device::snapshot)
      .function("loadSnapshot", &Device::load_snapshot)
      .function("hasChange", &Device::has_change);
  emscripten::class_<Sync>("DeviceSync")
      .constructor<double, double, double>()
      .function("onWelcome", &Sync::on_welcome)
      .function("onConnectionLost", &Sync::on_connection_lost)
      .function("welcomed", &Sync::welcomed)
      .function("enqueue", &Sync::enqueue)
      .function("replaceOutbox", &Sync::replace_outbox)
      .function("nextPush", &Sync::next_push)
      .function("onAck", &Sync::on_ack)
      .function("unacknowledged", &Sync::unacknowledged)
      .function("queued", &Sync::queued)
      .function("inFlight", &Sync::in_flight)
      .function("hasUnacknowledgedOf", &Sync::has_unacknowledged_of)
      .function("onPage", &Sync::on_page)
      .function("setCatchUpTarget", &Sync::set_catch_up_target)
      .function("catchUp", &Sync::catch_up)
      .function("cursor", &Sync::cursor)
      .function("setCursor", &Sync::set_cursor);
  emscripten::function("decodeServerMessage", &decode_server_message);
  emscripten::function("encodeHello", &encode_hello);
  emscripten::function("inputView", &input_view);
  emscripten::function("schema", &schema);
  // psc::may_edit for the signed-in account (role name, its neighborhood and
  // department): what the UI offers is what the server will accept.
  emscripten::function(
      "mayEdit",
      +[](const std::string& role, const std::string& own_neighborhood, const std::string& own_department,
          const std::string& type, const std::string& neighborhood, const std::string& department) {
        const auto principal = principal_of(role, own_neighborhood, own_department);
        return principal && psc::may_edit(*principal, type, neighborhood, department);
      });
  // psc::may_check_off: the assignee's checkbox on a leaders' meeting action item.
  emscripten::function(
      "mayCheckOff",
      +[](const std::string& role, const std::string& own_neighborhood, const std::string& own_department,
          const std::string& assigned_neighborhood, const std::string& assigned_department) {
        const auto principal = principal_of(role, own_neighborhood, own_department);
        return principal && psc::may_check_off(*principal, assigned_neighborhood, assigned_department);
      });
  // The city's own scope (scope.hpp): the leaders' meeting's `neighborhood`.
  emscripten::function(
      "citywideScope", +[] { return std::string(psc::kCitywide); });
  // Deterministic ids, so the UI can find "this voter's dot on this priority".
  emscripten::function(
      "attendanceId",
      +[](const std::string& meeting, const std::string& name) { return psc::attendance_id(meeting, name); });
  emscripten::function(
      "voteId", +[](const std::string& meeting, const std::string& priority, const std::string& voter) {
        return psc::vote_id(meeting, priority, voter);
      });
  emscripten::function(
      "tallyId", +[](const std::string& meeting, const std::string& priority) {
        return psc::tally_id(meeting, priority);
      });
  emscripten::constant("protocolVersion", psc::kProtocolVersion);
}
