// Durable storage on the device: IndexedDB.
//
// Stores:
//   changes   every change known locally (local and received), by change id
//   outbox    {id, queued_at}: ids of local changes the server has not acknowledged
//   meta      key -> value: device_id, session (identity.js), cursor, last_sync, clock_offset,
//             and the device settings: neighborhood, lang, kiosk
//   rejected  {id, change, code, message, at}: local changes the server refused
//   handoffs  hand-off files imported from other devices (handoffs.js), kept
//             until the server has answered; their changes are not in `changes`
//             until the server has accepted them
//   snapshot  'replica' -> {bytes, applied, at}: the replica as the core's snapshot
//             (replica_snapshot.hpp), so opening does not replay every change
//   recent    [[type, record, field, id], ...] per write: the changes stored since
//             the snapshot, replayed on top of it (auto-increment keys)
//
// The snapshot is a cache, never the truth: every write to `changes` also
// lands in `recent` in the same transaction, an entry leaves `recent` only in
// the transaction that stores a snapshot holding all its changes, a change
// deleted from `changes` drops the snapshot, and the opener checks the
// rebuilt replica's count against `changes` (sync.js) before trusting it.
//
// Each write that must be atomic is one transaction and the returned promise
// resolves only when that transaction has committed, so "saved" in the UI
// means durably stored.
const DB_NAME = 'psc-sync';
const DB_VERSION = 2;  // 2: snapshot, recent, handoffs

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function committed(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

// Records, in `tx`, which changes were stored since the snapshot (one entry per write).
function noteRecent(tx, changes) {
  if (changes.length) tx.objectStore('recent').add(changes.map((c) => [c.type, c.record, c.field, c.id]));
}

function openDatabase() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, DB_VERSION);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains('changes')) db.createObjectStore('changes', { keyPath: 'id' });
      if (!db.objectStoreNames.contains('outbox')) db.createObjectStore('outbox', { keyPath: 'id' });
      if (!db.objectStoreNames.contains('meta')) db.createObjectStore('meta');
      if (!db.objectStoreNames.contains('rejected')) db.createObjectStore('rejected', { keyPath: 'id' });
      if (!db.objectStoreNames.contains('snapshot')) db.createObjectStore('snapshot');
      if (!db.objectStoreNames.contains('recent')) db.createObjectStore('recent', { autoIncrement: true });
      if (!db.objectStoreNames.contains('handoffs')) db.createObjectStore('handoffs', { keyPath: 'id' });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
    req.onblocked = () => reject(new Error('PSC Sync is being upgraded in another tab; close other tabs and reload.'));
  });
}

export class Storage {
  constructor(db) {
    this.db = db;
    // Another tab upgrading the schema: let it, and ask for a reload.
    db.onversionchange = () => { db.close(); };
  }

  static async open() { return new Storage(await openDatabase()); }

  async getMeta(key) {
    return request(this.db.transaction('meta').objectStore('meta').get(key));
  }

  async setMeta(key, value) {
    const tx = this.db.transaction('meta', 'readwrite');
    tx.objectStore('meta').put(value, key);
    return committed(tx);
  }

  // Yields every stored change in chunks of at most `size` (id order).
  async *changeChunks(size = 2000) {
    let after = null;
    for (;;) {
      const range = after === null ? null : IDBKeyRange.lowerBound(after, true);
      const chunk = await request(this.db.transaction('changes').objectStore('changes').getAll(range, size));
      if (chunk.length === 0) return;
      yield chunk;
      if (chunk.length < size) return;
      after = chunk[chunk.length - 1].id;
    }
  }

  // The changes of `ids` (missing ones skipped), in one transaction.
  async changesByIds(ids) {
    const store = this.db.transaction('changes').objectStore('changes');
    return (await Promise.all(ids.map((id) => request(store.get(id))))).filter(Boolean);
  }

  // Everything opening the app reads, in one transaction (one consistent
  // view, and no round trip per setting): {meta: Map key -> value, snapshot,
  // recent (as loadSnapshot), changeCount, outboxCount, rejected, handoffs}.
  async readOpening() {
    const stores = ['meta', 'snapshot', 'recent', 'changes', 'outbox', 'rejected', 'handoffs'];
    const tx = this.db.transaction(stores);
    const [keys, values, snapshot, entries, changeCount, outboxCount, rejected, handoffs] = await Promise.all([
      request(tx.objectStore('meta').getAllKeys()),
      request(tx.objectStore('meta').getAll()),
      request(tx.objectStore('snapshot').get('replica')),
      request(tx.objectStore('recent').getAll()),
      request(tx.objectStore('changes').count()),
      request(tx.objectStore('outbox').count()),
      request(tx.objectStore('rejected').getAll()),
      request(tx.objectStore('handoffs').getAll()),
    ]);
    const meta = new Map(keys.map((key, i) => [key, values[i]]));
    return { meta, snapshot, recent: entries.flat(), changeCount, outboxCount, rejected, handoffs };
  }

