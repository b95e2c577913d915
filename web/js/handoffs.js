// Offline hand-off on this device: exporting its own unsynced changes to a
// signed file (handoff-file.js), and importing files other devices exported.
//
// An imported file's changes show at once, even offline, but they are not
// this device's to push: the server takes a change only from its author's
// account over the author's socket. So the file itself is kept (IndexedDB
// `handoffs`) and uploaded to POST /api/handoff, which checks the signature
// and takes it as if the author's tablet had pushed it. Until the server has
// answered, the file's changes live only in the replica (replayed from the
// kept file at start): a refused (tampered) file then disappears without
// touching anything stored before. Accepted changes join `changes`.
//
// A kept file: {id, file, device, account, created_at, count, known,
//   imported_at, state: 'pending' | 'uploaded' | 'refused',
//   result: {accepted, already, rejected[{change, code, message}]} | null,
//   refusal: {code, message} | null, answered_at}
import { HandoffFileError, handoffFileName, readHandoffFile, writeHandoffFile } from './handoff-file.js';

// Server answers that mean "this file will never be taken as it is".
const FINAL_REFUSALS = new Set(['tampered', 'malformed_handoff', 'unknown_device', 'too_large']);

function changesOf(handoff) { return JSON.parse(handoff.file.payload).changes; }

export class Handoffs {
  // sync: the Sync engine (storage, replica, session, api()).
  constructor(sync) {
    this.sync = sync;
    this.list = [];
  }

  async load() {
    this.loadFrom(await this.sync.storage.listHandoffs());
  }

  // The same from the kept files already read (storage.js readOpening).
  loadFrom(list) {
    this.list = [...list].sort((a, b) => b.imported_at - a.imported_at);
  }

  get pendingCount() { return this.list.filter((h) => h.state === 'pending').length; }

  // Changes the replica holds on the strength of files not yet answered.
  pendingChanges() {
    return this.list.filter((h) => h.state === 'pending').map(changesOf);
  }

  // ---- export ----------------------------------------------------------------

  // The signed-in account's unsynced changes as a file. Resolves with
  // {count, others, text, name}: `others` are waiting changes of other
  // accounts (an ended kiosk session), which this session cannot sign for.
  // The outbox is left as it is: the changes are unsynced until acked.
  async exportFile(now = Date.now()) {
    const session = this.sync.session;
    if (!session) throw Object.assign(new Error('not signed in'), { code: 'signed_out' });
    const storage = this.sync.storage;
    const changes = await storage.outboxChanges(Number.MAX_SAFE_INTEGER, session.account);
    const others = (await storage.outboxCount()) - changes.length;
    if (changes.length === 0) return { count: 0, others, text: '', name: '' };
    const text = await writeHandoffFile({
      device: this.sync.deviceId, account: session.account, token: session.token, changes, now,
    });
    const name = handoffFileName(this.sync.deviceId, now);
    await storage.setMeta('last_handoff_export', { at: now, count: changes.length, name });
    return { count: changes.length, others, text, name };
  }

  // ---- import ----------------------------------------------------------------

  // Reads, keeps and applies a file. Resolves with {handoff, again}: again
  // is true when this very file was imported before (nothing is added).
  // Throws HandoffFileError for a file that is not a readable hand-off, and
  // an Error with code 'own_file' for this device's own export.
  async importFile(text, now = Date.now()) {
    const read = await readHandoffFile(text);
    if (read.device === this.sync.deviceId) {
      throw Object.assign(new Error('own file'), { code: 'own_file' });
    }
    const before = this.list.find((h) => h.id === read.id);
    // A refused file may be tried again (e.g. once its tablet is signed in again).
    if (before && before.state !== 'refused') return { handoff: before, again: true };
    // The core decodes every change (and refuses an id that does not match
    // its change); a bad one throws before any is applied, and the replica
    // is rebuilt from storage all the same, so nothing is kept.
    let applied;
    try {
      applied = this.sync.replica.receive(read.changes);
    } catch {
      await this.sync.rebuildReplica();
      throw new HandoffFileError('damaged');
    }
    const known = read.changes.length - applied;  // already on this device
    const handoff = {
      id: read.id, file: read.file, device: read.device, account: read.account, created_at: read.createdAt,
      count: read.changes.length, known, imported_at: now, state: 'pending', result: null, refusal: null, answered_at: null,
    };
    await this.keep(handoff);
    return { handoff, again: false };
  }

  // ---- upload ----------------------------------------------------------------

  // Uploads every unanswered file, oldest first. Resolves with the files the
  // server answered. Stops at the first one that could not be delivered
  // (offline, server trouble): they stay pending and go at the next connection.
  async uploadPending() {
    const answered = [];
    const pending = this.list.filter((h) => h.state === 'pending').reverse();
    for (const handoff of pending) {
      const token = this.sync.session?.token;
      if (!token) break;
      let next;
      try {
        const answer = await this.sync.api('/api/handoff', { token, body: handoff.file });
        next = await this.accepted(handoff, answer);
      } catch (error) {
        if (!FINAL_REFUSALS.has(error.code)) break;
        next = { ...handoff, state: 'refused', refusal: { code: error.code, message: error.message }, answered_at: Date.now() };
        await this.keep(next);
      }
      answered.push(next);
    }
    return answered;
  }

  async accepted(handoff, answer) {
    const ids = new Set(answer.accepted ?? []);
    const next = {
      ...handoff,
      state: 'uploaded',
      result: { accepted: ids.size, already: answer.already_stored ?? 0, rejected: answer.rejected ?? [] },
      answered_at: Date.now(),
    };
    await this.sync.storage.acceptHandoff(next, changesOf(handoff).filter((c) => ids.has(c.id)));
    this.replace(next);
    return next;
  }

  async keep(handoff) {
    await this.sync.storage.putHandoff(handoff);
    this.replace(handoff);
  }

  replace(handoff) {
    this.list = [handoff, ...this.list.filter((h) => h.id !== handoff.id)];
  }
}
