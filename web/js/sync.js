// The device's sync engine: the replica (wasm core), IndexedDB, the socket,
// and the other open tabs, kept consistent.
//
// Invariants:
//  - a local change is in IndexedDB (`changes` + `outbox`, one transaction)
//    before anyone is told it is saved;
//  - a received page and the cursor after it are stored in one transaction
//    before the changes are applied, so a crash never skips a change;
//  - one tab per browser profile owns the socket (Web Locks); the others send
//    their changes through IndexedDB and hear about every change on a
//    BroadcastChannel, so nothing is sent twice by two sockets.
//
// The class is split by concern, one file each under sync/, whose methods
// are copied onto Sync.prototype at the end of this file (one object, one
// `this`, as the views see it):
//   sync.js                starting, reading, local changes, hand-offs, prefs, events
//   sync/replica-host.js   the replica: snapshot + recent changes, rebuilds, snapshots
//   sync/tabs.js           the leader tab and the BroadcastChannel to the others
//   sync/connection.js     hello, welcome, pages, pushes and acks (psc::DeviceSync)
//   sync/sessions.js       sign-in and out, kiosk sessions, revocations
//   sync/http.js           the server's HTTP API
//
// Events (EventTarget): 'status' (the sync state changed), 'data' (records
// changed; detail {remote, changed}: changed is a Map type -> Set of record
// ids when the event knows which records changed, else absent), 'rejected'
// (the list of refused changes changed),
// 'notice' (detail {kind, text}) for things the user must be told, 'pref'
// (detail {key}: a device setting changed, possibly in another tab),
// 'handoff' (detail {answered: [kept files the server just answered]}: the
// hand-off files changed, handoffs.js).
import { Handoffs } from './handoffs.js';
import { Identity } from './identity.js';
import { takeOpening } from './opening.js';
import { SyncConnection } from './sync/connection.js';
import { SyncHttp } from './sync/http.js';
import { randomHex } from './sync/random-hex.js';
import { SyncReplicaHost } from './sync/replica-host.js';
import { SyncSessions } from './sync/sessions.js';
import { SyncTabs } from './sync/tabs.js';
import { touched } from './sync/touched.js';
import { localDate } from './time.js';
import { syncUrl } from './transport.js';

const MAX_BATCH = 500;

export class Sync extends EventTarget {
  constructor() {
    super();
    this.status = {
      connection: 'starting',  // starting | offline | connecting | online | waiting (retryAt)
      retryAt: null,
      outbox: 0,
      handoffs: 0,              // imported hand-off files waiting to be uploaded
      lastSync: null,
      catchUp: null,            // {received, fraction|null} while `more` pages are coming
      error: null,              // {code, message} last server error, until the next welcome
    };
    this.rejected = [];
    this.prefs = {};
    this.leader = false;
    this.welcomed = false;
    this.queue = Promise.resolve();
    this.clockOffset = 0;
  }

  // The server sequence of the last page stored (psc::DeviceSync keeps it).
  get cursor() { return this.deviceSync.cursor; }
  set cursor(value) { this.deviceSync.cursor = value; }

  // Opens storage and the core, rebuilds the replica, then starts syncing.
  // onProgress(n) is called while stored changes are replayed.
  async start({ url = syncUrl(), onProgress = () => {} } = {}) {
    this.url = url;
    // Storage and the core were opened, the stored state read in one
    // transaction and the snapshot decoded as the page started (opening.js).
    const { storage, core, state, decoded } = await takeOpening();
    this.storage = storage;
    this.core = core;
    const meta = state.meta;
    // Every node this device may sync with, its page's own first (the list
    // a server gave: refreshServers in sync/connection.js).
    this.urls = [...new Set([url, ...(meta.get('sync_urls') ?? [])])];
    this.deviceId = meta.get('device_id');
    if (!this.deviceId) {
      this.deviceId = `web-${randomHex(8)}`;
      await this.storage.setMeta('device_id', this.deviceId);
    }
    // Who is signed in (identity.js): the actor of every change this device
    // writes and the token in hello.
    this.identity = new Identity(this.storage);
    this.identity.loadFrom(meta);
    // The outbox, pushes, acks, cursor and catch-up progress: the core's
    // state machine (device_sync.hpp); IndexedDB holds the durable copy.
    this.deviceSync = core.newDeviceSync(meta.get('cursor') ?? 0, { maxBatch: MAX_BATCH });
    this.status.lastSync = meta.get('last_sync') ?? null;
    // The last offset learned from the server keeps stamps right while offline.
    this.clockOffset = meta.get('clock_offset') ?? 0;
    this.prefs.neighborhood = meta.get('neighborhood') ?? '';
    this.prefs.lang = meta.get('lang') ?? '';
    this.prefs.kiosk = meta.get('kiosk') ?? null;
    this.prefs.gettingStartedHidden = meta.get('gettingStartedHidden') ?? false;
    this.prefs.deviceNames = meta.get('deviceNames') ?? {};
    this.handoffs = new Handoffs(this);
    this.handoffs.loadFrom(state.handoffs);
    this.status.handoffs = this.handoffs.pendingCount;
    if (await this.openReplica(onProgress, state, decoded)) {
      this.status.outbox = state.outboxCount;
      this.rejected = state.rejected;
    } else {
      // Replaying took a while: read them again.
      this.status.outbox = await this.storage.outboxCount();
      this.rejected = await this.storage.listRejected();
    }
    this.persisted = navigator.storage?.persist ? navigator.storage.persist().catch(() => false) : Promise.resolve(false);
    this.startTabs();
    // Sign-outs the server has not heard of yet (made offline): now, and
    // whenever the browser comes back online.
    if (typeof window === 'object') window.addEventListener('online', () => this.settleRevocations());
    if (this.identity.owed.length) this.settleRevocations();
  }

