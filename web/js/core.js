// The WebAssembly core (shared/ compiled by Emscripten) behind a small JS API.
//
// The embind layer speaks JSON text and never throws; this module parses the
// text and turns {"ok":false,"code","message"} into a CoreError, so callers
// use plain objects and try/catch. All merge, validation and protocol logic
// lives in the core: nothing here decides what a record's value is.
import createPscCore from '../psc_core.mjs';

export class CoreError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'CoreError';
    this.code = code;
  }
}

function unwrap(text) {
  const result = JSON.parse(text);
  if (result && result.ok === false) throw new CoreError(result.code, result.message);
  return result;
}

// Bulk text (pages, stored changes, pushes) crosses into the core as UTF-8
// written straight into its input buffer (client-wasm/bindings.cpp): one
// copy, no per-byte JS loop, one call per page or batch.
//
// No JS string made here is longer than a slice of SLICE changes: V8 puts
// strings over ~128 KB in its large-object space, and making one costs ~40
// times more per byte. Changes are stringified in slices. (A push comes
// back from the core as one string: the WebSocket sends it as it is.)
const encoder = new TextEncoder();
const decoder = new TextDecoder();

// Text the core hands back as a view of its output buffer (bindings.cpp
// out()): decoded at once, before the next call into the module reuses it.
// Long text (a push of 500 changes is ~150 KB) is decoded in pieces under
// V8's large-object threshold and joined with `+` (a rope): one 150 KB
// decode costs ~20x more (see the note on SLICE below).
const PIECE = 64 * 1024;
function fromCore(view) {
  if (view.length <= PIECE) return decoder.decode(view);
  let text = '';
  for (let at = 0; at < view.length; at += PIECE)
    text += decoder.decode(view.subarray(at, at + PIECE), { stream: at + PIECE < view.length });
  return text;
}
const SLICE = 128;  // changes per JSON.stringify

// Writes `texts` one after the other into the module's input buffer, as
// UTF-8; returns the bytes written.
function writeToCore(module, texts) {
  let chars = 0;
  for (const text of texts) chars += text.length;
  for (let attempt = 0; attempt < 2; attempt += 1) {
    // ASCII needs one byte per UTF-16 code unit; anything else at most 3.
    const view = module.inputView(attempt === 0 ? chars + 16 : chars * 3 + 16);
    let at = 0, complete = true;
    for (const text of texts) {
      const { read, written } = encoder.encodeInto(text, view.subarray(at));
      at += written;
      if (read < text.length) { complete = false; break; }
    }
    if (complete) return at;
  }
  throw new CoreError('internal', 'could not copy text into the core');
}

// The JSON array text of `changes` as pieces: "[", slices, "]".
function arrayPieces(changes) {
  if (changes.length <= SLICE) return [JSON.stringify(changes)];
  const pieces = ['['];
  for (let i = 0; i < changes.length; i += SLICE) {
    if (i > 0) pieces.push(',');
    pieces.push(JSON.stringify(changes.slice(i, i + SLICE)).slice(1, -1));
  }
  pieces.push(']');
  return pieces;
}

// A dashboard filter as JSON, with this device's UTC offset: the core counts
// the days of changes in the viewer's calendar (dashboard_filter.hpp).
function viewerFilter(filter) {
  return JSON.stringify({ ...filter, utc_offset_minutes: -new Date().getTimezoneOffset() });
}

function random32() {
  return crypto.getRandomValues(new Uint32Array(1))[0];
}

// The device's replica and clock (psc::LocalDevice). Every method that makes
// a change returns it in wire form; the caller persists it before saying
// "saved".
export class Replica {
  constructor(module, deviceId, actor) {
    this.module = module;
    this.device = new module.Device(deviceId, actor);
  }

  setActor(actor) { this.device.setActor(actor); }
  setClockOffset(offsetMs) { this.device.setClockOffset(offsetMs); }

