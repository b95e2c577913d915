// The replica (the WebAssembly core's psc::LocalDevice) as the device keeps
// it: opened from the stored snapshot plus the changes since, or rebuilt from
// every stored change; snapshots written when the device is quiet.
// Part of the Sync class (sync.js): its methods here are copied onto
// Sync.prototype (sync.js, `Object.defineProperties`), so `this` is the Sync.

const REPLAY_CHUNK = 2000;
// A snapshot of the replica (storage.js) is written once this many changes
// were stored since the last one, after SNAPSHOT_QUIET_MS without new ones.
export const SNAPSHOT_EVERY = 1000;
const SNAPSHOT_QUIET_MS = 2000;

export class SyncReplicaHost {
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
}