  // ---- reading -------------------------------------------------------------

  list(type, field = '', equals = '') { return this.replica.list(type, field, equals); }
  summaries(type, field = '', equals = '') { return this.replica.summaries(type, field, equals); }
  record(type, id) { return this.replica.record(type, id); }
  // A live record (not deleted, known) or null.
  live(type, id) {
    const r = id ? this.replica.record(type, id) : null;
    return r && !r.deleted && Object.keys(r.fields).length ? r : null;
  }
  meetingSummary(id) { return this.replica.meetingSummary(id); }
  meetingRanking(id) { return this.replica.meetingRanking(id); }
  neighborhoodRanking(slug) { return this.replica.neighborhoodRanking(slug); }
  representation(id) { return this.replica.representation(id); }

  // ---- local changes ---------------------------------------------------------

  // Creates a record; resolves with its id once durably stored. The core's
  // rules add what follows from the fields (a priority's adoption day).
  create(type, fields) {
    return this.serial(async () => {
      const made = this.replica.create(type, { ...fields, ...this.replica.adoptionFields(type, null, fields, localDate()) });  // a validation error applies nothing
      await this.commit(made.changes);
      return made.id;
    });
  }

  // A new department or category under its slug (views/lists.js).
  createListed(type, id, fields) {
    return this.serial(async () => {
      const made = this.replica.createListed(type, id, fields);
      await this.commit(made.changes);
      return made.id;
    });
  }

  // Sets several fields of one record; resolves once durably stored. Setting
  // a conflicted field resolves the conflict (its base names every leaf).
  // The core's rules add what follows (a priority's adoption day), whichever
  // screen set the status.
  setFields(type, id, values) {
    return this.serial(async () => {
      const changes = [];
      try {
        const all = { ...values, ...this.replica.adoptionFields(type, id, values, localDate()) };
        for (const [field, value] of Object.entries(all)) changes.push(this.replica.setField(type, id, field, value));
      } catch (error) {
        if (changes.length) await this.rebuildReplica();  // drop the applied, unsaved ones
        throw error;
      }
      if (changes.length) await this.commit(changes);
      return changes.length;
    });
  }

  remove(type, id) {
    return this.serial(async () => { await this.commit([this.replica.remove(type, id)]); });
  }

  // ---- offline hand-off (handoffs.js) ------------------------------------------

  // This account's unsynced changes as a signed file: {count, others, text, name}.
  exportHandoff() { return this.serial(() => this.handoffs.exportFile()); }

  // Imports another device's hand-off file (its text): its changes show at
  // once; the file is uploaded when online. Resolves with {handoff, again};
  // rejects with a HandoffFileError (not_json, not_handoff, damaged) or code 'own_file'.
  async importHandoff(text) {
    const result = await this.serial(() => this.handoffs.importFile(text));
    if (!result.again) {
      this.status.handoffs = this.handoffs.pendingCount;
      this.emitStatus();
      this.emit('data', { remote: false });
      this.emit('handoff', { answered: [] });
      this.post({ kind: 'handoff' });
      if (this.leader) this.serial(() => this.uploadHandoffs());
    }
    return result;
  }

  // Uploads the files waiting, if online; applies the server's answers.
  async uploadHandoffs() {
    if (!this.leader || !this.welcomed || this.draining || this.handoffs.pendingCount === 0) return;
    const answered = await this.handoffs.uploadPending();
    if (answered.length === 0) return;
    // Refused files and refused changes leave the replica.
    if (answered.some((h) => h.state === 'refused' || h.result?.rejected.length)) await this.rebuildReplica();
    this.status.handoffs = this.handoffs.pendingCount;
    this.emitStatus();
    this.emit('data', { remote: true });
    this.emit('handoff', { answered });
    this.post({ kind: 'handoff', answered });
  }

  // A device setting, stored, and told to the other tabs.
  async setPref(key, value) {
    this.prefs[key] = value;
    await this.storage.setMeta(key, value);
    this.post({ kind: 'pref', key, value });
    this.emit('pref', { key });
  }

  async dismissRejected(id) {
    await this.storage.dismissRejected(id);
    this.rejected = await this.storage.listRejected();
    this.post({ kind: 'rejected' });
    this.emit('rejected');
  }

  async commit(changes) {
    try {
      await this.storage.saveLocalChanges(changes);
      this.noteStored(changes.length);
    } catch (error) {
      // The replica already holds them; rebuild it from what is really stored.
      await this.rebuildReplica();
      throw error;
    }
    this.post({ kind: 'changes', changes, local: true });
    if (this.leader) this.deviceSync.enqueue(changes);
    this.status.outbox = await this.storage.outboxCount();
    this.emitStatus();
    this.emit('data', { remote: false, changed: touched(changes) });
    if (this.leader) this.pump();
  }

  // Runs fn after everything queued before it (pages, acks, local edits).
  serial(fn) {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => {});
    return run;
  }

  emitStatus(broadcast = true) {
    if (broadcast && this.leader) this.broadcastStatus();
    this.emit('status');
  }

  emit(type, detail = {}) { this.dispatchEvent(new CustomEvent(type, { detail })); }
}

// The parts of the class (see the top of the file).
for (const part of [SyncReplicaHost, SyncTabs, SyncConnection, SyncSessions, SyncHttp]) {
  const { constructor, ...methods } = Object.getOwnPropertyDescriptors(part.prototype);
  for (const name of Object.keys(methods))
    if (name in Sync.prototype) throw new Error(`Sync.${name} is defined twice`);
  Object.defineProperties(Sync.prototype, methods);
}