  // {snapshot: {bytes, applied, at} | undefined, recent: [[type, record, field, id], ...]}
  async loadSnapshot() {
    const tx = this.db.transaction(['snapshot', 'recent']);
    const [snapshot, entries] = await Promise.all([
      request(tx.objectStore('snapshot').get('replica')),
      request(tx.objectStore('recent').getAll()),
    ]);
    return { snapshot, recent: entries.flat() };
  }

  // Stores a snapshot and forgets the `recent` entries whose changes it holds
  // (covers([type, record, field, id]) says so), in one transaction; entries
  // another tab wrote meanwhile stay, to be replayed on top.
  async saveSnapshot(bytes, applied, covers) {
    const tx = this.db.transaction(['snapshot', 'recent'], 'readwrite');
    const cursor = tx.objectStore('recent').openCursor();
    cursor.onsuccess = () => {
      const at = cursor.result;
      if (!at) return;
      if (at.value.every(covers)) at.delete();
      at.continue();
    };
    tx.objectStore('snapshot').put({ bytes, applied, at: Date.now() }, 'replica');
    return committed(tx);
  }

  // A local change set: into `changes` and `outbox` in one transaction.
  async saveLocalChanges(changes) {
    const tx = this.db.transaction(['changes', 'outbox', 'recent'], 'readwrite');
    const now = Date.now();
    for (const change of changes) {
      tx.objectStore('changes').put(change);
      tx.objectStore('outbox').put({ id: change.id, queued_at: now });
    }
    noteRecent(tx, changes);
    return committed(tx);
  }

  // A page from the server: its changes and the new cursor in one
  // transaction. Our own changes coming back prove the server has them, so
  // they leave the outbox even if the ack was lost with a dropped connection.
  async saveReceivedPage(changes, cursor, ownDeviceId) {
    const tx = this.db.transaction(['changes', 'outbox', 'meta', 'recent'], 'readwrite');
    for (const change of changes) {
      tx.objectStore('changes').put(change);
      if (change.device === ownDeviceId) tx.objectStore('outbox').delete(change.id);
    }
    noteRecent(tx, changes);
    tx.objectStore('meta').put(cursor, 'cursor');
    return committed(tx);
  }

  async outboxCount() {
    return request(this.db.transaction('outbox').objectStore('outbox').count());
  }

  // The oldest outbox changes (id order = hlc order for one device), at most
  // `limit`; with `actor`, only that account's (a device token may send only
  // the changes of its own account, see Sync.pump).
  async outboxChanges(limit, actor = null) {
    const tx = this.db.transaction(['outbox', 'changes']);
    const get = (id) => request(tx.objectStore('changes').get(id));
    if (actor === null) {
      const ids = await request(tx.objectStore('outbox').getAllKeys(null, limit));
      return (await Promise.all(ids.map(get))).filter(Boolean);
    }
    const ids = await request(tx.objectStore('outbox').getAllKeys());
    const out = [];
    for (let i = 0; i < ids.length && out.length < limit; i += 200) {
      const chunk = await Promise.all(ids.slice(i, i + 200).map(get));
      for (const change of chunk) if (change && change.actor === actor && out.length < limit) out.push(change);
    }
    return out;
  }

  // An ack: accepted ids leave the outbox; refused ones move, whole, to
  // `rejected` with the server's reason and leave `changes`, so the replica
  // rebuilt from storage agrees with the server while the user still sees
  // what was refused. One transaction.
  async applyAck(accepted, rejected) {
    const stores = ['outbox', 'rejected', 'changes'];
    if (rejected.length) stores.push('snapshot');
    const tx = this.db.transaction(stores, 'readwrite');
    const outbox = tx.objectStore('outbox');
    // The snapshot may hold a refused change that leaves `changes`: drop it.
    if (rejected.length) tx.objectStore('snapshot').clear();
    for (const id of accepted) outbox.delete(id);
    const now = Date.now();
    for (const r of rejected) {
      outbox.delete(r.change);
      const get = tx.objectStore('changes').get(r.change);
      get.onsuccess = () => {
        tx.objectStore('rejected').put({ id: r.change, change: get.result ?? null, code: r.code, message: r.message, at: now });
        tx.objectStore('changes').delete(r.change);
      };
    }
    return committed(tx);
  }

  async listHandoffs() {
    return request(this.db.transaction('handoffs').objectStore('handoffs').getAll());
  }

  async putHandoff(handoff) {
    const tx = this.db.transaction('handoffs', 'readwrite');
    tx.objectStore('handoffs').put(handoff);
    return committed(tx);
  }

  // The server took a hand-off file: the changes it accepted join `changes`
  // (as if received from it) with the file's new state, in one transaction.
  async acceptHandoff(handoff, changes) {
    const tx = this.db.transaction(['handoffs', 'changes', 'recent'], 'readwrite');
    for (const change of changes) tx.objectStore('changes').put(change);
    noteRecent(tx, changes);
    tx.objectStore('handoffs').put(handoff);
    return committed(tx);
  }

  async listRejected() {
    return request(this.db.transaction('rejected').objectStore('rejected').getAll());
  }

  async dismissRejected(id) {
    const tx = this.db.transaction('rejected', 'readwrite');
    tx.objectStore('rejected').delete(id);
    return committed(tx);
  }
}
