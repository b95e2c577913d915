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
import { localDate } from './time.js';
import { Transport, syncUrl } from './transport.js';

const MAX_BATCH = 500;
const REPLAY_CHUNK = 2000;
// A snapshot of the replica (storage.js) is written once this many changes
// were stored since the last one, after SNAPSHOT_QUIET_MS without new ones.
const SNAPSHOT_EVERY = 1000;
const SNAPSHOT_QUIET_MS = 2000;
const LOCK_NAME = 'psc-sync-connection';
const CHANNEL_NAME = 'psc-sync';

// A session as identity.js keeps it, from a sign-in answer.
function sessionFrom(answer) {
  return { token: answer.token, account: answer.account, role: answer.role,
           neighborhood: answer.neighborhood ?? '', department: answer.department ?? '' };
}

// The records `changes` touch: type -> Set of record ids (the 'data' event's `changed`).
function touched(changes) {
  const out = new Map();
  for (const c of changes) {
    let ids = out.get(c.type);
    if (!ids) out.set(c.type, ids = new Set());
    ids.add(c.record);
  }
  return out;
}

function randomHex(bytes) {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0')).join('');
}

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

  // The signed-in session ({token, account, role, neighborhood, department})
  // or null; `name` is the account, the actor on this device's changes.
  get session() { return this.identity.session; }
  get name() { return this.identity.actor; }

  // ---- the session (sign-in) ------------------------------------------------

  // Signs in with an account; resolves with the session or rejects with an
  // Error whose message is the server's (wrong password, too many attempts)
  // and whose code is the server's error code ('offline' without a network).
  signIn(username, password) {
    return this.startSession('/api/login', { username, password, device: this.deviceId });
  }

  // The first sign-in of an account whose password was printed (first start,
  // admin create-account or reset-password): the server signs it in only
  // with a new password of its own (POST /api/password).
  signInWithNewPassword(username, password, newPassword) {
    return this.startSession('/api/password', { username, password, new_password: newPassword, device: this.deviceId });
  }

  // Changes the signed-in account's password; this device stays signed in.
  changePassword(password, newPassword) {
    return this.api('/api/password', { body: { password, new_password: newPassword }, token: this.session?.token ?? '' });
  }

  // Turns this device into a neighborhood kiosk with a one-time code an
  // organizer issued.
  kioskSignIn(code) {
    return this.startSession('/api/kiosk-login', { code, device: this.deviceId });
  }

  async startSession(path, body) {
    // A sign-out made offline first: until the server has revoked that
    // token, it holds this device for its account (409 device_taken).
    await this.settleRevocations();
    const session = sessionFrom(await this.api(path, { body }));
    await this.serial(() => this.setSession(session));
    this.post({ kind: 'session' });
    return session;
  }

  // A JSON call to the server's /api; `token` signs it as this device.
  // Rejects with Error('offline') when the server cannot be reached, or with
  // the server's message and {code, status, device} (device: this device's id).
  async api(path, { body = null, token = '' } = {}) {
    const headers = { 'content-type': 'application/json' };
    if (token) Object.assign(headers, { authorization: `Bearer ${token}`, 'x-psc-device': this.deviceId });
    let response;
    try {
      response = await fetch(path, { method: 'POST', headers, body: body === null ? '' : JSON.stringify(body) });
    } catch {
      throw Object.assign(new Error('offline'), { code: 'offline' });
    }
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) {
      throw Object.assign(new Error(answer.message ?? `HTTP ${response.status}`),
        { code: answer.error, status: response.status, device: this.deviceId });
    }
    return answer;
  }

  // Revokes a token on the server; resolves true once it no longer works.
  async revoke(token) {
    try {
      await this.api('/api/logout', { token });
      return true;
    } catch (error) {
      return error.status === 401;  // already revoked or expired
    }
  }

  // Forgets the token; the server revokes it now, or, if it cannot be
  // reached, once it can (the token is kept as owed until then: identity.js).
  // Nothing stored on the device is deleted: changes still waiting stay
  // waiting.
  async signOut() {
    await this.serial(async () => {
      if (this.session?.token) await this.identity.oweRevocation(this.session);
      await this.setSession(null);
    });
    this.post({ kind: 'session' });
    await this.settleRevocations();
  }

  // Asks the server to revoke every token this device still owes a
  // revocation (signed out of while offline); resolves true when none is
  // left. A token the server already refuses (401) counts as revoked. Runs
  // when signing out, when the browser is back online, at start, and before
  // every sign-in.
  settleRevocations() {
    this.settling ??= (async () => {
      for (const { token } of [...this.identity.owed]) {
        if (await this.revoke(token)) await this.identity.revocationDone(token);
      }
      return this.identity.owed.length === 0;
    })().finally(() => { this.settling = null; });  // (a callback: runs after the assignment)
    return this.settling;
  }

  async setSession(session) {
    await this.identity.setSession(session);
    this.replica.setActor(this.identity.actor);
    this.applySession();
  }

  // ---- kiosk mode under a kiosk token ----------------------------------------

  // The organizer hands the tablet to residents: the tablet asks the server
  // for a one-time kiosk code for `neighborhood`, redeems it itself, and
  // syncs with the kiosk token until endKioskSession(), so the server
  // accepts only proposed priorities, votes and sign-ins from it and sends
  // it no attendance. The organizer's session waits aside. Rejects like
  // api() (Error 'offline' when the server cannot be reached).
  async startKioskSession(neighborhood) {
    const organizer = this.identity.session;
    if (!organizer || organizer.role === 'kiosk') return;
    const issued = await this.api('/api/kiosk-codes', { token: organizer.token, body: { neighborhood } });
    if (issued.neighborhood && issued.neighborhood !== neighborhood) {
      throw Object.assign(new Error(`this account may open kiosks for ${issued.neighborhood} only`), { code: 'forbidden' });
    }
    const kiosk = sessionFrom(await this.api('/api/kiosk-login', { body: { code: issued.code, device: this.deviceId } }));
    // What the organizer recorded just before goes first (best effort; what
    // is still waiting is sent when the organizer's session is back).
    await this.outboxDrained(5000);
    await this.serial(async () => {
      await this.identity.enterKiosk(kiosk, this.cursor);
      this.replica.setActor(this.identity.actor);
      this.applySession();
    });
    this.post({ kind: 'session' });
  }

  // Back to the organizer's session (and its sync cursor: the kiosk was not
  // sent attendance, so the organizer's catch-up resumes from before). The
  // kiosk token is revoked once the kiosk's changes have reached the server.
  // A tablet signed in with a kiosk code has no organizer session: it ends
  // signed out.
  async endKioskSession() {
    if (this.session?.role !== 'kiosk') return;
    await this.serial(async () => {
      if (!this.identity.kioskOverOrganizer) {
        await this.identity.addRetiring(this.session);
        await this.setSession(null);
        return;
      }
      await this.restoreOrganizer({ retire: true });
    });
    this.post({ kind: 'session' });
  }

  async restoreOrganizer({ retire }) {
    const { kiosk, cursor } = await this.identity.leaveKiosk();
    if (retire) await this.identity.addRetiring(kiosk);
    if (Number.isFinite(cursor)) {
      this.cursor = cursor;
      await this.storage.setMeta('cursor', cursor);
    }
    this.replica.setActor(this.identity.actor);
    this.applySession();
  }

  // Resolves when nothing is waiting to be sent, or after `ms`.
  outboxDrained(ms) {
    if (this.status.outbox === 0 || this.status.connection !== 'online') return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => { clearTimeout(timer); this.removeEventListener('status', check); resolve(); };
      const check = () => { if (this.status.outbox === 0 || this.status.connection !== 'online') done(); };
      const timer = setTimeout(done, ms);
      this.addEventListener('status', check);
    });
  }

  // The leader connects only while signed in (or while an ended kiosk
  // session still has changes to deliver).
  applySession() {
    if (this.leader && this.transport) {
      this.transport.stop();
      if (this.session || this.identity.retiring.length) this.transport.start();
      else this.setConnection('signed-out');
    }
    this.emit('session');
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

  // ---- replica ---------------------------------------------------------------

  // The replica at start: the stored snapshot (decoded by opening.js) plus
  // the changes stored since, when that accounts for exactly the stored
  // changes (`state`: read in the same transaction as the snapshot);
  // otherwise (no snapshot yet, an older or damaged one) every stored change
  // replayed. Resolves true if it opened from the snapshot.
  async openReplica(onProgress, { recent, changeCount }, decoded) {
    this.unsnapshotted = 0;
    if (decoded?.error) console.warn('PSC Sync: unusable snapshot; replaying the stored changes', decoded.error);
    if (decoded?.replica) {
      const { replica } = decoded;
      try {
        for (let i = 0; i < recent.length; i += REPLAY_CHUNK)
          replica.receive(await this.storage.changesByIds(recent.slice(i, i + REPLAY_CHUNK).map((entry) => entry[3])));
        if (replica.appliedCount() === changeCount) {
          // Imported hand-off files the server has not answered yet (handoffs.js).
          for (const changes of this.handoffs.pendingChanges()) replica.receive(changes);
          this.replica = replica;
          this.unsnapshotted = recent.length;
          if (this.unsnapshotted >= SNAPSHOT_EVERY) this.scheduleSnapshot(0);
          return true;
        }
        console.warn('PSC Sync: the snapshot does not match the stored changes; replaying them all');
      } catch (error) {
        console.warn('PSC Sync: unusable snapshot; replaying the stored changes', error);
      }
      replica.dispose();
    }
    await this.rebuildReplica(onProgress);
    this.scheduleSnapshot(0);
    return false;
  }

  // Counts changes stored since the last snapshot and, past SNAPSHOT_EVERY,
  // schedules one for when the device is quiet.
  noteStored(count) {
    this.unsnapshotted = (this.unsnapshotted ?? 0) + count;
    if (this.unsnapshotted >= SNAPSHOT_EVERY) this.scheduleSnapshot(SNAPSHOT_QUIET_MS);
  }

  scheduleSnapshot(delayMs) {
    clearTimeout(this.snapshotTimer);
    this.snapshotTimer = setTimeout(() => this.serial(() => this.takeSnapshot()), delayMs);
  }

  // Writes the replica's snapshot. The `recent` entries are read first, then
  // the snapshot is encoded and their coverage checked in one synchronous
  // step, so an entry is dropped only if the snapshot written holds it.
  async takeSnapshot() {
    // While imported hand-off changes wait for the server, the replica holds
    // changes that are not in `changes`: no snapshot of that.
    if (!this.storage || !this.replica || this.handoffs?.pendingCount > 0) return;
    try {
      const { recent } = await this.storage.loadSnapshot();
      const replica = this.replica;
      const bytes = replica.snapshot();
      const covered = new Set(recent.filter((entry) => replica.hasChange(entry)).map((entry) => entry[3]));
      const before = this.unsnapshotted;
      await this.storage.saveSnapshot(bytes, replica.appliedCount(), (entry) => covered.has(entry[3]));
      this.unsnapshotted = Math.max(0, (this.unsnapshotted ?? 0) - before);
    } catch (error) {
      console.warn('PSC Sync: could not store a snapshot', error);  // opening replays the changes instead
    }
  }

  async rebuildReplica(onProgress = () => {}) {
    const replica = this.core.newReplica(this.deviceId, this.identity.actor);
    replica.setClockOffset(this.clockOffset);
    let n = 0;
    for await (const chunk of this.storage.changeChunks(REPLAY_CHUNK)) {
      replica.receive(chunk);
      n += chunk.length;
      onProgress(n);
    }
    // Imported hand-off files the server has not answered yet (handoffs.js).
    for (const changes of this.handoffs.pendingChanges()) replica.receive(changes);
    const old = this.replica;
    this.replica = replica;
    old?.dispose();
  }

  // Runs fn after everything queued before it (pages, acks, local edits).
  serial(fn) {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => {});
    return run;
  }

  // ---- tabs ------------------------------------------------------------------

  startTabs() {
    this.channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANNEL_NAME) : null;
    if (this.channel) this.channel.onmessage = (event) => this.serial(() => this.onTabMessage(event.data));
    if (navigator.locks?.request) {
      this.setConnection('connecting');
      this.post({ kind: 'status?' });  // a tab already holding the socket answers
      // Held for the life of the page; the next tab in line takes over when it closes.
      navigator.locks.request(LOCK_NAME, () => {
        this.serial(() => this.becomeLeader());
        return new Promise(() => {});
      });
    } else {
      this.serial(() => this.becomeLeader());
    }
  }

  post(message) { this.channel?.postMessage(message); }

  async onTabMessage(message) {
    switch (message.kind) {
      case 'changes':
        this.replica.receive(message.changes);
        if (this.leader && message.local) this.deviceSync.enqueue(message.changes);
        this.status.outbox = await this.storage.outboxCount();
        this.emitStatus();
        this.emit('data', { remote: !message.local, changed: touched(message.changes) });
        if (this.leader && message.local) this.pump();
        break;
      case 'status':
        if (this.leader) break;
        Object.assign(this.status, message.status, { outbox: await this.storage.outboxCount() });
        if (message.clockOffset !== this.clockOffset) {
          this.clockOffset = message.clockOffset;
          this.replica.setClockOffset(this.clockOffset);
        }
        this.emitStatus(false);
        break;
      case 'status?':
        if (this.leader) this.broadcastStatus();
        break;
      case 'rejected':
        this.rejected = await this.storage.listRejected();
        await this.rebuildReplica();
        this.emit('rejected');
        this.emit('data', { remote: true });
        break;
      case 'session':
        await this.identity.load();
        this.replica.setActor(this.identity.actor);
        // Leaving kiosk mode in another tab moved the cursor back.
        this.cursor = (await this.storage.getMeta('cursor')) ?? 0;
        this.applySession();
        break;
      case 'actor':
        await this.identity.load();
        this.replica.setActor(this.identity.actor);
        this.emit('session');
        break;
      case 'pref':
        this.prefs[message.key] = message.value;
        this.emit('pref', { key: message.key });
        break;
      case 'handoff':
        // A file imported, or answered by the server, in another tab.
        await this.handoffs.load();
        await this.rebuildReplica();
        this.status.handoffs = this.handoffs.pendingCount;
        this.emitStatus(false);
        this.emit('data', { remote: true });
        this.emit('handoff', { answered: message.answered ?? [] });
        if (this.leader) await this.uploadHandoffs();
        break;
      default:
        break;
    }
  }

  broadcastStatus() {
    const { outbox, ...status } = this.status;
    this.post({ kind: 'status', status, clockOffset: this.clockOffset });
  }

  async becomeLeader() {
    // The tab that held the socket until now moved the cursor on.
    this.cursor = (await this.storage.getMeta('cursor')) ?? 0;
    this.leader = true;
    this.transport = new Transport(this.url);
    this.transport.addEventListener('state', (e) => this.onTransportState(e.detail));
    this.transport.addEventListener('open', () => this.serial(() => this.onOpen()));
    this.transport.addEventListener('message', (e) => this.serial(() => this.onMessage(e.detail)));
    this.transport.addEventListener('close', () => this.onClose());
    if (this.session || this.identity.retiring.length) this.transport.start();
    else this.setConnection('signed-out');
  }

  // ---- the socket ------------------------------------------------------------

  onTransportState({ state, retryAt }) {
    this.status.retryAt = retryAt;
    if (state === 'open') this.setConnection(this.welcomed ? 'online' : 'connecting');
    else if (state !== 'stopped') this.setConnection(state);
  }

  async onOpen() {
    this.welcomed = false;
    this.deviceSync.onConnectionLost();
    this.connectedAs = await this.connectionSession();
    if (!this.connectedAs) {
      this.transport.stop();
      this.setConnection('signed-out');
      return;
    }
    // Delivering an ended kiosk session's changes: its pages are not ours.
    this.draining = this.connectedAs !== this.session;
    const unsynced = await this.storage.outboxCount();
    this.transport.send(this.core.encodeHello(this.deviceId, this.connectedAs.token, this.cursor, unsynced,
      (await this.storage.getMeta('epoch')) ?? ''));
  }

  // Which session this connection says hello with: an ended kiosk session
  // that still has changes waiting (the server takes a change only from the
  // account that made it), else the signed-in one. Ended sessions with
  // nothing left are revoked and forgotten.
  async connectionSession() {
    for (const old of this.identity.retiring) {
      if ((await this.storage.outboxChanges(1, old.account)).length) return old;
      this.retire(old);
    }
    return this.session;
  }

  async retire(old) {
    if (await this.revoke(old.token)) await this.identity.dropRetiring(old.token);
  }

  onClose() {
    this.welcomed = false;
    this.deviceSync.onConnectionLost();
    if (this.status.catchUp) {
      this.status.catchUp = null;
      this.emitStatus();
    }
  }

  // Every server message goes to the replica's core whole (one call): a
  // changes page is decoded and checked there and held until onChanges has
  // stored it; any other message comes back as an object.
  async onMessage(text) {
    let message;
    try {
      message = this.replica.take(text);
    } catch (error) {
      this.setError({ code: error.code ?? 'malformed', message: error.message });
      return;
    }
    switch (message.type) {
      case 'welcome': return this.onWelcome(message);
      case 'changes': return this.onChanges(message, text);
      case 'ack': return this.onAck(message);
      case 'error': return this.setError({ code: message.code, message: message.message });
      default: return undefined;
    }
  }

  async onWelcome(welcome) {
    if (!this.draining && await this.identity.onWelcome(welcome)) {
      this.replica.setActor(this.identity.actor);
      this.post({ kind: 'actor' });
      this.emit('session');
    }
    this.welcomed = true;
    this.transport.resetBackoff();
    this.clockOffset = welcome.server_time - Date.now();
    this.replica.setClockOffset(this.clockOffset);
    this.storage.setMeta('clock_offset', this.clockOffset).catch(() => {});
    this.status.error = null;
    // The server's limits, and where catch-up starts: the server restored its
    // store from a backup since this device's last connection (another
    // epoch) when it moves the cursor, catching the device up from the start.
    if (this.deviceSync.onWelcome(welcome, !this.draining)) await this.storage.setMeta('cursor', this.cursor);
    if (!this.draining && welcome.epoch) await this.storage.setMeta('epoch', welcome.epoch);
    // The outbox as stored: changes other tabs stored while no tab was
    // connected, without those acknowledged meanwhile.
    this.deviceSync.replaceOutbox(await this.storage.outboxChanges());
    this.setConnection('online');
    this.fetchCatchUpTarget();
    // Hand-off files first: this device's own edits to records a file
    // brought must not reach the server before those records do.
    try {
      await this.uploadHandoffs();
    } catch (error) {
      console.warn('PSC Sync: hand-off upload failed; retried at the next connection', error);
    }
    this.pump();
  }

  // The server's last sequence, so catch-up can show a percentage.
  async fetchCatchUpTarget() {
    try {
      const response = await fetch(new URL('health', new URL(this.url.replace(/^ws/, 'http'))), { cache: 'no-store' });
      const health = await response.json();
      if (Number.isFinite(health.sequence)) this.deviceSync.setCatchUpTarget(health.sequence);
    } catch { /* progress then shows a count only */ }
  }

  // page: {cursor, more, count, own} as the core decoded it (it holds the
  // changes); text: the page as received, whose changes are stored as sent
  // (the core checked every one of them).
  async onChanges(page, text) {
    if (this.draining) return;  // sent to an ended kiosk session: its scope, not ours
    const { changes } = JSON.parse(text);
    await this.storage.saveReceivedPage(changes, page.cursor, this.deviceId);
    this.noteStored(changes.length);
    this.deviceSync.onPage(page.cursor, page.more, changes.length);
    const applied = this.replica.applyPage();
    if (changes.length) this.post({ kind: 'changes', changes, local: false });
    this.status.catchUp = this.deviceSync.catchUp();
    if (!page.more) {
      // Caught up after a large catch-up: snapshot now, so the next opening is fast.
      if (this.unsnapshotted >= SNAPSHOT_EVERY) this.scheduleSnapshot(0);
      await this.markSynced();
    }
    if (page.own > 0) this.status.outbox = await this.storage.outboxCount();
    this.emitStatus();
    if (applied > 0) this.emit('data', { remote: true, changed: touched(changes) });
  }

  async onAck(ack) {
    this.deviceSync.onAck(ack);  // what it leaves unanswered is sent again
    await this.storage.applyAck(ack.accepted, ack.rejected);
    this.status.outbox = await this.storage.outboxCount();
    if (ack.rejected.length) {
      this.rejected = await this.storage.listRejected();
      await this.rebuildReplica();  // the refused changes left `changes`
      this.post({ kind: 'rejected' });
      this.emit('rejected');
      this.emit('data', { remote: true });
    }
    await this.markSynced();
    this.emitStatus();
    this.pump();
  }

  async markSynced() {
    this.status.lastSync = Date.now();
    await this.storage.setMeta('last_sync', this.status.lastSync);
  }

  // Sends the next push if none is awaiting its ack (psc::DeviceSync cuts
  // it: whole creations, under the server's limits), of the connected
  // account's changes only: the server takes a change only from the account
  // that made it.
  async pump() {
    if (!this.leader || !this.welcomed || this.pumping) return;
    const account = this.connectedAs?.account ?? '';
    if (this.draining && !this.deviceSync.hasUnacknowledgedOf(account)) {
      // The ended session's changes are all delivered: revoke it, then
      // connect as the signed-in account.
      this.pumping = true;
      try {
        const old = this.connectedAs;
        this.draining = false;
        this.connectedAs = null;
        await this.retire(old);
        if (this.identity.retiring.some((r) => r.token === old.token)) await this.identity.dropRetiring(old.token);
        this.applySession();
      } finally {
        this.pumping = false;
      }
      return;
    }
    const text = this.deviceSync.nextPush(randomHex(8), account);
    if (text && !this.transport.send(text)) this.deviceSync.onConnectionLost();
  }

  // ---- state for the UI --------------------------------------------------------

  setConnection(connection) {
    if (this.status.connection === connection && connection !== 'waiting') return;
    this.status.connection = connection;
    this.emitStatus();
  }

  setError(error) {
    if (error.code === 'unauthorized' && this.draining && this.connectedAs) {
      // An ended kiosk session the server no longer accepts (revoked by a
      // coordinator): its waiting changes cannot be delivered by this device.
      const old = this.connectedAs;
      this.draining = false;
      this.connectedAs = null;
      this.serial(async () => {
        await this.identity.dropRetiring(old.token);
        this.applySession();
      });
      return;
    }
    if (error.code === 'unauthorized' && this.identity.kioskOverOrganizer) {
      // The kiosk token was revoked: the kiosk screen stays, recording under
      // the organizer's session again (as when kiosk mode starts offline).
      this.serial(async () => {
        if (!this.identity.kioskOverOrganizer) return;
        await this.restoreOrganizer({ retire: false });
        this.post({ kind: 'session' });
      });
    } else if (error.code === 'unauthorized' && this.session && this.connectedAs?.token === this.session.token) {
      // Token revoked or the account disabled: sign in again. Keep everything
      // stored; the outbox is sent once a valid session exists. (Only for the
      // connection of this session: the server also closes the connection of
      // an ended kiosk session the moment this device revokes its token.)
      this.serial(async () => {
        await this.setSession(null);
        this.post({ kind: 'session' });
      });
    }
    this.status.error = error;
    this.emitStatus();
    this.emit('notice', { kind: 'error', code: error.code, text: error.message });
  }

  emitStatus(broadcast = true) {
    if (broadcast && this.leader) this.broadcastStatus();
    this.emit('status');
  }

  emit(type, detail = {}) { this.dispatchEvent(new CustomEvent(type, { detail })); }
}