  // Applies wire-form changes (stored or received); returns how many were
  // new. Throws a CoreError, with nothing applied, if one is malformed.
  receive(changes) {
    if (changes.length === 0) return 0;
    return unwrap(this.device.receive(writeToCore(this.module, arrayPieces(changes)), Date.now())).applied;
  }

  // A server message (text): decoded strictly by the core, in one call.
  // Returns the message as an object with `type`; a `changes` page comes
  // back as {type, cursor, more, count, own} (own: how many of its changes
  // this device wrote) and its changes are held in the core, not applied,
  // until applyPage() (the caller stores the page first; JSON.parse of the
  // same text gives the changes to store). Throws a CoreError if malformed.
  take(text) {
    return unwrap(this.device.takeMessage(writeToCore(this.module, [text]))).message;
  }

  // Applies the page take() holds; returns how many of its changes were new.
  applyPage() { return this.device.applyPage(Date.now()); }

  // Returns {id, changes}.
  create(type, fields) {
    const result = unwrap(this.device.create(type, JSON.stringify(fields), Date.now(),
      random32(), random32(), random32(), random32()));
    return { id: result.id, changes: result.changes };
  }

  // An entry of a list coordinators manage (a department or category) under its slug.
  createListed(type, id, fields) {
    const result = unwrap(this.device.createListed(type, id, JSON.stringify(fields), Date.now()));
    return { id: result.id, changes: result.changes };
  }

  setField(type, id, field, value) {
    return unwrap(this.device.setField(type, id, field, JSON.stringify(value), Date.now())).change;
  }

  remove(type, id) {
    return unwrap(this.device.remove(type, id, Date.now())).change;
  }

  // What the core's rules add to `values` for record `id` (null: a new one)
  // on the device's local day `today` (YYYY-MM-DD): {adopted_on} or {}.
  adoptionFields(type, id, values, today) {
    return JSON.parse(this.device.adoptionFields(type, id ?? '', JSON.stringify(values), today));
  }

  // {type, id, deleted, fields, meta, conflicts} or null.
  record(type, id) { return JSON.parse(fromCore(this.device.record(type, id))); }

  // Undeleted records of `type`, optionally only those with field == equals.
  list(type, field = '', equals = '') { return JSON.parse(fromCore(this.device.list(type, field, equals))); }
  // The same, lighter: {type, id, fields, conflicts} without the per-field
  // metadata (meta, created, updated), for long lists.
  summaries(type, field = '', equals = '') { return JSON.parse(fromCore(this.device.summaries(type, field, equals))); }

  appliedCount() { return this.device.appliedCount(); }
  // The replica's canonical state (Replica::to_json) as text: for digests.
  stateText() { return fromCore(this.device.state()); }

  // The replica as a snapshot (Uint8Array; replica_snapshot.hpp), and back.
  snapshot() { return this.device.snapshot(); }
  loadSnapshot(bytes) { return unwrap(this.device.loadSnapshot(bytes, Date.now())).applied; }
  // Whether the change [type, record, field, id] is applied here.
  hasChange([type, record, field, id]) { return this.device.hasChange(type, record, field, id); }

  // Derived views (shared/include/psc/*.hpp), identical on every device.
  meetingSummary(meetingId) { return JSON.parse(fromCore(this.device.meetingSummary(meetingId))); }
  meetingRanking(meetingId) { return JSON.parse(fromCore(this.device.meetingRanking(meetingId))); }
  neighborhoodRanking(slug) { return JSON.parse(fromCore(this.device.neighborhoodRanking(slug))); }
  representation(meetingId) { return JSON.parse(fromCore(this.device.representation(meetingId))); }

  // City-wide views (dashboard.hpp, report_back.hpp, conflict_queue.hpp,
  // department_worklist.hpp). filter: {neighborhood, category, status, from, to};
  // today: the device's local date (YYYY-MM-DD, see time.js).
  dashboard(filter = {}, today) { return JSON.parse(fromCore(this.device.dashboard(viewerFilter(filter), today))); }
  // The leaders' meeting's draft agenda (leaders_agenda.hpp).
  leadersAgenda(filter = {}, today) { return JSON.parse(fromCore(this.device.leadersAgenda(viewerFilter(filter), today))); }
  reportBack(neighborhood, today) { return JSON.parse(fromCore(this.device.reportBack(neighborhood, today))); }
  // Whether a priority awaits a department with `commitments` answers (the core's rule).
  awaitsResponse(priorityId, commitments) { return this.device.awaitsResponse(priorityId, commitments); }
  // Exports (exports.hpp) of what this device holds: kind 'neighborhood' |
  // 'meeting' | 'city'. The JSON document as text (pretty), one table as CSV.
  exportDocument(kind, id = '') { return fromCore(this.device.exportDocument(kind, id)); }
  exportCsv(kind, id, table) { return fromCore(this.device.exportCsv(kind, id ?? '', table)); }
  conflictQueue() { return JSON.parse(fromCore(this.device.conflictQueue())); }
  conflictCount() { return this.device.conflictCount(); }
  departmentWorklist(department, filter = {}, today) {
    return JSON.parse(fromCore(this.device.departmentWorklist(department, viewerFilter(filter), today)));
  }

  dispose() { this.device.delete(); }
}

// The device's side of the sync protocol (psc::DeviceSync, device_sync.hpp),
// the state machine psc-load runs too: the outbox, pushes cut from it (at
// most maxBatch changes and the server's limits, whole creations), acks,
// the cursor and catch-up progress. No I/O: the caller stores a change
// before enqueue() and a page before onPage(), and stores the cursor after.
export class DeviceSync {
  constructor(module, cursor, { maxBatch = 500, pushesInFlight = 1 } = {}) {
    this.module = module;
    this.sync = new module.DeviceSync(cursor, maxBatch, pushesInFlight);
  }

  // A welcome ({max_batch, max_message_bytes, cursor}): true when it moved
  // the cursor (a store restored from a backup) and adoptCursor allowed it.
  onWelcome(welcome, adoptCursor = true) {
    return this.sync.onWelcome(welcome.max_batch || 0, welcome.max_message_bytes || 0,
                               Number.isFinite(welcome.cursor) ? welcome.cursor : this.cursor, adoptCursor);
  }
  // Batches in flight go back to the outbox front.
  onConnectionLost() { this.sync.onConnectionLost(); }
  get welcomed() { return this.sync.welcomed(); }

  // Stored changes (wire form) after those queued; throws a CoreError, with
  // nothing queued, if one is malformed.
  enqueue(changes) {
    if (changes.length) unwrap(this.sync.enqueue(writeToCore(this.module, arrayPieces(changes))));
  }
  // The outbox as stored (oldest first), at a welcome.
  replaceOutbox(changes) { unwrap(this.sync.replaceOutbox(writeToCore(this.module, arrayPieces(changes)))); }
  // The push to send now (text) named `batch`, of `onlyActor`'s changes when
  // given, or null.
  nextPush(batch, onlyActor = '') {
    const view = this.sync.nextPush(batch, onlyActor);
    return view ? fromCore(view) : null;
  }
  // An ack message (object): {known, sent, unanswered}; unanswered changes are queued again.
  onAck(ack) { return unwrap(this.sync.onAck(writeToCore(this.module, [JSON.stringify(ack)]))); }
  get unacknowledged() { return this.sync.unacknowledged(); }
  get queued() { return this.sync.queued(); }
  get inFlight() { return this.sync.inFlight(); }
  hasUnacknowledgedOf(actor) { return this.sync.hasUnacknowledgedOf(actor); }

  onPage(cursor, more, count) { this.sync.onPage(cursor, more, count); }
  setCatchUpTarget(sequence) { this.sync.setCatchUpTarget(sequence); }
  // {received, fraction (null when unknown)} while catching up, else null.
  catchUp() { return JSON.parse(this.sync.catchUp()); }
  get cursor() { return this.sync.cursor(); }
  set cursor(value) { this.sync.setCursor(value); }

  dispose() { this.sync.delete(); }
}

export class Core {
  constructor(module) {
    this.module = module;
    this.schemas = JSON.parse(module.schema());
    this.protocolVersion = module.protocolVersion;
  }

  newReplica(deviceId, actor) { return new Replica(this.module, deviceId, actor); }
  newDeviceSync(cursor, options) { return new DeviceSync(this.module, cursor, options); }

  schema(type) { return this.schemas.find((s) => s.type === type) ?? null; }

  // Allowed values of an enumeration field, in schema order.
  allowed(type, field) {
    return this.schema(type)?.fields.find((f) => f.name === field)?.allowed ?? [];
  }

  fieldSpec(type, field) { return this.schema(type)?.fields.find((f) => f.name === field) ?? null; }

  // Deterministic ids (derived_id.hpp): the same person's sign-in, the same
  // voter's dot, the same paper tally have one id on every device.
  attendanceId(meetingId, name) { return this.module.attendanceId(meetingId, name); }
  voteId(meetingId, priorityId, voter) { return this.module.voteId(meetingId, priorityId, voter); }
  tallyId(meetingId, priorityId) { return this.module.tallyId(meetingId, priorityId); }

  encodeHello(deviceId, token, cursor, unsynced, epoch = '') {
    return this.module.encodeHello(deviceId, token, cursor, unsynced, epoch);
  }

  // A server message as an object with `type`; throws CoreError if malformed.
  decodeServerMessage(text) { return unwrap(this.module.decodeServerMessage(text)).message; }
}

// compiled: a promise of the WebAssembly.Module of psc_core.wasm, when the
// caller started compiling it already (opening.js); otherwise the module's
// loader fetches and compiles it.
export async function loadCore({ compiled = null } = {}) {
  const wasm = compiled ? await compiled.catch(() => null) : null;
  if (!wasm) return remember(new Core(await createPscCore()));
  return remember(new Core(await new Promise((resolve, reject) => {
    createPscCore({
      instantiateWasm(imports, receive) {
        WebAssembly.instantiate(wasm, imports).then((instance) => receive(instance, wasm), reject);
        return {};
      },
    }).then(resolve, reject);
  })));
}

// The page's core, once loaded: for the rules the views ask synchronously
// (access.js). One per page; a worker or test may load more, the last wins.
let loaded = null;
function remember(core) {
  // CITYWIDE (below) is needed before the core loads; a core that disagrees
  // would hide the leaders' meeting, so say so loudly.
  if (core.module.citywideScope() !== CITYWIDE) throw new Error(`core scope ${core.module.citywideScope()} != ${CITYWIDE}`);
  loaded = core;
  return core;
}

// psc::may_edit (authorization.hpp) for `session` ({role, neighborhood,
// department}): may it change a record of `type` in `neighborhood` (a
// commitment: of `department`)? False before the core has loaded.
export function mayEdit(session, type, neighborhood, department = '') {
  if (!loaded || !session?.role) return false;
  return loaded.module.mayEdit(session.role, session.neighborhood ?? '', session.department ?? '', type,
                               neighborhood ?? '', department ?? '');
}

// psc::may_check_off: may `session` check off a leaders' meeting action item
// assigned to `neighborhood` or `department`?
export function mayCheckOff(session, neighborhood, department) {
  if (!loaded || !session?.role) return false;
  return loaded.module.mayCheckOff(session.role, session.neighborhood ?? '', session.department ?? '',
                                   neighborhood ?? '', department ?? '');
}

// The city's own scope (psc::kCitywide): the `neighborhood` of the city-wide
// leaders' meeting. It is a constant of the core, so it is known before load.
export const CITYWIDE = 'citywide';

// Milliseconds encoded in an hlc's text form (first 12 hex digits).
export function hlcMillis(hlc) { return parseInt(hlc.slice(0, 12), 16); }
